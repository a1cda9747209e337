"""The shipped data categories, organisations' extensions, and the inventory profile."""

from __future__ import annotations

import json

import pytest

from digitrade.systems.dataflow.taxonomy import (
    Citation,
    DataCategory,
    Grade,
    Taxonomy,
    TaxonomyError,
    extend,
    parse_taxonomy,
    profile,
    shipped_taxonomy_file,
)

# PIPL Art 28, in the article's order.
PIPL_ART_28 = (
    "pi.sensitive.biometric",
    "pi.sensitive.religious_belief",
    "pi.sensitive.specific_identity",
    "pi.sensitive.medical_health",
    "pi.sensitive.financial_account",
    "pi.sensitive.whereabouts",
    "pi.sensitive.minor_under_14",
)


@pytest.fixture(scope="module")
def shipped() -> Taxonomy:
    return parse_taxonomy(shipped_taxonomy_file().read_text(encoding="utf-8"))


def _addition(**fields) -> dict:
    values = {
        "code": "org.hr.payroll",
        "name_en": "Payroll records",
        "name_zh": "薪酬记录",
        "personal": True,
        "sensitive": False,
        "default_grade": "general",
        "basis": [{"instrument": "PIPL", "article": "Art 4"}],
    }
    values.update(fields)
    return values


# --- shipped data -------------------------------------------------------------------------


def test_shipped_taxonomy_loads_with_sources(shipped):
    assert shipped.version
    assert any("GB/T 43697-2024" in source for source in shipped.sources)
    assert any("PIPL" in source for source in shipped.sources)


def test_every_pipl_art_28_category_is_sensitive_and_personal(shipped):
    for code in PIPL_ART_28:
        category = shipped.category(code)
        assert category.personal and category.sensitive
        assert Citation("PIPL", "Art 28") in category.basis


def test_every_category_is_bilingual_and_cites_a_basis(shipped):
    codes = [category.code for category in shipped.categories]
    assert len(codes) == len(set(codes))
    for category in shipped.categories:
        assert category.name_en and category.name_zh
        assert category.basis, category.code
        assert not category.sensitive or category.personal


def test_the_three_grades_are_described(shipped):
    assert {definition.grade for definition in shipped.grades} == set(Grade)
    important = shipped.grade_definition(Grade.IMPORTANT)
    assert important.name_zh == "重要数据"
    assert "security assessment" in important.description_en
    assert any("Art 37" in str(citation) for citation in important.basis)
    assert shipped.category("data.core").default_grade is Grade.CORE
    assert shipped.category("data.important_notified").default_grade is Grade.IMPORTANT


def test_personal_information_is_general_data_by_default(shipped):
    """GB/T 43697-2024: harm to individuals only grades as general, however serious."""
    assert all(
        category.default_grade is Grade.GENERAL
        for category in shipped.categories
        if category.personal
    )


# --- extend -------------------------------------------------------------------------------


def test_extend_adds_an_organisations_categories(shipped):
    extended = extend(shipped, [_addition(), _addition(code="org.rnd.designs", personal=False)])
    assert len(extended.categories) == len(shipped.categories) + 2
    assert extended.category("org.hr.payroll").name_zh == "薪酬记录"
    assert extended.grades == shipped.grades
    assert len(shipped.categories) == 15, "the base is left as it was"


def test_extend_accepts_ready_made_categories(shipped):
    ready = DataCategory(
        code="org.logistics.manifests",
        name_en="Shipping manifests",
        name_zh="",
        personal=False,
        sensitive=False,
        default_grade=Grade.GENERAL,
        basis=(),
    )
    assert extend(shipped, [ready]).category("org.logistics.manifests") == ready


def test_extend_refuses_duplicates_and_bad_grades_all_at_once(shipped):
    additions = [
        _addition(code="pi.contact"),  # already shipped
        _addition(),
        _addition(),  # repeated within the additions
        _addition(code="org.a", default_grade="secret"),
        _addition(code="org.b", sensitive=True, personal=False),
        _addition(code="Org B!", name_en="", name_zh=""),
    ]
    with pytest.raises(TaxonomyError) as raised:
        extend(shipped, additions)
    found = {(issue.position, issue.field) for issue in raised.value.issues}
    assert found == {
        (1, "code"),
        (3, "code"),
        (4, "default_grade"),
        (5, "sensitive"),
        (6, "code"),
        (6, "name_en"),
    }
    assert "GB/T 43697-2024" in next(i.message for i in raised.value.issues if i.position == 4)


def test_extend_refuses_a_grade_that_is_not_a_grade(shipped):
    rogue = DataCategory(
        code="org.x",
        name_en="X",
        name_zh="",
        personal=False,
        sensitive=False,
        default_grade="secret",  # type: ignore[arg-type]
        basis=(),
    )
    with pytest.raises(TaxonomyError):
        extend(shipped, [rogue])


# --- profile ------------------------------------------------------------------------------


def test_profile_of_an_inventory(shipped):
    contact, health, trade = shipped.resolve(
        ["pi.contact", "pi.sensitive.medical_health", "data.business_general"]
    )
    assert profile([contact]) == (True, False, Grade.GENERAL)
    assert profile([contact, health]) == (True, True, Grade.GENERAL)
    assert profile([trade]) == (False, False, Grade.GENERAL)
    has_personal, has_sensitive, highest = profile(
        [trade, shipped.category("data.important_notified"), contact]
    )
    assert (has_personal, has_sensitive, highest) == (True, False, Grade.IMPORTANT)
    assert profile([shipped.category("data.core"), trade]).highest_grade is Grade.CORE


def test_profile_of_nothing():
    assert profile([]) == (False, False, None)


def test_resolve_reports_every_unknown_code(shipped):
    with pytest.raises(TaxonomyError) as raised:
        shipped.resolve(["pi.contact", "nope", "pi.sensitive.biometric", "also.nope"])
    assert [issue.position for issue in raised.value.issues] == [2, 4]


# --- parse --------------------------------------------------------------------------------


def test_parse_reports_structural_problems():
    document = json.loads(shipped_taxonomy_file().read_text(encoding="utf-8"))
    document["format"] = "other"
    document["grades"] = document["grades"][:2]
    document["categories"][0]["personal"] = "yes"
    with pytest.raises(TaxonomyError) as raised:
        parse_taxonomy(json.dumps(document))
    found = {(issue.position, issue.field) for issue in raised.value.issues}
    assert {(0, "format"), (0, "grades"), (1, "personal")} <= found


def test_parse_rejects_non_json():
    with pytest.raises(TaxonomyError, match="not valid JSON"):
        parse_taxonomy("{")
