"""The rule data: every record cites its source, the versions tile time, the code stays pure."""

from __future__ import annotations

import ast
import itertools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from digitrade.systems.dataflow import rules as rules_package
from digitrade.systems.dataflow.rules import (
    DECISION_ORDER,
    FIRST_DAY,
    INSTRUMENTS,
    RULE_SETS,
    RULES,
    VOLUME_TIERS,
    Pathway,
    Topic,
    rules_in_force,
)
from digitrade.systems.dataflow.rules.catalogue import next_rule
from digitrade.systems.dataflow.rules.steps import Case, core_data, volume_tiers
from tests.systems.dataflow.rules.builders import request


def test_rule_ids_are_unique_and_every_rule_cites_its_source():
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.article.strip(), rule.id
        assert rule.summary.strip(), rule.id
        assert rule.instrument in INSTRUMENTS, rule.id
        assert rule.effective_from >= rule.instrument.effective_from, rule.id
        assert rule.effective_to is None or rule.effective_to >= rule.effective_from, rule.id


def test_every_unverified_rule_says_why():
    unverified = [rule for rule in RULES if not rule.verified]
    assert unverified
    for rule in unverified:
        assert len(rule.note) > 20, rule.id


def test_every_topic_has_a_rule_and_every_instrument_is_cited():
    assert {rule.topic for rule in RULES} == set(Topic)
    assert {rule.instrument for rule in RULES} == set(INSTRUMENTS)


def test_instruments_carry_the_research_note_facts():
    by_key = {instrument.key: instrument for instrument in INSTRUMENTS}
    provisions = by_key["provisions-2024"]
    assert (provisions.number, provisions.effective_from) == ("CAC Order No. 16", date(2024, 3, 22))
    assert provisions.url == "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm"
    assert by_key["sa-measures-2022"].effective_from == date(2022, 9, 1)
    assert by_key["sa-measures-2022"].displaced_from == date(2024, 3, 22)
    assert by_key["scc-measures-2023"].effective_from == date(2023, 6, 1)
    assert by_key["ndsmr-2025"].effective_from == date(2025, 1, 1)
    assert by_key["certification-measures-2026"].effective_from == date(2026, 1, 1)
    for instrument in INSTRUMENTS:
        assert instrument.name_zh and instrument.name_en and instrument.issuer


def test_rule_sets_tile_time_from_the_first_regime():
    assert RULE_SETS[0].effective_from == FIRST_DAY == date(2022, 9, 1)
    assert RULE_SETS[-1].effective_to is None
    for earlier, later in itertools.pairwise(RULE_SETS):
        assert earlier.effective_to is not None
        assert earlier.effective_to + timedelta(days=1) == later.effective_from
    for rule_set in RULE_SETS:
        assert re.fullmatch(r"cn-cbdt-\d{4}-\d{2}-\d{2}", rule_set.version)
        assert rule_set.version.endswith(rule_set.effective_from.isoformat())


def test_every_rule_in_a_set_is_in_force_throughout_it():
    for rule_set in RULE_SETS:
        last_day = rule_set.effective_to or date(2030, 12, 31)
        for topic, rule in rule_set.rules.items():
            assert rule.topic is topic
            assert rule.in_force(rule_set.effective_from) and rule.in_force(last_day), rule.id
        assert rule_set.tiers.in_force(rule_set.effective_from)
        assert rule_set.tiers.in_force(last_day)


@pytest.mark.parametrize("rule_set", RULE_SETS, ids=lambda rule_set: rule_set.version)
def test_every_rule_set_can_decide_every_case(rule_set):
    needed = {
        Topic.EXPORT,
        Topic.CORE_DATA,
        Topic.IMPORTANT_DATA,
        Topic.NO_PERSONAL_OR_IMPORTANT_DATA,
        Topic.CIIO,
        Topic.COUNTING,
        Topic.VOLUME_SECURITY_ASSESSMENT,
        Topic.VOLUME_CONTRACT_OR_CERTIFICATION,
        Topic.STANDARD_CONTRACT,
        Topic.CERTIFICATION,
        Topic.SA_VALIDITY,
        Topic.PIPIA,
        Topic.NOTICE_AND_CONSENT,
    }
    assert needed <= set(rule_set.rules)
    # The exempt volume tier exists exactly when a rule grants it (Provisions Art 5(4)).
    assert (Topic.VOLUME_EXEMPTION in rule_set.rules) is (rule_set.tiers.contract_individuals > 0)


def test_threshold_tables():
    """SA Measures Art 4(3) / SCC Measures Art 4, then Provisions Arts 5(4), 7(2), 8."""
    old, new = VOLUME_TIERS
    assert (old.effective_from, old.effective_to) == (date(2022, 9, 1), date(2024, 3, 21))
    assert (old.security_assessment_individuals, old.security_assessment_sensitive) == (
        100_000,
        10_000,
    )
    assert old.window_start(date(2023, 10, 1)) == date(2022, 1, 1)
    assert old.processed_individuals_limit == 1_000_000
    assert (new.effective_from, new.effective_to) == (date(2024, 3, 22), None)
    assert (
        new.contract_individuals,
        new.security_assessment_individuals,
        new.contract_sensitive,
        new.security_assessment_sensitive,
    ) == (100_000, 1_000_000, 1, 10_000)
    assert new.window_start(date(2025, 6, 1)) == date(2025, 1, 1)


def test_next_rule_finds_the_rule_that_takes_effect_later():
    upcoming = next_rule(Topic.STATUTORY_DUTY, date(2024, 6, 1))
    assert upcoming is not None
    assert (upcoming.article, upcoming.effective_from) == ("Art 35(6)", date(2025, 1, 1))
    assert next_rule(Topic.STATUTORY_DUTY, date(2025, 1, 1)) is None


def test_steps_are_small_pure_functions_returning_a_step_or_none():
    case = Case(request(individuals=150_000), rules_in_force(date(2025, 6, 1)), True)
    assert core_data(case) is None
    step = volume_tiers(case)
    assert step is not None
    assert step.pathway is Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    assert [basis.article for basis in step.basis][:1] == ["Art 8"]
    assert all(callable(decide) for decide, _ in DECISION_ORDER)
    assert all(decide.__doc__ for decide, _ in DECISION_ORDER)


def test_rule_modules_import_nothing_that_does_io():
    """R5: rule code is pure: the standard library's pure modules and its own package only."""
    allowed = {
        "__future__",
        "bisect",
        "collections",
        "dataclasses",
        "datetime",
        "enum",
        "re",
        "types",
        "typing",
        "digitrade",
    }
    package_dir = Path(rules_package.__file__).parent
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                if name.startswith("digitrade"):
                    # Its own package, and the core's bilingual text type (pure, no I/O).
                    assert name.startswith(
                        ("digitrade.systems.dataflow.rules", "digitrade.core.text")
                    ), path.name
