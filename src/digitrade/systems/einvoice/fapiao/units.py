"""单位 (free Chinese text) <-> UN/ECE Recommendation 20 unit codes.

The table is ``data/units-rec20.csv``; its header says where the codes come from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

UNITS_FILE = "units-rec20.csv"
# "one": the EN 16931 unit for a count of something that has no better code.
UNKNOWN_UNIT_CODE = "C62"


@dataclass(frozen=True)
class UnitRow:
    unit: str
    code: str
    code_name: str


@cache
def unit_table() -> tuple[UnitRow, ...]:
    text = files(__package__).joinpath("data", UNITS_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        UnitRow(unit=row["unit"], code=row["code"], code_name=row["code_name"])
        for row in csv.DictReader(lines)
    )


@cache
def _by_unit() -> dict[str, str]:
    return {row.unit: row.code for row in unit_table()}


@cache
def _by_code() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in unit_table():
        table.setdefault(row.code, row.unit)  # the first row for a code is the preferred unit
    return table


def unit_code(unit: str) -> str | None:
    """The Rec 20 code for a unit as written on a fapiao, or None when the table has none."""
    key = unit.strip()
    return _by_unit().get(key) or _by_unit().get(key.lower())


def chinese_unit(code: str) -> str | None:
    """The unit to write on a fapiao for a Rec 20 code, or None (C62 and unlisted codes)."""
    return _by_code().get(code)
