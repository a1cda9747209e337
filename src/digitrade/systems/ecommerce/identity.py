"""Resident identity card numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_SHAPE = re.compile(r"[1-9][0-9]{16}[0-9X]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


@lru_cache(maxsize=8192)  # an order's buyer is checked in three messages and again in matching
def identity_number_problem(number: str) -> str | None:
    """Why ``number`` is not a well-formed resident ID number, or None when it is.

    Checks the shape, the birth date and the check character; whether the number was issued to
    this person is the real-name verification's job, not this one.
    """
    if not _SHAPE.fullmatch(number):
        return "must be 18 characters: 17 digits and a digit or X (GB 11643)"
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"birth date {number[6:14]} is not a calendar date"
    if check_character(number[:17]) != number[17]:
        return "the check character does not match (GB 11643 MOD 11-2)"
    return None
