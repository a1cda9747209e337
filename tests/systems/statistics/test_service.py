"""The monitor's store on a real database: all-or-nothing imports with vintages, series, the
real UNCTAD panel, progress to the targets, nowcasts, direct returns and their disclosure
control, and permissions that leave nothing behind when they refuse."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from digitrade.core.audit import AuditEvent
from digitrade.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from digitrade.core.ledger.models import LedgerEntry
from digitrade.systems.statistics import disclosure, service
from digitrade.systems.statistics.models import DataImport, DirectReturn, Observation
from digitrade.systems.statistics.schemas import ReturnWrite, TargetCreate
from tests.support import official_fixture

HEADER = "economy,period,code,flow,value,currency,unit_multiplier,basis,status,source\n"
PANEL = "services-trade/unctad_dds_panel_2010_2023.csv"
REGIONS = "services-trade/unctad_dds_regional_aggregates.csv"

# Members as UNCTAD's regional aggregates count them (ASEAN 10, EU27, G7).
MEMBERS = {
    "ASEAN": "BRN KHM IDN LAO MYS MMR PHL SGP THA VNM",
    "EU27": "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
    "PRT ROU SVK SVN ESP SWE",
    "G7": "CAN FRA DEU ITA JPN GBR USA",
}


def template(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def import_bytes(db, actor, data: bytes, name: str = "figures.csv", **options):
    result = service.import_file(db, actor=actor, data=data, filename=name, **options)
    db.commit()
    return result


def services_rows(economy: str, values: dict[int, int]) -> list[str]:
    """Total services (S), exports and imports half each, US$ millions."""
    return [
        f"{economy},{year},S,{flow},{value / 2},USD,6,bop,official,test"
        for year, value in values.items()
        for flow in ("credit", "debit")
    ]


# Imports ---------------------------------------------------------------------------------------


def test_import_stores_values_anchors_the_file_and_audits(db, stats_world):
    result = import_bytes(
        db, stats_world.officer, template(*services_rows("CN-SH", {2023: 200_000, 2024: 220_000}))
    )
    assert result.committed and result.rows == 4 and result.new == 4
    assert count(db, Observation) == 4
    stored = db.get(DataImport, result.id)
    assert stored is not None and stored.ledger_index is not None
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.kind == service.IMPORT_KIND))
    assert entry is not None
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "statistics.import"))


def test_a_bad_row_refuses_the_whole_file_and_stores_nothing(db, stats_world):
    before = (count(db, Observation), count(db, DataImport), count(db, LedgerEntry))
    data = template(
        "CN-SH,2024,SI,credit,100,USD,6,bop,official,test",
        "CN-SH,2024,SZ,credit,100,USD,6,bop,official,test",  # unknown code
        "CN-SH,2024,SJ,credit,-5,USD,6,bop,official,test",  # negative
    )
    with pytest.raises(ValidationFailed) as refused:
        service.import_file(db, actor=stats_world.officer, data=data, filename="bad.csv")
    db.rollback()
    errors = refused.value.extra["errors"]
    assert {(e["line"], e["code"]) for e in errors} >= {(3, "unknown-code"), (4, "negative-value")}
    assert (count(db, Observation), count(db, DataImport), count(db, LedgerEntry)) == before


def test_preview_counts_and_writes_nothing(db, stats_world):
    import_bytes(db, stats_world.officer, template(*services_rows("CN-SH", {2024: 220_000})))
    preview = service.import_file(
        db,
        actor=stats_world.officer,
        data=template(*services_rows("CN-SH", {2024: 230_000, 2025: 240_000})),
        filename="next.csv",
        commit=False,
    )
    assert (preview.new, preview.revised, preview.unchanged) == (2, 2, 0)
    assert not preview.committed and preview.id is None
    assert count(db, Observation) == 2


def test_a_revision_is_a_new_vintage_and_history_keeps_the_old(db, stats_world):
    first = template("CN-SH,2024,SI,credit,100.5,USD,6,bop,preliminary,release 1")
    import_bytes(db, stats_world.officer, first)
    again = import_bytes(db, stats_world.officer, first)
    assert (again.new, again.revised, again.unchanged) == (0, 0, 1)
    # The same value in thousands is the same value: not a revision.
    same = import_bytes(
        db,
        stats_world.officer,
        template("CN-SH,2024,SI,credit,100500,USD,3,bop,preliminary,release 1"),
    )
    assert same.unchanged == 1
    revised = import_bytes(
        db, stats_world.officer, template("CN-SH,2024,SI,credit,104.25,USD,6,bop,official,rel 2")
    )
    assert revised.revised == 1
    history = service.observation_history(db, economy="CN-SH", code="SI", period="2024")
    assert [(h.vintage, h.value, h.status, h.current) for h in history] == [
        (1, "100.5", "preliminary", False),
        (2, "104.25", "official", True),
    ]
    series = service.series(db, economy="CN-SH", code="SI", flow="credit")
    assert [(p.period, p.value, p.vintage) for p in series.points] == [("2024", "104.25", 2)]


def test_importing_needs_an_agency(db, stats_world, world):
    data = template(*services_rows("CN-SH", {2024: 1}))
    for actor in (stats_world.reporters[0], world.outsider, stats_world.agency_viewer):
        with pytest.raises(PermissionDenied):
            service.import_file(db, actor=actor, data=data, filename="x.csv")
        db.rollback()
    assert count(db, Observation) == 0 and count(db, DataImport) == 0


# The real UNCTAD panel -------------------------------------------------------------------------


@pytest.fixture
def panel(db, stats_world):
    path = official_fixture(PANEL)
    return import_bytes(db, stats_world.officer, path.read_bytes(), name=path.name, source="UNCTAD")


def test_panel_values_as_published(db, panel):
    assert panel.format == "unctad-panel" and panel.rows == 5_256 and panel.skipped == 502
    china = service.series(db, economy="CHN", code="DDS", definition="unctad")
    by_year = {p.period: Decimal(p.value) for p in china.points}
    assert by_year["2019"] == Decimal(140_765 + 123_512)
    assert by_year["2023"] == Decimal(216_265 + 171_318)
    world = service.series(db, economy="WLD", code="DDS", flow="credit", definition="unctad")
    assert [p.value for p in world.points if p.period >= "2019"] == [
        "3274737",
        "3324128",
        "3905260",
        "4083964",
        "4462457",
    ]


def test_regional_totals_recomputed_from_member_economies(db, panel):
    """UNCTAD's ASEAN, EU27 and G7 sums equal the sums of their members' values in the panel,
    for every year where every member reported (the aggregates add reporting members only)."""
    values: dict[tuple[str, int, str], Decimal] = {}
    for record in db.execute(
        select(Observation.economy, Observation.year, Observation.flow, Observation.value).where(
            Observation.code == "DDS", Observation.current.is_(True)
        )
    ):
        values[(record.economy, record.year, record.flow)] = Decimal(record.value)
    checked = 0
    with official_fixture(REGIONS).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            members = MEMBERS[row["region"]].split()
            year = int(row["year"])
            for flow, column, reporting in (
                ("credit", "dig_services_exports_usd_millions_total", "num_reporting_exports"),
                ("debit", "dig_services_imports_usd_millions_total", "num_reporting_imports"),
            ):
                present = [values[(m, year, flow)] for m in members if (m, year, flow) in values]
                assert len(present) == int(row[reporting])
                assert sum(present, Decimal(0)) == Decimal(row[column]), (row["region"], year)
                checked += 1
    assert checked == 84


def test_peer_series_name_their_definition(db, panel):
    peers = service.peer_series(db, economies=["CHN", "SGP"])
    assert {(p["economy"], p["definition"]) for p in peers} == {
        ("CHN", "unctad"),
        ("SGP", "unctad"),
    }


# Progress --------------------------------------------------------------------------------------


def test_progress_contract_and_hand_computed_figures(db, stats_world):
    # Services X+M: 100,000 in 2019 and 200,000 in 2024 (US$ m); target 260,000 in 2029.
    import_bytes(
        db, stats_world.officer, template(*services_rows("CN-SH", {2019: 100_000, 2024: 200_000}))
    )
    report = service.progress(db, economy="CN-SH", definition="mofcom_wto")
    body = report.model_dump(mode="json")
    assert {"economy", "definition", "latest_year", "targets"} <= body.keys()
    assert body["economy"] == "CN-SH" and body["latest_year"] == 2024
    services = next(t for t in body["targets"] if t["indicator"] == "services_total")
    assert {
        "indicator",
        "target_year",
        "target_value",
        "latest_value",
        "required_cagr",
        "observed_cagr",
        "on_track",
        "projected_year",
    } <= services.keys()
    # (260/200)^(1/5) - 1 = 0.053874; (200/100)^(1/5) - 1 = 0.148698.
    assert services["required_cagr"] == "0.053874"
    assert services["observed_cagr"] == "0.148698"
    assert services["on_track"] is True
    # 200,000 x 1.148698^n >= 260,000 first at n = 2 (1.89 rounded up).
    assert services["projected_year"] == 2026
    dds = next(t for t in body["targets"] if t["indicator"] == "dds_total")
    assert dds["latest_value"] is None and dds["on_track"] is None  # no components, no DDS


def test_dds_from_components_under_each_definition(db, stats_world):
    rows = []
    components = {"SC": 50, "SD": 30, "SF": 5, "SG": 10, "SH": 8, "SI": 20, "SJ": 25}
    components |= {"SA": 1, "SB": 1, "SE": 1, "SL": 1}
    for code, value in components.items():
        for flow in ("credit", "debit"):
            rows.append(f"CN-SH,2024,{code},{flow},{value},USD,9,bop,official,test")
    # SK given by sub-items only: SK1 audiovisual 4, SK2 other personal 2 (US$ bn each flow).
    for code, value in (("SK1", 4), ("SK2", 2)):
        for flow in ("credit", "debit"):
            rows.append(f"CN-SH,2024,{code},{flow},{value},USD,9,bop,official,test")
    import_bytes(db, stats_world.officer, template(*rows))
    mofcom = service.annual_indicators(db, economy="CN-SH", definition="mofcom_wto")
    unctad = service.annual_indicators(db, economy="CN-SH", definition="unctad")
    # X+M in millions: MOFCOM SF..SK = 2 x (5+10+8+20+25+6) bn; UNCTAD takes SK1 only.
    assert mofcom.dds[2024].value == Decimal(2 * 74_000)
    assert unctad.dds[2024].value == Decimal(2 * 72_000)
    assert mofcom.services[2024].value == Decimal(2 * 158_000)  # SA..SL, SK from sub-items


def test_user_targets_are_data(db, stats_world):
    data = TargetCreate(
        key="pudong-2029-services",
        economy="CN-SH-310115",
        indicator="services_total",
        target_year=2029,
        target_value="120000",
        label_en="Pudong services trade",
        citation="District plan (illustrative)",
    )
    with pytest.raises(PermissionDenied):
        service.create_target(db, actor=stats_world.reporters[0], data=data)
    db.rollback()
    service.create_target(db, actor=stats_world.officer, data=data)
    db.commit()
    keys = {t.key for t in service.list_targets(db, economy="CN-SH-310115")}
    assert keys == {"pudong-2029-services"}
    with pytest.raises(ValidationFailed):
        service.create_target(
            db, actor=stats_world.officer, data=data.model_copy(update={"key": "shanghai-2029-dds"})
        )


# Nowcast ---------------------------------------------------------------------------------------


def test_nowcast_from_the_quarters_so_far(db, stats_world):
    rows = []
    for year in (2023, 2024, 2025):
        for quarter, value in enumerate((20, 25, 25, 30), start=1):
            for flow in ("credit", "debit"):
                rows.append(f"CN-SH,{year}-Q{quarter},S,{flow},{value},USD,9,bop,official,t")
    for quarter, value in enumerate((22, 27.5), start=1):  # 2026: 10 percent up so far
        for flow in ("credit", "debit"):
            rows.append(f"CN-SH,2026-Q{quarter},S,{flow},{value},USD,9,bop,official,t")
    import_bytes(db, stats_world.officer, template(*rows))
    estimate = service.nowcast(db, economy="CN-SH")
    assert estimate["year"] == 2026 and estimate["label"] == "nowcast"
    assert estimate["periods_used"] == 2
    # Stable seasonality: both methods give 1.1 x 200,000 = 220,000 (US$ m, X+M).
    assert Decimal(estimate["value"]) == Decimal(220_000)
    assert Decimal(estimate["low"]) <= Decimal(estimate["value"]) <= Decimal(estimate["high"])


# Direct reporting ------------------------------------------------------------------------------


def a_return(period="2026-Q2", district="CN-SH-310115", lines=None) -> ReturnWrite:
    return ReturnWrite.model_validate(
        {
            "period": period,
            "district": district,
            "lines": lines
            or [
                {"code": "SI2", "partner": "USA", "flow": "credit", "value": "100000.00"},
                {"code": "SJ31", "partner": "SGP", "flow": "credit", "value": "50000.00"},
            ],
        }
    )


def test_return_lifecycle_with_query_and_acceptance(db, stats_world):
    firm, reporter = stats_world.enterprises[0], stats_world.reporters[0]
    saved = service.save_return(db, actor=reporter, organisation_id=firm, data=a_return())
    assert saved.status == "draft" and saved.credit_total == "150000.00"
    submitted = service.submit_return(db, actor=reporter, return_id=saved.id)
    assert submitted.status == "submitted"
    with pytest.raises(ValidationFailed):  # a query must say what to check
        service.review_return(db, actor=stats_world.officer, return_id=saved.id, action="query")
    queried = service.review_return(
        db, actor=stats_world.officer, return_id=saved.id, action="query", note="SI2 looks high"
    )
    assert queried.status == "queried" and queried.query_note == "SI2 looks high"
    corrected = service.save_return(
        db, actor=reporter, organisation_id=firm, data=a_return(), submit=True
    )
    assert corrected.status == "submitted"
    accepted = service.review_return(
        db, actor=stats_world.officer, return_id=saved.id, action="accept"
    )
    assert accepted.status == "accepted"
    with pytest.raises(ValidationFailed):  # accepted returns are final
        service.save_return(db, actor=reporter, organisation_id=firm, data=a_return())
    with pytest.raises(InvalidTransition):
        service.review_return(
            db, actor=stats_world.officer, return_id=saved.id, action="query", note="again"
        )


def test_returns_permissions_leave_nothing_behind(db, stats_world, world):
    firm = stats_world.enterprises[0]
    audit_before = count(db, AuditEvent)
    for actor in (stats_world.reporters[1], stats_world.officer, world.outsider):
        with pytest.raises(PermissionDenied):
            service.save_return(db, actor=actor, organisation_id=firm, data=a_return())
        db.rollback()
    assert count(db, DirectReturn) == 0 and count(db, AuditEvent) == audit_before
    saved = service.save_return(
        db, actor=stats_world.reporters[0], organisation_id=firm, data=a_return(), submit=True
    )
    db.commit()
    for actor in (stats_world.reporters[0], stats_world.reporters[1], stats_world.agency_viewer):
        with pytest.raises(PermissionDenied):  # enterprises cannot review, nor agency viewers
            service.review_return(db, actor=actor, return_id=saved.id, action="accept")
        db.rollback()
    assert db.get(DirectReturn, saved.id).status == "submitted"
    # An enterprise sees only its own returns; the agency sees them all.
    assert service.list_returns(db, actor=stats_world.reporters[1]) == []
    assert len(service.list_returns(db, actor=stats_world.officer)) == 1


def test_bad_returns_are_refused(db, stats_world):
    firm, reporter = stats_world.enterprises[0], stats_world.reporters[0]
    bad = [
        a_return(district="CN-SH-999999"),
        a_return(lines=[{"code": "S", "flow": "credit", "value": "1.00"}]),
        a_return(lines=[{"code": "SI2", "flow": "credit", "value": "-1.00"}]),
        a_return(lines=[{"code": "SI2", "flow": "credit", "value": "1.001"}]),
        a_return(
            lines=[
                {"code": "SI2", "flow": "credit", "value": "1.00"},
                {"code": "SI2", "flow": "credit", "value": "2.00"},
            ]
        ),
    ]
    for data in bad:
        with pytest.raises(ValidationFailed):
            service.save_return(db, actor=reporter, organisation_id=firm, data=data)
        db.rollback()
    assert count(db, DirectReturn) == 0


def file_and_accept(db, stats_world, n: int, district: str, lines: list[dict]) -> None:
    saved = service.save_return(
        db,
        actor=stats_world.reporters[n],
        organisation_id=stats_world.enterprises[n],
        data=a_return(district=district, lines=lines),
        submit=True,
    )
    service.review_return(db, actor=stats_world.officer, return_id=saved.id, action="accept")
    db.commit()


def test_published_table_suppresses_and_nothing_suppressed_can_be_recovered(db, stats_world):
    pudong, xuhui = "CN-SH-310115", "CN-SH-310104"
    # Three firms in Pudong; one firm alone in Xuhui (fewer than 3 contributors).
    for n, value in enumerate(("100.00", "120.00", "90.00")):
        file_and_accept(
            db,
            stats_world,
            n,
            pudong,
            [
                {"code": "SI2", "flow": "credit", "value": value},
                {"code": "SJ1", "flow": "credit", "value": "40.00"},
            ],
        )
    file_and_accept(
        db, stats_world, 3, xuhui, [{"code": "SI21", "flow": "credit", "value": "500.00"}]
    )
    table = service.published_table(db, period="2026-Q2", flow="credit")
    cells = {(c.district, c.code): c for c in table.cells}
    assert (cells[(pudong, "SI")].value, cells[(pudong, "SJ")].value) == ("310.00", "120.00")
    assert cells[(xuhui, "SI")].value is None
    assert cells[(xuhui, "SI")].suppressed == "few-contributors"
    # Xuhui's only cell could be read off its district total, the SI total or the grand total:
    # all three are withheld, the Pudong figures are published.
    assert table.district_totals == {pudong: "430.00", xuhui: None}
    assert table.code_totals == {"SI": None, "SJ": "120.00"}
    assert table.total is None
    # Only published cells became observations.
    stored = {
        (r.economy, r.code)
        for r in db.execute(
            select(Observation.economy, Observation.code).where(
                Observation.basis == "direct_reporting", Observation.current.is_(True)
            )
        )
    }
    assert (pudong, "SI") in stored and (xuhui, "SI") not in stored
    assert ("CN-SH", "S") not in stored and ("CN-SH", "SJ") in stored


def test_secondary_suppression_hides_a_complement(db, stats_world):
    """Two districts, two components, one sensitive cell: the row and column each need a
    second suppressed cell, so the complements are suppressed too (reason ``secondary``)."""
    pudong, xuhui = "CN-SH-310115", "CN-SH-310104"
    for n in range(3):
        file_and_accept(
            db,
            stats_world,
            n,
            pudong,
            [
                {"code": "SI2", "flow": "credit", "value": f"{100 + n}.00"},
                {"code": "SJ1", "flow": "credit", "value": "40.00"},
            ],
        )
    file_and_accept(
        db,
        stats_world,
        3,
        xuhui,
        [
            {"code": "SI21", "flow": "credit", "value": "500.00"},
            {"code": "SJ2", "flow": "credit", "value": "70.00"},
        ],
    )
    table = service.published_table(db, period="2026-Q2", flow="credit")
    reasons = {(c.district, c.code): c.suppressed for c in table.cells}
    assert reasons[(xuhui, "SI")] == reasons[(xuhui, "SJ")] == "few-contributors"
    published = disclosure.PublishedTable(
        rows=(pudong, xuhui),
        columns=("SI", "SJ"),
        cells={
            (c.district, c.code): disclosure.PublishedCell(
                None if c.value is None else Decimal(c.value), c.suppressed
            )
            for c in table.cells
        },
        row_totals={k: Decimal(v) for k, v in table.district_totals.items() if v is not None},
        column_totals={k: Decimal(v) for k, v in table.code_totals.items() if v is not None},
        grand_total=Decimal(table.total or 0),
    )
    if table.total is not None and None not in table.district_totals.values():
        suppressed = {key for key, reason in reasons.items() if reason}
        assert not disclosure.recoverable_cells(published) & suppressed
    else:  # totals withheld instead: the sensitive cells appear in no published equation
        assert table.district_totals[xuhui] is None


def test_published_values_sum_the_accepted_returns(db, stats_world):
    district = "CN-SH-310115"
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for n in range(3):
        lines = [
            {"code": "SI2", "flow": "credit", "value": f"{100 + n * 10}.00"},
            {"code": "SJ1", "flow": "credit", "value": f"{80 + n * 5}.00"},
        ]
        for line in lines:
            totals[line["code"][:2]] += Decimal(line["value"])
        file_and_accept(db, stats_world, n, district, lines)
    table = service.published_table(db, period="2026-Q2", flow="credit")
    published = {c.code: c.value for c in table.cells}
    assert published == {code: f"{value:.2f}" for code, value in totals.items()}
    assert table.returns == 3
    with pytest.raises(ValidationFailed):
        service.published_table(db, period="2026", flow="credit")


def test_template_round_trip(db, stats_world):
    text = service.template_bytes(".csv").decode()
    header = next(csv.reader(io.StringIO(text)))
    assert header[:4] == ["economy", "period", "code", "flow"]
    assert service.template_bytes(".xlsx")[:2] == b"PK"


def test_digitally_delivered_estimate_from_mode_1_values(db, stats_world):
    """WTO method: each category times its Mode 1 share; with Mode 1 values supplied, the
    estimate is their sum, and only when every category has one."""
    total = {"SF": 10, "SG": 20, "SH": 8, "SI1": 3, "SI2": 30, "SI3": 2, "SJ": 40, "SK": 4}
    mode1 = {"SF": 4, "SG": 9, "SH": 8, "SI1": 2, "SI2": 27, "SI3": 2, "SJ": 18, "SK": 1}
    rows = []
    for code in total:
        for flow in ("credit", "debit"):
            rows.append(f"CN-SH,2025,{code},{flow},{total[code]},USD,9,bop,official,t")
    rows.append("CN-SH,2025,SA,credit,1,USD,9,bop,official,t")
    header = HEADER.strip() + ",mode\n"
    mode_rows = "".join(
        f"CN-SH,2025,{code},{flow},{mode1[code]},USD,9,bop,official,t,1\n"
        for code in mode1
        for flow in ("credit", "debit")
    )
    import_bytes(db, stats_world.officer, template(*rows))
    import_bytes(db, stats_world.officer, (header + mode_rows).encode(), name="mode1.csv")
    indicators = service.annual_indicators(db, economy="CN-SH", definition="mofcom_wto")
    assert indicators.delivered[2025].value == Decimal(2 * sum(mode1.values()) * 1000)
    assert indicators.delivered[2025].derived_from == "mode1"
    dashboard = service.dashboard(db, economy="CN-SH")
    assert dashboard["delivered"][0]["definition"] == "wto_mode1"
