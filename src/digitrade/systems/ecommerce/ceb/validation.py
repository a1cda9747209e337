"""Check a CEB message against the field rules of ``spec`` and the arithmetic it must obey.

Findings are ``Issue`` objects with a dotted path (``Order[1].OrderList[2].qty``) and a
sentence. Errors make the message invalid; warnings (a field the standard as known here lacks, a
field out of order) do not, because no official XSD is public to be strict against.

Consistency rules, from the field descriptions of the standard:

- order (CEB311, CEB303): ``goodsValue`` = the sum of ``OrderList/totalPrice``; each line's
  ``totalPrice`` = ``qty`` x ``price``; import ``acturalPaid`` = ``goodsValue`` + ``freight`` +
  ``taxTotal`` - ``discount``. Amounts are compared to the fen.
- lists: ``gnum`` numbers the lines 1, 2, 3... when given.
- bonded lists (CEB621 with 1210/1239, CEB603 with 1210) need ``emsNo``, the in-zone firm
  (``areaCode`` on imports, ``iacCode`` on exports) and each line's ``itemRecordNo``.
- tax bill (CEB816): head taxes = the sums of the list taxes.
- identity numbers of buyers and payers (type 1, resident ID card) pass the GB 11643 check.
- with ``require_signature``, a declared message (``appStatus`` 2) must carry its XML-DSig
  signature; the samples and the synthetic set are unsigned, as messages are before the
  hardware key signs them for transmission.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from digitrade.core.errors import DomainError
from digitrade.core.text import Text
from digitrade.systems.ecommerce.ceb import codes
from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Issue, Record, Severity
from digitrade.systems.ecommerce.ceb.parser import read_message
from digitrade.systems.ecommerce.ceb.spec import (
    BASE_TRANSFER,
    GUID,
    SPECS,
    FieldSpec,
    Kind,
    MessageSpec,
)
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES
from digitrade.systems.ecommerce.identity import identity_problem
from digitrade.systems.ecommerce.money import format_money, round_money
from digitrade.systems.ecommerce.texts import PATTERN_HINTS, render

_NUMBER = re.compile(r"[0-9]{1,14}(\.[0-9]{1,5})?")
_INTEGER = re.compile(r"[0-9]{1,9}")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class ValidationReport:
    message_type: str | None
    guid: str | None
    documents: int
    issues: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        return not any(issue.severity is Severity.ERROR for issue in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is Severity.ERROR)

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_type": self.message_type,
            "guid": self.guid,
            "valid": self.valid,
            "documents": self.documents,
            "issues": [issue.as_dict() for issue in self.issues],
        }


def validate_message(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, require_signature: bool = False
) -> ValidationReport:
    """The report of one message; bytes that cannot be read give a report with one error."""
    try:
        message = read_message(data, max_bytes=max_bytes)
    except DomainError as exc:
        return ValidationReport(None, None, 0, (Issue("/", exc.detail),))
    return ValidationReport(
        message.message_type,
        message.guid,
        len(message.documents),
        tuple(validate(message, require_signature=require_signature)),
    )


def validate(message: CebMessage, *, require_signature: bool = False) -> list[Issue]:
    spec = SPECS[message.message_type]
    issues = list(message.structure_issues)
    issues.extend(_root_attributes(message))
    for index, document in enumerate(message.documents, start=1):
        issues.extend(validate_document(document, spec, f"{spec.body}[{index}]"))
    if message.base_transfer is not None:
        issues.extend(check_record(message.base_transfer, BASE_TRANSFER, "BaseTransfer"))
    elif spec.base_transfer_required:
        issues.append(Issue.of("BaseTransfer", render("ceb.required")))
    if require_signature and not message.signed and _declared(message):
        issues.append(Issue.of("Signature", render("ceb.signature")))
    return issues


def _declared(message: CebMessage) -> bool:
    return any(document.head.get("appStatus") == "2" for document in message.documents)


def _root_attributes(message: CebMessage) -> list[Issue]:
    issues: list[Issue] = []
    if not message.guid:
        issues.append(Issue.of("@guid", render("ceb.required")))
    else:
        issues.extend(_check_value(GUID, message.guid, "@guid"))
    if not message.version:
        issues.append(Issue.of("@version", render("ceb.required")))
    return issues


def validate_document(document: Document, spec: MessageSpec, prefix: str) -> list[Issue]:
    head_path = f"{prefix}.{spec.head}" if spec.head else prefix
    list_path = f"{prefix}.{spec.list_name}" if spec.list_name else prefix
    issues = check_record(document.head, spec.head_fields, head_path)
    if spec.list_name is not None:
        if spec.list_required and not document.lines:
            issues.append(Issue(list_path, "at least one line is required"))
        for index, line in enumerate(document.lines, start=1):
            issues.extend(check_record(line, spec.list_fields, f"{list_path}[{index}]"))
        issues.extend(_line_numbers(document.lines, list_path))
    for rule in CONSISTENCY.get(spec.code, ()):
        issues.extend(rule(document, head_path, list_path))
    return issues


Test = Callable[[str], object]


# One field's rule, prepared once: name, required, allowed codes, maximum length, the pattern's
# fullmatch and a cheap test of the kind (None where there is nothing to test), and its spec
# for the sentence when a test fails.
_Rule = tuple[str, bool, frozenset[str] | None, int | None, Test | None, Test | None, FieldSpec]


@dataclass(frozen=True, slots=True)
class _CompiledRecord:
    """The rules of one record layout, prepared once: field positions and one rule a field."""

    positions: dict[str, int]
    rules: tuple[_Rule, ...]
    # Field-name sequences already seen in order, without repeats or unknown names.
    clean_layouts: set[tuple[str, ...]]


_COMPILED: dict[int, tuple[Sequence[FieldSpec], _CompiledRecord]] = {}
_CLEAN_LAYOUTS_MAX = 256


def _never(value: str) -> bool:
    return False


def _kind_test(kind: Kind) -> Test | None:
    """A cheap test of the kind (None: any text); a receipt time always takes the full check."""
    tests: dict[Kind, Test] = {
        Kind.NUMBER: _NUMBER.fullmatch,
        Kind.INTEGER: _INTEGER.fullmatch,
        Kind.TIMESTAMP: parse_timestamp,
        Kind.DAY: parse_day,
        Kind.RECEIPT_TIME: _never,
    }
    return tests.get(kind)


def _compiled(fields: Sequence[FieldSpec]) -> _CompiledRecord:
    entry = _COMPILED.get(id(fields))
    if entry is not None and entry[0] is fields:
        return entry[1]
    compiled = _CompiledRecord(
        positions={spec.name: position for position, spec in enumerate(fields)},
        rules=tuple(
            (
                spec.name,
                spec.required,
                spec.codes,
                spec.max_length,
                spec.pattern.fullmatch if spec.pattern is not None else None,
                _kind_test(spec.kind),
                spec,
            )
            for spec in fields
        ),
        clean_layouts=set(),
    )
    if isinstance(fields, tuple):  # the specs' own tuples live as long as the process
        _COMPILED[id(fields)] = (fields, compiled)
    return compiled


_NAMES = itemgetter(0)


def check_record(record: Record, fields: Sequence[FieldSpec], path: str) -> list[Issue]:
    compiled = _compiled(fields)
    issues: list[Issue] = []
    layout = tuple(map(_NAMES, record.fields))
    if layout not in compiled.clean_layouts:
        issues.extend(_layout_issues(layout, compiled.positions, path))
        if not issues and len(compiled.clean_layouts) < _CLEAN_LAYOUTS_MAX:
            compiled.clean_layouts.add(layout)
    get = record.by_name.get
    # The cheap tests inline (this loop runs for every field of every message); the sentence
    # of ``_value_problem`` only when one fails.
    for name, required, allowed, max_length, matches, kind_ok, spec in compiled.rules:
        value = get(name)
        if not value:
            if required:
                issues.append(
                    Issue.of(
                        f"{path}.{name}",
                        render("ceb.required" if value is None else "ceb.not_empty"),
                    )
                )
            continue
        if (
            (allowed is None or value in allowed)
            and (max_length is None or len(value) <= max_length)
            and (matches is None or matches(value))
            and (kind_ok is None or kind_ok(value))
        ):
            continue
        problem = _value_problem(spec, value)
        if problem is not None:
            issues.append(Issue.of(f"{path}.{name}", problem))
    return issues


def _layout_issues(layout: tuple[str, ...], positions: dict[str, int], path: str) -> list[Issue]:
    """Repeated fields (errors), unknown and out-of-order fields (warnings)."""
    issues: list[Issue] = []
    seen: set[str] = set()
    last_position = -1
    last_name = ""
    for name in layout:
        if name in seen:
            issues.append(Issue.of(f"{path}.{name}", render("ceb.repeated")))
            continue
        seen.add(name)
        position = positions.get(name)
        if position is None:
            issues.append(Issue.of(f"{path}.{name}", render("ceb.unknown_field"), Severity.WARNING))
            continue
        if position < last_position:
            issues.append(
                Issue.of(
                    f"{path}.{name}", render("ceb.out_of_order", before=last_name), Severity.WARNING
                )
            )
        else:
            last_position, last_name = position, name
    return issues


def _check_value(spec: FieldSpec, value: str, where: str) -> list[Issue]:
    problem = _value_problem(spec, value)
    return [] if problem is None else [Issue.of(where, problem)]


def _value_problem(spec: FieldSpec, value: str) -> Text | None:
    if spec.codes is not None and value not in spec.codes:
        allowed = ", ".join(sorted(spec.codes))
        key = "ceb.code_one" if len(spec.codes) == 1 else "ceb.code_any"
        return render(key, allowed=allowed)
    if spec.max_length is not None and len(value) > spec.max_length:
        return render("ceb.too_long", limit=spec.max_length, length=len(value))
    if spec.pattern is not None and not spec.pattern.fullmatch(value):
        hint = Text(spec.pattern_hint, PATTERN_HINTS.get(spec.pattern_hint, spec.pattern_hint))
        return render("ceb.pattern", hint=hint)
    return _kind_problem(spec.kind, value)


def _kind_problem(kind: Kind, value: str) -> Text | None:
    if kind is Kind.NUMBER and not _NUMBER.fullmatch(value):
        return render("ceb.number")
    if kind is Kind.INTEGER and not _INTEGER.fullmatch(value):
        return render("ceb.integer")
    if kind is Kind.TIMESTAMP:
        return None if parse_timestamp(value) else render("ceb.timestamp")
    if kind is Kind.DAY:
        return None if parse_day(value) else render("ceb.day")
    if kind is Kind.RECEIPT_TIME:
        return (
            None
            if parse_timestamp(value[:14]) and len(value) in {14, 17} and value.isdigit()
            else render("ceb.receipt_time")
        )
    return None


@lru_cache(maxsize=4096)  # an order's times are read by validation, matching and clearing
def parse_timestamp(value: str) -> datetime | None:
    if len(value) != 14 or not _DIGITS.fullmatch(value):
        return None
    try:  # the fields by position: strptime's format machinery costs ten times more
        return datetime(
            int(value[:4]),
            int(value[4:6]),
            int(value[6:8]),
            int(value[8:10]),
            int(value[10:12]),
            int(value[12:14]),
        )
    except ValueError:
        return None


def parse_day(value: str) -> date | None:
    if len(value) != 8 or not _DIGITS.fullmatch(value):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _line_numbers(lines: Sequence[Record], list_path: str) -> list[Issue]:
    issues: list[Issue] = []
    for index, line in enumerate(lines, start=1):
        gnum = line.get("gnum")
        if gnum and _INTEGER.fullmatch(gnum) and int(gnum) != index:
            issues.append(Issue.of(f"{list_path}[{index}].gnum", render("ceb.gnum", index=index)))
    return issues


# Consistency rules --------------------------------------------------------------------------

Rule = Callable[[Document, str, str], list[Issue]]


def _amount(record: Record, name: str) -> Decimal:
    return record.decimal(name) or Decimal(0)


def _money_differs(left: Decimal, right: Decimal) -> bool:
    return round_money(left) != round_money(right)


def line_totals(document: Document, head_path: str, list_path: str) -> list[Issue]:
    issues: list[Issue] = []
    for index, line in enumerate(document.lines, start=1):
        qty, price, total = line.decimal("qty"), line.decimal("price"), line.decimal("totalPrice")
        if qty is None or price is None or total is None:
            continue
        if _money_differs(qty * price, total):
            issues.append(
                Issue.of(
                    f"{list_path}[{index}].totalPrice",
                    render(
                        "ceb.line_total",
                        total=total,
                        qty=qty,
                        price=price,
                        product=format_money(qty * price),
                    ),
                )
            )
    return issues


def goods_value_total(document: Document, head_path: str, list_path: str) -> list[Issue]:
    goods = document.head.decimal("goodsValue")
    totals = [line.decimal("totalPrice") for line in document.lines]
    if goods is None or any(total is None for total in totals):
        return []
    line_sum = sum((total for total in totals if total is not None), Decimal(0))
    if not _money_differs(goods, line_sum):
        return []
    list_name = list_path.rsplit(".", 1)[-1]
    return [
        Issue.of(
            f"{head_path}.goodsValue",
            render(
                "ceb.goods_value",
                goods=format_money(goods),
                list_name=list_name,
                line_sum=format_money(line_sum),
            ),
        )
    ]


def actual_paid_formula(document: Document, head_path: str, list_path: str) -> list[Issue]:
    head = document.head
    paid = head.decimal("acturalPaid")
    if paid is None:
        return []
    expected = (
        _amount(head, "goodsValue")
        + _amount(head, "freight")
        + _amount(head, "taxTotal")
        - _amount(head, "discount")
    )
    if not _money_differs(paid, expected):
        return []
    return [
        Issue.of(
            f"{head_path}.acturalPaid",
            render("ceb.actual_paid", paid=format_money(paid), expected=format_money(expected)),
        )
    ]


def identity_numbers(*fields: tuple[str, str]) -> Rule:
    """GB 11643 check of each (type field, number field) pair whose type is 1."""

    def rule(document: Document, head_path: str, list_path: str) -> list[Issue]:
        issues: list[Issue] = []
        for type_field, number_field in fields:
            number = document.head.get(number_field)
            if document.head.get(type_field) != codes.RESIDENT_ID_CARD or not number:
                continue
            problem = identity_problem(number)
            if problem is not None:
                issues.append(Issue.of(f"{head_path}.{number_field}", problem))
        return issues

    return rule


def bonded_requirements(trade_modes: frozenset[str], zone_firm: str) -> Rule:
    def rule(document: Document, head_path: str, list_path: str) -> list[Issue]:
        head = document.head
        mode = head.get("tradeMode")
        if mode not in trade_modes:
            return []
        issues = [
            Issue.of(f"{head_path}.{name}", render("ceb.bonded_required", mode=mode))
            for name in ("emsNo", zone_firm)
            if not head.get(name)
        ]
        issues.extend(
            Issue.of(f"{list_path}[{index}].itemRecordNo", render("ceb.bonded_required", mode=mode))
            for index, line in enumerate(document.lines, start=1)
            if not line.get("itemRecordNo")
        )
        return issues

    return rule


def tax_bill_totals(document: Document, head_path: str, list_path: str) -> list[Issue]:
    issues: list[Issue] = []
    for name in ("customsTax", "valueAddedTax", "consumptionTax"):
        head_amount = document.head.decimal(name)
        line_amounts = [line.decimal(name) for line in document.lines]
        if head_amount is None or any(amount is None for amount in line_amounts):
            continue
        line_sum = sum((amount for amount in line_amounts if amount is not None), Decimal(0))
        if _money_differs(head_amount, line_sum):
            issues.append(
                Issue.of(
                    f"{head_path}.{name}",
                    render(
                        "ceb.tax_total",
                        name=name,
                        head=format_money(head_amount),
                        line_sum=format_money(line_sum),
                    ),
                )
            )
    return issues


def receipt_status(document: Document, head_path: str, list_path: str) -> list[Issue]:
    status = document.head.get("returnStatus")
    problem = codes.return_status_problem(status) if status else None
    if problem is None:
        return []
    text = render("ceb.return_status", allowed=", ".join(codes.RETURN_STATUSES))
    return [Issue.of(f"{head_path}.returnStatus", text)]


_BUYER_ID = identity_numbers(("buyerIdType", "buyerIdNumber"))
CONSISTENCY: dict[str, tuple[Rule, ...]] = {
    **{spec.code: (receipt_status,) for spec in SPECS.values() if spec.is_receipt},
    "CEB311": (goods_value_total, line_totals, actual_paid_formula, _BUYER_ID),
    "CEB411": (identity_numbers(("payerIdType", "payerIdNumber")),),
    "CEB621": (
        line_totals,
        _BUYER_ID,
        bonded_requirements(codes.BONDED_TRADE_MODES, "areaCode"),
    ),
    "CEB625": (_BUYER_ID,),
    "CEB816": (tax_bill_totals,),
    "CEB303": (goods_value_total, line_totals),
    "CEB603": (line_totals, bonded_requirements(frozenset({"1210"}), "iacCode")),
}
