"""The unit table and the model's own checks (number layout, rate kinds, representations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from digitrade.systems.einvoice.en16931 import codelists
from digitrade.systems.einvoice.fapiao import (
    FapiaoLine,
    RateKind,
    Representation,
    chinese_unit,
    invoice_number_parts,
    unit_code,
)
from digitrade.systems.einvoice.fapiao.model import CHINA_TIME, FullyDigitalInvoice
from digitrade.systems.einvoice.fapiao.units import unit_table
from tests.systems.einvoice.fapiao.samples import software_services


def test_every_unit_code_is_in_the_en16931_code_list():
    assert unit_table()
    assert {row.code for row in unit_table()} <= codelists.UNIT_CODES


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("个", "H87"), ("件", "H87"), ("台", "H87"), ("套", "SET"), ("千克", "KGM"),
        ("公斤", "KGM"), ("吨", "TNE"), ("米", "MTR"), ("小时", "HUR"), ("次", "ACT"),
        ("项", "E48"), ("批", "LO"), ("箱", "XBX"), ("天", "DAY"), ("月", "MON"),
        ("年", "ANN"), (" 台 ", "H87"), ("KG", "KGM"),
    ],
)  # fmt: skip
def test_common_units(unit, code):
    assert unit_code(unit) == code


def test_unknown_units_and_reverse_lookup():
    assert unit_code("人天") is None
    assert chinese_unit("H87") == "个"  # the first row of a code is what is written back
    assert chinese_unit("KGM") == "千克"
    assert chinese_unit("C62") is None


def test_invoice_number_parts():
    parts = invoice_number_parts("24312000000012345678")
    assert parts.year == 2024
    assert parts.region_code == "31"
    assert parts.region_name == "上海市"
    assert parts.channel == "2"
    assert parts.sequence == "000000012345678"
    assert software_services().number_parts == parts


@pytest.mark.parametrize(
    "number", ["2431200000001234567", "24312000000012345678X", "2431200000001234567A"]
)
def test_malformed_numbers_are_refused(number):
    with pytest.raises(ValidationError, match="20 digits"):
        FullyDigitalInvoice.model_validate({**software_services().model_dump(), "number": number})


def test_rate_and_kind_must_agree():
    with pytest.raises(ValidationError, match="needs the rate"):
        FapiaoLine(item_name="x", amount=Decimal(1), tax_amount=Decimal(0))
    with pytest.raises(ValidationError, match="has no rate"):
        FapiaoLine(
            item_name="x",
            amount=Decimal(1),
            tax_amount=Decimal(0),
            rate_kind=RateKind.EXEMPT,
            tax_rate=Decimal(0),
        )


def test_line_names_and_labels():
    line = software_services().lines[0]
    assert line.short_name == "信息技术服务"
    assert line.plain_name == "软件开发服务"
    assert line.tax_rate_label == "6%"
    exempt = FapiaoLine(
        item_name="技术转让", amount=Decimal(1), tax_amount=Decimal(0), rate_kind=RateKind.EXEMPT
    )
    assert exempt.short_name is None
    assert exempt.plain_name == "技术转让"
    assert exempt.tax_rate_label == "免税"


def test_blank_optional_text_is_none_and_naive_times_are_beijing_time():
    data = software_services().model_dump()
    data["issued_at"] = dt.datetime(2024, 11, 5, 10, 0)
    data["remarks"] = "   "
    data["seller"]["bank_name"] = ""
    invoice = FullyDigitalInvoice.model_validate(data)
    assert invoice.issued_at.tzinfo == CHINA_TIME
    assert invoice.remarks is None
    assert invoice.seller.bank_name is None


def test_an_issued_fapiao_has_a_number_and_a_representation_has_none():
    data = software_services().model_dump()
    with pytest.raises(ValidationError, match="20-digit number"):
        FullyDigitalInvoice.model_validate({**data, "number": None})
    representation = Representation(source_number="INV-1", source_currency="EUR")
    with pytest.raises(ValidationError, match="has no fapiao number"):
        FullyDigitalInvoice.model_validate({**data, "representation": representation})
    converted = FullyDigitalInvoice.model_validate(
        {**data, "number": None, "representation": representation}
    )
    assert not converted.is_issued
    assert "not a fapiao" in converted.representation.statement_en
