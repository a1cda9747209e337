"""Digitally deliverable definitions and the totals they imply."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.statistics import classification as cl
from digitrade.systems.statistics import definitions as df

# One value per component (US$ m), round numbers so the sums are checkable by hand.
COMPONENT_VALUES = {
    "SA": D(10),
    "SB": D(20),
    "SC": D(300),
    "SD": D(400),
    "SE": D(50),
    "SF": D(60),
    "SG": D(70),
    "SH": D(80),
    "SI": D(90),
    "SJ": D(100),
    "SK": D(11),
    "SL": D(9),
}


def test_definitions_as_data():
    assert df.UNCTAD.codes == ("SF", "SG", "SH", "SI", "SJ", "SK1")
    assert df.MOFCOM_WTO.codes == ("SF", "SG", "SH", "SI", "SJ", "SK")
    assert df.WTO_MODE1.codes == ("SF", "SG", "SH", "SI1", "SI2", "SI3", "SJ", "SK")
    assert "Technical Note No. 3" in df.UNCTAD.citation
    assert "US.DigitallyDeliverableServices" in df.UNCTAD.citation
    assert "MOFCOM" in df.MOFCOM_WTO.citation
    assert df.definition("unctad") is df.UNCTAD
    assert df.definition("mofcom_wto") is df.MOFCOM_WTO
    with pytest.raises(ValueError, match="unknown definition"):
        df.definition("oecd")


@pytest.mark.parametrize("definition", list(df.DEFINITIONS.values()))
def test_definition_codes_are_known_and_disjoint(definition):
    for code in definition.codes:
        assert cl.known_code(code)
        others = set(definition.codes) - {code}
        assert not others & set(cl.descendants(code)), code


def test_definitions_match_the_classification_flags():
    for definition, flag in (
        (df.UNCTAD, "unctad_digitally_deliverable"),
        (df.MOFCOM_WTO, "mofcom_digitally_deliverable"),
    ):
        flagged = {c for c, e in cl.codes().items() if getattr(e, flag)}
        tops = {
            c for c in flagged if cl.lookup(c).parent is None or cl.lookup(c).parent not in flagged
        }
        assert tops == set(definition.codes)


def test_mofcom_total_from_components():
    total = df.dds_total(COMPONENT_VALUES, df.MOFCOM_WTO)
    assert total.definition == "mofcom_wto"
    assert total.complete
    assert total.missing == ()
    assert total.value == D(60 + 70 + 80 + 90 + 100 + 11)
    assert total.from_children == ()


def test_unctad_needs_sk1_and_reports_it_missing():
    total = df.dds_total(COMPONENT_VALUES, df.UNCTAD)
    assert not total.complete
    assert total.value is None  # never a silent zero for SK1
    assert total.missing == ("SK1",)
    assert total.partial_sum == D(400)
    values = {**COMPONENT_VALUES, "SK1": D(4)}
    total = df.dds_total(values, df.UNCTAD)
    assert total.complete
    assert total.value == D(404)


def test_fallback_to_children_recursively():
    values = {k: v for k, v in COMPONENT_VALUES.items() if k != "SI"}
    values |= {"SI1": D(5), "SI21": D("30.5"), "SI22": D("20.5"), "SI3": D(4)}
    total = df.dds_total(values, df.MOFCOM_WTO)
    assert total.complete
    assert total.parts["SI"] == D(60)
    assert total.value == D(60 + 70 + 80 + 60 + 100 + 11)
    assert total.from_children == ("SI2", "SI")


def test_partial_children_do_not_count():
    values = {k: v for k, v in COMPONENT_VALUES.items() if k != "SI"}
    values |= {"SI1": D(5), "SI21": D(30)}  # SI22 and SI3 missing
    total = df.dds_total(values, df.MOFCOM_WTO)
    assert not total.complete
    assert total.missing == ("SI",)
    assert total.value is None
    assert "SI" not in total.parts


def test_reported_parent_wins_over_children():
    values = {**COMPONENT_VALUES, "SI1": D(1), "SI2": D(1), "SI3": D(1)}
    assert df.dds_total(values, df.MOFCOM_WTO).parts["SI"] == D(90)


def test_total_services():
    total = df.total_services(COMPONENT_VALUES)
    assert total.definition == df.TOTAL_SERVICES_KEY
    assert total.value == D(1200)
    assert df.total_services({"S": D(5)}).value == D(5)
    incomplete = df.total_services({"SA": D(1)})
    assert incomplete.value is None
    assert incomplete.missing == cl.COMPONENTS[1:]


def test_dds_share():
    assert df.dds_share(COMPONENT_VALUES, df.MOFCOM_WTO) == D(411) / D(1200)
    assert df.dds_share(COMPONENT_VALUES, df.UNCTAD) is None


def test_floats_are_refused():
    with pytest.raises(TypeError, match="Decimal"):
        df.dds_total({"SF": 1.5}, df.MOFCOM_WTO)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="finite"):
        df.dds_total({"SF": D("NaN")}, df.MOFCOM_WTO)


SHARES = {
    "SF": D("0.5"),
    "SG": D("0.5"),
    "SH": D("1"),
    "SI1": D("0.8"),
    "SI2": D("0.6"),
    "SI3": D("0.9"),
    "SJ": D("0.4"),
    "SK": D("0.2"),
}


def test_delivered_estimate():
    values = {**COMPONENT_VALUES, "SI1": D(10), "SI2": D(50), "SI3": D(30)}
    est = df.delivered_estimate(values, SHARES)
    assert est.definition == "wto_mode1"
    assert est.complete
    # 30 + 35 + 80 + 8 + 30 + 27 + 40 + 2.2
    assert est.value == D("252.2")
    assert est.parts["SK"] == D("2.2")


def test_delivered_estimate_reports_missing_values():
    est = df.delivered_estimate(COMPONENT_VALUES, SHARES)  # SI1..SI3 not given
    assert not est.complete
    assert est.value is None
    assert est.missing == ("SI1", "SI2", "SI3")


@pytest.mark.parametrize(
    ("shares", "error", "match"),
    [
        ({**SHARES, "SF": D("1.1")}, ValueError, "between 0 and 1"),
        ({**SHARES, "SF": D("-0.1")}, ValueError, "between 0 and 1"),
        ({**SHARES, "SF": 0.5}, TypeError, "Decimal"),
        ({k: v for k, v in SHARES.items() if k != "SJ"}, ValueError, "no Mode 1 share for SJ"),
        ({**SHARES, "SC": D("0.1")}, ValueError, "outside wto_mode1"),
    ],
)
def test_delivered_estimate_validates_shares(shares, error, match):
    with pytest.raises(error, match=match):
        df.delivered_estimate(COMPONENT_VALUES, shares)


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(st.dictionaries(st.sampled_from(cl.leaves_under("S")), money))
def test_leaf_sums_match_and_missing_is_exact(leaf_values):
    """From leaves alone, a code is valued exactly when all its leaves are reported."""
    for definition in (df.UNCTAD, df.MOFCOM_WTO):
        total = df.dds_total(leaf_values, definition)
        expected_missing = tuple(
            code
            for code in definition.codes
            if not all(leaf in leaf_values for leaf in cl.leaves_under(code))
        )
        assert total.missing == expected_missing
        expected = sum(
            (
                leaf_values[leaf]
                for code in definition.codes
                if code not in expected_missing
                for leaf in cl.leaves_under(code)
            ),
            D(0),
        )
        assert total.partial_sum == expected
        assert total.complete == (not expected_missing)
        assert (total.value is None) == bool(expected_missing)
