"""Retail-import tax and limits engine (MOF/GAC/SAT 2016 No.18, 2018 No.49): pure, Decimal only.

``assess_order(request)`` takes the ``assess-order`` JSON contract and returns an ``Assessment``
whose ``as_dict()`` is the contract's answer.
"""

from __future__ import annotations

from digitrade.systems.ecommerce.tax.engine import assess, assess_order
from digitrade.systems.ecommerce.tax.limits import REGIMES, LimitRegime, regime_on
from digitrade.systems.ecommerce.tax.model import (
    Assessment,
    LineAssessment,
    OrderItem,
    OrderRequest,
    Treatment,
)
from digitrade.systems.ecommerce.tax.parsing import order_from_dict
from digitrade.systems.ecommerce.tax.positive_list import (
    PositiveList,
    load_positive_list,
    shipped_sample,
    unlisted_items,
)

__all__ = [
    "REGIMES",
    "Assessment",
    "LimitRegime",
    "LineAssessment",
    "OrderItem",
    "OrderRequest",
    "PositiveList",
    "Treatment",
    "assess",
    "assess_order",
    "load_positive_list",
    "order_from_dict",
    "regime_on",
    "shipped_sample",
    "unlisted_items",
]
