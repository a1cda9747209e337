"""Fapiao -> EN 16931: the model that calculation.complete accepts, and the notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from digitrade.systems.einvoice.en16931 import calculation, codelists
from digitrade.systems.einvoice.en16931.model import Invoice
from digitrade.systems.einvoice.fapiao import (
    FullyDigitalInvoice,
    MappingNote,
    RateKind,
    ToEn16931Options,
    to_en16931,
)
from digitrade.systems.einvoice.fapiao.notes import (
    ATTRIBUTE_SHORT_NAME,
    ATTRIBUTE_SPECIFICATION,
    ATTRIBUTE_UNIT,
    parse_note,
)
from digitrade.systems.einvoice.fapiao.to_en import EXEMPTIONS
from tests.systems.einvoice.fapiao.samples import (
    ALL_SAMPLES,
    invoice,
    line,
    mixed_rates,
    network_equipment,
    red_letter,
    software_export,
    software_services,
    with_exempt_line,
)

D = Decimal
EXPORT = ToEn16931Options(buyer_country="SG")


def mapped(fapiao: FullyDigitalInvoice, **options: Any) -> tuple[Invoice, list[MappingNote]]:
    return to_en16931(fapiao, options=ToEn16931Options(**options))


def notes_for(notes: list[MappingNote], field: str) -> list[MappingNote]:
    return [note for note in notes if note.field == field]


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_complete_accepts_the_result_and_totals_match(name):
    fapiao = ALL_SAMPLES[name]()
    en, notes = to_en16931(fapiao, options=EXPORT if name == "software_export" else None)
    sign = -1 if fapiao.is_red_letter else 1
    assert en.totals is not None
    assert en.totals.tax_exclusive == fapiao.total_amount * sign
    assert en.totals.vat_total == fapiao.total_tax * sign
    assert en.totals.tax_inclusive == en.totals.payable == fapiao.total_with_tax * sign
    # Recomputing from scratch agrees, up to the per-line rounding BR-CO-17 tolerates.
    again = calculation.complete(
        en.model_copy(update={"totals": None, "vat_breakdown": []}), exemptions=EXEMPTIONS
    )
    assert again.totals is not None
    assert again.totals.tax_exclusive == en.totals.tax_exclusive
    assert abs(again.totals.vat_total - en.totals.vat_total) < 1
    assert [line.net_amount for line in again.lines] == [li.amount * sign for li in fapiao.lines]
    for note in notes:
        assert note.severity in {"lost", "approximated", "info"}
        assert note.message_en and note.message_zh


def test_header_parties_and_payment():
    en, _ = to_en16931(software_services())
    assert (en.number, en.issue_date, en.type_code, en.currency) == (
        "24312000000012345678",
        dt.date(2024, 11, 5),
        "380",
        "CNY",
    )
    assert en.seller.name == "上海云桥软件科技有限公司"
    assert en.seller.legal_registration is not None
    assert en.seller.legal_registration.value == "91310115MA1K4XW7P1"
    assert en.seller.legal_registration.scheme is None  # no ISO 6523 ICD for the USCC
    assert en.seller.vat_id == "CN91310115MA1K4XW7P1"
    assert en.seller.address.line1 == "上海市浦东新区张江路665号3层"
    assert en.seller.address.country == "CN"
    assert en.seller.contact is not None and en.seller.contact.telephone == "021-50801234"
    assert en.buyer.vat_id == "CN91320500MA20KC8L3E"
    assert en.payment_instructions is not None
    assert en.payment_instructions.means_code == "30"
    assert en.payment_instructions.means_text == "招商银行上海张江支行"
    assert en.payment_instructions.credit_transfers[0].account_id == "121912345610801"
    [note] = en.notes
    fields = parse_note(note.text)
    assert (fields.kind, fields.drawer, fields.remarks) == (
        "电子发票（增值税专用发票）",
        "王芳",
        "合同编号：YQ-2024-0931",
    )


def test_lines_items_classification_and_attributes():
    en, _ = to_en16931(software_services())
    first = en.lines[0]
    assert first.item.name == "软件开发服务"
    assert first.quantity == 1 and first.unit == "E48" and first.price.net_price == 100000
    assert first.net_amount == D("100000.00")
    assert (first.item.vat_category, first.item.vat_rate) == ("S", D(6))
    [classification] = first.item.classifications
    assert classification.code == "3040201010000000000"
    assert classification.list_id == "ZZZ"
    assert classification.list_id in codelists.ITEM_CLASSIFICATION_SCHEMES
    attributes = {a.name: a.value for a in first.item.attributes}
    assert attributes == {ATTRIBUTE_SHORT_NAME: "信息技术服务", ATTRIBUTE_SPECIFICATION: "ERP二期"}


def test_units_known_kept_and_unknown():
    en, notes = to_en16931(network_equipment())
    assert [line.unit for line in en.lines] == ["H87", "MTR", "KGM", "XBX", "SET", "H87"]
    server_attributes = {a.name: a.value for a in en.lines[0].item.attributes}
    assert server_attributes[ATTRIBUTE_UNIT] == "台"  # H87 alone would come back as 个
    assert ATTRIBUTE_UNIT not in {a.name for a in en.lines[1].item.attributes}
    en, notes = to_en16931(mixed_rates())
    assert en.lines[3].unit == "C62"
    assert {a.name: a.value for a in en.lines[3].item.attributes}[ATTRIBUTE_UNIT] == "人天"
    [note] = notes_for(notes, "lines[3].unit")
    assert note.severity == "approximated" and "人天" in note.message_en


def test_lines_without_quantity_or_price():
    en, notes = to_en16931(mixed_rates())
    installation = en.lines[1]
    assert (installation.quantity, installation.price.net_price, installation.unit) == (
        D(1),
        D("3200.00"),
        "C62",
    )
    assert notes_for(notes, "lines[1].quantity")[0].severity == "info"
    assert en.lines[3].price.net_price == D("1234.57")
    assert notes_for(notes, "lines[3].unit_price")[0].severity == "info"


def test_unit_price_is_adjusted_when_quantity_times_price_misses_the_amount():
    fapiao = invoice(
        "24312000000012345690",
        [line("*信息技术服务*咨询", "30000.01", "6", quantity="3", unit="天", unit_price="10000")],
    )
    en, notes = to_en16931(fapiao)
    assert en.lines[0].net_amount == D("30000.01")
    assert en.lines[0].price.net_price == D("10000.0033333333")
    assert notes_for(notes, "lines[0].unit_price")[0].severity == "approximated"


def test_vat_categories_for_prc_rates():
    en, _ = to_en16931(mixed_rates())
    assert [(b.category, b.rate) for b in en.vat_breakdown] == [
        ("S", D(13)),
        ("S", D(9)),
        ("S", D(6)),
    ]
    en, _ = to_en16931(with_exempt_line())
    exempt = en.vat_breakdown[0]
    assert (exempt.category, exempt.rate, exempt.tax_amount) == ("E", D(0), D(0))
    assert exempt.exemption_reason is not None and "免税" in exempt.exemption_reason


def test_zero_rate_is_g_abroad_and_z_at_home():
    en, _ = to_en16931(software_export(), options=EXPORT)
    [export] = en.vat_breakdown
    assert (export.category, export.exemption_reason_code) == ("G", "VATEX-EU-G")
    assert en.buyer.address.country == "SG"
    assert en.buyer.identifiers[0].value == "201912345K"
    assert en.buyer.vat_id is None
    en, notes = to_en16931(software_export())
    assert en.vat_breakdown[0].category == "Z"
    assert notes_for(notes, "buyer.address")[0].severity == "approximated"
    en, _ = mapped(software_export(), buyer_country="SG", zero_rate_category="Z")
    assert en.vat_breakdown[0].category == "Z"


def test_not_subject_to_vat():
    only = invoice(
        "24312000000012345691",
        [line("*代收代付*代收境外费用", "5000.00", None, rate_kind=RateKind.NOT_TAXABLE)],
    )
    en, notes = to_en16931(only)
    assert [(b.category, b.rate, b.exemption_reason_code) for b in en.vat_breakdown] == [
        ("O", None, "VATEX-EU-O")
    ]
    # BR-O-02: no VAT identifiers next to "not subject to VAT" lines.
    assert en.seller.vat_id is None and en.buyer.vat_id is None
    assert en.seller.tax_registration_id == "91310115MA1K4XW7P1"
    assert not notes_for(notes, "lines")
    mixed = invoice(
        "24312000000012345692",
        [*software_services().lines, *only.lines],
    )
    _, notes = to_en16931(mixed)
    [warning] = notes_for(notes, "lines")
    assert "BR-O-11" in warning.message_en


def test_per_line_rounding_keeps_the_fapiao_tax_by_default():
    en, notes = to_en16931(network_equipment())
    assert en.vat_breakdown[0].tax_amount == D("12336.78")
    [note] = notes_for(notes, "total_tax")
    assert note.severity == "info" and "12336.77" in note.message_en
    en, notes = mapped(network_equipment(), vat_amounts="en16931")
    assert en.vat_breakdown[0].tax_amount == D("12336.77")
    assert en.totals is not None and en.totals.tax_inclusive == D("107234.97")
    assert {n.severity for n in notes_for(notes, "total_tax")} == {"approximated"}


def test_red_letter_becomes_a_credit_note_with_positive_amounts():
    en, _ = to_en16931(red_letter())
    assert en.type_code == "381" and en.is_credit_note
    assert en.lines[0].quantity == 12 and en.lines[0].net_amount == D("30000.00")
    [preceding] = en.preceding_invoices
    assert (preceding.number, preceding.issue_date) == (
        "24312000000012345678",
        dt.date(2024, 11, 5),
    )
    assert parse_note(en.notes[0].text).confirmation_number == "31011524120600001234"
    assert en.totals is not None and en.totals.payable == D("31800.00")


def test_losses_are_reported():
    _, notes = to_en16931(software_services())
    fields = {note.field: note.severity for note in notes}
    assert fields["buyer.bank_account"] == "lost"
    assert fields["issued_at"] == "lost"
    assert fields["lines[].tax_amount"] == "info"


def test_options_for_scheme_versions_and_specification():
    en, _ = mapped(
        software_services(),
        classification_version="53.0",
        legal_registration_scheme="0199",
        specification_id="urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    )
    assert en.lines[0].item.classifications[0].list_version == "53.0"
    assert en.seller.legal_registration is not None
    assert en.seller.legal_registration.scheme == "0199"
    assert en.claims_peppol
