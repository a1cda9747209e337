"""Services-trade monitor pages: the progress dashboard against the 2029 targets, printable
bulletins, the statistics import form, enterprises' quarterly returns with their review queue,
and the disclosure-controlled direct-reporting table.

Published figures are public, like the API's reads; importing, filing and reviewing need an
account with the statistics permissions. Every chart names its definition and source and can be
downloaded as PNG, CSV and XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from openpyxl import Workbook
from pydantic import ValidationError

from digitrade.core.auth.dependencies import DbSession, ReadSession, check_csrf
from digitrade.core.auth.permissions import OrganisationKind
from digitrade.core.auth.principal import Principal
from digitrade.core.errors import DomainError, NotFound, validation_error
from digitrade.systems.statistics import classification, definitions, service
from digitrade.systems.statistics.economies import (
    SHANGHAI,
    districts_of,
    economy_name,
    valid_economy_code,
)
from digitrade.systems.statistics.observation import Frequency, Period, PeriodError
from digitrade.systems.statistics.permissions import MANAGE, REPORT, REVIEW
from digitrade.systems.statistics.schemas import ReturnRead, ReturnWrite
from digitrade.web.pages import ReadingViewer, Viewer, login_redirect, organisations_where
from digitrade.web.templating import gettext_for, render, request_language

router = APIRouter(include_in_schema=False)

# Definitions a visitor may choose on the dashboard (the two in official use).
DEFINITION_KEYS = ("mofcom_wto", "unctad")
# Labels of run-time codes, translated in the templates (msgids; see runtime_messages.py).
RETURN_STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "queried": "Queried",
    "accepted": "Accepted",
}
DATA_STATUS_LABELS = {
    "official": "Official",
    "preliminary": "Preliminary",
    "nowcast": "Nowcast",
    "illustrative": "Illustrative",
}
PROGRESS_LABELS = {
    "significant": "Significant progress",
    "moderate": "Moderate progress",
    "insufficient": "Insufficient progress",
    "moving_away": "Moving away from the target",
}
SUPPRESSION_LABELS = {
    "few-contributors": "Fewer than three enterprises contribute",
    "dominance": "One enterprise dominates the cell",
    "secondary": "Suppressed so that another cell cannot be derived",
}
INDICATOR_LABELS = {
    "services_total": "Services trade (exports + imports)",
    "dds_total": "Digitally delivered services trade",
    "dds_share": "Digitally delivered share of services trade",
}
FLOW_LABELS = {"credit": "Exports (credit)", "debit": "Imports (debit)"}
CHARTS = (
    "trajectory-services_total",
    "trajectory-dds_total",
    "composition",
    "share",
    "districts",
    "peers",
    "nowcast",
)
LEVEL_INDICATORS = ("services_total", "dds_total")
RETURN_ROWS = 6
MAX_RETURN_ROWS = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Colours: one per series role, readable on white (WCAG AA against the card background).
COLOURS = {
    "actual": "#0b5394",
    "required": "#9a6700",
    "projected": "#1a7f37",
    "dds": "#0b5394",
    "other": "#8c959f",
    "band": "rgba(11, 83, 148, 0.25)",
    "nowcast": "#b42318",
}
_THOUSAND = Decimal(1000)


# Formatting ----------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def billions(value: Any) -> str:
    """``123.4`` (US$ bn) from a value in US$ millions; empty for None."""
    number = _decimal(value)
    return "" if number is None else f"{number / _THOUSAND:,.1f}"


def millions(value: Any) -> str:
    number = _decimal(value)
    return "" if number is None else f"{number:,.0f}"


def percent(rate: Any) -> str:
    """``5.4`` from a growth rate given as a fraction (``"0.054"``); empty for None."""
    number = _decimal(rate)
    return "" if number is None else f"{number * 100:,.1f}"


def share(value: Any) -> str:
    """``41.4`` from a share already in percent."""
    number = _decimal(value)
    return "" if number is None else f"{number:,.1f}"


def money(value: Any) -> str:
    number = _decimal(value)
    return "" if number is None else f"{number:,.2f}"


def _bn(value: Any) -> float | None:
    number = _decimal(value)
    return None if number is None else round(float(number / _THOUSAND), 3)


def _service_locale(request: Request) -> str:
    return "zh" if request_language(request).startswith("zh") else "en"


def _context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "billions": billions,
        "millions": millions,
        "percent": percent,
        "share": share,
        "money": money,
        "return_status_labels": RETURN_STATUS_LABELS,
        "data_status_labels": DATA_STATUS_LABELS,
        "progress_labels": PROGRESS_LABELS,
        "suppression_labels": SUPPRESSION_LABELS,
        "indicator_labels": INDICATOR_LABELS,
        "flow_labels": FLOW_LABELS,
        **extra,
    }


def _choices(request: Request) -> dict[str, Any]:
    locale = _service_locale(request)
    economies = [SHANGHAI, "CHN", *(d.code for d in districts_of(SHANGHAI))]
    return {
        "economy_choices": [(code, economy_name(code, locale)) for code in economies],
        "definition_choices": [(key, _definition_name(key, locale)) for key in DEFINITION_KEYS],
    }


def _check_choice(economy: str, definition: str) -> None:
    if not valid_economy_code(economy):
        raise validation_error("economy", f"{economy!r} is not an economy code")
    if definition not in DEFINITION_KEYS:
        raise validation_error("definition", "choose mofcom_wto or unctad")


# Dashboard data ------------------------------------------------------------------------------


def component_growth(
    components: Mapping[int, Mapping[str, Decimal]], latest_year: int | None, window: int
) -> dict[str, float]:
    """Observed compound annual growth of each component over the longest window (up to
    ``window`` years) that its series covers: ``(V_t / V_t-k) ** (1 / k) - 1``."""
    rates: dict[str, float] = {}
    if latest_year is None or latest_year not in components:
        return rates
    for code, latest in components[latest_year].items():
        for k in range(window, 0, -1):
            earlier = components.get(latest_year - k, {}).get(code)
            if earlier is not None and earlier > 0 and latest > 0:
                rates[code] = float(latest / earlier) ** (1 / k) - 1
                break
    return rates


def scenario_projection(items: Sequence[Mapping[str, Any]], years: int) -> tuple[float, float]:
    """Total and digitally delivered value after ``years`` years, each component compounding at
    its own rate (the same formula the sliders use in the browser)."""
    total = dds = 0.0
    for item in items:
        value = float(item["value"]) * (1 + float(item["rate"])) ** years
        total += value
        if item["dds"]:
            dds += value
    return total, dds


def _target(data: Mapping[str, Any], indicator: str) -> Mapping[str, Any] | None:
    for target in data.get("targets", []):
        if target.get("indicator") == indicator:
            return dict(target)
    return None


def _scenario(
    session: Any, data: Mapping[str, Any], economy: str, definition: str
) -> dict[str, Any] | None:
    composition = data.get("composition") or {}
    year = composition.get("year")
    items = composition.get("items") or []
    if year is None or not items:
        return None
    try:
        indicators = service.annual_indicators(session, economy=economy, definition=definition)
        rates = component_growth(indicators.components, year, int(data.get("window_years", 5)))
    except DomainError:
        rates = {}
    services_target = _target(data, "services_total")
    dds_target = _target(data, "dds_total")
    target_year = int((services_target or dds_target or {}).get("target_year") or 2029)
    years = max(target_year - int(year), 0)
    rows = [
        {
            "code": item["code"],
            "label": item.get("label", item["code"]),
            "value": float(item["value"]),
            "rate": round(rates.get(item["code"], 0.0), 4),
            "dds": bool(item.get("digitally_deliverable")),
        }
        for item in items
    ]
    total, dds = scenario_projection(rows, years)
    return {
        "year": year,
        "target_year": target_year,
        "years": years,
        "items": rows,
        "total": total,
        "dds": dds,
        "total_target": float(services_target["target_value"]) if services_target else None,
        "dds_target": float(dds_target["target_value"]) if dds_target else None,
    }


ChartSpec = dict[str, Any]


def _line(name: str, values: list[Any], colour: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "line", "data": values, "color": colour, **extra}


def trajectory_spec(target: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    actual = {int(p["year"]): p["value"] for p in target.get("actual", [])}
    required = {int(p["year"]): p["value"] for p in target.get("required", [])}
    projected = {int(p["year"]): p["value"] for p in target.get("projected", [])}
    years_seen = set(actual) | set(required) | set(projected)
    first = min(years_seen) if years_seen else int(target["target_year"])
    years = list(range(first, int(target["target_year"]) + 1))
    return {
        "categories": [str(y) for y in years],
        "unit": _("US$ bn"),
        "series": [
            _line(_("Actual"), [_bn(actual.get(y)) for y in years], COLOURS["actual"]),
            _line(
                _("Required path"),
                [_bn(required.get(y)) for y in years],
                COLOURS["required"],
                dashed=True,
            ),
            _line(
                _("Projection at the observed growth rate"),
                [_bn(projected.get(y)) for y in years],
                COLOURS["projected"],
                dashed=True,
            ),
        ],
        "marks": [{"name": _("Target"), "value": _bn(target["target_value"])}],
    }


def composition_spec(data: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    items = (data.get("composition") or {}).get("items") or []
    return {
        "categories": [item["code"] for item in items],
        "labels": [item.get("label", item["code"]) for item in items],
        "unit": _("US$ bn"),
        "series": [
            {
                "name": _("Exports + imports"),
                "type": "bar",
                "data": [
                    {
                        "value": _bn(item["value"]),
                        "itemStyle": {
                            "color": COLOURS["dds"]
                            if item.get("digitally_deliverable")
                            else COLOURS["other"]
                        },
                    }
                    for item in items
                ],
            }
        ],
    }


def share_spec(data: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    points = data.get("share") or []
    return {
        "categories": [str(p["year"]) for p in points],
        "unit": "%",
        "series": [
            _line(
                _("Digitally delivered share"),
                [float(round(Decimal(p["value"]), 2)) for p in points],
                COLOURS["actual"],
            )
        ],
        "marks": [
            {"name": _("National target for 2029"), "value": 45},
            {"name": _("Shanghai target for 2029"), "value": 50},
        ],
    }


def districts_spec(data: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    rows = data.get("districts") or []
    return {
        "categories": [row["name"] for row in rows],
        "unit": _("US$ bn"),
        "series": [
            {
                "name": _("Services trade"),
                "type": "bar",
                "data": [_bn(row["services"]) for row in rows],
                "color": COLOURS["other"],
            },
            {
                "name": _("Digitally delivered"),
                "type": "bar",
                "data": [_bn(row.get("dds")) for row in rows],
                "color": COLOURS["dds"],
            },
        ],
    }


def peers_spec(data: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    peers = data.get("peers") or []
    years = sorted({int(p["year"]) for peer in peers for p in peer.get("points", [])})
    series = []
    for peer in peers:
        values = {int(p["year"]): p["value"] for p in peer.get("points", [])}
        series.append(
            {
                "name": peer["name"],
                "type": "line",
                "data": [_bn(values.get(y)) for y in years],
            }
        )
    return {"categories": [str(y) for y in years], "unit": _("US$ bn"), "series": series}


def nowcast_spec(data: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    estimate = data.get("nowcast") or {}
    services = _target(data, "services_total") or {}
    actual = {int(p["year"]): p["value"] for p in services.get("actual", [])}
    year = int(estimate["year"]) if estimate.get("year") is not None else None
    years = sorted(set(actual) | ({year} if year is not None else set()))
    low = _bn(estimate.get("low"))
    high = _bn(estimate.get("high"))
    band_base = [low if y == year else None for y in years]
    band = [
        round(high - low, 3) if y == year and high is not None and low is not None else None
        for y in years
    ]
    return {
        "categories": [str(y) for y in years],
        "unit": _("US$ bn"),
        "series": [
            {
                "name": _("Reported"),
                "type": "bar",
                "data": [_bn(actual.get(y)) for y in years],
                "color": COLOURS["other"],
            },
            {
                "name": "band-base",
                "type": "bar",
                "stack": "band",
                "data": band_base,
                "hidden": True,
            },
            {
                "name": _("Uncertainty band"),
                "type": "bar",
                "stack": "band",
                "data": band,
                "color": COLOURS["band"],
            },
            {
                "name": _("Nowcast"),
                "type": "scatter",
                "data": [_bn(estimate.get("value")) if y == year else None for y in years],
                "color": COLOURS["nowcast"],
            },
        ],
    }


def _sources_line(sources: Sequence[str], _: Callable[[str], str]) -> str:
    return "; ".join(sources) if sources else _("No source recorded")


def _definition_name(key: str, locale: str) -> str:
    chosen = definitions.DEFINITIONS.get(key)
    if chosen is None:
        return key
    return chosen.name_zh if locale == "zh" else chosen.name_en


def dashboard_charts(
    data: Mapping[str, Any], _: Callable[[str], str], locale: str = "en"
) -> list[dict[str, Any]]:
    """The charts of the dashboard: id, title, spec and source line, in page order."""
    sources = _sources_line(data.get("sources") or [], _)
    definition = data.get("definition_name") or data.get("definition", "")
    charts = []
    for indicator in LEVEL_INDICATORS:
        target = _target(data, indicator)
        if target is None:
            continue
        charts.append(
            {
                "id": f"trajectory-{indicator}",
                "title": _(INDICATOR_LABELS[indicator]),
                "subtitle": target.get("label", ""),
                "spec": trajectory_spec(target, _),
                "source": sources,
                "definition": definition,
                "empty": not target.get("actual"),
            }
        )
    composition = data.get("composition") or {}
    charts.append(
        {
            "id": "composition",
            "title": _("Composition by EBOPS component"),
            "subtitle": str(composition.get("year") or ""),
            "spec": composition_spec(data, _),
            "source": sources,
            "definition": definition,
            "empty": not composition.get("items"),
        }
    )
    charts.append(
        {
            "id": "share",
            "title": _("Digitally delivered share of services trade"),
            "subtitle": "",
            "spec": share_spec(data, _),
            "source": sources,
            "definition": definition,
            "empty": not data.get("share"),
        }
    )
    charts.append(
        {
            "id": "districts",
            "title": _("Districts side by side"),
            "subtitle": "",
            "spec": districts_spec(data, _),
            "source": sources,
            "definition": definition,
            "empty": not data.get("districts"),
        }
    )
    peers = data.get("peers") or []
    peer_definitions = sorted({str(p.get("definition") or "") for p in peers} - {""})
    charts.append(
        {
            "id": "peers",
            "title": _("Peer economies: digitally deliverable services trade"),
            "subtitle": "",
            "spec": peers_spec(data, _),
            "source": _sources_line(data.get("peer_sources") or [], _),
            "definition": "; ".join(_definition_name(key, locale) for key in peer_definitions)
            or _definition_name("unctad", locale),
            "empty": not any(p.get("points") for p in peers),
        }
    )
    charts.append(
        {
            "id": "nowcast",
            "title": _("Nowcast of this year's services trade"),
            "subtitle": "",
            "spec": nowcast_spec(data, _),
            "source": sources,
            "definition": definition,
            "empty": not data.get("nowcast"),
        }
    )
    return charts


def _dashboard_data(
    request: Request, session: Any, economy: str, definition: str
) -> dict[str, Any]:
    return dict(
        service.dashboard(
            session,
            economy=economy,
            definition=definition,
            locale=_service_locale(request),
        )
    )


# Dashboard -----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    session: ReadSession,
    viewer: ReadingViewer,
    economy: str = SHANGHAI,
    definition: str = "mofcom_wto",
) -> Response:
    _ = gettext_for(request)
    economy = economy.strip() or SHANGHAI
    form = {"economy": economy, "definition": definition}
    try:
        _check_choice(economy, definition)
        data = _dashboard_data(request, session, economy, definition)
    except DomainError as exc:
        return render(
            request,
            "statistics/dashboard.html",
            _context({**_choices(request), "form": form, "error": exc.detail, "data": None}),
            status_code=exc.status,
        )
    return render(
        request,
        "statistics/dashboard.html",
        _context(
            {
                **_choices(request),
                "form": form,
                "data": data,
                "charts": dashboard_charts(data, _, _service_locale(request)),
                "scenario": _scenario(session, data, economy, definition),
                "published": service.published_figures(),
                "query": urlencode({"economy": economy, "definition": definition}),
            }
        ),
    )


# Chart data downloads ------------------------------------------------------------------------


def chart_table(data: Mapping[str, Any], chart: str) -> tuple[list[str], list[list[Any]]]:
    """The rows behind one dashboard chart (values in US$ millions, as stored)."""
    economy, definition = data.get("economy", ""), data.get("definition", "")
    if chart.startswith("trajectory-") and chart.removeprefix("trajectory-") in LEVEL_INDICATORS:
        target = _target(data, chart.removeprefix("trajectory-"))
        header = [
            "economy",
            "definition",
            "indicator",
            "series",
            "year",
            "value_usd_millions",
            "status",
        ]
        rows: list[list[Any]] = []
        if target is not None:
            for series_name in ("actual", "required", "projected"):
                for point in target.get(series_name, []):
                    rows.append(
                        [
                            economy,
                            definition,
                            target["indicator"],
                            series_name,
                            point["year"],
                            _decimal(point["value"]),
                            point.get("status", ""),
                        ]
                    )
            rows.append(
                [
                    economy,
                    definition,
                    target["indicator"],
                    "target",
                    target["target_year"],
                    _decimal(target["target_value"]),
                    "",
                ]
            )
        return header, rows
    if chart == "composition":
        composition = data.get("composition") or {}
        return (
            [
                "economy",
                "definition",
                "year",
                "code",
                "label",
                "value_usd_millions",
                "digitally_deliverable",
            ],
            [
                [
                    economy,
                    definition,
                    composition.get("year"),
                    item["code"],
                    item.get("label", ""),
                    _decimal(item["value"]),
                    bool(item.get("digitally_deliverable")),
                ]
                for item in composition.get("items") or []
            ],
        )
    if chart == "share":
        return (
            ["economy", "definition", "year", "share_percent", "status"],
            [
                [economy, definition, p["year"], _decimal(p["value"]), p.get("status", "")]
                for p in data.get("share") or []
            ],
        )
    if chart == "districts":
        return (
            [
                "economy",
                "name",
                "definition",
                "year",
                "services_usd_millions",
                "dds_usd_millions",
                "status",
            ],
            [
                [
                    row["economy"],
                    row["name"],
                    definition,
                    row["year"],
                    _decimal(row["services"]),
                    _decimal(row.get("dds")),
                    row.get("status", ""),
                ]
                for row in data.get("districts") or []
            ],
        )
    if chart == "peers":
        return (
            ["economy", "name", "definition", "year", "dds_usd_millions"],
            [
                [
                    peer["economy"],
                    peer["name"],
                    peer.get("definition", ""),
                    p["year"],
                    _decimal(p["value"]),
                ]
                for peer in data.get("peers") or []
                for p in peer.get("points", [])
            ],
        )
    if chart == "nowcast":
        estimate = data.get("nowcast")
        header = [
            "economy",
            "year",
            "value_usd_millions",
            "low_usd_millions",
            "high_usd_millions",
            "method",
            "label",
        ]
        if not estimate:
            return header, []
        return header, [
            [
                economy,
                estimate.get("year"),
                _decimal(estimate.get("value")),
                _decimal(estimate.get("low")),
                _decimal(estimate.get("high")),
                estimate.get("method", ""),
                estimate.get("label", "nowcast"),
            ]
        ]
    raise NotFound(f"no chart {chart!r}; charts: {', '.join(CHARTS)}")


def _csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read Chinese


def _xlsx_bytes(
    sheet: str, header: list[str], rows: list[list[Any]], notes: list[list[Any]]
) -> bytes:
    book = Workbook()
    data_sheet = book.active
    assert data_sheet is not None
    data_sheet.title = sheet[:31]
    data_sheet.append(header)
    for row in rows:
        data_sheet.append(row)
    about = book.create_sheet("sources")
    for note in notes:
        about.append(note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/data/{filename}")
def chart_data(
    request: Request,
    session: ReadSession,
    filename: str,
    economy: str = SHANGHAI,
    definition: str = "mofcom_wto",
) -> Response:
    """A chart's data as CSV or XLSX: ``/statistics/data/composition.csv``."""
    chart, _dot, extension = filename.rpartition(".")
    if extension not in ("csv", "xlsx") or chart not in CHARTS:
        raise NotFound(f"no download {filename!r}; use one of {', '.join(CHARTS)} as .csv or .xlsx")
    _check_choice(economy, definition)
    data = _dashboard_data(request, session, economy, definition)
    header, rows = chart_table(data, chart)
    name = f"statistics-{economy}-{definition}-{chart}.{extension}"
    if extension == "csv":
        return _attachment(_csv_bytes(header, rows), CSV_TYPE, name)
    notes: list[list[Any]] = [
        ["economy", economy],
        ["definition", definition],
        ["unit", "US$ millions (share in percent)"],
        ["illustrative", "yes" if data.get("illustrative") else "no"],
    ]
    sources = data.get("peer_sources") if chart == "peers" else data.get("sources")
    notes.extend(["source", source] for source in sources or [])
    return _attachment(_xlsx_bytes(chart, header, rows, notes), XLSX_TYPE, name)


