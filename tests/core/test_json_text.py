"""JSON columns' text (``core.db.json_text``): orjson where it encodes the value, the standard
library's encoder where it does not, and the same refusals as before."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest

from digitrade.core.db import json_text


class Colour(Enum):
    RED = "red"


@dataclass
class Point:
    x: int


@pytest.mark.parametrize(
    "value",
    [
        {"checks": [{"name": "amounts", "passed": True, "detail": "1,501.32 = 1,501.32"}]},
        {"text": "测试跨境电商平台有限公司", "nested": {"a": [1, 2.5, None, False]}},
        [],
        "plain",
        12,
        None,
        {1: "integer key", "b": 2},  # a key that is not a string: the standard encoder
        {"big": 2**70},  # beyond 64 bits: the standard encoder
    ],
)
def test_the_text_reads_back_as_the_value_the_standard_encoder_would_give(value: Any) -> None:
    assert json.loads(json_text(value)) == json.loads(json.dumps(value))


def test_large_documents_are_written_compact_and_in_utf8() -> None:
    value = {"name": "测试", "values": list(range(3))}
    assert json_text(value) == '{"name":"测试","values":[0,1,2]}'


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 1, 1),
        dt.datetime(2025, 1, 1, 12, 0),
        Decimal("1.00"),
        {1, 2},
        Point(1),
        {"when": dt.datetime(2025, 1, 1)},
        {dt.date(2025, 1, 1): "a date as a key"},
    ],
)
def test_what_the_standard_encoder_refused_is_still_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        json_text(value)


def test_the_documented_differences() -> None:
    assert json.loads(json_text({"id": uuid.UUID(int=1)})) == {
        "id": "00000000-0000-0000-0000-000000000001"
    }
    assert json.loads(json_text([Colour.RED])) == ["red"]
    assert json_text([float("nan")]) == "[null]"
