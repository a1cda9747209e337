"""Withholding-tax settlement (GAC 2018 No.194): the 30-day return window, payment on days 31-45
after release, overdue after; a returned list's tax is not collected."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from digitrade.core.db import transaction
from digitrade.systems.ecommerce import service
from digitrade.systems.ecommerce.models import ClearanceOrder
from digitrade.systems.ecommerce.settlement import settlement_window, stage_on
from tests.systems.ecommerce.test_clearance_bonded import (
    ACTOR,
    FOUR,
    factory,  # noqa: F401 - the fixture
    platform,
    submit,
)

RELEASED = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (dt.date(2026, 1, 31), "return_window"),  # day 30: a return still stops the tax
        (dt.date(2026, 2, 1), "payable"),  # day 31
        (dt.date(2026, 2, 15), "payable"),  # day 45
        (dt.date(2026, 2, 16), "overdue"),  # day 46
    ],
)
def test_days_31_to_45(day, stage):
    window = settlement_window(RELEASED)
    assert (window.return_deadline, window.payable_from, window.payable_by) == (
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 15),
    )
    assert stage_on(window, day) == stage


def test_a_last_day_on_a_rest_day_moves_to_the_next_working_day():
    window = settlement_window(RELEASED, rest_days={dt.date(2026, 2, 15)})
    assert window.payable_by == dt.date(2026, 2, 16)
    assert stage_on(window, dt.date(2026, 2, 16)) == "payable"


def _released_order(factory_, stock: int = 5) -> tuple[int, int, dt.date]:
    org = platform(factory_, stock=stock)
    with transaction(factory_) as session:
        for kind in FOUR:
            submit(session, org, kind)
        order = session.scalars(select(ClearanceOrder)).one()
        return org, order.id, order.released_at.astimezone(service.CHINA).date()


def return_on_release_day(session, order_id: int, released: dt.date) -> None:
    """An accepted return of cosmetics applied for and back in the zone on the release day."""
    service.submit_return(
        session,
        actor=ACTOR,
        order_id=order_id,
        data=service.ReturnCreate(
            application_date=released, goods_back_date=released, goods_category="cosmetics"
        ),
    )


def test_a_released_list_moves_through_the_stages_and_a_return_stops_it(factory):  # noqa: F811
    org, order_id, released = _released_order(factory)
    with transaction(factory) as session:
        order = session.get(ClearanceOrder, order_id)
        tax_total = Decimal(order.assessment["tax_total"])
        assert tax_total > 0
        stages = {}
        for days in (0, 30, 31, 45, 46):
            result = service.tax_settlement(
                session,
                actor=ACTOR,
                organisation_id=org,
                as_of=released + dt.timedelta(days=days),
            )
            [line] = result.lines
            stages[days] = line.stage
            assert Decimal(result.totals[line.stage].tax_total) == tax_total
            assert result.totals[line.stage].orders == 1
        assert stages == {
            0: "return_window",
            30: "return_window",
            31: "payable",
            45: "payable",
            46: "overdue",
        }
        before = service.tax_settlement(
            session, actor=ACTOR, organisation_id=org, as_of=released - dt.timedelta(days=1)
        )
        assert before.lines == []
        return_on_release_day(session, order_id, released)
        after = service.tax_settlement(
            session, actor=ACTOR, organisation_id=org, as_of=released + dt.timedelta(days=40)
        )
        assert [line.stage for line in after.lines] == ["returned"]
        assert after.totals["payable"].orders == 0
        assert Decimal(after.totals["returned"].tax_total) == tax_total


def test_settlement_contract_on_the_command_line(factory, monkeypatch):  # noqa: F811
    from digitrade.cli import app
    from digitrade.core.config import get_settings

    org, _, released = _released_order(factory)
    engine = factory.kw["bind"]
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        day = (released + dt.timedelta(days=31)).isoformat()
        result = runner.invoke(
            app,
            [
                "ecommerce",
                "tax-settlement",
                "--organisation",
                "platform",
                "--as-of",
                day,
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert set(body) == {"organisation_id", "as_of", "totals", "lines"}
        assert body["totals"]["payable"]["orders"] == 1
        bad = runner.invoke(
            app, ["ecommerce", "tax-settlement", "--organisation", "platform", "--as-of", "soon"]
        )
        assert bad.exit_code != 0
        assert bad.stderr.strip().startswith("error: --as-of must be a date")
    finally:
        get_settings.cache_clear()
    assert org
