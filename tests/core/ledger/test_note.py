"""Signed notes: format rules, key strings, signing and opening."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.core.ledger.note import (
    COSIGNATURE_V1,
    ED25519,
    MAX_SIGNATURES,
    CosignatureV1Signer,
    CosignatureV1Verifier,
    Ed25519Signer,
    Ed25519Verifier,
    InvalidSignatureError,
    MalformedKeyError,
    MalformedNoteError,
    NoteError,
    NoteSignature,
    UnverifiedNoteError,
    cosignature_message,
    encode_verifier_key,
    format_note,
    generate_signer_key,
    is_valid_key_name,
    key_id,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
)

TEXT = "Hello, log.\n"


def signer(name: str, seed_byte: int = 1) -> Ed25519Signer:
    return Ed25519Signer(name, Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32))


ALICE = signer("example.com/alice", 1)
BOB = signer("example.com/bob", 2)


def test_sign_and_open_round_trip():
    message = sign_note(TEXT, [ALICE, BOB])
    assert message.startswith(TEXT + "\n\u2014 example.com/alice ")
    note = open_note(message, [ALICE.verifier(), BOB.verifier()])
    assert note.text == TEXT
    assert [s.name for s in note.signatures] == ["example.com/alice", "example.com/bob"]
    assert note.unverified_signatures == ()


def test_signatures_from_unknown_keys_are_kept_unverified():
    message = sign_note(TEXT, [ALICE, BOB])
    note = open_note(message, [BOB.verifier()])
    assert [s.name for s in note.signatures] == ["example.com/bob"]
    assert [(s.name, s.key_id) for s in note.unverified_signatures] == [
        ("example.com/alice", ALICE.key_id)
    ]
    # Same name, other key: unknown too (signed-note: name and ID must both match).
    impostor = signer("example.com/alice", 9)
    with pytest.raises(UnverifiedNoteError, match=re.escape("example.com/alice")) as info:
        open_note(sign_note(TEXT, [impostor]), [ALICE.verifier()])
    assert info.value.note.unverified_signatures[0].key_id == impostor.key_id


def test_a_bad_signature_from_a_known_key_rejects_the_note():
    message = sign_note(TEXT, [ALICE]).replace("Hello", "Hullo")
    with pytest.raises(InvalidSignatureError, match=f"example.com/alice\\+{ALICE.key_id:08x}"):
        open_note(message, [ALICE.verifier()])
    # Also when a valid signature from another known key is there too.
    tampered = parse_note(message)
    other = sign_note(tampered.text, [BOB], existing=tampered.unverified_signatures)
    with pytest.raises(InvalidSignatureError):
        open_note(other, [ALICE.verifier(), BOB.verifier()])


def test_duplicate_signature_lines_count_once():
    message = sign_note(TEXT, [ALICE])
    line = message[len(TEXT) + 1 :]
    note = open_note(message + line, [ALICE.verifier()])
    assert len(note.signatures) == 1


def test_existing_signatures_are_kept_and_replaced_by_the_same_key():
    first = open_note(sign_note(TEXT, [ALICE]), [ALICE.verifier()])
    both = sign_note(TEXT, [BOB], existing=first.signatures)
    again = sign_note(TEXT, [ALICE], existing=open_note(both, [BOB.verifier()]).signatures)
    assert [s.name for s in open_note(again, [ALICE.verifier(), BOB.verifier()]).signatures] == [
        "example.com/bob",
        "example.com/alice",
    ]


def test_text_may_contain_blank_lines():
    text = "first\n\nsecond\n\n"
    note = open_note(sign_note(text, [ALICE]), [ALICE.verifier()])
    assert note.text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no newline", "must end with a newline"),
        ("tab\there\n", "control character U\\+0009"),
        ("carriage\r\n", "control character U\\+000D"),
        ("nul\x00\n", "control character U\\+0000"),
        ("surrogate \ud800\n", "not valid UTF-8"),
    ],
)
def test_note_text_rules(text, message):
    with pytest.raises(MalformedNoteError, match=message):
        sign_note(text, [ALICE])


SIGNED = sign_note(TEXT, [ALICE])
SIGNATURE_B64 = SIGNED.rsplit(" ", 1)[1].strip()


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (SIGNED[:-1], "end with newline-terminated signature lines"),
        (TEXT + "\u2014 example.com/alice " + SIGNATURE_B64 + "\n", "no blank line"),
        (TEXT + "\n", "no signature lines"),
        (TEXT + "\n\n", "no signature lines"),
        (TEXT + "\n- example.com/alice " + SIGNATURE_B64 + "\n", "must start with an em dash"),
        (TEXT + "\n\u2014 example.com/alice\n", "must be '\u2014 <key name> <base64>'"),
        (TEXT + "\n\u2014 example.com/alice \n", "must be '\u2014 <key name> <base64>'"),
        (TEXT + "\n\u2014 example.com/a+b " + SIGNATURE_B64 + "\n", "not valid"),
        (TEXT + "\n\u2014 example.com/alice not*base64\n", "not valid base64"),
        (TEXT + "\n\u2014 example.com/alice AAAAAA==\n", "shorter than a key ID and one byte"),
        (SIGNED.replace("Hello", "Hel\x07lo"), "control character"),
        (SIGNED.encode("utf-8").replace(b"Hello", b"Hel\xfflo"), "not valid UTF-8"),
        (TEXT + "\n" + "\u2014 a AAAAAAA=\n" * (MAX_SIGNATURES + 1), "more than 100 signatures"),
    ],
)
def test_malformed_notes_are_rejected(message, reason):
    with pytest.raises(MalformedNoteError, match=reason):
        open_note(message, [ALICE.verifier()])


def test_bytes_and_text_messages_open_alike():
    assert open_note(SIGNED.encode("utf-8"), [ALICE.verifier()]) == open_note(
        SIGNED, [ALICE.verifier()]
    )


def test_format_note_checks_what_it_writes():
    with pytest.raises(MalformedNoteError, match="at least one signature"):
        format_note(TEXT, [])
    with pytest.raises(MalformedNoteError, match="not valid"):
        format_note(TEXT, [NoteSignature("bad name", 1, b"x")])
    with pytest.raises(MalformedNoteError, match="not well formed"):
        format_note(TEXT, [NoteSignature("name", 2**32, b"x")])
    with pytest.raises(MalformedNoteError, match="at most 100"):
        format_note(TEXT, [NoteSignature(f"k{i}", i, b"x") for i in range(MAX_SIGNATURES + 1)])


def test_key_names():
    assert is_valid_key_name("example.com/log42")
    assert is_valid_key_name("日志.example")
    for name in ["", "a b", "a+b", "a\u00a0b", "a\u2003b", "a\u2028b", "tab\tname"]:
        assert not is_valid_key_name(name), name
    with pytest.raises(MalformedKeyError, match="key name"):
        signer("has space")


def test_key_id_is_the_truncated_hash_of_name_type_and_key():
    assert ALICE.key_id == key_id("example.com/alice", ED25519, ALICE.public_key)
    cosigner = CosignatureV1Signer(
        ALICE.name, Ed25519PrivateKey.from_private_bytes(bytes([1]) * 32), timestamp=0
    )
    # Same key and name, other signature type: another key ID (signed-note, "Signatures").
    assert cosigner.key_id == key_id("example.com/alice", COSIGNATURE_V1, ALICE.public_key)
    assert cosigner.key_id != ALICE.key_id


def test_key_strings_round_trip():
    skey = generate_signer_key("example.com/fresh")
    loaded = parse_signer_key(skey)
    assert loaded.signer_key() == skey
    verifier = parse_verifier_key(loaded.verifier_key())
    assert type(verifier) is Ed25519Verifier
    assert (verifier.name, verifier.key_id) == (loaded.name, loaded.key_id)
    assert open_note(sign_note(TEXT, [loaded]), [verifier]).text == TEXT

    witness_skey = generate_signer_key("witness.example/w1", COSIGNATURE_V1)
    with pytest.raises(MalformedKeyError, match="needs the cosigning timestamp"):
        parse_signer_key(witness_skey)
    witness = parse_signer_key(witness_skey, timestamp=1_700_000_000)
    assert isinstance(witness, CosignatureV1Signer)
    assert type(parse_verifier_key(witness.verifier_key())) is CosignatureV1Verifier


def _replace_key_id(key: str, new_id: str, position: int) -> str:
    parts = key.split("+")
    parts[position] = new_id
    return "+".join(parts)


VKEY = ALICE.verifier_key()
SKEY = ALICE.signer_key()


@pytest.mark.parametrize(
    ("vkey", "reason"),
    [
        ("example.com/alice", "must be <name>"),
        (_replace_key_id(VKEY, "00000000", 1), "does not match its key"),
        (_replace_key_id(VKEY, f"{ALICE.key_id:08X}", 1), "8 lowercase hex digits"),
        (_replace_key_id(VKEY, f"{ALICE.key_id:x}"[:7], 1), "8 lowercase hex digits"),
        (VKEY.rsplit("+", 1)[0] + "+!!!", "not valid base64"),
        (VKEY.rsplit("+", 1)[0] + "+AQ==", "key material is empty"),
        (
            encode_verifier_key("n", 0x02, bytes(32)),
            "unsupported signature type 0x02",
        ),
        (
            "n+"
            + f"{key_id('n', ED25519, bytes(31)):08x}+"
            + base64.b64encode(b"\x01" + bytes(31)).decode(),
            "has 32 bytes, got 31",
        ),
        (" example.com/alice" + VKEY[len("example.com/alice") :], "key name"),
    ],
)
def test_malformed_verifier_keys(vkey, reason):
    with pytest.raises(MalformedKeyError, match=reason):
        parse_verifier_key(vkey)


@pytest.mark.parametrize(
    ("skey", "reason"),
    [
        (SKEY.removeprefix("PRIVATE+KEY+"), "must start with PRIVATE\\+KEY\\+"),
        (_replace_key_id(SKEY, "00000000", 3), "does not match its key"),
        (SKEY.rsplit("+", 1)[0] + "+AQID", "seed has 32 bytes, got 2"),
        (SKEY.rsplit("+", 1)[0] + "+" + base64.b64encode(b"\x02" + bytes(32)).decode(), "0x02"),
    ],
)
def test_malformed_signer_keys(skey, reason):
    with pytest.raises(MalformedKeyError, match=reason):
        parse_signer_key(skey)


def test_verifiers_must_not_be_ambiguous():
    with pytest.raises(NoteError, match="two verifiers share"):
        open_note(SIGNED, [ALICE.verifier(), ALICE.verifier()])


def test_signature_size_is_checked_before_verifying():
    verifier = ALICE.verifier()
    assert not verifier.verify(TEXT.encode(), b"\x00" * 63)
    assert not CosignatureV1Verifier(ALICE.name, ALICE.public_key).verify(TEXT.encode(), bytes(71))


def test_representations_never_show_the_private_key():
    assert repr(ALICE) == f"Ed25519Signer({ALICE.verifier_key()!r})"
    assert repr(ALICE.verifier()) == f"Ed25519Verifier({ALICE.verifier_key()!r})"
    assert "PRIVATE" not in repr(ALICE)


def test_unsupported_types_and_times_are_refused():
    with pytest.raises(MalformedKeyError, match="unsupported signature type 0x02"):
        generate_signer_key("example.com/ecdsa", 0x02)
    with pytest.raises(NoteError, match=re.escape("outside 0..2**63-1")):
        cosignature_message(TEXT.encode(), -1)
