"""Three-order matching (三单对碰): order (CEB311), payment (CEB411), waybill (CEB511) and
inventory list (CEB621) checked against each other the way customs does before release.

Each named check of the research note is its own small function returning a ``CheckResult``:

- ``keys`` (M1): ``orderNo`` + ``ebpCode`` link 311, 411 and 621; ``logisticsNo`` +
  ``logisticsCode`` link 511 and 621.
- ``buyer_identity`` (M2): the 621 buyer equals the 311 buyer; the ID number passes GB 11643.
- ``payer_identity`` (M2): the 411 payer equals the 311 buyer (buyer = payer).
- ``amounts`` (M3): ``acturalPaid`` = goods + freight + tax - discount, and = 411 ``amountPaid``.
- ``goods`` (M4): the 311 lines add up to ``goodsValue``; 621 lines match them in item,
  quantity and total.
- ``freight`` (M5): ``freight`` and ``insuredFee`` agree across 311, 511 and 621.
- ``consignee`` (M6): consignee name, telephone and address of 311 equal those of 511.
- ``limits`` (M7): transaction and annual limits (see ``tax.limits``).
- ``tax`` (M8): the withheld ``taxTotal`` equals the tax recomputed by the tax engine.
- ``enterprise_codes`` (M9): codes agree across the messages, are well formed, and are
  registered with customs.
- ``timing`` (M10): order, payment and waybill were declared before the list.

A check is ``passed: true``, ``false``, or ``null`` when it could not run: waiting for a
counterpart message (the result is then ``pending``; the check is re-run when it arrives) or
lacking reference data only the service holds (expected tax, annual total, register of
enterprises; the result is then ``accepted``, 120, not released). Any failed check gives
``rejected`` (100); all passed gives ``released`` (800).

Money is compared to the fen. The tolerance is exact by default; a practitioner source reports
5% for price, tax and payment checks, unverified, hence configurable (``Tolerance``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.core.text import Text
from digitrade.systems.ecommerce.ceb.codes import CustomsStatus
from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Record
from digitrade.systems.ecommerce.ceb.validation import parse_timestamp
from digitrade.systems.ecommerce.identity import identity_problem
from digitrade.systems.ecommerce.money import format_money, round_money
from digitrade.systems.ecommerce.tax.limits import REGIMES, regime_on
from digitrade.systems.ecommerce.texts import render

ORDER, PAYMENT, WAYBILL, INVENTORY = "order", "payment", "waybill", "inventory"
ROLES = (ORDER, PAYMENT, WAYBILL, INVENTORY)
ROLE_MESSAGE = {ORDER: "CEB311", PAYMENT: "CEB411", WAYBILL: "CEB511", INVENTORY: "CEB621"}
_ENTERPRISE_CODE = re.compile(r"[0-9A-Z]{10}|[0-9A-Z]{18}")
_ENTERPRISE_FIELDS = (
    "ebpCode",
    "ebcCode",
    "payCode",
    "logisticsCode",
    "agentCode",
    "assureCode",
    "areaCode",
)


# How each role reads in a detail: the English keeps the role's own name.
ROLE_TEXT: dict[str, Text] = {
    ORDER: Text(ORDER, "订单"),
    PAYMENT: Text(PAYMENT, "支付单"),
    WAYBILL: Text(WAYBILL, "运单"),
    INVENTORY: Text(INVENTORY, "清单"),
    "list": Text("list", "清单"),
}


def _role(role: str | Text) -> Text:
    return role if isinstance(role, Text) else ROLE_TEXT.get(role, Text.same(role))


def _label(role: str) -> Text:
    return _LABELS[role]


# "order (CEB311)": fixed per role, so worded once.
_LABELS: dict[str, Text] = {
    role: Text(f"{_role(role).en} ({message})", f"{_role(role).zh}（{message}）")
    for role, message in ROLE_MESSAGE.items()
}


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far two amounts may differ, as a percentage of the expected one (0 = exact)."""

    percent: Decimal = Decimal(0)

    def agrees(self, expected: Decimal, actual: Decimal) -> bool:
        if not self.percent:  # exact (the default): the same test without the arithmetic
            return round_money(actual) == round_money(expected)
        difference = abs(round_money(actual) - round_money(expected))
        return difference <= abs(expected) * self.percent / 100


