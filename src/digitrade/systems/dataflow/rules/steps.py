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

from digitrade.core.text import Text
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
from digitrade.systems.dataflow.rules.texts import (
    FTZ_REQUIREMENTS,
    PURPOSES,
    article_zh,
    render,
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
    key = "export.remote-access" if case.request.transfer.remote_access else "export.transmitted"
    return Remark(rule.cite(render(key, country=country)), rule)


def core_data(case: Case) -> Step | None:
    """Step 2: core data never takes one of the three pathways (DSL Art 21)."""
    if not case.request.data.core_data:
        return None
    rule = case.rules.require(Topic.CORE_DATA)
    basis = [rule.cite(render("core-data"))]
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
    basis = [rule.cite(render("important-data"))]
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
                    render(
                        "important-data.exemption",
                        purpose=PURPOSES[request.transfer.purpose.value],
                    )
                ),
                outside_article_5,
            )
        )
    transit_rule = case.rules.get(Topic.TRANSIT)
    if transit_rule is not None and request.data.collected_abroad:
        remarks.append(
            Remark(
                transit_rule.cite(render("important-data.re-export")),
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
        (rule.cite(render("no-personal-or-important-data", summary=rule.summary_text)),),
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
        return _not_yet_in_force(case, Topic.TRANSIT, render("transit.what"))
    rule = case.rules.require(Topic.TRANSIT)
    return Remark(rule.cite(render("transit.not-collected-abroad")), rule)


def necessity_exemption(case: Case) -> Step | None:
    """Step 6: contract, HR, emergency (Provisions Art 5(1)-(3)) and statutory duty (NDSMR Art
    35(6)) exempt whatever the volume, CIIOs included."""
    topic = NECESSITY_TOPICS.get(case.request.transfer.purpose)
    rule = case.rules.get(topic) if topic is not None else None
    if rule is None:
        return None
    contract_type = case.request.transfer.contract_type
    reason = (
        render("necessity.contract", summary=rule.summary_text, contract_type=contract_type)
        if contract_type
        else rule.summary_text
    )
    basis = [rule.cite(reason)]
    used = [rule]
    _add_precedence_for_ciio(case, basis, used)
    return Step(Pathway.EXEMPT, tuple(basis), tuple(used))


def necessity_skipped(case: Case) -> Remark | None:
    purpose = case.request.transfer.purpose
    topic = NECESSITY_TOPICS.get(purpose)
    if topic is None or case.rules.get(topic) is not None:
        return None
    return _not_yet_in_force(case, topic, render("necessity.what", purpose=PURPOSES[purpose.value]))


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
    stated = case.request.processor.sector
    sector = Text(stated, stated) if stated else render("ftz.sector-not-stated")
    if data.ftz_list_match is FtzListMatch.off_list:
        reason = render("ftz.off-list", sector=sector)
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
    reason = render("ftz.on-list", sector=sector, requirement=FTZ_REQUIREMENTS[requirement.value])
    return Step(pathway, (rule.cite(reason),), tuple(used))


def free_trade_zone_skipped(case: Case) -> Remark | None:
    request = case.request
    if request.data.ftz_list_match not in _LISTED:
        return None
    rule = case.rules.get(Topic.FTZ_LIST)
    if rule is None:
        return _not_yet_in_force(case, Topic.FTZ_LIST, render("ftz.what"))
    if not request.processor.registered_in_ftz:
        return Remark(rule.cite(render("ftz.not-registered")), rule)
    exclusion = case.rules.get(Topic.FTZ_CIIO_EXCLUSION)
    if request.processor.is_ciio and exclusion is not None:
        return Remark(exclusion.cite(render("ftz.ciio")), exclusion)
    return None


def critical_information_infrastructure(case: Case) -> Step | None:
    """Step 8: a CIIO exporting any PI needs a security assessment (Provisions Art 7(1))."""
    if not (case.request.processor.is_ciio and case.personal_information):
        return None
    rule = case.rules.require(Topic.CIIO)
    return Step(Pathway.SECURITY_ASSESSMENT, (rule.cite(render("ciio")),), (rule,))


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
        counted, label = individuals + sensitive, render("volume.label.added")
    else:
        counted, label = individuals, render("volume.label.non-sensitive")
    counting = case.rules.require(Topic.COUNTING)
    counting_basis = counting.cite(
        render(
            "volume.counted",
            since=tiers.window_start(case.request.as_of).isoformat(),
            individuals=individuals,
            earlier=data.individuals_earlier_this_year,
            current=data.individuals,
            sensitive=sensitive,
            earlier_sensitive=data.sensitive_individuals_earlier_this_year,
            current_sensitive=data.sensitive_individuals,
        )
    )
    assessment_reasons = []
    if counted >= tiers.security_assessment_individuals:
        assessment_reasons.append(
            render(
                "volume.at-or-above",
                counted=counted,
                label=label,
                threshold=tiers.security_assessment_individuals,
            )
        )
    if sensitive >= tiers.security_assessment_sensitive:
        assessment_reasons.append(
            render(
                "volume.sensitive-at-or-above",
                sensitive=sensitive,
                threshold=tiers.security_assessment_sensitive,
            )
        )
    if assessment_reasons:
        rule = case.rules.require(Topic.VOLUME_SECURITY_ASSESSMENT)
        reason = render("volume.security-assessment", parts=Text.join(assessment_reasons))
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
    reason = render(
        "volume.exempt", counted=counted, label=label, threshold=tiers.contract_individuals
    )
    return Step(Pathway.EXEMPT, (rule.cite(reason), *basis), (rule, *used))


def _contract_tier_reason(case: Case, counted: int, sensitive: int, label: Text) -> Text:
    tiers = case.rules.tiers
    if tiers.contract_individuals == 0:
        parts = [
            render(
                "volume.no-exemption",
                individuals=tiers.security_assessment_individuals,
                sensitive=tiers.security_assessment_sensitive,
            )
        ]
    else:
        parts = []
        if counted >= tiers.contract_individuals:
            parts.append(
                render(
                    "volume.contract-band",
                    counted=counted,
                    label=label,
                    lower=tiers.contract_individuals,
                    upper=tiers.security_assessment_individuals,
                )
            )
        if sensitive >= tiers.contract_sensitive:
            parts.append(
                render(
                    "volume.sensitive-band",
                    sensitive=sensitive,
                    lower=tiers.contract_sensitive,
                    upper=tiers.security_assessment_sensitive - 1,
                )
            )
    certification = case.rules.get(Topic.CERTIFICATION)
    route = (
        render(
            "volume.certification-route",
            instrument=Text(
                certification.instrument.citation, certification.instrument.citation_zh
            ),
            article=Text(certification.article, article_zh(certification.article)),
        )
        if certification is not None
        else Text("", "")
    )
    return render("volume.standard-contract", parts=Text.join(parts), route=route)


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
        basis.append(rule.cite(render("ciio.exemption-prevails")))
        used.append(rule)


def _not_yet_in_force(case: Case, topic: Topic, what: Text) -> Remark | None:
    upcoming = next_rule(topic, case.request.as_of)
    if upcoming is None:
        return None
    reason = render(
        "not-yet-in-force",
        as_of=case.request.as_of.isoformat(),
        effective_from=upcoming.effective_from.isoformat(),
        what=what,
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
