"""The monitor's HTTP API: public reads, agency-only imports (all-or-nothing, problem+json with
the row errors), returns and their review, OpenAPI listing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from digitrade.core.auth import service as auth
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.schemas import ApiKeyCreate
from digitrade.systems.statistics.models import DataImport, Observation
from tests.conftest import bearer

HEADER = "economy,period,code,flow,value,currency,unit_multiplier,basis,status,source\n"
GOOD = (
    HEADER
    + "CN-SH,2019,S,credit,50000,USD,6,bop,official,t\n"
    + "CN-SH,2019,S,debit,50000,USD,6,bop,official,t\n"
    + "CN-SH,2024,S,credit,100000,USD,6,bop,official,t\n"
    + "CN-SH,2024,S,debit,100000,USD,6,bop,official,t\n"
)


@pytest.fixture
def key(db, world, stats_world):
    def make(organisation_id: int, role: Role = Role.EDITOR) -> str:
        issued = auth.create_api_key(
            db,
            actor=world.admin,
            data=ApiKeyCreate(
                organisation_id=organisation_id, name=f"k{role}", role=role, expires_in_days=5
            ),
        )
        db.commit()
        return issued.token

    return make


def upload(client, token, content: str, name="f.csv", **params):
    return client.post(
        "/api/statistics/imports",
        params=params,
        headers=bearer(token) if token else {},
        files={"file": (name, content.encode())},
    )


def test_agency_imports_and_anyone_reads_progress(client, db, key, stats_world):
    response = upload(client, key(stats_world.agency), GOOD)
    assert response.status_code == 201, response.text
    assert response.json()["new"] == 4 and response.json()["committed"] is True
    progress = client.get("/api/statistics/progress", params={"economy": "CN-SH"})
    assert progress.status_code == 200
    services = next(t for t in progress.json()["targets"] if t["indicator"] == "services_total")
    assert services["required_cagr"] == "0.053874" and services["projected_year"] == 2026
    series = client.get("/api/statistics/series", params={"economy": "CN-SH", "code": "S"})
    assert [p["value"] for p in series.json()["points"]] == ["100000", "200000"]


def test_bad_file_is_problem_json_with_row_errors_and_nothing_stored(client, db, key, stats_world):
    bad = (
        GOOD
        + "CN-SH,2024,SQ,credit,1,USD,6,bop,official,t\n"
        + "CN-SH,20x4,SI,debit,1,USD,6,bop,official,t\n"
    )
    response = upload(client, key(stats_world.agency), bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["error_count"] == 2
    assert [(e["line"], e["code"]) for e in problem["errors"]] == [
        (6, "unknown-code"),
        (7, "bad-period"),
    ]
    assert db.scalar(select(func.count()).select_from(Observation)) == 0
    assert db.scalar(select(func.count()).select_from(DataImport)) == 0


def test_preview_stores_nothing(client, db, key, stats_world):
    response = upload(client, key(stats_world.agency), GOOD, preview="true")
    assert response.status_code == 201 and response.json()["committed"] is False
    assert db.scalar(select(func.count()).select_from(Observation)) == 0


@pytest.mark.parametrize("who", ["anonymous", "enterprise", "agency viewer"])
def test_import_refused_without_agency_rights(client, db, key, stats_world, who):
    token = {
        "anonymous": None,
        "enterprise": key(stats_world.enterprises[0]),
        "agency viewer": key(stats_world.agency, Role.VIEWER),
    }[who]
    response = upload(client, token, GOOD)
    assert response.status_code in {401, 403}
    assert db.scalar(select(func.count()).select_from(Observation)) == 0


def test_wrong_file_type_is_a_clear_error(client, key, stats_world):
    response = upload(client, key(stats_world.agency), "x", name="figures.pdf")
    assert response.status_code == 422
    assert "csv" in response.json()["detail"]


def test_return_filing_and_review_over_http(client, key, stats_world):
    firm = stats_world.enterprises[0]
    body = {
        "period": "2026-Q3",
        "district": "CN-SH-310115",
        "lines": [{"code": "SI2", "partner": "USA", "flow": "credit", "value": "1000.00"}],
    }
    filed = client.put(
        "/api/statistics/returns",
        params={"organisation_id": firm, "submit": "true"},
        headers=bearer(key(firm)),
        json=body,
    )
    assert filed.status_code == 200, filed.text
    assert filed.json()["status"] == "submitted"
    refused = client.post(
        f"/api/statistics/returns/{filed.json()['id']}/review",
        headers=bearer(key(firm)),
        json={"action": "accept"},
    )
    assert refused.status_code == 403
    accepted = client.post(
        f"/api/statistics/returns/{filed.json()['id']}/review",
        headers=bearer(key(stats_world.agency)),
        json={"action": "accept"},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    table = client.get("/api/statistics/direct-reporting/2026-Q3")
    assert table.status_code == 200
    cell = table.json()["cells"][0]
    assert cell["value"] is None and cell["suppressed"] == "few-contributors"
    anonymous = client.put("/api/statistics/returns", params={"organisation_id": firm}, json=body)
    assert anonymous.status_code == 401


def test_dashboard_and_openapi(client, key, stats_world):
    upload(client, key(stats_world.agency), GOOD)
    dashboard = client.get("/api/statistics/dashboard", params={"economy": "CN-SH"})
    assert dashboard.status_code == 200
    body = dashboard.json()
    assert body["definition"] == "mofcom_wto" and body["targets"]
    services = next(t for t in body["targets"] if t["indicator"] == "services_total")
    assert services["actual"][-1]["value"] == "200000.00"
    assert services["required"][-1]["year"] == 2029
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/statistics/progress", "/api/statistics/imports"} <= paths.keys()
    bad = client.get("/api/statistics/series", params={"economy": "CN-SH", "flow": "sideways"})
    assert bad.status_code == 422


def test_return_uploaded_as_csv(client, key, stats_world):
    firm = stats_world.enterprises[1]
    csv_text = "code,partner,flow,value\nSI21,USA,credit,2500.00\nSH,DEU,debit,300.00\n"
    response = client.post(
        "/api/statistics/returns/upload",
        params={"organisation_id": firm, "period": "2026-Q3", "district": "CN-SH-310104"},
        headers=bearer(key(firm)),
        files={"file": ("return.csv", csv_text.encode())},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["credit_total"], response.json()["debit_total"]) == (
        "2500.00",
        "300.00",
    )
    bad = client.post(
        "/api/statistics/returns/upload",
        params={"organisation_id": firm, "period": "2026-Q3", "district": "CN-SH-310104"},
        headers=bearer(key(firm)),
        files={"file": ("return.csv", b"code,flow\nSI,credit\n")},
    )
    assert bad.status_code == 422 and "missing column" in bad.json()["detail"]


def test_published_figures_carry_their_citations(client):
    figures = client.get("/api/statistics/published-figures").json()
    china_2023 = [
        f
        for f in figures
        if (f["economy"], f["period"], f["definition"]) == ("CHN", "2023", "mofcom_wto")
    ]
    assert china_2023 and china_2023[0]["value"] == "385.9"
    assert all(f["source"] for f in figures)
    page = client.get("/statistics/")
    assert "385.9" in page.text and 'data-testid="published-figures"' in page.text
