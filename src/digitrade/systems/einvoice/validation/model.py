"""What validation reports: findings, the report, and the errors that stop a validation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from digitrade.core.errors import ValidationFailed
from digitrade.systems.einvoice.rulepacks import Layer, Syntax

Severity = Literal["fatal", "warning", "information"]
Profile = Literal["en16931", "peppol"]
ProfileChoice = Literal["auto", "en16931", "peppol"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
PROFILE_CHOICES: tuple[ProfileChoice, ...] = get_args(ProfileChoice)


class UnsupportedDocument(ValidationFailed):
    """Well-formed XML, but not a UBL Invoice, UBL CreditNote or CII CrossIndustryInvoice."""

    code = "einvoice.unsupported-document"
    title = "Not a supported e-invoice document"


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule: an XSD error or a Schematron failed assert / successful report."""

    rule: str  # "XSD" or the Schematron rule id, e.g. "BR-01", "PEPPOL-EN16931-R001"
    severity: Severity
    location: str  # XPath of the offending node, as the XSD validator or SVRL gives it
    message: str
    test: str  # the Schematron XPath test; empty for XSD errors
    layer: Layer
    line: int | None = None  # source line, where the validator reports one

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
            "test": self.test,
            "layer": self.layer,
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    syntax: Syntax
    customization_id: str | None
    profile: Profile  # the profile applied ("auto" resolved from the CustomizationID)
    rule_packs: tuple[dict[str, str], ...]  # {"name", "version", "layer"} of each pack used
    findings: tuple[Finding, ...]
    layers_run: tuple[Layer, ...]
    layers_not_run: tuple[Layer, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not any(finding.severity == "fatal" for finding in self.findings)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(finding.severity for finding in self.findings)
        return {severity: counts.get(severity, 0) for severity in SEVERITIES}

    def fired(self, severity: Severity | None = None) -> set[str]:
        """Ids of the rules that fired (with ``severity``, if given)."""
        return {f.rule for f in self.findings if severity is None or f.severity == severity}

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "syntax": self.syntax,
            "rule_packs": [dict(pack) for pack in self.rule_packs],
            "findings": [finding.to_json() for finding in self.findings],
            "summary": self.summary,
            "customization_id": self.customization_id,
            "profile": self.profile,
            "layers_run": list(self.layers_run),
        }
