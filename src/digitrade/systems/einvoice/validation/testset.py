"""Run the official rule-by-rule test sets (vefa-validator ``testSet`` files) against a stylesheet.

Format (namespace ``http://difi.no/xsd/vefa/validator/1.0``), as used by CEN/TC 434 and OpenPeppol::

    <testSet configuration="tc434-ubl">
      <assert><scope>BR-01</scope></assert>
      <test><assert><success>BR-01</success></assert> <Invoice ...>...</Invoice></test>
      <test><assert><error number="2">BR-CL-17</error></assert> <Invoice ...>...</Invoice></test>
    </testSet>

Semantics (vefa-validator's ``AbstractExpectation`` and ``svrl-parser.xslt``): only rules named in
a ``scope`` count, all others are ignored; ``success X`` means X does not fire at all;
``error X`` means X fires as a fatal failed assert exactly ``number`` times (default 1), and
``warning X`` the same with flag warning (``fatal`` is treated like ``error``). The embedded
documents are fragments, so only the Schematron stylesheet runs on them, never the XSD.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from lxml import etree

from digitrade.systems.einvoice.validation.engine import SchematronStylesheet
from digitrade.systems.einvoice.validation.model import Severity
from digitrade.systems.einvoice.xmlsafe import parse_xml

VEFA_NS = "http://difi.no/xsd/vefa/validator/1.0"
ExpectationKind = Literal["success", "error", "warning", "fatal"]
_KINDS: tuple[ExpectationKind, ...] = ("success", "error", "warning", "fatal")
_SEVERITY_OF_KIND: dict[ExpectationKind, Severity] = {
    "error": "fatal",
    "fatal": "fatal",
    "warning": "warning",
}


def _q(name: str) -> str:
    return f"{{{VEFA_NS}}}{name}"


@dataclass(frozen=True, slots=True)
class Expectation:
    kind: ExpectationKind
    rule: str
    count: int = 1  # how often the rule must fire (not used by "success")

    def problem(self, fired: Mapping[str, Counter[Severity]]) -> str | None:
        """Why the firings contradict this expectation, or None if they agree."""
        counts = fired.get(self.rule, Counter())
        seen = ", ".join(f"{n} {sev}" for sev, n in sorted(counts.items())) or "never"
        if self.kind == "success":
            return None if not counts else f"{self.rule} must not fire, but fired: {seen}"
        severity = _SEVERITY_OF_KIND[self.kind]
        if counts[severity] == self.count:
            return None
        return f"{self.rule} must fire {self.count}x as {severity}, but fired: {seen}"


@dataclass(frozen=True, slots=True)
class Case:
    number: int  # 1-based position in the file
    description: str
    expectations: tuple[Expectation, ...]
    document: str  # the embedded fragment as XML text


@dataclass(frozen=True, slots=True)
class Suite:
    path: Path
    configuration: str
    scope: frozenset[str]
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class SuiteResult:
    suite: Suite
    results: tuple[CaseResult, ...]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def failures(self) -> tuple[CaseResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    def explain(self) -> str:
        """One line per failing case: file, case number, description, what went wrong."""
        lines = []
        for result in self.failures:
            case = result.case
            about = f" ({case.description})" if case.description else ""
            lines.append(
                f"{self.suite.path.name} case {case.number}{about}: {'; '.join(result.problems)}"
            )
        return "\n".join(lines)


def read_testset(path: Path) -> Suite:
    root = parse_xml(path.read_bytes()).getroot()
    if root.tag != _q("testSet"):
        raise ValueError(f"{path.name} is not a vefa testSet (root {root.tag})")
    top = root.find(_q("assert"))
    scope = [rule for rule in _texts(top, "scope") if rule]
    shared_description = _description(top)
    shared_expectations = _expectations(top)
    cases = []
    for number, test in enumerate(root.iterfind(_q("test")), start=1):
        local = test.find(_q("assert"))
        documents = [
            child for child in test if isinstance(child.tag, str) and child.tag != _q("assert")
        ]
        if len(documents) != 1:
            raise ValueError(f"{path.name} case {number}: expected one embedded document")
        description = " ".join(filter(None, (shared_description, _description(local))))
        cases.append(
            Case(
                number=number,
                description=description,
                expectations=shared_expectations + _expectations(local),
                document=etree.tostring(documents[0], encoding="unicode"),
            )
        )
    return Suite(path, root.get("configuration", ""), frozenset(scope), tuple(cases))


def run_testset(path: Path, stylesheet: SchematronStylesheet) -> SuiteResult:
    """Run every case of the testSet file at ``path`` through ``stylesheet``."""
    suite = read_testset(path)
    return SuiteResult(suite, tuple(_run_case(suite, case, stylesheet) for case in suite.cases))


def _run_case(suite: Suite, case: Case, stylesheet: SchematronStylesheet) -> CaseResult:
    scope = suite.scope or {expectation.rule for expectation in case.expectations}
    fired: dict[str, Counter[Severity]] = {}
    for finding in stylesheet.run_text(case.document):
        if finding.rule in scope:
            fired.setdefault(finding.rule, Counter())[finding.severity] += 1
    problems = (expectation.problem(fired) for expectation in case.expectations)
    return CaseResult(case, tuple(problem for problem in problems if problem))


def _texts(element: etree._Element | None, name: str) -> list[str]:
    if element is None:
        return []
    return [" ".join((child.text or "").split()) for child in element.iterfind(_q(name))]


def _description(element: etree._Element | None) -> str:
    text = element.findtext(_q("description")) if element is not None else None
    return " ".join((text or "").split())


def _expectations(element: etree._Element | None) -> tuple[Expectation, ...]:
    if element is None:
        return ()
    found = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        kind = etree.QName(child).localname
        rule = (child.text or "").strip()
        if kind in _KINDS and rule:
            count = int(child.get("number", "1"))
            found.append(Expectation(cast(ExpectationKind, kind), rule, count))
    return tuple(found)
