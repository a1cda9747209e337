"""Air dangerous-goods screening of parcels, dated by DGR edition."""

from __future__ import annotations

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.dangerous_goods import screen_air

ITEM_KEYS = {
    "un_number",
    "packing_instruction",
    "section",
    "passenger_aircraft",
    "cargo_aircraft",
    "excepted_quantity",
    "limited_quantity",
    "refused",
    "reasons",
}


def screen(*items, ship_date="2025-06-01", **request):
    return screen_air({"ship_date": ship_date, "items": list(items), **request}).as_dict()


def one(item, **kwargs):
    return screen(item, **kwargs)["items"][0]


def codes(result):
    return [reason["code"] for reason in result["reasons"]]


def ion(configuration, watt_hours, **extra):
    return {
        "kind": "lithium_ion_battery",
        "configuration": configuration,
        "watt_hours": watt_hours,
        **extra,
    }


def metal(configuration, grams, **extra):
    return {
        "kind": "lithium_metal_battery",
        "configuration": configuration,
        "lithium_grams": grams,
        **extra,
    }


def test_contract():
    result = screen(ion("contained_in_equipment", 10))
    assert set(result) == {"edition", "items", "parcel"}
    assert set(result["items"][0]) == ITEM_KEYS
    assert set(result["parcel"]) == ITEM_KEYS


# Lithium ion ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("watt_hours", "cell", "section"),
    [("100", False, "IB"), ("100.1", False, "IA"), ("20", True, "IB"), ("20.1", True, "IA")],
)
def test_power_bank_sections(watt_hours, cell, section):
    result = one(ion("standalone", watt_hours, state_of_charge=30, cell=cell))
    assert (result["un_number"], result["packing_instruction"], result["section"]) == (
        "UN3480",
        "965",
        section,
    )
    assert result["passenger_aircraft"] is False and result["cargo_aircraft"] is True
    assert result["refused"] is False


@pytest.mark.parametrize(("soc", "code"), [(None, "soc_undeclared"), ("30.5", "soc_over_30")])
def test_standalone_li_ion_needs_30_percent(soc, code):
    item = ion("standalone", 50)
    if soc is not None:
        item["state_of_charge"] = soc
    result = one(item)
    assert result["refused"] is True
    assert code in codes(result)


@pytest.mark.parametrize(
    ("configuration", "watt_hours", "pi", "section"),
    [
        ("packed_with_equipment", 100, "966", "II"),
        ("packed_with_equipment", "100.5", "966", "I"),
        ("contained_in_equipment", 100, "967", "II"),
        ("contained_in_equipment", 160, "967", "I"),
    ],
)
def test_batteries_with_equipment(configuration, watt_hours, pi, section):
    result = one(ion(configuration, watt_hours, state_of_charge=30))
    assert (result["un_number"], result["packing_instruction"], result["section"]) == (
        "UN3481",
        pi,
        section,
    )
    assert result["passenger_aircraft"] is True and result["cargo_aircraft"] is True


def test_state_of_charge_of_batteries_packed_with_equipment_by_edition():
    item = ion("packed_with_equipment", 50, state_of_charge=60)
    in_2024 = one(item, ship_date="2024-12-31")
    assert in_2024["refused"] is False and codes(in_2024) == ["pi966"]
    in_2025 = one(item, ship_date="2025-12-31")
    assert in_2025["refused"] is False and "soc_recommended" in codes(in_2025)
    in_2026 = one(item, ship_date="2026-01-01")
    assert in_2026["refused"] is True and "soc_over_30" in codes(in_2026)
    # Up to 2.7 Wh the rule does not apply.
    assert one(ion("packed_with_equipment", "2.7"), ship_date="2026-01-01")["refused"] is False
    assert one(ion("packed_with_equipment", "2.71"), ship_date="2026-01-01")["refused"] is True


def test_contained_in_equipment_soc_is_only_recommended():
    result = one(ion("contained_in_equipment", 50, state_of_charge=90), ship_date="2026-06-01")
    assert result["refused"] is False
    assert "soc_recommended" in codes(result)


