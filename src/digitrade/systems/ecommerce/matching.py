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

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from digitrade.core.errors import ValidationFailed, validation_error
from digitrade.systems.ecommerce.ceb.codes import CustomsStatus
from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Record
from digitrade.systems.ecommerce.ceb.validation import parse_timestamp
from digitrade.systems.ecommerce.identity import identity_number_problem
from digitrade.systems.ecommerce.money import format_money, round_money
from digitrade.systems.ecommerce.tax.limits import regime_on

ORDER, PAYMENT, WAYBILL, INVENTORY = "order", "payment", "waybill", "inventory"
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


def _label(role: str) -> str:
    return f"{role} ({ROLE_MESSAGE[role]})"


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far two amounts may differ, as a percentage of the expected one (0 = exact)."""

    percent: Decimal = Decimal(0)

    def agrees(self, expected: Decimal, actual: Decimal) -> bool:
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

    def head(self, role: str) -> Record | None:
        document: Document | None = getattr(self, role)
        return document.head if document is not None else None

    def missing(self, *roles: str) -> list[str]:
        return [role for role in roles if getattr(self, role) is None]


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
    waiting: bool = False  # passed is None because a counterpart has not arrived

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


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


def _outcome(name: str, problems: list[str], waiting: list[str], passed_detail: str) -> CheckResult:
    if problems:
        return CheckResult(name, False, "; ".join(problems))
    if waiting:
        labels = ", ".join(_label(role) for role in waiting)
        return CheckResult(name, None, f"waiting for the {labels}", waiting=True)
    return CheckResult(name, True, passed_detail)


def _disagreement(field: str, values: dict[str, str]) -> str | None:
    """A sentence when the roles' values of ``field`` are not all equal."""
    if len(set(values.values())) <= 1:
        return None
    shown = ", ".join(f"{role} {value or '(empty)'}" for role, value in values.items())
    return f"{field} differs: {shown}"


def _compare_fields(orders: OrderSet, fields: Iterable[tuple[str, dict[str, str]]]) -> list[str]:
    """Compare, for each label, the named field of each role that is present."""
    problems = []
    heads = {
        role: head.by_name
        for role in (ORDER, PAYMENT, WAYBILL, INVENTORY)
        if (head := orders.head(role)) is not None
    }
    for label, field_by_role in fields:
        values = {
            role: heads[role].get(field) or ""
            for role, field in field_by_role.items()
            if role in heads
        }
        if len(set(values.values())) <= 1:
            continue
        problem = _disagreement(label, values)
        if problem:
            problems.append(problem)
    return problems


def _money_disagreement(
    label: str,
    expected_role: str,
    expected: Decimal,
    role: str,
    actual: Decimal,
    tolerance: Tolerance,
) -> str | None:
    if tolerance.agrees(expected, actual):
        return None
    return (
        f"{label} differs: {expected_role} {format_money(expected)}, {role} {format_money(actual)}"
    )


def _amount(record: Record, field: str) -> Decimal:
    return record.decimal(field) or Decimal(0)


# M1 ---------------------------------------------------------------------------------------


def check_keys(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(
        orders,
        [
            (
                "orderNo",
                {ORDER: "orderNo", PAYMENT: "orderNo", WAYBILL: "orderNo", INVENTORY: "orderNo"},
            ),
            ("ebpCode", {ORDER: "ebpCode", PAYMENT: "ebpCode", INVENTORY: "ebpCode"}),
            ("logisticsNo", {WAYBILL: "logisticsNo", INVENTORY: "logisticsNo"}),
            ("logisticsCode", {WAYBILL: "logisticsCode", INVENTORY: "logisticsCode"}),
        ],
    )
    detail = (
        "orderNo and ebpCode link the order, payment and list; logisticsNo and logisticsCode "
        "link the waybill and list"
    )
    return _outcome("keys", problems, orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY), detail)


# M2 ---------------------------------------------------------------------------------------


