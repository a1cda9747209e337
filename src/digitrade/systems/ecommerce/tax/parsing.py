"""``order_from_dict``: the ``assess-order`` JSON contract into an ``OrderRequest``, strictly.

Every rejection is a ``ValidationFailed`` naming the dotted field (``items[0].vat_rate``). Money
is RMB with at most two decimals; unit prices may carry up to five, as CEB messages do. Rates are
fractions (0.13 for 13%).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.systems.ecommerce.fields import (
    as_object,
    bool_field,
    choice_field,
    date_field,
    decimal_field,
    list_field,
    reject_unknown,
    text_field,
)
from digitrade.systems.ecommerce.money import round_money
from digitrade.systems.ecommerce.tax.model import (
    NO_EXCISE,
    ContentUnit,
    Excise,
    ExciseKind,
    OrderItem,
    OrderRequest,
    RetailImportMode,
)

MONEY_PLACES = 2
PRICE_PLACES = 5
MAX_AMOUNT = Decimal("100000000")
_ONE = Decimal(1)

_REQUEST_KEYS = frozenset(
    {
        "mode",
        "order_date",
        "buyer_id",
        "annual_total_before",
        "freight",
        "insurance",
        "non_cash_discount",
        "items",
    }
)
_ITEM_KEYS = frozenset(
    {
        "sku",
        "hs_code",
        "name",
        "unit_price",
        "quantity",
        "vat_rate",
        "mfn_duty_rate",
        "excise",
        "on_positive_list",
        "indivisible",
    }
)
_EXCISE_KEYS = frozenset({"kind", "net_content", "unit", "rate"})
# The members of the enumerated fields by value: the allowed values, spelt out once, and a
# lookup cheaper than calling the enum.
_MODES = {m.value: m for m in RetailImportMode}
_EXCISE_KINDS = {k.value: k for k in ExciseKind}
_UNITS = {u.value: u for u in ContentUnit}


def order_from_dict(value: Any) -> OrderRequest:
    root = as_object(value, "request")
    reject_unknown(root, _REQUEST_KEYS, "")
    items = tuple(
        _item(as_object(raw, f"items[{index}]"), f"items[{index}]")
        for index, raw in enumerate(list_field(root, "items", ""))
    )
    request = OrderRequest(
        mode=_MODES[choice_field(root, "mode", "", _MODES)],
        order_date=date_field(root, "order_date", ""),
        buyer_id=text_field(root, "buyer_id", "", max_length=60),
        annual_total_before=_money(root, "annual_total_before", "", default=Decimal(0)),
        freight=_money(root, "freight", ""),
        insurance=_money(root, "insurance", "", default=Decimal(0)),
        non_cash_discount=_money(root, "non_cash_discount", "", default=Decimal(0)),
        items=items,
    )
    goods = sum((round_money(item.unit_price * item.quantity) for item in items), Decimal(0))
    if goods <= 0:
        raise validation_error("items", "the goods must have a value above zero")
    if request.non_cash_discount > goods:
        raise validation_error(
            "non_cash_discount", "must not be more than the value of the goods it pays for"
        )
    return request


def _money(
    value: Mapping[str, Any], key: str, prefix: str, *, default: Decimal | None = None
) -> Decimal:
    return decimal_field(
        value, key, prefix, default=default, places=MONEY_PLACES, maximum=MAX_AMOUNT
    )


def _rate(value: Mapping[str, Any], key: str, prefix: str) -> Decimal:
    return decimal_field(value, key, prefix, maximum=_ONE)


def _item(value: Mapping[str, Any], prefix: str) -> OrderItem:
    reject_unknown(value, _ITEM_KEYS, prefix)
    return OrderItem(
        sku=text_field(value, "sku", prefix, max_length=60),
        hs_code=_hs_code(value, prefix),
        name=text_field(value, "name", prefix, max_length=250),
        unit_price=decimal_field(
            value, "unit_price", prefix, places=PRICE_PLACES, maximum=MAX_AMOUNT
        ),
        quantity=decimal_field(
            value,
            "quantity",
            prefix,
            places=PRICE_PLACES,
            exclusive_minimum=True,
            maximum=Decimal(1_000_000),
        ),
        vat_rate=_rate(value, "vat_rate", prefix),
        mfn_duty_rate=decimal_field(value, "mfn_duty_rate", prefix, maximum=Decimal(10)),
        excise=_excise(value.get("excise"), f"{prefix}.excise"),
        on_positive_list=bool_field(value, "on_positive_list", prefix),
        indivisible=bool_field(value, "indivisible", prefix, default=False),
    )


def _hs_code(value: Mapping[str, Any], prefix: str) -> str:
    code = text_field(value, "hs_code", prefix, max_length=10)
    if not code.isascii() or not code.isdigit() or len(code) not in {8, 10}:
        raise validation_error(f"{prefix}.hs_code", "must be 8 or 10 digits")
    return code


def _excise(raw: Any, prefix: str) -> Excise:
    if raw is None:
        return NO_EXCISE
    value = as_object(raw, prefix)
    reject_unknown(value, _EXCISE_KEYS, prefix)
    kind = _EXCISE_KINDS[choice_field(value, "kind", prefix, _EXCISE_KINDS)]
    if kind is ExciseKind.NONE:
        return NO_EXCISE
    if kind is ExciseKind.AD_VALOREM:
        rate = decimal_field(value, "rate", prefix, maximum=Decimal("0.99"))
        return Excise(kind, rate=rate)
    net_content = decimal_field(
        value, "net_content", prefix, exclusive_minimum=True, maximum=Decimal(1_000_000)
    )
    unit = _UNITS[choice_field(value, "unit", prefix, _UNITS)]
    return Excise(kind, net_content=net_content, unit=unit)
