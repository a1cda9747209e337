"""DCSA PINT 3.0 between two running platforms: this one (A, in process, the test database) and
a second one (B, ``digitrade serve`` in a subprocess with its own SQLite database and keys).

A's shipper transfers an eBL to a bank on B; B answers with a signed RECE and records the eBL as
the bank's. Replays get DUPE, forks DISE, tampered envelopes BENV / BSIG, and B records nothing
for what it refuses. A failed send (peer down or refusing) leaves A's title as it was.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from digitrade.core.auth.permissions import Role
from digitrade.core.config import get_settings
from digitrade.core.errors import PermissionDenied
from digitrade.systems.documents import pint_service, service
from digitrade.systems.documents.dcsa import jws, pint
from digitrade.systems.documents.demo import TRANSPORT_DOCUMENT
from digitrade.systems.documents.models import Document
from digitrade.systems.documents.pint_models import PintEnvelope
from digitrade.systems.documents.schemas import IssueRequest
from tests.conftest import bearer

PINT = "/api/documents/pint"
CODE_A, CODE_B = "PLTA", "PLTB"  # eblPlatform is at most 4 characters in PINT 3.0
BANK_SLUG = "harbour-bank-b"
BANK_NAME = "Harbour Bank B"
START_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PlatformB:
    url: str  # the PINT base URL a peer registers
    env: dict[str, str]
    database: Path
    bank_id: int
    bank_token: str

    def pint_cli(self, *args: str) -> None:
        """``digitrade documents pint ...``."""
        _run(self.env, [DIGITRADE, "documents", "pint", *args])

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()


DIGITRADE = str(Path(sys.executable).with_name("digitrade"))


def _run(env: dict[str, str], command: list[str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def _cli(env: dict[str, str], *args: str) -> Any:
    return json.loads(_run(env, [DIGITRADE, *args, "--format", "json"]))


@pytest.fixture(scope="module")
def platform_b(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformB]:
    """A second platform: its own database, keys and platform code, set up with the CLI and
    served by ``digitrade serve`` on a free loopback port."""
    home = tmp_path_factory.mktemp("platform-b")
    database = home / "b.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DIGITRADE_")},
        "DIGITRADE_DATABASE_URL": f"sqlite:///{database}",
        "DIGITRADE_EBL_PLATFORM_CODE": CODE_B,
        "DIGITRADE_PUBLIC_HOST": "platb.local",
        "DIGITRADE_KEY_ENCRYPTION_KEY": "platform b key-encryption key " + uuid.uuid4().hex,
        "DIGITRADE_SECRET_KEY": "platform b session secret " + uuid.uuid4().hex,
        "DIGITRADE_DATA_DIR": str(home / "var"),
        "DIGITRADE_LOG_LEVEL": "WARNING",
        "DIGITRADE_LOG_JSON": "false",
        "DIGITRADE_LEDGER_CHECKPOINT_INTERVAL_SECONDS": "0",
        "COLUMNS": "200",
    }
    _cli(env, "db", "upgrade")
    bank = _cli(env, "orgs", "create", BANK_SLUG, "--name", BANK_NAME, "--kind", "bank")
    key = _cli(env, "keys", "create", "--org", BANK_SLUG, "--name", "pint-test", "--role", "viewer")
    port = _free_port()
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    command = [DIGITRADE, *serve]
    log = (home / "serve.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise AssertionError((home / "serve.log").read_text(errors="replace"))
            try:
                if httpx.get(f"{root}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("platform B did not answer /healthz in time")
            time.sleep(0.1)
        yield PlatformB(
            url=f"{root}{PINT}",
            env=env,
            database=database,
            bank_id=int(bank["id"]),
            bank_token=str(key["token"]),
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture(autouse=True)
def platform_code_a(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DIGITRADE_EBL_PLATFORM_CODE", CODE_A)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def client_a(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def bank_b(name: str = BANK_NAME, code: str = BANK_SLUG) -> dict[str, Any]:
    return {
        "partyName": name,
        "eblPlatform": CODE_B,
        "identifyingCodes": [{"codeListProvider": CODE_B, "partyCode": code}],
    }


def issue_ebl(db: Any, trade: Any) -> int:
    subject = copy.deepcopy(TRANSPORT_DOCUMENT)
    # each test its own transport document: B keeps what it accepted across tests
    subject["transportDocumentReference"] = f"PINT{uuid.uuid4().hex[:12].upper()}"
    subject["isToOrder"] = False  # a straight bill: the holder may transfer to anyone
    detail = service.issue(
        db,
        actor=trade.carrier_user,
        organisation_id=trade.carrier,
        request=IssueRequest(
            kind="transport-document", subject=subject, holder_organisation_id=trade.shipper
        ),
    )
    db.commit()
    return detail.id


def connect(db: Any, world: Any, client_a: TestClient, b: PlatformB, tmp_path: Path) -> None:
    """Each platform registers the other: B trusts A's JWK Set (platform and carrier keys,
    through its CLI), A trusts B's published platform key."""
    keys = tmp_path / "a.jwks.json"
    keys.write_text(json.dumps(client_a.get(f"{PINT}/jwks").json()))
    b.pint_cli("peer-add", "--code", CODE_A, "--url", "http://a.invalid", "--keys", str(keys))
    b_key = httpx.get(f"{b.url}/platform-key", timeout=5).json()
    pint_service.register_peer(
        db,
        actor=world.admin,
        data=pint_service.PeerRegistration(platform_code=CODE_B, base_url=b.url, public_key=b_key),
    )
    db.commit()


