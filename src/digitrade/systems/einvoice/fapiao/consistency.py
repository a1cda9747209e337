"""Does a fapiao add up? Each inconsistency is one finding, in English and Chinese.

The rules checked, with the tolerances the issuing interfaces use:
- 数量 x 单价 = 金额 within 0.01 (when both are given);
- 税额 = 金额 x 税率, rounded half up to the fen: within 0.01 is rounding (tax-inclusive pricing
  lands one fen off), up to 0.06 is what the issuing software accepts per line (a warning here),
  more is an error; a 免税 or 不征税 line has no tax;
- 合计金额 = sum of 金额, 合计税额 = sum of 税额, 价税合计 = 合计金额 + 合计税额, exactly;
- 价税合计（大写） states the same amount as 价税合计（小写）;
- the seller's and buyer's taxpayer numbers (USCC check character, GB 32100-2015);
- a red-letter fapiao is negative and names the blue one; a blue fapiao is not negative;
- the number's year (digits 1-2) is the year of issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from digitrade.systems.einvoice.fapiao.amount_words import AmountWordsError, parse_amount_in_words
from digitrade.systems.einvoice.fapiao.model import (
    FapiaoLine,
    FapiaoParty,
    FullyDigitalInvoice,
    InvoiceKind,
    RateKind,
)
from digitrade.systems.einvoice.fapiao.uscc import TaxpayerIdKind, uscc_problem

Severity = Literal["error", "warning", "info"]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
LINE_AMOUNT_TOLERANCE = Decimal("0.01")
LINE_TAX_ROUNDING = Decimal("0.01")
# Per-line tax difference the issuing interfaces accept (published API documentation of
# issuing software; not an STA text we could read).
LINE_TAX_TOLERANCE = Decimal("0.06")
# 税率 13/9/6 %, 0 % (exports); 征收率 5/3 %, reduced 1 %, 1.5 % (individual housing rental),
# 0.5 % (used-car dealers).
PRC_RATES = frozenset(Decimal(rate) for rate in ("13", "9", "6", "5", "3", "1.5", "1", "0.5", "0"))
_CLASSIFICATION_CODE = re.compile(r"^\d{19}$")


@dataclass(frozen=True)
class Finding:
    """One inconsistency or notable fact of a fapiao."""

    code: str
    """Stable machine-readable kind, e.g. ``line-tax``."""
    field: str
    """Where: ``lines[2].tax_amount``, ``total_amount``, ``seller.tax_id`` ..."""
    severity: Severity
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class LineSums(NamedTuple):
    amount: Decimal
    tax: Decimal

    @property
    def with_tax(self) -> Decimal:
        return self.amount + self.tax


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form: 1000.00 -> 1000, 0.50 -> 0.5."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal


def line_tax(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """税额 of one line: 金额 x 税率, rounded half up to the fen (symmetric for negatives)."""
    return money(amount * rate_percent / 100)


def line_sums(lines: Iterable[FapiaoLine]) -> LineSums:
    amount = tax = ZERO
    for line in lines:
        amount += line.amount
        tax += line.tax_amount
    return LineSums(amount, tax)


def check_consistency(invoice: FullyDigitalInvoice) -> list[Finding]:
    """Every inconsistency found, errors first within each part; empty when all adds up."""
    return [
        *_number_findings(invoice),
        *_party_findings(invoice.seller, "seller", invoice),
        *_party_findings(invoice.buyer, "buyer", invoice),
        *(
            finding
            for index, line in enumerate(invoice.lines)
            for finding in _line_findings(line, f"lines[{index}]", invoice)
        ),
        *_total_findings(invoice),
        *_red_letter_findings(invoice),
    ]


def _number_findings(invoice: FullyDigitalInvoice) -> list[Finding]:
    parts = invoice.number_parts
    if parts is None:
        return []
    findings = []
    if parts.year != invoice.issue_date.year:
        findings.append(
            Finding(
                "number-year",
                "number",
                "warning",
                f"the number starts with year {parts.year % 100:02d}, "
                f"but the invoice is dated {invoice.issue_date.isoformat()}",
                f"发票号码前两位年度 {parts.year % 100:02d} 与开票日期 "
                f"{invoice.issue_date.isoformat()} 不符",
            )
        )
    if parts.region_name is None:
        findings.append(
            Finding(
                "number-region",
                "number",
                "info",
                f"digits 3-4 ({parts.region_code}) are not a province code; "
                "they may be a separately planned city's code",
                f"发票号码第3-4位 {parts.region_code} 不是省级行政区划代码，可能是计划单列市代码",
            )
        )
    return findings


def _party_findings(
    party: FapiaoParty, role: Literal["seller", "buyer"], invoice: FullyDigitalInvoice
) -> list[Finding]:
    role_zh = "销售方" if role == "seller" else "购买方"
    field = f"{role}.tax_id"
    kind = party.tax_id_kind
    if kind is None:
        needed = role == "seller" or invoice.kind is InvoiceKind.SPECIAL_VAT
        if not needed:
            return []
        return [
            Finding(
                "tax-id-missing",
                field,
                "error" if invoice.is_issued else "info",
                f"the {role}'s taxpayer identification number is missing"
                + (" (required on a special VAT invoice)" if role == "buyer" else ""),
                f"缺少{role_zh}纳税人识别号"
                + ("（增值税专用发票必填）" if role == "buyer" else ""),
            )
        ]
    if kind is TaxpayerIdKind.USCC_CHECK_FAILS:
        return [
            Finding(
                "tax-id-check",
                field,
                "error",
                f"the {role}'s unified social credit code {party.tax_id}: "
                f"{uscc_problem(party.tax_id or '')}",
                f"{role_zh}统一社会信用代码 {party.tax_id} 校验码错误（GB 32100-2015）",
            )
        ]
    if kind is TaxpayerIdKind.USCC:
        return []
    what_en = "a citizen identity number" if kind is TaxpayerIdKind.RESIDENT_ID else "not a USCC"
    what_zh = "居民身份证号码" if kind is TaxpayerIdKind.RESIDENT_ID else "不是统一社会信用代码"
    return [
        Finding(
            "tax-id-other",
            field,
            "warning" if role == "seller" and invoice.is_issued else "info",
            f"the {role}'s taxpayer number {party.tax_id} is {what_en}: accepted, please check",
            f"{role_zh}纳税人识别号 {party.tax_id}：{what_zh}，已接受，请核对",
        )
    ]


def _line_findings(line: FapiaoLine, where: str, invoice: FullyDigitalInvoice) -> list[Finding]:
    findings = [*_line_amount_findings(line, where), *_line_tax_findings(line, where)]
    code = line.tax_classification_code
    if code is not None and not _CLASSIFICATION_CODE.match(code):
        findings.append(
            Finding(
                "classification-code",
                f"{where}.tax_classification_code",
                "error",
                f"the tax classification code {code!r} does not have 19 digits",
                f"税收分类编码 {code} 不是19位数字",
            )
        )
    if invoice.is_issued and code is None:
        findings.append(
            Finding(
                "classification-code-missing",
                f"{where}.tax_classification_code",
                "warning",
                "the line has no tax classification code",
                "该行缺少税收分类编码",
            )
        )
    if invoice.is_issued and line.short_name is None:
        findings.append(
            Finding(
                "short-name-missing",
                f"{where}.item_name",
                "warning",
                f"the item name {line.item_name!r} does not start with *short name*",
                f"项目名称 {line.item_name} 未以 *简称* 开头",
            )
        )
    if invoice.kind is InvoiceKind.SPECIAL_VAT and line.rate_kind is RateKind.EXEMPT:
        findings.append(
            Finding(
                "special-vat-exempt",
                f"{where}.rate_kind",
                "warning",
                "a special VAT invoice is not issued for VAT-exempt items",
                "销售免税项目不得开具增值税专用发票",
            )
        )
    return findings


def _line_amount_findings(line: FapiaoLine, where: str) -> list[Finding]:
    if line.quantity is None or line.unit_price is None:
        return []
    product = line.quantity * line.unit_price
    if abs(product - line.amount) <= LINE_AMOUNT_TOLERANCE:
        return []
    return [
        Finding(
            "line-amount",
            f"{where}.amount",
            "error",
            f"quantity {line.quantity} x unit price {line.unit_price} = {money(product)}, "
            f"but the amount is {line.amount}",
            f"数量 {line.quantity} × 单价 {line.unit_price} = {money(product)}，"
            f"与金额 {line.amount} 不符",
        )
    ]


def _line_tax_findings(line: FapiaoLine, where: str) -> list[Finding]:
    field = f"{where}.tax_amount"
    if line.tax_rate is None:
        if line.tax_amount == 0:
            return []
        return [
            Finding(
                "line-tax",
                field,
                "error",
                f"a {line.rate_kind.value} line has tax {line.tax_amount}; it should be 0",
                f"{line.rate_kind.value}项目的税额应为0，实为 {line.tax_amount}",
            )
        ]
    findings = []
    if line.tax_rate not in PRC_RATES:
        findings.append(
            Finding(
                "line-rate",
                f"{where}.tax_rate",
                "warning",
                f"{line.tax_rate_label} is not a current PRC VAT rate or levy rate",
                f"{line.tax_rate_label} 不是现行增值税税率或征收率",
            )
        )
    expected = line_tax(line.amount, line.tax_rate)
    difference = abs(line.tax_amount - expected)
    if difference <= LINE_TAX_ROUNDING:
        return findings
    severity: Severity = "warning" if difference <= LINE_TAX_TOLERANCE else "error"
    findings.append(
        Finding(
            "line-tax",
            field,
            severity,
            f"amount {line.amount} x {line.tax_rate_label} = {expected}, but the tax is "
            f"{line.tax_amount} (difference {difference}; the issuing rules accept 0.06)",
            f"金额 {line.amount} × {line.tax_rate_label} = {expected}，税额为 {line.tax_amount}，"
            f"相差 {difference}（开票规则允许误差0.06）",
        )
    )
    return findings


def _total_findings(invoice: FullyDigitalInvoice) -> list[Finding]:
    sums = line_sums(invoice.lines)
    findings = []
    checks = (
        ("total-amount", "total_amount", invoice.total_amount, sums.amount, "合计金额", "金额"),
        ("total-tax", "total_tax", invoice.total_tax, sums.tax, "合计税额", "税额"),
    )
    for code, field, stated, expected, name_zh, line_zh in checks:
        if stated != expected:
            findings.append(
                Finding(
                    code,
                    field,
                    "error",
                    f"{field.replace('_', ' ')} is {stated}, the lines add up to {expected}",
                    f"{name_zh} {stated} 与各行{line_zh}之和 {expected} 不符",
                )
            )
    expected_with_tax = invoice.total_amount + invoice.total_tax
    if invoice.total_with_tax != expected_with_tax:
        findings.append(
            Finding(
                "total-with-tax",
                "total_with_tax",
                "error",
                f"total with tax is {invoice.total_with_tax}, but total amount + total tax = "
                f"{expected_with_tax}",
                f"价税合计 {invoice.total_with_tax} 不等于合计金额加合计税额 {expected_with_tax}",
            )
        )
    findings.extend(_words_findings(invoice))
    return findings


def _words_findings(invoice: FullyDigitalInvoice) -> list[Finding]:
    words = invoice.total_with_tax_in_words
    try:
        stated = parse_amount_in_words(words)
    except AmountWordsError as exc:
        return [
            Finding(
                "amount-in-words",
                "total_with_tax_in_words",
                "error",
                f"the amount in words cannot be read: {exc}",
                f"价税合计（大写）“{words}”无法识别",
            )
        ]
    if stated == invoice.total_with_tax:
        return []
    return [
        Finding(
            "amount-in-words",
            "total_with_tax_in_words",
            "error",
            f"the amount in words ({words}) says {stated}, the total with tax is "
            f"{invoice.total_with_tax}",
            f"价税合计（大写）“{words}”为 {stated}，与小写 {invoice.total_with_tax} 不符",
        )
    ]


def _red_letter_findings(invoice: FullyDigitalInvoice) -> list[Finding]:
    if invoice.red_letter is None:
        if invoice.total_with_tax >= 0:
            return []
        return [
            Finding(
                "red-letter-missing",
                "red_letter",
                "error",
                "the total is negative but the invoice names no blue invoice it reverses",
                "价税合计为负数，但未注明被红冲的蓝字发票",
            )
        ]
    findings = []
    if invoice.total_with_tax > 0:
        findings.append(
            Finding(
                "red-letter-sign",
                "total_with_tax",
                "error",
                "a red-letter invoice has a negative total, this one is positive",
                "红字发票的价税合计应为负数",
            )
        )
    original = invoice.red_letter.original_invoice_number
    if invoice.is_issued and not re.fullmatch(r"\d{20}", original):
        findings.append(
            Finding(
                "red-letter-original",
                "red_letter.original_invoice_number",
                "warning",
                f"the reversed invoice number {original!r} is not a 20-digit fapiao number",
                f"被红冲蓝字发票号码 {original} 不是20位数电票号码",
            )
        )
    return findings
