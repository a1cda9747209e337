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


def demo_present(session: Session) -> bool:
    return (
        session.scalar(select(Organisation.id).where(Organisation.slug == DEMO_MARKER_SLUG))
        is not None
    )


def load_demo(
    session: Session,
    *,
    password: str,
    systems: Sequence[SystemModule],
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
    for system in systems:
        if system.demo is not None:
            steps.append(f"{system.name}: {system.demo(session, actor)}")
            progress(steps[-1])
    return DemoResult(True, f"demo data loaded ({len(steps)} steps)", steps)
