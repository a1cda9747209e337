"""Checkpoints: strict body format, signing by the log, cosigning by witnesses."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.core.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
)
from digitrade.core.ledger.merkle import EMPTY_ROOT, InMemoryTree
from digitrade.core.ledger.note import (
    CosignatureV1Signer,
    CosignatureV1Verifier,
    Ed25519Signer,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    cosignature_message,
    cosignature_timestamp,
    open_note,
    sign_note,
)

ORIGIN = "digitrade.example/ledger"
TREE = InMemoryTree.from_entries(b"entry %d" % i for i in range(20))
ROOT = TREE.root()
ROOT_B64 = base64.b64encode(ROOT).decode()
BODY = f"{ORIGIN}\n20\n{ROOT_B64}\n"

LOG = Ed25519Signer(ORIGIN, Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
WITNESS_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
WITNESS_NAME = "witness.example/w1"
SIGNED_AT = 1_679_315_147


def witness(timestamp: int = SIGNED_AT) -> CosignatureV1Signer:
    return CosignatureV1Signer(WITNESS_NAME, WITNESS_KEY, timestamp=timestamp)


def test_format_and_parse_round_trip():
    text = format_checkpoint(ORIGIN, TREE.size, ROOT)
    assert text == BODY
    assert parse_checkpoint(text) == Checkpoint(ORIGIN, 20, ROOT)
    with_extensions = format_checkpoint(ORIGIN, 20, ROOT, ["ext one", "ext/two"])
    assert with_extensions == BODY + "ext one\next/two\n"
    parsed = parse_checkpoint(with_extensions)
    assert parsed.extensions == ("ext one", "ext/two")
    assert parsed.text() == with_extensions


def test_the_empty_tree_has_size_zero():
    text = format_checkpoint(ORIGIN, 0, EMPTY_ROOT)
    assert text.split("\n")[1] == "0"
    assert parse_checkpoint(text).tree_size == 0


def test_largest_tree_size():
    text = format_checkpoint(ORIGIN, 2**64 - 1, ROOT)
    assert parse_checkpoint(text).tree_size == 2**64 - 1


BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# 32 bytes leave two unused bits in the last character: setting one spells the same bytes.
ROOT_WITH_STRAY_BITS = (
    ROOT_B64[:42] + BASE64_ALPHABET[BASE64_ALPHABET.index(ROOT_B64[42]) ^ 1] + "="
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"{ORIGIN}\n20\n{ROOT_B64}", "must end with a newline"),
        (f"{ORIGIN}\n20\n", "at least three lines"),
        (f"\n20\n{ROOT_B64}\n", "origin line must not be empty"),
        (f"{ORIGIN}\n020\n{ROOT_B64}\n", "without leading zeroes"),
        (f"{ORIGIN}\n00\n{ROOT_B64}\n", "without leading zeroes"),
        (f"{ORIGIN}\n+20\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n-1\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n 20\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n2_0\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n\u0662\u0660\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n\n{ROOT_B64}\n", "ASCII decimal digits"),
        (f"{ORIGIN}\n{2**64}\n{ROOT_B64}\n", "larger than 2\\*\\*64-1"),
        (f"{ORIGIN}\n20\n{base64.b64encode(ROOT[:31]).decode()}\n", "has 31 bytes"),
        (f"{ORIGIN}\n20\n{base64.b64encode(ROOT + b'x').decode()}\n", "has 33 bytes"),
        (f"{ORIGIN}\n20\n{ROOT.hex()}\n", "has 48 bytes|not valid base64"),
        (f"{ORIGIN}\n20\n{ROOT_B64.rstrip('=')}\n", "not valid base64"),
        (f"{ORIGIN}\n20\n{ROOT_B64} \n", "not valid base64"),
        (f"{ORIGIN}\n20\n{ROOT_WITH_STRAY_BITS}\n", "not canonical base64"),
        (f"{ORIGIN}\n20\n\n", "has 0 bytes"),
        (f"{BODY}\n", "extension line 1 must not be empty"),
        (f"{BODY}ext\n\n", "extension line 2 must not be empty"),
        (f"{ORIGIN}\t\n20\n{ROOT_B64}\n", "control character"),
    ],
)
def test_strict_parsing_rejects(text, reason):
    with pytest.raises(CheckpointError, match=reason):
        parse_checkpoint(text)


@pytest.mark.parametrize(
    ("origin", "size", "root_hash", "extensions", "reason"),
    [
        ("", 1, ROOT, (), "origin must not be empty"),
        ("a\nb", 1, ROOT, (), "origin must be a single line"),
        ("a\rb", 1, ROOT, (), "control character"),
        (ORIGIN, -1, ROOT, (), "outside 0..2\\*\\*64-1"),
        (ORIGIN, 2**64, ROOT, (), "outside 0..2\\*\\*64-1"),
        (ORIGIN, True, ROOT, (), "outside 0..2\\*\\*64-1"),
        (ORIGIN, 1, ROOT[:31], (), "has 31 bytes"),
        (ORIGIN, 1, ROOT, ("",), "extension line 1 must not be empty"),
        (ORIGIN, 1, ROOT, ("ok", "two\nlines"), "extension line 2 must be a single line"),
    ],
)
def test_format_rejects(origin, size, root_hash, extensions, reason):
    with pytest.raises(CheckpointError, match=reason):
        format_checkpoint(origin, size, root_hash, extensions)


def test_log_signs_and_client_opens_a_checkpoint():
    message = sign_note(BODY, [LOG])
    opened = open_checkpoint(message, [LOG.verifier()], origin=ORIGIN)
    assert opened.checkpoint == Checkpoint(ORIGIN, 20, ROOT)
    assert [s.name for s in opened.note.signatures] == [ORIGIN]


def test_a_checkpoint_for_another_log_is_refused():
    other = Ed25519Signer("other.example/log", Ed25519PrivateKey.from_private_bytes(bytes(32)))
    message = sign_note(BODY.replace(ORIGIN, "other.example/log"), [other])
    with pytest.raises(CheckpointError, match=re.escape("is for log 'other.example/log'")):
        open_checkpoint(message, [other.verifier()], origin=ORIGIN)


def test_a_signed_note_that_is_no_checkpoint_is_refused():
    message = sign_note("just some text\n", [LOG])
    with pytest.raises(CheckpointError, match="at least three lines"):
        open_checkpoint(message, [LOG.verifier()])


def test_witness_cosignature_round_trip():
    logged = open_note(sign_note(BODY, [LOG]), [LOG.verifier()])
    cosigned = sign_note(BODY, [witness()], existing=logged.signatures)
    lines = cosigned.splitlines()
    assert lines[-2].startswith(f"\u2014 {ORIGIN} ")
    assert lines[-1].startswith(f"\u2014 {WITNESS_NAME} ")

    witness_verifier = witness().verifier()
    assert isinstance(witness_verifier, CosignatureV1Verifier)
    opened = open_checkpoint(cosigned, [LOG.verifier(), witness_verifier], origin=ORIGIN)
    cosignature = opened.note.signatures[1]
    assert cosignature.name == WITNESS_NAME
    assert cosignature_timestamp(cosignature.signature) == SIGNED_AT
    # tlog-cosignature: 8-byte big-endian time || Ed25519 over the header, time line and body.
    assert cosignature.signature[:8] == SIGNED_AT.to_bytes(8, "big")
    WITNESS_KEY.public_key().verify(
        cosignature.signature[8:],
        b"cosignature/v1\ntime 1679315147\n" + BODY.encode(),
    )
    assert cosignature_message(BODY.encode(), SIGNED_AT).startswith(b"cosignature/v1\ntime 1679")

    # A client that trusts only the witness still gets a verified note, with the log unverified.
    only_witness = open_note(cosigned, [witness_verifier])
    assert [s.name for s in only_witness.unverified_signatures] == [ORIGIN]


def test_tampered_cosignatures_fail():
    cosigned = sign_note(BODY, [witness()])
    verifier = witness().verifier()
    line = cosigned.splitlines()[-1]
    raw = base64.b64decode(line.split(" ")[-1])
    later = raw[:4] + (SIGNED_AT + 1).to_bytes(8, "big") + raw[12:]
    moved_in_time = cosigned.replace(line.split(" ")[-1], base64.b64encode(later).decode())
    with pytest.raises(InvalidSignatureError, match=WITNESS_NAME):
        open_note(moved_in_time, [verifier])
    with pytest.raises(InvalidSignatureError):
        open_note(cosigned.replace("\n20\n", "\n21\n"), [verifier])
    # A cosignature is not a plain Ed25519 signature: other key ID, so it stays unverified.
    plain = Ed25519Signer(WITNESS_NAME, WITNESS_KEY).verifier()
    with pytest.raises(UnverifiedNoteError):
        open_note(cosigned, [plain])


def test_tampered_checkpoint_body_fails_the_log_signature():
    message = sign_note(BODY, [LOG])
    other_root = base64.b64encode(TREE.root(19)).decode()
    with pytest.raises(InvalidSignatureError, match=ORIGIN):
        open_checkpoint(message.replace(ROOT_B64, other_root), [LOG.verifier()])


def test_cosignature_times_are_bounded():
    with pytest.raises(NoteError, match=re.escape("outside 0..2**63-1")):
        witness(-1)
    with pytest.raises(NoteError, match=re.escape("outside 0..2**63-1")):
        witness(2**63)
    assert cosignature_timestamp(witness(2**63 - 1).sign(BODY.encode())) == 2**63 - 1
    with pytest.raises(NoteError, match="has 72 bytes"):
        cosignature_timestamp(b"short")
    # A timestamp above 2**63-1 in a received cosignature makes it invalid.
    signature = witness().sign(BODY.encode())
    assert not witness().verifier().verify(BODY.encode(), b"\xff" * 8 + signature[8:])
