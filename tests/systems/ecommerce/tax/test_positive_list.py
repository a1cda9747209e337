"""The positive list is versioned data; a sample ships."""

from __future__ import annotations

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.tax import (
    load_positive_list,
    order_from_dict,
    shipped_sample,
    unlisted_items,
)
from tests.systems.ecommerce.support import item, order


def test_shipped_sample_is_an_incomplete_2022_excerpt():
    sample = shipped_sample()
    assert sample.edition == "2022-sample"
    assert sample.complete is False
    assert sample.effective_from.isoformat() == "2022-03-01"
    assert sample.lookup("3304990099") is not None  # ten-digit code, eight-digit line
    assert sample.lookup("9999999999") is None


def test_declared_flags_checked_against_an_edition():
    request = order_from_dict(
        order(item(sku="CREAM", hs_code="3304990099"), item(sku="PHONE", hs_code="8517130000"))
    )
    assert unlisted_items(request.items, shipped_sample()) == ["PHONE"]


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"code": "3304"}], "lines[0].code"),
        ([{"code": "33049900"}, {"code": "33049900"}], "lines[1].code"),
    ],
)
def test_bad_editions_are_refused(lines, field):
    with pytest.raises(ValidationFailed) as caught:
        load_positive_list({"edition": "x", "effective_from": "2022-03-01", "lines": lines})
    assert caught.value.fields[0].field == field
