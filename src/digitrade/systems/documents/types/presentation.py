"""Examination of a presentation under a documentary credit (UCP 600 and eUCP 2.1).

:func:`examine` checks the documents presented against the credit's terms (the
``documentary-credit.json`` subject) and reports each discrepancy with the UCP 600 or eUCP article
it rests on, in English and Simplified Chinese. The engine is pure: no database, no network, no
clock (the presentation date is an input). Money is handled with :class:`decimal.Decimal` only;
amounts must arrive as decimal strings.

Document summaries (plain mappings):

* bill of lading: ``bill-of-lading-summary.json`` (see ``transport.summary_from_dcsa``);
* commercial invoice: ``number, date, seller, buyer, currency, amount, goodsDescription,
  quantity {value, unit}``; parties are ``{name, ...}`` mappings or plain names;
* certificate of origin: ``certificate-of-origin.json``;
* insurance: ``number, date, effectiveDate?, currency, amount, goodsDescription?``;
* packing list: ``number, date, goodsDescription``.

This is a first-line examiner: it applies the rules that can be decided mechanically. Judgement
calls a document checker makes under ISBP 821 (e.g. whether a misspelling changes the meaning) are
out of scope, and "correspond" / "not conflict" are decided on normalised text, as documented on
each helper.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

DEFAULT_PRESENTATION_DAYS = 21  # UCP 600 Art. 14(c)
DEFAULT_INSURANCE_PERCENT = Decimal(110)  # UCP 600 Art. 28(f)(ii)
ABOUT_TOLERANCE = Decimal(10)  # UCP 600 Art. 30(a)
BULK_QUANTITY_TOLERANCE = Decimal(5)  # UCP 600 Art. 30(b)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Discrepancy:
    code: str
    article: str
    message_en: str
    message_zh: str
    document: str  # commercial_invoice, bill_of_lading, ..., or "presentation"
    field: str


@dataclass(frozen=True)
class Examination:
    complying: bool
    discrepancies: list[Discrepancy]


@dataclass(frozen=True)
class PresentedDocument:
    """One presented document: its data and how it was presented."""

    data: Mapping[str, Any]
    originals: int = 1
    copies: int = 0
    electronic: bool = False  # an electronic record rather than paper (eUCP Art. e3(b))
    corrupted: bool = False  # the record failed its integrity check on receipt (eUCP Art. e12)


@dataclass(frozen=True)
class Presentation:
    presentation_date: date
    commercial_invoice: PresentedDocument | None = None
    bill_of_lading: PresentedDocument | None = None
    # Further sets of transport documents in the same presentation (UCP 600 Art. 31(b)).
    further_bills_of_lading: Sequence[PresentedDocument] = ()
    certificate_of_origin: PresentedDocument | None = None
    insurance: PresentedDocument | None = None
    packing_list: PresentedDocument | None = None
    # eUCP Art. e6(c): the beneficiary's notice that an electronic presentation is complete.
    notice_of_completeness: bool = True


# code -> (article, English template, Chinese template)
RULES: Mapping[str, tuple[str, str, str]] = {
    "PRESENTED_AFTER_EXPIRY": (
        "UCP 600 Art. 6(d)(i), 6(e)",
        "Presented on {presented}, after the credit expired on {expiry}.",
        "交单日期 {presented} 晚于信用证到期日 {expiry}。",
    ),
    "PRESENTED_LATE_AFTER_SHIPMENT": (
        "UCP 600 Art. 14(c)",
        "Presented on {presented}, more than {days} days after the date of shipment {shipped}.",
        "交单日期 {presented} 超过装运日期 {shipped} 后 {days} 天。",
    ),
    "SHIPPED_AFTER_LATEST_DATE": (
        "UCP 600 Art. 14(a); MT700 44C",
        "Shipped on {shipped}, after the latest date of shipment {latest}.",
        "装运日期 {shipped} 晚于最迟装运日 {latest}。",
    ),
    "DOCUMENT_DATED_AFTER_PRESENTATION": (
        "UCP 600 Art. 14(i)",
        "The document is dated {dated}, later than its presentation on {presented}.",
        "单据日期 {dated} 晚于交单日期 {presented}。",
    ),
    "INVOICE_AMOUNT_EXCEEDS_CREDIT": (
        "UCP 600 Art. 18(b), 30(a); MT700 39A",
        "Invoice amount {currency} {amount} exceeds the {maximum} the credit allows.",
        "发票金额 {currency} {amount} 超过信用证允许的最高金额 {maximum}。",
    ),
    "INVOICE_CURRENCY_DIFFERS": (
        "UCP 600 Art. 18(a)(iii)",
        "Invoice is made out in {found}, the credit is in {expected}.",
        "发票币种为 {found}，与信用证币种 {expected} 不符。",
    ),
    "INVOICE_NOT_ISSUED_BY_BENEFICIARY": (
        "UCP 600 Art. 18(a)(i)",
        "Invoice is issued by '{found}', not by the beneficiary '{expected}'.",
        "发票出具人为“{found}”，而非受益人“{expected}”。",
    ),
    "INVOICE_NOT_MADE_OUT_TO_APPLICANT": (
        "UCP 600 Art. 18(a)(ii)",
        "Invoice is made out to '{found}', not to the applicant '{expected}'.",
        "发票抬头为“{found}”，而非申请人“{expected}”。",
    ),
    "INVOICE_GOODS_DO_NOT_CORRESPOND": (
        "UCP 600 Art. 18(c)",
        "The goods description in the invoice does not correspond with that in the credit.",
        "发票中的货物描述与信用证中的描述不一致。",
    ),
    "QUANTITY_OUTSIDE_TOLERANCE": (
        "UCP 600 Art. 30(a), 30(b)",
        "Invoiced quantity {found} {unit} exceeds the {maximum} {unit} the credit allows.",
        "发票数量 {found} {unit} 超过信用证允许的 {maximum} {unit}。",
    ),
    "GOODS_DESCRIPTION_CONFLICTS": (
        "UCP 600 Art. 14(e)",
        "The goods description in this document conflicts with the credit.",
        "本单据的货物描述与信用证中的描述相矛盾。",
    ),
    "PORT_OF_LOADING_DIFFERS": (
        "UCP 600 Art. 20(a)(iii), 14(d); MT700 44E",
        "Port of loading '{found}' is not the port '{expected}' stated in the credit.",
        "装货港“{found}”与信用证规定的“{expected}”不符。",
    ),
    "PORT_OF_DISCHARGE_DIFFERS": (
        "UCP 600 Art. 20(a)(iii), 14(d); MT700 44F",
        "Port of discharge '{found}' is not the port '{expected}' stated in the credit.",
        "卸货港“{found}”与信用证规定的“{expected}”不符。",
    ),
    "CONSIGNEE_DIFFERS": (
        "UCP 600 Art. 14(d); MT700 46A",
        "The bill of lading is consigned '{found}', the credit requires '{expected}'.",
        "提单收货人为“{found}”，信用证要求“{expected}”。",
    ),
    "DATA_CONFLICT": (
        "UCP 600 Art. 14(d)",
        "{field} '{found}' conflicts with '{expected}' in the {other}.",
        "{field}“{found}”与{other_zh}中的“{expected}”相矛盾。",
    ),
    "TRANSPORT_DOCUMENT_NOT_ISSUED": (
        "UCP 600 Art. 20(a)(i)",
        "The bill of lading has status {status}; it is not an issued and signed document.",
        "提单状态为 {status}，不是已签发的单据。",
    ),
    "NOT_SHIPPED_ON_BOARD": (
        "UCP 600 Art. 20(a)(ii)",
        "The bill of lading does not indicate that the goods have been shipped on board.",
        "提单未表明货物已装船。",
    ),
    "TRANSHIPMENT_NOT_ALLOWED": (
        "UCP 600 Art. 20(c)",
        "The bill of lading shows transhipment, which the credit prohibits, and the goods are "
        "not shown as shipped in a container.",
        "提单显示转运，信用证禁止转运，且提单未表明货物以集装箱装运。",
    ),
    "PARTIAL_SHIPMENT_NOT_ALLOWED": (
        "UCP 600 Art. 31(a), 31(b)",
        "The presentation shows a partial shipment, which the credit prohibits.",
        "交单显示分批装运，信用证禁止分批装运。",
    ),
    "DOCUMENT_MISSING": (
        "UCP 600 Art. 14(a); MT700 46A",
        "The credit requires a {title}, which was not presented.",
        "信用证要求的{title_zh}未提交。",
    ),
    "ORIGINALS_SHORT": (
        "UCP 600 Art. 17(a); MT700 46A",
        "{presented} original(s) presented, the credit requires {required}.",
        "提交正本 {presented} 份，信用证要求 {required} 份。",
    ),
    "COPIES_SHORT": (
        "UCP 600 Art. 17(d); MT700 46A",
        "{presented} copy/copies presented, the credit requires {required}.",
        "提交副本 {presented} 份，信用证要求 {required} 份。",
    ),
    "FULL_SET_NOT_PRESENTED": (
        "UCP 600 Art. 20(a)(iv)",
        "{presented} of the {issued} originals issued were presented; the full set is required.",
        "提单签发正本 {issued} 份，仅提交 {presented} 份，须提交全套正本。",
    ),
    "INSURANCE_DATED_AFTER_SHIPMENT": (
        "UCP 600 Art. 28(e)",
        "Insurance dated {dated}, after the date of shipment {shipped}, without cover effective "
        "from shipment.",
        "保险单据日期 {dated} 晚于装运日期 {shipped}，且未表明保险责任自装运日起生效。",
    ),
    "INSURANCE_CURRENCY_DIFFERS": (
        "UCP 600 Art. 28(f)(i)",
        "Insurance is in {found}, the credit is in {expected}.",
        "保险币种为 {found}，与信用证币种 {expected} 不符。",
    ),
    "INSURANCE_COVERAGE_INSUFFICIENT": (
        "UCP 600 Art. 28(f)(ii)",
        "Insurance covers {amount}, less than the required {required} ({percent}%).",
        "保险金额 {amount} 低于要求的 {required}（{percent}%）。",
    ),
    "ELECTRONIC_RECORD_NOT_EUCP_CREDIT": (
        "eUCP 2.1 Art. e1(b), e6",
        "An electronic record was presented but the credit is not subject to the eUCP.",
        "提交了电子记录，但信用证未适用 eUCP。",
    ),
    "ELECTRONIC_RECORD_NOT_PERMITTED": (
        "eUCP 2.1 Art. e5; MT700 46A",
        "The credit requires this document on paper; an electronic record was presented.",
        "信用证要求本单据以纸质形式提交，但提交的是电子记录。",
    ),
    "NO_NOTICE_OF_COMPLETENESS": (
        "eUCP 2.1 Art. e6(c)",
        "Electronic records were presented without a notice of completeness; the presentation "
        "is deemed not made.",
        "提交电子记录时未提供交单完成通知，视为未交单。",
    ),
    "ELECTRONIC_RECORD_CORRUPTED": (
        "eUCP 2.1 Art. e12",
        "The electronic record appears affected by data corruption; it is treated as not "
        "presented unless re-presented within 30 calendar days and by the expiry date.",
        "电子记录疑似数据损坏；除非在 30 个日历日内且不晚于到期日重新提交，否则视为未提交。",
    ),
}

TITLES: Mapping[str, tuple[str, str]] = {
    "commercial_invoice": ("commercial invoice", "商业发票"),
    "bill_of_lading": ("bill of lading", "提单"),
    "transport_document": ("transport document", "运输单据"),
    "insurance": ("insurance document", "保险单据"),
    "certificate_of_origin": ("certificate of origin", "原产地证书"),
    "packing_list": ("packing list", "装箱单"),
    "other": ("document", "单据"),
    "credit": ("credit", "信用证"),
}


def _discrepancy(code: str, document: str, field_name: str, **values: Any) -> Discrepancy:
    article, en, zh = RULES[code]
    return Discrepancy(
        code, article, en.format(**values), zh.format(**values), document, field_name
    )


# --- value helpers -------------------------------------------------------------------------------


def _decimal(value: Any, what: str) -> Decimal:
    """A decimal from a string; floats are refused because they cannot carry money exactly."""
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a decimal string, got {type(value).__name__}")
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{what} is not a decimal: {value!r}") from None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None


def _normal_text(text: str) -> str:
    """Compatibility-folded, case-folded text with punctuation reduced to single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", folded))


