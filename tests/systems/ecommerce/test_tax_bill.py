"""The electronic tax bill (CEB816) and its status (CEB818) of a released list: the amounts of
the assessment per line and in total, generated in the return window, summarised after it, void
once returned; every bill valid by the platform's own CEB rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from digitrade.core.db import transaction
from digitrade.core.errors import Conflict, NotFound, ValidationFailed
from digitrade.systems.ecommerce import service, taxbill
from digitrade.systems.ecommerce.ceb import read_message, validate_message
from digitrade.systems.ecommerce.models import ClearanceOrder
from digitrade.systems.ecommerce.settlement import settlement_window
from tests.systems.ecommerce.test_clearance_bonded import (
    ACTOR,
    FOUR,
    factory,  # noqa: F401 - the fixture
    platform,
    submit,
)
from tests.systems.ecommerce.test_settlement import _released_order, return_on_release_day

RELEASED_AT = dt.datetime(2026, 1, 1, 10, 30)
WINDOW = settlement_window(RELEASED_AT.date())


@pytest.mark.parametrize(
    ("day", "status", "since"),
    [
        (dt.date(2026, 1, 1), "1", RELEASED_AT),
        (dt.date(2026, 1, 31), "1", RELEASED_AT),  # day 30: still returnable
        (dt.date(2026, 2, 1), "2", dt.datetime(2026, 2, 1)),  # day 31: summarised
        (dt.date(2026, 3, 1), "2", dt.datetime(2026, 2, 1)),
    ],
)
def test_bill_status_follows_the_settlement(day, status, since):
    state = taxbill.bill_state(RELEASED_AT, None, day, WINDOW)
    assert state == taxbill.BillState(status, since)


def test_a_return_voids_the_bill_from_its_day_and_no_bill_before_release():
    returned = dt.datetime(2026, 1, 20, 9, 0)
    assert taxbill.bill_state(RELEASED_AT, returned, dt.date(2026, 1, 19), WINDOW).status == "1"
    assert taxbill.bill_state(
        RELEASED_AT, returned, dt.date(2026, 1, 20), WINDOW
    ) == taxbill.BillState("3", returned)
    assert taxbill.bill_state(RELEASED_AT, None, dt.date(2025, 12, 31), WINDOW) is None


def _values(xml: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    report = validate_message(xml)
    assert report.valid, report.as_dict()
    [document] = read_message(xml).documents
    return document.head.as_dict(), [line.as_dict() for line in document.lines]


def test_a_released_order_has_a_valid_bill_with_its_assessed_tax(factory):  # noqa: F811
    _, order_id, released = _released_order(factory)
    with transaction(factory) as session:
        order = session.get(ClearanceOrder, order_id)
        assessment = order.assessment
        xml = service.tax_bill(session, actor=ACTOR, order_id=order_id, as_of=released)
        again = service.tax_bill(session, actor=ACTOR, order_id=order_id, as_of=released)
        receipts = service.list_receipts(session, actor=ACTOR, order_id=order_id)
    assert xml == again  # the same bill on the same day is the same message
    head, lines = _values(xml)
    release = next(r for r in receipts if r.status == "800")
    assert head["invtNo"] == release.keys["invtNo"]
    assert head["taxNo"] == release.keys["invtNo"] + "_01"
    assert head["orderNo"] == order.order_no
    assert head["status"] == "1"
    assert (head["customsTax"], head["valueAddedTax"], head["consumptionTax"]) == (
        assessment["duty"],
        assessment["vat"],
        assessment["consumption_tax"],
    )
    total = sum(Decimal(head[name]) for name in ("customsTax", "valueAddedTax", "consumptionTax"))
    assert total == Decimal(assessment["tax_total"]) > 0
    assert len(lines) == len(assessment["lines"])
    for line, assessed in zip(lines, assessment["lines"], strict=True):
        assert line["gcode"] == assessed["hs_code"]
        assert line["taxPrice"] == assessed["dutiable_value"]
        assert line["valueAddedTax"] == assessed["vat"]


def test_status_messages_summarised_then_void_after_a_return(factory):  # noqa: F811
    _, order_id, released = _released_order(factory)
    with transaction(factory) as session:
        day_31 = released + dt.timedelta(days=31)
        summarised = service.tax_bill(
            session, actor=ACTOR, order_id=order_id, as_of=day_31, message_type="CEB818"
        )
        head, lines = _values(summarised)
        assert (head["status"], lines) == ("2", [])
        bill_head, _ = _values(
            service.tax_bill(session, actor=ACTOR, order_id=order_id, as_of=day_31)
        )
        assert bill_head["status"] == "2"
        assert bill_head["taxNo"] == head["taxNo"]
        return_on_release_day(session, order_id, released)
        today = dt.datetime.now(service.CHINA).date()
        voided, _ = _values(
            service.tax_bill(
                session, actor=ACTOR, order_id=order_id, as_of=today, message_type="CEB818"
            )
        )
        assert voided["status"] == "3"


def test_no_bill_for_an_order_not_released_and_bad_requests_refused(factory):  # noqa: F811
    org = platform(factory, stock=5)
    with transaction(factory) as session:
        submit(session, org, FOUR[0])
        order_id = session.query(ClearanceOrder.id).scalar()
        today = dt.date.today()
        with pytest.raises(Conflict, match="only a released order has a tax bill"):
            service.tax_bill(session, actor=ACTOR, order_id=order_id, as_of=today)
        with pytest.raises(ValidationFailed, match="CEB816, CEB818"):
            service.tax_bill(
                session, actor=ACTOR, order_id=order_id, as_of=today, message_type="CEB311"
            )
        with pytest.raises(NotFound):
            service.tax_bill(session, actor=ACTOR, order_id=order_id + 99, as_of=today)


def test_no_bill_before_the_release_day(factory):  # noqa: F811
    _, order_id, released = _released_order(factory)
    with transaction(factory) as session, pytest.raises(Conflict, match="released after"):
        service.tax_bill(
            session, actor=ACTOR, order_id=order_id, as_of=released - dt.timedelta(days=1)
        )


def test_tax_bill_on_the_command_line(factory, monkeypatch, tmp_path):  # noqa: F811
    import json

    from typer.testing import CliRunner

    from digitrade.cli import app
    from digitrade.core.config import get_settings

    _, order_id, released = _released_order(factory)
    with transaction(factory) as session:
        order_no = session.get(ClearanceOrder, order_id).order_no
    engine = factory.kw["bind"]
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        base = ["ecommerce", "tax-bill", order_no, "--organisation", "platform"]
        day = (released + dt.timedelta(days=31)).isoformat()
        target = tmp_path / "bill.xml"
        result = runner.invoke(app, [*base, "--as-of", day, "--out", str(target), "-f", "json"])
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["status"] == "2"
        assert body["tax_no"].endswith("_01")
        assert (body["value_added_tax"], body["consumption_tax"]) == ("130.61", "150.71")
        assert target.read_bytes().decode() == body["xml"]
        assert validate_message(target.read_bytes()).valid
        printed = runner.invoke(app, [*base, "--message", "CEB818"])
        assert printed.exit_code == 0, printed.output
        assert "<ceb:CEB818Message" in printed.stdout
        missing = runner.invoke(
            app, ["ecommerce", "tax-bill", "NO-SUCH", "--organisation", "platform"]
        )
        assert missing.exit_code != 0
        assert "order NO-SUCH does not exist" in missing.stderr
    finally:
        get_settings.cache_clear()
