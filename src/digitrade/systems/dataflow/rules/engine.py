"""``assess``: run the decision order on a request under the rules in force on its date."""

from __future__ import annotations

from digitrade.systems.dataflow.rules.catalogue import RULES_BY_ID, Rule, Topic
from digitrade.systems.dataflow.rules.model import (
    AssessmentRequest,
    DataProfile,
    Decision,
    Obligation,
    Pathway,
    UnverifiedNote,
)
from digitrade.systems.dataflow.rules.steps import (
    DECISION_ORDER,
    Case,
    Remark,
    Step,
    export_characterisation,
)
from digitrade.systems.dataflow.rules.texts import render
from digitrade.systems.dataflow.rules.versions import RULE_DUTIES, Duties, RuleSet, rules_in_force


def assess(request: AssessmentRequest, rules: RuleSet | None = None) -> Decision:
    """Decide the export pathway of ``request`` with its reasons, obligations and deadlines,
    under ``rules`` or else the rule set in force on ``request.as_of``."""
    rule_set = rules if rules is not None else rules_in_force(request.as_of)
    case = Case(request, rule_set, _has_personal_information(request.data))
    export = export_characterisation(case)
    step, remarks = _first_verdict(case)
    duties = _duties(case, step)
    cited = (export.rule, *step.rules, *(remark.rule for remark in remarks), *duties.rules)
    unverified = _unverified(cited)
    return Decision(
        pathway=step.pathway,
        basis=(export.basis, *step.basis, *(remark.basis for remark in remarks)),
        obligations=duties.obligations,
        deadlines=duties.deadlines,
        rules_version=rule_set.version,
        unverified=unverified,
        unverified_notes=tuple(_note(RULES_BY_ID[rule_id]) for rule_id in unverified),
    )


def _has_personal_information(data: DataProfile) -> bool:
    # Individuals counted in this transfer mean PI is in it, whatever the flag says.
    return data.personal_information or data.individuals > 0 or data.sensitive_individuals > 0


def _first_verdict(case: Case) -> tuple[Step, list[Remark]]:
    remarks: list[Remark] = []
    for decide, explain_skip in DECISION_ORDER:
        step = decide(case)
        if step is not None:
            return step, remarks
        if explain_skip is not None:
            remark = explain_skip(case)
            if remark is not None:
                remarks.append(remark)
    # Unreachable: without PI step 4 decides, with PI step 9 does.
    raise AssertionError("no step decided the case")


def _duties(case: Case, step: Step) -> Duties:
    """What the verdict's own rules require, then the pathway's duties, then those of every PI
    export and of every export (research note section 0, step 10); none when prohibited."""
    duties = Duties()
    for rule in step.rules:
        duties = duties + RULE_DUTIES[rule.id]
    if step.pathway is Pathway.PROHIBITED:
        return duties
    rule_set = case.rules
    duties = duties + rule_set.pathway_duties[step.pathway]
    if case.personal_information:
        duties = duties + rule_set.personal_information_duties + _recipient_check(case)
    return duties + rule_set.export_duties


def _recipient_check(case: Case) -> Duties:
    """PIPL Art 42: the list restricts recipients; their country never changes the pathway."""
    rule = case.rules.get(Topic.RESTRICTED_RECIPIENTS)
    if rule is None:
        return Duties()
    country = case.request.transfer.recipient_country
    text = render("restricted-recipients", country=country)
    obligation = Obligation(Topic.RESTRICTED_RECIPIENTS.value, text.en, rule.cite(), text.zh)
    return Duties(obligations=(obligation,), rules=(rule,))


def _unverified(rules: tuple[Rule, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(rule.id for rule in rules if not rule.verified))


def _note(rule: Rule) -> UnverifiedNote:
    return UnverifiedNote(rule.id, rule.note, rule.note_zh)
