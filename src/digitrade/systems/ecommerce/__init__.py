"""Cross-border e-commerce clearance (plan item: air and sea supervision of cross-border
e-commerce goods, bonded imports with same-warehouse storage, returns of direct-purchase imports,
small-firm exports).

The pure engines live here: the retail-import tax and limits engine (``tax``), customs modes
(``modes``), returns timing (``returns``), the CEB message standard (``ceb``), three-order
matching (``matching``) and air dangerous-goods screening (``dangerous_goods``). None of them
touches a database or the network.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from digitrade.core.registry import SystemModule
from digitrade.systems.ecommerce import cli
from digitrade.systems.ecommerce.dangerous_goods import EDITIONS
from digitrade.systems.ecommerce.tax import regime_on


def _status(session: Session) -> tuple[bool, str]:
    regime = regime_on(dt.date.today())
    return True, (
        f"limits RMB {regime.transaction_limit:,} / {regime.annual_limit:,} "
        f"({regime.instrument}); {len(EDITIONS)} DGR editions; command line only"
    )


module = SystemModule(
    name="ecommerce",
    title="Cross-border e-commerce clearance",
    title_zh="跨境电商通关",
    summary="Retail-import tax and limits, three-order matching, CEB messages, returns timing and "
    "air dangerous-goods screening (command line).",
    summary_zh="跨境零售进口税费与限额、三单比对、CEB 报文、退货时限与航空危险品筛查（命令行）。",
    plan_item="Optimize cross-border e-commerce air and sea freight supervision; streamline "
    "returns of direct-purchase imports",
    cli=cli.app,
    status=_status,
)
