"""Demo data for the services-trade monitor.

- The UNCTAD digitally deliverable services panel (2010-2023, 206 economies) from the local
  fixtures when present: real data, with its source on every value.
- Shanghai and four districts, by EBOPS component, 2019-2025 annual and 2021-2026 quarterly:
  ILLUSTRATIVE numbers (Shanghai's official series by component are not published in a form
  the product can ship), labelled ``illustrative`` on every value and chart.
- Four illustrative enterprises' quarterly direct returns for 2026-Q2 (accepted) and 2026-Q3
  (one submitted, awaiting review), so the review queue and the disclosure-controlled table
  show something.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth import service as auth_service
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import OrganisationKind
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate
from digitrade.core.config import get_settings
from digitrade.systems.statistics import service
from digitrade.systems.statistics.schemas import ReturnLineIn, ReturnWrite

ILLUSTRATIVE_SOURCE = "Illustrative demonstration data (not official statistics)"
PANEL = "services-trade/unctad_dds_panel_2010_2023.csv"
PANEL_SOURCE = (
    "UNCTADstat, International trade in digitally deliverable services "
    "(US.DigitallyDeliverableServices), via World Bank Data360; panel by DevStackPH (2025), "
    "DOI 10.5281/zenodo.17971395, CC BY 4.0"
)

# Shanghai, 2019: exports and imports by EBOPS component, US$ millions (illustrative).
_BASE_2019: dict[str, tuple[int, int]] = {
    "SA": (2_100, 300),
    "SB": (1_500, 900),
    "SC": (17_800, 21_400),
    "SD": (4_200, 27_600),
    "SE": (1_300, 900),
    "SF": (1_100, 2_300),
    "SG": (1_900, 1_200),
    "SH": (900, 9_800),
    "SI": (9_600, 5_100),
    "SJ": (16_400, 12_900),
    "SK": (500, 900),
    "SL": (300, 600),
}
# Yearly growth factors 2020-2025 per component group (travel collapses in 2020-2022).
_GROWTH: dict[str, tuple[str, ...]] = {
    "SD": ("0.42", "0.95", "1.10", "2.10", "1.35", "1.12"),
    "SC": ("1.12", "1.38", "1.05", "0.82", "1.04", "1.03"),
    "*": ("1.04", "1.14", "1.08", "1.07", "1.08", "1.09"),
}
# Quarterly shares of the year (sum 1), a mild seasonal pattern.
_QUARTER_SHARE = (Decimal("0.23"), Decimal("0.25"), Decimal("0.25"), Decimal("0.27"))
_DRIFT = tuple(Decimal(text) for text in ("0.004", "-0.006", "0.002", "-0.003", "0.007"))
_DISTRICT_SHARE = {
    "CN-SH-310115": Decimal("0.46"),  # Pudong
    "CN-SH-310101": Decimal("0.12"),  # Huangpu
    "CN-SH-310104": Decimal("0.09"),  # Xuhui
    "CN-SH-310106": Decimal("0.08"),  # Jing'an
}


def _annual(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    values = {code: (Decimal(x), Decimal(m)) for code, (x, m) in _BASE_2019.items()}
    for step in range(year - 2019):
        for code, (x, m) in values.items():
            factor = Decimal(_GROWTH.get(code, _GROWTH["*"])[step])
            values[code] = (x * factor, m * factor)
    return {
        code: (x.quantize(Decimal(1)), m.quantize(Decimal(1))) for code, (x, m) in values.items()
    }


def illustrative_csv() -> str:
    """The illustrative Shanghai figures in the import template's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "economy",
            "period",
            "code",
            "flow",
            "value",
            "currency",
            "unit_multiplier",
            "basis",
            "status",
            "source",
        ]
    )

    def put(economy: str, period: str, code: str, x: Decimal, m: Decimal, basis: str) -> None:
        for flow, value in (("credit", x), ("debit", m)):
            writer.writerow(
                [
                    economy,
                    period,
                    code,
                    flow,
                    value,
                    "USD",
                    6,
                    basis,
                    "illustrative",
                    ILLUSTRATIVE_SOURCE,
                ]
            )

    for year in range(2019, 2026):
        for code, (x, m) in _annual(year).items():
            put("CN-SH", str(year), code, x, m, "itrs_provincial")
            if year >= 2023:
                for district, share in _DISTRICT_SHARE.items():
                    put(
                        district,
                        str(year),
                        code,
                        (x * share).quantize(Decimal(1)),
                        (m * share).quantize(Decimal(1)),
                        "itrs_provincial",
                    )
    # Quarters of 2021-2025, and 2026-Q1..Q3 so far (a year in progress for the nowcast).
    for year in range(2021, 2027):
        annual = _annual(min(year, 2025))
        lift = Decimal("1.08") if year == 2026 else Decimal(1)
        for quarter, base_share in enumerate(_QUARTER_SHARE, start=1):
            if year == 2026 and quarter == 4:
                break
            # Seasonality drifts a little from year to year, as real quarters do.
            share = base_share + _DRIFT[(year + quarter) % len(_DRIFT)]
            total_x = sum((x for x, _ in annual.values()), Decimal(0)) * share * lift
            total_m = sum((m for _, m in annual.values()), Decimal(0)) * share * lift
            put(
                "CN-SH",
                f"{year}-Q{quarter}",
                "S",
                total_x.quantize(Decimal(1)),
                total_m.quantize(Decimal(1)),
                "itrs_provincial",
            )
    return out.getvalue()


