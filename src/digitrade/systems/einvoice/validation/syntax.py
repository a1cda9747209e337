"""Which syntax a document is in, and which specification it claims to follow (BT-24)."""

from __future__ import annotations

from lxml import etree

from digitrade.systems.einvoice.rulepacks import Syntax
from digitrade.systems.einvoice.validation.model import Profile, ProfileChoice, UnsupportedDocument

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
UBL_CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CII_RSM_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CII_RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
# Peppol BIS Billing 3.0 documents carry this in their CustomizationID (BT-24).
PEPPOL_BILLING_3 = "urn:fdc:peppol.eu:2017:poacc:billing:3.0"

_SYNTAX_BY_ROOT: dict[str, Syntax] = {
    f"{{{UBL_INVOICE_NS}}}Invoice": "ubl-invoice",
    f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote": "ubl-creditnote",
    f"{{{CII_RSM_NS}}}CrossIndustryInvoice": "cii",
}
_UBL_CUSTOMIZATION = f"{{{UBL_CBC_NS}}}CustomizationID"
_CII_CUSTOMIZATION = (
    f"{{{CII_RSM_NS}}}ExchangedDocumentContext"
    f"/{{{CII_RAM_NS}}}GuidelineSpecifiedDocumentContextParameter"
    f"/{{{CII_RAM_NS}}}ID"
)


def _root(document: etree._ElementTree | etree._Element) -> etree._Element:
    return document.getroot() if isinstance(document, etree._ElementTree) else document


def detect_syntax(document: etree._ElementTree | etree._Element) -> Syntax:
    """The syntax of ``document`` from its root element, or :class:`UnsupportedDocument`."""
    root = _root(document)
    syntax = _SYNTAX_BY_ROOT.get(root.tag)
    if syntax is None:
        name = etree.QName(root)
        namespace = f"namespace {name.namespace}" if name.namespace else "no namespace"
        raise UnsupportedDocument(
            f"the root element is {name.localname} in {namespace}; expected a UBL 2.1 Invoice "
            "or CreditNote, or a UN/CEFACT CII CrossIndustryInvoice"
        )
    return syntax


def customization_id(document: etree._ElementTree | etree._Element, syntax: Syntax) -> str | None:
    """The Specification identifier (BT-24), stripped; None when absent or empty."""
    path = _CII_CUSTOMIZATION if syntax == "cii" else _UBL_CUSTOMIZATION
    value = _root(document).findtext(path)
    return value.strip() or None if value is not None else None


def applied_profile(choice: ProfileChoice, customization: str | None) -> Profile:
    """``auto`` applies Peppol to documents that declare Peppol BIS Billing 3.0, else EN 16931."""
    if choice != "auto":
        return choice
    return "peppol" if customization and PEPPOL_BILLING_3 in customization else "en16931"
