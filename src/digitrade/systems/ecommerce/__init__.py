"""Cross-border e-commerce clearance (plan item: air and sea supervision of cross-border
e-commerce goods, bonded imports with same-warehouse storage, returns of direct-purchase imports,
small-firm exports).

The pure engines live here: the retail-import tax and limits engine (``tax``), customs modes
(``modes``), returns timing (``returns``), the CEB message standard (``ceb``), three-order
matching (``matching``) and air dangerous-goods screening (``dangerous_goods``). None of them
touches a database or the network. ``service`` stores orders and their messages, re-checks them
as counterparts arrive, and keeps each buyer's annual total (``models``: ``ecommerce_order``,
``ecommerce_item``, ``ecommerce_quota``); ``api`` serves them under ``/api/ecommerce``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.registry import SystemModule
from digitrade.systems.ecommerce import api, cli, delivery, pages
from digitrade.systems.ecommerce.dangerous_goods import EDITIONS
from digitrade.systems.ecommerce.demo import load_demo
from digitrade.systems.ecommerce.evidence import LEDGER_KINDS
from digitrade.systems.ecommerce.models import ClearanceOrder
from digitrade.systems.ecommerce.permissions import PERMISSIONS
from digitrade.systems.ecommerce.tax import regime_on


def _status(session: Session) -> tuple[bool, str]:
    regime = regime_on(dt.date.today())
    orders = session.scalar(select(func.count(ClearanceOrder.id))) or 0
    return True, (
        f"limits RMB {regime.transaction_limit:,} / {regime.annual_limit:,} "
        f"({regime.instrument}); {len(EDITIONS)} DGR editions; {orders} orders"
    )


module = SystemModule(
    name="ecommerce",
    title="Cross-border e-commerce clearance",
    title_zh="跨境电商通关",
    summary="Retail-import tax and limits, three-order matching of stored CEB messages, buyers' "
    "annual quota, returns and air dangerous-goods screening.",
    summary_zh="跨境零售进口税费与限额、CEB 报文三单比对、个人年度限额、退货与航空危险品筛查。",
    plan_item="Optimize cross-border e-commerce air and sea freight supervision; streamline "
    "returns of direct-purchase imports",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    permissions=PERMISSIONS,
    status=_status,
    demo=load_demo,
    ledger_kinds=LEDGER_KINDS,
    docs_path="docs/systems/ecommerce.md",
    worker=delivery.make_worker,
)
