"""Air cargo pages over HTTP: the demo waybill found by its number, its record (Cargo iQ route
map, timeline, route, parties) in English and Chinese, the notification log with its status
filter and the retry of a dead letter, and what an unknown object or another organisation's
user gets."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from digitrade.core.auth import service as auth_service
from digitrade.core.auth.permissions import OrganisationKind, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import OrganisationCreate, UserCreate
from digitrade.systems.aircargo import demo
from digitrade.systems.aircargo.models import LogisticsObject, Notification
from tests.conftest import PASSWORD
from tests.pages_support import CSRF, csrf_of, sign_in

RETRY_FORM = re.compile(r'action="/aircargo/notifications/(\d+)/retry"')


@pytest.fixture
def waybill(db, world, settings, monkeypatch) -> LogisticsObject:
    """The air cargo demo: organisation A is the airline, organisation B the shipper."""
    monkeypatch.setattr(demo, "AIRLINE", "org-a")
    monkeypatch.setattr(demo, "SHIPPER", "org-b")
    monkeypatch.setattr(demo, "get_settings", lambda: settings)
    message = demo.load_demo(db, Principal.system("demo"))
    assert demo.DEMO_AWB in message, message
    db.commit()
    found = db.scalar(select(LogisticsObject).where(LogisticsObject.awb == demo.DEMO_AWB))
    assert found is not None
    return found


def test_pages_need_an_account(client, world):
    for path in ("/aircargo/", "/aircargo/notifications", "/aircargo/objects/x"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303, 307), path
        assert "/login" in response.headers["location"]


def test_search_page_lists_the_demo_waybill_and_the_server(client, waybill):
    sign_in(client, "viewer@a.example")
    page = client.get("/aircargo/")
    assert page.status_code == 200
    assert f"AWB {demo.DEMO_AWB}" in page.text
    assert f'href="/aircargo/objects/{waybill.id}"' in page.text
    assert "Precision bearings, 2 cases" in page.text  # the shipment is listed too
    facts = page.text.split('data-testid="server-facts"')[1]
    assert "http://testserver/onerecord" in facts
    assert "2.2.0" in facts and "https://onerecord.iata.org/ns/cargo" in facts
    assert 'href="/docs"' in facts


@pytest.mark.parametrize("query", [demo.DEMO_AWB, "00012345675", "000 12345675"])
def test_an_air_waybill_number_leads_to_its_record(client, waybill, query):
    sign_in(client, "viewer@a.example")
    response = client.get("/aircargo/", params={"q": query}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/aircargo/objects/{waybill.id}"


def test_an_unknown_air_waybill_keeps_the_form_with_a_message(client, waybill):
    sign_in(client, "viewer@a.example")
    page = client.get("/aircargo/", params={"q": "000-12345686"})
    assert page.status_code == 404
    assert 'id="form-error"' in page.text and "No air waybill 000-12345686" in page.text
    assert 'value="000-12345686"' in page.text
    wrong_digit = client.get("/aircargo/", params={"q": "000-12345676"})
    assert "not a valid air waybill number" in wrong_digit.text


def test_record_shows_route_map_timeline_route_and_parties(client, waybill):
    sign_in(client, "viewer@a.example")
    page = client.get(f"/aircargo/objects/{waybill.id}")
    assert page.status_code == 200
    text = page.text
    assert f"AWB {demo.DEMO_AWB}" in text and waybill.iri in text
    departed = text.split('data-testid="milestone-DEP"')[1].split("</tr>")[0]
    assert "Departed" in departed
    assert "2026-11-21 17:05 UTC" in departed and "2026-11-21 17:40 UTC" in departed
    assert "+35" in departed
    assert "6 of 8 route-map milestones reached" in text
    assert 'data-chart="bar"' in text
    assert "ONE Record logistics events (illustrative demo data)" in text

    timeline = text.split('id="timeline"')[1].split("</table>")[0]
    dep_rows = [row for row in timeline.split("<tr")[1:] if 'data-code="DEP"' in row]
    assert len(dep_rows) == 2
    assert any("2026-11-21 17:05 UTC" in row and "Planned" in row for row in dep_rows)
    assert any("2026-11-21 17:40 UTC" in row and "Actual" in row for row in dep_rows)
    assert timeline.index("2026-11-20 03:10 UTC") < timeline.index("2026-11-23 10:00 UTC")

    route = text.split('data-testid="route"')[1].split("</section>")[0]
    assert "PVG -> AMS, PD931" in route
    assert "2026-11-21 17:40 UTC" in route and "2026-11-22 06:00 UTC" in route

    parties = text.split('data-testid="parties"')[1].split("</table>")[0]
    assert "Organisation A" in parties and "Owner" in parties
    assert "Organisation B" in parties and "Delegated access" in parties
    assert "Subscriber" in parties
    assert f'href="/api/aircargo/objects/{waybill.id}/export"' in text
    notifications = text.split('data-testid="record-notifications"')[1].split("</section>")[0]
    assert "Pending" in notifications


def test_record_in_chinese(client, waybill):
    sign_in(client, "viewer@a.example")
    page = client.get(f"/aircargo/objects/{waybill.id}?lang=zh-Hans")
    assert page.status_code == 200
    assert page.headers["content-language"] == "zh-Hans"
    timeline = page.text.split('id="timeline"')[1].split("</table>")[0]
    assert "航班已起飞" in timeline and "航班已到达" in timeline
    assert "Departed" not in timeline


def test_notification_log_filters_by_status(client, waybill):
    sign_in(client, "viewer@a.example")
    everything = client.get("/aircargo/notifications")
    assert everything.status_code == 200
    assert 'data-status="pending"' in everything.text
    pending = client.get("/aircargo/notifications", params={"status": "pending"})
    assert 'data-status="pending"' in pending.text
    assert 'data-status="delivered"' not in pending.text
    dead = client.get("/aircargo/notifications", params={"status": "dead"})
    assert 'data-status="pending"' not in dead.text and "No notifications." in dead.text
    odd = client.get("/aircargo/notifications", params={"status": "nonsense"})
    assert odd.status_code == 200 and 'data-status="pending"' in odd.text


def test_a_dead_notification_is_retried_by_a_manager(client, db, waybill):
    notification = db.scalars(select(Notification).order_by(Notification.id)).first()
    assert notification is not None
    notification.status = "dead"
    notification.attempts = 8
    notification.last_error = "connection refused"
    db.commit()

    sign_in(client, "viewer@a.example")  # may read, may not manage: no retry button
    assert RETRY_FORM.search(client.get("/aircargo/notifications?status=dead").text) is None

    client.post("/logout", data={"csrf_token": csrf_of(client, "/aircargo/")})
    sign_in(client, "editor@a.example")
    page = client.get("/aircargo/notifications?status=dead")
    assert RETRY_FORM.findall(page.text) == [str(notification.id)]
    token = CSRF.search(page.text)
    assert token
    response = client.post(
        f"/aircargo/notifications/{notification.id}/retry",
        data={"csrf_token": token.group(1), "status": "dead"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/aircargo/notifications?status=dead")
    after = client.get(response.headers["location"])
    assert f"Notification {notification.id} is queued for delivery again." in after.text
    db.expire_all()
    assert notification.status == "pending" and notification.attempts == 0


def test_retry_of_bad_input_answers_with_the_page(client, db, waybill):
    sign_in(client, "editor@a.example")
    token = csrf_of(client, "/aircargo/notifications")
    for target in ("999999", "abc"):
        response = client.post(
            f"/aircargo/notifications/{target}/retry", data={"csrf_token": token}
        )
        assert response.status_code == 404
        assert 'id="form-error"' in response.text and "There is no notification" in response.text
    pending = db.scalars(select(Notification).order_by(Notification.id)).first()
    assert pending is not None and pending.status == "pending"
    response = client.post(
        f"/aircargo/notifications/{pending.id}/retry", data={"csrf_token": token}
    )
    assert response.status_code == 409 and "not dead-lettered" in response.text
    refused = client.post(f"/aircargo/notifications/{pending.id}/retry", data={})
    assert refused.status_code == 403


def test_unknown_object_is_a_not_found_page(client, waybill):
    sign_in(client, "viewer@a.example")
    page = client.get("/aircargo/objects/no-such-object", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "<html" in page.text and "not found" in page.text.lower()


def test_the_shipper_reads_what_was_delegated(client, waybill):
    sign_in(client, "owner@b.example")
    page = client.get(f"/aircargo/objects/{waybill.id}")
    assert page.status_code == 200
    assert "PVG -> AMS" in page.text


def test_another_organisation_without_a_grant_sees_nothing(client, db, world, waybill):
    system = Principal.system("test")
    other = auth_service.create_organisation(
        db,
        actor=system,
        data=OrganisationCreate(
            slug="org-c", name="Organisation C", kind=OrganisationKind.ENTERPRISE
        ),
    )
    auth_service.create_user(
        db,
        actor=system,
        data=UserCreate(
            email="owner@c.example",
            display_name="owner",
            password=PASSWORD,
            organisation_id=other.id,
            role=Role.OWNER,
        ),
    )
    db.commit()
    sign_in(client, "owner@c.example")
    page = client.get(f"/aircargo/objects/{waybill.id}", headers={"Accept": "text/html"})
    assert page.status_code in (403, 404)
    assert "PVG -> AMS" not in page.text and "Precision bearings" not in page.text
    search = client.get("/aircargo/")
    assert f"AWB {demo.DEMO_AWB}" not in search.text
    assert f'href="/aircargo/objects/{waybill.id}"' not in search.text
    found = client.get("/aircargo/", params={"q": demo.DEMO_AWB}, follow_redirects=False)
    assert found.status_code == 404
    log = client.get("/aircargo/notifications")
    assert 'data-status="pending"' not in log.text


def test_a_signed_in_browser_can_open_the_iris_it_is_shown(client, waybill):
    """GET with the session works, so the IRIs on the record page open; writes need a key."""
    path = "/onerecord" + waybill.iri.split("/onerecord", 1)[1]
    assert client.get(path).status_code == 401
    sign_in(client, "viewer@a.example")
    opened = client.get(path)
    assert opened.status_code == 200, opened.text
    assert opened.json()["@id"] == waybill.iri
    write = client.post(
        "/onerecord/logistics-objects",
        content=b'{"@context": {"cargo": "https://onerecord.iata.org/ns/cargo#"}, '
        b'"@type": "cargo:Piece"}',
        headers={"Content-Type": "application/ld+json"},
    )
    assert write.status_code == 401


def test_anyone_can_track_an_air_waybill_but_sees_milestones_and_route_only(client, waybill):
    page = client.get("/aircargo/track?awb=00012345675")
    assert page.status_code == 200, page.text
    assert 'data-code="DEP"' in page.text
    assert "2026-11-21 17:40 UTC" in page.text  # DEP actual
    assert "PVG -&gt; AMS, PD931" in page.text
    assert "Pudong Air Cargo" not in page.text  # no parties
    assert "Precision bearings" not in page.text  # no goods
    chinese = client.get("/aircargo/track?awb=000-12345675&lang=zh-Hans")
    assert "航班已起飞" in chinese.text
    assert client.get("/aircargo/track?awb=000-12345676").status_code == 400  # check digit
    assert client.get("/aircargo/track?awb=000-12345686").status_code == 404  # nobody's
    assert client.get("/aircargo/track?awb=hello").status_code == 400
    assert client.get("/aircargo/track").status_code == 200


def test_tracking_can_be_reserved_to_signed_in_users(client, waybill, app):
    settings = app.state.platform.settings
    app.state.platform.settings = settings.model_copy(update={"onerecord_public_tracking": False})
    try:
        response = client.get("/aircargo/track?awb=000-12345675", follow_redirects=False)
        assert response.status_code in (302, 303)
        sign_in(client, "viewer@a.example")
        assert client.get("/aircargo/track?awb=000-12345675").status_code == 200
    finally:
        app.state.platform.settings = settings
