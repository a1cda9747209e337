"""The dataflow system on a real database: the API contract, the register's year-to-date
counts, anchoring in the ledger, permissions, the CLI contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from digitrade.cli import app as cli_app
from digitrade.core.audit import AuditEvent
from digitrade.core.auth.permissions import Role
from digitrade.core.ledger import service as ledger
from digitrade.core.ledger.models import LedgerEntry
from digitrade.systems.dataflow.models import Assessment, Transfer
from tests.conftest import bearer
from tests.core.ledger.conftest import KEK, PREFIX

CONTRACT_KEYS = {"pathway", "basis", "obligations", "deadlines", "rules_version"}


def request(individuals=120_000, sensitive=0, purpose="other", **data):
    return {
        "as_of": "2026-06-30",
        "processor": {"name": "Exporter", "is_ciio": False, "registered_in_ftz": False},
        "transfer": {"purpose": purpose, "recipient_country": "DE"},
        "data": {
            "personal_information": True,
            "individuals": individuals,
            "sensitive_individuals": sensitive,
            **data,
        },
    }


@pytest.fixture
def platform_log(db):
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()


def test_anyone_may_ask_and_nothing_is_stored(client, db):
    response = client.post("/api/dataflow/assessments", json=request(120_000))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.keys() >= CONTRACT_KEYS
    assert body["pathway"] == "STANDARD_CONTRACT_OR_CERTIFICATION"
    assert all({"instrument", "article", "reason"} <= b.keys() for b in body["basis"])
    assert body["assessment_id"] is None
    assert db.scalar(select(func.count()).select_from(Assessment)) == 0


def test_bad_input_names_the_field(client):
    bad = request()
    bad["data"]["individuals"] = -5
    response = client.post("/api/dataflow/assessments", json=bad)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.individuals"
    del bad["transfer"]["recipient_country"]
    bad["data"]["individuals"] = 1
    response = client.post("/api/dataflow/assessments", json=bad)
    assert response.json()["errors"][0]["field"] == "transfer.recipient_country"


def test_saved_assessment_adds_register_counts_and_is_anchored(
    client, db, world, api_key, platform_log
):
    token = api_key(Role.EDITOR)
    for individuals, purpose in (
        (60_000, "other"),
        (30_000, "other"),
        (500_000, "contract_with_individual"),
    ):
        response = client.post(
            "/api/dataflow/transfers",
            headers=bearer(token),
            json={
                "organisation_id": world.org_a,
                "transferred_on": "2026-03-01",
                "recipient": "R",
                "recipient_country": "DE",
                "purpose": purpose,
                "individuals": individuals,
                "sensitive_individuals": 0,
                "pathway": "EXEMPT",
            },
        )
        assert response.status_code == 201, response.text
    # A transfer of last year does not count this year.
    client.post(
        "/api/dataflow/transfers",
        headers=bearer(token),
        json={
            "organisation_id": world.org_a,
            "transferred_on": "2025-12-31",
            "recipient": "R",
            "recipient_country": "DE",
            "purpose": "other",
            "individuals": 900_000,
            "sensitive_individuals": 0,
            "pathway": "SECURITY_ASSESSMENT",
        },
    )
    summary = client.get(
        "/api/dataflow/register/summary",
        headers=bearer(token),
        params={"organisation_id": world.org_a, "as_of": "2026-06-30"},
    ).json()
    assert summary["individuals"] == 90_000  # the contract transfer is exempt and not counted

    entries_before = db.scalar(select(func.count()).select_from(LedgerEntry))
    response = client.post(
        "/api/dataflow/assessments",
        headers=bearer(token),
        params={"organisation_id": world.org_a},
        json=request(15_000),
    )
    body = response.json()
    assert response.status_code == 200, response.text
    # 90,000 already this year + 15,000 now crosses 100,000.
    assert body["counted_individuals"] == 105_000
    assert body["pathway"] == "STANDARD_CONTRACT_OR_CERTIFICATION"
    assert body["ledger"]["log"] == "platform"
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == entries_before + 1
    saved = client.get(
        f"/api/dataflow/assessments/{body['assessment_id']}", headers=bearer(token)
    ).json()
    assert saved["pathway"] == body["pathway"]
    pack = client.get(
        f"/api/dataflow/assessments/{body['assessment_id']}/pack", headers=bearer(token)
    )
    assert pack.status_code == 200
    assert pack.headers["content-type"] == "application/zip"


@pytest.mark.parametrize("role", [Role.VIEWER])
def test_wrong_role_cannot_save_or_register(client, db, world, api_key, platform_log, role):
    token = api_key(role)
    outsider_token = api_key(Role.OWNER, organisation_id=world.org_b)
    transfer = {
        "organisation_id": world.org_a,
        "transferred_on": "2026-03-01",
        "recipient": "R",
        "recipient_country": "DE",
        "purpose": "other",
        "individuals": 1,
        "sensitive_individuals": 0,
        "pathway": "EXEMPT",
    }
    before = (
        db.scalar(select(func.count()).select_from(Assessment)),
        db.scalar(select(func.count()).select_from(Transfer)),
        db.scalar(select(func.count()).select_from(AuditEvent)),
        db.scalar(select(func.count()).select_from(LedgerEntry)),
    )
    saved = client.post(
        "/api/dataflow/assessments",
        headers=bearer(token),
        params={"organisation_id": world.org_a},
        json=request(),
    )
    assert saved.status_code == 403
    outsider = client.post(
        "/api/dataflow/assessments",
        headers=bearer(outsider_token),
        params={"organisation_id": world.org_a},
        json=request(),
    )
    assert outsider.status_code == 403
    recorded = client.post("/api/dataflow/transfers", headers=bearer(token), json=transfer)
    assert recorded.status_code == 403
    assert client.post("/api/dataflow/transfers", json=transfer).status_code == 401
    saved_anonymously = client.post(
        "/api/dataflow/assessments", params={"organisation_id": world.org_a}, json=request()
    )
    assert saved_anonymously.status_code == 401
    after = (
        db.scalar(select(func.count()).select_from(Assessment)),
        db.scalar(select(func.count()).select_from(Transfer)),
        db.scalar(select(func.count()).select_from(AuditEvent)),
        db.scalar(select(func.count()).select_from(LedgerEntry)),
    )
    assert after == before


def test_cli_assess_contract(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request(1_000_000)))
    result = CliRunner().invoke(cli_app, ["dataflow", "assess", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body.keys() >= CONTRACT_KEYS
    assert body["pathway"] == "SECURITY_ASSESSMENT"
    path.write_text(json.dumps({**request(), "as_of": "yesterday"}))
    bad = CliRunner().invoke(cli_app, ["dataflow", "assess", str(path), "--format", "json"])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: as_of")
    assert bad.stdout == ""


def test_year_to_date_restarts_on_1_january(db, world, platform_log):
    from digitrade.systems.dataflow import service
    from digitrade.systems.dataflow.schemas import TransferCreate

    for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 1)):
        service.record_transfer(
            db,
            actor=world.admin,
            data=TransferCreate(
                organisation_id=world.org_a,
                transferred_on=day,
                recipient="R",
                recipient_country="US",
                purpose="other",
                individuals=10,
                sensitive_individuals=1,
                pathway="EXEMPT",
            ),
        )
    assert service.year_to_date(db, world.org_a, dt.date(2026, 1, 1)) == (10, 1)
    assert service.year_to_date(db, world.org_a, dt.date(2025, 12, 31)) == (10, 1)


def test_lists_match_and_categories_over_http(client):
    lists = client.get("/api/dataflow/lists").json()
    assert {"CN-SH-FTZ", "CN-SH-LINGANG"} <= {item["jurisdiction"] for item in lists}
    # Nothing shipped claims to be complete: the product says plainly what is unverified.
    assert not any(item["complete"] for item in lists)
    covered = client.get(
        "/api/dataflow/lists/match",
        params={
            "jurisdiction": "CN-SH-FTZ",
            "sector": "nowhere",
            "item": ["x"],
            "as_of": "2026-06-01",
        },
    )
    assert covered.json()["result"] == "not_covered"
    assert (
        client.get("/api/dataflow/lists/match", params={"jurisdiction": "CN-SH-FTZ"}).status_code
        == 422
    )
    categories = client.get("/api/dataflow/categories").json()
    sensitive = [c for c in categories["categories"] if c["sensitive"]]
    assert sensitive
    assert all(c["personal"] for c in sensitive)


def test_recording_a_transfer_warns_when_a_tier_is_reached(client, world, api_key, platform_log):
    token = api_key(Role.EDITOR)
    body = {
        "organisation_id": world.org_a,
        "transferred_on": "2026-03-01",
        "recipient": "R",
        "recipient_country": "DE",
        "purpose": "other",
        "individuals": 99_999,
        "sensitive_individuals": 0,
        "pathway": "EXEMPT",
    }
    assert (
        client.post("/api/dataflow/transfers", headers=bearer(token), json=body).json()["warnings"]
        == []
    )
    crossed = client.post(
        "/api/dataflow/transfers", headers=bearer(token), json={**body, "individuals": 1}
    ).json()
    assert "standard contract or certification" in crossed["warnings"][0]
    sensitive = client.post(
        "/api/dataflow/transfers",
        headers=bearer(token),
        json={**body, "individuals": 0, "sensitive_individuals": 10_000},
    ).json()
    assert "security assessment" in sensitive["warnings"][0]


def test_organisation_extends_the_taxonomy(client, db, world, api_key):
    token = api_key(Role.EDITOR)
    entry = {
        "code": "org.telematics",
        "name_en": "Vehicle telematics",
        "name_zh": "车辆远程信息",
        "personal": True,
        "sensitive": True,
        "default_grade": "general",
        "basis": [{"instrument": "PIPL", "article": "Art 28"}],
    }
    url = f"/api/dataflow/organisations/{world.org_a}/categories"
    created = client.post(url, headers=bearer(token), json=entry)
    assert created.status_code == 201, created.text
    mine = client.get(
        "/api/dataflow/categories", headers=bearer(token), params={"organisation_id": world.org_a}
    ).json()
    assert "org.telematics" in {c["code"] for c in mine["categories"]}
    shipped = client.get("/api/dataflow/categories").json()
    assert "org.telematics" not in {c["code"] for c in shipped["categories"]}
    # Refused, and nothing written: a duplicate code, a grade outside GB/T 43697-2024,
    # sensitive without personal, a viewer's request.
    for bad, status in (
        (entry, 422),
        ({**entry, "code": "org.x", "default_grade": "secret"}, 422),
        ({**entry, "code": "org.y", "personal": False}, 422),
    ):
        response = client.post(url, headers=bearer(token), json=bad)
        assert response.status_code == status, response.text
    assert (
        client.post(
            url, headers=bearer(api_key(Role.VIEWER)), json={**entry, "code": "org.z"}
        ).status_code
        == 403
    )
    codes = {
        c["code"]
        for c in client.get(
            "/api/dataflow/categories",
            headers=bearer(token),
            params={"organisation_id": world.org_a},
        ).json()["categories"]
    }
    assert not {"org.x", "org.y", "org.z"} & codes