EXACT = Tolerance()


@dataclass(frozen=True, slots=True)
class MatchingContext:
    """Reference data the messages do not carry; the service supplies it."""

    tolerance: Tolerance = EXACT
    expected_tax: Decimal | None = None
    annual_total_before: Decimal | None = None
    registered_enterprises: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class OrderSet:
    order: Document | None = None
    payment: Document | None = None
    waybill: Document | None = None
    inventory: Document | None = None
    # The head of each message that has arrived, by role in ``ROLES`` order: every check reads
    # them, so they are looked up once per set.
    heads: Mapping[str, Record] = dataclasses.field(init=False, repr=False, compare=False)
    # The same heads' fields by name, for the checks that compare many of them.
    head_fields: Mapping[str, Mapping[str, str]] = dataclasses.field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        documents = (self.order, self.payment, self.waybill, self.inventory)
        heads = {
            role: document.head
            for role, document in zip(ROLES, documents, strict=True)
            if document is not None
        }
        object.__setattr__(self, "heads", heads)
        object.__setattr__(self, "head_fields", {r: head.by_name for r, head in heads.items()})

    def head(self, role: str) -> Record | None:
        return self.heads.get(role)

    def missing(self, *roles: str) -> list[str]:
        return [role for role in roles if role not in self.heads]


class ClearanceStatus(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    RELEASED = "released"


RETURN_STATUS: dict[ClearanceStatus, CustomsStatus | None] = {
    ClearanceStatus.PENDING: None,
    ClearanceStatus.REJECTED: CustomsStatus.REJECTED,
    ClearanceStatus.ACCEPTED: CustomsStatus.ACCEPTED,
    ClearanceStatus.RELEASED: CustomsStatus.RELEASED,
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool | None
    detail: str
    detail_zh: str
    waiting: bool = False  # passed is None because a counterpart has not arrived

    @classmethod
    def of(
        cls, name: str, passed: bool | None, text: Text, *, waiting: bool = False
    ) -> CheckResult:
        return cls(name, passed, text.en, text.zh, waiting)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "detail": self.detail,
            "detail_zh": self.detail_zh,
        }


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: ClearanceStatus
    checks: tuple[CheckResult, ...]

    @property
    def released(self) -> bool:
        return self.status is ClearanceStatus.RELEASED

    @property
    def return_status(self) -> str | None:
        code = RETURN_STATUS[self.status]
        return code.value if code is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "released": self.released,
            "status": self.status.value,
            "return_status": self.return_status,
            "checks": [check.as_dict() for check in self.checks],
        }


def _outcome(
    name: str, problems: list[Text], waiting: list[str], passed_detail: Text
) -> CheckResult:
    if problems:
        return CheckResult.of(name, False, Text.join(problems))
    if waiting:
        labels = Text.join((_label(role) for role in waiting), ", ", "、")
        return CheckResult.of(name, None, render("match.waiting", labels=labels), waiting=True)
    return _fixed_result(name, True, passed_detail)


@lru_cache(maxsize=256)
def _fixed_result(name: str, passed: bool | None, detail: Text) -> CheckResult:
    """The result of a check whose detail is a fixed sentence (its ``.passed`` one, mostly):
    made once and shared, as results are frozen."""
    return CheckResult.of(name, passed, detail)


_NOTHING = Text("", "")


def _shown(role: str | Text, value: str | Text) -> Text:
    return render("match.value", role=_role(role), value=value or render("match.empty"))


def _disagreement(field: str | Text, values: dict[str, str]) -> Text | None:
    """A sentence when the roles' values of ``field`` are not all equal."""
    if len(set(values.values())) <= 1:
        return None
    shown = Text.join((_shown(role, value) for role, value in values.items()), ", ", "，")
    return render("match.differs", field=field, shown=shown)


Comparison = tuple[str | Text, Mapping[str, str]]  # a label and the field it names by role


