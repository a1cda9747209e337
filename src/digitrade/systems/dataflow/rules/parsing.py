"""``request_from_dict``: the assessment JSON contract into an ``AssessmentRequest``, strictly.

Every rejection is a ``RequestError`` naming the dotted field. Optional fields default to false,
0 or null when absent; a present field must have the right type (``true`` is not a count, ``null``
is not a boolean). Unknown keys are rejected, so a misspelt field is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from digitrade.systems.dataflow.rules.model import (
    AssessmentRequest,
    DataProfile,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Processor,
    Purpose,
    RequestError,
    Transfer,
)
from digitrade.systems.dataflow.rules.versions import rules_in_force

E = TypeVar("E", bound=StrEnum)

MAX_TEXT_LENGTH = 500
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
MAINLAND_CHINA = "CN"

_REQUEST_KEYS = frozenset({"as_of", "processor", "transfer", "data"})
_PROCESSOR_KEYS = frozenset({"name", "is_ciio", "registered_in_ftz", "sector"})
_TRANSFER_KEYS = frozenset({"purpose", "contract_type", "remote_access", "recipient_country"})
_DATA_KEYS = frozenset(
    {
        "personal_information",
        "individuals",
        "sensitive_individuals",
        "individuals_earlier_this_year",
        "sensitive_individuals_earlier_this_year",
        "important_data",
        "core_data",
        "collected_abroad",
        "ftz_list_match",
        "ftz_list_requirement",
    }
)


def request_from_dict(value: Mapping[str, Any]) -> AssessmentRequest:
    """Parse and check an assessment request; raise ``RequestError`` on the first bad field."""
    root = _object(value, "request")
    _reject_unknown(root, _REQUEST_KEYS, "")
    as_of = _as_of(root)
    request = AssessmentRequest(
        as_of=as_of,
        processor=_processor(_object(_required(root, "processor", ""), "processor")),
        transfer=_transfer(_object(_required(root, "transfer", ""), "transfer")),
        data=_data(_object(root.get("data", {}), "data")),
    )
    _check_consistency(request)
    rules_in_force(as_of)  # a date before the first regime is an error on as_of
    return request


def _processor(value: Mapping[str, Any]) -> Processor:
    _reject_unknown(value, _PROCESSOR_KEYS, "processor")
    return Processor(
        name=_text(value, "name", "processor"),
        is_ciio=_flag(value, "is_ciio", "processor"),
        registered_in_ftz=_flag(value, "registered_in_ftz", "processor"),
        sector=_optional_text(value, "sector", "processor"),
    )


def _transfer(value: Mapping[str, Any]) -> Transfer:
    _reject_unknown(value, _TRANSFER_KEYS, "transfer")
    return Transfer(
        purpose=_choice(value, "purpose", "transfer", Purpose),
        recipient_country=_country(value),
        contract_type=_optional_text(value, "contract_type", "transfer"),
        remote_access=_flag(value, "remote_access", "transfer"),
    )


def _data(value: Mapping[str, Any]) -> DataProfile:
    _reject_unknown(value, _DATA_KEYS, "data")
    important = _optional_choice(value, "important_data", "data", ImportantData)
    return DataProfile(
        personal_information=_flag(value, "personal_information", "data"),
        individuals=_count(value, "individuals"),
        sensitive_individuals=_count(value, "sensitive_individuals"),
        individuals_earlier_this_year=_count(value, "individuals_earlier_this_year"),
        sensitive_individuals_earlier_this_year=_count(
            value, "sensitive_individuals_earlier_this_year"
        ),
        important_data=important if important is not None else ImportantData.none,
        core_data=_flag(value, "core_data", "data"),
        collected_abroad=_flag(value, "collected_abroad", "data"),
        ftz_list_match=_optional_choice(value, "ftz_list_match", "data", FtzListMatch),
        ftz_list_requirement=_optional_choice(
            value, "ftz_list_requirement", "data", FtzRequirement
        ),
    )


def _check_consistency(request: AssessmentRequest) -> None:
    """Combinations that contradict themselves, rejected rather than guessed at."""
    data, transfer = request.data, request.transfer
    if not data.personal_information and (data.individuals or data.sensitive_individuals):
        raise RequestError(
            "data.personal_information",
            "must be true when data.individuals or data.sensitive_individuals is above 0",
        )
    if data.ftz_list_match is FtzListMatch.on_list and data.ftz_list_requirement is None:
        raise RequestError(
            "data.ftz_list_requirement",
            "is required with ftz_list_match on_list: the requirement of the matched list row "
            "(security_assessment or standard_contract_or_certification)",
        )
    if data.ftz_list_requirement is not None and data.ftz_list_match is not FtzListMatch.on_list:
        raise RequestError("data.ftz_list_requirement", "applies only with ftz_list_match on_list")
    if (
        transfer.contract_type is not None
        and transfer.purpose is not Purpose.contract_with_individual
    ):
        raise RequestError(
            "transfer.contract_type", "applies only with purpose contract_with_individual"
        )
    if transfer.purpose is Purpose.transit and not data.collected_abroad:
        raise RequestError(
            "data.collected_abroad",
            "must be true with purpose transit: the transit exemption covers PI collected abroad "
            "(Provisions Art 4)",
        )


def _path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RequestError(field, "must be an object")
    return value


def _reject_unknown(value: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
    unknown = sorted(_path(prefix, str(key)) for key in value if key not in allowed)
    if unknown:
        message = "unknown field" if len(unknown) == 1 else f"unknown fields: {', '.join(unknown)}"
        raise RequestError(unknown[0], f"{message} (allowed: {', '.join(sorted(allowed))})")


def _required(value: Mapping[str, Any], key: str, prefix: str) -> Any:
    if value.get(key) is None:
        raise RequestError(_path(prefix, key), "is required")
    return value[key]


def _as_of(value: Mapping[str, Any]) -> date:
    raw = _required(value, "as_of", "")
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise RequestError("as_of", "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RequestError("as_of", f"{raw} is not a valid date") from None


def _flag(value: Mapping[str, Any], key: str, prefix: str) -> bool:
    raw: object = value.get(key, False)
    if not isinstance(raw, bool):
        raise RequestError(_path(prefix, key), "must be true or false")
    return raw


def _count(value: Mapping[str, Any], key: str) -> int:
    raw: object = value.get(key, 0)
    field = _path("data", key)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise RequestError(field, "must be a whole number of individuals")
    if raw < 0:
        raise RequestError(field, "must not be negative")
    return raw


def _text(value: Mapping[str, Any], key: str, prefix: str) -> str:
    raw = _required(value, key, prefix)
    field = _path(prefix, key)
    if not isinstance(raw, str):
        raise RequestError(field, "must be a string")
    if not raw.strip():
        raise RequestError(field, "must not be blank")
    if len(raw) > MAX_TEXT_LENGTH:
        raise RequestError(field, f"must be at most {MAX_TEXT_LENGTH} characters")
    return raw


def _optional_text(value: Mapping[str, Any], key: str, prefix: str) -> str | None:
    return None if value.get(key) is None else _text(value, key, prefix)


def _choice(value: Mapping[str, Any], key: str, prefix: str, kind: type[E]) -> E:
    raw = _required(value, key, prefix)
    allowed = [member.value for member in kind]
    if not isinstance(raw, str) or raw not in allowed:
        raise RequestError(_path(prefix, key), f"must be one of: {', '.join(allowed)}")
    return kind(raw)


def _optional_choice(value: Mapping[str, Any], key: str, prefix: str, kind: type[E]) -> E | None:
    return None if value.get(key) is None else _choice(value, key, prefix, kind)


def _country(value: Mapping[str, Any]) -> str:
    raw = _required(value, "recipient_country", "transfer")
    if not isinstance(raw, str) or not _COUNTRY.fullmatch(raw):
        raise RequestError(
            "transfer.recipient_country",
            "must be an ISO 3166 alpha-2 code: two capital letters",
        )
    if raw == MAINLAND_CHINA:
        raise RequestError(
            "transfer.recipient_country",
            "CN is mainland China: providing data to a recipient there is not an export",
        )
    return raw
