"""Parse, extend and summarise a taxonomy. Pure: the caller reads files and passes text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from digitrade.systems.dataflow.taxonomy.model import (
    Citation,
    DataCategory,
    DataProfile,
    Grade,
    GradeDefinition,
    Taxonomy,
    TaxonomyError,
    TaxonomyIssue,
)

TAXONOMY_FORMAT = "digitrade.data_taxonomy.v1"
_CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_GRADES = ", ".join(grade.value for grade in Grade)


def parse_taxonomy(text: str | bytes) -> Taxonomy:
    """A taxonomy from its JSON form (see ``data/categories.json``); every problem at once."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise TaxonomyError(
            "not valid JSON", issues=[TaxonomyIssue(0, "file", f"not valid JSON: {error}")]
        ) from None
    if not isinstance(document, dict):
        raise TaxonomyError(
            "not a taxonomy", issues=[TaxonomyIssue(0, "file", "expected a JSON object")]
        )
    issues: list[TaxonomyIssue] = []
    if document.get("format") != TAXONOMY_FORMAT:
        issues.append(TaxonomyIssue(0, "format", f"expected {TAXONOMY_FORMAT!r}"))
    version = document.get("version")
    if not isinstance(version, str) or not version.strip():
        issues.append(TaxonomyIssue(0, "version", "required"))
    grades = _grade_definitions(document.get("grades"), issues)
    raw_categories = document.get("categories")
    if not isinstance(raw_categories, list):
        issues.append(TaxonomyIssue(0, "categories", "expected a list"))
        raw_categories = []
    categories = _categories(raw_categories, taken=set(), issues=issues)
    sources = document.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        issues.append(TaxonomyIssue(0, "sources", "expected a list of strings"))
        sources = []
    if issues:
        raise TaxonomyError(f"{len(issues)} problems in the taxonomy", issues=issues)
    return Taxonomy(
        version=str(version), grades=grades, categories=categories, sources=tuple(sources)
    )


def extend(base: Taxonomy, additions: Sequence[DataCategory | Mapping[str, Any]]) -> Taxonomy:
    """``base`` plus an organisation's own categories, all or nothing.

    Refuses a code already in ``base`` or repeated among ``additions``, a grade outside
    GB/T 43697-2024's three, and a category flagged sensitive but not personal (PIPL Art 28:
    sensitive personal information is a kind of personal information).
    """
    issues: list[TaxonomyIssue] = []
    taken = {category.code for category in base.categories}
    added = _categories(additions, taken=taken, issues=issues)
    if issues:
        raise TaxonomyError(f"{len(issues)} problems in the added categories", issues=issues)
    return Taxonomy(
        version=base.version,
        grades=base.grades,
        categories=base.categories + added,
        sources=base.sources,
    )


def profile(categories: Iterable[DataCategory]) -> DataProfile:
    """Whether any category is personal or sensitive, and the highest grade among them.

    The highest grade wins because GB/T 43697-2024 grades "high and strict" (就高从严).
    ``highest_grade`` is None for an empty inventory.
    """
    has_personal = has_sensitive = False
    highest: Grade | None = None
    for category in categories:
        has_personal = has_personal or category.personal
        has_sensitive = has_sensitive or category.sensitive
        if highest is None or category.default_grade.rank > highest.rank:
            highest = category.default_grade
    return DataProfile(has_personal, has_sensitive, highest)


def _grade_definitions(raw: object, issues: list[TaxonomyIssue]) -> tuple[GradeDefinition, ...]:
    if not isinstance(raw, list):
        issues.append(TaxonomyIssue(0, "grades", "expected a list"))
        return ()
    definitions: list[GradeDefinition] = []
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            issues.append(TaxonomyIssue(position, "grades", "expected an object"))
            continue
        grade = _grade(entry.get("grade"), position, "grade", issues)
        texts = {
            name: _text(entry, name, position, issues, required=True)
            for name in ("name_en", "name_zh", "description_en", "description_zh")
        }
        basis = _basis(entry.get("basis"), position, issues)
        if grade is not None:
            definitions.append(GradeDefinition(grade=grade, basis=basis, **texts))
    missing = set(Grade) - {definition.grade for definition in definitions}
    if missing:
        names = ", ".join(sorted(grade.value for grade in missing))
        issues.append(TaxonomyIssue(0, "grades", f"missing definitions for: {names}"))
    return tuple(definitions)


