"""What a monitor does (pure): replay every entry of a log and check each signed checkpoint,
and every checkpoint seen on earlier runs, against the tree rebuilt from the entries.

A mismatch means an entry was changed after it was logged, or history was rewritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digitrade.core.ledger.merkle import MerkleFrontier
from digitrade.core.ledger.verify import Check, Verification


@dataclass(frozen=True)
class TreeHeadClaim:
    """A (size, root) the log once committed to: a signed checkpoint, or one seen before."""

    size: int
    root_hash: bytes
    source: str  # "checkpoint" or "seen on an earlier run"


def replay(leaves: Iterable[bytes], claims: Sequence[TreeHeadClaim]) -> Verification:
    """Rebuild the tree from the entries (RFC 8785 bytes, in index order) and test each claim."""
    pending = sorted(claims, key=lambda claim: claim.size)
    checks: list[Check] = []
    frontier = MerkleFrontier()
    position = 0
    sha256 = hashlib.sha256

    def settle() -> None:
        nonlocal position
        while position < len(pending) and pending[position].size == frontier.size:
            claim = pending[position]
            root = frontier.root()
            checks.append(
                Check(
                    f"size {claim.size} ({claim.source})",
                    root == claim.root_hash,
                    "entries rebuild the signed root"
                    if root == claim.root_hash
                    else f"entries give root {root.hex()}, the log signed {claim.root_hash.hex()}",
                )
            )
            position += 1

    settle()
    for leaf in leaves:
        frontier.append(sha256(b"\x00" + leaf).digest())
        settle()
    for claim in pending[position:]:
        checks.append(
            Check(
                f"size {claim.size} ({claim.source})",
                False,
                f"the log now holds only {frontier.size} entries: history was cut back",
            )
        )
    checks.append(Check("entries", True, f"{frontier.size} entries replayed"))
    return Verification(checks)


def parse_entry_bundle(data: bytes) -> list[bytes]:
    """Split a c2sp.org/tlog-tiles entry bundle: big-endian uint16 length, then the entry."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise ValueError("entry bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise ValueError("entry bundle ends inside an entry")
        entries.append(data[offset : offset + length])
        offset += length
    return entries


def tile_path(index: int, width: int = 256) -> str:
    """c2sp.org/tlog-tiles path of tile ``index``: ``x001/x234/067`` (``.p/W`` if partial)."""
    digits = f"{index:03d}"
    groups = [digits[max(i - 3, 0) : i] for i in range(len(digits), 0, -3)][::-1]
    groups = [group.zfill(3) for group in groups]
    path = "/".join([*("x" + group for group in groups[:-1]), groups[-1]])
    return path if width == 256 else f"{path}.p/{width}"
