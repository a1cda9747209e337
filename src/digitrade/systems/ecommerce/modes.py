"""Customs supervision modes (监管方式) of cross-border e-commerce, as data.

Each mode names its basis, what it covers and the documents and CEB messages it needs. Facts
marked ``verified=False`` were recalled or come from a weak source in the research note.

The Shanghai rule: 1239 (GAC 2016 No.75) is not used by the ten original pilot cities, Shanghai
among them, which keep 1210 for bonded imports (verified for Shanghai; the list of the other
nine cities is recalled). Which mode other cities use is not settled by the research note.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from digitrade.core.errors import validation_error


class Direction(StrEnum):
    IMPORT = "import"
    EXPORT = "export"


@dataclass(frozen=True, slots=True)
class Requirement:
    """A document or message a mode needs, for one direction."""

    direction: Direction
    name: str
    message: str | None = None


@dataclass(frozen=True, slots=True)
class CustomsMode:
    code: str
    name_zh: str
    name_en: str
    basis: str
    covers: str
    directions: frozenset[Direction]
    requirements: tuple[Requirement, ...]
    verified: bool

    def documents(self, direction: Direction) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.direction is direction)


_I = Direction.IMPORT
_E = Direction.EXPORT

_RETAIL_IMPORT_DATA = (
    Requirement(_I, "e-commerce order", "CEB311"),
    Requirement(_I, "payment", "CEB411"),
    Requirement(_I, "waybill", "CEB511"),
    Requirement(_I, "inventory list", "CEB621"),
)
_BONDED_IMPORT = (
    Requirement(_I, "first-line entry declaration into the zone's CBEC account book (emsNo)"),
    *_RETAIL_IMPORT_DATA,
    Requirement(_I, "return into the zone, with account-book adjustment", "CEB625"),
)
_B2B_EXPORT = (
    Requirement(_E, "customs registration of the exporter"),
    Requirement(
        _E,
        "customs declaration, or a declaration list when the consignment is at most RMB 5,000 "
        "and needs no licence, inspection or tax",
    ),
    Requirement(_E, "e-commerce order and logistics document attached"),
)

MODES: dict[str, CustomsMode] = {
    mode.code: mode
    for mode in (
        CustomsMode(
            code="9610",
            name_zh="跨境贸易电子商务",
            name_en="Cross-border e-commerce retail (direct purchase)",
            basis="GAC Announcement 2014 No.12, from 10 February 2014",
            covers=(
                "B2C retail imports and exports traded on a platform, released per list and "
                "declared in summary (清单核放、汇总申报); not goods crossing the first line of a "
                "special zone or bonded site"
            ),
            directions=frozenset({_I, _E}),
            requirements=(
                *_RETAIL_IMPORT_DATA,
                Requirement(_I, "arrival at the supervised site", "CEB711"),
                Requirement(_E, "e-commerce order", "CEB303"),
                Requirement(_E, "receipt of payment", "CEB403"),
                Requirement(_E, "waybill", "CEB505"),
                Requirement(_E, "inventory list", "CEB603"),
                Requirement(_E, "arrival", "CEB507"),
                Requirement(_E, "departure", "CEB509"),
                Requirement(_E, "master/house grouping", "CEB607"),
                Requirement(_E, "summary declaration by the 15th of the next month", "CEB701"),
            ),
            verified=True,
        ),
        CustomsMode(
            code="1210",
            name_zh="保税跨境贸易电子商务",
            name_en="Bonded cross-border e-commerce (online bonded import, special-zone export)",
            basis="GAC Announcement 2014 No.57",
            covers=(
                "retail trade on a customs-recognised platform with goods moving through a special "
                "customs supervision zone or B-type bonded logistics centre"
            ),
            directions=frozenset({_I, _E}),
            requirements=(
                *_BONDED_IMPORT,
                Requirement(_E, "e-commerce order", "CEB303"),
                Requirement(_E, "waybill", "CEB505"),
                Requirement(_E, "inventory list with emsNo and iacCode", "CEB603"),
            ),
            verified=False,
        ),
        CustomsMode(
            code="1239",
            name_zh="保税跨境贸易电子商务A",
            name_en="Bonded cross-border e-commerce A",
            basis="GAC Announcement 2016 No.75, from 1 December 2016",
            covers=(
                "as 1210, for cities outside the ten original pilots; first-import licence and "
                "registration rules are not waived"
            ),
            directions=frozenset({_I}),
            requirements=_BONDED_IMPORT,
            verified=True,
        ),
        CustomsMode(
            code="9710",
            name_zh="跨境电商B2B直接出口",
            name_en="Cross-border e-commerce B2B direct export",
            basis="GAC Announcement 2020 No.75",
            covers="a domestic firm sells on a platform to a foreign firm and ships directly",
            directions=frozenset({_E}),
            requirements=_B2B_EXPORT,
            verified=True,
        ),
        CustomsMode(
            code="9810",
            name_zh="跨境电商出口海外仓",
            name_en="Cross-border e-commerce export to overseas warehouse",
            basis="GAC Announcement 2020 No.75",
            covers="goods shipped to an overseas warehouse and sold later on a platform",
            directions=frozenset({_E}),
            requirements=(
                *_B2B_EXPORT,
                Requirement(_E, "overseas-warehouse business-model filing with customs"),
                Requirement(_E, "warehouse booking note (订仓单)"),
            ),
            verified=True,
        ),
    )
}

# GAC 2016 No.75: these cities keep 1210 for bonded imports and do not use 1239.
ORIGINAL_PILOT_CITIES = frozenset(
    {"上海", "天津", "杭州", "宁波", "郑州", "广州", "深圳", "重庆", "福州", "平潭"}
)
_CITY_NAMES = {
    "shanghai": "上海",
    "tianjin": "天津",
    "hangzhou": "杭州",
    "ningbo": "宁波",
    "zhengzhou": "郑州",
    "guangzhou": "广州",
    "shenzhen": "深圳",
    "chongqing": "重庆",
    "fuzhou": "福州",
    "pingtan": "平潭",
}


def customs_mode(code: str) -> CustomsMode:
    found = MODES.get(code)
    if found is None:
        raise validation_error("mode", f"must be one of {', '.join(sorted(MODES))}")
    return found


def _city(name: str) -> str:
    trimmed = name.strip().removesuffix("市")
    return _CITY_NAMES.get(trimmed.lower(), trimmed)


def allowed_bonded_import_modes(city: str) -> frozenset[str]:
    """Modes a bonded retail import may be declared under in ``city``.

    The original pilot cities keep 1210. Elsewhere the note does not settle which of 1210 and
    1239 applies, so both are allowed.
    """
    if _city(city) in ORIGINAL_PILOT_CITIES:
        return frozenset({"1210"})
    return frozenset({"1210", "1239"})


def bonded_import_mode_problem(mode: str, city: str) -> str | None:
    """Why ``mode`` is wrong for a bonded import in ``city``, or None when it is right."""
    if mode not in {"1210", "1239"}:
        return f"{mode} is not a bonded import mode (1210 or 1239)"
    if mode not in allowed_bonded_import_modes(city):
        return (
            f"bonded imports in {city} use 1210: 1239 is not used by the original pilot cities "
            "(GAC 2016 No.75)"
        )
    return None
