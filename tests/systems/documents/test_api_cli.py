"""The documents API (public verification, issuing and title actions with API keys, DID
documents and status lists, problem+json) and the ``digitrade documents`` command contracts."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from digitrade.cli import app as cli_app
from digitrade.core.auth import service as auth
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.schemas import ApiKeyCreate
from digitrade.core.config import get_settings
from digitrade.core.ledger import service as ledger
from digitrade.systems.documents.demo import TRANSPORT_DOCUMENT
from digitrade.systems.documents.models import Document, TitleEvent
from digitrade.systems.documents.types import examples
from tests.conftest import bearer
from tests.support import official_fixture, throwaway_database


@pytest.fixture
def key(db, world, trade):
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


def issue_over_http(client, key, trade) -> dict:
    response = client.post(
        "/api/documents/issue",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.carrier)),
        json={
            "kind": "transport-document",
            "subject": copy.deepcopy(TRANSPORT_DOCUMENT),
            "holder_organisation_id": trade.shipper,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_issue_transfer_and_public_verification(client, db, key, trade):
    ebl = issue_over_http(client, key, trade)
    moved = client.post(
        f"/api/documents/{ebl['id']}/title",
        headers=bearer(key(trade.shipper)),
        json={
            "action": "ENDORSE_TO_ORDER",
            "acting_organisation_id": trade.shipper,
            "recipient_organisation_id": trade.bank,
            "expected_sequence": 1,
        },
    )
    assert moved.status_code == 200, moved.text
    stale = client.post(
        f"/api/documents/{ebl['id']}/title",
        headers=bearer(key(trade.shipper)),
        json={
            "action": "TRANSFER",
            "acting_organisation_id": trade.shipper,
            "recipient_organisation_id": trade.outsider,
            "expected_sequence": 1,
        },
    )
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    ledger.integrate(db)
    db.commit()
    credential = client.get(
        f"/api/documents/{ebl['id']}/credential", headers=bearer(key(trade.carrier))
    )
    assert "attachment" in credential.headers["content-disposition"]
    verified = client.post(
        "/api/documents/verify", files={"file": ("ebl.json", credential.content)}
    )
    assert verified.status_code == 200
    body = verified.json()
    assert body["verified"] is True
    assert {c["name"] for c in body["checks"]} >= {"signature", "issuer", "ledger", "title"}
    public = client.get(f"/api/documents/public/{ebl['uuid']}")
    assert public.json()["verified"] is True


def test_did_document_and_status_list_are_public(client, key, trade):
    issue_over_http(client, key, trade)
    did = client.get("/api/documents/issuers/ocean-carrier/did.json")
    assert did.status_code == 200 and did.headers["content-type"] == "application/did+json"
    assert did.json()["id"].endswith(":api:documents:issuers:ocean-carrier")
    listed = client.get("/api/documents/issuers/ocean-carrier/status/revocation")
    assert listed.json()["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert client.get("/api/documents/issuers/nobody/did.json").status_code == 404
    assert client.get("/api/documents/issuers/ocean-carrier/status/other").status_code == 404


def test_refusals_are_problem_json_and_write_nothing(client, db, key, trade):
    anonymous = client.post(
        "/api/documents/issue",
        params={"organisation_id": trade.carrier},
        json={"kind": "transport-document", "subject": {}, "holder_organisation_id": trade.shipper},
    )
    assert anonymous.status_code == 401
    wrong_org = client.post(
        "/api/documents/issue",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.shipper)),
        json={
            "kind": "transport-document",
            "subject": copy.deepcopy(TRANSPORT_DOCUMENT),
            "holder_organisation_id": trade.shipper,
        },
    )
    assert wrong_org.status_code == 403
    bad_subject = client.post(
        "/api/documents/issue",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.carrier)),
        json={
            "kind": "transport-document",
            "subject": {"transportDocumentReference": "X"},
            "holder_organisation_id": trade.shipper,
        },
    )
    assert bad_subject.status_code == 422
    assert bad_subject.headers["content-type"].startswith("application/problem+json")
    assert db.scalar(select(func.count()).select_from(Document)) == 0
    garbage = client.post("/api/documents/verify", content=b"not json at all")
    assert garbage.status_code == 422


def test_non_holder_transfer_over_http_is_refused(client, db, key, trade):
    ebl = issue_over_http(client, key, trade)
    refused = client.post(
        f"/api/documents/{ebl['id']}/title",
        headers=bearer(key(trade.bank)),
        json={
            "action": "TRANSFER",
            "acting_organisation_id": trade.bank,
            "recipient_organisation_id": trade.outsider,
        },
    )
    assert refused.status_code == 409 and "only the holder" in refused.json()["detail"]
    assert db.scalar(select(func.count()).select_from(TitleEvent)) == 1


# CLI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("documents-cli")) as url:
        yield url


@pytest.fixture
def run(cli_database, monkeypatch):
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", cli_database)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(cli_app, list(args))
        if ok:
            assert result.exit_code == 0, result.output + str(result.exception)
        return result

    assert invoke("db", "upgrade").exit_code == 0
    yield invoke
    get_settings.cache_clear()


def test_cli_issue_transfer_verify_contract(run, tmp_path):
    for slug, kind in (("cli-carrier", "carrier"), ("cli-shipper", "enterprise"),
                       ("cli-bank", "bank")):  # fmt: skip
        run("orgs", "create", slug, "--name", slug.title(), "--kind", kind)
    run("ledger", "integrate")
    subject = tmp_path / "td.json"
    subject.write_text(json.dumps(TRANSPORT_DOCUMENT))
    out = tmp_path / "ebl.credential.json"
    issued = json.loads(
        run(
            "documents", "issue", "--kind", "transport-document", "--subject", str(subject),
            "--issuer", "cli-carrier", "--to", "cli-shipper", "--out", str(out),
            "--format", "json",
        ).stdout
    )  # fmt: skip
    document_id = str(issued["id"])
    run("documents", "endorse", document_id, "--as", "cli-shipper", "--to", "cli-bank")
    run("documents", "transfer", document_id, "--as", "cli-shipper", "--to", "cli-bank")
    run("ledger", "integrate")
    refused = run("documents", "transfer", document_id, "--as", "cli-shipper", "--to",
                  "cli-carrier", ok=False)  # fmt: skip
    assert refused.exit_code != 0 and refused.stderr.startswith("error: ")
    assert len(refused.stderr.strip().splitlines()) == 1
    report = run("documents", "verify", str(out), "--format", "json", ok=False)
    body = json.loads(report.stdout)
    assert set(body) >= {"verified", "checks"}
    assert all(set(check) >= {"name", "passed", "reason"} for check in body["checks"])
    assert report.exit_code == (0 if body["verified"] else 1)
    tampered = tmp_path / "tampered.json"
    changed = json.loads(out.read_text())
    changed["credentialSubject"]["shippedOnBoardDate"] = "2026-11-30"
    tampered.write_text(json.dumps(changed))
    bad = run("documents", "verify", str(tampered), "--format", "json", ok=False)
    assert bad.exit_code == 1 and json.loads(bad.stdout)["verified"] is False
    missing = run("documents", "verify", str(tmp_path / "absent.json"), ok=False)
    assert missing.exit_code != 0 and missing.stderr.startswith("error: ")


def test_cli_verifies_openattestation_offline(run):
    path = official_fixture("openattestation/oa-lib/v2/not-obfuscated-wrapped.json")
    result = run("documents", "verify", str(path), "--format", "json", ok=False)
    body = json.loads(result.stdout)
    assert body["format"] == "openattestation" and body["verified"] is False
    assert any("not checkable offline" in c["reason"] for c in body["checks"])


def test_batch_issuance_is_all_or_nothing(client, db, key, trade):
    good = {
        "kind": "certificate-of-origin",
        "subject": examples.illustrative_certificate_of_origin(),
    }
    bad = {"kind": "certificate-of-origin", "subject": {"certificateNumber": "X"}}
    refused = client.post(
        "/api/documents/issue-batch",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.carrier)),
        json=[good, bad, good],
    )
    assert refused.status_code == 422 and refused.json()["detail"].startswith("document 1:")
    assert db.scalar(select(func.count()).select_from(Document)) == 0
    issued = client.post(
        "/api/documents/issue-batch",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.carrier)),
        json=[good, good, good],
    )
    assert issued.status_code == 201, issued.text
    assert [d["kind"] for d in issued.json()] == ["certificate-of-origin"] * 3
    assert len({d["uuid"] for d in issued.json()}) == 3
    assert db.scalar(select(func.count()).select_from(Document)) == 3
    too_many = client.post(
        "/api/documents/issue-batch",
        params={"organisation_id": trade.carrier},
        headers=bearer(key(trade.carrier)),
        json=[],
    )
    assert too_many.status_code == 422
