"""Services-trade monitor (plan item: services trade of US$260 bn, of which digitally delivered
US$130 bn, by 2029).

Pure engines: the EBOPS 2010 classification (``classification``), the two "digitally
deliverable" definitions (``definitions``), growth and target maths (``progress``), nowcasts
(``nowcast``), file readers (``importing``) and disclosure control (``disclosure``). ``service``
keeps observations with their vintages, targets and enterprises' direct returns; ``api`` serves
them under ``/api/statistics``; ``digitrade stats`` is the command line.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.ledger.kinds import EntryKind
from digitrade.core.registry import SystemModule
from digitrade.systems.statistics import api, cli, pages
from digitrade.systems.statistics.demo import load_demo
from digitrade.systems.statistics.models import Observation
from digitrade.systems.statistics.permissions import PERMISSIONS
from digitrade.systems.statistics.service import IMPORT_KIND, PUBLICATION_KIND

_DIGEST = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}

LEDGER_KINDS = (
    EntryKind(
        IMPORT_KIND,
        1,
        "A statistics file taken in: its name, SHA-256, format and how many values it brought "
        "and revised, so any published figure can be traced to the exact file.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["import", "filename", "sha256", "format", "rows", "revised"],
            "properties": {
                "import": {"type": "integer"},
                "filename": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "format": {"type": "string"},
                "rows": {"type": "integer"},
                "revised": {"type": "integer"},
            },
        },
    ),
    EntryKind(
        PUBLICATION_KIND,
        1,
        "Direct-reporting aggregates of one quarter recompiled after a return was accepted: "
        "how many values were published and the SHA-256 of the published table.",
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["period", "values", "digest"],
            "properties": {
                "period": {"type": "string"},
                "values": {"type": "integer"},
                "digest": _DIGEST,
            },
        },
    ),
)


def _status(session: Session) -> tuple[bool, str]:
    values = session.scalar(select(func.count(Observation.id)).where(Observation.current.is_(True)))
    economies = session.scalar(select(func.count(func.distinct(Observation.economy))))
    return True, f"{values or 0:,} current values for {economies or 0} economies"


module = SystemModule(
    name="statistics",
    title="Services-trade monitor",
    title_zh="服务贸易监测",
    summary="Services trade and digitally delivered services by EBOPS 2010 against the 2029 "
    "targets: imports with revisions, direct reporting, progress, nowcasts and dashboards.",
    summary_zh="按 EBOPS 2010 统计服务贸易与可数字化交付服务，对照 2029 年目标：数据导入与修订、"
    "企业直报、进度评估、即时预测和仪表板。",
    plan_item="By 2029, services trade of US$260 bn, of which digitally delivered services "
    "US$130 bn (about 50%)",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    ledger_kinds=LEDGER_KINDS,
    docs_path="docs/systems/statistics.md",
    cli_name="stats",
)
