"""Data inventory taxonomy: PIPL Art 28 sensitive categories and GB/T 43697-2024 grades."""

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
from digitrade.systems.dataflow.taxonomy.operations import extend, parse_taxonomy, profile
from digitrade.systems.dataflow.taxonomy.shipped import shipped_taxonomy_file

__all__ = [
    "Citation",
    "DataCategory",
    "DataProfile",
    "Grade",
    "GradeDefinition",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyIssue",
    "extend",
    "parse_taxonomy",
    "profile",
    "shipped_taxonomy_file",
]