def test_spares_packed_with_equipment_from_2025():
    three = ion("packed_with_equipment", 10, state_of_charge=30, quantity=3)
    four = {**three, "quantity": 4}
    assert one(three)["refused"] is False
    assert "too_many_spares" in codes(one(four))
    assert one({**four, "batteries_required": 2})["refused"] is False
    assert one(four, ship_date="2024-06-01")["refused"] is False


def test_edition_is_named():
    assert screen(ion("contained_in_equipment", 10), ship_date="2026-03-01")["edition"].startswith(
        "IATA DGR 67th"
    )
    later = screen(ion("contained_in_equipment", 10), ship_date="2027-03-01")
    assert "edition_assumed" in codes(later["parcel"])


def test_ship_dates_before_the_modelled_editions_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        screen(ion("contained_in_equipment", 10), ship_date="2022-03-31")
    assert caught.value.fields[0].field == "ship_date"


# Lithium metal --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configuration", "grams", "un", "pi", "section", "passenger"),
    [
        ("standalone", 2, "UN3090", "968", "IB", False),
        ("standalone", "2.1", "UN3090", "968", "IA", False),
        ("packed_with_equipment", 2, "UN3091", "969", "II", True),
        ("contained_in_equipment", "2.5", "UN3091", "970", "I", True),
    ],
)
def test_lithium_metal(configuration, grams, un, pi, section, passenger):
    result = one(metal(configuration, grams))
    assert (result["un_number"], result["packing_instruction"], result["section"]) == (
        un,
        pi,
        section,
    )
    assert result["passenger_aircraft"] is passenger and result["cargo_aircraft"] is True


def test_lithium_metal_cell_threshold():
    assert one(metal("contained_in_equipment", 1, cell=True))["section"] == "II"
    assert one(metal("contained_in_equipment", "1.1", cell=True))["section"] == "I"


# Magnets ----------------------------------------------------------------------------------------


def test_magnet_thresholds():
    weak = one({"kind": "magnetized_material", "field_strength_2_1m": "0.417"})
    assert weak["un_number"] is None and weak["refused"] is False
    regulated = one(
        {
            "kind": "magnetized_material",
            "field_strength_2_1m": "0.418",
            "field_strength_4_6m": "0.2",
        }
    )
    assert (regulated["un_number"], regulated["packing_instruction"]) == ("UN2807", "953")
    assert regulated["passenger_aircraft"] is True
    forbidden = one(
        {"kind": "magnetized_material", "field_strength_2_1m": "2", "field_strength_4_6m": "0.418"}
    )
    assert forbidden["refused"] is True and "magnet_forbidden" in codes(forbidden)
    unknown = one({"kind": "magnetized_material", "field_strength_2_1m": "2"})
    assert unknown["refused"] is True


# Perfume and aerosols ---------------------------------------------------------------------------


def perfume(volume_ml, quantity=1, flash_point_c=None):
    item = {"kind": "perfume", "volume_ml": volume_ml, "quantity": quantity}
    if flash_point_c is not None:
        item["flash_point_c"] = flash_point_c
    return item


@pytest.mark.parametrize(
    ("item", "eq", "lq", "pi", "passenger", "cargo"),
    [
        (perfume(30, 16, 12), "E2", "Y341", "353", True, True),  # 480 ml of 30 ml bottles
        (perfume(30, 17, 12), None, "Y341", "353", True, True),  # 510 ml: over 500 ml outer
        (perfume(50, 1, 12), None, "Y341", "353", True, True),  # 50 ml inner: no E2
        (perfume(100, 11, 12), None, None, "353", True, True),  # 1.1 L: no limited quantity
        (perfume(1000, 6, 12), None, None, "364", False, True),  # 6 L: cargo aircraft only
        (perfume(100, 50, 40), None, "Y344", "355", True, True),  # PG III, 5 L
        (perfume(1000, 11, 40), None, None, "355", True, True),  # PG III, 11 L
        (perfume(100, 5, 61), None, None, None, True, True),  # flash point above 60 °C
    ],
)
def test_perfume(item, eq, lq, pi, passenger, cargo):
    result = one(item)
    assert result["excepted_quantity"] == eq
    assert result["limited_quantity"] == lq
    assert result["packing_instruction"] == pi
    assert (result["passenger_aircraft"], result["cargo_aircraft"]) == (passenger, cargo)


