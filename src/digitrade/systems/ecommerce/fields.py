"""Strict readers for the JSON requests of the engines.

Each reader takes the object, the key and the dotted path of the object, and either returns a
typed value or raises ``ValidationFailed`` naming the field (``items[1].unit_price``). A present
field must have the right type: ``true`` is not a number, ``null`` is not a date. Numbers may come
as JSON numbers or strings and become ``Decimal`` without ever passing through binary floating
point arithmetic. Unknown keys are rejected so that a misspelt field is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from digitrade.core.errors import validation_error

MAX_TEXT_LENGTH = 500
MAX_ITEMS = 500
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def as_object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise validation_error(where or "request", "must be a JSON object")
    return value


def reject_unknown(value: Mapping[str, Any], allowed: Collection[str], prefix: str) -> None:
    unknown = [key for key in value if key not in allowed]
    if unknown:  # the paths are spelt out and sorted only for the error
        first = min(path(prefix, str(key)) for key in unknown)
        raise validation_error(first, f"unknown field (allowed: {', '.join(sorted(allowed))})")


def _get(value: Mapping[str, Any], key: str, prefix: str, required: bool) -> Any:
    found = value.get(key)  # absent and null read the same
    if found is None and required:
        raise validation_error(path(prefix, key), "is required")
    return found


def decimal_value(raw: Any, where: str) -> Decimal:
    """A finite Decimal from a JSON number or numeric string."""
    if isinstance(raw, str):  # the most common form first
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            raise validation_error(where, f"{raw!r} is not a number") from None
    elif isinstance(raw, bool):
        raise validation_error(where, "must be a number, not true or false")
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        # repr gives the shortest text that reads back as the same float: the number the client
        # wrote, e.g. 0.13, never its binary approximation.
        number = Decimal(repr(raw))
    else:
        raise validation_error(where, "must be a number")
    if not number.is_finite():
        raise validation_error(where, "must be a finite number")
    return number


def decimal_field(
    value: Mapping[str, Any],
    key: str,
    prefix: str,
    *,
    default: Decimal | None = None,
    places: int | None = None,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
    exclusive_minimum: bool = False,
) -> Decimal:
    raw = value.get(key)
    if raw is None:  # absent or null: an error unless there is a default
        if default is None:
            raise validation_error(path(prefix, key), "is required")
        return default
    where = path(prefix, key)
    number = decimal_value(raw, where)
    if places is not None:
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise validation_error(where, f"has more than {places} decimal places")
    if minimum is not None:
        if exclusive_minimum and number <= minimum:
            raise validation_error(where, f"must be greater than {minimum}")
        if number < minimum:
            raise validation_error(where, f"must not be less than {minimum}")
    if maximum is not None and number > maximum:
        raise validation_error(where, f"must not be more than {maximum}")
    return number


def optional_decimal(
    value: Mapping[str, Any],
    key: str,
    prefix: str,
    *,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
) -> Decimal | None:
    if value.get(key) is None:
        return None
    return decimal_field(value, key, prefix, minimum=minimum, maximum=maximum)


def integer_field(
    value: Mapping[str, Any], key: str, prefix: str, *, default: int | None = None, minimum: int = 0
) -> int:
    where = path(prefix, key)
    raw = _get(value, key, prefix, default is None)
    if raw is None:
        assert default is not None
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal | float):
        raise validation_error(where, "must be a whole number")
    number = decimal_value(raw, where)
    if number != number.to_integral_value():
        raise validation_error(where, "must be a whole number")
    if number < minimum:
        raise validation_error(where, f"must not be less than {minimum}")
    return int(number)


def text_field(
    value: Mapping[str, Any],
    key: str,
    prefix: str,
    *,
    required: bool = True,
    max_length: int = MAX_TEXT_LENGTH,
) -> str:
    raw = _get(value, key, prefix, required)
    if raw is None:
        return ""
    # The field's path is spelt out only for an error: reading is the common case.
    if not isinstance(raw, str):
        raise validation_error(path(prefix, key), "must be a string")
    text = raw.strip()
    if required and not text:
        raise validation_error(path(prefix, key), "must not be empty")
    if len(text) > max_length:
        raise validation_error(path(prefix, key), f"must be at most {max_length} characters")
    return text


def choice_field(
    value: Mapping[str, Any],
    key: str,
    prefix: str,
    choices: Collection[str],
    *,
    default: str | None = None,
) -> str:
    raw = _get(value, key, prefix, default is None)
    if raw is None:
        assert default is not None
        return default
    if not isinstance(raw, str) or raw not in choices:
        raise validation_error(path(prefix, key), f"must be one of {', '.join(sorted(choices))}")
    return raw


def bool_field(
    value: Mapping[str, Any], key: str, prefix: str, *, default: bool | None = None
) -> bool:
    raw = _get(value, key, prefix, default is None)
    if raw is None:
        assert default is not None
        return default
    if not isinstance(raw, bool):
        raise validation_error(path(prefix, key), "must be true or false")
    return raw


def date_field(value: Mapping[str, Any], key: str, prefix: str) -> date:
    found = optional_date(value, key, prefix)
    if found is None:
        raise validation_error(path(prefix, key), "is required")
    return found


def optional_date(value: Mapping[str, Any], key: str, prefix: str) -> date | None:
    where = path(prefix, key)
    raw = value.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise validation_error(where, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise validation_error(where, f"{raw} is not a calendar date") from None


def list_field(
    value: Mapping[str, Any], key: str, prefix: str, *, max_items: int = MAX_ITEMS
) -> list[Any]:
    where = path(prefix, key)
    raw = _get(value, key, prefix, True)
    if not isinstance(raw, list):
        raise validation_error(where, "must be a list")
    if not raw:
        raise validation_error(where, "must not be empty")
    if len(raw) > max_items:
        raise validation_error(where, f"must have at most {max_items} entries")
    return raw


__all__ = [
    "as_object",
    "bool_field",
    "choice_field",
    "date_field",
    "decimal_field",
    "decimal_value",
    "integer_field",
    "list_field",
    "optional_date",
    "optional_decimal",
    "path",
    "reject_unknown",
    "text_field",
]
