"""The decision order of the research note (section 0), one small pure function per step.

Each step returns a ``Step`` (its pathway and the reasons, each citing a rule) or None when it
does not decide the case; the first step that decides wins. Some steps also have a ``skipped``
companion that says why a step the request points at did not apply (a rule not yet in force on
the assessment date, an FTZ list a CIIO cannot use), so a decision never drops a reason silently.
A rule missing from the rule set in force means the step does not exist on that date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from digitrade.systems.dataflow.rules.catalogue import Rule, Topic, next_rule
from digitrade.systems.dataflow.rules.model import (
    AssessmentRequest,
    Basis,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Pathway,
    Purpose,
    RequestError,
)
from digitrade.systems.dataflow.rules.versions import RuleSet


@dataclass(frozen=True, slots=True)
class Case:
    request: AssessmentRequest
    rules: RuleSet
    personal_information: bool
    """The PI flag, or any individuals counted in this transfer: a count implies PI."""


@dataclass(frozen=True, slots=True)
class Step:
    pathway: Pathway
    basis: tuple[Basis, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Remark:
    """A reason that does not decide the case: what counts as an export, why a step did not
    apply."""

    basis: Basis
    rule: Rule


StepFunction = Callable[[Case], Step | None]
RemarkFunction = Callable[[Case], Remark | None]

# Provisions Art 5(1)-(3) and NDSMR Art 35(6).
NECESSITY_TOPICS: Mapping[Purpose, Topic] = MappingProxyType(
    {
        Purpose.contract_with_individual: Topic.CONTRACT_NECESSITY,
        Purpose.hr_management: Topic.HR_NECESSITY,
        Purpose.emergency: Topic.EMERGENCY,
        Purpose.statutory_duty: Topic.STATUTORY_DUTY,
    }
)
ARTICLE_5_PURPOSES = frozenset(
    {Purpose.contract_with_individual, Purpose.hr_management, Purpose.emergency}
)
_LISTED = (FtzListMatch.on_list, FtzListMatch.off_list)


def export_characterisation(case: Case) -> Remark:
    """Step 1: why this transfer is an export at all (remote access counts)."""
    rule = case.rules.require(Topic.EXPORT)
    country = case.request.transfer.recipient_country
    if case.request.transfer.remote_access:
        reason = (
            f"Overseas parties (recipient in {country}) can query, retrieve, download or export "
            "data stored in China: remote access counts as an export even if nothing is "
            "transmitted"
        )
    else:
        reason = (
            f"The data is transmitted or stored outside mainland China (recipient in {country}): "
            "an export"
        )
    return Remark(rule.cite(reason), rule)


def core_data(case: Case) -> Step | None:
    """Step 2: core data never takes one of the three pathways (DSL Art 21)."""
    if not case.request.data.core_data:
        return None
    rule = case.rules.require(Topic.CORE_DATA)
    basis = [
        rule.cite(
            "The data includes core data: outside the three export pathways; block the export "
            "and escalate"
        )
    ]
    used = [rule]
    local = case.rules.get(Topic.CORE_DATA_LOCAL)
    if local is not None and case.request.processor.registered_in_ftz:
        basis.append(local.cite())
        used.append(local)
    return Step(Pathway.PROHIBITED, tuple(basis), tuple(used))


def important_data(case: Case) -> Step | None:
    """Step 3: notified important data needs a security assessment (Provisions Art 7), ahead of
    every exemption that would otherwise fit."""
    if case.request.data.important_data is not ImportantData.notified:
        return None
    rule = case.rules.require(Topic.IMPORTANT_DATA)
    basis = [
        rule.cite(
            "The data includes important data notified or publicly released as such: a security "
            "assessment whatever the volume"
        )
    ]
    used = [rule]
    for remark in _exemptions_not_covering_important_data(case):
        basis.append(remark.basis)
        used.append(remark.rule)
    return Step(Pathway.SECURITY_ASSESSMENT, tuple(basis), tuple(used))


def _exemptions_not_covering_important_data(case: Case) -> list[Remark]:
    request = case.request
    remarks = []
    outside_article_5 = case.rules.get(Topic.IMPORTANT_DATA_OUTSIDE_EXEMPTIONS)
    if outside_article_5 is not None and request.transfer.purpose in ARTICLE_5_PURPOSES:
        remarks.append(
            Remark(
                outside_article_5.cite(
                    f"The {request.transfer.purpose.value} exemption does not cover important data"
                ),
                outside_article_5,
            )
        )
    transit_rule = case.rules.get(Topic.TRANSIT)
    if transit_rule is not None and request.data.collected_abroad:
        remarks.append(
            Remark(
                transit_rule.cite(
                    "Re-exports are exempt only when no important data from China is added"
                ),
                transit_rule,
            )
        )
    off_list = case.rules.get(Topic.IMPORTANT_DATA_OFF_FTZ_LIST)
    if off_list is not None and _ftz_list_rule(case) is not None:
        remarks.append(Remark(off_list.cite(), off_list))
    return remarks


def no_personal_or_important_data(case: Case) -> Step | None:
    """Step 4: data with neither PI nor important data is exempt (Provisions Art 3)."""
    if case.personal_information or case.request.data.important_data is ImportantData.notified:
        return None
    rule = case.rules.require(Topic.NO_PERSONAL_OR_IMPORTANT_DATA)
    return Step(
        Pathway.EXEMPT,
        (rule.cite(f"The data contains no PI and no important data. {rule.summary}"),),
        (rule,),
    )


def transit(case: Case) -> Step | None:
    """Step 5: PI collected abroad and re-exported with nothing from China added (Art 4)."""
    rule = case.rules.get(Topic.TRANSIT)
    if rule is None or not case.request.data.collected_abroad:
        return None
    basis = [rule.cite()]
    used = [rule]
    _add_precedence_for_ciio(case, basis, used)
    return Step(Pathway.EXEMPT, tuple(basis), tuple(used))


def transit_skipped(case: Case) -> Remark | None:
    request = case.request
    if request.transfer.purpose is not Purpose.transit and not request.data.collected_abroad:
        return None
    if case.rules.get(Topic.TRANSIT) is None:
        return _not_yet_in_force(case, Topic.TRANSIT, "re-exported PI collected abroad")
    rule = case.rules.require(Topic.TRANSIT)
    return Remark(
        rule.cite(
            "The purpose is transit, but the request does not say the PI was collected abroad "
            "(data.collected_abroad): the transit exemption does not apply"
        ),
        rule,
    )


def necessity_exemption(case: Case) -> Step | None:
    """Step 6: contract, HR, emergency (Provisions Art 5(1)-(3)) and statutory duty (NDSMR Art
    35(6)) exempt whatever the volume, CIIOs included."""
    topic = NECESSITY_TOPICS.get(case.request.transfer.purpose)
    rule = case.rules.get(topic) if topic is not None else None
    if rule is None:
        return None
    contract_type = case.request.transfer.contract_type
    reason = f"{rule.summary} (contract: {contract_type})" if contract_type else rule.summary
    basis = [rule.cite(reason)]
    used = [rule]
    _add_precedence_for_ciio(case, basis, used)
    return Step(Pathway.EXEMPT, tuple(basis), tuple(used))


def necessity_skipped(case: Case) -> Remark | None:
    purpose = case.request.transfer.purpose
    topic = NECESSITY_TOPICS.get(purpose)
    if topic is None or case.rules.get(topic) is not None:
        return None
    return _not_yet_in_force(case, topic, f"the {purpose.value} purpose")


def free_trade_zone_list(case: Case) -> Step | None:
    """Step 7: a non-CIIO registered in a pilot FTZ whose sector a published list covers:
    off-list data is exempt, on-list data takes the pathway of its row (Provisions Art 6)."""
    rule = _ftz_list_rule(case)
    if rule is None:
        return None
    data = case.request.data
    used = [rule]
    report = case.rules.get(Topic.FTZ_EXPORT_REPORT)
    if report is not None:
        used.append(report)
    sector = case.request.processor.sector or "not stated"
    if data.ftz_list_match is FtzListMatch.off_list:
        reason = (
            f"Registered in a pilot free trade zone, sector ({sector}) covered by a published "
            "list, and the data is off the list: exempt"
        )
        return Step(Pathway.EXEMPT, (rule.cite(reason),), tuple(used))
    requirement = data.ftz_list_requirement
    if requirement is None:
        raise RequestError(
            "data.ftz_list_requirement",
            "an on_list match needs the requirement of the matched list row "
            "(security_assessment or standard_contract_or_certification)",
        )
    pathway = (
        Pathway.SECURITY_ASSESSMENT
        if requirement is FtzRequirement.security_assessment
        else Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    )
    reason = (
        f"Registered in a pilot free trade zone, sector ({sector}) covered by a published list, "
        f"and the data is on the list: the matched row prescribes {requirement.value}"
    )
    return Step(pathway, (rule.cite(reason),), tuple(used))


def free_trade_zone_skipped(case: Case) -> Remark | None:
    request = case.request
    if request.data.ftz_list_match not in _LISTED:
        return None
    rule = case.rules.get(Topic.FTZ_LIST)
    if rule is None:
        return _not_yet_in_force(case, Topic.FTZ_LIST, "free trade zone lists")
    if not request.processor.registered_in_ftz:
        reason = "The list match is not used: the processor is not registered in a pilot FTZ"
        return Remark(rule.cite(reason), rule)
    exclusion = case.rules.get(Topic.FTZ_CIIO_EXCLUSION)
    if request.processor.is_ciio and exclusion is not None:
        reason = "The list match is not used: CIIOs are outside FTZ lists; the general rules apply"
        return Remark(exclusion.cite(reason), exclusion)
    return None


def critical_information_infrastructure(case: Case) -> Step | None:
    """Step 8: a CIIO exporting any PI needs a security assessment (Provisions Art 7(1))."""
    if not (case.request.processor.is_ciio and case.personal_information):
        return None
    rule = case.rules.require(Topic.CIIO)
    reason = "The processor is a CIIO exporting PI: a security assessment whatever the volume"
    return Step(Pathway.SECURITY_ASSESSMENT, (rule.cite(reason),), (rule,))


def volume_tiers(case: Case) -> Step | None:
    """Step 9: the tier of the cumulative counts (this transfer plus earlier ones in the
    counting window); a count equal to a threshold is in the stricter tier."""
    if not case.personal_information:
        return None
    tiers = case.rules.tiers
    data = case.request.data
    individuals = data.individuals + data.individuals_earlier_this_year
    sensitive = data.sensitive_individuals + data.sensitive_individuals_earlier_this_year
    if tiers.sensitive_added_to_individuals:
        counted, label = individuals + sensitive, "individuals' PI (both counts added)"
    else:
        counted, label = individuals, "individuals' non-sensitive PI"
    counting = case.rules.require(Topic.COUNTING)
    counting_basis = counting.cite(
        f"Counted since {tiers.window_start(case.request.as_of).isoformat()}: "
        f"{individuals:,} individuals' non-sensitive PI ({data.individuals_earlier_this_year:,} "
        f"earlier + {data.individuals:,} in this transfer) and {sensitive:,} individuals' "
        f"sensitive PI ({data.sensitive_individuals_earlier_this_year:,} earlier + "
        f"{data.sensitive_individuals:,} in this transfer)"
    )
    assessment_reasons = []
    if counted >= tiers.security_assessment_individuals:
        assessment_reasons.append(
            f"{counted:,} {label} is at or above {tiers.security_assessment_individuals:,} "
            "(以上 includes the threshold)"
        )
    if sensitive >= tiers.security_assessment_sensitive:
        assessment_reasons.append(
            f"{sensitive:,} individuals' sensitive PI is at or above "
            f"{tiers.security_assessment_sensitive:,} (以上 includes the threshold)"
        )
    if assessment_reasons:
        rule = case.rules.require(Topic.VOLUME_SECURITY_ASSESSMENT)
        reason = "; ".join(assessment_reasons) + ": a security assessment"
        return Step(
            Pathway.SECURITY_ASSESSMENT, (rule.cite(reason), counting_basis), (rule, counting)
        )
    basis = [counting_basis]
    used = [counting]
    processed = case.rules.get(Topic.PROCESSED_VOLUME)
    if processed is not None:
        basis.append(processed.cite())
        used.append(processed)
    if counted >= tiers.contract_individuals or sensitive >= tiers.contract_sensitive:
        rule = case.rules.require(Topic.VOLUME_CONTRACT_OR_CERTIFICATION)
        reason = _contract_tier_reason(case, counted, sensitive, label)
        return Step(
            Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
            (rule.cite(reason), *basis),
            (rule, *used),
        )
    rule = case.rules.require(Topic.VOLUME_EXEMPTION)
    reason = (
        f"{counted:,} {label} is below {tiers.contract_individuals:,} (不满 excludes the "
        "threshold) and no sensitive PI: exempt for a non-CIIO"
    )
    return Step(Pathway.EXEMPT, (rule.cite(reason), *basis), (rule, *used))


def _contract_tier_reason(case: Case, counted: int, sensitive: int, label: str) -> str:
    tiers = case.rules.tiers
    if tiers.contract_individuals == 0:
        parts = [
            f"Below the security assessment triggers ({tiers.security_assessment_individuals:,} "
            f"individuals, {tiers.security_assessment_sensitive:,} sensitive); there is no volume "
            "exemption"
        ]
    else:
        parts = []
        if counted >= tiers.contract_individuals:
            parts.append(
                f"{counted:,} {label} is at or above {tiers.contract_individuals:,} and below "
                f"{tiers.security_assessment_individuals:,}"
            )
        if sensitive >= tiers.contract_sensitive:
            parts.append(
                f"{sensitive:,} individuals' sensitive PI is between {tiers.contract_sensitive:,} "
                f"and {tiers.security_assessment_sensitive - 1:,}"
            )
    certification = case.rules.get(Topic.CERTIFICATION)
    route = (
        f" or certification ({certification.instrument.citation}, {certification.article})"
        if certification is not None
        else ""
    )
    return "; ".join(parts) + f": a standard contract{route}"


def _ftz_list_rule(case: Case) -> Rule | None:
    """The Art 6 rule if the FTZ list decides this case: in force, processor registered in the
    zone and not a CIIO, sector covered by a list."""
    rule = case.rules.get(Topic.FTZ_LIST)
    processor = case.request.processor
    if (
        rule is None
        or not processor.registered_in_ftz
        or processor.is_ciio
        or case.request.data.ftz_list_match not in _LISTED
    ):
        return None
    return rule


def _add_precedence_for_ciio(case: Case, basis: list[Basis], used: list[Rule]) -> None:
    """CIIOs keep the Art 3-6 exemptions (Provisions Art 7 §2, Art 8 §2)."""
    rule = case.rules.get(Topic.EXEMPTIONS_PREVAIL)
    if case.request.processor.is_ciio and rule is not None:
        basis.append(rule.cite("The processor is a CIIO; the exemption still applies"))
        used.append(rule)


def _not_yet_in_force(case: Case, topic: Topic, what: str) -> Remark | None:
    upcoming = next_rule(topic, case.request.as_of)
    if upcoming is None:
        return None
    reason = (
        f"Not in force on {case.request.as_of.isoformat()} (from "
        f"{upcoming.effective_from.isoformat()}): no exemption for {what} on that date"
    )
    return Remark(upcoming.cite(reason), upcoming)


DECISION_ORDER: tuple[tuple[StepFunction, RemarkFunction | None], ...] = (
    (core_data, None),
    (important_data, None),
    (no_personal_or_important_data, None),
    (transit, transit_skipped),
    (necessity_exemption, necessity_skipped),
    (free_trade_zone_list, free_trade_zone_skipped),
    (critical_information_infrastructure, None),
    (volume_tiers, None),
)
"""Research note section 0, steps 2-9, in order; step 1 is ``export_characterisation`` and
step 10 is the duties every decision lists."""
