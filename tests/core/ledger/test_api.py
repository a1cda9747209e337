"""The ledger over HTTP: public reads, role-checked appends, proofs, tiles, witnesses, audits."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from digitrade.core.auth.permissions import Role
from digitrade.core.ledger import merkle, mirror, service
from digitrade.core.ledger.models import LedgerCosignature, WitnessedLog
from digitrade.core.ledger.monitor import TreeHeadClaim, parse_entry_bundle
from digitrade.core.ledger.note import (
    COSIGNATURE_V1,
    CosignatureV1Signer,
    CosignatureV1Verifier,
    encode_verifier_key,
    parse_verifier_key,
    sign_note,
)
from digitrade.core.ledger.verify import open_log_checkpoint, verify_inclusion_offline
from tests.conftest import bearer
from tests.core.ledger.conftest import KEK, drop_guards


def append_via_api(client, token, org, n, log="platform"):
    results = []
    for i in range(n):
        response = client.post(
            f"/api/ledger/logs/{log}/entries",
            headers=bearer(token),
            json={
                "organisation_id": org,
                "subject": f"BL-{i}",
                "statement": "issued",
                "reference": "SHA123",
            },
        )
        assert response.status_code == 201, response.text
        results.append(response.json())
    return results


def test_append_prove_and_verify_offline(client, db, world, api_key, platform_log):
    token = api_key(Role.EDITOR)
    appended = append_via_api(client, token, world.org_a, 7)
    entry = client.get(f"/api/ledger/logs/{platform_log}/entries/3").json()
    assert entry["integrated"] is False
    assert entry["envelope"]["submitter"].startswith("key:")
    assert entry["envelope"]["payload"]["subject"] == "BL-3"

    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()
    log = client.get(f"/api/ledger/logs/{platform_log}").json()
    assert (log["size"], log["pending"]) == (7, 0)
    note = client.get(f"/api/ledger/logs/{platform_log}/checkpoint")
    assert note.headers["content-type"].startswith("text/plain")
    proof = client.get(
        f"/api/ledger/logs/{platform_log}/proofs/inclusion",
        params={"leaf_hash": appended[3]["leaf_hash"]},
    ).json()
    assert proof["index"] == 3
    leaf = json.dumps(
        entry["envelope"], separators=(",", ":"), sort_keys=True, ensure_ascii=False
    ).encode()
    result = verify_inclusion_offline(
        leaf=leaf,
        leaf_hash=None,
        index=3,
        tree_size=proof["tree_size"],
        proof=[base64.b64decode(h) for h in proof["hashes"]],
        checkpoint_note=note.text,
        log_key=log["verifier_key"],
    )
    assert result.ok, result.as_dict()
    # Anyone may read: no credentials were needed for any of the reads above.
    assert (
        client.get(
            f"/api/ledger/logs/{platform_log}/entries", params={"kind": "core.attestation"}
        ).json()["total"]
        == 7
    )


def test_consistency_proof_over_http(client, db, world, api_key, platform_log):
    token = api_key(Role.EDITOR)
    append_via_api(client, token, world.org_a, 5)
    service.integrate(db, log=platform_log)
    append_via_api(client, token, world.org_a, 4)
    service.integrate(db, log=platform_log)
    db.commit()
    proof = client.get(
        f"/api/ledger/logs/{platform_log}/proofs/consistency", params={"first": 5, "second": 9}
    ).json()
    merkle.verify_consistency(
        5,
        9,
        [base64.b64decode(h) for h in proof["hashes"]],
        base64.b64decode(proof["first_root"]),
        base64.b64decode(proof["second_root"]),
    )
    bad = client.get(
        f"/api/ledger/logs/{platform_log}/proofs/consistency", params={"first": 5, "second": 10}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "tree_size"


def test_tiles_follow_c2sp(client, db, world, api_key, platform_log):
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 3)
    service.integrate(db, log=platform_log)
    db.commit()
    tile = client.get(f"/api/ledger/logs/{platform_log}/tile/0/000.p/3")
    bundle = client.get(f"/api/ledger/logs/{platform_log}/tile/entries/000.p/3")
    assert tile.status_code == bundle.status_code == 200
    leaves = parse_entry_bundle(bundle.content)
    assert [tile.content[i * 32 : (i + 1) * 32] for i in range(3)] == [
        hashlib.sha256(b"\x00" + leaf).digest() for leaf in leaves
    ]
    assert client.get(f"/api/ledger/logs/{platform_log}/tile/0/000").status_code == 404
    assert client.get(f"/api/ledger/logs/{platform_log}/tile/0/000.p/4").status_code == 404


def test_unknown_log_and_bad_hash_are_problems(client, platform_log):
    assert client.get("/api/ledger/logs/nope").json()["code"] == "not-found"
    bad = client.get(f"/api/ledger/logs/{platform_log}/leaves/not-a-hash")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "leaf_hash"


def test_witness_protocol_and_cosignature_return(client, db, platform_log, world, api_key):
    """This instance witnesses its own log: add-checkpoint, then the log stores the cosignature."""
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 4)
    checkpoint = service.publish_checkpoint(db, log=platform_log, kek=KEK)
    log = service.get_log(db, platform_log)
    service.register_witnessed_log(db, log_verifier_key=service.verifier_key(log))
    witness_key = service.witness_verifier_key(db, name="witness.test.example", kek=KEK)
    service.add_witness(db, log=platform_log, verifier_key_text=witness_key)
    db.commit()
    client.app.state.platform.settings.witness_name = "witness.test.example"

    cosignature = client.post(
        "/api/ledger/witness/add-checkpoint",
        content=f"old 0\n\n{checkpoint.note}",
        headers={"Content-Type": "text/plain"},
    )
    assert cosignature.status_code == 200, cosignature.text
    body = checkpoint.note[: checkpoint.note.index("\n\n") + 1]
    assert isinstance(parse_verifier_key(witness_key), CosignatureV1Verifier)
    returned = client.post(
        f"/api/ledger/logs/{platform_log}/cosignatures",
        params={"size": 4},
        content=body + "\n" + cosignature.text,
        headers={"Content-Type": "text/plain"},
    )
    assert returned.json() == {"added": 1}
    served = client.get(f"/api/ledger/logs/{platform_log}/checkpoint").text
    assert served.count("\n\u2014 ") == 2
    open_log_checkpoint(served, service.verifier_key(log))

    # The witness now knows size 4: a stale request gets 409 and the size it knows.
    stale = client.post(
        "/api/ledger/witness/add-checkpoint",
        content=f"old 0\n\n{checkpoint.note}",
        headers={"Content-Type": "text/plain"},
    )
    assert stale.status_code == 409
    assert stale.text == "4\n"
    assert db.scalar(select(WitnessedLog.size)) == 4


def test_forged_cosignatures_change_nothing(client, db, platform_log, world, api_key):
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 2)
    checkpoint = service.publish_checkpoint(db, log=platform_log, kek=KEK)
    key = Ed25519PrivateKey.generate()
    service.add_witness(
        db,
        log=platform_log,
        verifier_key_text=encode_verifier_key(
            "w.example", COSIGNATURE_V1, key.public_key().public_bytes_raw()
        ),
    )
    db.commit()
    body = checkpoint.note[: checkpoint.note.index("\n\n") + 1]
    impostor = CosignatureV1Signer("w.example", Ed25519PrivateKey.generate(), timestamp=1)
    response = client.post(
        f"/api/ledger/logs/{platform_log}/cosignatures",
        params={"size": 2},
        content=sign_note(body, [impostor]),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    assert db.scalar(select(func.count()).select_from(LedgerCosignature)) == 0


def test_audit_detects_a_changed_entry(client, db, platform_log, world, api_key):
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 300)  # two entry bundles
    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()
    source = mirror.HttpLogSource(client, "http://testserver", platform_log)
    verdict, seen, _key = mirror.audit(source, log_key=None, seen=[])
    assert verdict.ok, verdict.as_dict()
    assert [c.size for c in seen] == [300]

    drop_guards(db)
    db.execute(
        text('UPDATE core_ledger_entry SET leaf_data = :forged WHERE "index" = 257'),
        {"forged": b'{"kind":"core.attestation","payload":{"subject":"BL-forged"}}'},
    )
    db.commit()
    verdict, _seen, _key = mirror.audit(source, log_key=None, seen=seen)
    assert not verdict.ok
    failed = [c for c in verdict.checks if not c.passed]
    assert {c.name for c in failed} == {
        "size 300 (checkpoint)",
        "size 300 (seen on an earlier run)",
    }


def test_audit_with_state_detects_rewritten_history(client, db, platform_log, world, api_key):
    token = api_key(Role.EDITOR)
    append_via_api(client, token, world.org_a, 6)
    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()
    source = mirror.HttpLogSource(client, "http://testserver", platform_log)
    verdict, seen, key = mirror.audit(source, log_key=None, seen=[])
    assert verdict.ok

    # The operator rewrites the log from entry 3 on, and hides the old checkpoint.
    drop_guards(db)
    log_id = service.get_log(db, platform_log).id
    for statement in (
        "DELETE FROM core_ledger_cosignature",
        "DELETE FROM core_ledger_checkpoint",
        "DELETE FROM core_ledger_node WHERE log_id = :log",
        'DELETE FROM core_ledger_entry WHERE log_id = :log AND "index" >= 3',
        "UPDATE core_ledger_log SET next_index = 3 WHERE id = :log",
        "UPDATE core_ledger_tree SET size = 0 WHERE log_id = :log",
    ):
        db.execute(text(statement), {"log": log_id})
    db.commit()
    append_via_api(client, token, world.org_a, 5)
    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()

    fresh, _, _ = mirror.audit(source, log_key=key, seen=[])
    assert fresh.ok  # a newcomer sees a self-consistent log...
    verdict, _, _ = mirror.audit(source, log_key=key, seen=seen)
    assert not verdict.ok  # ...but a monitor that saw the old checkpoint catches the rewrite
    assert [c.name for c in verdict.checks if not c.passed] == ["size 6 (seen on an earlier run)"]


def test_audit_reports_a_log_cut_back(client, db, platform_log, world, api_key):
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 2)
    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()
    source = mirror.HttpLogSource(client, "http://testserver", platform_log)
    verdict, _, _ = mirror.audit(
        source, log_key=None, seen=[TreeHeadClaim(5, b"\x00" * 32, "seen on an earlier run")]
    )
    assert not verdict.ok
    assert "history was cut back" in verdict.checks[-2].detail


def test_mirror_folder_round_trip(client, db, platform_log, world, api_key, tmp_path):
    append_via_api(client, api_key(Role.EDITOR), world.org_a, 3)
    service.publish_checkpoint(db, log=platform_log, kek=KEK)
    db.commit()
    source = mirror.HttpLogSource(client, "http://testserver", platform_log)
    assert mirror.export(source, tmp_path, 3) == 1
    verdict, _, _ = mirror.audit(mirror.DirectoryLogSource(tmp_path), log_key=None, seen=[])
    assert verdict.ok
    (tmp_path / "tile/entries/000.p/3").write_bytes(b"\x00\x02{}" * 3)
    verdict, _, _ = mirror.audit(mirror.DirectoryLogSource(tmp_path), log_key=None, seen=[])
    assert not verdict.ok
