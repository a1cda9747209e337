"""Customs supervision modes and the Shanghai bonded-import rule."""

from __future__ import annotations

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.modes import (
    MODES,
    Direction,
    allowed_bonded_import_modes,
    bonded_import_mode_problem,
    customs_mode,
)


def test_the_five_modes():
    assert set(MODES) == {"9610", "1210", "1239", "9710", "9810"}
    assert customs_mode("9710").directions == {Direction.EXPORT}
    assert customs_mode("1239").directions == {Direction.IMPORT}


def test_retail_imports_need_the_three_orders_and_the_list():
    messages = {r.message for r in customs_mode("9610").documents(Direction.IMPORT)}
    assert {"CEB311", "CEB411", "CEB511", "CEB621"} <= messages
    bonded = [r.name for r in customs_mode("1210").documents(Direction.IMPORT)]
    assert any("account book" in name for name in bonded)


def test_overseas_warehouse_needs_its_filing():
    names = " ".join(r.name for r in customs_mode("9810").documents(Direction.EXPORT))
    assert "overseas-warehouse" in names and "booking note" in names


@pytest.mark.parametrize("city", ["上海", "上海市", "Shanghai", " shanghai "])
def test_shanghai_bonded_imports_use_1210(city):
    assert allowed_bonded_import_modes(city) == {"1210"}
    assert bonded_import_mode_problem("1210", city) is None
    assert "1210" in (bonded_import_mode_problem("1239", city) or "")


def test_other_cities_are_not_constrained():
    assert allowed_bonded_import_modes("合肥") == {"1210", "1239"}
    assert bonded_import_mode_problem("9610", "合肥") is not None


def test_unknown_mode():
    with pytest.raises(ValidationFailed):
        customs_mode("0110")
