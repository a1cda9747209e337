"""The retail-import positive list (跨境电子商务零售进口商品清单) as versioned data.

Editions: 2018 (1,321 lines, from 1 January 2019), 2019 (1,413 lines, from 1 January 2020) and the
2022 adjustment (from 1 March 2022, now 1,476 eight-digit lines). The list is data the operator
loads and versions; ``data/positive-list-sample.json`` ships only an illustrative excerpt. The
assessment trusts each item's ``on_positive_list`` flag; ``unlisted_items`` lets a service check
those flags against a loaded edition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.systems.ecommerce.fields import (
    as_object,
    bool_field,
    date_field,
    list_field,
    text_field,
)
from digitrade.systems.ecommerce.tax.model import OrderItem

SAMPLE_FILE = "positive-list-sample.json"
MAX_LINES = 10_000


@dataclass(frozen=True, slots=True)
class ListLine:
    code: str
    name_zh: str
    name_en: str
    remarks: str


@dataclass(frozen=True, slots=True)
class PositiveList:
    edition: str
    effective_from: date
    complete: bool
    source: str
    lines: Mapping[str, ListLine]

    def lookup(self, hs_code: str) -> ListLine | None:
        """The list line covering a tariff code: lines are eight-digit, CEB codes ten-digit."""
        return self.lines.get(hs_code[:8])


def load_positive_list(data: Any) -> PositiveList:
    root = as_object(data, "list")
    lines: dict[str, ListLine] = {}
    for index, raw in enumerate(list_field(root, "lines", "", max_items=MAX_LINES)):
        where = f"lines[{index}]"
        row = as_object(raw, where)
        code = text_field(row, "code", where, max_length=8)
        if len(code) != 8 or not code.isascii() or not code.isdigit():
            raise validation_error(f"{where}.code", "must be an eight-digit tariff line")
        if code in lines:
            raise validation_error(f"{where}.code", f"{code} is listed twice")
        lines[code] = ListLine(
            code=code,
            name_zh=text_field(row, "name_zh", where, required=False),
            name_en=text_field(row, "name_en", where, required=False),
            remarks=text_field(row, "remarks", where, required=False),
        )
    return PositiveList(
        edition=text_field(root, "edition", "", max_length=40),
        effective_from=date_field(root, "effective_from", ""),
        complete=bool_field(root, "complete", "", default=False),
        source=text_field(root, "source", "", required=False),
        lines=lines,
    )


def shipped_sample() -> PositiveList:
    text = resources.files(__package__).joinpath("data", SAMPLE_FILE).read_text(encoding="utf-8")
    return load_positive_list(json.loads(text))


def unlisted_items(items: Iterable[OrderItem], positive_list: PositiveList) -> list[str]:
    """SKUs declared as on the list whose tariff code the edition does not hold."""
    return [
        item.sku
        for item in items
        if item.on_positive_list and positive_list.lookup(item.hs_code) is None
    ]