def _compare_fields(orders: OrderSet, fields: Iterable[Comparison]) -> list[Text]:
    """Compare, for each label, the named field of each role that is present."""
    problems = []
    heads = orders.head_fields
    for label, field_by_role in fields:
        if _all_equal(heads, field_by_role):
            continue  # the usual case: the values by role are needed only to word a difference
        values = {
            role: heads[role].get(name) or ""
            for role, name in field_by_role.items()
            if role in heads
        }
        problem = _disagreement(label, values)
        if problem:
            problems.append(problem)
    return problems


def _all_equal(heads: Mapping[str, Mapping[str, str]], field_by_role: Mapping[str, str]) -> bool:
    """Whether the roles present give their field the same value (an absent field is empty).

    A plain loop that stops at the first difference: the hot path of matching."""
    first: str | None = None
    for role, name in field_by_role.items():
        values = heads.get(role)
        if values is None:
            continue
        value = values.get(name) or ""
        if first is None:
            first = value
        elif value != first:
            return False
    return True


def _money_disagreement(
    label: str | Text,
    expected_role: str | Text,
    expected: Decimal,
    role: str | Text,
    actual: Decimal,
    tolerance: Tolerance,
) -> Text | None:
    if tolerance.agrees(expected, actual):
        return None
    return _money_difference(label, expected_role, expected, role, actual)


def _money_difference(
    label: str | Text,
    expected_role: str | Text,
    expected: Decimal,
    role: str | Text,
    actual: Decimal,
) -> Text:
    shown = Text.join(
        [_shown(expected_role, format_money(expected)), _shown(role, format_money(actual))],
        ", ",
        "，",
    )
    return render("match.differs", field=label, shown=shown)


def _amount(record: Record, name: str) -> Decimal:
    return record.decimal(name) or Decimal(0)


# M1 ---------------------------------------------------------------------------------------


# The fields each check compares are fixed: built once, not on every call.
_KEYS: tuple[Comparison, ...] = (
    ("orderNo", {ORDER: "orderNo", PAYMENT: "orderNo", WAYBILL: "orderNo", INVENTORY: "orderNo"}),
    ("ebpCode", {ORDER: "ebpCode", PAYMENT: "ebpCode", INVENTORY: "ebpCode"}),
    ("logisticsNo", {WAYBILL: "logisticsNo", INVENTORY: "logisticsNo"}),
    ("logisticsCode", {WAYBILL: "logisticsCode", INVENTORY: "logisticsCode"}),
)


def check_keys(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(orders, _KEYS)
    detail = render("match.keys.passed")
    return _outcome("keys", problems, orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY), detail)


# M2 ---------------------------------------------------------------------------------------


_BUYER: tuple[Comparison, ...] = tuple(
    (name, {ORDER: name, INVENTORY: name})
    for name in ("buyerIdType", "buyerIdNumber", "buyerName", "buyerTelephone")
)
_PAYER: tuple[Comparison, ...] = (
    (Text("identity type", "证件类型"), {ORDER: "buyerIdType", PAYMENT: "payerIdType"}),
    (Text("identity number", "证件号码"), {ORDER: "buyerIdNumber", PAYMENT: "payerIdNumber"}),
    (Text("name", "姓名"), {ORDER: "buyerName", PAYMENT: "payerName"}),
)