_ENTERPRISES = (
    (
        "xuhui-cloud-demo",
        "Xuhui Cloud Software Co. (demo)",
        "徐汇云软件有限公司（演示）",
        "CN-SH-310104",
    ),
    (
        "jingan-consulting-demo",
        "Jing'an Management Consulting Co. (demo)",
        "静安管理咨询有限公司（演示）",
        "CN-SH-310106",
    ),
    (
        "pudong-design-demo",
        "Pudong Engineering Design Co. (demo)",
        "浦东工程设计有限公司（演示）",
        "CN-SH-310115",
    ),
)

# (enterprise slug, district, period, [(code, partner, flow, US$)]): illustrative returns.
_RETURNS: tuple[tuple[str, str, str, list[tuple[str, str, str, str]]], ...] = (
    (
        "lingang-export-demo",
        "CN-SH-310115",
        "2026-Q2",
        [
            ("SJ31", "SGP", "credit", "1850000.00"),
            ("SI2", "USA", "credit", "420000.00"),
            ("SH", "DEU", "debit", "310000.00"),
        ],
    ),
    (
        "pudong-design-demo",
        "CN-SH-310115",
        "2026-Q2",
        [
            ("SJ31", "ARE", "credit", "2240000.00"),
            ("SI2", "SGP", "credit", "380000.00"),
            ("SH", "USA", "debit", "150000.00"),
        ],
    ),
    (
        "xuhui-cloud-demo",
        "CN-SH-310104",
        "2026-Q2",
        [
            ("SI21", "USA", "credit", "3150000.00"),
            ("SJ2", "HKG", "credit", "260000.00"),
            ("SI1", "SGP", "debit", "90000.00"),
        ],
    ),
    (
        "jingan-consulting-demo",
        "CN-SH-310106",
        "2026-Q2",
        [
            ("SJ21", "GBR", "credit", "1720000.00"),
            ("SI2", "JPN", "credit", "510000.00"),
            ("SH", "USA", "debit", "210000.00"),
        ],
    ),
    (
        "xuhui-cloud-demo",
        "CN-SH-310104",
        "2026-Q3",
        [("SI21", "USA", "credit", "3380000.00"), ("SI1", "SGP", "debit", "95000.00")],
    ),
)


def _organisation(session: Session, slug: str) -> int | None:
    return session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def _ensure_enterprises(session: Session, actor: Principal) -> None:
    for slug, name, name_zh, _district in _ENTERPRISES:
        if _organisation(session, slug) is None:
            auth_service.create_organisation(
                session,
                actor=actor,
                data=OrganisationCreate(
                    slug=slug,
                    name=name,
                    name_zh=name_zh,
                    kind=OrganisationKind.ENTERPRISE,
                    country="CN",
                ),
            )


def load_demo(session: Session, actor: Principal) -> str:
    steps = []
    panel = get_settings().fixtures_dir / PANEL
    if panel.is_file():
        result = service.import_file(
            session,
            actor=actor,
            data=panel.read_bytes(),
            filename=panel.name,
            source=PANEL_SOURCE,
        )
        steps.append(f"UNCTAD panel {result.rows:,} values")
    else:
        steps.append("UNCTAD panel not found (peer charts stay empty)")
    result = service.import_file(
        session,
        actor=actor,
        data=illustrative_csv().encode(),
        filename="shanghai-illustrative.csv",
        source=ILLUSTRATIVE_SOURCE,
    )
    steps.append(f"{result.rows:,} illustrative Shanghai values")
    _ensure_enterprises(session, actor)
    filed = 0
    for slug, district, period, lines in _RETURNS:
        organisation_id = _organisation(session, slug)
        if organisation_id is None:
            continue
        saved = service.save_return(
            session,
            actor=actor,
            organisation_id=organisation_id,
            data=ReturnWrite(
                period=period,
                district=district,
                lines=[
                    ReturnLineIn.model_validate({"code": c, "partner": p, "flow": f, "value": v})
                    for c, p, f, v in lines
                ],
            ),
            submit=True,
        )
        if period == "2026-Q2":
            service.review_return(session, actor=actor, return_id=saved.id, action="accept")
        filed += 1
    steps.append(f"{filed} illustrative direct returns")
    return "; ".join(steps)
