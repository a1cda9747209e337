"""The EN 16931 syntax bindings: UBL 2.1 (EN 16931-3-2) and UN/CEFACT CII D16B (EN 16931-3-3).

``read_invoice`` takes the root element of an already (safely) parsed document and returns the
semantic model; ``write_invoice`` serialises the model in the chosen syntax.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from digitrade.systems.einvoice.bindings.cii import is_cii, read_cii, write_cii
from digitrade.systems.einvoice.bindings.common import BindingError
from digitrade.systems.einvoice.bindings.ubl import (
    CREDIT_NOTE_NS,
    INVOICE_NS,
    read_ubl,
    write_ubl,
)
from digitrade.systems.einvoice.en16931.model import Invoice, SyntaxName

__all__ = [
    "BindingError",
    "read_cii",
    "read_invoice",
    "read_ubl",
    "syntax_of",
    "write_cii",
    "write_invoice",
    "write_ubl",
]


def syntax_of(root: Any) -> SyntaxName:
    """The syntax a document root belongs to, from its namespace and name."""
    if is_cii(root):
        return "cii"
    name = etree.QName(root)
    if (name.namespace, name.localname) in {
        (INVOICE_NS, "Invoice"),
        (CREDIT_NOTE_NS, "CreditNote"),
    }:
        return "ubl"
    raise BindingError(
        f"{name.text} is neither a UBL 2.1 Invoice or CreditNote nor a CII CrossIndustryInvoice"
    )


def read_invoice(root: Any) -> Invoice:
    """The invoice in a UBL 2.1 Invoice/CreditNote or CII D16B document (its root element)."""
    return read_cii(root) if syntax_of(root) == "cii" else read_ubl(root)


def write_invoice(invoice: Invoice, syntax: SyntaxName) -> bytes:
    """The invoice serialised as UTF-8 XML in ``syntax`` ("ubl" or "cii")."""
    if syntax == "ubl":
        return write_ubl(invoice)
    if syntax == "cii":
        return write_cii(invoice)
    raise BindingError(f"unknown syntax {syntax!r}: use 'ubl' or 'cii'")
