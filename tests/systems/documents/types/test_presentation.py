"""Examination of presentations under the illustrative credit: one test per rule each way."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from digitrade.systems.documents.types import examples
from digitrade.systems.documents.types.presentation import (
    RULES,
    Presentation,
    PresentedDocument,
    examine,
)


@dataclasses.dataclass
class Case:
    """The illustrative credit and documents, editable before presenting them."""

    credit: dict[str, Any]
    invoice: dict[str, Any]
    bl: dict[str, Any]
    origin: dict[str, Any]
    insurance: dict[str, Any]
    packing: dict[str, Any]
    paper: bool = False
    options: dict[str, Any] = dataclasses.field(default_factory=dict)

    def presentation(self) -> Presentation:
        electronic = not self.paper
        kwargs: dict[str, Any] = {
            "presentation_date": date(2025, 5, 6),
            "commercial_invoice": PresentedDocument(
                self.invoice, originals=1, copies=2, electronic=electronic
            ),
            "bill_of_lading": PresentedDocument(
                self.bl, originals=self.bl.get("numberOfOriginals", 1), electronic=electronic
            ),
            "certificate_of_origin": PresentedDocument(self.origin, electronic=electronic),
            "insurance": PresentedDocument(self.insurance, electronic=electronic),
            "packing_list": PresentedDocument(self.packing, copies=1, electronic=electronic),
        }
        kwargs.update(self.options)
        return Presentation(**kwargs)

    def codes(self) -> list[str]:
        return [d.code for d in examine(self.credit, self.presentation()).discrepancies]


def electronic_case() -> Case:
    return Case(
        examples.illustrative_documentary_credit(),
        examples.illustrative_commercial_invoice(),
        examples.illustrative_bill_of_lading_summary(),
        examples.illustrative_certificate_of_origin(),
        examples.illustrative_insurance(),
        examples.illustrative_packing_list(),
    )


def paper_case() -> Case:
    case = electronic_case()
    case.paper = True
    case.credit["applicableRules"] = "UCP LATEST VERSION"
    del case.credit["electronicPresentation"]
    case.bl.update(isElectronic=False, numberOfOriginals=3)
    return case


def test_illustrative_electronic_presentation_complies():
    credit = examples.illustrative_documentary_credit()
    result = examine(credit, examples.illustrative_presentation())
    assert result.complying is True
    assert result.discrepancies == []
    assert electronic_case().codes() == []


def test_paper_presentation_under_ucp_credit_complies():
    assert paper_case().codes() == []


def _set(target: str, **values: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        getattr(case, target).update(values)

    return mutate


def _option(**values: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case.options.update(values)

    return mutate


def _expired(case: Case) -> None:
    case.credit["expiry"]["date"] = "2025-05-05"


def _no_period_late(case: Case) -> None:
    del case.credit["presentationPeriodDays"]
    case.options["presentation_date"] = date(2025, 5, 20)  # 22 days after shipment


def _invoice_amount(amount: str) -> Callable[[Case], None]:
    """Change the invoice amount and keep the insurance at 110 percent of it (Art. 28(f)(ii))."""

    def mutate(case: Case) -> None:
        case.invoice["amount"] = amount
        case.insurance["amount"] = str(Decimal(amount) * Decimal("1.1"))

    return mutate


def _about_over(case: Case) -> None:
    del case.credit["tolerance"]
    case.credit["amountQualifier"] = "ABOUT"
    _invoice_amount("118800.01")(case)


def _no_tolerance_over(case: Case) -> None:
    del case.credit["tolerance"]
    _invoice_amount("108000.01")(case)


def _origin_line(**values: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case.origin["goods"][0].update(values)

    return mutate


def _second_bl_other_vessel(case: Case) -> None:
    other = dict(case.bl, transportDocumentReference="EXOL2504SHA0099")
    other["vesselVoyages"] = [{"vesselName": "EXAMPLE CONCORD", "voyageNumber": "120S"}]
    case.options["further_bills_of_lading"] = [PresentedDocument(other, electronic=True)]


def _bl_paper_only(case: Case) -> None:
    case.credit["documentsRequired"][1]["electronicAllowed"] = False


def _electronic_invoice_under_ucp(case: Case) -> None:
    case.options["commercial_invoice"] = PresentedDocument(
        case.invoice, originals=1, copies=2, electronic=True
    )


def _corrupted_invoice(case: Case) -> None:
    case.options["commercial_invoice"] = PresentedDocument(
        case.invoice, electronic=True, corrupted=True
    )


def _paper_invoice(originals: int, copies: int) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case.options["commercial_invoice"] = PresentedDocument(
            case.invoice, originals=originals, copies=copies
        )

    return mutate


def _bl_originals(presented: int) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case.options["bill_of_lading"] = PresentedDocument(case.bl, originals=presented)

    return mutate


NINGBO = {"name": "Ningbo", "unLocode": "CNNGB", "country": "CN"}
PORT_KLANG = {"name": "Port Klang", "unLocode": "MYPKG", "country": "MY"}

# (id, paper?, mutation, expected single discrepancy code, document)
DEFECTS: list[tuple[str, bool, Callable[[Case], None], str, str]] = [
    ("expired", False, _expired, "PRESENTED_AFTER_EXPIRY", "presentation"),
    (
        "late-48",
        False,
        _set("credit", presentationPeriodDays=5),
        "PRESENTED_LATE_AFTER_SHIPMENT",
        "presentation",
    ),
    ("late-21", False, _no_period_late, "PRESENTED_LATE_AFTER_SHIPMENT", "presentation"),
    (
        "late-shipment",
        False,
        _set("credit", latestShipmentDate="2025-04-27"),
        "SHIPPED_AFTER_LATEST_DATE",
        "bill_of_lading",
    ),
    (
        "dated-after-presentation",
        False,
        _set("invoice", date="2025-05-07"),
        "DOCUMENT_DATED_AFTER_PRESENTATION",
        "commercial_invoice",
    ),
    (
        "over-39a",
        False,
        _invoice_amount("113400.01"),
        "INVOICE_AMOUNT_EXCEEDS_CREDIT",
        "commercial_invoice",
    ),
    ("over-about", False, _about_over, "INVOICE_AMOUNT_EXCEEDS_CREDIT", "commercial_invoice"),
    (
        "over-exact",
        False,
        _no_tolerance_over,
        "INVOICE_AMOUNT_EXCEEDS_CREDIT",
        "commercial_invoice",
    ),
    (
        "currency",
        False,
        _set("invoice", currency="EUR"),
        "INVOICE_CURRENCY_DIFFERS",
        "commercial_invoice",
    ),
    (
        "seller",
        False,
        _set("invoice", seller={"name": "Ningbo Example Trading Co., Ltd."}),
        "INVOICE_NOT_ISSUED_BY_BENEFICIARY",
        "commercial_invoice",
    ),
    (
        "buyer",
        False,
        _set("invoice", buyer={"name": "Example Retail Sdn. Bhd."}),
        "INVOICE_NOT_MADE_OUT_TO_APPLICANT",
        "commercial_invoice",
    ),
    (
        "invoice-goods",
        False,
        _set("invoice", goodsDescription="100 PCT COTTON MEN'S KNITTED POLO SHIRTS, 24000 PIECES"),
        "INVOICE_GOODS_DO_NOT_CORRESPOND",
        "commercial_invoice",
    ),
    (
        "quantity-over",
        False,
        _set("invoice", quantity={"value": "24001", "unit": "PCE"}),
        "QUANTITY_OUTSIDE_TOLERANCE",
        "commercial_invoice",
    ),
    (
        "bl-goods",
        False,
        _set("bl", goodsDescription="STEEL PIPES"),
        "GOODS_DESCRIPTION_CONFLICTS",
        "bill_of_lading",
    ),
    (
        "origin-goods",
        False,
        _origin_line(description="Frozen fish fillets"),
        "GOODS_DESCRIPTION_CONFLICTS",
        "certificate_of_origin",
    ),
    (
        "port-of-loading",
        False,
        _set("bl", portOfLoading=NINGBO),
        "PORT_OF_LOADING_DIFFERS",
        "bill_of_lading",
    ),
    (
        "port-of-discharge",
        False,
        _set("bl", portOfDischarge=PORT_KLANG),
        "PORT_OF_DISCHARGE_DIFFERS",
        "bill_of_lading",
    ),
    (
        "consignee",
        False,
        _set("bl", isToOrder=False, consignee={"name": "Lion City Example Apparel Pte. Ltd."}),
        "CONSIGNEE_DIFFERS",
        "bill_of_lading",
    ),
    (
        "origin-invoice-number",
        False,
        _origin_line(invoiceNumber="DH-2025-0999"),
        "DATA_CONFLICT",
        "certificate_of_origin",
    ),
    (
        "draft-bl",
        False,
        _set("bl", status="DRAFT"),
        "TRANSPORT_DOCUMENT_NOT_ISSUED",
        "bill_of_lading",
    ),
    (
        "received-for-shipment",
        False,
        _set("bl", isShippedOnBoard=False),
        "NOT_SHIPPED_ON_BOARD",
        "bill_of_lading",
    ),
    (
        "transhipment",
        False,
        _set("bl", transhipment=True, containerised=False),
        "TRANSHIPMENT_NOT_ALLOWED",
        "bill_of_lading",
    ),
    (
        "partial-quantity",
        False,
        _set("invoice", quantity={"value": "20000", "unit": "PCE"}, amount="90000.00"),
        "PARTIAL_SHIPMENT_NOT_ALLOWED",
        "commercial_invoice",
    ),
    (
        "partial-two-vessels",
        False,
        _second_bl_other_vessel,
        "PARTIAL_SHIPMENT_NOT_ALLOWED",
        "bill_of_lading",
    ),
    ("missing", False, _option(packing_list=None), "DOCUMENT_MISSING", "packing_list"),
    ("originals", True, _paper_invoice(0, 2), "ORIGINALS_SHORT", "commercial_invoice"),
    ("copies", True, _paper_invoice(1, 1), "COPIES_SHORT", "commercial_invoice"),
    ("full-set", True, _bl_originals(2), "FULL_SET_NOT_PRESENTED", "bill_of_lading"),
    (
        "insurance-date",
        False,
        _set("insurance", date="2025-04-29"),
        "INSURANCE_DATED_AFTER_SHIPMENT",
        "insurance",
    ),
    (
        "insurance-currency",
        False,
        _set("insurance", currency="EUR"),
        "INSURANCE_CURRENCY_DIFFERS",
        "insurance",
    ),
    (
        "insurance-coverage",
        False,
        _set("insurance", amount="118799.99"),
        "INSURANCE_COVERAGE_INSUFFICIENT",
        "insurance",
    ),
    (
        "electronic-under-ucp",
        True,
        _electronic_invoice_under_ucp,
        "ELECTRONIC_RECORD_NOT_EUCP_CREDIT",
        "commercial_invoice",
    ),
    (
        "electronic-not-permitted",
        False,
        _bl_paper_only,
        "ELECTRONIC_RECORD_NOT_PERMITTED",
        "bill_of_lading",
    ),
    (
        "no-notice",
        False,
        _option(notice_of_completeness=False),
        "NO_NOTICE_OF_COMPLETENESS",
        "presentation",
    ),
    (
        "corrupted",
        False,
        _corrupted_invoice,
        "ELECTRONIC_RECORD_CORRUPTED",
        "commercial_invoice",
    ),
]


@pytest.mark.parametrize(
    ("paper", "mutate", "code", "document"),
    [pytest.param(*rest, id=case_id) for case_id, *rest in DEFECTS],
)
def test_each_defect_gives_exactly_its_discrepancy(
    paper: bool, mutate: Callable[[Case], None], code: str, document: str
):
    case = paper_case() if paper else electronic_case()
    mutate(case)
    result = examine(case.credit, case.presentation())
    assert result.complying is False
    assert [(d.code, d.document) for d in result.discrepancies] == [(code, document)]
    found = result.discrepancies[0]
    assert found.article == RULES[code][0]
    assert found.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in found.message_zh)


def test_every_rule_has_a_negative_test():
    assert {code for *_, code, _ in DEFECTS} == set(RULES)


def _contained_transhipment(case: Case) -> None:
    case.bl.update(transhipment=True, containerised=True)


def _transhipment_allowed(case: Case) -> None:
    case.credit["transhipment"] = "ALLOWED"
    case.bl.update(transhipment=True, containerised=False)


def _about_at_limit(case: Case) -> None:
    del case.credit["tolerance"]
    case.credit["amountQualifier"] = "APPROXIMATELY"
    case.invoice["amount"] = "118800.00"
    case.insurance["amount"] = "130680.00"


def _bulk_quantity(case: Case) -> None:
    case.credit["goodsQuantity"] = {"value": "6000", "unit": "KGM"}
    case.invoice["quantity"] = {"value": "6300", "unit": "KGM"}  # +5 percent, Art. 30(b)


def _second_bl_same_voyage(case: Case) -> None:
    other = dict(case.bl, transportDocumentReference="EXOL2504SHA0099")
    other["shippedOnBoardDate"] = "2025-04-27"
    case.options["further_bills_of_lading"] = [PresentedDocument(other, electronic=True)]


def _partial_allowed(case: Case) -> None:
    case.credit["partialShipments"] = "ALLOWED"
    case.invoice.update(quantity={"value": "20000", "unit": "PCE"}, amount="90000.00")
    case.insurance["amount"] = "99000.00"


def _third_party_shipper(case: Case) -> None:
    case.bl["shipper"] = {"name": "Example Freight Forwarding (Shanghai) Co., Ltd."}


def _unlocode_missing(case: Case) -> None:
    case.bl["portOfDischarge"] = {"name": "SINGAPORE"}


def _any_chinese_port(case: Case) -> None:
    case.credit["portOfLoading"] = {"name": "ANY PORT IN CHINA", "country": "CN"}
    case.bl["portOfLoading"] = NINGBO


def _insurance_effective_from_shipment(case: Case) -> None:
    case.insurance.update(date="2025-04-29", effectiveDate="2025-04-28")


def _present_on_last_day(case: Case) -> None:
    del case.credit["presentationPeriodDays"]
    case.options["presentation_date"] = date(2025, 5, 19)  # 21 days after shipment


def _expiry_day(case: Case) -> None:
    case.credit["expiry"]["date"] = "2025-05-06"


def _spare_originals_as_copies(case: Case) -> None:
    case.options["commercial_invoice"] = PresentedDocument(case.invoice, originals=3, copies=0)


def _electronic_without_originals(case: Case) -> None:
    # eUCP Art. e9: one electronic record satisfies any number of originals and copies.
    case.options["commercial_invoice"] = PresentedDocument(
        case.invoice, originals=0, copies=0, electronic=True
    )


def _seller_spelled_differently(case: Case) -> None:
    case.invoice["seller"] = {"name": "SHANGHAI DONGHAI EXAMPLE TEXTILES COMPANY LIMITED"}


# Near misses that must still comply: the nuances of each rule.
COMPLYING: list[tuple[str, bool, Callable[[Case], None]]] = [
    ("containerised-transhipment-20c-ii", False, _contained_transhipment),
    ("transhipment-allowed", False, _transhipment_allowed),
    ("about-10-percent-30a", False, _about_at_limit),
    ("at-39a-limit", False, _invoice_amount("113400.00")),
    ("bulk-5-percent-30b", False, _bulk_quantity),
    ("same-voyage-sets-31b", False, _second_bl_same_voyage),
    ("partial-allowed", False, _partial_allowed),
    ("third-party-shipper-14k", False, _third_party_shipper),
    ("port-by-name", False, _unlocode_missing),
    ("port-range", False, _any_chinese_port),
    ("insurance-effective-28e", False, _insurance_effective_from_shipment),
    ("day-21-14c", False, _present_on_last_day),
    ("on-expiry-day", False, _expiry_day),
    ("spare-originals-17d", True, _spare_originals_as_copies),
    ("electronic-e9", False, _electronic_without_originals),
    ("legal-form-spelling", False, _seller_spelled_differently),
    ("bl-general-terms-14e", False, _set("bl", goodsDescription="T-SHIRTS")),
]


@pytest.mark.parametrize(
    ("paper", "mutate"), [pytest.param(*rest, id=case_id) for case_id, *rest in COMPLYING]
)
def test_near_misses_comply(paper: bool, mutate: Callable[[Case], None]):
    case = paper_case() if paper else electronic_case()
    mutate(case)
    assert case.codes() == []


def test_several_defects_are_all_reported():
    case = electronic_case()
    case.invoice["currency"] = "EUR"
    case.bl["isShippedOnBoard"] = False
    case.options["presentation_date"] = date(2025, 6, 2)
    assert set(case.codes()) == {
        "INVOICE_CURRENCY_DIFFERS",
        "NOT_SHIPPED_ON_BOARD",
        "PRESENTED_AFTER_EXPIRY",
        "PRESENTED_LATE_AFTER_SHIPMENT",
    }


def test_amounts_must_be_decimal_strings():
    case = electronic_case()
    case.invoice["amount"] = 108000.0
    with pytest.raises(ValueError, match="decimal string"):
        case.codes()


def test_every_rule_is_bilingual_and_cites_an_article():
    for article, english, chinese in RULES.values():
        assert article.startswith(("UCP 600 Art.", "eUCP 2.1 Art."))
        assert english
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