_LEGAL_FORMS = {
    "limited": "ltd",
    "company": "co",
    "corporation": "corp",
    "incorporated": "inc",
    "private": "pte",
}


def _party_name(party: Any) -> str:
    if isinstance(party, Mapping):
        return str(party.get("name", ""))
    return str(party or "")


def _same_party(a: Any, b: Any) -> bool:
    """Names match after folding case, punctuation and the spelling of legal forms.

    Addresses are not compared: UCP 600 Art. 14(j) only requires the same country.
    """
    tokens_a = [_LEGAL_FORMS.get(t, t) for t in _normal_text(_party_name(a)).split()]
    tokens_b = [_LEGAL_FORMS.get(t, t) for t in _normal_text(_party_name(b)).split()]
    return bool(tokens_a) and tokens_a == tokens_b


_STOPWORDS = {"and", "the", "of", "for", "with", "in", "per", "as", "to", "at", "on", "or"}


def _stem(token: str) -> str:
    # Plural folding only: "garments" and "garment" are the same goods in general terms.
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _words(text: str) -> list[str]:
    return [_stem(t) for t in _normal_text(text).split()]


def _corresponds(credit_text: str, invoice_text: str) -> bool:
    """Art. 18(c): the credit's description appears, word for word after normalisation, in the
    invoice. Extra detail in the invoice (marks, order numbers) does not prevent correspondence.
    """
    needle, hay = _words(credit_text), _words(invoice_text)
    if not needle:
        return True
    return any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def _general_terms_conflict(credit_text: str, document_text: str) -> bool:
    """Art. 14(e): a general description conflicts when none of its significant words (not
    numbers or stop words) is found in the credit's description.
    """
    significant = {
        w for w in _words(document_text) if len(w) > 2 and w not in _STOPWORDS and not w.isdigit()
    }
    return bool(significant) and not significant & set(_words(credit_text))


