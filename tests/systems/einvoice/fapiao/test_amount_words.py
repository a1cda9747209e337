"""价税合计（大写）: known cases and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.einvoice.fapiao.amount_words import (
    DIGITS,
    AmountWordsError,
    amount_in_words,
    parse_amount_in_words,
)

KNOWN = [
    ("12345.67", "壹万贰仟叁佰肆拾伍圆陆角柒分"),
    ("0.00", "零圆整"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("1.05", "壹圆零伍分"),
    ("10.00", "壹拾圆整"),
    ("15.00", "壹拾伍圆整"),
    ("1001.00", "壹仟零壹圆整"),
    ("1010.00", "壹仟零壹拾圆整"),
    ("1060.00", "壹仟零陆拾圆整"),
    ("1130.00", "壹仟壹佰叁拾圆整"),
    ("10050.00", "壹万零伍拾圆整"),
    ("100000.00", "壹拾万圆整"),
    ("137800.00", "壹拾叁万柒仟捌佰圆整"),
    ("10000.01", "壹万圆零壹分"),
    ("100010000.00", "壹亿零壹万圆整"),
    ("100000001.00", "壹亿零壹圆整"),
    ("12000000000.00", "壹佰贰拾亿圆整"),
    ("1000000000000.00", "壹万亿圆整"),
    ("-500.00", "（负数）伍佰圆整"),
]


@pytest.mark.parametrize(("amount", "words"), KNOWN)
def test_known_amounts(amount, words):
    assert amount_in_words(Decimal(amount)) == words
    assert parse_amount_in_words(words) == Decimal(amount)


@pytest.mark.parametrize(
    ("words", "amount"),
    [
        ("壹仟零陆拾元整", "1060.00"),  # 元 for 圆, seen in real files
        ("伍元陆角壹分", "5.61"),
        ("拾圆整", "10.00"),  # a leading 拾
        ("壹仟圆零壹角", "1000.10"),  # 零 before 角 may be written
        ("壹佰圆正", "100.00"),  # 正 for 整
        ("负伍佰圆整", "-500.00"),
        (" 壹 佰 圆 整 ", "100.00"),
    ],
)
def test_reading_is_tolerant(words, amount):
    assert parse_amount_in_words(words) == Decimal(amount)


@pytest.mark.parametrize(
    "words", ["", "整", "壹佰", "伍伍圆", "佰圆整", "壹拾佰圆", "壹角伍角", "一百元"]
)
def test_malformed_words_are_refused(words):
    with pytest.raises(AmountWordsError):
        parse_amount_in_words(words)


def test_more_than_two_decimals_are_refused():
    with pytest.raises(ValueError, match="two decimals"):
        amount_in_words(Decimal("1.005"))


amounts = st.integers(min_value=-(10**14), max_value=10**14).map(lambda cents: Decimal(cents) / 100)


@given(amounts)
def test_words_read_back_to_the_amount(amount):
    assert parse_amount_in_words(amount_in_words(amount)) == amount


@given(amounts)
def test_words_use_only_capital_numerals_and_units(amount):
    allowed = set(DIGITS + "拾佰仟万亿圆角分整（负数）")
    assert set(amount_in_words(amount)) <= allowed


@given(amounts)
def test_no_double_zero_and_whole_only_without_fen(amount):
    words = amount_in_words(amount)
    assert "零零" not in words
    assert not words.startswith("零") or words == "零圆整"
    assert words.endswith("分") != words.endswith("整")
    assert words.endswith("分") == (abs(amount) * 100 % 10 != 0)


@given(amounts)
def test_ten_to_nineteen_keep_the_one(amount):
    words = amount_in_words(amount)
    assert not words.removeprefix("（负数）").startswith("拾")
