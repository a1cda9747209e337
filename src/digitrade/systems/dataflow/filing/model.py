"""The answers a filing pack is drafted from, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from digitrade.core.errors import FieldIssue, ValidationFailed

MAX_TEXT = 2_000
MAX_ENTRIES = 200
# Characters XML 1.0 (and so DOCX) cannot hold: C0 controls other than tab and line feed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Language(StrEnum):
    EN = "en"
    ZH_HANS = "zh-Hans"


class FilingPathway(StrEnum):
    """The pathway a decision reached. The engine's upper-case names are accepted too."""

    EXEMPT = "exempt"
    STANDARD_CONTRACT = "standard_contract"
    CERTIFICATION = "certification"
    STANDARD_CONTRACT_OR_CERTIFICATION = "standard_contract_or_certification"
    SECURITY_ASSESSMENT = "security_assessment"
    PROHIBITED = "prohibited"


# Pathways that exist only for personal information (PIPL Art 38(2), (3)).
PERSONAL_INFORMATION_PATHWAYS = frozenset(
    {
        FilingPathway.STANDARD_CONTRACT,
        FilingPathway.CERTIFICATION,
        FilingPathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    }
)


@dataclass(frozen=True)
class FilingInput:
    """What the user told the assessment, plus the decision.

    ``individuals`` counts the individuals whose non-sensitive personal information is exported
    and ``sensitive_individuals`` those whose sensitive personal information is, each counted
    separately as the Provisions (CAC Order No. 16) Arts 5, 7 and 8 count them.
    ``personal_information`` overrides the guess from those counts and the pathway.
    """

    processor_name: str
    recipient_name: str
    recipient_country: str
    purposes: list[str]
    categories: list[str]
    individuals: int
    sensitive_individuals: int
    retention: str
    pathway: str
    decided_on: date
    basis_lines: list[str]
    language: str
    storage_location: str = ""
    onward_recipients: list[str] = field(default_factory=list)
    personal_information: bool | None = None


@dataclass(frozen=True)
class CheckedInput:
    """``FilingInput`` after checking: enums parsed, text cleaned, blanks dropped."""

    processor_name: str
    recipient_name: str
    recipient_country: str
    purposes: tuple[str, ...]
    categories: tuple[str, ...]
    individuals: int
    sensitive_individuals: int
    retention: str
    pathway: FilingPathway
    decided_on: date
    basis_lines: tuple[str, ...]
    language: Language
    storage_location: str
    onward_recipients: tuple[str, ...]
    personal_information: bool


class FilingIssue(NamedTuple):
    field: str
    message: str


class FilingInputError(ValidationFailed):
    code = "dataflow-filing-input-invalid"
    title = "A filing pack cannot be drafted from this input"

    def __init__(self, issues: list[FilingIssue]) -> None:
        super().__init__(
            "; ".join(f"{issue.field}: {issue.message}" for issue in issues),
            fields=[FieldIssue(issue.field, issue.message) for issue in issues],
        )
        self.issues = tuple(issues)


def check(answers: FilingInput) -> CheckedInput:
    """Check every field and report every problem at once."""
    issues: list[FilingIssue] = []
    processor_name = _text(answers.processor_name, "processor_name", issues)
    if not processor_name:
        issues.append(FilingIssue("processor_name", "required"))
    individuals = _count(answers.individuals, "individuals", issues)
    sensitive = _count(answers.sensitive_individuals, "sensitive_individuals", issues)
    pathway = _pathway(answers.pathway, issues)
    language = _language(answers.language, issues)
    if not isinstance(answers.decided_on, date):
        issues.append(FilingIssue("decided_on", "expected a date"))
    checked = CheckedInput(
        processor_name=processor_name,
        recipient_name=_placeholder_to_blank(
            _text(answers.recipient_name, "recipient_name", issues)
        ),
        recipient_country=_placeholder_to_blank(
            _text(answers.recipient_country, "recipient_country", issues)
        ),
        purposes=_texts(answers.purposes, "purposes", issues),
        categories=_texts(answers.categories, "categories", issues),
        individuals=individuals,
        sensitive_individuals=sensitive,
        retention=_placeholder_to_blank(_text(answers.retention, "retention", issues)),
        pathway=pathway or FilingPathway.EXEMPT,
        decided_on=answers.decided_on,
        basis_lines=_texts(answers.basis_lines, "basis_lines", issues),
        language=language or Language.EN,
        storage_location=_placeholder_to_blank(
            _text(answers.storage_location, "storage_location", issues)
        ),
        onward_recipients=_texts(answers.onward_recipients, "onward_recipients", issues),
        personal_information=(
            answers.personal_information
            if answers.personal_information is not None
            else individuals > 0 or sensitive > 0 or pathway in PERSONAL_INFORMATION_PATHWAYS
        ),
    )
    if pathway is FilingPathway.PROHIBITED:
        # Core data: DSL Art 21; no export pathway applies, so there is nothing to file.
        issues.append(
            FilingIssue("pathway", "the export is prohibited: there is no filing pack to draft")
        )
    if issues:
        raise FilingInputError(issues)
    return checked


def _text(value: object, name: str, issues: list[FilingIssue]) -> str:
    if not isinstance(value, str):
        issues.append(FilingIssue(name, "expected text"))
        return ""
    cleaned = _NOT_XML.sub("", value).strip()
    if len(cleaned) > MAX_TEXT:
        issues.append(FilingIssue(name, f"longer than {MAX_TEXT} characters"))
    return cleaned


def _texts(values: object, name: str, issues: list[FilingIssue]) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        issues.append(FilingIssue(name, "expected a list of text"))
        return ()
    if len(values) > MAX_ENTRIES:
        issues.append(FilingIssue(name, f"more than {MAX_ENTRIES} entries"))
        return ()
    cleaned = [_text(value, f"{name}[{index}]", issues) for index, value in enumerate(values)]
    return tuple(text for text in cleaned if text)


def _placeholder_to_blank(text: str) -> str:
    """Forms send "-" for "not given"; the documents then show a gap to complete."""
    return "" if text in {"-", "—", "n/a", "N/A"} else text


def _count(value: object, name: str, issues: list[FilingIssue]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        issues.append(FilingIssue(name, "expected a whole number"))
        return 0
    if value < 0:
        issues.append(FilingIssue(name, "cannot be negative"))
        return 0
    return value


def _pathway(value: object, issues: list[FilingIssue]) -> FilingPathway | None:
    if isinstance(value, str):
        try:
            return FilingPathway(value.strip().lower())
        except ValueError:
            pass
    allowed = ", ".join(pathway.value for pathway in FilingPathway)
    issues.append(FilingIssue("pathway", f"unknown pathway {value!r} (one of {allowed})"))
    return None


def _language(value: object, issues: list[FilingIssue]) -> Language | None:
    if isinstance(value, str):
        for language in Language:
            if value.strip().lower() == language.value.lower():
                return language
    issues.append(FilingIssue("language", f"expected 'en' or 'zh-Hans', not {value!r}"))
    return None
