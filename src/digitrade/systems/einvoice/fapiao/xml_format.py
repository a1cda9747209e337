"""The XML file of a fully digitalised e-invoice, as the e-invoice service platform delivers it.

STA has not published a schema. The element names are the ones seen in real files as handled by
several independent open-source parsers (EInvoice/Header, EInvoiceData/SellerInformation, ...), so
reading is lenient: elements are matched by local name (with or without a namespace), missing
optional elements are fine, and unknown ones are ignored. Writing produces the same structure.

Where the file says a thing twice (EIid and TaxSupervisionInfo/InvoiceNumber, a line's
TotaltaxIncludedAmount), the two are compared and a difference is a finding.

A representation (converted from EN 16931, not issued) is written with a leading
``<Representation>`` element that says so, and without a number or TaxSupervisionInfo.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import ValidationError

from digitrade.systems.einvoice.fapiao.consistency import Finding, check_consistency, plain
from digitrade.systems.einvoice.fapiao.errors import FapiaoFormatError, format_error_from
from digitrade.systems.einvoice.fapiao.model import (
    CHINA_TIME,
    FullyDigitalInvoice,
    InvoiceKind,
    RateKind,
)
from digitrade.systems.einvoice.xmlsafe import parse_xml

ROOT = "EInvoice"
_BLUE, _RED = "Y", "N"
# GeneralOrSpecialVAT label codes seen in real files.
_KIND_CODES = {
    InvoiceKind.SPECIAL_VAT: ("01", "增值税专用发票"),
    InvoiceKind.ORDINARY: ("02", "普通发票"),
}
# A TaxRate without % below this is a fraction (0.13); from it on, a percentage (0.5 = 0.5 %).
_FRACTION_LIMIT = Decimal("0.25")
_RED_LETTER_REMARK = re.compile(r"被红冲蓝字数电票号码[:：]\s*(\d{20})")
_CONFIRMATION_REMARK = re.compile(r"红字发票信息确认单编号[:：]\s*(\d+)")

# --------------------------------------------------------------------------------------------
# reading


def read_xml(data: bytes) -> tuple[FullyDigitalInvoice, list[Finding]]:
    """The fapiao in ``data`` and every inconsistency found in it.

    Raises ``UnreadableXml`` for bytes that are not safe, well-formed XML and
    ``FapiaoFormatError`` for XML that is not a fapiao (wrong root, missing or malformed fields).
    """
    root = parse_xml(data).getroot()
    if _local(root) != ROOT:
        raise FapiaoFormatError(f"the root element is {_local(root)}, not {ROOT}")
    findings: list[Finding] = []
    fields = _invoice_fields(root, findings)
    try:
        invoice = FullyDigitalInvoice.model_validate(fields)
    except ValidationError as exc:
        raise format_error_from(exc, "the XML") from exc
    return invoice, findings + check_consistency(invoice)


def _invoice_fields(root: Any, findings: list[Finding]) -> dict[str, Any]:
    header = _child(root, "Header")
    data = _required(root, "EInvoiceData")
    basic = _required(data, "BasicInformation")
    supervision = _child(root, "TaxSupervisionInfo")
    labels = _child(header, "InherentLabel")
    remarks = _text(_child(data, "AdditionalInformation"), "Remark")
    return {
        "number": _number(header, supervision, findings),
        "issued_at": _issued_at(basic, supervision),
        "kind": _kind(labels, findings),
        "seller": _party(_required(data, "SellerInformation"), "Seller"),
        "buyer": _party(_required(data, "BuyerInformation"), "Buyer"),
        "lines": [
            _line(item, index, findings)
            for index, item in enumerate(_children(data, "IssuItemInformation"))
        ],
        "total_amount": _amount(basic, "TotalAmWithoutTax", required=True),
        "total_tax": _amount(basic, "TotalTaxAm", required=True),
        "total_with_tax": _amount(basic, "TotalTax-includedAmount", required=True),
        "total_with_tax_in_words": _text(basic, "TotalTax-includedAmountInChinese"),
        "remarks": remarks,
        "drawer": _text(basic, "Drawer"),
        "red_letter": _red_letter(data, labels, remarks, findings),
        "tax_bureau_code": _text(supervision, "TaxBureauCode"),
        "tax_bureau_name": _text(supervision, "TaxBureauName"),
        "einvoice_tag": _text(header, "EInvoiceTag"),
        "format_version": _text(header, "Version"),
        "representation": _representation(_child(root, "Representation")),
    }


def _number(header: Any, supervision: Any, findings: list[Finding]) -> str | None:
    eiid = _text(header, "EIid")
    supervised = _text(supervision, "InvoiceNumber")
    if eiid and supervised and eiid != supervised:
        findings.append(
            Finding(
                "number-mismatch",
                "number",
                "error",
                f"Header/EIid {eiid} differs from TaxSupervisionInfo/InvoiceNumber {supervised}",
                f"Header/EIid {eiid} 与 TaxSupervisionInfo/InvoiceNumber {supervised} 不一致",
            )
        )
    return supervised or eiid


def _issued_at(basic: Any, supervision: Any) -> dt.datetime:
    issue_time = _text(supervision, "IssueTime")
    request_time = _text(basic, "RequestTime")
    if issue_time is None and request_time is None:
        raise FapiaoFormatError("the issue time (TaxSupervisionInfo/IssueTime) is missing")
    issued = _datetime(issue_time or request_time or "", "IssueTime")
    # IssueTime often has the date only; RequestTime of the same day gives the time.
    if issue_time and len(issue_time) <= 10 and request_time:
        requested = _datetime(request_time, "RequestTime")
        if requested.date() == issued.date():
            return requested
    return issued


def _datetime(text: str, element: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise FapiaoFormatError(f"{element} {text!r} is not a date or date-time") from exc
    return value if value.tzinfo else value.replace(tzinfo=CHINA_TIME)


def _kind(labels: Any, findings: list[Finding]) -> InvoiceKind:
    label = _child(labels, "GeneralOrSpecialVAT")
    code, name = _text(label, "LabelCode"), _text(label, "LabelName") or ""
    if code == "01" or "专用" in name:
        return InvoiceKind.SPECIAL_VAT
    if code == "02" or "普通" in name:
        return InvoiceKind.ORDINARY
    findings.append(
        Finding(
            "kind-missing",
            "kind",
            "info",
            "the file does not state special or ordinary VAT invoice; read as ordinary",
            "文件未注明增值税专用发票或普通发票，按普通发票读取",
        )
    )
    return InvoiceKind.ORDINARY


def _party(element: Any, prefix: str) -> dict[str, Any]:
    return {
        "name": _text(element, f"{prefix}Name"),
        "tax_id": _text(element, f"{prefix}IdNum"),
        "address": _text(element, f"{prefix}Addr"),
        "telephone": _text(element, f"{prefix}TelNum"),
        "bank_name": _text(element, f"{prefix}BankName"),
        "bank_account": _text(element, f"{prefix}BankAccNum"),
    }


def _line(item: Any, index: int, findings: list[Finding]) -> dict[str, Any]:
    where = f"lines[{index}]"
    rate_kind, rate = _rate(_text(item, "TaxRate"), where)
    amount = _amount(item, "Amount", required=True, where=where)
    tax_element = "ComTaxAm" if _child(item, "ComTaxAm") is not None else "TaxAm"
    # 免税 and 不征税 lines print *** for the tax.
    no_tax = _text(item, tax_element) in (None, "***")
    tax = None if no_tax else _amount(item, tax_element, where=where)
    if tax is None:
        if rate_kind is RateKind.PERCENT:
            raise FapiaoFormatError(f"{where}: the tax amount (ComTaxAm) is missing")
        tax = Decimal("0.00")
    stated_total = _amount(item, "TotaltaxIncludedAmount", where=where)
    if stated_total is not None and amount is not None and stated_total != amount + tax:
        findings.append(
            Finding(
                "line-total",
                f"{where}.amount",
                "error",
                f"the line's total with tax is {stated_total}, amount + tax = {amount + tax}",
                f"该行价税合计 {stated_total} 不等于金额加税额 {amount + tax}",
            )
        )
    return {
        "item_name": _text(item, "ItemName"),
        "specification": _text(item, "SpecMod"),
        "unit": _text(item, "MeaUnits"),
        "quantity": _amount(item, "Quantity", where=where),
        "unit_price": _amount(item, "UnPrice", where=where),
        "amount": amount,
        "rate_kind": rate_kind,
        "tax_rate": rate,
        "tax_amount": tax,
        "tax_classification_code": _text(item, "TaxClassificationCode"),
    }


def parse_tax_rate(text: str | None) -> tuple[RateKind, Decimal | None]:
    """TaxRate as files write it (0.13, 0.130000, 13%, 免税, 不征税) -> kind and percentage."""
    if text is None:
        raise ValueError("the rate (TaxRate) is missing")
    label = text.strip()
    for kind in (RateKind.EXEMPT, RateKind.NOT_TAXABLE):
        if label == kind.value:
            return kind, None
    try:
        if label.endswith("%"):
            return RateKind.PERCENT, Decimal(label[:-1])
        value = Decimal(label)
    except InvalidOperation as exc:
        raise ValueError(f"the rate {text!r} is not a number, 免税 or 不征税") from exc
    return RateKind.PERCENT, (value * 100 if value < _FRACTION_LIMIT else value).normalize()


def _rate(text: str | None, where: str) -> tuple[RateKind, Decimal | None]:
    try:
        return parse_tax_rate(text)
    except ValueError as exc:
        raise FapiaoFormatError(f"{where}: {exc}") from exc


def _red_letter(
    data: Any, labels: Any, remarks: str | None, findings: list[Finding]
) -> dict[str, Any] | None:
    red = _child(_child(data, "SpecificInformation"), "RedEInvoice")
    original = _text(red, "OriginalInvoiceCode")
    confirmation = _text(red, "CreditNoteNumber")
    if original is None and remarks:
        # Some files only write the reversed number into the remark.
        found = _RED_LETTER_REMARK.search(remarks)
        original = found.group(1) if found else None
        confirmed = _CONFIRMATION_REMARK.search(remarks)
        confirmation = confirmation or (confirmed.group(1) if confirmed else None)
    flagged_red = _text(_child(labels, "InIssuType"), "LabelCode") == _RED
    if original is None:
        if flagged_red:
            findings.append(
                Finding(
                    "red-letter-reference",
                    "red_letter",
                    "error",
                    "the file is flagged red-letter but does not name the blue invoice it reverses",
                    "文件标记为红字发票，但未注明被红冲的蓝字发票号码",
                )
            )
        return None
    return {"original_invoice_number": original, "confirmation_number": confirmation}


def _representation(element: Any) -> dict[str, Any] | None:
    if element is None:
        return None
    return {
        "source_standard": _text(element, "SourceStandard") or "EN 16931",
        "source_number": _text(element, "SourceNumber"),
        "source_type_code": _text(element, "SourceTypeCode"),
        "source_currency": _text(element, "SourceCurrency"),
        "exchange_rate": _amount(element, "ExchangeRate"),
        "amounts_currency": _text(element, "AmountsCurrency") or "CNY",
    }


def _amount(parent: Any, name: str, *, required: bool = False, where: str = "") -> Decimal | None:
    text = _text(parent, name)
    if text is None:
        if required:
            raise FapiaoFormatError(f"{where + ': ' if where else ''}{name} is missing")
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise FapiaoFormatError(
            f"{where + ': ' if where else ''}{name} {text!r} is not a number"
        ) from exc


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _children(parent: Any, name: str) -> list[Any]:
    if parent is None:
        return []
    return [c for c in parent if isinstance(c.tag, str) and _local(c) == name]


def _child(parent: Any, name: str) -> Any:
    found = _children(parent, name)
    return found[0] if found else None


def _required(parent: Any, name: str) -> Any:
    element = _child(parent, name)
    if element is None:
        raise FapiaoFormatError(f"the element {name} is missing")
    return element


def _text(parent: Any, name: str) -> str | None:
    element = _child(parent, name)
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


# --------------------------------------------------------------------------------------------
# writing


def write_xml(invoice: FullyDigitalInvoice) -> bytes:
    """The invoice as EInvoice XML (UTF-8, indented)."""
    root = etree.Element(ROOT)
    if invoice.representation is not None:
        _write_representation(root, invoice)
    _write_header(root, invoice)
    data = etree.SubElement(root, "EInvoiceData")
    _write_party(data, "Seller", invoice.seller)
    _write_party(data, "Buyer", invoice.buyer)
    basic = etree.SubElement(data, "BasicInformation")
    _leaf(basic, "TotalAmWithoutTax", _decimal(invoice.total_amount))
    _leaf(basic, "TotalTaxAm", _decimal(invoice.total_tax))
    _leaf(basic, "TotalTax-includedAmount", _decimal(invoice.total_with_tax))
    _leaf(basic, "TotalTax-includedAmountInChinese", invoice.total_with_tax_in_words)
    _leaf(basic, "Drawer", invoice.drawer)
    _leaf(basic, "RequestTime", _timestamp(invoice.issued_at))
    for line in invoice.lines:
        item = etree.SubElement(data, "IssuItemInformation")
        _leaf(item, "ItemName", line.item_name)
        _leaf(item, "SpecMod", line.specification)
        _leaf(item, "MeaUnits", line.unit)
        _leaf(item, "Quantity", _decimal(line.quantity))
        _leaf(item, "UnPrice", _decimal(line.unit_price))
        _leaf(item, "Amount", _decimal(line.amount))
        _leaf(item, "TaxRate", format_tax_rate(line.rate_kind, line.tax_rate))
        _leaf(item, "ComTaxAm", _decimal(line.tax_amount))
        _leaf(item, "TotaltaxIncludedAmount", _decimal(line.amount + line.tax_amount))
        _leaf(item, "TaxClassificationCode", line.tax_classification_code)
    if invoice.red_letter is not None:
        red = etree.SubElement(etree.SubElement(data, "SpecificInformation"), "RedEInvoice")
        _leaf(red, "OriginalInvoiceCode", invoice.red_letter.original_invoice_number)
        _leaf(red, "CreditNoteNumber", invoice.red_letter.confirmation_number)
    if invoice.remarks:
        _leaf(etree.SubElement(data, "AdditionalInformation"), "Remark", invoice.remarks)
    if invoice.is_issued:
        supervision = etree.SubElement(root, "TaxSupervisionInfo")
        _leaf(supervision, "InvoiceNumber", invoice.number)
        _leaf(supervision, "IssueTime", _timestamp(invoice.issued_at))
        _leaf(supervision, "TaxBureauCode", invoice.tax_bureau_code)
        _leaf(supervision, "TaxBureauName", invoice.tax_bureau_name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def format_tax_rate(kind: RateKind, rate: Decimal | None) -> str:
    """The TaxRate text: a fraction as the platform writes it (13 -> 0.13), the word for 免税 and
    不征税, and a percentage from 25 % up, which a fraction could not tell from 0.25 %."""
    if rate is None:
        return kind.value
    if rate >= _FRACTION_LIMIT * 100:
        return f"{plain(rate)}%"
    return f"{plain(rate / 100)}"


def _write_representation(root: Any, invoice: FullyDigitalInvoice) -> None:
    info = invoice.representation
    assert info is not None
    element = etree.SubElement(root, "Representation")
    _leaf(element, "StatementEn", info.statement_en)
    _leaf(element, "StatementZh", info.statement_zh)
    _leaf(element, "SourceStandard", info.source_standard)
    _leaf(element, "SourceNumber", info.source_number)
    _leaf(element, "SourceTypeCode", info.source_type_code)
    _leaf(element, "SourceCurrency", info.source_currency)
    _leaf(element, "ExchangeRate", _decimal(info.exchange_rate))
    _leaf(element, "AmountsCurrency", info.amounts_currency)


def _write_header(root: Any, invoice: FullyDigitalInvoice) -> None:
    header = etree.SubElement(root, "Header")
    _leaf(header, "EIid", invoice.number)
    _leaf(header, "EInvoiceTag", invoice.einvoice_tag)
    _leaf(header, "Version", invoice.format_version)
    labels = etree.SubElement(header, "InherentLabel")
    issue_type = etree.SubElement(labels, "InIssuType")
    _leaf(issue_type, "LabelCode", _RED if invoice.is_red_letter else _BLUE)
    _leaf(issue_type, "LabelName", "是否蓝字发票标志")
    code, name = _KIND_CODES[invoice.kind]
    kind = etree.SubElement(labels, "GeneralOrSpecialVAT")
    _leaf(kind, "LabelCode", code)
    _leaf(kind, "LabelName", name)


def _write_party(data: Any, prefix: str, party: Any) -> None:
    element = etree.SubElement(data, f"{prefix}Information")
    _leaf(element, f"{prefix}IdNum", party.tax_id)
    _leaf(element, f"{prefix}Name", party.name)
    _leaf(element, f"{prefix}Addr", party.address)
    _leaf(element, f"{prefix}TelNum", party.telephone)
    _leaf(element, f"{prefix}BankName", party.bank_name)
    _leaf(element, f"{prefix}BankAccNum", party.bank_account)


def _leaf(parent: Any, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, name).text = text


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")
