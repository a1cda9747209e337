"""价税合计（大写）: an amount of yuan written in the financial capital numerals.

The writing follows the bookkeeping rules of 《会计基础工作规范》 (art. 52) as fapiao print them:
- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, groups 万 and 亿, currency units 圆 角 分;
- one 零 stands for any run of zeros inside the number; zeros at the end of a group are dropped;
- an amount that ends at 圆 or 角 gets 整; an amount with 分 does not;
- 壹拾 is written out (not 拾), so that nothing can be put in front;
- a negative amount (a red-letter fapiao) starts with （负数）.

Reading is tolerant: 元 for 圆, 正 for 整, a leading 拾, and 负 or (负数) all read.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
NEGATIVE_PREFIX = "（负数）"
_NEGATIVE_PREFIXES = ("（负数）", "(负数)", "负数", "负")
_WHOLE = "整"
_LIMIT = 10**16  # up to 9999万亿: far above any invoice


class AmountWordsError(ValueError):
    """The text is not an amount in capital numerals."""


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("12345.67")`` -> ``"壹万贰仟叁佰肆拾伍圆陆角柒分"``."""
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{amount} has more than two decimals: round it to fen first")
    cents = int(abs(amount) * 100)
    if cents >= _LIMIT * 100:
        raise ValueError(f"{amount} is too large to write in words")
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    text = _yuan_words(yuan, has_fraction=rest != 0) + _fraction_words(yuan, jiao, fen)
    return (NEGATIVE_PREFIX + text) if amount < 0 else text


def _yuan_words(yuan: int, *, has_fraction: bool) -> str:
    if yuan:
        return _integer_words(yuan) + "圆"
    return "" if has_fraction else "零圆"


def _fraction_words(yuan: int, jiao: int, fen: int) -> str:
    if jiao == 0 and fen == 0:
        return _WHOLE
    if fen == 0:
        return DIGITS[jiao] + "角" + _WHOLE
    if jiao == 0:
        # 壹圆零伍分: the zero jiao is spoken, unless there is no yuan either (伍分).
        return ("零" if yuan else "") + DIGITS[fen] + "分"
    return DIGITS[jiao] + "角" + DIGITS[fen] + "分"


def _integer_words(number: int) -> str:
    """A positive integer below 10**16 in capital numerals, groups of 亿 and 万."""
    for group, unit in ((10**8, "亿"), (10**4, "万")):
        if number >= group:
            high, low = divmod(number, group)
            text = _integer_words(high) + unit
            if low == 0:
                return text
            # The highest place of the lower part is empty: 壹万零伍拾, 壹亿零壹万.
            gap = "零" if low < group // 10 else ""
            return text + gap + _integer_words(low)
    return _below_ten_thousand(number)


def _below_ten_thousand(number: int) -> str:
    places = [number // 1000, number // 100 % 10, number // 10 % 10, number % 10]
    text = ""
    pending_zero = False
    for place, digit in enumerate(places):
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += DIGITS[digit] + _SMALL_UNITS[3 - place]
    return text


def parse_amount_in_words(text: str) -> Decimal:
    """The amount a capital-numeral text states.

    ``"（负数）伍佰圆整"`` -> ``Decimal("-500.00")``.
    """
    body = "".join(text.split())
    negative = False
    for prefix in _NEGATIVE_PREFIXES:
        if body.startswith(prefix):
            body, negative = body[len(prefix) :], True
            break
    body = body.replace("元", "圆").removesuffix(_WHOLE).removesuffix("正")
    if not body:
        raise AmountWordsError(f"{text!r} states no amount")
    yuan_text, _, fraction_text = body.rpartition("圆") if "圆" in body else ("", "", body)
    if "圆" not in body and not ("角" in body or "分" in body):
        raise AmountWordsError(f"{text!r} has no 圆, 角 or 分")
    yuan = _parse_integer(yuan_text, text) if yuan_text else 0
    cents = yuan * 100 + _parse_fraction(fraction_text, text)
    value = Decimal(cents).scaleb(-2)
    return -value if negative else value


def _parse_fraction(fraction: str, original: str) -> int:
    """角 and 分 in fen: 陆角柒分 -> 67, 零伍分 -> 5."""
    fraction = fraction.removeprefix("零")
    cents = 0
    for unit, factor in (("角", 10), ("分", 1)):
        if unit in fraction:
            digit_text, _, fraction = fraction.partition(unit)
            if len(digit_text) != 1 or digit_text not in DIGITS:
                raise AmountWordsError(f"{original!r}: expected one digit before {unit}")
            cents += DIGITS.index(digit_text) * factor
    if fraction:
        raise AmountWordsError(f"{original!r}: cannot read {fraction!r}")
    return cents


def _parse_integer(words: str, original: str) -> int:
    for unit, group in (("亿", 10**8), ("万", 10**4)):
        if unit in words:
            high, _, low = words.rpartition(unit)
            if not high:
                raise AmountWordsError(f"{original!r}: nothing before {unit}")
            return _parse_integer(high, original) * group + (
                _parse_integer(low.removeprefix("零"), original) if low else 0
            )
    return _parse_below_ten_thousand(words, original)


def _parse_below_ten_thousand(words: str, original: str) -> int:
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for char in words:
        if char in DIGITS:
            if digit is not None and digit != 0:
                raise AmountWordsError(f"{original!r}: two digits in a row")
            digit = DIGITS.index(char)
        elif char in "拾佰仟":
            unit = 10 ** _SMALL_UNITS.index(char)
            if unit >= last_unit:
                raise AmountWordsError(f"{original!r}: {char} out of order")
            if digit is None and not (char == "拾" and total == 0):
                raise AmountWordsError(f"{original!r}: {char} without a digit")
            # A leading 拾 means 壹拾.
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            raise AmountWordsError(f"{original!r}: {char!r} is not a capital numeral")
    return total + (digit or 0)
