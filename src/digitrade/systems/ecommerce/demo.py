"""Demo data: the Lin-gang demo enterprise acting as a cross-border e-commerce platform. Its item
catalogue gets the one item of the synthetic CEB set, its bonded account book receives 100 units
of it, the synthetic order, payment, waybill and
inventory list are submitted so that the order is released, and a second order built from them
with another order number has only its order and payment, so it stays pending. Every message is
synthetic (test names, reserved identity number, codes 31000000xx): illustrative, not a real
order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import get_settings
from digitrade.core.errors import DomainError
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.ceb import build_message, new_guid, read_message
from digitrade.systems.ecommerce.schemas import BondedReceive, CatalogueItemWrite

DEMO_PLATFORM = "lingang-export-demo"
SYNTHETIC_ORDER = "SYN202501010001"
PENDING_ORDER = "SYN202501010002"
FOUR = ("CEB311", "CEB411", "CEB511", "CEB621")
# The synthetic set's item: 2 x 50 g face cream at RMB 600 (the research note's worked example).
FACE_CREAM = CatalogueItemWrite(
    hs_code="3304990099",
    name="Moisturising face cream 50 g (synthetic)",
    vat_rate="0.13",
    mfn_duty_rate="0.01",
    excise={"kind": "cosmetics", "net_content": "50", "unit": "g"},
    on_positive_list=True,
)
FACE_CREAM_SKU = "SKU-FC-50G"
# The bonded account book of the synthetic CEB621 (1210) and the units received into it.
DEMO_BOOK = "T2200W000001"
DEMO_STOCK = 100


def renumbered(data: bytes, order_no: str, transaction: str) -> bytes:
    """The message rebuilt with another order number and payment transaction (and new guids)."""
    message = read_message(data)
    documents = []
    for document in message.documents:
        body = document.as_dict()
        head = dict(body["head"])
        head["orderNo"] = order_no
        head["guid"] = new_guid()
        if "payTransactionId" in head:
            head["payTransactionId"] = transaction
        documents.append({**body, "head": head})
    return build_message(
        message.message_type,
        documents,
        base_transfer=message.base_transfer.as_dict() if message.base_transfer else None,
        version=message.version,
    )


def load_demo(session: Session, actor: Principal) -> str:
    platform_id = session.scalar(select(Organisation.id).where(Organisation.slug == DEMO_PLATFORM))
    if platform_id is None:
        return "skipped: no demo platform organisation"
    folder = get_settings().fixtures_dir / "ceb" / "synthetic"
    files = {kind: folder / f"{kind}Message.xml" for kind in FOUR}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        return f"skipped: the synthetic CEB set is not at {folder}"
    messages = {kind: path.read_bytes() for kind, path in files.items()}
    try:
        service.put_item(
            session,
            actor=actor,
            organisation_id=platform_id,
            item_no=FACE_CREAM_SKU,
            data=FACE_CREAM,
        )
        service.receive_bonded(
            session,
            actor=actor,
            organisation_id=platform_id,
            data=BondedReceive(
                book_no=DEMO_BOOK,
                item_no=FACE_CREAM_SKU,
                status="bonded_cbec",
                quantity=DEMO_STOCK,
                reference="DEMO-RECEIPT-1",
                note="synthetic demo stock",
            ),
        )
        released = None
        for kind in FOUR:
            released = service.submit_message(
                session, actor=actor, organisation_id=platform_id, data=messages[kind]
            )
        pending = None
        for kind in ("CEB311", "CEB411"):
            pending = service.submit_message(
                session,
                actor=actor,
                organisation_id=platform_id,
                data=renumbered(messages[kind], PENDING_ORDER, "PAY202501010002"),
            )
    except DomainError as exc:
        return f"stopped: demo CEB message refused: {exc.detail}"
    assert released is not None and pending is not None
    return (
        f"synthetic (illustrative) CEB set cleared by {DEMO_PLATFORM}: catalogue item "
        f"{FACE_CREAM_SKU} ({DEMO_STOCK} units in bonded book {DEMO_BOOK}); "
        f"order {released.order_no} {released.status}; "
        f"order {pending.order_no} {pending.status} (order and payment only)"
    )