# Bulletin ------------------------------------------------------------------------------------


def _point(series_read: Any, period: str) -> Decimal | None:
    for point in series_read.points:
        if point.period == period:
            return Decimal(point.value)
    return None


def _growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None or previous == 0:
        return None
    return current / previous - 1


def _bulletin_sub_annual(
    session: Any, economy: str, parsed: Period, locale: str
) -> dict[str, Any] | None:
    frequency = parsed.frequency.value
    period = str(parsed)
    previous = str(Period(parsed.year - 1, parsed.frequency, parsed.index))
    figures: dict[str, Any] = {}
    statuses: set[str] = set()
    sources: set[str] = set()
    in_year: list[tuple[str, Decimal]] = []
    for flow in ("credit", "debit", "total"):
        read = service.series(
            session,
            economy=economy,
            code="S",
            flow=flow,
            frequency=frequency,
            start=str(parsed.year - 1),
            end=str(parsed.year),
            locale=locale,
        )
        value = _point(read, period)
        figures[flow] = value
        figures[f"{flow}_growth"] = _growth(value, _point(read, previous))
        sources.update(read.sources)
        statuses.update(p.status for p in read.points if p.period == period)
        if flow == "total":
            in_year = [
                (p.period, Decimal(p.value))
                for p in read.points
                if p.period.startswith(str(parsed.year)) and p.period <= period
            ]
    if all(figures[flow] is None for flow in ("credit", "debit", "total")):
        return None
    return {
        "figures": figures,
        "year_to_date": sum((v for _, v in in_year), Decimal(0)),
        "periods": in_year,
        "sources": sorted(sources),
        "statuses": sorted(statuses),
    }


