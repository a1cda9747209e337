"""The definitions of "digitally deliverable" services trade, as data, and the sums they imply.

Two sets of EBOPS 2010 codes are in use and give different figures for the same economy:

- ``unctad``: SF + SG + SH + SI + SJ + SK1 (UNCTAD, Technical Note No. 3, 2015; UNCTADstat
  ``US.DigitallyDeliverableServices``; the IMF-OECD-UNCTAD-WTO *Handbook on Measuring Digital
  Trade*, 2nd ed. 2023, treats it as the upper bound of digitally delivered trade);
- ``mofcom_wto``: SF + SG + SH + SI + SJ + SK, with the whole of SK (WTO *World Trade
  Statistical Review*; MOFCOM's 可数字化交付的服务贸易, used in Chinese official statistics).

A third key, ``wto_mode1``, names estimates of digitally *delivered* trade made by applying
GATS Mode 1 shares to the WTO categories SF, SG, SH, SI1, SI2, SI3, SJ and SK (WTO *Digitally
Delivered Services Trade Dataset*).

Every result carries its definition key, so figures on different definitions are never added.
Missing values are reported, never read as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from digitrade.systems.statistics import classification

TOTAL_SERVICES_KEY = "total_services"


@dataclass(frozen=True)
class Definition:
    """A named set of EBOPS codes whose sum is a "digitally deliverable" total."""

    key: str
    name_en: str
    name_zh: str
    codes: tuple[str, ...]  # top codes to sum; none is below another
    citation: str


UNCTAD = Definition(
    key="unctad",
    name_en="Digitally deliverable services (UNCTAD)",
    name_zh="可数字化交付的服务（联合国贸发会议口径）",
    codes=("SF", "SG", "SH", "SI", "SJ", "SK1"),
    citation=(
        "UNCTAD (2015), International trade in ICT services and ICT-enabled services, "
        "Technical Note No. 3; UNCTADstat US.DigitallyDeliverableServices"
    ),
)

MOFCOM_WTO = Definition(
    key="mofcom_wto",
    name_en="Digitally deliverable services (MOFCOM / WTO)",
    name_zh="可数字化交付的服务贸易（商务部/世贸组织口径）",
    codes=("SF", "SG", "SH", "SI", "SJ", "SK"),
    citation=(
        "WTO, World Trade Statistical Review; MOFCOM services-trade and digital-trade reports "
        "(可数字化交付的服务贸易)"
    ),
)

WTO_MODE1 = Definition(
    key="wto_mode1",
    name_en="Digitally delivered services (Mode 1 estimate)",
    name_zh="数字化交付的服务（模式一估算）",
    codes=("SF", "SG", "SH", "SI1", "SI2", "SI3", "SJ", "SK"),
    citation=(
        "WTO, Digitally Delivered Services Trade Dataset (Mode 1 shares, TiSMoS); "
        "IMF-OECD-UNCTAD-WTO Handbook on Measuring Digital Trade, 2nd ed. (2023)"
    ),
)

# The "digitally deliverable" definitions, by key.
DEFINITIONS: Mapping[str, Definition] = MappingProxyType(
    {d.key: d for d in (UNCTAD, MOFCOM_WTO, WTO_MODE1)}
)


def definition(key: str) -> Definition:
    """The definition with ``key``; ``ValueError`` for an unknown key."""
    try:
        return DEFINITIONS[key]
    except KeyError:
        raise ValueError(
            f"unknown definition {key!r}; known: {', '.join(sorted(DEFINITIONS))}"
        ) from None


@dataclass(frozen=True)
class Total:
    """A sum of EBOPS codes under one definition.

    ``value`` is None unless every code could be valued (``complete``); ``partial_sum`` is the
    sum of the codes that could, a lower bound to show alongside the ``missing`` list.
    """

    definition: str
    value: Decimal | None
    complete: bool
    missing: tuple[str, ...]
    partial_sum: Decimal
    parts: Mapping[str, Decimal] = field(default_factory=dict)
    from_children: tuple[str, ...] = ()  # codes valued by summing their sub-items


# The name used by callers that sum a "digitally deliverable" set.
DdsTotal = Total


def _check_values(values_by_code: Mapping[str, Decimal]) -> None:
    for code, value in values_by_code.items():
        # Money is Decimal; a float here would mean a binary rounding error upstream.
        if not isinstance(value, Decimal) or isinstance(value, bool):
            raise TypeError(f"value of {code} must be a Decimal, got {type(value).__name__}")
        if not value.is_finite():
            raise ValueError(f"value of {code} is not finite: {value}")


def _resolve(
    code: str, values_by_code: Mapping[str, Decimal], via_children: list[str]
) -> Decimal | None:
    """The value of ``code``: reported, else the sum of its sub-items if all can be valued."""
    if code in values_by_code:
        return values_by_code[code]
    kids = classification.children(code)
    if not kids:
        return None
    found: list[Decimal] = []
    nested: list[str] = []
    for kid in kids:
        value = _resolve(kid, values_by_code, nested)
        if value is None:
            return None
        found.append(value)
    via_children.extend(nested)
    via_children.append(code)
    return sum(found, Decimal(0))


def _sum_codes(
    key: str, top_codes: tuple[str, ...], values_by_code: Mapping[str, Decimal]
) -> Total:
    _check_values(values_by_code)
    parts: dict[str, Decimal] = {}
    missing: list[str] = []
    via_children: list[str] = []
    for code in top_codes:
        value = _resolve(code, values_by_code, via_children)
        if value is None:
            missing.append(code)
        else:
            parts[code] = value
    partial = sum(parts.values(), Decimal(0))
    complete = not missing
    return Total(
        definition=key,
        value=partial if complete else None,
        complete=complete,
        missing=tuple(missing),
        partial_sum=partial,
        parts=MappingProxyType(parts),
        from_children=tuple(via_children),
    )


def dds_total(values_by_code: Mapping[str, Decimal], definition: Definition) -> Total:
    """The digitally deliverable total of ``definition`` from values by EBOPS code.

    Sums the definition's top codes. A top code that is not reported is valued as the sum of
    its sub-items when every sub-item can be valued (recursively); otherwise it is listed in
    ``missing`` and ``value`` is None. Extra codes in ``values_by_code`` are ignored.
    """
    return _sum_codes(definition.key, definition.codes, values_by_code)


def total_services(values_by_code: Mapping[str, Decimal]) -> Total:
    """Total services (EBOPS S): the reported S if given, else the sum of SA..SL."""
    _check_values(values_by_code)
    if "S" in values_by_code:
        value = values_by_code["S"]
        return Total(
            definition=TOTAL_SERVICES_KEY,
            value=value,
            complete=True,
            missing=(),
            partial_sum=value,
            parts=MappingProxyType({"S": value}),
        )
    return _sum_codes(TOTAL_SERVICES_KEY, classification.COMPONENTS, values_by_code)


def dds_share(values_by_code: Mapping[str, Decimal], definition: Definition) -> Decimal | None:
    """Digitally deliverable services as a share (0..1) of total services; None if incomplete."""
    dds = dds_total(values_by_code, definition)
    total = total_services(values_by_code)
    if dds.value is None or total.value is None or total.value == 0:
        return None
    return dds.value / total.value


def _check_share(code: str, share: Decimal) -> None:
    if not isinstance(share, Decimal) or isinstance(share, bool):
        raise TypeError(f"Mode 1 share of {code} must be a Decimal, got {type(share).__name__}")
    if not share.is_finite() or share < 0 or share > 1:
        raise ValueError(f"Mode 1 share of {code} must be between 0 and 1, got {share}")


def delivered_estimate(
    values_by_code: Mapping[str, Decimal],
    mode1_shares: Mapping[str, Decimal],
    definition: Definition = WTO_MODE1,
) -> Total:
    """An estimate of digitally *delivered* trade: the sum over codes of Mode 1 share x value.

    ``mode1_shares`` must give a share (0..1) for each of the definition's codes and for no
    other code: an estimate without a share for a category would silently drop it. Values
    are resolved as in ``dds_total``; ``parts`` holds share x value per code.
    """
    for code, share in mode1_shares.items():
        _check_share(code, share)
    wanted = set(definition.codes)
    lacking = [code for code in definition.codes if code not in mode1_shares]
    extra = sorted(set(mode1_shares) - wanted)
    if lacking or extra:
        problems = []
        if lacking:
            problems.append(f"no Mode 1 share for {', '.join(lacking)}")
        if extra:
            problems.append(f"shares for codes outside {definition.key}: {', '.join(extra)}")
        raise ValueError("; ".join(problems))
    base = _sum_codes(definition.key, definition.codes, values_by_code)
    parts = {code: value * mode1_shares[code] for code, value in base.parts.items()}
    partial = sum(parts.values(), Decimal(0))
    return Total(
        definition=definition.key,
        value=partial if base.complete else None,
        complete=base.complete,
        missing=base.missing,
        partial_sum=partial,
        parts=MappingProxyType(parts),
        from_children=base.from_children,
    )
