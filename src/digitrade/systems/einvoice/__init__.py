"""E-invoicing: validate, issue and convert international e-invoices (EN 16931, Peppol BIS
Billing 3, UBL 2.1, UN/CEFACT CII D16B and China's fully digitalised e-invoice). Plan item:
"launch pilot projects for international electronic invoices"."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.config import get_settings
from digitrade.core.ledger.kinds import EntryKind
from digitrade.core.registry import SystemModule
from digitrade.systems.einvoice import api, cli, pages
from digitrade.systems.einvoice.demo import load_demo
from digitrade.systems.einvoice.models import IssuedInvoice
from digitrade.systems.einvoice.permissions import PERMISSIONS
from digitrade.systems.einvoice.service import ISSUED_KIND, list_rule_packs, rule_pack_root

LEDGER_KINDS = (
    EntryKind(
        ISSUED_KIND,
        1,
        "An e-invoice issued on the platform: seller, number, amount due, the rule packs it "
        "passed, and the SHA-256 of the UBL file as released.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "organisation",
                "number",
                "issueDate",
                "currency",
                "payable",
                "specification",
                "rulePacks",
                "documentDigest",
            ],
            "properties": {
                "organisation": {"type": "integer"},
                "number": {"type": "string"},
                "issueDate": {"type": "string", "format": "date"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "payable": {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"},
                "specification": {"type": "string"},
                "rulePacks": {"type": "array", "items": {"type": "string"}},
                "documentDigest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            },
        },
    ),
)


def _status(session: Session) -> tuple[bool, str]:
    packs = list_rule_packs(rule_pack_root(get_settings().data_dir))
    issued = session.scalar(select(func.count(IssuedInvoice.id))) or 0
    if not packs:
        return False, f"no rule packs installed · {issued} invoices issued"
    names = ", ".join(f"{p.name} {p.version}" for p in packs if p.layer != "xsd")
    return True, f"{names} · {issued} invoices issued"


module = SystemModule(
    name="einvoice",
    title="E-invoicing",
    title_zh="电子发票",
    summary="Validate, issue and convert international e-invoices: EN 16931, Peppol, UBL, CII, "
    "and China's fully digitalised e-invoice.",
    summary_zh="按官方规则校验、开具和转换国际电子发票：EN 16931、Peppol、UBL、CII 与全电发票。",
    plan_item="Launch pilot projects for international electronic invoices",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    ledger_kinds=LEDGER_KINDS,
    docs_path="docs/systems/einvoice.md",
)
