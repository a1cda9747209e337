"""Each kind of inconsistency is caught and reported once, in English and Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from digitrade.systems.einvoice.fapiao import FullyDigitalInvoice, check_consistency
from digitrade.systems.einvoice.fapiao.model import CHINA_TIME, InvoiceKind
from tests.systems.einvoice.fapiao.samples import ALL_SAMPLES, red_letter, software_services

D = Decimal


def changed(invoice: FullyDigitalInvoice, **changes: Any) -> FullyDigitalInvoice:
    """``invoice`` with top-level fields replaced, validated like a file would be."""
    return FullyDigitalInvoice.model_validate({**invoice.model_dump(), **changes})


def changed_line(invoice: FullyDigitalInvoice, index: int, **changes: Any) -> FullyDigitalInvoice:
    lines = invoice.model_dump()["lines"]
    lines[index] = {**lines[index], **changes}
    return changed(invoice, lines=lines)


def codes(invoice: FullyDigitalInvoice) -> dict[str, str]:
    return {finding.code: finding.severity for finding in check_consistency(invoice)}


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_samples_are_consistent(name):
    findings = check_consistency(ALL_SAMPLES[name]())
    assert [f for f in findings if f.severity != "info"] == []


def test_every_finding_is_bilingual_and_located():
    broken = changed(software_services(), total_tax=D("1.00"), total_with_tax_in_words="壹圆整")
    findings = check_consistency(broken)
    assert findings
    for finding in findings:
        assert finding.message_en and finding.message_zh and finding.field


def test_quantity_times_price_must_give_the_amount():
    broken = changed_line(software_services(), 1, unit_price=D("2600"))
    assert codes(broken) == {"line-amount": "error"}
    [finding] = check_consistency(broken)
    assert finding.field == "lines[1].amount"
    assert "31200.00" in finding.message_en


def test_a_fen_of_rounding_in_the_quantity_times_price_is_fine():
    fine = changed_line(software_services(), 1, quantity=D("3"), unit_price=D("10000.003"))
    assert "line-amount" not in codes(fine)


@pytest.mark.parametrize(
    ("tax", "expected"),
    [("6000.01", None), ("6000.05", "warning"), ("6000.07", "error"), ("5999.90", "error")],
)
def test_line_tax_against_amount_times_rate(tax, expected):
    invoice = changed_line(software_services(), 0, tax_amount=D(tax))
    found = {f.code: f.severity for f in check_consistency(invoice) if f.field.startswith("lines")}
    assert found.get("line-tax") == expected


def test_an_exempt_line_has_no_tax():
    from tests.systems.einvoice.fapiao.samples import with_exempt_line

    broken = changed_line(with_exempt_line(), 0, tax_amount=D("10.00"))
    assert codes(broken)["line-tax"] == "error"


def test_totals_must_be_the_sums_of_the_lines():
    broken = changed(
        software_services(),
        total_amount=D("130000.01"),
        total_tax=D("7800.00"),
        total_with_tax=D("137800.00"),
    )
    found = codes(broken)
    assert found["total-amount"] == "error"
    assert found["total-with-tax"] == "error"
    assert "total-tax" not in found


def test_amount_in_words_must_match_and_be_readable():
    wrong = changed(software_services(), total_with_tax_in_words="壹拾叁万柒仟捌佰零壹圆整")
    assert codes(wrong) == {"amount-in-words": "error"}
    unreadable = changed(software_services(), total_with_tax_in_words="十三万七千八百元")
    assert codes(unreadable) == {"amount-in-words": "error"}


def test_words_with_yuan_instead_of_the_formal_character_are_accepted():
    assert codes(changed(software_services(), total_with_tax_in_words="壹拾叁万柒仟捌佰元整")) == {}


def test_seller_check_character_and_missing_ids():
    bad = software_services().model_dump()
    bad["seller"]["tax_id"] = "91310115MA1K4XW7P2"
    assert codes(FullyDigitalInvoice.model_validate(bad)) == {"tax-id-check": "error"}
    bad["seller"]["tax_id"] = None
    assert codes(FullyDigitalInvoice.model_validate(bad)) == {"tax-id-missing": "error"}


def test_special_vat_invoice_needs_the_buyer_id_and_ordinary_does_not():
    data = software_services().model_dump()
    data["buyer"]["tax_id"] = None
    assert codes(FullyDigitalInvoice.model_validate(data)) == {"tax-id-missing": "error"}
    data["kind"] = InvoiceKind.ORDINARY
    assert codes(FullyDigitalInvoice.model_validate(data)) == {}


def test_individual_and_foreign_buyers_are_accepted_but_reported():
    data = software_services().model_dump()
    data["kind"] = InvoiceKind.ORDINARY
    data["buyer"]["tax_id"] = "11010519491231002X"
    [finding] = check_consistency(FullyDigitalInvoice.model_validate(data))
    assert (finding.code, finding.severity) == ("tax-id-other", "info")
    assert "citizen identity number" in finding.message_en


def test_red_letter_sign_and_reference():
    positive = changed(
        red_letter(),
        lines=software_services().model_dump()["lines"][1:],
        total_amount=D("30000.00"),
        total_tax=D("1800.00"),
        total_with_tax=D("31800.00"),
        total_with_tax_in_words="叁万壹仟捌佰圆整",
    )
    assert codes(positive) == {"red-letter-sign": "error"}
    unreferenced = changed(red_letter(), red_letter=None)
    assert codes(unreferenced) == {"red-letter-missing": "error"}


def test_number_year_must_match_the_issue_date():
    late = changed(software_services(), issued_at=dt.datetime(2025, 1, 2, 9, 0, tzinfo=CHINA_TIME))
    assert codes(late) == {"number-year": "warning"}


def test_unknown_region_rates_and_codes():
    invoice = changed(software_services(), number="24992000000012345678")
    assert codes(invoice) == {"number-region": "info"}
    odd_rate = changed_line(software_services(), 0, tax_rate=D("17"), tax_amount=D("17000.00"))
    assert codes(odd_rate)["line-rate"] == "warning"
    short_code = changed_line(software_services(), 0, tax_classification_code="304020101")
    assert codes(short_code) == {"classification-code": "error"}
    no_prefix = changed_line(software_services(), 0, item_name="软件开发服务")
    assert codes(no_prefix) == {"short-name-missing": "warning"}


def test_exempt_lines_on_a_special_vat_invoice_are_flagged():
    from tests.systems.einvoice.fapiao.samples import with_exempt_line

    special = changed(with_exempt_line(), kind=InvoiceKind.SPECIAL_VAT)
    assert codes(special) == {"special-vat-exempt": "warning"}
