"""The ledger service on a real database: appends, integration, proofs, checkpoints, witnesses."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from digitrade.core.errors import NotFound, ValidationFailed
from digitrade.core.ledger import merkle, service
from digitrade.core.ledger.checkpoint import open_checkpoint
from digitrade.core.ledger.models import LedgerEntry
from digitrade.core.ledger.note import (
    COSIGNATURE_V1,
    CosignatureV1Signer,
    encode_verifier_key,
    parse_verifier_key,
    sign_note,
)
from tests.core.ledger.conftest import KEK


def attest(db, log_name, n: int = 1, start: int = 0):
    return service.append_many(
        db,
        [
            service.NewEntry(
                "core.attestation",
                {"subject": f"bl-{i}", "statement": "issued"},
                submitter="user:1",
            )
            for i in range(start, start + n)
        ],
        log=log_name,
    )


def test_append_integrate_and_prove_inclusion(db, log_name):
    appended = attest(db, log_name, 21)
    db.commit()
    assert [a.index for a in appended] == list(range(21))
    head = service.integrate(db, log=log_name)
    assert head.size == 21
    for entry in appended:
        proof = service.inclusion_proof(db, log=log_name, index=entry.index)
        stored = db.get(LedgerEntry, (db.scalar(select(LedgerEntry.log_id)), entry.index))
        # The leaf is the RFC 8785 bytes of the envelope; its hash is what the tree commits to.
        assert hashlib.sha256(b"\x00" + stored.leaf_data).digest() == proof.leaf_hash
        merkle.verify_inclusion(
            proof.leaf_hash, entry.index, proof.tree_size, proof.hashes, head.root_hash
        )


def test_every_batch_shape_gives_the_reference_root(db, log_name):
    expected = merkle.InMemoryTree()
    for batch in (1, 2, 5, 8, 13, 1, 30):
        for a in attest(db, log_name, batch, start=expected.size):
            expected.append(a.leaf_hash)
        db.commit()
        assert service.integrate(db, log=log_name, batch_size=7).size <= expected.size
        while service.tree_head(db, service.get_log(db, log_name)).size < expected.size:
            service.integrate(db, log=log_name, batch_size=7)
        assert service.tree_head(db, service.get_log(db, log_name)).root_hash == expected.root()


def test_consistency_between_any_two_sizes(db, log_name):
    appended = attest(db, log_name, 40)
    db.commit()
    service.integrate(db, log=log_name)
    reference = merkle.InMemoryTree(a.leaf_hash for a in appended)
    for first, second in [(1, 1), (1, 40), (3, 8), (8, 17), (17, 40), (39, 40)]:
        proof = service.consistency_proof(db, log=log_name, first=first, second=second)
        assert proof.first_root == reference.root(first)
        assert proof.second_root == reference.root(second)
        merkle.verify_consistency(first, second, proof.hashes, proof.first_root, proof.second_root)
    with pytest.raises(ValidationFailed):
        service.consistency_proof(db, log=log_name, first=5, second=41)


def test_rolled_back_append_leaves_no_gap(db, log_name):
    attest(db, log_name, 2)
    db.commit()
    attest(db, log_name, 3)
    db.rollback()  # the change failed: its evidence goes with it, and so do its indexes
    again = attest(db, log_name, 1)
    db.commit()
    assert again[0].index == 2
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 3


def test_bad_entries_are_refused_before_writing(db, log_name):
    with pytest.raises(ValidationFailed, match="unknown entry kind"):
        service.append(db, kind="nobody.knows", payload={}, log=log_name)
    with pytest.raises(ValidationFailed) as info:
        service.append(db, kind="core.attestation", payload={"subject": ""}, log=log_name)
    assert {f.field for f in info.value.fields} >= {"payload", "payload.subject"}
    with pytest.raises(ValidationFailed, match="payload_digest"):
        service.append(db, kind="core.attestation", payload_digest="md5:abc", log=log_name)
    with pytest.raises(NotFound):
        service.append(
            db,
            kind="core.attestation",
            payload={"subject": "s", "statement": "t"},
            log="no-such-log",
        )
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_external_digest_entries(db, log_name):
    digest = "sha256:" + hashlib.sha256(b"a scanned bill of lading").hexdigest()
    appended = service.append(
        db, kind="core.attestation", payload_digest=digest, log=log_name, submitter="key:abc"
    )
    entry = db.get(LedgerEntry, (service.get_log(db, log_name).id, appended.index))
    assert b'"payloadDigest":"' + digest.encode() in entry.leaf_data
    assert b'"payload":' not in entry.leaf_data


def test_checkpoint_is_signed_by_the_log_key(db, log_name):
    attest(db, log_name, 9)
    db.commit()
    checkpoint = service.publish_checkpoint(db, log=log_name, kek=KEK)
    log = service.get_log(db, log_name)
    opened = open_checkpoint(
        checkpoint.note, [parse_verifier_key(service.verifier_key(log))], origin=log.origin
    )
    assert opened.checkpoint.tree_size == 9
    assert opened.checkpoint.root_hash == service.tree_head(db, log).root_hash
    assert service.publish_checkpoint(db, log=log_name, kek=KEK).id == checkpoint.id


def test_checkpoint_needs_the_right_key_encryption_key(db, log_name):
    from digitrade.core.crypto.keys import KeySealError

    attest(db, log_name, 1)
    with pytest.raises(KeySealError):
        service.publish_checkpoint(db, log=log_name, kek="wrong kek")


def test_witness_cosignatures_are_verified_and_served(db, log_name):
    attest(db, log_name, 5)
    checkpoint = service.publish_checkpoint(db, log=log_name, kek=KEK)
    witness_key = Ed25519PrivateKey.generate()
    witness_name = "witness.test.example"
    public = witness_key.public_key().public_bytes_raw()
    service.add_witness(
        db,
        log=log_name,
        verifier_key_text=encode_verifier_key(witness_name, COSIGNATURE_V1, public),
    )
    body = checkpoint.note[: checkpoint.note.index("\n\n") + 1]
    signer = CosignatureV1Signer(witness_name, witness_key, timestamp=int(time.time()))
    cosigned = sign_note(body, [signer])
    assert service.add_cosignatures(db, log=log_name, size=5, cosigned_note=cosigned) == 1
    assert service.add_cosignatures(db, log=log_name, size=5, cosigned_note=cosigned) == 0
    served = service.checkpoint_with_cosignatures(db, checkpoint)
    log = service.get_log(db, log_name)
    opened = open_checkpoint(
        served,
        [parse_verifier_key(service.verifier_key(log)), signer.verifier()],
        origin=log.origin,
    )
    assert {s.name for s in opened.note.signatures} == {log.origin, witness_name}

    stranger = CosignatureV1Signer("stranger.example", Ed25519PrivateKey.generate(), timestamp=1)
    with pytest.raises(ValidationFailed, match="no signature from a witness"):
        service.add_cosignatures(
            db, log=log_name, size=5, cosigned_note=sign_note(body, [stranger])
        )
    forged = cosigned.replace(cosigned.split(" ")[-1], "A" * 96 + "\n")
    with pytest.raises(ValidationFailed):
        service.add_cosignatures(db, log=log_name, size=5, cosigned_note=forged)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_ledger_entry SET submitter = 'mallory'",
        "DELETE FROM core_ledger_entry",
        "DELETE FROM core_ledger_node",
    ],
)
def test_database_refuses_to_rewrite_evidence(db, log_name, statement):
    attest(db, log_name, 3)
    db.commit()
    service.integrate(db, log=log_name)
    db.commit()
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(text(statement))


def test_leaf_is_rfc8785_for_any_payload(db, log_name):
    """Floats and non-ASCII keys take the full RFC 8785 path; plain payloads the fast one."""
    import rfc8785

    from digitrade.core.ledger.kinds import EntryKind, register_kinds

    register_kinds([EntryKind("test.measurement", 1, "test", {"type": "object"})])
    for payload in (
        {"ratio": 1.0, "big": 1e21, "tiny": 5e-324},
        {"\u00e9t\u00e9": 1, "b": [0.1]},
        {"plain": "yes", "n": 3},
    ):
        appended = service.append(db, kind="test.measurement", payload=payload, log=log_name)
        entry = db.get(LedgerEntry, (service.get_log(db, log_name).id, appended.index))
        assert entry.leaf_data == rfc8785.dumps(json.loads(entry.leaf_data))
        assert json.loads(entry.leaf_data)["payload"] == payload
