"""Property: the pathway never becomes less strict when the facts get worse.

Holding every other input fixed, across dates (all rule sets), purposes and FTZ cases: more
individuals (in this transfer or earlier this year, non-sensitive or sensitive), CIIO status,
notified important data or core data never lower ``strictness(pathway)``. Necessity and transit
exemptions make counts and CIIO status irrelevant (Provisions Arts 4-5, 7 §2, 8 §2): the pathway
stays the same, which the property allows. FTZ on-list rows take the row's pathway whatever the
counts (Art 6), likewise constant.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from digitrade.systems.dataflow.rules import (
    AssessmentRequest,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Pathway,
    Purpose,
    assess,
    strictness,
)
from tests.systems.dataflow.rules.builders import request

# Every threshold of both regimes and its neighbours, mixed with arbitrary counts.
BOUNDARIES = (0, 1, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000)
COUNT_FIELDS = (
    "individuals",
    "sensitive_individuals",
    "individuals_earlier_this_year",
    "sensitive_individuals_earlier_this_year",
)

counts = st.one_of(st.sampled_from(BOUNDARIES), st.integers(0, 2_000_000))
increments = st.one_of(st.sampled_from((1, 9_999, 90_000, 900_000)), st.integers(0, 2_000_000))


@st.composite
def ftz_cases(draw: st.DrawFn) -> dict[str, object]:
    match = draw(st.sampled_from((None, *FtzListMatch)))
    requirement = draw(st.sampled_from(FtzRequirement)) if match is FtzListMatch.on_list else None
    return {"in_ftz": draw(st.booleans()), "ftz_match": match, "ftz_requirement": requirement}


@st.composite
def requests(draw: st.DrawFn) -> AssessmentRequest:
    purpose = draw(st.sampled_from(Purpose))
    return request(
        as_of=draw(st.dates(date(2022, 9, 1), date(2027, 12, 31))),
        individuals=draw(counts),
        sensitive=draw(counts),
        earlier=draw(counts),
        earlier_sensitive=draw(counts),
        personal_information=draw(st.booleans()),
        ciio=draw(st.booleans()),
        purpose=purpose,
        remote_access=draw(st.booleans()),
        country=draw(st.sampled_from(("DE", "US", "SG", "HK"))),
        important=draw(st.sampled_from(ImportantData)),
        core=draw(st.booleans()),
        # Transit means PI collected abroad (Provisions Art 4); otherwise either.
        collected_abroad=purpose is Purpose.transit or draw(st.booleans()),
        **draw(ftz_cases()),
    )


def _with_data(base: AssessmentRequest, **changes: object) -> AssessmentRequest:
    return dataclasses.replace(base, data=dataclasses.replace(base.data, **changes))


def _assert_not_less_strict(base: AssessmentRequest, worse: AssessmentRequest) -> None:
    before, after = assess(base), assess(worse)
    assert strictness(after.pathway) >= strictness(before.pathway), (
        f"{before.pathway} -> {after.pathway}\nbase: {base}\nworse: {worse}\n"
        f"basis before: {before.basis}\nbasis after: {after.basis}"
    )


@pytest.mark.parametrize("field", COUNT_FIELDS)
@settings(max_examples=300, deadline=None)
@given(base=requests(), extra=increments)
def test_more_individuals_in_any_count_never_lowers_the_pathway(field, base, extra):
    grown = _with_data(base, **{field: getattr(base.data, field) + extra})
    _assert_not_less_strict(base, grown)


@settings(max_examples=300, deadline=None)
@given(
    base=requests(),
    extra=st.tuples(increments, increments, increments, increments),
)
def test_more_individuals_in_all_counts_at_once_never_lowers_the_pathway(base, extra):
    grown = _with_data(
        base,
        **{
            field: getattr(base.data, field) + more
            for field, more in zip(COUNT_FIELDS, extra, strict=True)
        },
    )
    _assert_not_less_strict(base, grown)


@settings(max_examples=400, deadline=None)
@given(base=requests())
def test_becoming_a_ciio_never_lowers_the_pathway(base):
    non_ciio = dataclasses.replace(
        base, processor=dataclasses.replace(base.processor, is_ciio=False)
    )
    ciio = dataclasses.replace(base, processor=dataclasses.replace(base.processor, is_ciio=True))
    _assert_not_less_strict(non_ciio, ciio)


@settings(max_examples=400, deadline=None)
@given(base=requests())
def test_notified_important_data_never_lowers_the_pathway(base):
    _assert_not_less_strict(
        _with_data(base, important_data=ImportantData.none),
        _with_data(base, important_data=ImportantData.notified),
    )


@settings(max_examples=400, deadline=None)
@given(base=requests())
def test_core_data_never_lowers_the_pathway(base):
    _assert_not_less_strict(_with_data(base, core_data=False), _with_data(base, core_data=True))


@settings(max_examples=300, deadline=None)
@given(base=requests())
def test_core_data_is_always_prohibited_and_important_data_at_least_assessed(base):
    """DSL Art 21 first, then Provisions Art 7: nothing in the order comes before them."""
    assert assess(_with_data(base, core_data=True)).pathway is Pathway.PROHIBITED
    important = _with_data(base, core_data=False, important_data=ImportantData.notified)
    assert assess(important).pathway is Pathway.SECURITY_ASSESSMENT


@pytest.mark.parametrize("pathway", list(Pathway))
def test_the_generated_requests_reach_every_pathway(pathway):
    """The properties above are not vacuous: the strategy produces each pathway."""
    example = find(
        requests(),
        lambda r: assess(r).pathway is pathway,
        settings=settings(max_examples=2_000, database=None),
    )
    assert assess(example).pathway is pathway
