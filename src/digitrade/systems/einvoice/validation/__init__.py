"""E-invoice validation: UBL 2.1 / CII D16B XSD, EN 16931 and Peppol BIS Billing 3 Schematron.

:class:`Validator` runs the layers in order (XSD, then EN 16931, then Peppol when the profile
asks for it) with the rule packs installed on disk, and returns a :class:`ValidationReport`.
"""

from digitrade.systems.einvoice.validation.engine import (
    SchematronStylesheet,
    XsdSchema,
    saxon_processor,
)
from digitrade.systems.einvoice.validation.model import (
    PROFILE_CHOICES,
    Finding,
    Profile,
    ProfileChoice,
    Severity,
    UnsupportedDocument,
    ValidationReport,
)
from digitrade.systems.einvoice.validation.syntax import (
    PEPPOL_BILLING_3,
    applied_profile,
    customization_id,
    detect_syntax,
)
from digitrade.systems.einvoice.validation.testset import (
    CaseResult,
    SuiteResult,
    read_testset,
    run_testset,
)
from digitrade.systems.einvoice.validation.validator import Validator, choose_pack

__all__ = [
    "PEPPOL_BILLING_3",
    "PROFILE_CHOICES",
    "CaseResult",
    "Finding",
    "Profile",
    "ProfileChoice",
    "SchematronStylesheet",
    "Severity",
    "SuiteResult",
    "UnsupportedDocument",
    "ValidationReport",
    "Validator",
    "XsdSchema",
    "applied_profile",
    "choose_pack",
    "customization_id",
    "detect_syntax",
    "read_testset",
    "run_testset",
    "saxon_processor",
]
