"""Requests for the export rules tests, built from a few keyword arguments."""

from __future__ import annotations

from datetime import date
from typing import Any

from digitrade.systems.dataflow.rules import (
    AssessmentRequest,
    DataProfile,
    Decision,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Processor,
    Purpose,
    Transfer,
)

# Provisions, NDSMR and the Shanghai FTZ list in force; the Certification Measures not yet.
UNDER_PROVISIONS = date(2025, 6, 1)
# SA Measures and SCC Measures in force, before the Provisions.
UNDER_2022_MEASURES = date(2023, 10, 1)


def request(
    *,
    as_of: date = UNDER_PROVISIONS,
    individuals: int = 0,
    sensitive: int = 0,
    earlier: int = 0,
    earlier_sensitive: int = 0,
    personal_information: bool = True,
    ciio: bool = False,
    in_ftz: bool = False,
    sector: str | None = None,
    purpose: Purpose = Purpose.other,
    contract_type: str | None = None,
    remote_access: bool = False,
    country: str = "DE",
    important: ImportantData = ImportantData.none,
    core: bool = False,
    collected_abroad: bool = False,
    ftz_match: FtzListMatch | None = None,
    ftz_requirement: FtzRequirement | None = None,
) -> AssessmentRequest:
    return AssessmentRequest(
        as_of=as_of,
        processor=Processor("Example Exporter Ltd.", ciio, in_ftz, sector),
        transfer=Transfer(purpose, country, contract_type, remote_access),
        data=DataProfile(
            personal_information=personal_information,
            individuals=individuals,
            sensitive_individuals=sensitive,
            individuals_earlier_this_year=earlier,
            sensitive_individuals_earlier_this_year=earlier_sensitive,
            important_data=important,
            core_data=core,
            collected_abroad=collected_abroad,
            ftz_list_match=ftz_match,
            ftz_list_requirement=ftz_requirement,
        ),
    )


def valid_payload() -> dict[str, Any]:
    """A complete, valid JSON request (every field present)."""
    return {
        "as_of": "2025-06-01",
        "processor": {
            "name": "Example Exporter Ltd.",
            "is_ciio": False,
            "registered_in_ftz": True,
            "sector": "international shipping",
        },
        "transfer": {
            "purpose": "contract_with_individual",
            "contract_type": "hotel booking",
            "remote_access": False,
            "recipient_country": "SG",
        },
        "data": {
            "personal_information": True,
            "individuals": 120_000,
            "sensitive_individuals": 50,
            "individuals_earlier_this_year": 3_000,
            "sensitive_individuals_earlier_this_year": 0,
            "important_data": "none",
            "core_data": False,
            "collected_abroad": False,
            "ftz_list_match": "on_list",
            "ftz_list_requirement": "standard_contract_or_certification",
        },
    }


def articles(decision: Decision) -> list[str]:
    return [basis.article for basis in decision.basis]


def obligation_codes(decision: Decision) -> list[str]:
    return [obligation.code for obligation in decision.obligations]


def deadline(decision: Decision, code: str) -> tuple[int | None, int | None, str]:
    """(working_days, years, article) of the deadline with ``code``."""
    found = [d for d in decision.deadlines if d.code == code]
    assert len(found) == 1, f"{code} in {[d.code for d in decision.deadlines]}"
    return found[0].working_days, found[0].years, found[0].basis.article