def _bulletin_annual(
    session: Any, economy: str, definition: str, year: int, locale: str
) -> dict[str, Any] | None:
    indicators = service.annual_indicators(session, economy=economy, definition=definition)
    if year not in indicators.services and year not in indicators.dds:
        return None

    def value(figures: Mapping[int, Any], y: int) -> Decimal | None:
        return figures[y].value if y in figures else None

    chosen = definitions.DEFINITIONS[definition]
    components = indicators.components.get(year, {})
    statuses = {
        figure.status
        for figures in (indicators.services, indicators.dds, indicators.share)
        for y, figure in figures.items()
        if y == year
    }
    return {
        "services": value(indicators.services, year),
        "services_growth": _growth(
            value(indicators.services, year), value(indicators.services, year - 1)
        ),
        "dds": value(indicators.dds, year),
        "dds_growth": _growth(value(indicators.dds, year), value(indicators.dds, year - 1)),
        "share": value(indicators.share, year),
        "components": [
            {
                "code": code,
                "label": classification.label(code, locale),
                "value": amount,
                "dds": code in chosen.codes,
            }
            for code, amount in sorted(components.items())
        ],
        "history": [
            (y, indicators.services[y].value, value(indicators.dds, y))
            for y in sorted(indicators.services)
            if y <= year
        ],
        "statuses": sorted(statuses),
    }


