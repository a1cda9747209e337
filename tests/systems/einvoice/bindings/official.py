"""The official EN 16931 and Peppol material the binding tests use, and how to check documents.

Examples are listed at collection time from ../shared/fixtures/einvoice; when the kit is missing a
single placeholder case remains, which ``official_fixture`` skips locally and fails in CI.

Checks run through the platform's validator on the rule packs installed from the same kit: the
UBL 2.1 and CII D16B XSDs, then the official Schematron XSLT (EN 16931 v1.3.16 for UBL and CII,
Peppol BIS 3.0.19 for UBL). A document is invalid when a finding is fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from digitrade.systems.einvoice.bindings import read_invoice
from digitrade.systems.einvoice.en16931.model import Invoice
from digitrade.systems.einvoice.validation.model import Profile
from digitrade.systems.einvoice.validation.validator import Validator
from tests.support import SHARED_FIXTURES, official_fixture

KIT = "einvoice"
MISSING = "fixture-missing"
UBL_FOLDERS = (
    "en16931/examples-ubl",
    "en16931/testfiles-ubl",
    "peppol/examples",
    "peppol/snippets",
)
CII_FOLDERS = ("en16931/examples-cii",)
PEPPOL_VERSION = "3.0.19"  # the release the official unit tests and examples match


def _listed(folders: tuple[str, ...]) -> list[str]:
    names = [
        path.relative_to(SHARED_FIXTURES / KIT).as_posix()
        for folder in folders
        if (SHARED_FIXTURES / KIT / folder).is_dir()
        for path in sorted((SHARED_FIXTURES / KIT / folder).iterdir())
        if path.suffix.lower() == ".xml"
    ]
    return names or [MISSING]


UBL_EXAMPLES = _listed(UBL_FOLDERS)
CII_EXAMPLES = _listed(CII_FOLDERS)


def example_path(name: str) -> Path:
    return official_fixture(f"{KIT}/{name}")


@cache
def example_bytes(name: str) -> bytes:
    return example_path(name).read_bytes()


def example_root(name: str) -> Any:
    return etree.fromstring(example_bytes(name))


@cache
def example_invoice(name: str) -> Invoice:
    return read_invoice(example_root(name))


@dataclass(frozen=True)
class Checker:
    """The platform's validator over the official rule packs, Peppol pinned to BIS 3.0.19.

    ``problems`` lists the fatal findings of the XSD and Schematron layers of a profile, and
    reports any layer that did not run, so an empty list means the document passed them all.
    """

    validator: Validator

    def problems(self, data: bytes, profile: Profile = "en16931") -> list[str]:
        report = self.validator.validate(data, profile=profile)
        problems = [
            f"{finding.layer} {finding.rule} at {finding.location}: {finding.message}"
            for finding in report.findings
            if finding.severity == "fatal"
        ]
        if report.layers_not_run:
            problems.append(f"layers not run: {', '.join(report.layers_not_run)}")
        return problems

    def peppol_problems(self, data: bytes) -> list[str]:
        return [
            problem for problem in self.problems(data, "peppol") if problem.startswith("peppol")
        ]
