"""Offline verification and witnessing (pure: no database, no network).

What a client, an auditor or a witness runs on material it fetched or was handed: an entry, its
inclusion proof, a signed checkpoint and the log's public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from digitrade.core.ledger import merkle
from digitrade.core.ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from digitrade.core.ledger.note import NoteError, Verifier, parse_verifier_key


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Verification:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks
            ],
        }


def decode_hash(value: str) -> bytes:
    """A 32-byte hash given as 64 hex digits or as standard base64."""
    text = value.strip()
    try:
        raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise ValueError(f"{value!r} is neither hex nor base64") from None
    if len(raw) != merkle.HASH_SIZE:
        raise ValueError(f"a hash has {merkle.HASH_SIZE} bytes, got {len(raw)}")
    return raw


def open_log_checkpoint(note_text: str, log_key: str) -> Checkpoint:
    """Verify a checkpoint's signature by the log key (whose name is the log's origin)."""
    verifier = parse_verifier_key(log_key)
    return open_checkpoint(note_text, [verifier], origin=verifier.name).checkpoint


def verify_inclusion_offline(
    *,
    leaf: bytes | None,
    leaf_hash: bytes | None,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    checkpoint_note: str,
    log_key: str,
) -> Verification:
    """Is this entry (or leaf hash) in the log whose signed checkpoint we hold?"""
    checks: list[Check] = []
    if leaf is not None:
        computed = hashlib.sha256(b"\x00" + leaf).digest()
        if leaf_hash is not None and computed != leaf_hash:
            checks.append(
                Check("leaf-hash", False, "the entry does not hash to the given leaf hash")
            )
            return Verification(checks)
        leaf_hash = computed
        checks.append(Check("leaf-hash", True, f"SHA-256(0x00 || entry) = {computed.hex()}"))
    if leaf_hash is None:
        return Verification([Check("leaf-hash", False, "give the entry or its leaf hash")])
    try:
        checkpoint = open_log_checkpoint(checkpoint_note, log_key)
    except (NoteError, CheckpointError) as exc:
        return Verification([*checks, Check("checkpoint-signature", False, str(exc))])
    checks.append(
        Check(
            "checkpoint-signature",
            True,
            f"{checkpoint.origin} signed size {checkpoint.tree_size}",
        )
    )
    if tree_size != checkpoint.tree_size:
        checks.append(
            Check(
                "tree-size",
                False,
                f"the proof is for size {tree_size}, the checkpoint for {checkpoint.tree_size}",
            )
        )
        return Verification(checks)
    try:
        merkle.verify_inclusion(leaf_hash, index, tree_size, proof, checkpoint.root_hash)
    except merkle.ProofError as exc:
        checks.append(Check("inclusion", False, str(exc)))
    else:
        checks.append(Check("inclusion", True, f"entry {index} is in the tree of size {tree_size}"))
    return Verification(checks)


class WitnessError(Exception):
    """Why a witness refuses to cosign; ``status`` follows c2sp.org/tlog-witness."""

    def __init__(self, message: str, *, status: int, known_size: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.known_size = known_size


def witness_verify(
    *,
    log_verifier: Verifier,
    known_size: int,
    known_root: bytes | None,
    old_size: int,
    proof: Sequence[bytes],
    checkpoint_note: str,
) -> Checkpoint:
    """The witness's decision (c2sp.org/tlog-witness, add-checkpoint): the checkpoint must be
    signed by the log, and consistent with the last checkpoint this witness cosigned."""
    try:
        signed = open_checkpoint(checkpoint_note, [log_verifier], origin=log_verifier.name)
    except (NoteError, CheckpointError) as exc:
        raise WitnessError(f"checkpoint not signed by the log: {exc}", status=403) from None
    checkpoint = signed.checkpoint
    if old_size != known_size:
        raise WitnessError(
            f"the witness knows size {known_size}, not {old_size}",
            status=409,
            known_size=known_size,
        )
    if checkpoint.tree_size < known_size:
        raise WitnessError("the checkpoint is older than the one already cosigned", status=400)
    if known_size == 0:
        if proof:
            raise WitnessError("a proof from size 0 must be empty", status=400)
        return checkpoint
    assert known_root is not None
    if checkpoint.tree_size == known_size:
        if proof or checkpoint.root_hash != known_root:
            raise WitnessError("same size, different root: the log forked", status=409)
        return checkpoint
    try:
        merkle.verify_consistency(
            known_size, checkpoint.tree_size, proof, known_root, checkpoint.root_hash
        )
    except merkle.ProofError as exc:
        raise WitnessError(f"not consistent with size {known_size}: {exc}", status=422) from None
    return checkpoint