@router.get("/bulletin", response_class=HTMLResponse)
def bulletin_page(
    request: Request,
    session: ReadSession,
    viewer: ReadingViewer,
    period: str = "",
    economy: str = SHANGHAI,
    definition: str = "mofcom_wto",
) -> Response:
    _ = gettext_for(request)
    locale = _service_locale(request)
    period = period.strip() or str(dt.date.today().year - 1)
    economy = economy.strip() or SHANGHAI
    form = {"period": period, "economy": economy, "definition": definition}
    context: dict[str, Any] = {
        **_choices(request),
        "form": form,
        "today": dt.date.today().isoformat(),
    }
    try:
        _check_choice(economy, definition)
        try:
            parsed = Period.parse(period)
        except PeriodError as exc:
            raise validation_error(
                "period", "give a year (2025), a quarter (2026-Q3) or a month (2026-09)"
            ) from exc
        data = _dashboard_data(request, session, economy, definition)
        context.update(
            {
                "parsed": parsed,
                "frequency": parsed.frequency.value,
                "data": data,
                "economy_label": economy_name(economy, locale),
            }
        )
        if parsed.frequency is Frequency.ANNUAL:
            context["annual"] = _bulletin_annual(session, economy, definition, parsed.year, locale)
            found = context["annual"] is not None
        else:
            context["sub_annual"] = _bulletin_sub_annual(session, economy, parsed, locale)
            found = context["sub_annual"] is not None
        context["found"] = found
        if found:
            context["chart"] = _bulletin_chart(context, _)
    except DomainError as exc:
        return render(
            request,
            "statistics/bulletin.html",
            _context({**context, "error": exc.detail}),
            status_code=exc.status,
        )
    return render(request, "statistics/bulletin.html", _context(context))