def check_buyer_identity(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(orders, _BUYER)
    order = orders.head(ORDER)
    if order is not None:
        problem = identity_problem(order.text("buyerIdNumber"))
        if problem is not None:
            problems.append(render("match.buyer_id", problem=problem))
    return _outcome(
        "buyer_identity",
        problems,
        orders.missing(ORDER, INVENTORY),
        render("match.buyer_identity.passed"),
    )


def check_payer_identity(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(orders, _PAYER)
    return _outcome(
        "payer_identity",
        problems,
        orders.missing(ORDER, PAYMENT),
        render("match.payer_identity.passed"),
    )


# M3 ---------------------------------------------------------------------------------------


_PAID_SUM = Text("goods + freight + tax - discount", "货值 + 运费 + 税款 - 非现金抵扣")
_AMOUNT_PAID = Text("amount paid", "支付金额")


def check_amounts(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[Text] = []
    order, payment = orders.head(ORDER), orders.head(PAYMENT)
    if order is not None:
        paid = _amount(order, "acturalPaid")
        expected = (
            _amount(order, "goodsValue")
            + _amount(order, "freight")
            + _amount(order, "taxTotal")
            - _amount(order, "discount")
        )
        problem = _money_disagreement(
            "acturalPaid",
            _PAID_SUM,
            expected,
            ORDER,
            paid,
            context.tolerance,
        )
        if problem:
            problems.append(problem)
        if payment is not None:
            problem = _money_disagreement(
                _AMOUNT_PAID,
                ORDER,
                paid,
                PAYMENT,
                _amount(payment, "amountPaid"),
                context.tolerance,
            )
            if problem:
                problems.append(problem)
    return _outcome(
        "amounts",
        problems,
        orders.missing(ORDER, PAYMENT),
        render("match.amounts.passed"),
    )


# M4 ---------------------------------------------------------------------------------------


_LINE_SUM = Text("sum of the order lines", "订单表体合计")


def check_goods(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[Text] = []
    if orders.order is not None:
        head = orders.order.head
        line_sum = sum((_amount(line, "totalPrice") for line in orders.order.lines), Decimal(0))
        problem = _money_disagreement(
            "goodsValue",
            _LINE_SUM,
            line_sum,
            ORDER,
            _amount(head, "goodsValue"),
            context.tolerance,
        )
        if problem:
            problems.append(problem)
        if orders.inventory is not None:
            problems.extend(_line_differences(orders.order, orders.inventory, context.tolerance))
    return _outcome(
        "goods",
        problems,
        orders.missing(ORDER, INVENTORY),
        render("match.goods.passed"),
    )


def _line_differences(order: Document, inventory: Document, tolerance: Tolerance) -> list[Text]:
    if len(order.lines) != len(inventory.lines):
        return [render("match.line_count", order=len(order.lines), inventory=len(inventory.lines))]
    problems = []
    for index, (ordered, listed) in enumerate(
        zip(order.lines, inventory.lines, strict=True), start=1
    ):
        if ordered.text("itemNo") != listed.text("itemNo"):
            problems.append(
                render(
                    "match.differs",
                    field=render("match.line_field", index=index, field="itemNo"),
                    shown=Text.join(
                        [
                            _shown(ORDER, ordered.text("itemNo")),
                            _shown("list", listed.text("itemNo")),
                        ],
                        ", ",
                        "，",
                    ),
                )
            )
        if _amount(ordered, "qty") != _amount(listed, "qty"):
            problems.append(
                render(
                    "match.differs",
                    field=render("match.line_field", index=index, field="qty"),
                    shown=Text.join(
                        [_shown(ORDER, ordered.text("qty")), _shown("list", listed.text("qty"))],
                        ", ",
                        "，",
                    ),
                )
            )
        ordered_total, listed_total = _amount(ordered, "totalPrice"), _amount(listed, "totalPrice")
        if not tolerance.agrees(ordered_total, listed_total):  # the label is worded only then
            problems.append(
                _money_difference(
                    render("match.line_field", index=index, field="totalPrice"),
                    ORDER,
                    ordered_total,
                    "list",
                    listed_total,
                )
            )
    return problems


# M5 ---------------------------------------------------------------------------------------


def _money_agreement(
    orders: OrderSet, label: str, field: str, roles: tuple[str, ...], tolerance: Tolerance
) -> list[Text]:
    heads = orders.heads
    values = [(role, _amount(heads[role], field)) for role in roles if role in heads]
    if len(values) < 2:
        return []
    first_role, first = values[0]
    problems = []
    for role, value in values[1:]:
        problem = _money_disagreement(label, first_role, first, role, value, tolerance)
        if problem:
            problems.append(problem)
    return problems


def check_freight(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = [
        *_money_agreement(
            orders, "freight", "freight", (ORDER, WAYBILL, INVENTORY), context.tolerance
        ),
        *_money_agreement(
            orders, "insuredFee", "insuredFee", (WAYBILL, INVENTORY), context.tolerance
        ),
    ]
    return _outcome(
        "freight",
        problems,
        orders.missing(ORDER, WAYBILL, INVENTORY),
        render("match.freight.passed"),
    )


# M6 ---------------------------------------------------------------------------------------


_CONSIGNEE: tuple[Comparison, ...] = tuple(
    (name, {ORDER: name, WAYBILL: name})
    for name in ("consignee", "consigneeTelephone", "consigneeAddress")
)


def check_consignee(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(orders, _CONSIGNEE)
    return _outcome(
        "consignee",
        problems,
        orders.missing(ORDER, WAYBILL),
        render("match.consignee.passed"),
    )


# M7 ---------------------------------------------------------------------------------------


def check_limits(orders: OrderSet, context: MatchingContext) -> CheckResult:
    if orders.order is None:
        return _outcome("limits", [], [ORDER], _NOTHING)
    order = orders.order.head
    fee_source = orders.head(INVENTORY) or orders.head(WAYBILL)
    if fee_source is None:
        return _outcome("limits", [], orders.missing(WAYBILL, INVENTORY), _NOTHING)
    declared = parse_timestamp(order.text("appTime"))
    if declared is None:
        return CheckResult.of("limits", False, render("match.limits.app_time"))
    day = declared.date()
    if day < REGIMES[0].effective_from:
        first = REGIMES[0]
        return CheckResult.of(
            "limits",
            False,
            render(
                "match.limits.before_policy",
                day=day.isoformat(),
                instrument=first.instrument,
                start=first.effective_from.isoformat(),
            ),
        )
    regime = regime_on(day, field="appTime")
    dutiable = (
        _amount(order, "goodsValue") + _amount(order, "freight") + _amount(fee_source, "insuredFee")
    )
    lines = orders.order.lines
    single_item = len(lines) == 1 and _amount(lines[0], "qty") == 1
    if dutiable > regime.transaction_limit and not single_item:
        return CheckResult.of(
            "limits",
            False,
            render(
                "match.limits.over_transaction",
                dutiable=format_money(dutiable),
                limit=regime.transaction_limit,
                instrument=regime.instrument,
            ),
        )
    if context.annual_total_before is None:
        return CheckResult.of(
            "limits",
            None,
            render("match.limits.no_annual", dutiable=format_money(dutiable)),
        )
    after = context.annual_total_before + dutiable
    if after > regime.annual_limit:
        return CheckResult.of(
            "limits",
            False,
            render(
                "match.limits.over_annual",
                after=format_money(after),
                limit=regime.annual_limit,
                instrument=regime.instrument,
            ),
        )
    return CheckResult.of(
        "limits",
        True,
        render(
            "match.limits.passed",
            dutiable=format_money(dutiable),
            after=format_money(after),
            transaction=regime.transaction_limit,
            annual=regime.annual_limit,
            instrument=regime.instrument,
        ),
    )


# M8 ---------------------------------------------------------------------------------------


_RECOMPUTED = Text("recomputed", "复核计算")


def check_tax(orders: OrderSet, context: MatchingContext) -> CheckResult:
    if orders.order is None:
        return _outcome("tax", [], [ORDER], _NOTHING)
    declared = _amount(orders.order.head, "taxTotal")
    if context.expected_tax is None:
        return CheckResult.of(
            "tax",
            None,
            render("match.tax.not_recomputed", declared=format_money(declared)),
        )
    problem = _money_disagreement(
        "taxTotal",
        _RECOMPUTED,
        context.expected_tax,
        ORDER,
        declared,
        context.tolerance,
    )
    if problem:
        return CheckResult.of("tax", False, problem)
    return CheckResult.of("tax", True, render("match.tax.passed", declared=format_money(declared)))


# M9 ---------------------------------------------------------------------------------------


def check_enterprise_codes(orders: OrderSet, context: MatchingContext) -> CheckResult:
    pairs: list[Comparison] = [("ebcCode", {ORDER: "ebcCode", INVENTORY: "ebcCode"})]
    order = orders.head(ORDER)
    for name in ("payCode", "payTransactionId"):
        # Optional in the order: compared with the payment only when the order gives them.
        if order is not None and order.get(name):
            pairs.append((name, {ORDER: name, PAYMENT: name}))
    problems = _compare_fields(orders, pairs)
    codes = _enterprise_codes(orders)
    problems.extend(
        render("match.code_malformed", field=field, code=code)
        for field, code in codes
        if not _ENTERPRISE_CODE.fullmatch(code)
    )
    registry = context.registered_enterprises
    if registry is not None:
        problems.extend(
            render("match.code_unregistered", field=field, code=code)
            for field, code in codes
            if code not in registry
        )
    waiting = orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY)
    if not problems and not waiting and registry is None:
        return _fixed_result(
            "enterprise_codes", None, render("match.enterprise_codes.unregistered")
        )
    return _outcome("enterprise_codes", problems, waiting, render("match.enterprise_codes.passed"))


def _enterprise_codes(orders: OrderSet) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for values in orders.head_fields.values():  # in role order
        for name in _ENTERPRISE_FIELDS:
            code = values.get(name)
            if code and code not in found:
                found[code] = name
    return [(name, code) for code, name in found.items()]


# M10 --------------------------------------------------------------------------------------


def check_timing(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[Text] = []
    inventory = orders.head(INVENTORY)
    listed = parse_timestamp(inventory.text("appTime")) if inventory is not None else None
    if inventory is not None and listed is None:
        problems.append(render("match.timing.list_time"))
    if listed is not None:
        for role, field in (
            (ORDER, "appTime"),
            (PAYMENT, "appTime"),
            (PAYMENT, "payTime"),
            (WAYBILL, "appTime"),
        ):
            head = orders.head(role)
            if head is None:
                continue
            moment = parse_timestamp(head.text(field))
            if moment is None:
                problems.append(render("match.timing.bad_time", role=_role(role), field=field))
            elif moment > listed:
                problems.append(
                    render(
                        "match.timing.after",
                        role=_role(role),
                        field=field,
                        value=head.text(field),
                        listed=inventory.text("appTime") if inventory else "",
                    )
                )
    return _outcome(
        "timing",
        problems,
        orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY),
        render("match.timing.passed"),
    )


Check = Callable[[OrderSet, MatchingContext], CheckResult]
CHECKS: tuple[Check, ...] = (
    check_keys,
    check_buyer_identity,
    check_payer_identity,
    check_amounts,
    check_goods,
    check_freight,
    check_consignee,
    check_limits,
    check_tax,
    check_enterprise_codes,
    check_timing,
)


def check_orders(
    order: Document | None,
    payment: Document | None,
    waybill: Document | None,
    inventory: Document | None,
    *,
    context: MatchingContext | None = None,
) -> MatchResult:
    """Run every check on the messages that have arrived (None for one still missing)."""
    orders = OrderSet(order, payment, waybill, inventory)
    if not orders.heads:
        raise validation_error("order", "at least one of the four messages is required")
    given = context or MatchingContext()
    results = tuple(check(orders, given) for check in CHECKS)
    return MatchResult(clearance_status(results), results)


def clearance_status(results: Iterable[CheckResult]) -> ClearanceStatus:
    collected = list(results)
    if any(result.passed is False for result in collected):
        return ClearanceStatus.REJECTED
    if any(result.waiting for result in collected):
        return ClearanceStatus.PENDING
    if any(result.passed is None for result in collected):
        return ClearanceStatus.ACCEPTED
    return ClearanceStatus.RELEASED


def document_for(role: str, message: CebMessage | None) -> Document | None:
    """The one document of ``message`` checked in ``role``; None passes through."""
    if message is None:
        return None
    expected = ROLE_MESSAGE[role]
    if message.message_type != expected:
        raise validation_error(role, f"must be a {expected} message, not {message.message_type}")
    if len(message.documents) != 1:
        raise validation_error(
            role, f"holds {len(message.documents)} documents; matching takes one at a time"
        )
    return message.documents[0]
