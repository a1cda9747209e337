"""C2SP signed notes with Ed25519 signatures and Ed25519 checkpoint cosignatures (pure).

A note is UTF-8 text signed by one or more keys (c2sp.org/signed-note):

    <text ending in a newline>
    <blank line>
    — <key name> base64(4-byte key ID || signature)
    ...

Two signature types are supported: 0x01, Ed25519 over the note text (signed-note, "Ed25519
signatures"), and 0x04, the timestamped Ed25519 cosignature that witnesses put on checkpoints
(c2sp.org/tlog-cosignature, "cosignature/v1"). Key strings use the encoding of
golang.org/x/mod/sumdb/note, which the spec calls verifier keys ("vkeys").

Everything here is deterministic except ``generate_signer_key``, which draws a new random key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
"""Signature type of Ed25519 over the note text (signed-note, "Signature types")."""

COSIGNATURE_V1 = 0x04
"""Signature type of timestamped Ed25519 checkpoint cosignatures (tlog-cosignature)."""

SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100
"""Limit on signature lines per note; the spec requires accepting at least 16."""

MAX_TIMESTAMP = 2**63 - 1  # tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1
ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64
COSIGNATURE_SIZE = 8 + ED25519_SIGNATURE_SIZE
PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"

_CONTROL_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f]")
_KEY_ID_HEX = re.compile("[0-9a-f]{8}")


class NoteError(ValueError):
    """A note, key string or signature that cannot be used."""


class MalformedNoteError(NoteError):
    """The message is not a well-formed signed note."""


class MalformedKeyError(NoteError):
    """A verifier or signer key string is not well formed, or its key ID does not match."""


class InvalidSignatureError(NoteError):
    """A signature from a known key does not verify: the whole note is rejected."""

    def __init__(self, name: str, key_id: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")
        self.name = name
        self.key_id = key_id


class UnverifiedNoteError(NoteError):
    """The note is well formed but no known key signed it; ``note`` holds what was parsed."""

    def __init__(self, note: Note) -> None:
        names = ", ".join(f"{s.name}+{s.key_id:08x}" for s in note.unverified_signatures)
        super().__init__(f"note has no signature from a known key (signed by: {names or 'none'})")
        self.note = note


# --- Text rules (signed-note, "Format") ------------------------------------------------------


def is_valid_key_name(name: str) -> bool:
    """Key names are non-empty, with no Unicode spaces and no plus signs (signed-note, "Format")."""
    return (
        bool(name)
        and "+" not in name
        and not any(
            character.isspace() or unicodedata.category(character) in {"Zs", "Zl", "Zp"}
            for character in name
        )
        and _is_utf8(name)
    )


def _is_utf8(text: str) -> bool:
    # A Python string can hold lone surrogates, which have no UTF-8 encoding.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_note_text(text: str) -> None:
    """Raise unless ``text`` can be the text of a note: UTF-8, newline-terminated, and free of
    ASCII control characters other than newline (signed-note, "Format")."""
    if not text.endswith("\n"):
        raise MalformedNoteError("note text must end with a newline")
    _check_characters(text, "note text")


def _check_characters(text: str, what: str) -> None:
    if not _is_utf8(text):
        raise MalformedNoteError(f"{what} is not valid UTF-8")
    control = _CONTROL_CHARACTER.search(text)
    if control:
        raise MalformedNoteError(
            f"{what} contains control character U+{ord(control.group()):04X} at offset "
            f"{control.start()}; only newline is allowed"
        )


# --- Keys --------------------------------------------------------------------------------------


def key_id(name: str, signature_type: int, public_key: bytes) -> int:
    """SHA-256(key name || 0x0A || signature type || public key)[:4] as a big-endian uint32."""
    digest = hashlib.sha256(
        name.encode("utf-8") + b"\n" + bytes([signature_type]) + public_key
    ).digest()
    return int.from_bytes(digest[:4], "big")


def _raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _check_key_name(name: str) -> None:
    if not is_valid_key_name(name):
        raise MalformedKeyError(
            f"key name {name!r} is not valid: it must be non-empty, without spaces or '+'"
        )


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: header line, time line, then the checkpoint note text."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError(f"cosignature timestamp {timestamp} is outside 0..2**63-1")
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def cosignature_timestamp(signature: bytes) -> int:
    """POSIX time carried by a cosignature/v1 signature (its first 8 bytes, big-endian)."""
    if len(signature) != COSIGNATURE_SIZE:
        raise NoteError(
            f"a cosignature/v1 signature has {COSIGNATURE_SIZE} bytes, got {len(signature)}"
        )
    return int.from_bytes(signature[:8], "big")


class Verifier(Protocol):
    """A public key that can check note signatures of one signature type."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    @property
    def signature_type(self) -> int: ...

    def verify(self, text: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    """A private key that signs note texts with one signature type."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, text: bytes) -> bytes: ...


class Ed25519Verifier:
    """Checks type 0x01 signatures: plain Ed25519 over the note text."""

    signature_type: ClassVar[int] = ED25519
    __slots__ = ("_key", "key_id", "name", "public_key")

    def __init__(self, name: str, public_key: bytes) -> None:
        _check_key_name(name)
        if len(public_key) != ED25519_KEY_SIZE:
            raise MalformedKeyError(
                f"an Ed25519 public key has {ED25519_KEY_SIZE} bytes, got {len(public_key)}"
            )
        self.name = name
        self.public_key = bytes(public_key)
        self.key_id = key_id(name, self.signature_type, self.public_key)
        self._key = Ed25519PublicKey.from_public_bytes(self.public_key)

    def verify(self, text: bytes, signature: bytes) -> bool:
        return len(signature) == ED25519_SIGNATURE_SIZE and self._verify_ed25519(text, signature)

    def _verify_ed25519(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def verifier_key(self) -> str:
        return encode_verifier_key(self.name, self.signature_type, self.public_key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.verifier_key()!r})"


class CosignatureV1Verifier(Ed25519Verifier):
    """Checks type 0x04 signatures: 8-byte timestamp || Ed25519 over ``cosignature_message``."""

    signature_type: ClassVar[int] = COSIGNATURE_V1
    __slots__ = ()

    def verify(self, text: bytes, signature: bytes) -> bool:
        if len(signature) != COSIGNATURE_SIZE:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        return self._verify_ed25519(cosignature_message(text, timestamp), signature[8:])


class Ed25519Signer:
    """Signs note texts with an Ed25519 key (type 0x01)."""

    signature_type: ClassVar[int] = ED25519
    verifier_class: ClassVar[type[Ed25519Verifier]] = Ed25519Verifier
    __slots__ = ("_key", "key_id", "name", "public_key")

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_key_name(name)
        self.name = name
        self._key = private_key
        self.public_key = _raw_public_key(private_key.public_key())
        self.key_id = key_id(name, self.signature_type, self.public_key)

    def sign(self, text: bytes) -> bytes:
        return self._key.sign(text)

    def verifier(self) -> Ed25519Verifier:
        return self.verifier_class(self.name, self.public_key)

    def verifier_key(self) -> str:
        return encode_verifier_key(self.name, self.signature_type, self.public_key)

    def signer_key(self) -> str:
        """The secret ``PRIVATE+KEY+...`` string of this key: store it as a secret."""
        return encode_signer_key(self.name, self.signature_type, self._key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.verifier_key()!r})"


class CosignatureV1Signer(Ed25519Signer):
    """Cosigns checkpoints as a witness (type 0x04) at a given POSIX ``timestamp``.

    The time is an argument, not read from a clock, so signing stays deterministic: make one signer
    per cosigning moment.
    """

    signature_type: ClassVar[int] = COSIGNATURE_V1
    verifier_class: ClassVar[type[Ed25519Verifier]] = CosignatureV1Verifier
    __slots__ = ("timestamp",)

    def __init__(self, name: str, private_key: Ed25519PrivateKey, *, timestamp: int) -> None:
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise NoteError(f"cosignature timestamp {timestamp} is outside 0..2**63-1")
        super().__init__(name, private_key)
        self.timestamp = timestamp

    def sign(self, text: bytes) -> bytes:
        signature = self._key.sign(cosignature_message(text, self.timestamp))
        return self.timestamp.to_bytes(8, "big") + signature


_VERIFIER_CLASSES: dict[int, type[Ed25519Verifier]] = {
    ED25519: Ed25519Verifier,
    COSIGNATURE_V1: CosignatureV1Verifier,
}


def encode_verifier_key(name: str, signature_type: int, public_key: bytes) -> str:
    """``<name>+<hex key ID>+<base64(type || public key)>`` (signed-note, "Verifier keys")."""
    _check_key_name(name)
    identifier = key_id(name, signature_type, public_key)
    material = base64.b64encode(bytes([signature_type]) + public_key).decode("ascii")
    return f"{name}+{identifier:08x}+{material}"


def encode_signer_key(name: str, signature_type: int, private_key: Ed25519PrivateKey) -> str:
    """``PRIVATE+KEY+<name>+<hex key ID>+<base64(type || 32-byte seed)>`` (x/mod/sumdb/note)."""
    _check_key_name(name)
    if signature_type not in _VERIFIER_CLASSES:
        raise MalformedKeyError(f"unsupported signature type 0x{signature_type:02x}")
    identifier = key_id(name, signature_type, _raw_public_key(private_key.public_key()))
    seed = private_key.private_bytes_raw()
    material = base64.b64encode(bytes([signature_type]) + seed).decode("ascii")
    return f"{PRIVATE_KEY_PREFIX}{name}+{identifier:08x}+{material}"


def generate_signer_key(name: str, signature_type: int = ED25519) -> str:
    """A new random Ed25519 key as a signer key string (the only non-deterministic function)."""
    return encode_signer_key(name, signature_type, Ed25519PrivateKey.generate())


def _split_key_string(value: str, what: str) -> tuple[str, int, int, bytes]:
    """``name+hexid+base64(type || key)`` -> (name, key ID, type, key bytes)."""
    parts = value.split("+", 2)
    if len(parts) != 3:
        raise MalformedKeyError(f"{what} must be <name>+<hex key ID>+<base64 key>")
    name, identifier_hex, material_b64 = parts
    _check_key_name(name)
    if not _KEY_ID_HEX.fullmatch(identifier_hex):
        raise MalformedKeyError(f"{what} key ID {identifier_hex!r} is not 8 lowercase hex digits")
    try:
        material = base64.b64decode(material_b64, validate=True)
    except binascii.Error:
        raise MalformedKeyError(f"{what} key material is not valid base64") from None
    if len(material) < 2:
        raise MalformedKeyError(f"{what} key material is empty")
    return name, int(identifier_hex, 16), material[0], material[1:]


def parse_verifier_key(vkey: str) -> Ed25519Verifier:
    """Verifier from a vkey string; type 0x04 gives a ``CosignatureV1Verifier``."""
    name, identifier, signature_type, public_key = _split_key_string(vkey, "verifier key")
    verifier_class = _VERIFIER_CLASSES.get(signature_type)
    if verifier_class is None:
        raise MalformedKeyError(f"unsupported signature type 0x{signature_type:02x}")
    verifier = verifier_class(name, public_key)
    if verifier.key_id != identifier:
        raise MalformedKeyError(
            f"verifier key ID {identifier:08x} does not match its key (expected "
            f"{verifier.key_id:08x})"
        )
    return verifier


def parse_signer_key(skey: str, *, timestamp: int | None = None) -> Ed25519Signer:
    """Signer from a ``PRIVATE+KEY+...`` string; a type 0x04 key also needs the cosigning time."""
    if not skey.startswith(PRIVATE_KEY_PREFIX):
        raise MalformedKeyError("signer key must start with PRIVATE+KEY+")
    name, identifier, signature_type, seed = _split_key_string(
        skey[len(PRIVATE_KEY_PREFIX) :], "signer key"
    )
    if signature_type not in _VERIFIER_CLASSES:
        raise MalformedKeyError(f"unsupported signature type 0x{signature_type:02x}")
    if len(seed) != ED25519_KEY_SIZE:
        raise MalformedKeyError(f"an Ed25519 seed has {ED25519_KEY_SIZE} bytes, got {len(seed)}")
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    signer: Ed25519Signer
    if signature_type == COSIGNATURE_V1:
        if timestamp is None:
            raise MalformedKeyError("a cosignature/v1 signer key needs the cosigning timestamp")
        signer = CosignatureV1Signer(name, private_key, timestamp=timestamp)
    else:
        signer = Ed25519Signer(name, private_key)
    # The key ID covers the public key: check it once the public key is derived.
    if signer.key_id != identifier:
        raise MalformedKeyError(
            f"signer key ID {identifier:08x} does not match its key (expected {signer.key_id:08x})"
        )
    return signer


# --- Notes ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: key name, key ID and the signature bytes after the key ID."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature)
        return f"{SIGNATURE_PREFIX}{self.name} {encoded.decode('ascii')}\n"


@dataclass(frozen=True, slots=True)
class Note:
    """A note's text with its signatures: verified ones, and those from keys nobody asked about."""

    text: str
    signatures: tuple[NoteSignature, ...]
    unverified_signatures: tuple[NoteSignature, ...] = ()


def format_note(text: str, signatures: Sequence[NoteSignature]) -> str:
    """Assemble a signed note: text, blank line, one line per signature."""
    check_note_text(text)
    if not signatures:
        raise MalformedNoteError("a signed note needs at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise MalformedNoteError(f"a note may carry at most {MAX_SIGNATURES} signatures")
    for signature in signatures:
        if not is_valid_key_name(signature.name):
            raise MalformedNoteError(f"signature key name {signature.name!r} is not valid")
        if not 0 <= signature.key_id <= 0xFFFFFFFF or not signature.signature:
            raise MalformedNoteError(f"signature of {signature.name!r} is not well formed")
    return text + "\n" + "".join(signature.line() for signature in signatures)


def sign_note(text: str, signers: Iterable[Signer], existing: Iterable[NoteSignature] = ()) -> str:
    """Sign ``text`` with every signer, keeping ``existing`` signatures of other keys first."""
    check_note_text(text)
    payload = text.encode("utf-8")
    new = [NoteSignature(s.name, s.key_id, s.sign(payload)) for s in signers]
    replaced = {(signature.name, signature.key_id) for signature in new}
    kept = [s for s in existing if (s.name, s.key_id) not in replaced]
    return format_note(text, [*kept, *new])


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise MalformedNoteError(f"signature line {line!r} must start with an em dash and a space")
    name, space, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not space or not encoded:
        raise MalformedNoteError(f"signature line {line!r} must be '— <key name> <base64>'")
    if not is_valid_key_name(name):
        raise MalformedNoteError(f"signature key name {name!r} is not valid")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise MalformedNoteError(f"signature of {name!r} is not valid base64") from None
    if len(raw) < 5:
        raise MalformedNoteError(f"signature of {name!r} is shorter than a key ID and one byte")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def parse_note(message: str | bytes) -> Note:
    """Split a signed note into text and signature lines without verifying anything.

    Every signature lands in ``unverified_signatures``; exact duplicates are dropped.
    """
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNoteError("note is not valid UTF-8") from None
    _check_characters(message, "note")
    # The text ends at the last blank line (signed-note, "Format").
    split = message.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("note has no blank line before its signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block:
        raise MalformedNoteError("note has no signature lines")
    if not block.endswith("\n"):
        raise MalformedNoteError("note must end with newline-terminated signature lines")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"note has more than {MAX_SIGNATURES} signatures")
    signatures = tuple(dict.fromkeys(_parse_signature_line(line) for line in lines))
    return Note(text=text, signatures=(), unverified_signatures=signatures)


def _verifier_index(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    index: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        identity = (verifier.name, verifier.key_id)
        if identity in index:
            raise NoteError(
                f"two verifiers share key name and ID {verifier.name}+{verifier.key_id:08x}"
            )
        index[identity] = verifier
    return index


def open_note(message: str | bytes, verifiers: Iterable[Verifier]) -> Note:
    """Parse a signed note and verify every signature from a known key.

    Signatures whose (name, key ID) pair matches no verifier are kept, unverified. A known key's
    signature that fails rejects the note (``InvalidSignatureError``); a note with no signature
    from a known key is rejected too (``UnverifiedNoteError``), as signed-note "Signatures" asks.
    """
    parsed = parse_note(message)
    known = _verifier_index(verifiers)
    payload = parsed.text.encode("utf-8")
    verified: dict[tuple[str, int], NoteSignature] = {}
    unverified: list[NoteSignature] = []
    for signature in parsed.unverified_signatures:
        identity = (signature.name, signature.key_id)
        verifier = known.get(identity)
        if verifier is None:
            unverified.append(signature)
            continue
        if not verifier.verify(payload, signature.signature):
            raise InvalidSignatureError(signature.name, signature.key_id)
        verified.setdefault(identity, signature)
    note = Note(parsed.text, tuple(verified.values()), tuple(unverified))
    if not verified:
        raise UnverifiedNoteError(note)
    return note