def check_buyer_identity(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(
        orders,
        [
            (field, {ORDER: field, INVENTORY: field})
            for field in ("buyerIdType", "buyerIdNumber", "buyerName", "buyerTelephone")
        ],
    )
    order = orders.head(ORDER)
    if order is not None:
        problem = identity_number_problem(order.text("buyerIdNumber"))
        if problem is not None:
            problems.append(f"buyerIdNumber {problem}")
    return _outcome(
        "buyer_identity",
        problems,
        orders.missing(ORDER, INVENTORY),
        "the list's buyer is the order's buyer, with a well-formed resident ID number",
    )


def check_payer_identity(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(
        orders,
        [
            ("identity type", {ORDER: "buyerIdType", PAYMENT: "payerIdType"}),
            ("identity number", {ORDER: "buyerIdNumber", PAYMENT: "payerIdNumber"}),
            ("name", {ORDER: "buyerName", PAYMENT: "payerName"}),
        ],
    )
    return _outcome(
        "payer_identity",
        problems,
        orders.missing(ORDER, PAYMENT),
        "the payer is the buyer: same name and identity number",
    )


# M3 ---------------------------------------------------------------------------------------


def check_amounts(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[str] = []
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
            "goods + freight + tax - discount",
            expected,
            ORDER,
            paid,
            context.tolerance,
        )
        if problem:
            problems.append(problem)
        if payment is not None:
            problem = _money_disagreement(
                "amount paid",
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
        "the payment equals acturalPaid = goods + freight + tax - discount",
    )


# M4 ---------------------------------------------------------------------------------------


def check_goods(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[str] = []
    if orders.order is not None:
        head = orders.order.head
        line_sum = sum((_amount(line, "totalPrice") for line in orders.order.lines), Decimal(0))
        problem = _money_disagreement(
            "goodsValue",
            "sum of the order lines",
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
        "the order lines add up to goodsValue; the list has the same items, quantities, totals",
    )


def _line_differences(order: Document, inventory: Document, tolerance: Tolerance) -> list[str]:
    if len(order.lines) != len(inventory.lines):
        return [f"the order has {len(order.lines)} lines, the list {len(inventory.lines)}"]
    problems = []
    for index, (ordered, listed) in enumerate(
        zip(order.lines, inventory.lines, strict=True), start=1
    ):
        if ordered.text("itemNo") != listed.text("itemNo"):
            problems.append(
                f"line {index} itemNo differs: order {ordered.text('itemNo') or '(empty)'}, "
                f"list {listed.text('itemNo') or '(empty)'}"
            )
        if _amount(ordered, "qty") != _amount(listed, "qty"):
            problems.append(
                f"line {index} qty differs: order {ordered.text('qty')}, list {listed.text('qty')}"
            )
        problem = _money_disagreement(
            f"line {index} totalPrice",
            ORDER,
            _amount(ordered, "totalPrice"),
            "list",
            _amount(listed, "totalPrice"),
            tolerance,
        )
        if problem:
            problems.append(problem)
    return problems


# M5 ---------------------------------------------------------------------------------------


def _money_agreement(
    orders: OrderSet, label: str, field: str, roles: tuple[str, ...], tolerance: Tolerance
) -> list[str]:
    present = [(role, orders.head(role)) for role in roles]
    values = [(role, _amount(head, field)) for role, head in present if head is not None]
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
        "freight and insurance agree across the order, waybill and list",
    )


# M6 ---------------------------------------------------------------------------------------


def check_consignee(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems = _compare_fields(
        orders,
        [
            (field, {ORDER: field, WAYBILL: field})
            for field in ("consignee", "consigneeTelephone", "consigneeAddress")
        ],
    )
    return _outcome(
        "consignee",
        problems,
        orders.missing(ORDER, WAYBILL),
        "consignee name, telephone and address are the waybill's",
    )


# M7 ---------------------------------------------------------------------------------------


def check_limits(orders: OrderSet, context: MatchingContext) -> CheckResult:
    if orders.order is None:
        return _outcome("limits", [], [ORDER], "")
    order = orders.order.head
    fee_source = orders.head(INVENTORY) or orders.head(WAYBILL)
    if fee_source is None:
        return _outcome("limits", [], orders.missing(WAYBILL, INVENTORY), "")
    declared = parse_timestamp(order.text("appTime"))
    if declared is None:
        return CheckResult("limits", False, "the order's appTime is not a YYYYMMDDhhmmss time")
    try:
        regime = regime_on(declared.date(), field="appTime")
    except ValidationFailed as exc:
        return CheckResult("limits", False, exc.detail)
    dutiable = (
        _amount(order, "goodsValue") + _amount(order, "freight") + _amount(fee_source, "insuredFee")
    )
    lines = orders.order.lines
    single_item = len(lines) == 1 and _amount(lines[0], "qty") == 1
    if dutiable > regime.transaction_limit and not single_item:
        return CheckResult(
            "limits",
            False,
            f"dutiable value {format_money(dutiable)} exceeds the RMB {regime.transaction_limit:,} "
            f"transaction limit and the order is not a single item ({regime.instrument})",
        )
    if context.annual_total_before is None:
        return CheckResult(
            "limits",
            None,
            f"dutiable value {format_money(dutiable)} is within the transaction limit; the annual "
            "total was not checked: no annual total supplied",
        )
    after = context.annual_total_before + dutiable
    if after > regime.annual_limit:
        return CheckResult(
            "limits",
            False,
            f"annual total {format_money(after)} would exceed the RMB {regime.annual_limit:,} "
            f"annual limit ({regime.instrument})",
        )
    return CheckResult(
        "limits",
        True,
        f"dutiable value {format_money(dutiable)}, annual total {format_money(after)}: within "
        f"RMB {regime.transaction_limit:,} and {regime.annual_limit:,} ({regime.instrument})",
    )


# M8 ---------------------------------------------------------------------------------------


def check_tax(orders: OrderSet, context: MatchingContext) -> CheckResult:
    if orders.order is None:
        return _outcome("tax", [], [ORDER], "")
    declared = _amount(orders.order.head, "taxTotal")
    if context.expected_tax is None:
        return CheckResult(
            "tax",
            None,
            f"taxTotal {format_money(declared)} not recomputed: no expected tax supplied",
        )
    problem = _money_disagreement(
        "taxTotal", "recomputed", context.expected_tax, ORDER, declared, context.tolerance
    )
    if problem:
        return CheckResult("tax", False, problem)
    return CheckResult("tax", True, f"taxTotal {format_money(declared)} equals the recomputed tax")


# M9 ---------------------------------------------------------------------------------------


def check_enterprise_codes(orders: OrderSet, context: MatchingContext) -> CheckResult:
    pairs = [("ebcCode", {ORDER: "ebcCode", INVENTORY: "ebcCode"})]
    order = orders.head(ORDER)
    for field in ("payCode", "payTransactionId"):
        # Optional in the order: compared with the payment only when the order gives them.
        if order is not None and order.get(field):
            pairs.append((field, {ORDER: field, PAYMENT: field}))
    problems = _compare_fields(orders, pairs)
    codes = _enterprise_codes(orders)
    problems.extend(
        f"{field} {code} is neither a 10-character customs code nor an 18-character credit code"
        for field, code in codes
        if not _ENTERPRISE_CODE.fullmatch(code)
    )
    registry = context.registered_enterprises
    if registry is not None:
        problems.extend(
            f"{field} {code} is not registered with customs"
            for field, code in codes
            if code not in registry
        )
    waiting = orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY)
    if not problems and not waiting and registry is None:
        return CheckResult(
            "enterprise_codes",
            None,
            "codes agree and are well formed; registration not checked: no register supplied",
        )
    return _outcome(
        "enterprise_codes", problems, waiting, "codes agree, are well formed and registered"
    )


def _enterprise_codes(orders: OrderSet) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for role in (ORDER, PAYMENT, WAYBILL, INVENTORY):
        head = orders.head(role)
        if head is None:
            continue
        for field in _ENTERPRISE_FIELDS:
            code = head.text(field)
            if code and code not in found:
                found[code] = field
    return [(field, code) for code, field in found.items()]


# M10 --------------------------------------------------------------------------------------


def check_timing(orders: OrderSet, context: MatchingContext) -> CheckResult:
    problems: list[str] = []
    inventory = orders.head(INVENTORY)
    listed = parse_timestamp(inventory.text("appTime")) if inventory is not None else None
    if inventory is not None and listed is None:
        problems.append("the list's appTime is not a YYYYMMDDhhmmss time")
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
                problems.append(f"the {role}'s {field} is not a YYYYMMDDhhmmss time")
            elif moment > listed:
                problems.append(
                    f"the {role}'s {field} {head.text(field)} is after the list's appTime "
                    f"{inventory.text('appTime') if inventory else ''}"
                )
    return _outcome(
        "timing",
        problems,
        orders.missing(ORDER, PAYMENT, WAYBILL, INVENTORY),
        "order, payment and waybill were declared before the list",
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
    if all(document is None for document in (order, payment, waybill, inventory)):
        raise validation_error("order", "at least one of the four messages is required")
    results = tuple(check(orders, context or MatchingContext()) for check in CHECKS)
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
