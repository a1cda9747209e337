"""Demo data for ``digitrade demo load``: illustrative organisations and users, then each
enabled system's own demo. Every name here is illustrative, not a real company's record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth import service
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate, UserCreate
from digitrade.core.registry import SystemModule

DEMO_ADMIN_EMAIL = "admin@digitrade.example"
DEMO_MARKER_SLUG = "sh-commerce-demo"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    name_zh: str
    kind: OrganisationKind
    country: str
    owner_email: str


DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        DEMO_MARKER_SLUG,
        "Shanghai Commerce Commission (demo)",
        "上海市商务委员会（演示）",
        OrganisationKind.AGENCY,
        "CN",
        "officer@commerce.digitrade.example",
    ),
    DemoOrganisation(
        "huangpu-shipping-demo",
        "Huangpu River Shipping Co. (demo)",
        "黄浦江航运有限公司（演示）",
        OrganisationKind.CARRIER,
        "CN",
        "ops@huangpu-shipping.digitrade.example",
    ),
    DemoOrganisation(
        "pudong-aircargo-demo",
        "Pudong Air Cargo Co. (demo)",
        "浦东航空货运有限公司（演示）",
        OrganisationKind.AIRLINE,
        "CN",
        "ops@pudong-aircargo.digitrade.example",
    ),
    DemoOrganisation(
        "lingang-export-demo",
        "Lin-gang Precision Export Ltd. (demo)",
        "临港精密出口有限公司（演示）",
        OrganisationKind.ENTERPRISE,
        "CN",
        "trade@lingang-export.digitrade.example",
    ),
    DemoOrganisation(
        "pudong-bank-demo",
        "Pudong Trade Finance Bank (demo)",
        "浦东贸易金融银行（演示）",
        OrganisationKind.BANK,
        "CN",
        "lc@pudong-bank.digitrade.example",
    ),
    DemoOrganisation(
        "rotterdam-buyer-demo",
        "Maas Import B.V. (demo)",
        "马斯进口有限公司（演示）",
        OrganisationKind.ENTERPRISE,
        "NL",
        "buyer@maas-import.digitrade.example",
    ),
)


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    message: str
    steps: list[str]


def ledger_ready(session: Session) -> bool:
    from digitrade.core.ledger.models import LedgerLog

    return session.scalar(select(LedgerLog.id).where(LedgerLog.name == "platform")) is not None


def demo_present(session: Session) -> bool:
    return (
        session.scalar(select(Organisation.id).where(Organisation.slug == DEMO_MARKER_SLUG))
        is not None
    )


# Illustrative attestations anchored by the demo organisations (no real shipment or contract).
DEMO_ATTESTATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "huangpu-shipping-demo",
        "Bill of lading HPSH2026000117 (illustrative)",
        "Electronic bill of lading issued, shipped on board at Yangshan, to order of shipper",
    ),
    (
        "lingang-export-demo",
        "Commercial invoice LPE-2026-0451 (illustrative)",
        "Invoice for 40 CNC spindle assemblies, USD 186,400.00, FOB Shanghai",
    ),
    (
        "pudong-bank-demo",
        "Documentary credit PTFB-LC-2026-0088 (illustrative)",
        "Irrevocable documentary credit issued, expiry 2027-03-31, UCP 600 and eUCP 2.1",
    ),
    (
        "huangpu-shipping-demo",
        "Bill of lading HPSH2026000117 (illustrative)",
        "Title transferred by endorsement to Pudong Trade Finance Bank (demo)",
    ),
    (
        "pudong-bank-demo",
        "Presentation PTFB-P-2026-0131 (illustrative)",
        "Documents presented under PTFB-LC-2026-0088 found complying",
    ),
    (
        "rotterdam-buyer-demo",
        "Bill of lading HPSH2026000117 (illustrative)",
        "Goods delivered at Rotterdam; bill of lading surrendered",
    ),
    (
        "sh-commerce-demo",
        "Services trade return 2026-Q3, Pudong (illustrative)",
        "Quarterly services-trade return accepted for compilation",
    ),
)


def _anchor_demo_attestations(session: Session, kek: str | None) -> str:
    from digitrade.core.ledger import service as ledger

    for slug, subject, statement in DEMO_ATTESTATIONS:
        org_id = service.organisation_id_for_slug(session, slug)
        ledger.append(
            session,
            kind="core.attestation",
            payload={"subject": subject, "statement": statement},
            submitter=f"org:{slug}",
            organisation_id=org_id,
        )
    if kek is not None:
        ledger.publish_checkpoint(session, log=ledger.DEFAULT_LOG, kek=kek)
    return f"{len(DEMO_ATTESTATIONS)} illustrative attestations anchored in the platform log"


def load_demo(
    session: Session,
    *,
    password: str,
    systems: Sequence[SystemModule],
    kek: str | None = None,
    progress: Callable[[str], None] = lambda _step: None,
) -> DemoResult:
    """Create the demo once; a second call changes nothing and says so."""
    if demo_present(session):
        return DemoResult(False, "demo data is already loaded", [])
    actor = Principal.system("demo")
    steps: list[str] = []
    service.create_user(
        session,
        actor=actor,
        data=UserCreate(
            email=DEMO_ADMIN_EMAIL,
            display_name="Platform administrator",
            password=password,
            is_platform_admin=True,
        ),
    )
    steps.append(f"user {DEMO_ADMIN_EMAIL} (platform administrator)")
    progress(steps[-1])
    for demo_org in DEMO_ORGANISATIONS:
        org = service.create_organisation(
            session,
            actor=actor,
            data=OrganisationCreate(
                slug=demo_org.slug,
                name=demo_org.name,
                name_zh=demo_org.name_zh,
                kind=demo_org.kind,
                country=demo_org.country,
            ),
        )
        service.create_user(
            session,
            actor=actor,
            data=UserCreate(
                email=demo_org.owner_email,
                display_name=f"{demo_org.name} owner",
                password=password,
                organisation_id=org.id,
                role=Role.OWNER,
            ),
        )
        steps.append(f"organisation {demo_org.slug} with owner {demo_org.owner_email}")
        progress(steps[-1])
    if ledger_ready(session):
        steps.append(_anchor_demo_attestations(session, kek))
        progress(steps[-1])
    for system in systems:
        if system.demo is not None:
            steps.append(f"{system.name}: {system.demo(session, actor)}")
            progress(steps[-1])
    return DemoResult(True, f"demo data loaded ({len(steps)} steps)", steps)
