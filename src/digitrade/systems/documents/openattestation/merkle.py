"""OpenAttestation's batch Merkle proof (``src/shared/merkle/merkle.ts`` of the reference library).

A batch of wrapped documents is committed to by one ``merkleRoot``. Each document carries its own
``targetHash`` and the sibling hashes on the way up (``signature.proof`` in v2, ``proof.proofs``
in v3/v4). The proof has no left/right bits: each parent is ``keccak256`` of the two 32-byte
children **sorted bytewise and concatenated** (``combineHashBuffers``/``bufSortJoin``), and an odd
node out is promoted unchanged. There is no leaf/node domain separation, so this is not an RFC 6962
tree; it must be checked exactly this way to agree with issued documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from digitrade.systems.documents.openattestation._hashing import keccak256

__all__ = ["HEX_DIGITS", "MerkleCheck", "check_proof", "combine", "parse_hash"]

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def parse_hash(value: object) -> bytes | None:
    """32 bytes from 64 hex digits without ``0x``, or ``None`` when ``value`` is not that.

    The reference decodes with Node's lenient ``Buffer.from(hex, "hex")``, which silently stops at
    the first bad digit; we refuse anything but a well-formed hash, so a malformed value can only
    make a proof fail, never pass.
    """
    if not isinstance(value, str) or len(value) != 64 or not HEX_DIGITS.issuperset(value):
        return None
    return bytes.fromhex(value)


def combine(first: bytes, second: bytes) -> bytes:
    """Parent of two nodes: keccak256 of the pair sorted bytewise, then concatenated."""
    return keccak256(first + second if first <= second else second + first)


class MerkleCheck:
    """Outcome of :func:`check_proof`: ``ok`` and, when not ok, a plain-English ``problem``."""

    __slots__ = ("ok", "problem")

    def __init__(self, ok: bool, problem: str = "") -> None:
        self.ok = ok
        self.problem = problem


def check_proof(target_hash: object, proof: object, merkle_root: object) -> MerkleCheck:
    """Fold ``proof`` onto ``target_hash`` with :func:`combine` and compare with ``merkle_root``.

    Mirrors ``checkProof(proof, root, element)`` of the reference: a missing proof is an empty
    one (a single-document batch, where root == targetHash).
    """
    node = parse_hash(target_hash)
    if node is None:
        return MerkleCheck(False, "targetHash is not a 32-byte hex hash")
    root = parse_hash(merkle_root)
    if root is None:
        return MerkleCheck(False, "merkleRoot is not a 32-byte hex hash")
    if proof is None:
        proof = []
    if not isinstance(proof, Sequence) or isinstance(proof, str):
        return MerkleCheck(False, "the merkle proof is not a list of hashes")
    for index, step in enumerate(proof):
        sibling = parse_hash(step)
        if sibling is None:
            return MerkleCheck(False, f"merkle proof element {index} is not a 32-byte hex hash")
        node = combine(node, sibling)
    if node != root:
        return MerkleCheck(False, "the merkle proof does not lead from targetHash to merkleRoot")
    return MerkleCheck(True)
