"""Every official UBL and CII example through the bindings.

- Each example parses into the model.
- No business term is lost: every term the source carries (``terms.TERMS``) is non-empty in the
  model, and repeatable terms keep their count.
- Round trips: UBL -> model -> UBL and CII -> model -> CII give the same model; across syntaxes
  the model is equal after the documented limits (``limits`` module docstring).
- Every written document is XSD-valid and raises no fatal EN 16931 finding; a UBL example that
  passes Peppol BIS 3.0.19 still passes after it is written again.
"""

from __future__ import annotations

import pytest
from lxml import etree

from digitrade.systems.einvoice.bindings import read_invoice, write_invoice
from digitrade.systems.einvoice.en16931.model import Invoice, SyntaxName
from tests.systems.einvoice.bindings.limits import comparable
from tests.systems.einvoice.bindings.official import (
    CII_EXAMPLES,
    UBL_EXAMPLES,
    Checker,
    example_bytes,
    example_invoice,
    example_root,
)
from tests.systems.einvoice.bindings.terms import COUNTED, TERMS, model_values, present

pytestmark = pytest.mark.fixtures

EXAMPLES = [(name, "ubl") for name in UBL_EXAMPLES] + [(name, "cii") for name in CII_EXAMPLES]
EXAMPLE_IDS = [name.rsplit("/", 1)[-1] for name, _ in EXAMPLES]
OTHER: dict[str, SyntaxName] = {"ubl": "cii", "cii": "ubl"}
PEPPOL_VALID_EXAMPLES = 27


def _reread(invoice: Invoice, syntax: SyntaxName) -> Invoice:
    return read_invoice(etree.fromstring(write_invoice(invoice, syntax)))


def _differences(expected: Invoice, actual: Invoice) -> dict[str, object]:
    """The top-level terms that differ, for a readable assertion message."""
    want, got = expected.model_dump(), actual.model_dump()
    return {key: (want[key], got[key]) for key in want if want[key] != got[key]}


@pytest.mark.parametrize(("name", "syntax"), EXAMPLES, ids=EXAMPLE_IDS)
def test_example_parses(name: str, syntax: SyntaxName) -> None:
    invoice = example_invoice(name)
    assert invoice.lines
    assert invoice.totals is not None


@pytest.mark.parametrize(("name", "syntax"), EXAMPLES, ids=EXAMPLE_IDS)
def test_no_business_term_lost(name: str, syntax: SyntaxName) -> None:
    root = example_root(name)
    invoice = example_invoice(name)
    lost, miscounted = [], []
    for term, binding in TERMS.items():
        in_source = present(root, binding.ubl if syntax == "ubl" else binding.cii)
        in_model = len(model_values(invoice, binding.model))
        if in_source and not in_model:
            lost.append(term)
        elif term in COUNTED and in_source != in_model:
            miscounted.append(f"{term}: {in_source} in the document, {in_model} in the model")
    assert not lost, f"terms in the document but not in the model: {lost}"
    assert not miscounted


@pytest.mark.parametrize(("name", "syntax"), EXAMPLES, ids=EXAMPLE_IDS)
def test_round_trip_same_syntax(name: str, syntax: SyntaxName) -> None:
    invoice = example_invoice(name)
    again = _reread(invoice, syntax)
    assert again == invoice, _differences(invoice, again)


@pytest.mark.parametrize(("name", "syntax"), EXAMPLES, ids=EXAMPLE_IDS)
def test_round_trip_other_syntax(name: str, syntax: SyntaxName) -> None:
    invoice = example_invoice(name)
    other = OTHER[syntax]
    expected = comparable(invoice, other)
    converted = _reread(invoice, other)
    assert converted == expected, _differences(expected, converted)
    # Back home nothing else changes: the conversion is stable.
    assert _reread(converted, syntax) == converted


@pytest.mark.parametrize(("name", "syntax"), EXAMPLES, ids=EXAMPLE_IDS)
@pytest.mark.parametrize("target", ["ubl", "cii"])
def test_written_document_is_valid(
    checker: Checker, name: str, syntax: SyntaxName, target: SyntaxName
) -> None:
    written = write_invoice(example_invoice(name), target)
    assert checker.problems(written) == []


def test_peppol_valid_examples_stay_peppol_valid(checker: Checker) -> None:
    """SOURCE.txt: the 9 Peppol examples, 15 snippets and 3 EN 16931 files pass Peppol 3.0.19."""
    peppol_valid = [
        name for name in UBL_EXAMPLES if not checker.peppol_problems(example_bytes(name))
    ]
    assert len(peppol_valid) == PEPPOL_VALID_EXAMPLES
    for name in peppol_valid:
        written = write_invoice(example_invoice(name), "ubl")
        assert checker.peppol_problems(written) == [], name
