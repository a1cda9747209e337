"""Cross-border data export compliance: the pathway engine, the transfer register and filing
packs (plan item: "a negative list and operational guidelines for cross-border data flow in the
China (Shanghai) Pilot Free Trade Zone, including the Lin-gang Special Area")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.ledger.kinds import EntryKind
from digitrade.core.registry import SystemModule
from digitrade.systems.dataflow import api, cli, pages
from digitrade.systems.dataflow.demo import load_demo
from digitrade.systems.dataflow.models import Assessment
from digitrade.systems.dataflow.permissions import PERMISSIONS
from digitrade.systems.dataflow.rules import rules_in_force
from digitrade.systems.dataflow.service import DECISION_KIND, LIST_KIND, TRANSFER_KIND

_DIGEST = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}
LEDGER_KINDS = (
    EntryKind(
        DECISION_KIND,
        1,
        "A saved cross-border data export assessment: the pathway decided, the rules version, "
        "and digests of the request and of the full decision.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "organisation",
                "asOf",
                "pathway",
                "rulesVersion",
                "requestDigest",
                "decisionDigest",
            ],
            "properties": {
                "organisation": {"type": "integer"},
                "asOf": {"type": "string", "format": "date"},
                "pathway": {
                    "enum": [
                        "EXEMPT",
                        "STANDARD_CONTRACT_OR_CERTIFICATION",
                        "SECURITY_ASSESSMENT",
                        "PROHIBITED",
                    ]
                },
                "rulesVersion": {"type": "string"},
                "requestDigest": _DIGEST,
                "decisionDigest": _DIGEST,
            },
        },
    ),
    EntryKind(
        TRANSFER_KIND,
        1,
        "An outbound transfer recorded in an organisation's register.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "organisation",
                "transferredOn",
                "recipientCountry",
                "purpose",
                "individuals",
                "sensitiveIndividuals",
                "pathway",
                "entryDigest",
            ],
            "properties": {
                "organisation": {"type": "integer"},
                "transferredOn": {"type": "string"},
                "recipientCountry": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "purpose": {"type": "string"},
                "individuals": {"type": "integer", "minimum": 0},
                "sensitiveIndividuals": {"type": "integer", "minimum": 0},
                "pathway": {"type": "string"},
                "entryDigest": _DIGEST,
            },
        },
    ),
    EntryKind(
        LIST_KIND,
        1,
        "An FTZ data export list edition installed on the platform (digest of its canonical JSON).",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["jurisdiction", "version", "effectiveFrom", "rows", "contentDigest"],
            "properties": {
                "jurisdiction": {"type": "string"},
                "version": {"type": "string"},
                "effectiveFrom": {"type": "string"},
                "rows": {"type": "integer", "minimum": 0},
                "contentDigest": _DIGEST,
            },
        },
    ),
)


def _status(session: Session) -> tuple[bool, str]:
    version = rules_in_force(dt.date.today()).version
    saved = session.scalar(select(func.count(Assessment.id))) or 0
    return True, f"rules {version} · {saved} assessments saved"


module = SystemModule(
    name="dataflow",
    title="Cross-border data compliance",
    title_zh="数据出境合规",
    summary="Which legal pathway a data export needs, the year's transfer register, filing packs.",
    summary_zh="判断数据出境所需的法定路径，登记年度出境情况，生成申报材料。",
    plan_item="Negative list and operational guidelines for cross-border data flow in the "
    "Shanghai FTZ and Lin-gang",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    ledger_kinds=LEDGER_KINDS,
    docs_path="docs/systems/dataflow.md",
)
