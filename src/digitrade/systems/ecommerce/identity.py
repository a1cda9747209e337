"""Resident identity card numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from digitrade.core.text import Text
from digitrade.systems.ecommerce.texts import render

_SHAPE = re.compile(r"[1-9][0-9]{16}[0-9X]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def identity_number_problem(number: str) -> str | None:
    """Why ``number`` is not a well-formed resident ID number (in English), or None when it is."""
    problem = identity_problem(number)
    return problem.en if problem is not None else None


@lru_cache(maxsize=8192)  # an order's buyer is checked in three messages and again in matching
def identity_problem(number: str) -> Text | None:
    """Why ``number`` is not a well-formed resident ID number, or None when it is.

    Checks the shape, the birth date and the check character; whether the number was issued to
    this person is the real-name verification's job, not this one.
    """
    if not _SHAPE.fullmatch(number):
        return render("identity.shape")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return render("identity.birth_date", birth=number[6:14])
    if check_character(number[:17]) != number[17]:
        return render("identity.check_character")
    return None
