"""The assessment wizard's steps: which questions each asks, which the rules make irrelevant,
and how each step checks its own answers.

Pure: answers are the form's text values (``"on"`` for a ticked box), carried between steps as
hidden fields, so the wizard needs no server-side state and no JavaScript. Messages are msgids
(marked with ``N_``) that the pages translate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from digitrade.systems.dataflow.rules import (
    FIRST_DAY,
    Pathway,
    RequestError,
    request_from_dict,
    rules_in_force,
)
from digitrade.systems.dataflow.rules.steps import (
    Case,
    StepFunction,
    core_data,
    important_data,
    necessity_exemption,
    no_personal_or_important_data,
    transit,
)


def N_(message: str) -> str:  # the gettext name for "mark for extraction, do not translate"
    return message


PROCESSOR = "processor"
TRANSFER = "transfer"
DATA = "data"
COUNTS = "counts"
FTZ = "ftz"
REVIEW = "review"
STEPS: tuple[str, ...] = (PROCESSOR, TRANSFER, DATA, COUNTS, FTZ, REVIEW)

FIELDS: Mapping[str, tuple[str, ...]] = {
    PROCESSOR: ("processor_name", "sector", "is_ciio", "registered_in_ftz"),
    TRANSFER: ("purpose", "contract_type", "recipient_country", "remote_access", "as_of"),
    DATA: ("personal_information", "important_data", "core_data", "collected_abroad"),
    COUNTS: (
        "individuals",
        "sensitive_individuals",
        "individuals_earlier_this_year",
        "sensitive_individuals_earlier_this_year",
    ),
    FTZ: ("ftz_jurisdiction", "ftz_items", "ftz_list_match", "ftz_list_requirement"),
    REVIEW: ("organisation_id",),
}
ALL_FIELDS: tuple[str, ...] = tuple(name for step in STEPS for name in FIELDS[step])
CHECKBOXES = frozenset(
    {"is_ciio", "registered_in_ftz", "remote_access", "personal_information", "core_data"}
    | {"collected_abroad"}
)
PURPOSES = (
    "other",
    "contract_with_individual",
    "hr_management",
    "emergency",
    "statutory_duty",
    "transit",
)
MAX_COUNT = 2_000_000_000
_COUNTRY = re.compile(r"[A-Z]{2}")

# The steps of the decision order that decide before counts and free trade zone lists matter
# (research note section 0, steps 2-6): when one decides, the wizard asks nothing further.
_DECIDING_EARLY: tuple[StepFunction, ...] = (
    core_data,
    important_data,
    no_personal_or_important_data,
    transit,
    necessity_exemption,
)


@dataclass(frozen=True, slots=True)
class EarlyStop:
    """The pathway the answers so far already decide, so later questions are skipped."""

    pathway: Pathway
    reason: str
    reason_zh: str


def answers_from_form(form: Mapping[str, str], step: str) -> dict[str, str]:
    """The answers a step's form carries: hidden fields of other steps as posted, this step's
    own fields as entered (an unticked box is posted as nothing, so it reads as off)."""
    answers = {name: form[name].strip() for name in ALL_FIELDS if form.get(name, "").strip()}
    for name in FIELDS.get(step, ()):
        if name in CHECKBOXES:
            answers[name] = "on" if form.get(name) == "on" else ""
    if answers.get("recipient_country"):
        answers["recipient_country"] = answers["recipient_country"].upper()
    return {name: value for name, value in answers.items() if value}


def passed_from_form(form: Mapping[str, str]) -> set[str]:
    """The steps already answered and checked (a hidden field lists them)."""
    return {step for step in form.get("passed", "").split(",") if step in STEPS}


def early_stop(answers: Mapping[str, str]) -> EarlyStop | None:
    """The pathway the processor, transfer and data answers already decide, if any: core data
    (PROHIBITED), notified important data (security assessment), no personal information, PI in
    transit, or a necessity exemption (EXEMPT). Counts and FTZ lists cannot change these."""
    try:
        request = request_from_dict(request_from_form(dict(answers)))
    except RequestError:
        return None
    case = Case(request, rules_in_force(request.as_of), request.data.personal_information)
    for decide in _DECIDING_EARLY:
        step = decide(case)
        if step is not None:
            first = step.basis[0]
            return EarlyStop(step.pathway, first.reason, first.reason_zh)
    return None


def applies(step: str, answers: Mapping[str, str], passed: set[str]) -> bool:
    """Whether the rules make ``step`` a question for these answers. A step stays possible
    until the answers it depends on are given: the FTZ step until the processor step, the
    counts step (and the early stop) until the data step."""
    if step == COUNTS:
        if DATA in passed and not answers.get("personal_information"):
            return False
    elif step == FTZ:
        if PROCESSOR in passed and (not answers.get("registered_in_ftz") or answers.get("is_ciio")):
            return False
    else:
        return True
    return DATA not in passed or early_stop(answers) is None


def plan(answers: Mapping[str, str], passed: set[str]) -> tuple[str, ...]:
    """The steps this wizard asks, in order."""
    return tuple(step for step in STEPS if applies(step, answers, passed))


def next_step(step: str, answers: Mapping[str, str], passed: set[str]) -> str:
    steps = plan(answers, passed)
    later = [s for s in STEPS[STEPS.index(step) + 1 :] if s in steps]
    return later[0] if later else REVIEW


def previous_step(step: str, answers: Mapping[str, str], passed: set[str]) -> str:
    steps = plan(answers, passed)
    earlier = [s for s in STEPS[: STEPS.index(step)] if s in steps]
    return earlier[-1] if earlier else STEPS[0]


def validate(step: str, answers: Mapping[str, str]) -> dict[str, str]:
    """The fields of ``step`` that are wrong, each with its message (a msgid)."""
    errors: dict[str, str] = {}
    if step == PROCESSOR:
        name = answers.get("processor_name", "")
        if not name:
            errors["processor_name"] = N_("Enter the name of the organisation that exports.")
        elif len(name) > 200:
            errors["processor_name"] = N_("Use at most 200 characters.")
        if len(answers.get("sector", "")) > 100:
            errors["sector"] = N_("Use at most 100 characters.")
    elif step == TRANSFER:
        if answers.get("purpose", "other") not in PURPOSES:
            errors["purpose"] = N_("Choose one of the purposes listed.")
        if not _COUNTRY.fullmatch(answers.get("recipient_country", "")):
            errors["recipient_country"] = N_(
                "Enter the recipient country as a two-letter ISO code, such as DE."
            )
        errors.update(_date_error(answers.get("as_of", "")))
        if len(answers.get("contract_type", "")) > 200:
            errors["contract_type"] = N_("Use at most 200 characters.")
    elif step == DATA:
        if answers.get("important_data", "none") not in ("none", "notified"):
            errors["important_data"] = N_("Choose one of the answers listed.")
    elif step == COUNTS:
        for name in FIELDS[COUNTS]:
            if _count(answers.get(name, "0")) is None:
                errors[name] = N_("Enter a whole number of people, 0 or more.")
        if not errors and not (
            _count(answers.get("individuals", "0"))
            or _count(answers.get("sensitive_individuals", "0"))
        ):
            errors["individuals"] = N_(
                "Personal information is exported: enter how many individuals this transfer "
                "includes, sensitive or not."
            )
    elif step == FTZ:
        match = answers.get("ftz_list_match", "")
        if match not in ("on_list", "off_list", "not_covered"):
            errors["ftz_list_match"] = N_("Say whether the data is on the list.")
        elif match == "on_list" and answers.get("ftz_list_requirement") not in (
            "security_assessment",
            "standard_contract_or_certification",
        ):
            errors["ftz_list_requirement"] = N_("Say what the list row requires.")
    return errors


def for_request(answers: Mapping[str, str], passed: set[str]) -> dict[str, str]:
    """The answers that go into the assessment: those of skipped steps are left out, so a
    count typed before personal information was unticked does not count."""
    steps = plan(answers, passed | {DATA})
    kept = {name for step in steps for name in FIELDS[step]}
    result = {name: value for name, value in answers.items() if name in kept}
    if result.get("ftz_list_match") != "on_list":
        result.pop("ftz_list_requirement", None)
    return result


def first_invalid(answers: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
    """The first step of the plan whose answers are wrong, with its errors (checked again
    before deciding, since hidden fields can be altered)."""
    passed = set(STEPS)
    for step in plan(answers, passed):
        errors = validate(step, answers)
        if errors:
            return step, errors
    return None


def _count(value: str) -> int | None:
    text = value.replace(",", "").strip() or "0"
    if not text.isdigit():
        return None
    number = int(text)
    return number if number <= MAX_COUNT else None


def _date_error(value: str) -> dict[str, str]:
    if not value:
        return {}
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return {"as_of": N_("Enter the date as YYYY-MM-DD.")}
    if day < FIRST_DAY:
        return {"as_of": N_("The rules start on 2022-09-01; enter that date or a later one.")}
    return {}


def number_field(form: Mapping[str, str], name: str) -> int | str:
    """Numbers as ints; anything else passed on, so the engine names the field."""
    value = form.get(name, "").strip().replace(",", "")
    if not value:
        return 0
    return int(value) if value.isdigit() else value


def request_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The assessment contract built from the wizard's answers."""
    flag = {name: form.get(name) == "on" for name in CHECKBOXES}
    data: dict[str, Any] = {
        "personal_information": flag["personal_information"],
        "individuals": number_field(form, "individuals"),
        "sensitive_individuals": number_field(form, "sensitive_individuals"),
        "individuals_earlier_this_year": number_field(form, "individuals_earlier_this_year"),
        "sensitive_individuals_earlier_this_year": number_field(
            form, "sensitive_individuals_earlier_this_year"
        ),
        "important_data": form.get("important_data") or "none",
        "core_data": flag["core_data"],
        "collected_abroad": flag["collected_abroad"],
    }
    if form.get("ftz_list_match"):
        data["ftz_list_match"] = form["ftz_list_match"]
    if form.get("ftz_list_requirement"):
        data["ftz_list_requirement"] = form["ftz_list_requirement"]
    transfer: dict[str, Any] = {
        "purpose": form.get("purpose") or "other",
        "remote_access": flag["remote_access"],
        "recipient_country": form.get("recipient_country", "").strip().upper(),
    }
    if form.get("contract_type", "").strip():
        transfer["contract_type"] = form["contract_type"].strip()
    processor: dict[str, Any] = {
        "name": form.get("processor_name", "").strip(),
        "is_ciio": flag["is_ciio"],
        "registered_in_ftz": flag["registered_in_ftz"],
    }
    if form.get("sector", "").strip():
        processor["sector"] = form["sector"].strip()
    return {
        "as_of": form.get("as_of") or dt.date.today().isoformat(),
        "processor": processor,
        "transfer": transfer,
        "data": data,
    }
