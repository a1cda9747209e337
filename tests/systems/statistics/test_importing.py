"""Importers: real UNCTAD fixtures, every error code, the XLSX template round trip."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from digitrade.systems.statistics.importing import (
    FORMAT_SDMX_CSV,
    FORMAT_TEMPLATE,
    FORMAT_UNCTAD_PANEL,
    TEMPLATE_COLUMNS,
    ImportFileError,
    ImportPreview,
    detect_format,
    read_any,
    read_sdmx_csv,
    read_template_csv,
    read_template_xlsx,
    read_unctad_panel,
    write_template_csv,
    write_template_xlsx,
)
from digitrade.systems.statistics.observation import Basis, Flow, Period, Status
from tests.support import official_fixture

COMPONENTS = {f"S{letter}" for letter in "ABCDEFGHIJKL"}
KNOWN = COMPONENTS | {"SI1", "SI2", "SI3", "SJ1", "SJ2", "S", "SOX", "SPX4", "DDS"}


def known(code: str) -> bool:
    return code in KNOWN


HEADER = "economy,period,code,flow,value,currency,unit_multiplier,basis,status,source"
GOOD = "CN-SH,2024-Q3,SI2,credit,1234.5,USD,6,itrs_provincial,preliminary,SCOFCOM"


def template(*lines: str, header: str = HEADER) -> ImportPreview:
    return read_template_csv(
        io.StringIO("\n".join([header, *lines]) + "\n"), source="upload", known_code=known
    )


def codes(preview: ImportPreview) -> list[tuple[int, str | None, str]]:
    return [(e.line, e.column, e.code) for e in preview.errors]


# --- real fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def panel() -> ImportPreview:
    path = official_fixture("services-trade/unctad_dds_panel_2010_2023.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return read_unctad_panel(handle, source="UNCTADstat via DevStackPH panel")


@pytest.fixture(scope="module")
def sdmx() -> ImportPreview:
    path = official_fixture("services-trade/unctad_dds_data360_sdmx_extract.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return read_sdmx_csv(handle, source="World Bank Data360")


def test_panel_rows_and_gaps(panel: ImportPreview) -> None:
    assert panel.ok, panel.errors[:5]
    assert panel.format == FORMAT_UNCTAD_PANEL
    assert panel.line_count == 2879
    # 2,879 economy-years x 2 flows, less the empty cells UNCTAD leaves (270 exports, 232 imports)
    assert panel.skipped == 270 + 232
    assert panel.skip_reasons == {"gap": 502}
    assert len(panel.rows) == 2 * 2879 - 502
    assert sum(r.flow is Flow.CREDIT for r in panel.rows) == 2609
    # 206 iso3 codes in the file; Eritrea, Somalia and Turkmenistan have no value in any year
    assert len({r.economy for r in panel.rows}) == 206 - 3
    assert not {"ERI", "SOM", "TKM"} & {r.economy for r in panel.rows}


def test_panel_china_values(panel: ImportPreview) -> None:
    china = {(str(r.period), r.flow): r for r in panel.rows if r.economy == "CHN"}
    x2019 = china[("2019", Flow.CREDIT)]
    assert x2019.value == Decimal("140765.0")
    assert x2019.in_millions() == Decimal(140765)
    assert (x2019.code, x2019.definition, x2019.currency, x2019.unit_multiplier) == (
        "DDS",
        "unctad",
        "USD",
        6,
    )
    assert (x2019.basis, x2019.status) == (Basis.BOP, Status.OFFICIAL)
    assert china[("2019", Flow.DEBIT)].value == Decimal(123512)
    assert china[("2023", Flow.DEBIT)].value == Decimal(171318)
    assert china[("2023", Flow.CREDIT)].value == Decimal(216265)


def test_panel_world_exports(panel: ImportPreview) -> None:
    world = {
        r.period.year: r.value for r in panel.rows if r.economy == "WLD" and r.flow is Flow.CREDIT
    }
    assert [world[y] for y in range(2019, 2024)] == [
        Decimal(v) for v in (3274737, 3324128, 3905260, 4083964, 4462457)
    ]


def test_sdmx_extract(sdmx: ImportPreview) -> None:
    assert sdmx.ok, sdmx.errors[:5]
    assert sdmx.format == FORMAT_SDMX_CSV
    assert sdmx.line_count == 8156
    assert sdmx.skip_reasons["gap"] == 465
    skipped_indicators = sdmx.skipped_indicators
    assert len(skipped_indicators) == 12
    assert sum(skipped_indicators.values()) == 2435
    assert all(not name.startswith("UNCTAD_DE_DIG_SERVTRADE") for name in skipped_indicators)
    assert sdmx.skipped == 465 + 2435
    assert len(sdmx.rows) == 5721 - 465
    assert {(r.currency, r.unit_multiplier, r.code, r.definition) for r in sdmx.rows} == {
        ("USD", 6, "DDS", "unctad")
    }


def test_sdmx_agrees_with_panel(panel: ImportPreview, sdmx: ImportPreview) -> None:
    from_panel = {(r.economy, r.period, r.flow): r.value for r in panel.rows}
    from_sdmx = {(r.economy, r.period, r.flow): r.value for r in sdmx.rows}
    # Same DDS observations, same values, across the whole file.
    assert from_sdmx.keys() == from_panel.keys()
    assert [k for k in from_panel if from_panel[k] != from_sdmx[k]] == []
    # The extra REF_AREA (AND, Andorra) has only ICT-usage indicators, which are skipped.
    path = official_fixture("services-trade/unctad_dds_data360_sdmx_extract.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        areas = {row["REF_AREA"] for row in csv.DictReader(handle)}
    assert areas - {r.economy for r in panel.rows} - {"ERI", "SOM", "TKM"} == {"AND"}
    assert "AND" not in {r.economy for r in sdmx.rows}


def test_read_any_detects_fixture_formats() -> None:
    for name, fmt in (
        ("unctad_dds_panel_2010_2023.csv", FORMAT_UNCTAD_PANEL),
        ("unctad_dds_data360_sdmx_extract.csv", FORMAT_SDMX_CSV),
    ):
        preview = read_any(official_fixture(f"services-trade/{name}"), source="s", known_code=known)
        assert preview.format == fmt
        assert preview.ok


# --- template CSV ---------------------------------------------------------------------------


def test_good_template_row() -> None:
    preview = template(GOOD)
    assert preview.ok
    assert preview.line_count == 1
    (row,) = preview.rows
    assert row.economy == "CN-SH"
    assert row.period == Period.parse("2024-Q3")
    assert (row.code, row.flow, row.value) == ("SI2", Flow.CREDIT, Decimal("1234.5"))
    assert (row.basis, row.status, row.source, row.partner) == (
        Basis.ITRS_PROVINCIAL,
        Status.PRELIMINARY,
        "SCOFCOM",
        "W00",
    )


@pytest.mark.parametrize(
    ("spelling", "flow"),
    [
        ("credit", Flow.CREDIT),
        ("X", Flow.CREDIT),
        ("c", Flow.CREDIT),
        ("Exports", Flow.CREDIT),
        ("debit", Flow.DEBIT),
        ("M", Flow.DEBIT),
        ("D", Flow.DEBIT),
        ("imports", Flow.DEBIT),
    ],
)
def test_flow_spellings(spelling: str, flow: Flow) -> None:
    preview = template(GOOD.replace("credit", spelling))
    assert preview.rows[0].flow is flow


def test_optional_columns_and_source_fallback() -> None:
    header = HEADER + ",mode,partner,definition"
    preview = template(
        "CHN,2024-07,DDS,debit,10,CNY,8,bop,official,,1,usa,mofcom_wto_sk",
        "chn,2024,sj1,x,0,usd,3,direct_reporting,nowcast,NBS,,,",
        header=header,
    )
    assert preview.ok, preview.errors
    first, second = preview.rows
    assert (first.mode, first.partner, first.definition, first.source) == (
        1,
        "USA",
        "mofcom_wto_sk",
        "upload",
    )
    assert first.period == Period.parse("2024-07")
    assert (second.economy, second.code, second.mode, second.partner) == ("CHN", "SJ1", None, "W00")


@pytest.mark.parametrize(
    ("line", "column", "code"),
    [
        (GOOD.replace("SI2", "SZ9"), "code", "unknown-code"),
        (GOOD.replace("credit", "balance"), "flow", "unknown-flow"),
        (GOOD.replace("2024-Q3", "2024-Q5"), "period", "bad-period"),
        (GOOD.replace("2024-Q3", "24"), "period", "bad-period"),
        (GOOD.replace("1234.5", '"1,234.5"'), "value", "bad-number"),
        (GOOD.replace("1234.5", "NaN"), "value", "bad-number"),
        (GOOD.replace(",6,", ",six,"), "unit_multiplier", "bad-number"),
        (GOOD.replace("1234.5", "-1"), "value", "negative-value"),
        (GOOD.replace("1234.5", ""), "value", "missing-value"),
        (GOOD.replace("2024-Q3", " "), "period", "missing-value"),
        (GOOD.replace("USD", "US$"), "currency", "bad-currency"),
        (GOOD.replace("CN-SH", "Shanghai"), "economy", "bad-economy"),
        (GOOD.replace("itrs_provincial", "survey"), "basis", "bad-basis"),
        (GOOD.replace("preliminary", "final"), "status", "bad-status"),
    ],
)
def test_error_codes(line: str, column: str, code: str) -> None:
    preview = template(line)
    assert codes(preview) == [(2, column, code)]  # header is line 1, the row is line 2
    assert preview.rows == []
    assert not preview.ok


def test_bad_partner_and_mode() -> None:
    header = HEADER + ",mode,partner"
    preview = template(GOOD + ",5,World", header=header)
    assert codes(preview) == [(2, "mode", "bad-number"), (2, "partner", "bad-economy")]


def test_several_errors_in_one_row_are_all_reported() -> None:
    preview = template("CN-SH,2024-Q9,XX,sideways,abc,USD,6,bop,official,s")
    assert {e.code for e in preview.errors} == {
        "bad-period",
        "unknown-code",
        "unknown-flow",
        "bad-number",
    }


def test_missing_column() -> None:
    preview = template(GOOD, header=HEADER.replace(",currency", ""))
    assert codes(preview) == [(1, "currency", "missing-column")]
    assert "currency" in preview.errors[0].message
    assert preview.line_count == 0


def test_duplicate() -> None:
    preview = template(GOOD, GOOD.replace("1234.5", "99"))
    assert codes(preview) == [(3, None, "duplicate")]
    assert len(preview.rows) == 1
    # a different basis or partner is a different observation
    other_basis = GOOD.replace("itrs_provincial", "direct_reporting")
    assert template(GOOD, other_basis).ok


def test_unit_mismatch() -> None:
    preview = template(
        GOOD,
        GOOD.replace("2024-Q3", "2024-Q4").replace(",6,", ",3,"),
        GOOD.replace("2024-Q3", "2024-Q2").replace("USD", "CNY"),
        GOOD.replace("2024-Q3", "2024-Q1").replace("credit", "debit").replace(",6,", ",3,"),
    )
    assert codes(preview) == [
        (3, "unit_multiplier", "unit-mismatch"),
        (4, "currency", "unit-mismatch"),
    ]
    assert len(preview.rows) == 2  # the debit series is a separate series


def test_too_many_rows() -> None:
    lines = [GOOD.replace("2024-Q3", f"{2000 + i}") for i in range(5)]
    preview = read_template_csv(
        io.StringIO("\n".join([HEADER, *lines])), source="s", known_code=known, max_rows=3
    )
    assert codes(preview) == [(5, None, "too-many-rows")]
    assert len(preview.rows) == 3
    assert preview.line_count == 3


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    preview = template("", GOOD, ",,,,,,,,,", GOOD.replace("SI2", "nope"))
    assert preview.skipped == 2
    assert preview.skip_reasons == {"blank-line": 2}
    assert codes(preview) == [(5, "code", "unknown-code")]


def test_multiline_quoted_field_keeps_line_numbers() -> None:
    quoted = GOOD.replace("SCOFCOM", '"SCOFCOM\nrelease"')
    preview = template(quoted, GOOD.replace("SI2", "nope"))
    assert preview.rows[0].source == "SCOFCOM\nrelease"
    assert codes(preview) == [(4, "code", "unknown-code")]


def test_short_row_reports_missing_values() -> None:
    preview = template("CN-SH,2024,SI2")
    assert {e.column for e in preview.errors} == {
        "flow",
        "value",
        "currency",
        "unit_multiplier",
        "basis",
        "status",
    }
    assert {e.code for e in preview.errors} == {"missing-value"}


def test_errors_are_capped_but_counted() -> None:
    lines = [GOOD.replace("SI2", "bad") for _ in range(20)]
    preview = read_template_csv(
        io.StringIO("\n".join([HEADER, *lines])), source="s", known_code=known, max_errors=5
    )
    assert len(preview.errors) == 5
    assert preview.error_total == 20


def test_bom_in_text_and_bytes() -> None:
    data = "\ufeff" + HEADER + "\n" + GOOD + "\n"
    assert template_text(data).ok
    preview = read_any(io.BytesIO(data.encode("utf-8")), "upload.csv", source="s", known_code=known)
    assert preview.ok
    assert preview.format == FORMAT_TEMPLATE
    assert preview.rows[0].economy == "CN-SH"


def template_text(data: str) -> ImportPreview:
    return read_template_csv(io.StringIO(data), source="s", known_code=known)


def test_progress_callback() -> None:
    lines = [GOOD.replace("2024-Q3", f"{1900 + i}") for i in range(25)]
    seen: list[int] = []
    preview = read_template_csv(
        io.StringIO("\n".join([HEADER, *lines])),
        source="s",
        known_code=known,
        progress=seen.append,
        progress_every=10,
    )
    assert preview.ok
    assert seen == [10, 20, 25]


def test_on_row_streams_instead_of_keeping() -> None:
    out: list[object] = []
    preview = read_template_csv(
        io.StringIO(HEADER + "\n" + GOOD), source="s", known_code=known, on_row=out.append
    )
    assert preview.rows == []
    assert len(out) == 1


def test_detect_format() -> None:
    assert detect_format(HEADER.split(",")) == FORMAT_TEMPLATE
    assert detect_format(["\ufeffcountry", "iso3", "year", *PANEL_VALUES]) == FORMAT_UNCTAD_PANEL
    assert detect_format(["STRUCTURE", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"]) == (
        FORMAT_SDMX_CSV
    )
    assert detect_format(["something", "else"]) == FORMAT_TEMPLATE


PANEL_VALUES = ["dig_services_exports_usd_millions", "dig_services_imports_usd_millions"]


def test_write_template_csv_reads_back() -> None:
    buffer = io.StringIO()
    write_template_csv(buffer)
    header, _example = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert tuple(header) == TEMPLATE_COLUMNS
    preview = template_text(buffer.getvalue())
    assert preview.ok
    assert preview.rows[0].status is Status.ILLUSTRATIVE  # the example is labelled as such


def test_read_any_rejects_other_extensions(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text(HEADER)
    with pytest.raises(ImportFileError):
        read_any(path, source="s", known_code=known)


def test_empty_file() -> None:
    preview = template_text("")
    assert codes(preview) == [(1, None, "missing-column")]


# --- panel and SDMX error handling ----------------------------------------------------------


def test_panel_errors_and_gaps() -> None:
    data = (
        "country,iso3,year,dig_services_exports_usd_millions,dig_services_imports_usd_millions\n"
        "A,ABW,2010,83.0,\n"
        "B,ABW,20x0,1,2\n"
        "C,??,2011,1,2\n"
        "D,ABW,2012,-1,abc\n"
        "A,ABW,2010,5,6\n"
    )
    preview = read_unctad_panel(io.StringIO(data), source="s")
    assert preview.skip_reasons == {"gap": 1}
    assert codes(preview) == [
        (3, "year", "bad-period"),
        (4, "iso3", "bad-economy"),
        (5, "dig_services_exports_usd_millions", "negative-value"),
        (5, "dig_services_imports_usd_millions", "bad-number"),
        (6, None, "duplicate"),
    ]
    assert [(r.flow, r.value) for r in preview.rows] == [
        (Flow.CREDIT, Decimal("83.0")),
        (Flow.DEBIT, Decimal(6)),
    ]


def test_panel_missing_column() -> None:
    preview = read_unctad_panel(io.StringIO("country,iso3,year\nA,ABW,2010\n"), source="s")
    assert [e.code for e in preview.errors] == ["missing-column"]


SDMX_HEADER = "REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT,UNIT_MEASURE,OBS_STATUS"


def test_sdmx_errors() -> None:
    data = "\n".join(
        [
            SDMX_HEADER,
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_EXP,2019,140765.0,6,USD,A",
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_EXP,2020,,6,USD,O",
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_EXP,2021,,6,USD,A",
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_IMP,2019,1,3,USD,A",
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_IMP,2018,1,6,percent,A",
            "CHN,UNCTAD_DE_ICT_CORE_UBS_ANN_ALL_B1,2019,55.1,0,PT_BS,A",
            "CHN,UNCTAD_DE_DIG_SERVTRADE_ANN_IMP,2019,,6,USD,O",
        ]
    )
    preview = read_sdmx_csv(io.StringIO(data), source="s")
    assert codes(preview) == [
        (4, "OBS_VALUE", "missing-value"),
        (6, "UNIT_MEASURE", "bad-currency"),
    ]
    assert preview.skip_reasons == {"gap": 2, "indicator:UNCTAD_DE_ICT_CORE_UBS_ANN_ALL_B1": 1}
    first, second = preview.rows
    assert second.unit_multiplier == 3
    assert second.in_millions() == Decimal("0.001")
    assert first.flow is Flow.CREDIT


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_template_round_trip() -> None:
    blank = io.BytesIO()
    write_template_xlsx(blank)
    blank.seek(0)
    workbook = load_workbook(blank)
    assert workbook.sheetnames == ["data", "instructions"]
    sheet = workbook["data"]
    header = [cell.value for cell in sheet[1]]
    assert tuple(header) == TEMPLATE_COLUMNS
    sheet.delete_rows(2)  # the official removes the example...
    column = {name: index for index, name in enumerate(header)}

    def put(**values: object) -> None:
        row: list[object] = [None] * len(header)
        for name, value in values.items():
            row[column[name]] = value
        sheet.append(row)

    common = {"currency": "USD", "unit_multiplier": 6, "basis": "bop", "status": "official"}
    put(economy="CHN", period=2019, code="DDS", flow="X", value=140765, source="UNCTAD", **common)
    put(economy="CHN", period="2019", code="DDS", flow="M", value=123512.5, source="", **common)
    put(economy="CHN", period=2020, code="SI2", flow="X", value=0.1, source="x", **common)
    put(economy="CHN", period=2020, code="nope", flow="X", value=1, source="x", **common)
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)

    preview = read_any(filled, "returns.xlsx", source="upload", known_code=known)
    assert preview.format == FORMAT_TEMPLATE
    assert codes(preview) == [(5, "code", "unknown-code")]
    values = [(r.flow, r.value, r.source, str(r.period)) for r in preview.rows]
    assert values == [
        (Flow.CREDIT, Decimal(140765), "UNCTAD", "2019"),
        (Flow.DEBIT, Decimal("123512.5"), "upload", "2019"),
        (Flow.CREDIT, Decimal("0.1"), "x", "2020"),  # not 0.1000000000000000055...
    ]


def test_xlsx_example_row_reads_as_illustrative() -> None:
    blank = io.BytesIO()
    write_template_xlsx(blank)
    blank.seek(0)
    preview = read_template_xlsx(blank, source="s", known_code=known)
    assert preview.ok
    assert preview.rows[0].status is Status.ILLUSTRATIVE


def test_xlsx_size_limit_and_garbage() -> None:
    blank = io.BytesIO()
    write_template_xlsx(blank)
    blank.seek(0)
    preview = read_template_xlsx(blank, source="s", known_code=known, max_bytes=100)
    assert [e.code for e in preview.errors] == ["file-too-large"]
    preview = read_template_xlsx(io.BytesIO(b"not a zip"), source="s", known_code=known)
    assert [e.code for e in preview.errors] == ["bad-file"]


def test_xlsx_date_period() -> None:
    from datetime import datetime

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(TEMPLATE_COLUMNS[:10]))
    sheet.append(
        ["CN-SH", datetime(2024, 7, 1), "SI", "credit", 5, "CNY", 8, "bop", "official", ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    preview = read_template_xlsx(buffer, source="s", known_code=known)
    assert preview.ok, preview.errors
    assert preview.rows[0].period == Period.parse("2024-07")


# --- volume ---------------------------------------------------------------------------------


def test_large_file_streams() -> None:
    """100,000 rows through the streaming path (the 1,000,000-row benchmark is run by hand)."""
    lines = (
        f"E{e:02d},{year}-Q{q},SI2,{flow},{e + q}.5,USD,6,bop,official,s\n"
        for e in range(50)
        for year in range(1800, 2050)
        for q in (1, 2, 3, 4)
        for flow in ("credit", "debit")
    )
    data = HEADER + "\n" + "".join(lines)
    count = 0

    def sink(_: object) -> None:
        nonlocal count
        count += 1

    preview = read_template_csv(io.StringIO(data), source="s", known_code=known, on_row=sink)
    assert preview.ok
    assert count == preview.line_count == 50 * 250 * 4 * 2
