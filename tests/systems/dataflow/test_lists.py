"""Installing an FTZ list edition: administrators only, all or nothing, then used for matching."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from digitrade.core.audit import AuditEvent
from digitrade.core.auth.permissions import Role
from digitrade.core.ledger import service as ledger
from digitrade.core.ledger.models import LedgerEntry
from digitrade.systems.dataflow.ftz import Pathway, dump_csv, dump_json
from digitrade.systems.dataflow.models import InstalledList
from tests.conftest import bearer
from tests.core.ledger.conftest import KEK, PREFIX
from tests.systems.dataflow.ftz.factories import make_list, make_row
from tests.web.test_pages import csrf_of, sign_in

OFFICIAL = make_list(
    (
        make_row(
            "SH-1",
            sector="international shipping",
            item="crew passport number",
            pathway=Pathway.SECURITY_ASSESSMENT,
        ),
    ),
    jurisdiction="CN-SH-FTZ",
    version="2024",  # the same edition as the shipped placeholder: it replaces it
)


@pytest.fixture(autouse=True)
def platform_log(db):
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()


def counts(db):
    db.expire_all()
    return tuple(
        db.scalar(select(func.count()).select_from(t))
        for t in (InstalledList, LedgerEntry, AuditEvent)
    )


def test_admin_installs_a_list_and_matching_uses_it(client, db, world):
    sign_in(client, "admin@test.example")
    response = client.post(
        "/dataflow/lists",
        data={"csrf_token": csrf_of(client, "/dataflow/lists")},
        files={"file": ("official.csv", dump_csv(OFFICIAL).encode(), "text/csv")},
    )
    assert response.status_code == 201, response.text
    assert 'role="status"' in response.text
    found = client.get(
        "/api/dataflow/lists/match",
        params={
            "jurisdiction": "CN-SH-FTZ",
            "sector": "international shipping",
            "item": ["crew passport number"],
            "as_of": "2026-01-01",
        },
    ).json()
    assert found["result"] == "on_list"
    assert found["list_version"] == "2024"
    sources = {
        (i["jurisdiction"], i["version"]): i["source"]
        for i in client.get("/api/dataflow/lists").json()
    }
    assert sources[("CN-SH-FTZ", "2024")] == "installed"
    assert found["rows"][0]["pathway"] == "security_assessment"
    again = client.post(
        "/dataflow/lists",
        data={"csrf_token": csrf_of(client, "/dataflow/lists")},
        files={"file": ("again.json", dump_json(OFFICIAL).encode(), "application/json")},
    )
    assert again.status_code == 409


def test_a_bad_file_installs_nothing_and_lists_every_error(client, db, world):
    sign_in(client, "admin@test.example")
    before = counts(db)
    broken = dump_csv(OFFICIAL).replace("security_assessment", "fax_it_abroad")
    response = client.post(
        "/dataflow/lists",
        data={"csrf_token": csrf_of(client, "/dataflow/lists")},
        files={"file": ("broken.csv", broken.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert 'data-testid="import-issues"' in response.text
    assert "pathway" in response.text
    wrong_type = client.post(
        "/dataflow/lists",
        data={"csrf_token": csrf_of(client, "/dataflow/lists")},
        files={"file": ("list.pdf", b"%PDF", "application/pdf")},
    )
    assert wrong_type.status_code == 422
    assert counts(db) == before


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_only_administrators_install_lists(client, db, world, api_key, role):
    token = api_key(role)
    before = counts(db)
    response = client.post(
        "/api/dataflow/lists",
        headers=bearer(token),
        files={"file": ("official.json", dump_json(OFFICIAL).encode())},
    )
    assert response.status_code == 403
    assert (
        client.post(
            "/api/dataflow/lists", files={"file": ("official.json", dump_json(OFFICIAL).encode())}
        ).status_code
        == 401
    )
    assert counts(db) == before


def test_categories_page_adds_and_refuses(client, db, world):
    from digitrade.systems.dataflow.models import OrganisationCategory

    assert client.get("/dataflow/categories", follow_redirects=False).status_code == 303
    sign_in(client, "editor@a.example")
    page = client.get(f"/dataflow/categories?organisation_id={world.org_a}")
    assert 'method="post" action="/dataflow/categories"' in page.text
    form = {
        "organisation_id": str(world.org_a),
        "code": "org.telematics",
        "name_en": "Vehicle telematics",
        "name_zh": "车辆远程信息",
        "personal": "on",
        "sensitive": "on",
        "default_grade": "general",
    }
    added = client.post(
        "/dataflow/categories",
        data={**form, "csrf_token": csrf_of(client, "/dataflow/categories")},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "org.telematics" in client.get(added.headers["location"]).text
    refused = client.post(
        "/dataflow/categories",
        data={
            **form,
            "code": "org.other",
            "personal": "",
            "csrf_token": csrf_of(client, "/dataflow/categories"),
        },
    )
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(OrganisationCategory)) == 1
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "viewer@a.example")
    assert (
        'method="post" action="/dataflow/categories"'
        not in client.get(f"/dataflow/categories?organisation_id={world.org_a}").text
    )
