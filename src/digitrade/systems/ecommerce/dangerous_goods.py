"""Air dangerous-goods screening of parcels (IATA DGR / ICAO Technical Instructions), dated by
edition: what UN number and packing instruction an item falls under, whether passenger or cargo
aircraft may carry it, whether it may go as an excepted (E) or limited (Y) quantity, and why.

Lithium batteries (rules of the research note, [R] marks recalled points):

- Li-ion alone, UN3480 PI 965: Section IA (cell > 20 Wh or battery > 100 Wh) or IB; cargo
  aircraft only; state of charge at most 30% (more only with State approvals, refused here).
  Section II was deleted from 1 April 2022, the first ship date modelled.
- Li-metal alone, UN3090 PI 968: IA (cell > 1 g or battery > 2 g lithium) or IB; cargo only.
- Packed with equipment, UN3481 PI 966 / UN3091 PI 969; contained in equipment, UN3481 PI 967 /
  UN3091 PI 970: Section II within the thresholds, Section I above; passenger aircraft allowed.
- From the 66th edition (2025), batteries packed with equipment are limited to those needed to
  run it plus 2 spares (``batteries_required``, default 1; whether the DGR counts spare *sets* is
  [R]). State of charge at most 30% for PI 966 cells or batteries over 2.7 Wh: recommended in
  2025, mandatory from 1 January 2026 (67th edition). For PI 967 it stays a recommendation.
- Package mass limits (5 kg Section II, 10 kg PI 965 IB, 2.5 kg PI 968 IB, 35 kg [R]) need a
  mass the contract does not carry and are not checked.

Magnets, UN2807 PI 953: below 0.418 A/m at 2.1 m not restricted; at or above, Class 9; at or
above 0.418 A/m at 4.6 m forbidden unless approved (refused here) [R for 4.6 m].

Perfume, UN1266 Class 3: flash point below 23 °C is PG II (E2: 30 ml per inner, 500 ml per
outer [R]; Y341 1 L; passenger PI 353 5 L; cargo PI 364 60 L); 23-60 °C is PG III (E1 [R, 30 ml
inner, 1 L outer]; Y344 10 L; 355 60 L; 366 220 L); above 60 °C not restricted. An undeclared
flash point is taken as ethanol-based, PG II. Aerosols, UN1950: no excepted quantity (E0);
Y203 30 kg G; PI 203 75 kg passenger, 150 kg cargo, checked only when ``gross_grams`` is given;
a container over 1 L is not an aerosol.

Mail (``"channel": "mail"``, SPB/CAAC 2014 rule): lithium batteries only installed in
equipment and within the Section II thresholds; no other dangerous goods.

Optional input fields beyond the issue's contract: ``channel`` (cargo or mail), per item
``cell`` (the figures are of a single cell, default false), ``batteries_required`` and
``gross_grams``. ``state_of_charge`` is a percentage (0-100).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.core.text import Text
from digitrade.systems.ecommerce.fields import (
    as_object,
    bool_field,
    choice_field,
    date_field,
    integer_field,
    list_field,
    optional_decimal,
    reject_unknown,
)
from digitrade.systems.ecommerce.outcome import Reason
from digitrade.systems.ecommerce.texts import render


class Kind(StrEnum):
    LITHIUM_ION = "lithium_ion_battery"
    LITHIUM_METAL = "lithium_metal_battery"
    MAGNETIZED = "magnetized_material"
    PERFUME = "perfume"
    AEROSOL = "aerosol"
    OTHER = "other"


class Configuration(StrEnum):
    STANDALONE = "standalone"
    PACKED_WITH = "packed_with_equipment"
    CONTAINED_IN = "contained_in_equipment"


class Channel(StrEnum):
    CARGO = "cargo"
    MAIL = "mail"


class SocRule(StrEnum):
    NONE = "none"
    RECOMMENDED = "recommended"
    REQUIRED = "required"


@dataclass(frozen=True, slots=True)
class Edition:
    name: str
    effective_from: date
    effective_until: date
    soc_packed_with_equipment: SocRule
    spares_limit: bool


EDITIONS: tuple[Edition, ...] = (
    Edition(
        name="IATA DGR 63rd edition (2022), Section II of PI 965/968 deleted",
        effective_from=date(2022, 4, 1),
        effective_until=date(2022, 12, 31),
        soc_packed_with_equipment=SocRule.NONE,
        spares_limit=False,
    ),
    Edition(
        name="IATA DGR 64th edition (2023)",
        effective_from=date(2023, 1, 1),
        effective_until=date(2023, 12, 31),
        soc_packed_with_equipment=SocRule.NONE,
        spares_limit=False,
    ),
    Edition(
        name="IATA DGR 65th edition (2024)",
        effective_from=date(2024, 1, 1),
        effective_until=date(2024, 12, 31),
        soc_packed_with_equipment=SocRule.NONE,
        spares_limit=False,
    ),
    Edition(
        name="IATA DGR 66th edition (2025) / ICAO TI 2025-2026",
        effective_from=date(2025, 1, 1),
        effective_until=date(2025, 12, 31),
        soc_packed_with_equipment=SocRule.RECOMMENDED,
        spares_limit=True,
    ),
    Edition(
        name="IATA DGR 67th edition (2026) / ICAO TI 2025-2026",
        effective_from=date(2026, 1, 1),
        effective_until=date(2026, 12, 31),
        soc_packed_with_equipment=SocRule.REQUIRED,
        spares_limit=True,
    ),
)

MAX_STATE_OF_CHARGE = Decimal(30)
SOC_THRESHOLD_WH = Decimal("2.7")
ION_CELL_WH, ION_BATTERY_WH = Decimal(20), Decimal(100)
METAL_CELL_G, METAL_BATTERY_G = Decimal(1), Decimal(2)
SPARES = 2
MAGNET_LIMIT = Decimal("0.418")  # A/m
AEROSOL_MAX_ML = Decimal(1000)


@dataclass(frozen=True, slots=True)
class FlammableLimits:
    packing_group: str
    excepted: str
    excepted_inner_ml: Decimal
    excepted_outer_ml: Decimal
    limited: str
    limited_ml: Decimal
    passenger_pi: str
    passenger_ml: Decimal
    cargo_pi: str
    cargo_ml: Decimal


PG_II = FlammableLimits(
    packing_group="II",
    excepted="E2",
    excepted_inner_ml=Decimal(30),
    excepted_outer_ml=Decimal(500),
    limited="Y341",
    limited_ml=Decimal(1000),
    passenger_pi="353",
    passenger_ml=Decimal(5000),
    cargo_pi="364",
    cargo_ml=Decimal(60000),
)
PG_III = FlammableLimits(
    packing_group="III",
    excepted="E1",
    excepted_inner_ml=Decimal(30),
    excepted_outer_ml=Decimal(1000),
    limited="Y344",
    limited_ml=Decimal(10000),
    passenger_pi="355",
    passenger_ml=Decimal(60000),
    cargo_pi="366",
    cargo_ml=Decimal(220000),
)
AEROSOL_LIMITED_G, AEROSOL_PASSENGER_G, AEROSOL_CARGO_G = (
    Decimal(30000),
    Decimal(75000),
    Decimal(150000),
)


@dataclass(frozen=True, slots=True)
class ParcelItem:
    kind: Kind
    configuration: Configuration | None = None
    watt_hours: Decimal | None = None
    lithium_grams: Decimal | None = None
    state_of_charge: Decimal | None = None
    quantity: int = 1
    field_strength_2_1m: Decimal | None = None
    field_strength_4_6m: Decimal | None = None
    volume_ml: Decimal | None = None
    flash_point_c: Decimal | None = None
    cell: bool = False
    batteries_required: int = 1
    gross_grams: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ScreeningRequest:
    ship_date: date
    channel: Channel
    items: tuple[ParcelItem, ...]


@dataclass(frozen=True, slots=True)
class Screening:
    """The answer for one item (or, with lists joined, for the parcel)."""

    un_number: str | None = None
    packing_instruction: str | None = None
    section: str | None = None
    passenger_aircraft: bool = True
    cargo_aircraft: bool = True
    excepted_quantity: str | None = None
    limited_quantity: str | None = None
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def refused(self) -> bool:
        return not (self.passenger_aircraft or self.cargo_aircraft)

    def refuse(self, reason: Reason) -> Screening:
        return replace(
            self,
            passenger_aircraft=False,
            cargo_aircraft=False,
            excepted_quantity=None,
            limited_quantity=None,
            reasons=(*self.reasons, reason),
        )

    def note(self, reason: Reason) -> Screening:
        return replace(self, reasons=(*self.reasons, reason))

    def as_dict(self) -> dict[str, Any]:
        return {
            "un_number": self.un_number,
            "packing_instruction": self.packing_instruction,
            "section": self.section,
            "passenger_aircraft": self.passenger_aircraft,
            "cargo_aircraft": self.cargo_aircraft,
            "excepted_quantity": self.excepted_quantity,
            "limited_quantity": self.limited_quantity,
            "refused": self.refused,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class ParcelSummary:
    """The parcel as a whole: the items' codes, the aircraft every item may fly on, and the
    excepted or limited quantity the whole parcel may go as."""

    un_numbers: tuple[str, ...]
    packing_instructions: tuple[str, ...]
    sections: tuple[str, ...]
    passenger_aircraft: bool
    cargo_aircraft: bool
    excepted_quantity: tuple[str, ...] | None
    limited_quantity: tuple[str, ...] | None
    reasons: tuple[Reason, ...]

    @property
    def refused(self) -> bool:
        return not (self.passenger_aircraft or self.cargo_aircraft)

    def as_dict(self) -> dict[str, Any]:
        return {
            "un_number": list(self.un_numbers),
            "packing_instruction": list(self.packing_instructions),
            "section": list(self.sections),
            "passenger_aircraft": self.passenger_aircraft,
            "cargo_aircraft": self.cargo_aircraft,
            "excepted_quantity": _listed(self.excepted_quantity),
            "limited_quantity": _listed(self.limited_quantity),
            "refused": self.refused,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def _listed(codes: tuple[str, ...] | None) -> list[str] | None:
    return None if codes is None else list(codes)


@dataclass(frozen=True, slots=True)
class ParcelScreening:
    edition: Edition
    items: tuple[Screening, ...]
    parcel: ParcelSummary

    def as_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition.name,
            "items": [item.as_dict() for item in self.items],
            "parcel": self.parcel.as_dict(),
        }


# Request ------------------------------------------------------------------------------------

_REQUEST_KEYS = frozenset({"ship_date", "channel", "items"})
_ITEM_KEYS = frozenset(
    {
        "kind",
        "configuration",
        "watt_hours",
        "lithium_grams",
        "state_of_charge",
        "quantity",
        "field_strength_2_1m",
        "field_strength_4_6m",
        "volume_ml",
        "flash_point_c",
        "cell",
        "batteries_required",
        "gross_grams",
    }
)
_BATTERIES = frozenset({Kind.LITHIUM_ION, Kind.LITHIUM_METAL})


def request_from_dict(value: Any) -> ScreeningRequest:
    root = as_object(value, "request")
    reject_unknown(root, _REQUEST_KEYS, "")
    items = tuple(
        _item(as_object(raw, f"items[{index}]"), f"items[{index}]")
        for index, raw in enumerate(list_field(root, "items", "", max_items=200))
    )
    return ScreeningRequest(
        ship_date=date_field(root, "ship_date", ""),
        channel=Channel(
            choice_field(root, "channel", "", {c.value for c in Channel}, default="cargo")
        ),
        items=items,
    )


def _item(value: Mapping[str, Any], prefix: str) -> ParcelItem:
    reject_unknown(value, _ITEM_KEYS, prefix)
    kind = Kind(choice_field(value, "kind", prefix, {k.value for k in Kind}))
    configuration = None
    if kind in _BATTERIES:
        configuration = Configuration(
            choice_field(value, "configuration", prefix, {c.value for c in Configuration})
        )
    item = ParcelItem(
        kind=kind,
        configuration=configuration,
        watt_hours=optional_decimal(value, "watt_hours", prefix),
        lithium_grams=optional_decimal(value, "lithium_grams", prefix),
        state_of_charge=optional_decimal(value, "state_of_charge", prefix, maximum=Decimal(100)),
        quantity=integer_field(value, "quantity", prefix, default=1, minimum=1),
        field_strength_2_1m=optional_decimal(value, "field_strength_2_1m", prefix),
        field_strength_4_6m=optional_decimal(value, "field_strength_4_6m", prefix),
        volume_ml=optional_decimal(value, "volume_ml", prefix),
        flash_point_c=optional_decimal(value, "flash_point_c", prefix, minimum=Decimal(-273)),
        cell=bool_field(value, "cell", prefix, default=False),
        batteries_required=integer_field(value, "batteries_required", prefix, default=1, minimum=1),
        gross_grams=optional_decimal(value, "gross_grams", prefix),
    )
    required = {
        Kind.LITHIUM_ION: "watt_hours",
        Kind.LITHIUM_METAL: "lithium_grams",
        Kind.MAGNETIZED: "field_strength_2_1m",
        Kind.PERFUME: "volume_ml",
        Kind.AEROSOL: "volume_ml",
    }.get(kind)
    if required is not None and getattr(item, required) is None:
        raise validation_error(f"{prefix}.{required}", f"is required for {kind.value}")
    return item


def edition_on(ship_date: date) -> Edition:
    if ship_date < EDITIONS[0].effective_from:
        raise validation_error(
            "ship_date",
            f"rules are modelled from {EDITIONS[0].effective_from.isoformat()} "
            f"({EDITIONS[0].name})",
        )
    for edition in EDITIONS:
        if ship_date <= edition.effective_until:
            return edition
    return EDITIONS[-1]


# Screening ----------------------------------------------------------------------------------


def screen_air(request: Mapping[str, Any] | ScreeningRequest) -> ParcelScreening:
    """Screen a parcel given as the ``screen-air`` JSON contract."""
    parsed = request if isinstance(request, ScreeningRequest) else request_from_dict(request)
    edition = edition_on(parsed.ship_date)
    items = tuple(screen_item(item, edition, parsed.channel) for item in parsed.items)
    return ParcelScreening(edition, items, screen_parcel(parsed, edition, items))


def screen_item(item: ParcelItem, edition: Edition, channel: Channel) -> Screening:
    screening = _SCREENERS[item.kind](item, edition)
    if channel is Channel.MAIL:
        screening = _mail_rule(item, screening)
    return screening


def _cell_or_battery(item: ParcelItem) -> Text:
    return render("dg.cell" if item.cell else "dg.battery")


def _relation(packed_with: bool) -> Text:
    return render("dg.packed_with" if packed_with else "dg.contained_in")


def _lithium_ion(item: ParcelItem, edition: Edition) -> Screening:
    assert item.watt_hours is not None and item.configuration is not None
    limit = ION_CELL_WH if item.cell else ION_BATTERY_WH
    over = item.watt_hours > limit
    what = render("dg.ion_what", kind=_cell_or_battery(item), wh=item.watt_hours)
    if item.configuration is Configuration.STANDALONE:
        screening = Screening(
            "UN3480",
            "965",
            "IA" if over else "IB",
            passenger_aircraft=False,
            reasons=(Reason.of("pi965", "dg.pi965", what=what),),
        )
        return _standalone_soc(item, screening)
    pi = "966" if item.configuration is Configuration.PACKED_WITH else "967"
    section = "I" if over else "II"
    relation = _relation(pi == "966")
    screening = Screening(
        "UN3481",
        pi,
        section,
        reasons=(
            Reason.of(
                f"pi{pi}", "dg.ion_with_equipment", what=what, relation=relation, section=section
            ),
        ),
    )
    if pi == "966":
        screening = _spares(item, edition, screening)
        return _packed_soc(item, edition, screening)
    if item.state_of_charge is not None and item.state_of_charge > MAX_STATE_OF_CHARGE:
        screening = screening.note(Reason.of("soc_recommended", "dg.soc_recommended_967"))
    return screening


def _standalone_soc(item: ParcelItem, screening: Screening) -> Screening:
    if item.state_of_charge is None:
        return screening.refuse(Reason.of("soc_undeclared", "dg.soc_undeclared"))
    if item.state_of_charge > MAX_STATE_OF_CHARGE:
        return screening.refuse(
            Reason.of("soc_over_30", "dg.soc_over_30", soc=item.state_of_charge)
        )
    return screening


def _packed_soc(item: ParcelItem, edition: Edition, screening: Screening) -> Screening:
    assert item.watt_hours is not None
    rule = edition.soc_packed_with_equipment
    if rule is SocRule.NONE or item.watt_hours <= SOC_THRESHOLD_WH:
        return screening
    compliant = item.state_of_charge is not None and item.state_of_charge <= MAX_STATE_OF_CHARGE
    if compliant:
        return screening
    shown = (
        render("dg.soc_undeclared_word")
        if item.state_of_charge is None
        else Text.same(f"{item.state_of_charge}%")
    )
    if rule is SocRule.REQUIRED:
        return screening.refuse(
            Reason.of("soc_over_30", "dg.soc_packed_required", shown=shown, edition=edition.name)
        )
    return screening.note(Reason.of("soc_recommended", "dg.soc_packed_recommended", shown=shown))


def _spares(item: ParcelItem, edition: Edition, screening: Screening) -> Screening:
    allowed = item.batteries_required + SPARES
    if not edition.spares_limit or item.quantity <= allowed:
        return screening
    return screening.refuse(
        Reason.of(
            "too_many_spares",
            "dg.too_many_spares",
            quantity=item.quantity,
            required=item.batteries_required,
            allowed=allowed,
            spares=SPARES,
            edition=edition.name,
        )
    )


def _lithium_metal(item: ParcelItem, edition: Edition) -> Screening:
    assert item.lithium_grams is not None and item.configuration is not None
    limit = METAL_CELL_G if item.cell else METAL_BATTERY_G
    over = item.lithium_grams > limit
    what = render("dg.metal_what", kind=_cell_or_battery(item), grams=item.lithium_grams)
    if item.configuration is Configuration.STANDALONE:
        return Screening(
            "UN3090",
            "968",
            "IA" if over else "IB",
            passenger_aircraft=False,
            reasons=(Reason.of("pi968", "dg.pi968", what=what),),
        )
    pi = "969" if item.configuration is Configuration.PACKED_WITH else "970"
    section = "I" if over else "II"
    relation = _relation(pi == "969")
    screening = Screening(
        "UN3091",
        pi,
        section,
        reasons=(
            Reason.of(
                f"pi{pi}", "dg.metal_with_equipment", what=what, relation=relation, section=section
            ),
        ),
    )
    return _spares(item, edition, screening) if pi == "969" else screening


def _magnetized(item: ParcelItem, edition: Edition) -> Screening:
    assert item.field_strength_2_1m is not None
    if item.field_strength_2_1m < MAGNET_LIMIT:
        return Screening(
            reasons=(
                Reason.of(
                    "magnet_not_restricted",
                    "dg.magnet_not_restricted",
                    strength=item.field_strength_2_1m,
                ),
            )
        )
    screening = Screening(
        "UN2807",
        "953",
        reasons=(Reason.of("pi953", "dg.pi953", strength=item.field_strength_2_1m),),
    )
    if item.field_strength_4_6m is None:
        return screening.refuse(Reason.of("magnet_4_6m_unknown", "dg.magnet_4_6m_unknown"))
    if item.field_strength_4_6m >= MAGNET_LIMIT:
        return screening.refuse(
            Reason.of("magnet_forbidden", "dg.magnet_forbidden", strength=item.field_strength_4_6m)
        )
    return screening


def _flammable_group(flash_point: Decimal | None) -> FlammableLimits | None:
    if flash_point is None or flash_point < 23:
        return PG_II
    if flash_point <= 60:
        return PG_III
    return None


def _perfume(item: ParcelItem, edition: Edition) -> Screening:
    assert item.volume_ml is not None
    group = _flammable_group(item.flash_point_c)
    if group is None:
        return Screening(
            reasons=(Reason.of("not_flammable", "dg.not_flammable", flash=item.flash_point_c),)
        )
    screening = flammable_screening(group, item.volume_ml, item.volume_ml * item.quantity)
    if item.flash_point_c is None:
        screening = screening.note(Reason.of("flash_point_assumed", "dg.flash_point_assumed"))
    return screening


def flammable_screening(group: FlammableLimits, inner_ml: Decimal, total_ml: Decimal) -> Screening:
    """UN1266 treatment of ``total_ml`` of perfume in inner packagings of ``inner_ml``."""
    excepted = (
        group.excepted
        if inner_ml <= group.excepted_inner_ml and total_ml <= group.excepted_outer_ml
        else None
    )
    limited = group.limited if total_ml <= group.limited_ml else None
    passenger = total_ml <= group.passenger_ml
    cargo = total_ml <= group.cargo_ml
    screening = Screening(
        "UN1266",
        group.passenger_pi if passenger else group.cargo_pi,
        None,
        passenger_aircraft=passenger,
        cargo_aircraft=cargo,
        excepted_quantity=excepted,
        limited_quantity=limited,
        reasons=(Reason.of("un1266", "dg.un1266", group=group.packing_group, total=total_ml),),
    )
    if not cargo:
        return screening.refuse(
            Reason.of("over_quantity", "dg.over_quantity", total=total_ml, limit=group.cargo_ml)
        )
    return screening


def _aerosol(item: ParcelItem, edition: Edition) -> Screening:
    assert item.volume_ml is not None
    screening = Screening(
        "UN1950",
        "203",
        limited_quantity="Y203",
        reasons=(Reason.of("un1950", "dg.un1950"),),
    )
    if item.volume_ml > AEROSOL_MAX_ML:
        return screening.refuse(
            Reason.of("not_an_aerosol", "dg.not_an_aerosol", volume=item.volume_ml)
        )
    if item.gross_grams is None:
        return screening.note(Reason.of("mass_not_checked", "dg.mass_not_checked"))
    total = item.gross_grams * item.quantity
    return replace(
        screening,
        limited_quantity="Y203" if total <= AEROSOL_LIMITED_G else None,
        passenger_aircraft=total <= AEROSOL_PASSENGER_G,
        cargo_aircraft=total <= AEROSOL_CARGO_G,
    )


def _other(item: ParcelItem, edition: Edition) -> Screening:
    return Screening(reasons=(Reason.of("not_screened", "dg.not_screened"),))


_SCREENERS = {
    Kind.LITHIUM_ION: _lithium_ion,
    Kind.LITHIUM_METAL: _lithium_metal,
    Kind.MAGNETIZED: _magnetized,
    Kind.PERFUME: _perfume,
    Kind.AEROSOL: _aerosol,
    Kind.OTHER: _other,
}


def _mail_rule(item: ParcelItem, screening: Screening) -> Screening:
    if screening.un_number is None:
        return screening
    allowed = (
        item.kind in _BATTERIES
        and item.configuration is Configuration.CONTAINED_IN
        and screening.section == "II"
    )
    if allowed:
        return screening
    return screening.refuse(Reason.of("not_by_mail", "dg.not_by_mail"))


def screen_parcel(
    request: ScreeningRequest, edition: Edition, items: Sequence[Screening]
) -> ParcelSummary:
    """Every item must fly on the aircraft type, and perfume quantities add up across items."""
    reasons: list[Reason] = []
    if request.ship_date > EDITIONS[-1].effective_until:
        reasons.append(Reason.of("edition_assumed", "dg.edition_assumed", edition=edition.name))
    reasons.extend(
        Reason.of("item_refused", "dg.item_refused", index=index)
        for index, item in enumerate(items)
        if item.refused
    )
    regulated = [item for item in items if item.un_number]
    excepted = [item.excepted_quantity for item in regulated]
    limited = [item.limited_quantity for item in regulated]
    passenger = all(item.passenger_aircraft for item in items)
    cargo = all(item.cargo_aircraft for item in items)
    for group in (PG_II, PG_III):
        combined = _combined_perfume(request.items, group)
        if combined is None:
            continue
        lost = _lost_options(combined, passenger, cargo, excepted, limited)
        if lost:
            reasons.append(
                Reason.of(
                    "perfume_total",
                    "dg.perfume_total",
                    group=group.packing_group,
                    lost=Text.join(lost, ", ", "、"),
                )
            )
        passenger = passenger and combined.passenger_aircraft
        cargo = cargo and combined.cargo_aircraft
        excepted.append(combined.excepted_quantity)
        limited.append(combined.limited_quantity)
    return ParcelSummary(
        un_numbers=_distinct(item.un_number for item in items),
        packing_instructions=_distinct(item.packing_instruction for item in items),
        sections=_distinct(item.section for item in items),
        passenger_aircraft=passenger,
        cargo_aircraft=cargo,
        # A parcel goes as an excepted or limited quantity only if every regulated item can.
        excepted_quantity=_distinct(excepted) if regulated and all(excepted) else None,
        limited_quantity=_distinct(limited) if regulated and all(limited) else None,
        reasons=tuple(reasons),
    )


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({value for value in values if value}))


def _lost_options(
    combined: Screening,
    passenger: bool,
    cargo: bool,
    excepted: list[str | None],
    limited: list[str | None],
) -> list[Text]:
    lost = []
    if all(excepted) and combined.excepted_quantity is None:
        lost.append(render("dg.lost.excepted"))
    if all(limited) and combined.limited_quantity is None:
        lost.append(render("dg.lost.limited"))
    if passenger and not combined.passenger_aircraft:
        lost.append(render("dg.lost.passenger"))
    if cargo and not combined.cargo_aircraft:
        lost.append(render("dg.lost.cargo"))
    return lost


def _combined_perfume(items: Sequence[ParcelItem], group: FlammableLimits) -> Screening | None:
    perfumes = [
        item
        for item in items
        if item.kind is Kind.PERFUME
        and item.volume_ml is not None
        and _flammable_group(item.flash_point_c) is group
    ]
    if len(perfumes) < 2:
        return None
    total = sum((item.volume_ml * item.quantity for item in perfumes if item.volume_ml), Decimal(0))
    largest = max(item.volume_ml for item in perfumes if item.volume_ml is not None)
    return flammable_screening(group, largest, total)
