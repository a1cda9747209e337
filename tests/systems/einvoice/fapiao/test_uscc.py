"""GB 32100-2015 check characters, tested against codes published by the companies themselves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.einvoice.fapiao.uscc import (
    USCC_ALPHABET,
    TaxpayerIdKind,
    classify_taxpayer_id,
    is_valid_resident_id,
    is_valid_uscc,
    uscc_check_character,
    uscc_problem,
)

# Published on business licences, company registers and in public fapiao test data.
PUBLISHED = [
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91440300708461136T",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
    "91110000802100433B",  # Beijing Baidu Netcom Science and Technology Co., Ltd.
    "91330000142942095H",  # Zhejiang Expressway Co., Ltd. (toll fapiao in public parser tests)
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert uscc_check_character(code[:17]) == code[17]
    assert is_valid_uscc(code)
    assert classify_taxpayer_id(code) is TaxpayerIdKind.USCC


def test_weights_are_powers_of_three_mod_31():
    from digitrade.systems.einvoice.fapiao.uscc import USCC_WEIGHTS

    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("914403001922038217", "check character should be 6"),
        ("91440300192203821", "18 characters"),
        ("91440300I922038216", "capitals except I, O, S, V, Z"),
        ("9144030A1922038216", "digits in positions 3 to 8"),
    ],
)
def test_bad_codes_say_why(code, reason):
    problem = uscc_problem(code)
    assert problem is not None
    assert reason in problem


def test_pilot_period_code_fails_the_check_but_is_recognised_as_uscc_shaped():
    # A real Fujian pilot-period code reported not to satisfy the GB 32100 check.
    assert classify_taxpayer_id("91350100M0001TGQXM") is TaxpayerIdKind.USCC_CHECK_FAILS


def test_identity_numbers_and_foreign_ids_are_other_kinds():
    # The sample number of GB 11643-1999.
    assert is_valid_resident_id("11010519491231002X")
    assert classify_taxpayer_id("11010519491231002X") is TaxpayerIdKind.RESIDENT_ID
    assert classify_taxpayer_id("201912345K") is TaxpayerIdKind.OTHER
    assert classify_taxpayer_id("DE123456789") is TaxpayerIdKind.OTHER


def characters(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


@given(characters(USCC_ALPHABET, 2), characters("0123456789", 6), characters(USCC_ALPHABET, 9))
def test_every_constructed_code_is_valid_and_any_other_check_character_is_not(head, area, body):
    first = head + area + body
    check = uscc_check_character(first)
    assert is_valid_uscc(first + check)
    for wrong in USCC_ALPHABET.replace(check, ""):
        assert not is_valid_uscc(first + wrong)


def test_check_character_needs_seventeen_valid_characters():
    with pytest.raises(ValueError, match="first 17"):
        uscc_check_character("9144030019220382")
