"""The unified social credit code (统一社会信用代码, USCC) of GB 32100-2015.

Eighteen characters: registration authority (1), entity kind (1), administrative division of the
registering authority (6, GB/T 2260), entity identifier (9, the GB 11714 organisation code) and a
check character. Since the 2015 "three certificates in one" reform the USCC is also the entity's
taxpayer identification number (纳税人识别号), so it is what a fapiao carries for organisations.
"""

from __future__ import annotations

import re
from enum import StrEnum

# GB 32100-2015 character set: digits and capitals without I, O, S, V, Z (read as 1, 0, 5, U, 2).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Weight of position i is 3**i mod 31.
USCC_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{2}}\d{{6}}[{USCC_ALPHABET}]{{10}}$")
# GB 11643-1999 citizen identity number: ISO 7064 MOD 11-2 over 17 digits.
_RESIDENT_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
_RESIDENT_ID_CHECK = "10X98765432"


class TaxpayerIdKind(StrEnum):
    """What a party's taxpayer identification number is, as far as its form tells."""

    USCC = "uscc"
    """An 18-character unified social credit code whose check character is right."""
    USCC_CHECK_FAILS = "uscc_check_fails"
    """Shaped like a USCC but the check character is wrong: a typo, or one of the pilot-period
    codes issued before GB 32100 applied everywhere."""
    RESIDENT_ID = "resident_id"
    """An 18-character citizen identity number (GB 11643-1999) with a right check character:
    an individual buyer or a sole trader. Accepted, and reported."""
    OTHER = "other"
    """Any other identifier: an older 15/20-character taxpayer number, a foreign buyer's tax
    number. Accepted, and reported so a person can look at it."""


def uscc_check_character(first_seventeen: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC."""
    if len(first_seventeen) != 17 or any(c not in USCC_ALPHABET for c in first_seventeen):
        raise ValueError("give the first 17 characters of a unified social credit code")
    weighted = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first_seventeen, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - weighted % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, in English, or None when it is valid."""
    if len(code) != 18:
        return f"a unified social credit code has 18 characters, this has {len(code)}"
    if not _USCC_SHAPE.match(code):
        return (
            "a unified social credit code uses digits and capitals except I, O, S, V, Z, "
            "with digits in positions 3 to 8"
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"the check character should be {expected}, not {code[17]} (GB 32100-2015)"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def is_valid_resident_id(value: str) -> bool:
    """A GB 11643-1999 citizen identity number with a right check character."""
    if not _RESIDENT_ID_SHAPE.match(value):
        return False
    weighted = sum(
        int(digit) * weight for digit, weight in zip(value[:17], _RESIDENT_ID_WEIGHTS, strict=True)
    )
    return value[17] == _RESIDENT_ID_CHECK[weighted % 11]


def classify_taxpayer_id(value: str) -> TaxpayerIdKind:
    if is_valid_uscc(value):
        return TaxpayerIdKind.USCC
    # An identity number also fits the USCC shape, so it is recognised before blaming the check.
    if is_valid_resident_id(value):
        return TaxpayerIdKind.RESIDENT_ID
    if len(value) == 18 and _USCC_SHAPE.match(value):
        return TaxpayerIdKind.USCC_CHECK_FAILS
    return TaxpayerIdKind.OTHER
