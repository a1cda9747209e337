"""Filing packs: draft PIPIA reports, standard contract annexes and security assessment
self-assessment outlines, in English and Simplified Chinese, as HTML, DOCX and PDF."""

from digitrade.systems.dataflow.filing.model import (
    CheckedInput,
    FilingInput,
    FilingInputError,
    FilingIssue,
    FilingPathway,
    Language,
    check,
)
from digitrade.systems.dataflow.filing.pack import build_pack, documents_for

__all__ = [
    "CheckedInput",
    "FilingInput",
    "FilingInputError",
    "FilingIssue",
    "FilingPathway",
    "Language",
    "build_pack",
    "check",
    "documents_for",
]
