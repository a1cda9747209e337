"""Cross-border data export rules: which legal pathway an export takes, why, and what it requires.

Pure and deterministic: no I/O, rules as dated data citing their instruments and articles, the
decision order of the research note as small functions (``steps.py``). An assessment uses the
rule set in force on its ``as_of`` date.
"""

from digitrade.systems.dataflow.rules.catalogue import RULES, RULES_BY_ID, Rule, Term, Topic
from digitrade.systems.dataflow.rules.engine import assess
from digitrade.systems.dataflow.rules.instruments import INSTRUMENTS, Instrument
from digitrade.systems.dataflow.rules.model import (
    AssessmentRequest,
    Basis,
    DataProfile,
    Deadline,
    Decision,
    FtzListMatch,
    FtzRequirement,
    ImportantData,
    Obligation,
    Pathway,
    Processor,
    Purpose,
    RequestError,
    Transfer,
    strictness,
)
from digitrade.systems.dataflow.rules.parsing import request_from_dict
from digitrade.systems.dataflow.rules.steps import DECISION_ORDER, Step
from digitrade.systems.dataflow.rules.thresholds import VOLUME_TIERS, VolumeTiers
from digitrade.systems.dataflow.rules.versions import (
    FIRST_DAY,
    RULE_SETS,
    RULE_SETS_BY_VERSION,
    RuleSet,
    rules_in_force,
    volume_thresholds,
)

__all__ = [
    "DECISION_ORDER",
    "FIRST_DAY",
    "INSTRUMENTS",
    "RULES",
    "RULES_BY_ID",
    "RULE_SETS",
    "RULE_SETS_BY_VERSION",
    "VOLUME_TIERS",
    "AssessmentRequest",
    "Basis",
    "DataProfile",
    "Deadline",
    "Decision",
    "FtzListMatch",
    "FtzRequirement",
    "ImportantData",
    "Instrument",
    "Obligation",
    "Pathway",
    "Processor",
    "Purpose",
    "RequestError",
    "Rule",
    "RuleSet",
    "Step",
    "Term",
    "Topic",
    "Transfer",
    "VolumeTiers",
    "assess",
    "request_from_dict",
    "rules_in_force",
    "strictness",
    "volume_thresholds",
]
