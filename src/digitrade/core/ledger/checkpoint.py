"""C2SP transparency log checkpoints: the signed tree head as a note body (pure).

c2sp.org/tlog-checkpoint, "Note text":

    <origin>
    <tree size, ASCII decimal without leading zeroes>
    <base64 RFC 6962 root hash>
    [<extension line>...]

Each line ends with a newline. A checkpoint is signed as a note (``note.sign_note``) by the log and
cosigned by witnesses (``note.CosignatureV1Signer``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digitrade.core.ledger.merkle import HASH_SIZE, MAX_TREE_SIZE
from digitrade.core.ledger.note import (
    MalformedNoteError,
    Note,
    Verifier,
    check_note_text,
    open_note,
)

_TREE_SIZE = re.compile("0|[1-9][0-9]*")  # ASCII only: Python's int() also takes "٣", "1_0", " 1"


class CheckpointError(ValueError):
    """A checkpoint body that does not follow c2sp.org/tlog-checkpoint."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The note text of this checkpoint, checked like ``format_checkpoint``."""
        return format_checkpoint(self.origin, self.tree_size, self.root_hash, self.extensions)


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    note: Note


def _check_line(line: str, what: str) -> None:
    if not line:
        raise CheckpointError(f"{what} must not be empty")
    if "\n" in line:
        raise CheckpointError(f"{what} must be a single line")
    try:
        check_note_text(line + "\n")
    except MalformedNoteError as error:
        raise CheckpointError(f"{what}: {error}") from None


def _encode_root_hash(root_hash: bytes) -> str:
    if len(root_hash) != HASH_SIZE:
        raise CheckpointError(f"root hash has {len(root_hash)} bytes, SHA-256 has {HASH_SIZE}")
    return base64.b64encode(root_hash).decode("ascii")


def format_checkpoint(
    origin: str, tree_size: int, root_hash: bytes, extensions: Sequence[str] = ()
) -> str:
    """Checkpoint note text: origin, tree size, base64 root hash, extension lines, each ending
    in a newline."""
    _check_line(origin, "origin")
    if isinstance(tree_size, bool) or not 0 <= tree_size <= MAX_TREE_SIZE:
        raise CheckpointError(f"tree size {tree_size!r} is outside 0..2**64-1")
    lines = [origin, str(tree_size), _encode_root_hash(root_hash)]
    for position, extension in enumerate(extensions):
        _check_line(extension, f"extension line {position + 1}")
        lines.append(extension)
    return "\n".join(lines) + "\n"


def _parse_tree_size(line: str) -> int:
    if not _TREE_SIZE.fullmatch(line):
        raise CheckpointError(
            f"tree size {line!r} must be ASCII decimal digits without leading zeroes"
        )
    size = int(line)
    if size > MAX_TREE_SIZE:
        raise CheckpointError(f"tree size {line} is larger than 2**64-1")
    return size


def _parse_root_hash(line: str) -> bytes:
    try:
        root_hash = base64.b64decode(line, validate=True)
    except binascii.Error:
        raise CheckpointError(f"root hash {line!r} is not valid base64") from None
    if len(root_hash) != HASH_SIZE:
        raise CheckpointError(f"root hash has {len(root_hash)} bytes, SHA-256 has {HASH_SIZE}")
    # One hash, one spelling: base64 with stray bits in the last character is refused.
    if base64.b64encode(root_hash).decode("ascii") != line:
        raise CheckpointError(f"root hash {line!r} is not canonical base64")
    return root_hash


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint note text strictly (c2sp.org/tlog-checkpoint, "Note text")."""
    try:
        check_note_text(text)
    except MalformedNoteError as error:
        raise CheckpointError(f"checkpoint: {error}") from None
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(
            "checkpoint needs at least three lines: origin, tree size and root hash"
        )
    origin, size_line, hash_line, *extensions = lines
    if not origin:
        raise CheckpointError("origin line must not be empty")
    tree_size = _parse_tree_size(size_line)
    root_hash = _parse_root_hash(hash_line)
    for position, extension in enumerate(extensions):
        if not extension:
            raise CheckpointError(f"extension line {position + 1} must not be empty")
    return Checkpoint(origin, tree_size, root_hash, tuple(extensions))


def open_checkpoint(
    message: str | bytes, verifiers: Iterable[Verifier], *, origin: str | None = None
) -> SignedCheckpoint:
    """Verify a signed checkpoint note and parse its body.

    ``origin``, when given, must equal the checkpoint's origin line: a client must know which log
    it is talking to, and a valid signature by a key it trusts for another log proves nothing.
    """
    note = open_note(message, verifiers)
    checkpoint = parse_checkpoint(note.text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint is for log {checkpoint.origin!r}, expected {origin!r}")
    return SignedCheckpoint(checkpoint, note)
