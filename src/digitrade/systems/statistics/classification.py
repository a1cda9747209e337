"""The EBOPS 2010 services classification (MSITS 2010, Annex I), shipped in ``data/ebops2010.csv``.

Codes follow the OECD/IMF SDMX codelist CL_BOP6. The file holds the 12 standard components
SA..SL, their sub-items and the aggregates S (total services), SOX (commercial services,
S - SL) and SPX4 (goods-related services, SA + SB). See ``data/SOURCE.md``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

DATA_FILE = "ebops2010.csv"

Locale = Literal["en", "zh"]

# The 12 standard components, in EBOPS order.
COMPONENTS: tuple[str, ...] = (
    "SA",
    "SB",
    "SC",
    "SD",
    "SE",
    "SF",
    "SG",
    "SH",
    "SI",
    "SJ",
    "SK",
    "SL",
)

# Standard aggregates as sums of components (BPM6 / MSITS 2010; CL_BOP6 codes S, SOX, SPX4).
AGGREGATES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "S": COMPONENTS,
        "SOX": tuple(code for code in COMPONENTS if code != "SL"),
        "SPX4": ("SA", "SB"),
    }
)


class UnknownCodeError(KeyError):
    """A code that is not in the shipped EBOPS 2010 list."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code!r} is not an EBOPS 2010 code or aggregate known to the monitor"


@dataclass(frozen=True)
class Code:
    """One row of the shipped classification."""

    code: str
    parent: str | None  # None for the aggregates; "S" for the 12 components
    level: int  # 0 aggregate, 1 component, 2-3 sub-items
    label_en: str
    label_zh: str
    unctad_digitally_deliverable: bool
    mofcom_digitally_deliverable: bool
    source: str

    @property
    def is_aggregate(self) -> bool:
        return self.level == 0


def _flag(text: str, code: str, column: str) -> bool:
    if text not in {"0", "1"}:
        raise ValueError(f"{DATA_FILE}: {code} {column} must be 0 or 1, got {text!r}")
    return text == "1"


@cache
def _load() -> tuple[Mapping[str, Code], Mapping[str, tuple[str, ...]]]:
    text = resources.files(__package__).joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    table: dict[str, Code] = {}
    kids: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"]
        if code in table:
            raise ValueError(f"{DATA_FILE}: duplicate code {code}")
        parent = row["parent"] or None
        table[code] = Code(
            code=code,
            parent=parent,
            level=int(row["level"]),
            label_en=row["label_en"],
            label_zh=row["label_zh"],
            unctad_digitally_deliverable=_flag(
                row["unctad_digitally_deliverable"], code, "unctad_digitally_deliverable"
            ),
            mofcom_digitally_deliverable=_flag(
                row["mofcom_digitally_deliverable"], code, "mofcom_digitally_deliverable"
            ),
            source=row["source"],
        )
        kids.setdefault(code, [])
        if parent is not None:
            kids.setdefault(parent, []).append(code)
    for code, entry in table.items():
        if entry.parent is not None and entry.parent not in table:
            raise ValueError(f"{DATA_FILE}: {code} has unknown parent {entry.parent}")
    return MappingProxyType(table), MappingProxyType({k: tuple(v) for k, v in kids.items()})


def codes() -> Mapping[str, Code]:
    """All shipped codes, in file order (aggregates first, then EBOPS order)."""
    return _load()[0]


def known_code(code: str) -> bool:
    """Whether ``code`` (exact, upper case) is in the shipped list."""
    return code in _load()[0]


def lookup(code: str) -> Code:
    """The row for ``code``; raises ``UnknownCodeError`` for anything else."""
    try:
        return _load()[0][code]
    except KeyError:
        raise UnknownCodeError(code) from None


def is_component(code: str) -> bool:
    """Whether ``code`` is one of the 12 standard components SA..SL."""
    return code in COMPONENTS


def is_aggregate(code: str) -> bool:
    """Whether ``code`` is one of the aggregates S, SOX, SPX4."""
    return code in AGGREGATES


def children(code: str) -> tuple[str, ...]:
    """The codes one level below ``code``.

    For an aggregate these are the components it sums (S, SOX and SPX4 are defined by sums,
    not by the tree); for a leaf, an empty tuple.
    """
    lookup(code)
    if code in AGGREGATES:
        return AGGREGATES[code]
    return _load()[1][code]


def leaves_under(code: str) -> tuple[str, ...]:
    """The most detailed codes under ``code`` (``code`` itself when it has no sub-items).

    Summing these gives the value of ``code`` when every one of them is reported.
    """
    kids = children(code)
    if not kids:
        return (code,)
    return tuple(leaf for kid in kids for leaf in leaves_under(kid))


def descendants(code: str) -> tuple[str, ...]:
    """Every code below ``code`` in the tree, depth first."""
    out: list[str] = []
    for kid in children(code):
        out.append(kid)
        out.extend(descendants(kid))
    return tuple(out)


def _normalise_locale(locale: str) -> Locale:
    # Web locales arrive as "zh_Hans_CN", "zh-CN", "en_GB"...; only the language matters here.
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language == "zh":
        return "zh"
    if language == "en":
        return "en"
    raise ValueError(f"no EBOPS labels for locale {locale!r}; use 'en' or 'zh'")


def label(code: str, locale: str = "en") -> str:
    """The label of ``code`` in English or Chinese (``"en"``, ``"zh"`` or a longer tag)."""
    entry = lookup(code)
    return entry.label_zh if _normalise_locale(locale) == "zh" else entry.label_en