def _bulletin_chart(context: Mapping[str, Any], _: Callable[[str], str]) -> ChartSpec:
    if context.get("annual"):
        history = context["annual"]["history"]
        return {
            "categories": [str(y) for y, _s, _d in history],
            "unit": _("US$ bn"),
            "series": [
                {
                    "name": _("Services trade"),
                    "type": "bar",
                    "color": COLOURS["other"],
                    "data": [_bn(s) for _y, s, _d in history],
                },
                {
                    "name": _("Digitally delivered"),
                    "type": "bar",
                    "color": COLOURS["dds"],
                    "data": [_bn(d) for _y, _s, d in history],
                },
            ],
        }
    periods = context["sub_annual"]["periods"]
    return {
        "categories": [p for p, _v in periods],
        "unit": _("US$ bn"),
        "series": [
            {
                "name": _("Services trade"),
                "type": "bar",
                "color": COLOURS["actual"],
                "data": [_bn(v) for _p, v in periods],
            }
        ],
    }


# Import --------------------------------------------------------------------------------------


def _agencies(session: Any, viewer: Principal, permission: str) -> list[Any]:
    return [
        org
        for org in organisations_where(session, viewer, permission)
        if org.kind == OrganisationKind.AGENCY and org.id in viewer.organisation_ids
    ]


