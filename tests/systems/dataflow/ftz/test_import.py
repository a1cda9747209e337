"""Import from JSON, CSV and XLSX: round trips, and every error reported with its row."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from digitrade.systems.dataflow.ftz import (
    ListImportError,
    Pathway,
    dump_csv,
    dump_json,
    dump_xlsx,
    parse_csv,
    parse_json,
    parse_xlsx,
)
from digitrade.systems.dataflow.ftz.formats import MAX_IMPORT_BYTES

HEADER = "row_id,sector,sector_zh,item,item_zh,pathway,verified,threshold"
LIST_LINES = (
    "# jurisdiction: CN-SH-FTZ\n"
    "# title_en: Test list\n"
    "# version: 2024\n"
    "# issued_by: Shanghai CAC, Shanghai Data Administration\n"
    "# effective_from: 2025-02-08\n"
    "# source_url: https://example.org/list\n"
)


def _errors(raised: pytest.ExceptionInfo[ListImportError]) -> set[tuple[int, str]]:
    return {(issue.row_number, issue.field) for issue in raised.value.errors}


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dump", "parse"),
    [(dump_json, parse_json), (dump_csv, parse_csv), (dump_xlsx, parse_xlsx)],
    ids=["json", "csv", "xlsx"],
)
def test_round_trip(sample_list, dump, parse):
    assert parse(dump(sample_list)) == sample_list


def test_csv_bytes_with_byte_order_mark(sample_list):
    encoded = dump_csv(sample_list).encode("utf-8-sig")
    assert parse_csv(encoded) == sample_list


def test_csv_metadata_padded_by_a_spreadsheet_program():
    text = (
        '"# jurisdiction: CN-SH-FTZ",,,\n'
        '"# title_en: Test list",,,\n'
        '"# version: 2024",,,\n'
        '"# issued_by: Shanghai CAC, Shanghai Data Administration",,,\n'
        '"# effective_from: 2025-02-08",,,\n'
        '"# source_url: https://example.org/list",,,\n'
        "row_id,sector,item,pathway\n"
        "R1,reinsurance,claims data,SA\n"
    )
    parsed = parse_csv(text)
    assert parsed.issued_by == "Shanghai CAC, Shanghai Data Administration"
    assert parsed.rows[0].pathway is Pathway.SECURITY_ASSESSMENT


def test_hand_made_xlsx_with_dates_numbers_and_chinese_pathways():
    workbook = Workbook()
    meta = workbook.active
    meta.title = "list"
    meta.append(["jurisdiction", "cn-sh-lingang"])
    meta.append(["title_zh", "临港测试清单"])
    meta.append(["version", 2024])
    meta.append(["issued_by", "临港新片区管委会"])
    meta.append(["effective_from", datetime(2024, 5, 17)])
    meta.append(["source_url", "https://example.org"])
    rows = workbook.create_sheet("rows")
    rows.append(["row_id", "sector_zh", "item_zh", "pathway", "verified", "threshold"])
    rows.append([1, "再保险", "分保账单", "安全评估", True, 1000000])
    rows.append([])
    rows.append([2, "再保险", "再保险合同", "标准合同或认证", "是", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = parse_xlsx(buffer.getvalue())

    assert parsed.jurisdiction == "CN-SH-LINGANG"
    assert parsed.version == "2024"
    assert parsed.effective_from == date(2024, 5, 17)
    first, second = parsed.rows
    assert (first.row_id, first.pathway, first.verified) == ("1", Pathway.SECURITY_ASSESSMENT, True)
    assert first.threshold == "1000000"
    assert second.pathway is Pathway.STANDARD_CONTRACT_OR_CERTIFICATION


# --- errors: every kind, with row numbers, all at once ------------------------------------


def test_csv_reports_every_row_error_with_line_numbers():
    text = (
        LIST_LINES
        + HEADER
        + "\n"
        + (
            "R1,reinsurance,,claims data,,security_assessment,true,\n"  # line 8: fine
            "R2,,,claims data,,security_assessment,true,\n"  # line 9: no sector
            "R3,reinsurance,,,,security_assessment,true,\n"  # line 10: no item
            "R4,reinsurance,,claims data,,adequacy decision,true,\n"  # line 11: unknown pathway
            "R1,reinsurance,,premiums,,security_assessment,true,\n"  # line 12: duplicate id
            "R5,reinsurance,,premiums,,,true,\n"  # line 13: verified without pathway
            "R6,reinsurance,,premiums,,security_assessment,perhaps,\n"  # line 14: bad flag
        )
    )
    with pytest.raises(ListImportError) as raised:
        parse_csv(text)
    assert _errors(raised) == {
        (9, "sector"),
        (10, "item"),
        (11, "pathway"),
        (12, "row_id"),
        (13, "pathway"),
        (14, "verified"),
    }
    duplicate = next(issue for issue in raised.value.errors if issue.row_number == 12)
    assert "first used on row 8" in duplicate.message
    assert raised.value.status == 422
    assert any(f.field == "rows[11].pathway" for f in raised.value.fields)


def test_bad_dates_in_list_fields():
    text = (
        LIST_LINES.replace("2025-02-08", "8 Feb 2025")
        + "# effective_until: 2025-02-30\n"
        + "row_id,sector,item,pathway\nR1,reinsurance,claims,security_assessment\n"
    )
    with pytest.raises(ListImportError) as raised:
        parse_csv(text)
    assert _errors(raised) == {(0, "effective_from"), (0, "effective_until")}


def test_missing_list_fields_and_unknown_columns():
    text = "# version: 2024\nrow_id,sector,item,pathway,pathwy\nR1,a,b,sa,x\n"
    with pytest.raises(ListImportError) as raised:
        parse_csv(text)
    assert {
        (0, "jurisdiction"),
        (0, "title_en"),
        (0, "issued_by"),
        (0, "effective_from"),
        (0, "source_url"),
        (2, "pathwy"),
    } <= _errors(raised)


def test_json_errors_use_positions_in_the_rows_array(sample_list):
    document = json.loads(dump_json(sample_list))
    document["rows"][1]["pathway"] = "whatever"
    document["rows"][2]["row_id"] = "R1"
    document["rows"][0]["sector"] = ["not", "text"]
    document["rows"][0]["sector_zh"] = ""
    document["list"]["effective_from"] = "2025/02/08"
    with pytest.raises(ListImportError) as raised:
        parse_json(json.dumps(document))
    assert {(0, "effective_from"), (1, "sector"), (2, "pathway"), (3, "row_id")} <= _errors(raised)


def test_xlsx_errors_use_worksheet_row_numbers():
    workbook = Workbook()
    meta = workbook.active
    meta.title = "list"
    for name, value in [
        ("jurisdiction", "CN-SH-FTZ"),
        ("title_en", "T"),
        ("version", "1"),
        ("issued_by", "I"),
        ("effective_from", "not a date"),
        ("source_url", "https://example.org"),
    ]:
        meta.append([name, value])
    rows = workbook.create_sheet("rows")
    rows.append(["row_id", "sector", "item", "pathway"])
    rows.append(["A", "reinsurance", "claims", "security_assessment"])
    rows.append(["B", "reinsurance", None, "security_assessment"])
    rows.append(["A", "reinsurance", "premiums", "bogus"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ListImportError) as raised:
        parse_xlsx(buffer.getvalue())
    assert _errors(raised) == {(0, "effective_from"), (3, "item"), (4, "row_id"), (4, "pathway")}


def test_general_data_pathway_only_on_a_general_data_list():
    text = (
        LIST_LINES + "row_id,sector,item,pathway\nR1,biomedicine,trial data,general_data_filing\n"
    )
    with pytest.raises(ListImportError) as raised:
        parse_csv(text)
    assert _errors(raised) == {(8, "pathway")}
    assert parse_csv("# kind: general_data\n" + text).rows[0].pathway is Pathway.GENERAL_DATA_FILING


def test_complete_list_cannot_hold_unverified_rows():
    text = LIST_LINES + "# complete: true\nrow_id,sector,item,pathway,verified\nR1,a,b,sa,false\n"
    with pytest.raises(ListImportError) as raised:
        parse_csv(text)
    assert _errors(raised) == {(9, "verified")}


@pytest.mark.parametrize(
    ("parse", "payload"),
    [
        (parse_json, "{not json"),
        (parse_json, "[]"),
        (parse_xlsx, b"PK\x03\x04 not really a zip"),
        (parse_csv, b"\xff\xfe\x00bad"),
        (parse_csv, ""),
    ],
    ids=["json-syntax", "json-shape", "xlsx-garbage", "csv-encoding", "csv-empty"],
)
def test_unreadable_files_are_reported_not_raised_raw(parse, payload):
    with pytest.raises(ListImportError) as raised:
        parse(payload)
    assert raised.value.errors[0].row_number == 0


def test_oversized_input_is_refused():
    with pytest.raises(ListImportError, match="larger than"):
        parse_csv("x" * (MAX_IMPORT_BYTES + 1))


def test_a_list_without_rows_is_refused():
    with pytest.raises(ListImportError) as raised:
        parse_csv(LIST_LINES + "row_id,sector,item,pathway\n")
    assert _errors(raised) == {(0, "rows")}


def test_csv_saved_by_a_spreadsheet_program_pads_every_line():
    text = (
        '"# jurisdiction: CN-SH-FTZ",,,,\n'
        '"# title_en: Test list",,,,\n'
        '"# version: 2024",,,,\n'
        '"# issued_by: Shanghai CAC",,,,\n'
        '"# effective_from: 2025-02-08",,,,\n'
        '"# source_url: https://example.org/list",,,,\n'
        "row_id,sector,item,pathway,\r\n"
        "R1,reinsurance,claims data,security_assessment,\r\n"
    )
    assert parse_csv(text).rows[0].item == "claims data"
