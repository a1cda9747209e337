"""Rule sets: the rules in force over a period, built once at import from the rules' own dates.

A new rule set starts wherever any rule or threshold table starts or ends, so every rule in a set
is in force on every day of it. The version names the first day: ``cn-cbdt-2024-03-22``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from digitrade.systems.dataflow.rules.catalogue import (
    RULES,
    SECURITY_ASSESSMENT_MEASURES_START,
    Rule,
    Topic,
)
from digitrade.systems.dataflow.rules.catalogue_zh import OBLIGATIONS_ZH
from digitrade.systems.dataflow.rules.model import (
    Deadline,
    Obligation,
    Pathway,
    RequestError,
)
from digitrade.systems.dataflow.rules.thresholds import VOLUME_TIERS, VolumeTiers, tiers_in_force

FIRST_DAY = SECURITY_ASSESSMENT_MEASURES_START
"""The engine answers from the day the SA Measures took effect; before it no implementing rules
for PIPL Art 38 existed."""

VERSION_PREFIX = "cn-cbdt-"


@dataclass(frozen=True, slots=True)
class Duties:
    """Obligations and deadlines that some rules impose, with the rules they come from."""

    obligations: tuple[Obligation, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    rules: tuple[Rule, ...] = ()

    def __add__(self, other: Duties) -> Duties:
        return Duties(
            self.obligations + other.obligations,
            self.deadlines + other.deadlines,
            self.rules + other.rules,
        )


def duties_of(rule: Rule) -> Duties:
    basis = rule.cite()
    obligations = (
        (Obligation(rule.topic.value, rule.obligation, basis, OBLIGATIONS_ZH[rule.id]),)
        if rule.obligation
        else ()
    )
    deadlines = tuple(
        Deadline(term.code, term.text, term.working_days, term.years, basis, rule.term_zh(term))
        for term in rule.deadlines
    )
    return Duties(obligations, deadlines, (rule,))


RULE_DUTIES: Mapping[str, Duties] = MappingProxyType({rule.id: duties_of(rule) for rule in RULES})

# What each pathway requires of the processor, in the order a checklist shows them.
PATHWAY_DUTY_TOPICS: Mapping[Pathway, tuple[Topic, ...]] = MappingProxyType(
    {
        Pathway.EXEMPT: (),
        Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: (
            Topic.STANDARD_CONTRACT,
            Topic.SCC_PIPIA,
            Topic.SCC_FILING,
            Topic.SCC_MATERIALS,
            Topic.SCC_PIPIA_RECENCY,
            Topic.SCC_CHANGES,
            Topic.NO_SPLITTING,
            Topic.CERTIFICATION,
            Topic.CERTIFICATE_VALIDITY,
        ),
        Pathway.SECURITY_ASSESSMENT: (
            Topic.SA_SELF_ASSESSMENT,
            Topic.SA_DECLARATION,
            Topic.SA_CONTRACT,
            Topic.SA_REVIEW,
            Topic.SA_RE_REVIEW,
            Topic.SA_VALIDITY,
            Topic.SA_REDECLARATION,
            Topic.SA_EXTENSION_CONDITIONS,
        ),
        Pathway.PROHIBITED: (),
    }
)
PERSONAL_INFORMATION_DUTY_TOPICS = (Topic.NOTICE_AND_CONSENT, Topic.PIPIA)
EXPORT_DUTY_TOPICS = (Topic.SECURITY_DUTIES,)


@dataclass(frozen=True, slots=True, eq=False)
class RuleSet:
    version: str
    effective_from: date
    effective_to: date | None
    rules: Mapping[Topic, Rule]
    tiers: VolumeTiers
    pathway_duties: Mapping[Pathway, Duties]
    personal_information_duties: Duties
    """Whenever PI is exported and the export is not prohibited (PIPL Arts 39, 55-56)."""
    export_duties: Duties
    """Whenever data is exported and the export is not prohibited (Provisions Arts 10-11)."""

    def get(self, topic: Topic) -> Rule | None:
        return self.rules.get(topic)

    def require(self, topic: Topic) -> Rule:
        rule = self.rules.get(topic)
        if rule is None:
            raise LookupError(f"rule set {self.version} has no rule on {topic.value}")
        return rule


def _duties_on(rules: Mapping[Topic, Rule], topics: Iterable[Topic]) -> Duties:
    total = Duties()
    for topic in topics:
        rule = rules.get(topic)
        if rule is not None:
            total = total + RULE_DUTIES[rule.id]
    return total


def _rules_on(day: date) -> Mapping[Topic, Rule]:
    by_topic: dict[Topic, Rule] = {}
    for rule in RULES:
        if rule.in_force(day):
            if rule.topic in by_topic:
                raise ValueError(
                    f"two rules on {rule.topic.value} in force on {day}: "
                    f"{by_topic[rule.topic].id}, {rule.id}"
                )
            by_topic[rule.topic] = rule
    return MappingProxyType(by_topic)


def _build(start: date, end: date | None) -> RuleSet:
    rules = _rules_on(start)
    tiers = tiers_in_force(start)
    if tiers is None:
        raise ValueError(f"no volume thresholds in force on {start}")
    return RuleSet(
        version=f"{VERSION_PREFIX}{start.isoformat()}",
        effective_from=start,
        effective_to=end,
        rules=rules,
        tiers=tiers,
        pathway_duties=MappingProxyType(
            {pathway: _duties_on(rules, topics) for pathway, topics in PATHWAY_DUTY_TOPICS.items()}
        ),
        personal_information_duties=_duties_on(rules, PERSONAL_INFORMATION_DUTY_TOPICS),
        export_duties=_duties_on(rules, EXPORT_DUTY_TOPICS),
    )


def _change_days() -> list[date]:
    periods = [(rule.effective_from, rule.effective_to) for rule in RULES]
    periods += [(tiers.effective_from, tiers.effective_to) for tiers in VOLUME_TIERS]
    days = {FIRST_DAY}
    for start, end in periods:
        days.add(start)
        if end is not None:
            days.add(end + timedelta(days=1))
    return sorted(day for day in days if day >= FIRST_DAY)


def _build_all() -> tuple[RuleSet, ...]:
    starts = _change_days()
    ends: list[date | None] = [day - timedelta(days=1) for day in starts[1:]]
    ends.append(None)
    return tuple(_build(start, end) for start, end in zip(starts, ends, strict=True))


RULE_SETS: tuple[RuleSet, ...] = _build_all()
_STARTS: tuple[date, ...] = tuple(rule_set.effective_from for rule_set in RULE_SETS)
RULE_SETS_BY_VERSION: Mapping[str, RuleSet] = MappingProxyType(
    {rule_set.version: rule_set for rule_set in RULE_SETS}
)


def rules_in_force(as_of: date) -> RuleSet:
    """The rule set in force on ``as_of``; before the first regime a ``RequestError`` on
    ``as_of``."""
    position = bisect.bisect_right(_STARTS, as_of) - 1
    if position < 0:
        raise RequestError(
            "as_of",
            f"{as_of.isoformat()} is before {FIRST_DAY.isoformat()}, when the data export "
            "security assessment measures took effect; no rules are recorded for that date",
        )
    return RULE_SETS[position]


def volume_thresholds(as_of: date) -> dict[str, int]:
    """The volume thresholds in force on ``as_of`` (cumulative individuals; see ``VolumeTiers``
    for the counting window). ``individuals_standard_contract`` is 0 where there is no volume
    exemption."""
    tiers = rules_in_force(as_of).tiers
    return {
        "individuals_standard_contract": tiers.contract_individuals,
        "individuals_security_assessment": tiers.security_assessment_individuals,
        "sensitive_standard_contract": tiers.contract_sensitive,
        "sensitive_security_assessment": tiers.security_assessment_sensitive,
    }