def _import_page(
    request: Request,
    session: Any,
    viewer: Principal,
    *,
    result: Any = None,
    errors: Sequence[Any] = (),
    error_count: int = 0,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    agencies = _agencies(session, viewer, MANAGE)
    imported = request.query_params.get("imported", "")
    return render(
        request,
        "statistics/import.html",
        _context(
            {
                "agencies": agencies,
                "can_import": viewer.is_platform_admin or bool(agencies),
                "imports": service.list_imports(session, limit=20),
                "result": result,
                "errors": errors,
                "error_count": error_count,
                "error": error,
                "form": form or {"source": ""},
                "imported": int(imported) if imported.isdigit() else None,
            }
        ),
        status_code=status_code,
    )


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _import_page(request, session, viewer)


@router.post("/import", response_class=HTMLResponse)
async def import_submit(request: Request, session: DbSession, viewer: Viewer) -> Response:
    """Preview (checks and counts, nothing stored) or import (all-or-nothing) an upload."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = await request.form()
    fields = {
        "source": str(form.get("source", "")),
        "organisation_id": str(form.get("organisation_id", "")),
    }
    action = str(form.get("action", "preview"))
    organisation = fields["organisation_id"]
    upload = form.get("file")
    try:
        check_csrf(request, str(form.get("csrf_token", "")))
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise validation_error("file", "choose a CSV, XLSX or SDMX-CSV file")
        data = await upload.read(service.MAX_IMPORT_BYTES + 1)
        result = service.import_file(
            session,
            actor=viewer,
            data=data,
            filename=upload.filename,
            source=fields["source"],
            organisation_id=int(organisation) if organisation.isdigit() else None,
            commit=action == "import",
        )
    except DomainError as exc:
        session.rollback()
        errors = exc.extra.get("errors", []) if exc.extra else []
        return _import_page(
            request,
            session,
            viewer,
            errors=errors,
            error_count=int(exc.extra.get("error_count", len(errors))) if exc.extra else 0,
            error=exc.detail,
            form=fields,
            status_code=exc.status,
        )
    if result.committed:
        return RedirectResponse(f"/statistics/import?imported={result.id}", status_code=303)
    return _import_page(
        request,
        session,
        viewer,
        result=result,
        errors=result.errors,
        error_count=result.error_count,
        form=fields,
    )


@router.get("/import/template.{extension}")
def import_template(extension: str) -> Response:
    if extension not in ("csv", "xlsx"):
        raise NotFound("the template is offered as .csv or .xlsx")
    return _attachment(
        service.template_bytes(f".{extension}"),
        CSV_TYPE if extension == "csv" else XLSX_TYPE,
        f"statistics-import-template.{extension}",
    )


# Direct returns ------------------------------------------------------------------------------


def current_quarter(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _enterprises(session: Any, viewer: Principal) -> list[Any]:
    return [
        org
        for org in organisations_where(session, viewer, REPORT)
        if org.kind == OrganisationKind.ENTERPRISE and org.id in viewer.organisation_ids
    ]


def is_reviewer(session: Any, viewer: Principal) -> bool:
    return viewer.is_platform_admin or bool(_agencies(session, viewer, REVIEW))


def _blank_form(organisation_id: int | None) -> dict[str, Any]:
    return {
        "organisation_id": str(organisation_id or ""),
        "period": current_quarter(),
        "district": "",
        "lines": [{"code": "", "partner": "W00", "flow": "credit", "value": ""}] * RETURN_ROWS,
    }


def _form_from_return(saved: ReturnRead) -> dict[str, Any]:
    lines = [line.model_dump() for line in saved.lines]
    lines += [{"code": "", "partner": "W00", "flow": "credit", "value": ""}] * max(
        RETURN_ROWS - len(lines), 1
    )
    return {
        "organisation_id": str(saved.organisation_id),
        "period": saved.period,
        "district": saved.district,
        "lines": lines,
    }


def return_lines(form: Mapping[str, str]) -> list[dict[str, str]]:
    """The lines typed into the return form (``line{n}_code`` ...); empty rows are dropped."""
    numbers = sorted(
        {
            int(key[4:].split("_", 1)[0])
            for key in form
            if key.startswith("line") and key[4:].split("_", 1)[0].isdigit()
        }
    )
    lines = []
    for n in numbers[:MAX_RETURN_ROWS]:
        line = {
            "code": form.get(f"line{n}_code", "").strip().upper(),
            "partner": form.get(f"line{n}_partner", "").strip().upper() or "W00",
            "flow": form.get(f"line{n}_flow", "credit").strip(),
            "value": form.get(f"line{n}_value", "").strip().replace(",", ""),
        }
        if line["code"] or line["value"]:
            lines.append(line)
    return lines


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())


def _returns_page(
    request: Request,
    session: Any,
    viewer: Principal,
    *,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    locale = _service_locale(request)
    enterprises = _enterprises(session, viewer)
    reviewer = is_reviewer(session, viewer)
    own: list[ReturnRead] = []
    if enterprises:
        for org in enterprises:
            own.extend(service.list_returns(session, actor=viewer, organisation_id=org.id))
    queue = service.list_returns(session, actor=viewer, status="submitted") if reviewer else []
    editing = request.query_params.get("edit", "")
    if form is None and editing.isdigit():
        chosen = next((r for r in own if r.id == int(editing)), None)
        if chosen is not None and chosen.status in ("draft", "queried"):
            form = _form_from_return(chosen)
    districts = [d for d in districts_of(SHANGHAI) if d.official_code]
    return render(
        request,
        "statistics/returns.html",
        _context(
            {
                "enterprises": enterprises,
                "reviewer": reviewer,
                "own": own,
                "queue": queue,
                "form": form or _blank_form(enterprises[0].id if enterprises else None),
                "error": error,
                "districts": [(d.code, economy_name(d.code, locale)) for d in districts],
                "district_names": {
                    d.code: economy_name(d.code, locale) for d in districts_of(SHANGHAI)
                },
                "codes": [
                    (code, classification.label(code, locale))
                    for code in classification.codes()
                    if code not in ("S", "SOX", "SPX4")
                ],
                "saved": request.query_params.get("saved"),
                "reviewed": request.query_params.get("reviewed"),
            }
        ),
        status_code=status_code,
    )


@router.get("/returns", response_class=HTMLResponse)
def returns_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _returns_page(request, session, viewer)


@router.post("/returns", response_class=HTMLResponse)
async def return_submit(request: Request, session: DbSession, viewer: Viewer) -> Response:
    """Save the enterprise's quarterly return as a draft, or save and submit it."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    raw = {k: str(v) for k, v in (await request.form()).items()}
    lines = return_lines(raw)
    form: dict[str, Any] = {
        "organisation_id": raw.get("organisation_id", ""),
        "period": raw.get("period", "").strip().upper(),
        "district": raw.get("district", ""),
        "lines": lines
        + [{"code": "", "partner": "W00", "flow": "credit", "value": ""}]
        * max(RETURN_ROWS - len(lines), 1),
    }
    submit = raw.get("submit") == "1"
    try:
        check_csrf(request, raw.get("csrf_token"))
        if not form["organisation_id"].isdigit():
            raise validation_error("organisation_id", "choose the enterprise filing the return")
        if not lines:
            raise validation_error("lines", "enter at least one line (code, flow and value)")
        data = ReturnWrite.model_validate(
            {"period": form["period"], "district": form["district"], "lines": lines}
        )
        saved = service.save_return(
            session,
            actor=viewer,
            organisation_id=int(form["organisation_id"]),
            data=data,
            submit=submit,
        )
    except ValidationError as exc:
        return _returns_page(
            request, session, viewer, form=form, error=_validation_message(exc), status_code=422
        )
    except DomainError as exc:
        session.rollback()
        return _returns_page(
            request, session, viewer, form=form, error=exc.detail, status_code=exc.status
        )
    return RedirectResponse(
        f"/statistics/returns?saved={quote(saved.period)}-{saved.status}", status_code=303
    )


@router.post("/returns/{return_id}/submit", response_class=HTMLResponse)
async def return_submit_draft(
    request: Request, session: DbSession, viewer: Viewer, return_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    raw = {k: str(v) for k, v in (await request.form()).items()}
    try:
        check_csrf(request, raw.get("csrf_token"))
        saved = service.submit_return(session, actor=viewer, return_id=return_id)
    except DomainError as exc:
        session.rollback()
        return _returns_page(request, session, viewer, error=exc.detail, status_code=exc.status)
    return RedirectResponse(
        f"/statistics/returns?saved={quote(saved.period)}-{saved.status}", status_code=303
    )


@router.post("/returns/{return_id}/review", response_class=HTMLResponse)
async def return_review(
    request: Request, session: DbSession, viewer: Viewer, return_id: int
) -> Response:
    """An agency reviewer accepts a submitted return or queries it with a note."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    raw = {k: str(v) for k, v in (await request.form()).items()}
    try:
        check_csrf(request, raw.get("csrf_token"))
        reviewed = service.review_return(
            session,
            actor=viewer,
            return_id=return_id,
            action=raw.get("action", ""),
            note=raw.get("note", ""),
        )
    except DomainError as exc:
        session.rollback()
        return _returns_page(request, session, viewer, error=exc.detail, status_code=exc.status)
    return RedirectResponse(
        f"/statistics/returns?reviewed={reviewed.id}-{reviewed.status}", status_code=303
    )


# Direct-reporting table ----------------------------------------------------------------------


def published_grid(table: Any) -> dict[str, Any]:
    """District rows x component columns of a published table, with totals."""
    cells = {(cell.district, cell.code): cell for cell in table.cells}
    districts = sorted({cell.district for cell in table.cells} | set(table.district_totals))
    columns = [
        code
        for code in classification.COMPONENTS
        if code in table.code_totals or any(c == code for _d, c in cells)
    ]
    reasons = sorted({cell.suppressed for cell in table.cells if cell.suppressed})
    return {
        "districts": districts,
        "columns": columns,
        "cells": cells,
        "reasons": reasons,
    }


@router.get("/direct-reporting", response_class=HTMLResponse)
def direct_reporting_index(period: str = "") -> Response:
    return RedirectResponse(
        f"/statistics/direct-reporting/{quote(period.strip() or current_quarter())}",
        status_code=303,
    )


@router.get("/direct-reporting/{period}", response_class=HTMLResponse)
def direct_reporting_page(
    request: Request,
    session: ReadSession,
    viewer: ReadingViewer,
    period: str,
    flow: str = "credit",
) -> Response:
    locale = _service_locale(request)
    context: dict[str, Any] = {
        "form": {"period": period, "flow": flow},
        "district_names": {d.code: economy_name(d.code, locale) for d in districts_of(SHANGHAI)},
        "component_labels": {
            code: classification.label(code, locale) for code in classification.COMPONENTS
        },
    }
    try:
        table = service.published_table(session, period=period, flow=flow)
    except DomainError as exc:
        return render(
            request,
            "statistics/direct_reporting.html",
            _context({**context, "error": exc.detail}),
            status_code=exc.status,
        )
    return render(
        request,
        "statistics/direct_reporting.html",
        _context({**context, "table": table, "grid": published_grid(table)}),
    )