def _categories(
    entries: Iterable[DataCategory | Mapping[str, Any] | object],
    *,
    taken: set[str],
    issues: list[TaxonomyIssue],
) -> tuple[DataCategory, ...]:
    categories: list[DataCategory] = []
    seen = set(taken)
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, DataCategory):
            category: DataCategory | None = _checked(entry, position, issues)
        elif isinstance(entry, Mapping):
            category = _category_from_mapping(entry, position, issues)
        else:
            issues.append(TaxonomyIssue(position, "category", "expected an object"))
            continue
        if category is None:
            continue
        if category.code in seen:
            issues.append(
                TaxonomyIssue(position, "code", f"duplicate category code {category.code!r}")
            )
            continue
        seen.add(category.code)
        categories.append(category)
    return tuple(categories)


def _category_from_mapping(
    entry: Mapping[str, Any], position: int, issues: list[TaxonomyIssue]
) -> DataCategory | None:
    before = len(issues)
    code = _text(entry, "code", position, issues, required=True)
    name_en = _text(entry, "name_en", position, issues)
    name_zh = _text(entry, "name_zh", position, issues)
    personal = _flag(entry, "personal", position, issues)
    sensitive = _flag(entry, "sensitive", position, issues)
    grade = _grade(entry.get("default_grade"), position, "default_grade", issues)
    basis = _basis(entry.get("basis", []), position, issues)
    description_en = _text(entry, "description_en", position, issues)
    description_zh = _text(entry, "description_zh", position, issues)
    keys = entry.get("fideslang_keys", [])
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        issues.append(TaxonomyIssue(position, "fideslang_keys", "expected a list of strings"))
        keys = []
    if len(issues) > before or grade is None:
        return None
    return _checked(
        DataCategory(
            code=code,
            name_en=name_en,
            name_zh=name_zh,
            personal=personal,
            sensitive=sensitive,
            default_grade=grade,
            basis=basis,
            description_en=description_en,
            description_zh=description_zh,
            fideslang_keys=tuple(keys),
        ),
        position,
        issues,
    )


def _checked(
    category: DataCategory, position: int, issues: list[TaxonomyIssue]
) -> DataCategory | None:
    before = len(issues)
    if not _CODE.match(category.code):
        issues.append(
            TaxonomyIssue(
                position,
                "code",
                "lower-case letters, digits and underscores, dot-separated (e.g. 'org.hr.payroll')",
            )
        )
    if not category.name_en.strip() and not category.name_zh.strip():
        issues.append(
            TaxonomyIssue(position, "name_en", "a name in English or Chinese is required")
        )
    if not isinstance(category.default_grade, Grade):
        issues.append(
            TaxonomyIssue(position, "default_grade", f"must be one of: {_GRADES} (GB/T 43697-2024)")
        )
    if category.sensitive and not category.personal:
        issues.append(
            TaxonomyIssue(
                position,
                "sensitive",
                "a sensitive category must also be personal (PIPL Art 28)",
            )
        )
    return category if len(issues) == before else None


def _grade(value: object, position: int, field: str, issues: list[TaxonomyIssue]) -> Grade | None:
    if isinstance(value, str):
        try:
            return Grade(value.strip().lower())
        except ValueError:
            pass
    issues.append(
        TaxonomyIssue(
            position, field, f"must be one of: {_GRADES} (GB/T 43697-2024), not {value!r}"
        )
    )
    return None


def _text(
    entry: Mapping[str, Any],
    name: str,
    position: int,
    issues: list[TaxonomyIssue],
    *,
    required: bool = False,
) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str):
        issues.append(TaxonomyIssue(position, name, "expected text"))
        return ""
    if required and not value.strip():
        issues.append(TaxonomyIssue(position, name, "required"))
    return value.strip()


def _flag(entry: Mapping[str, Any], name: str, position: int, issues: list[TaxonomyIssue]) -> bool:
    value = entry.get(name)
    if not isinstance(value, bool):
        issues.append(TaxonomyIssue(position, name, "expected true or false"))
        return False
    return value


def _basis(raw: object, position: int, issues: list[TaxonomyIssue]) -> tuple[Citation, ...]:
    if not isinstance(raw, list):
        issues.append(TaxonomyIssue(position, "basis", "expected a list of citations"))
        return ()
    citations: list[Citation] = []
    for entry in raw:
        instrument = entry.get("instrument") if isinstance(entry, dict) else None
        article = entry.get("article") if isinstance(entry, dict) else None
        if not isinstance(instrument, str) or not instrument.strip():
            issues.append(TaxonomyIssue(position, "basis", "each citation needs an instrument"))
        elif not isinstance(article, str) or not article.strip():
            issues.append(TaxonomyIssue(position, "basis", "each citation needs an article"))
        else:
            citations.append(Citation(instrument.strip(), article.strip()))
    return tuple(citations)
