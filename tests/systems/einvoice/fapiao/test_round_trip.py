"""fapiao -> EN 16931 -> fapiao keeps every field the mapping claims to keep, and the other way
round the EN totals and VAT breakdown survive."""

from __future__ import annotations

from decimal import Decimal

import pytest

from digitrade.systems.einvoice.en16931 import calculation
from digitrade.systems.einvoice.fapiao import (
    FullyDigitalInvoice,
    ToEn16931Options,
    from_en16931,
    read_xml,
    to_en16931,
    write_xml,
)
from digitrade.systems.einvoice.fapiao.to_en import EXEMPTIONS
from tests.systems.einvoice.fapiao.samples import ALL_SAMPLES, peppol_invoice

OPTIONS = {"software_export": ToEn16931Options(buyer_country="SG")}
# Party and line fields the mapping claims to keep (the buyer's bank is reported lost).
SELLER_FIELDS = ("name", "tax_id", "address", "telephone", "bank_name", "bank_account")
BUYER_FIELDS = ("name", "tax_id", "address", "telephone")
LINE_FIELDS = (
    "item_name", "specification", "unit", "amount", "rate_kind", "tax_rate", "tax_amount",
    "tax_classification_code",
)  # fmt: skip
INVOICE_FIELDS = (
    "kind", "total_amount", "total_tax", "total_with_tax", "total_with_tax_in_words",
    "remarks", "drawer", "red_letter", "issue_date",
)  # fmt: skip


def round_trip(name: str) -> tuple[FullyDigitalInvoice, FullyDigitalInvoice]:
    original = ALL_SAMPLES[name]()
    en, _ = to_en16931(original, options=OPTIONS.get(name))
    back, _ = from_en16931(en)
    return original, back


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_fapiao_to_en_and_back(name):
    original, back = round_trip(name)
    assert back.representation is not None
    assert back.representation.source_number == original.number
    for field in INVOICE_FIELDS:
        assert getattr(back, field) == getattr(original, field), field
    for field in SELLER_FIELDS:
        assert getattr(back.seller, field) == getattr(original.seller, field), field
    for field in BUYER_FIELDS:
        assert getattr(back.buyer, field) == getattr(original.buyer, field), field
    assert len(back.lines) == len(original.lines)
    for before, after in zip(original.lines, back.lines, strict=True):
        for field in LINE_FIELDS:
            assert getattr(after, field) == getattr(before, field), field
        # Quantity and price come back where the fapiao gave them (lines without are noted).
        if before.quantity is not None:
            assert after.quantity == before.quantity
        if before.unit_price is not None:
            assert after.unit_price == before.unit_price


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_the_round_trip_survives_the_xml_file_too(name):
    original = ALL_SAMPLES[name]()
    read, _ = read_xml(write_xml(original))
    en, _ = to_en16931(read, options=OPTIONS.get(name))
    back, _ = from_en16931(en)
    assert back.total_with_tax == original.total_with_tax
    assert [line.item_name for line in back.lines] == [line.item_name for line in original.lines]


def test_en_to_fapiao_and_back_keeps_totals_and_vat_breakdown():
    source = calculation.complete(peppol_invoice(currency="CNY"))
    fapiao, _ = from_en16931(source)
    again, _ = to_en16931(fapiao)
    assert source.totals is not None and again.totals is not None
    assert again.totals.tax_exclusive == source.totals.tax_exclusive
    assert again.totals.vat_total == source.totals.vat_total
    assert again.totals.tax_inclusive == source.totals.tax_inclusive
    assert [(b.category, b.rate, b.taxable_amount, b.tax_amount) for b in again.vat_breakdown] == [
        (b.category, b.rate, b.taxable_amount, b.tax_amount) for b in source.vat_breakdown
    ]
    # The document allowance came back as a negative line, hence one line more.
    assert len(again.lines) == len(source.lines) + 1
    assert again.lines[-1].net_amount == Decimal("-150.00")
    # And EN's own calculation still accepts the result.
    recomputed = calculation.complete(
        again.model_copy(update={"totals": None, "vat_breakdown": []}), exemptions=EXEMPTIONS
    )
    assert recomputed.totals is not None
    assert recomputed.totals.tax_exclusive == source.totals.tax_exclusive
