"""What goes into an export assessment and what comes out of it: frozen data, no behaviour.

The input mirrors the JSON contract parsed by ``parsing.request_from_dict``; the output is a
``Decision`` whose ``as_dict()`` is the JSON the API, the CLI and the ledger record carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Pathway(StrEnum):
    """The legal route an export must take (PIPL Art 38; Provisions Arts 3-8)."""

    EXEMPT = "EXEMPT"
    STANDARD_CONTRACT_OR_CERTIFICATION = "STANDARD_CONTRACT_OR_CERTIFICATION"
    SECURITY_ASSESSMENT = "SECURITY_ASSESSMENT"
    PROHIBITED = "PROHIBITED"


_STRICTNESS: dict[Pathway, int] = {
    Pathway.EXEMPT: 0,
    Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: 1,
    Pathway.SECURITY_ASSESSMENT: 2,
    Pathway.PROHIBITED: 3,
}


def strictness(pathway: Pathway) -> int:
    """Order of the pathways: EXEMPT 0 < standard contract or certification 1 < security
    assessment 2 < prohibited 3."""
    return _STRICTNESS[pathway]


class Purpose(StrEnum):
    contract_with_individual = "contract_with_individual"
    hr_management = "hr_management"
    emergency = "emergency"
    statutory_duty = "statutory_duty"
    transit = "transit"
    other = "other"


class ImportantData(StrEnum):
    """Only data a department or locality has notified or published counts as important
    (Provisions Art 2; NDSMR Art 37)."""

    none = "none"
    notified = "notified"


class FtzListMatch(StrEnum):
    """Result of matching the data against a free trade zone list (Provisions Art 6)."""

    on_list = "on_list"
    off_list = "off_list"
    not_covered = "not_covered"


class FtzRequirement(StrEnum):
    """What the matched list row prescribes."""

    security_assessment = "security_assessment"
    standard_contract_or_certification = "standard_contract_or_certification"


class RequestError(ValueError):
    """Bad assessment input, naming the offending field by its dotted path, such as
    ``data.individuals``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Processor:
    name: str
    is_ciio: bool = False
    registered_in_ftz: bool = False
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    purpose: Purpose
    recipient_country: str
    contract_type: str | None = None
    remote_access: bool = False


@dataclass(frozen=True, slots=True)
class DataProfile:
    """Counts are distinct natural persons; non-sensitive and sensitive are counted separately,
    so a person whose data of both kinds is exported is in both counts."""

    personal_information: bool = False
    individuals: int = 0
    sensitive_individuals: int = 0
    individuals_earlier_this_year: int = 0
    sensitive_individuals_earlier_this_year: int = 0
    important_data: ImportantData = ImportantData.none
    core_data: bool = False
    collected_abroad: bool = False
    ftz_list_match: FtzListMatch | None = None
    ftz_list_requirement: FtzRequirement | None = None


@dataclass(frozen=True, slots=True)
class AssessmentRequest:
    as_of: date
    processor: Processor
    transfer: Transfer
    data: DataProfile

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract form, the inverse of ``request_from_dict``."""
        data = self.data
        return {
            "as_of": self.as_of.isoformat(),
            "processor": {
                "name": self.processor.name,
                "is_ciio": self.processor.is_ciio,
                "registered_in_ftz": self.processor.registered_in_ftz,
                "sector": self.processor.sector,
            },
            "transfer": {
                "purpose": self.transfer.purpose.value,
                "contract_type": self.transfer.contract_type,
                "remote_access": self.transfer.remote_access,
                "recipient_country": self.transfer.recipient_country,
            },
            "data": {
                "personal_information": data.personal_information,
                "individuals": data.individuals,
                "sensitive_individuals": data.sensitive_individuals,
                "individuals_earlier_this_year": data.individuals_earlier_this_year,
                "sensitive_individuals_earlier_this_year": (
                    data.sensitive_individuals_earlier_this_year
                ),
                "important_data": data.important_data.value,
                "core_data": data.core_data,
                "collected_abroad": data.collected_abroad,
                "ftz_list_match": data.ftz_list_match.value if data.ftz_list_match else None,
                "ftz_list_requirement": (
                    data.ftz_list_requirement.value if data.ftz_list_requirement else None
                ),
            },
        }


@dataclass(frozen=True, slots=True)
class Basis:
    """One reason of a decision: the instrument and article it rests on, and why it applies."""

    instrument: str
    article: str
    reason: str
    instrument_zh: str = ""
    reason_zh: str = ""
    article_zh: str = ""
    """The instrument, the reason and the article in Chinese; the English fields are the
    contract."""

    def as_dict(self) -> dict[str, str]:
        return {
            "instrument": self.instrument,
            "article": self.article,
            "reason": self.reason,
            "instrument_zh": self.instrument_zh,
            "reason_zh": self.reason_zh,
            "article_zh": self.article_zh,
        }


@dataclass(frozen=True, slots=True)
class UnverifiedNote:
    """Why a rule a decision relied on is not verified against the official text, in both
    languages."""

    rule_id: str
    note: str
    note_zh: str

    def as_dict(self) -> dict[str, str]:
        return {"rule_id": self.rule_id, "note": self.note, "note_zh": self.note_zh}


@dataclass(frozen=True, slots=True)
class Obligation:
    code: str
    text: str
    basis: Basis
    text_zh: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "basis": self.basis.as_dict(),
            "text_zh": self.text_zh,
        }


@dataclass(frozen=True, slots=True)
class Deadline:
    """A period the processor must keep: in working days, in years, or (both None) as the text
    says (for example "6 months before expiry")."""

    code: str
    text: str
    working_days: int | None
    years: int | None
    basis: Basis
    text_zh: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "working_days": self.working_days,
            "years": self.years,
            "basis": self.basis.as_dict(),
            "text_zh": self.text_zh,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    pathway: Pathway
    basis: tuple[Basis, ...]
    obligations: tuple[Obligation, ...]
    deadlines: tuple[Deadline, ...]
    rules_version: str
    unverified: tuple[str, ...] = ()
    """Ids of the rule records this decision relied on that are not verified against the
    official text (see ``catalogue.RULES_BY_ID`` for each one's note)."""
    unverified_notes: tuple[UnverifiedNote, ...] = ()
    """The note of each rule in ``unverified``, in English and Chinese."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "pathway": self.pathway.value,
            "basis": [basis.as_dict() for basis in self.basis],
            "obligations": [obligation.as_dict() for obligation in self.obligations],
            "deadlines": [deadline.as_dict() for deadline in self.deadlines],
            "rules_version": self.rules_version,
            "unverified": list(self.unverified),
            "unverified_notes": [note.as_dict() for note in self.unverified_notes],
        }