def b_resolver(b: PlatformB) -> jws.KeyResolver:
    jwk = httpx.get(f"{b.url}/platform-key", timeout=5).json()
    key = pint_service.public_key_from_jwk(jwk)
    return lambda kid: key if kid == jwk["kid"] else None


def post_envelope(b: PlatformB, envelope: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST an envelope to B; the HTTP status and the verified signed answer."""
    response = httpx.post(f"{b.url}/v3/envelopes", json=envelope, timeout=10)
    token = response.json()
    assert isinstance(token, str), response.text
    verified = pint.verify_response(token, b_resolver(b))
    assert pint.HTTP_STATUS[verified.response_code] == response.status_code
    return response.status_code, verified.payload


def resign_manifest(db: Any, envelope: dict[str, Any]) -> None:
    """Make the manifest match the envelope's (altered) document and last entry, signed with A's
    platform key, so only the alteration itself is left to find."""
    envelope["envelopeManifestSignedContent"] = jws.sign_compact(
        {
            "transportDocumentChecksum": pint.checksum_document(envelope["transportDocument"]),
            "lastEnvelopeTransferChainEntrySignedContentChecksum": pint.checksum_signed_content(
                envelope["envelopeTransferChain"][-1]
            ),
        },
        pint_service.platform_signer(db),
    )


def test_ebl_moves_to_a_bank_on_another_platform_and_cannot_be_spent_twice(
    db, world, trade, api_key, client_a, platform_b, tmp_path
):
    b = platform_b
    document_id = issue_ebl(db, trade)  # first: the carrier's key is made on first use
    connect(db, world, client_a, b, tmp_path)
    shipper = bearer(api_key(Role.EDITOR, organisation_id=trade.shipper))

    # the shipper checks the receiver first (PINT receiver validation)
    validated = httpx.post(
        f"{b.url}/v3/receiver-validation",
        json={"codeListProvider": CODE_B, "partyCode": BANK_SLUG},
        timeout=5,
    )
    assert validated.status_code == 200 and validated.json() == {"partyName": BANK_NAME}

    sent = client_a.post(
        f"{PINT}/send",
        json={
            "document_id": document_id,
            "acting_organisation_id": trade.shipper,
            "recipient": bank_b(),
        },
        headers=shipper,
    )
    assert sent.status_code == 200, sent.text
    result = sent.json()
    assert result["response_code"] == "RECE" and result["peer"] == CODE_B
    # B's answer is signed with the key B publishes
    answer = pint.verify_response(result["signed_response"], b_resolver(b))
    assert answer.response_code is pint.ResponseCode.RECE
    assert answer.payload["receivedAdditionalDocumentChecksums"]  # the signed credential

    # A: nobody here controls the eBL; its title shows the TRANSFER to the bank on B
    db.expire_all()
    row = db.get(Document, document_id)
    assert row.holder_organisation_id is None and row.title_sequence == 2
    assert row.title_state["holder"]["eblPlatform"] == CODE_B
    events = result["document"]["title_events"]
    assert [e["action"] for e in events] == ["ISSUE", "TRANSFER"]
    assert events[-1]["recipient"] == BANK_NAME

    # B: the bank controls it
    received = httpx.get(
        f"{b.url}/received",
        params={"organisation_id": b.bank_id},
        headers=bearer(b.bank_token),
        timeout=5,
    )
    assert received.status_code == 200, received.text
    [ebl] = [
        e
        for e in received.json()
        if e["transport_document_reference"]
        == row.credential["credentialSubject"]["transportDocumentReference"]
    ]
    assert ebl["holder_organisation_id"] == b.bank_id and ebl["sender_platform"] == CODE_A
    assert ebl["title_status"] == "ISSUED" and ebl["chain_length"] == 1
    assert ebl["title_state"]["holder"]["partyName"] == BANK_NAME

    # the shipper cannot send it again: it no longer holds it
    again = client_a.post(
        f"{PINT}/send",
        json={
            "document_id": document_id,
            "acting_organisation_id": trade.shipper,
            "recipient": bank_b(),
        },
        headers=shipper,
    )
    assert again.status_code == 409, again.text
    assert again.headers["content-type"].startswith("application/problem+json")

    envelope = db.scalar(
        select(PintEnvelope.envelope).where(
            PintEnvelope.document_id == document_id, PintEnvelope.direction == "out"
        )
    )
    checksum = pint.checksum_document(envelope["transportDocument"])

    def b_state() -> tuple[Any, ...]:
        return (
            b.rows(
                "select count(*) from documents_pint_envelope where transport_document_checksum=?",
                checksum,
            ),
            b.rows(
                "select chain from documents_pint_ebl where transport_document_checksum=?", checksum
            ),
        )

    before = b_state()

    # a replay of the same envelope: DUPE, with the accepted last entry
    status, payload = post_envelope(b, envelope)
    assert (status, payload["responseCode"]) == (200, "DUPE")
    assert (
        payload["duplicateOfAcceptedEnvelopeTransferChainEntrySignedContent"]
        == (envelope["envelopeTransferChain"][-1])
    )

    # a fork: same document, a chain that diverges after ISSUE (built with A's own keys)
    first = jws.decode_compact(envelope["envelopeTransferChain"][0]).json_payload()
    issue, transfer = first["transactions"]
    other = bank_b("Someone Else", "someone-else")
    fork = pint.build_envelope(
        envelope["transportDocument"],
        [],
        {
            "eblPlatform": CODE_A,
            "issuanceManifestSignedContent": first["issuanceManifestSignedContent"],
            "transactions": [issue, {**transfer, "recipient": other}],
        },
        pint_service.platform_signer(db),
    )
    status, payload = post_envelope(b, fork)
    assert (status, payload["responseCode"]) == (409, "DISE")
    assert "diverges" in payload["reason"]

    # one byte changed in the transport document: BENV, naming the document checksum
    tampered = copy.deepcopy(envelope)
    reference = tampered["transportDocument"]["transportDocumentReference"]
    tampered["transportDocument"]["transportDocumentReference"] = reference[:-1] + (
        "X" if reference[-1] != "X" else "Y"
    )
    status, payload = post_envelope(b, tampered)
    assert (status, payload["responseCode"]) == (422, "BENV")
    assert "transportDocumentChecksum" in payload["reason"]

    # one character changed in the chain entry's signature (manifest re-signed to match): BSIG
    tampered = copy.deepcopy(envelope)
    head, body, signature = tampered["envelopeTransferChain"][0].split(".")
    middle = len(signature) // 2
    flipped = (
        signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
    )
    tampered["envelopeTransferChain"][0] = f"{head}.{body}.{flipped}"
    resign_manifest(db, tampered)
    status, payload = post_envelope(b, tampered)
    assert (status, payload["responseCode"]) == (422, "BSIG")
    assert "signature of entry 1" in payload["reason"]

    # nothing of the refused ones was recorded on B
    assert b_state() == before


def test_failed_send_leaves_the_title_with_the_holder(
    db, world, trade, api_key, client_a, platform_b, tmp_path
):
    b = platform_b
    document_id = issue_ebl(db, trade)  # first: the carrier's key is made on first use
    connect(db, world, client_a, b, tmp_path)
    shipper = bearer(api_key(Role.EDITOR, organisation_id=trade.shipper))
    # a peer that is down: nothing listens on its port
    pint_service.register_peer(
        db,
        actor=world.admin,
        data=pint_service.PeerRegistration(
            platform_code="PLTC",
            base_url=f"http://127.0.0.1:{_free_port()}{PINT}",
            public_key=httpx.get(f"{b.url}/platform-key", timeout=5).json(),
        ),
    )
    db.commit()

    def send(recipient: dict[str, Any]) -> httpx.Response:
        return client_a.post(
            f"{PINT}/send",
            json={
                "document_id": document_id,
                "acting_organisation_id": trade.shipper,
                "recipient": recipient,
            },
            headers=shipper,
        )

    def title() -> tuple[Any, ...]:
        db.expire_all()
        row = db.get(Document, document_id)
        return row.holder_organisation_id, row.title_sequence, row.last_event_checksum

    before = title()
    assert before[:2] == (trade.shipper, 1)

    down = send({**bank_b(), "eblPlatform": "PLTC"})
    assert down.status_code == 503, down.text
    assert down.json()["code"] == "service-unavailable"
    assert title() == before

    # B refuses a recipient it does not know, with a signed BENV
    refused = send(bank_b("Nobody", "nobody-here"))
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert (
        problem["responseCode"] == "BENV" and "not by a party of this platform" in problem["reason"]
    )
    assert pint.verify_response(problem["signedResponse"], b_resolver(b)).response_code.value == (
        "BENV"
    )
    assert title() == before
    assert not db.scalars(select(PintEnvelope).where(PintEnvelope.document_id == document_id)).all()

    # and the holder can still send it
    assert send(bank_b()).json()["response_code"] == "RECE"


def test_receiver_validation_key_and_peers_on_one_platform(db, world, trade, api_key, client_a):
    shipper_slug = "shanghai-shipper"
    found = client_a.post(
        f"{PINT}/v3/receiver-validation",
        json={"codeListProvider": CODE_A, "partyCode": shipper_slug},
    )
    assert found.status_code == 200 and found.json() == {"partyName": "Shanghai-Shipper"}
    unknown = client_a.post(
        f"{PINT}/v3/receiver-validation", json={"codeListProvider": CODE_A, "partyCode": "nobody"}
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")

    jwk = client_a.get(f"{PINT}/platform-key").json()
    assert jwk["kty"] == "OKP" and jwk["kid"] == pint_service.jwk_thumbprint(jwk)
    assert client_a.get(f"{PINT}/platform-key").json() == jwk  # made once, then kept

    registration = {"platform_code": "PLTB", "base_url": "http://b.invalid", "public_key": jwk}
    editor = bearer(api_key(Role.OWNER, organisation_id=trade.shipper))
    refused = client_a.post(f"{PINT}/peers", json=registration, headers=editor)
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        pint_service.list_peers(db, actor=trade.shipper_user)
    raw = pint_service.register_peer(
        db,
        actor=world.admin,
        data=pint_service.PeerRegistration(
            platform_code="PLTB",
            base_url="http://b.invalid/",
            public_key=jws.b64url_decode(jwk["x"]).hex(),
        ),
    )
    assert raw.kid == jwk["kid"] and raw.base_url == "http://b.invalid"

    # an envelope that is not one is a problem, not a signed answer
    bad = client_a.post(f"{PINT}/v3/envelopes", json={"transportDocument": {}})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