def test_undeclared_flash_point_is_taken_as_pg_ii():
    result = one(perfume(30))
    assert result["excepted_quantity"] == "E2"
    assert "flash_point_assumed" in codes(result)


def test_perfume_adds_up_across_items():
    result = screen(perfume(30, 10, 12), perfume(25, 10, 12))  # 300 + 250 ml
    assert all(item["excepted_quantity"] == "E2" for item in result["items"])
    parcel = result["parcel"]
    assert parcel["excepted_quantity"] is None
    assert parcel["limited_quantity"] == ["Y341"]
    assert "perfume_total" in codes(parcel)


def test_aerosols():
    result = one({"kind": "aerosol", "volume_ml": 200, "quantity": 2})
    assert (result["un_number"], result["excepted_quantity"], result["limited_quantity"]) == (
        "UN1950",
        None,
        "Y203",
    )
    assert "mass_not_checked" in codes(result)
    heavy = one({"kind": "aerosol", "volume_ml": 500, "quantity": 200, "gross_grams": 400})
    assert heavy["limited_quantity"] is None
    assert (heavy["passenger_aircraft"], heavy["cargo_aircraft"]) == (False, True)
    assert one({"kind": "aerosol", "volume_ml": 1001})["refused"] is True


# Parcel and mail ------------------------------------------------------------------------------


def test_parcel_combines_the_items():
    result = screen(
        ion("standalone", 50, state_of_charge=25),
        ion("contained_in_equipment", 10),
        {"kind": "other"},
    )
    parcel = result["parcel"]
    assert parcel["un_number"] == ["UN3480", "UN3481"]
    assert parcel["packing_instruction"] == ["965", "967"]
    assert parcel["passenger_aircraft"] is False and parcel["cargo_aircraft"] is True
    assert parcel["refused"] is False


def test_a_refused_item_refuses_the_parcel():
    parcel = screen(ion("standalone", 50), ion("contained_in_equipment", 10))["parcel"]
    assert parcel["refused"] is True
    assert "item_refused" in codes(parcel)


def test_nothing_dangerous():
    parcel = screen({"kind": "other"})["parcel"]
    assert parcel["un_number"] == [] and parcel["refused"] is False
    assert parcel["excepted_quantity"] is None


def test_mail_carries_only_batteries_installed_in_equipment():
    installed = one(ion("contained_in_equipment", 50), channel="mail")
    assert installed["refused"] is False
    for item in (
        ion("packed_with_equipment", 50, state_of_charge=30),
        ion("contained_in_equipment", 150),
        perfume(30),
    ):
        result = one(item, channel="mail")
        assert result["refused"] is True and "not_by_mail" in codes(result)
    assert one({"kind": "other"}, channel="mail")["refused"] is False


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"kind": "plutonium"}, "items[0].kind"),
        ({"kind": "lithium_ion_battery", "watt_hours": 10}, "items[0].configuration"),
        ({"kind": "lithium_ion_battery", "configuration": "standalone"}, "items[0].watt_hours"),
        ({"kind": "perfume"}, "items[0].volume_ml"),
        ({"kind": "perfume", "volume_ml": 10, "quantity": 0}, "items[0].quantity"),
        (ion("standalone", 10, state_of_charge=101), "items[0].state_of_charge"),
        ({"kind": "other", "weight": 1}, "items[0].weight"),
    ],
)
def test_bad_items_name_the_field(item, field):
    with pytest.raises(ValidationFailed) as caught:
        screen(item)
    assert caught.value.fields[0].field == field
