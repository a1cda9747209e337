"""The ``ecommerce`` command contracts: JSON answers, tables, one-line errors, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from digitrade.systems.ecommerce.cli import app
from tests.support import official_fixture
from tests.systems.ecommerce.support import (
    ASSESS_ORDER_FIELDS,
    WORKED_EXAMPLE,
    fixtures,
    item,
    order,
)


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke


def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def synthetic(message_type: str) -> str:
    return str(official_fixture(f"ceb/synthetic/{message_type}Message.xml"))


def assert_one_line_error(result, starts: str = "error: "):
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(starts), result.stderr


# assess-order ----------------------------------------------------------------------------------


def test_assess_order_json(run, tmp_path):
    result = run("assess-order", write(tmp_path, "o.json", WORKED_EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == ASSESS_ORDER_FIELDS
    assert (body["tax_total"], body["actual_paid"]) == ("281.32", "1501.32")


def test_assess_order_reads_json_numbers_exactly(run, tmp_path):
    text = json.dumps(WORKED_EXAMPLE).replace('"20.00"', "20.10")
    result = run("assess-order", write(tmp_path, "o.json", text), "-f", "json")
    assert json.loads(result.stdout)["dutiable_value"] == "1220.10"


def test_assess_order_table(run, tmp_path):
    refused = order(item(unit_price="3000", quantity=2))
    result = run("assess-order", write(tmp_path, "o.json", refused))
    assert result.exit_code == 0, result.output
    assert "over_transaction_limit" in result.stdout
    assert "dutiable_value" in result.stdout and "SKU-1" in result.stdout


def test_assess_order_from_stdin():
    result = CliRunner().invoke(
        app, ["assess-order", "-", "--format", "json"], input=json.dumps(WORKED_EXAMPLE)
    )
    assert json.loads(result.stdout)["allowed"] is True


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is not JSON"),
        ({**WORKED_EXAMPLE, "freight": "-1"}, "error: freight: must not be less than 0"),
        ([1, 2], "request: must be a JSON object"),
    ],
)
def test_assess_order_bad_input(run, tmp_path, content, says):
    result = run("assess-order", write(tmp_path, "o.json", content), "--format", "json")
    assert_one_line_error(result)
    assert says in result.stderr


def test_missing_file(run, tmp_path):
    assert_one_line_error(run("assess-order", str(tmp_path / "nope.json")), "error: cannot read")


# check-return ----------------------------------------------------------------------------------


RETURN = {
    "direction": "import",
    "release_date": "2025-01-01",
    "application_date": "2025-01-31",
    "goods_back_date": "2025-02-16",
    "goods_category": "cosmetics",
}


def test_check_return_json(run, tmp_path):
    result = run("check-return", write(tmp_path, "r.json", RETURN), "--format", "json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert set(body) == {"accepted", "tax_relief", "reasons"}
    assert body["accepted"] is False
    assert body["reasons"][0]["code"] == "goods_back_late"


def test_check_return_table_and_errors(run, tmp_path):
    table = run(
        "check-return", write(tmp_path, "r.json", {**RETURN, "goods_back_date": "2025-02-15"})
    )
    assert "accepted: True  tax relief: True" in table.stdout
    bad = run("check-return", write(tmp_path, "b.json", {**RETURN, "direction": "sideways"}))
    assert_one_line_error(bad, "error: direction:")


# check-orders ----------------------------------------------------------------------------------


CONTEXT = {
    "expected_tax": "281.32",
    "annual_total_before": 0,
    "registered_enterprises": [f"310000000{n}" for n in range(1, 7)],
}


@fixtures
def test_check_orders_releases_the_synthetic_set(run, tmp_path):
    result = run(
        "check-orders",
        "--order",
        synthetic("CEB311"),
        "--payment",
        synthetic("CEB411"),
        "--waybill",
        synthetic("CEB511"),
        "--inventory",
        synthetic("CEB621"),
        "--context",
        write(tmp_path, "c.json", CONTEXT),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"released", "status", "checks"} <= set(body)
    assert body["released"] is True and body["status"] == "released"
    assert all(set(check) == {"name", "passed", "detail", "detail_zh"} for check in body["checks"])


@fixtures
def test_check_orders_pending_without_payment(run):
    result = run(
        "check-orders",
        "--order",
        synthetic("CEB311"),
        "--waybill",
        synthetic("CEB511"),
        "--inventory",
        synthetic("CEB621"),
        "--format",
        "json",
    )
    body = json.loads(result.stdout)
    assert body["status"] == "pending" and body["released"] is False


@fixtures
def test_check_orders_table_and_tolerance(run, tmp_path):
    paid = official_fixture("ceb/synthetic/CEB411Message.xml").read_bytes()
    changed = tmp_path / "CEB411.xml"
    changed.write_bytes(paid.replace(b"1501.32</ceb:amountPaid>", b"1510.00</ceb:amountPaid>"))
    args = [
        "check-orders",
        "--order",
        synthetic("CEB311"),
        "--payment",
        str(changed),
        "--waybill",
        synthetic("CEB511"),
        "--inventory",
        synthetic("CEB621"),
    ]
    exact = run(*args)
    assert "status: rejected (100)" in exact.stdout
    lenient = run(*args, "--tolerance-percent", "1", "--format", "json")
    assert json.loads(lenient.stdout)["status"] == "accepted"


@fixtures
def test_check_orders_bad_input(run, tmp_path):
    wrong_role = run("check-orders", "--order", synthetic("CEB411"))
    assert_one_line_error(wrong_role, "error: order: must be a CEB311 message")
    hostile = write(tmp_path, "h.xml", '<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>')
    assert_one_line_error(
        run("check-orders", "--order", hostile), "error: the message declares a DOCTYPE"
    )
    assert_one_line_error(run("check-orders"), "error: order:")
    context = write(tmp_path, "c.json", {"expected": 1})
    assert_one_line_error(run("check-orders", "--order", synthetic("CEB311"), "--context", context))


# screen-air ------------------------------------------------------------------------------------


PARCEL = {
    "ship_date": "2026-02-01",
    "items": [
        {
            "kind": "lithium_ion_battery",
            "configuration": "contained_in_equipment",
            "watt_hours": 40,
            "state_of_charge": 30,
            "quantity": 1,
        },
        {"kind": "perfume", "volume_ml": 30, "quantity": 2},
    ],
}


def test_screen_air_json(run, tmp_path):
    result = run("screen-air", write(tmp_path, "p.json", PARCEL), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [item["un_number"] for item in body["items"]] == ["UN3481", "UN1266"]
    assert body["parcel"]["refused"] is False
    # Batteries in equipment have no limited quantity, so the parcel as a whole has none.
    assert body["parcel"]["limited_quantity"] is None
    assert body["parcel"]["passenger_aircraft"] is True


def test_screen_air_table_and_errors(run, tmp_path):
    table = run("screen-air", write(tmp_path, "p.json", PARCEL))
    assert "IATA DGR 67th" in table.stdout and "UN3481" in table.stdout
    bad = run("screen-air", write(tmp_path, "b.json", {**PARCEL, "ship_date": "2020-01-01"}))
    assert_one_line_error(bad, "error: ship_date:")


# validate-message ------------------------------------------------------------------------------


@fixtures
def test_validate_one_message(run):
    result = run("validate-message", synthetic("CEB621"), "--format", "json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["valid"] is True and body["message_type"] == "CEB621"
    assert body["file"].endswith("CEB621Message.xml")


@fixtures
def test_validate_many_exits_non_zero_when_any_is_invalid(run, tmp_path):
    hostile = write(
        tmp_path, "h.xml", '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x"><r/>'
    )
    sample = str(official_fixture("ceb/CEB311Message.sample.xml"))
    result = run("validate-message", synthetic("CEB311"), sample, hostile, "--format", "json")
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [report["valid"] for report in reports] == [True, False, False]
    assert any("sum of OrderList totalPrice" in issue["message"] for issue in reports[1]["issues"])
    assert "DOCTYPE" in reports[2]["issues"][0]["message"]


@fixtures
def test_validate_table(run):
    result = run("validate-message", str(official_fixture("ceb/CEB311Message.sample.xml")))
    assert result.exit_code == 1
    assert "Order[1].OrderHead.goodsValue" in result.stdout
