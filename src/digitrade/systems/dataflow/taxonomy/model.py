"""The data inventory taxonomy: data categories, their personal/sensitive flags and grades.

Grades follow GB/T 43697-2024 *Rules for data classification and grading* (effective
1 Oct 2024), which has three levels: core, important and general. Sensitive personal
information follows PIPL Art 28.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from digitrade.core.errors import FieldIssue, ValidationFailed


class Grade(StrEnum):
    """GB/T 43697-2024 data grades, least to most protected."""

    GENERAL = "general"
    IMPORTANT = "important"
    CORE = "core"

    @property
    def rank(self) -> int:
        """Higher is stricter; GB/T 43697-2024 grades "high and strict" (就高从严)."""
        return _GRADE_RANK[self]


_GRADE_RANK = {Grade.GENERAL: 1, Grade.IMPORTANT: 2, Grade.CORE: 3}


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: an instrument and the article (or clause, annex) within it."""

    instrument: str
    article: str

    def __str__(self) -> str:
        return f"{self.instrument} {self.article}"


@dataclass(frozen=True)
class GradeDefinition:
    grade: Grade
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    basis: tuple[Citation, ...]


@dataclass(frozen=True)
class DataCategory:
    """One entry of a data inventory.

    ``default_grade`` is the grade the category takes unless the organisation's own grading
    (scale, precision, notification as important data) puts it higher.
    """

    code: str
    name_en: str
    name_zh: str
    personal: bool
    sensitive: bool
    default_grade: Grade
    basis: tuple[Citation, ...]
    description_en: str = ""
    description_zh: str = ""
    # Nearest keys in the fideslang data-category taxonomy, to map an existing data map.
    fideslang_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    version: str
    grades: tuple[GradeDefinition, ...]
    categories: tuple[DataCategory, ...]
    sources: tuple[str, ...] = ()

    def category(self, code: str) -> DataCategory:
        for category in self.categories:
            if category.code == code:
                return category
        raise TaxonomyError(
            f"unknown data category {code!r}",
            issues=[TaxonomyIssue(0, "code", f"unknown data category {code!r}")],
        )

    def resolve(self, codes: Sequence[str]) -> tuple[DataCategory, ...]:
        """The categories behind ``codes``; every unknown code is reported at once."""
        known = {category.code: category for category in self.categories}
        unknown = [
            TaxonomyIssue(position, "code", f"unknown data category {code!r}")
            for position, code in enumerate(codes, start=1)
            if code not in known
        ]
        if unknown:
            raise TaxonomyError(f"{len(unknown)} unknown data categories", issues=unknown)
        return tuple(known[code] for code in codes)

    def grade_definition(self, grade: Grade) -> GradeDefinition:
        return next(definition for definition in self.grades if definition.grade is grade)


class TaxonomyIssue(NamedTuple):
    """One problem in taxonomy input: 1-based position of the entry (0: the file), field, why."""

    position: int
    field: str
    message: str


class TaxonomyError(ValidationFailed):
    code = "dataflow-taxonomy-invalid"
    title = "Data categories are not valid"

    def __init__(self, detail: str, *, issues: list[TaxonomyIssue]) -> None:
        super().__init__(
            detail,
            fields=[
                FieldIssue(f"categories[{issue.position}].{issue.field}", issue.message)
                for issue in issues
            ],
        )
        self.issues = tuple(issues)


class DataProfile(NamedTuple):
    """What an inventory holds, as the pathway engine needs it."""

    has_personal: bool
    has_sensitive: bool
    highest_grade: Grade | None