def _location_label(location: Any) -> str:
    if not isinstance(location, Mapping):
        return ""
    code = location.get("unLocode")
    name = str(location.get("name", ""))
    return f"{name} ({code})" if code else name


def _same_location(required: Mapping[str, Any], shown: Mapping[str, Any]) -> bool:
    """UN/LOCODEs decide when both sides have one; "ANY <country> PORT" accepts any port in
    that country; otherwise the normalised names must be equal.
    """
    req_code, shown_code = required.get("unLocode"), shown.get("unLocode")
    if req_code and shown_code:
        return bool(req_code == shown_code)
    req_name = _normal_text(str(required.get("name", "")))
    if req_name.startswith("any ") and required.get("country"):
        shown_country = shown.get("country") or (shown_code or "")[:2]
        return bool(shown_country == required["country"])
    return req_name == _normal_text(str(shown.get("name", "")))


def _consigned_to(bl: Mapping[str, Any]) -> str:
    consignee = bl.get("consignee")
    name = _party_name(consignee) if consignee else ""
    if bl.get("isToOrder"):
        return f"TO ORDER OF {name}" if name else "TO ORDER"
    return name


def _is_eucp(credit: Mapping[str, Any]) -> bool:
    return str(credit.get("applicableRules", "")).startswith("EUCP")


