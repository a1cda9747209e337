"""GB 11643 resident identity numbers."""

from __future__ import annotations

import pytest

from digitrade.systems.ecommerce.identity import check_character, identity_number_problem


def test_valid_number():
    assert identity_number_problem("110101200001010002") is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("110101200001010003", "check character"),
        ("11010120000101000", "18 characters"),
        ("110101200002300002", "not a calendar date"),
        ("010101200001010002", "18 characters"),
        ("11010120000101000x", "18 characters"),
    ],
)
def test_invalid_numbers(number, problem):
    assert problem in (identity_number_problem(number) or "")


def test_x_is_a_valid_check_character():
    prefixes = (f"11010120000101{n:03d}" for n in range(1000))
    prefix = next(p for p in prefixes if check_character(p) == "X")
    assert identity_number_problem(prefix + "X") is None
    assert identity_number_problem(prefix + "0") is not None