def _required(credit: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [d for d in credit.get("documentsRequired") or [] if isinstance(d, Mapping)]


def _requirement(credit: Mapping[str, Any], *kinds: str) -> Mapping[str, Any] | None:
    return next((d for d in _required(credit) if d.get("kind") in kinds), None)


def _shipment_date(bl: Mapping[str, Any]) -> date | None:
    # Art. 20(a)(ii): the on-board notation date, otherwise the date of issue, is the shipment date.
    return _date(bl.get("shippedOnBoardDate")) or _date(bl.get("issueDate"))


def _presented(p: Presentation) -> dict[str, PresentedDocument]:
    docs = {
        "commercial_invoice": p.commercial_invoice,
        "bill_of_lading": p.bill_of_lading,
        "certificate_of_origin": p.certificate_of_origin,
        "insurance": p.insurance,
        "packing_list": p.packing_list,
    }
    return {name: doc for name, doc in docs.items() if doc is not None}


def _is_electronic(name: str, doc: PresentedDocument) -> bool:
    return doc.electronic or (name == "bill_of_lading" and doc.data.get("isElectronic") is True)


# --- rules ---------------------------------------------------------------------------------------


def _check_dates(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    expiry = _date((credit.get("expiry") or {}).get("date"))
    if expiry is not None and p.presentation_date > expiry:
        yield _discrepancy(
            "PRESENTED_AFTER_EXPIRY",
            "presentation",
            "presentationDate",
            presented=p.presentation_date,
            expiry=expiry,
        )
    for name, doc in _presented(p).items():
        dated = _date(
            doc.data.get("date") or doc.data.get("dateOfIssue") or doc.data.get("issueDate")
        )
        if dated is not None and dated > p.presentation_date:
            yield _discrepancy(
                "DOCUMENT_DATED_AFTER_PRESENTATION",
                name,
                "date",
                dated=dated,
                presented=p.presentation_date,
            )


def _check_shipment(
    credit: Mapping[str, Any], p: Presentation, default_days: int
) -> Iterator[Discrepancy]:
    bls = [d.data for d in (p.bill_of_lading, *p.further_bills_of_lading) if d is not None]
    dates = [d for d in map(_shipment_date, bls) if d is not None]
    if not dates:
        return
    # Art. 31(b): with several sets, the latest shipment date counts.
    shipped = max(dates)
    latest = _date(credit.get("latestShipmentDate"))
    if latest is not None and shipped > latest:
        yield _discrepancy(
            "SHIPPED_AFTER_LATEST_DATE",
            "bill_of_lading",
            "shippedOnBoardDate",
            shipped=shipped,
            latest=latest,
        )
    days = int(credit.get("presentationPeriodDays") or default_days)
    if (p.presentation_date - shipped).days > days:
        yield _discrepancy(
            "PRESENTED_LATE_AFTER_SHIPMENT",
            "presentation",
            "presentationDate",
            presented=p.presentation_date,
            days=days,
            shipped=shipped,
        )


def _limit(base: Decimal, percent: Decimal) -> Decimal:
    return base + base * percent / HUNDRED


def _check_invoice(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    if p.commercial_invoice is None:
        return
    inv = p.commercial_invoice.data
    name = "commercial_invoice"
    credit_amount = credit.get("amount") or {}
    credit_currency = credit_amount.get("currency")
    if inv.get("currency") != credit_currency:
        yield _discrepancy(
            "INVOICE_CURRENCY_DIFFERS",
            name,
            "currency",
            found=inv.get("currency"),
            expected=credit_currency,
        )
    else:
        # 39A states the tolerance; without it "about"/"approximately" gives 10% (Art. 30(a)).
        tolerance = credit.get("tolerance")
        if isinstance(tolerance, Mapping):
            plus = Decimal(int(tolerance.get("plus", 0)))
        elif credit.get("amountQualifier") in {"ABOUT", "APPROXIMATELY"}:
            plus = ABOUT_TOLERANCE
        else:
            plus = Decimal(0)
        maximum = _limit(_decimal(credit_amount.get("value"), "credit amount"), plus)
        amount = _decimal(inv.get("amount"), "invoice amount")
        if amount > maximum:
            yield _discrepancy(
                "INVOICE_AMOUNT_EXCEEDS_CREDIT",
                name,
                "amount",
                currency=credit_currency,
                amount=amount,
                maximum=maximum,
            )
    if not _same_party(inv.get("seller"), credit.get("beneficiary")):
        yield _discrepancy(
            "INVOICE_NOT_ISSUED_BY_BENEFICIARY",
            name,
            "seller",
            found=_party_name(inv.get("seller")),
            expected=_party_name(credit.get("beneficiary")),
        )
    if not _same_party(inv.get("buyer"), credit.get("applicant")):
        yield _discrepancy(
            "INVOICE_NOT_MADE_OUT_TO_APPLICANT",
            name,
            "buyer",
            found=_party_name(inv.get("buyer")),
            expected=_party_name(credit.get("applicant")),
        )
    if not _corresponds(
        str(credit.get("goodsDescription", "")), str(inv.get("goodsDescription", ""))
    ):
        yield _discrepancy("INVOICE_GOODS_DO_NOT_CORRESPOND", name, "goodsDescription")
    yield from _check_quantity(credit, inv)


def _quantity_tolerance(required: Mapping[str, Any]) -> Decimal:
    if required.get("qualifier") in {"ABOUT", "APPROXIMATELY"}:
        return ABOUT_TOLERANCE  # Art. 30(a)
    if required.get("inPackingUnitsOrItems"):
        return Decimal(0)  # Art. 30(b) does not apply to packing units or individual items
    return BULK_QUANTITY_TOLERANCE  # Art. 30(b)


def _check_quantity(credit: Mapping[str, Any], inv: Mapping[str, Any]) -> Iterator[Discrepancy]:
    required, shown = credit.get("goodsQuantity"), inv.get("quantity")
    if not isinstance(required, Mapping) or not isinstance(shown, Mapping):
        return
    if required.get("unit") != shown.get("unit"):
        return  # different units cannot be compared mechanically
    ordered = _decimal(required.get("value"), "credit quantity")
    found = _decimal(shown.get("value"), "invoice quantity")
    tolerance = _quantity_tolerance(required)
    maximum = _limit(ordered, tolerance)
    if found > maximum:
        yield _discrepancy(
            "QUANTITY_OUTSIDE_TOLERANCE",
            "commercial_invoice",
            "quantity",
            found=found,
            unit=shown.get("unit"),
            maximum=maximum,
        )
    elif found < ordered - ordered * tolerance / HUNDRED and credit.get("partialShipments") == (
        "NOT ALLOWED"
    ):
        # Shipping less than the credit quantity (beyond tolerance) is a partial shipment.
        yield _discrepancy("PARTIAL_SHIPMENT_NOT_ALLOWED", "commercial_invoice", "quantity")


def _check_bill_of_lading(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    if p.bill_of_lading is None:
        return
    bl = p.bill_of_lading.data
    name = "bill_of_lading"
    status = bl.get("status")
    if status in {"DRAFT", "APPROVED", "VOIDED", "VOID"}:
        yield _discrepancy("TRANSPORT_DOCUMENT_NOT_ISSUED", name, "status", status=status)
    if not bl.get("isShippedOnBoard"):
        yield _discrepancy("NOT_SHIPPED_ON_BOARD", name, "isShippedOnBoard")
    for credit_field, bl_field, code in (
        ("portOfLoading", "portOfLoading", "PORT_OF_LOADING_DIFFERS"),
        ("portOfDischarge", "portOfDischarge", "PORT_OF_DISCHARGE_DIFFERS"),
    ):
        required, shown = credit.get(credit_field), bl.get(bl_field)
        if not isinstance(required, Mapping) or not isinstance(shown, Mapping):
            continue
        if not _same_location(required, shown):
            yield _discrepancy(
                code,
                name,
                bl_field,
                found=_location_label(shown),
                expected=_location_label(required),
            )
    requirement = _requirement(credit, "bill_of_lading", "transport_document") or {}
    wanted = requirement.get("consignee")
    if wanted and _normal_text(str(wanted)) != _normal_text(_consigned_to(bl)):
        yield _discrepancy(
            "CONSIGNEE_DIFFERS", name, "consignee", found=_consigned_to(bl), expected=wanted
        )
    # Art. 20(c)(ii): containerised goods may be transhipped even when the credit prohibits it.
    if (
        credit.get("transhipment") == "NOT ALLOWED"
        and bl.get("transhipment")
        and not bl.get("containerised")
    ):
        yield _discrepancy("TRANSHIPMENT_NOT_ALLOWED", name, "transhipment")
    if p.further_bills_of_lading and credit.get("partialShipments") == "NOT ALLOWED":
        yield from _check_partial_sets(p)


def _journey(bl: Mapping[str, Any]) -> tuple[Any, ...]:
    voyages = tuple(
        (_normal_text(str(v.get("vesselName", ""))), v.get("voyageNumber"))
        for v in bl.get("vesselVoyages") or []
    )
    discharge = bl.get("portOfDischarge") or {}
    return voyages, discharge.get("unLocode") or _normal_text(str(discharge.get("name", "")))


def _check_partial_sets(p: Presentation) -> Iterator[Discrepancy]:
    """Art. 31(b): several sets on the same means of conveyance and journey, to the same
    destination, are not a partial shipment even with different dates or ports of loading.
    """
    assert p.bill_of_lading is not None
    first = _journey(p.bill_of_lading.data)
    if any(_journey(doc.data) != first for doc in p.further_bills_of_lading):
        yield _discrepancy("PARTIAL_SHIPMENT_NOT_ALLOWED", "bill_of_lading", "vesselVoyages")


def _check_descriptions(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    credit_text = str(credit.get("goodsDescription", ""))
    texts: list[tuple[str, str, str]] = []
    if p.bill_of_lading is not None:
        texts.append(
            (
                "bill_of_lading",
                "goodsDescription",
                str(p.bill_of_lading.data.get("goodsDescription", "")),
            )
        )
    if p.packing_list is not None:
        texts.append(
            (
                "packing_list",
                "goodsDescription",
                str(p.packing_list.data.get("goodsDescription", "")),
            )
        )
    if p.insurance is not None and p.insurance.data.get("goodsDescription"):
        texts.append(("insurance", "goodsDescription", str(p.insurance.data["goodsDescription"])))
    if p.certificate_of_origin is not None:
        for index, line in enumerate(p.certificate_of_origin.data.get("goods") or []):
            texts.append(
                (
                    "certificate_of_origin",
                    f"goods/{index}/description",
                    str(line.get("description", "")),
                )
            )
    for document, field_name, text in texts:
        if _general_terms_conflict(credit_text, text):
            yield _discrepancy("GOODS_DESCRIPTION_CONFLICTS", document, field_name)


def _check_origin(p: Presentation) -> Iterator[Discrepancy]:
    """Art. 14(d): the certificate of origin must not conflict with the invoice it refers to."""
    if p.certificate_of_origin is None or p.commercial_invoice is None:
        return
    invoice_number = p.commercial_invoice.data.get("number")
    for index, line in enumerate(p.certificate_of_origin.data.get("goods") or []):
        shown = line.get("invoiceNumber")
        if shown and invoice_number and _normal_text(shown) != _normal_text(str(invoice_number)):
            yield _discrepancy(
                "DATA_CONFLICT",
                "certificate_of_origin",
                f"goods/{index}/invoiceNumber",
                field="Invoice number",
                found=shown,
                expected=invoice_number,
                other="commercial invoice",
                other_zh="商业发票",
            )


def _check_insurance(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    if p.insurance is None:
        return
    ins = p.insurance.data
    shipped = _shipment_date(p.bill_of_lading.data) if p.bill_of_lading else None
    dated, effective = _date(ins.get("date")), _date(ins.get("effectiveDate"))
    if shipped and dated and dated > shipped and not (effective and effective <= shipped):
        yield _discrepancy(
            "INSURANCE_DATED_AFTER_SHIPMENT", "insurance", "date", dated=dated, shipped=shipped
        )
    currency = (credit.get("amount") or {}).get("currency")
    if ins.get("currency") != currency:
        yield _discrepancy(
            "INSURANCE_CURRENCY_DIFFERS",
            "insurance",
            "currency",
            found=ins.get("currency"),
            expected=currency,
        )
        return
    requirement = _requirement(credit, "insurance") or {}
    percent = (
        _decimal(requirement["coveragePercent"], "coverage percent")
        if requirement.get("coveragePercent")
        else DEFAULT_INSURANCE_PERCENT
    )
    # Art. 28(f)(ii): the CIF/CIP value is taken as the invoice's gross value.
    if p.commercial_invoice is not None and p.commercial_invoice.data.get("currency") == currency:
        base = _decimal(p.commercial_invoice.data.get("amount"), "invoice amount")
        required = base * percent / HUNDRED
        amount = _decimal(ins.get("amount"), "insurance amount")
        if amount < required:
            yield _discrepancy(
                "INSURANCE_COVERAGE_INSUFFICIENT",
                "insurance",
                "amount",
                amount=amount,
                required=required,
                percent=percent,
            )


_PRESENTED_AS = {"transport_document": "bill_of_lading"}


def _check_documents(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    presented = _presented(p)
    eucp = _is_eucp(credit)
    for requirement in _required(credit):
        kind = str(requirement.get("kind"))
        if kind == "other":
            continue  # free-text requirements need a human examiner
        name = _PRESENTED_AS.get(kind, kind)
        doc = presented.get(name)
        title_en, title_zh = TITLES[kind]
        if doc is None:
            yield _discrepancy("DOCUMENT_MISSING", name, "", title=title_en, title_zh=title_zh)
            continue
        if eucp and _is_electronic(name, doc):
            continue  # eUCP Art. e9: one electronic record satisfies originals and copies
        originals, copies = int(requirement.get("originals", 1)), int(requirement.get("copies", 0))
        issued = doc.data.get("numberOfOriginals") if name == "bill_of_lading" else None
        if isinstance(issued, int) and requirement.get("fullSet", True) and doc.originals < issued:
            yield _discrepancy(
                "FULL_SET_NOT_PRESENTED",
                name,
                "originals",
                presented=doc.originals,
                issued=issued,
            )
        elif doc.originals < originals:
            yield _discrepancy(
                "ORIGINALS_SHORT", name, "originals", presented=doc.originals, required=originals
            )
        # Art. 17(d): originals beyond those required count as copies.
        spare = max(doc.originals - originals, 0)
        if doc.copies + spare < copies:
            yield _discrepancy(
                "COPIES_SHORT", name, "copies", presented=doc.copies + spare, required=copies
            )


def _check_electronic(credit: Mapping[str, Any], p: Presentation) -> Iterator[Discrepancy]:
    eucp = _is_eucp(credit)
    any_electronic = False
    for name, doc in _presented(p).items():
        if not _is_electronic(name, doc):
            continue
        any_electronic = True
        if not eucp:
            yield _discrepancy("ELECTRONIC_RECORD_NOT_EUCP_CREDIT", name, "")
            continue
        kinds = ("bill_of_lading", "transport_document") if name == "bill_of_lading" else (name,)
        requirement = _requirement(credit, *kinds)
        if requirement is not None and requirement.get("electronicAllowed") is False:
            yield _discrepancy("ELECTRONIC_RECORD_NOT_PERMITTED", name, "")
        if doc.corrupted:
            yield _discrepancy("ELECTRONIC_RECORD_CORRUPTED", name, "")
    if eucp and any_electronic and not p.notice_of_completeness:
        yield _discrepancy("NO_NOTICE_OF_COMPLETENESS", "presentation", "noticeOfCompleteness")


def examine(
    credit: Mapping[str, Any],
    presentation: Presentation,
    *,
    default_presentation_days: int = DEFAULT_PRESENTATION_DAYS,
) -> Examination:
    """Examine ``presentation`` against the credit terms ``credit`` (a documentary-credit subject).

    The presentation complies when no discrepancy is found (UCP 600 Art. 14(a), 15). Raises
    ``ValueError`` when an amount or quantity is not a decimal string.
    """
    discrepancies = [
        *_check_electronic(credit, presentation),
        *_check_dates(credit, presentation),
        *_check_shipment(credit, presentation, default_presentation_days),
        *_check_documents(credit, presentation),
        *_check_invoice(credit, presentation),
        *_check_bill_of_lading(credit, presentation),
        *_check_descriptions(credit, presentation),
        *_check_origin(presentation),
        *_check_insurance(credit, presentation),
    ]
    return Examination(complying=not discrepancies, discrepancies=discrepancies)


__all__ = [
    "RULES",
    "Discrepancy",
    "Examination",
    "Presentation",
    "PresentedDocument",
    "examine",
]
