"""Official signed-note vectors (../shared/fixtures/signed-note): one parametrised case each."""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

import pytest

from digitrade.core.ledger.checkpoint import parse_checkpoint
from digitrade.core.ledger.note import (
    InvalidSignatureError,
    UnverifiedNoteError,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
)
from tests.support import SHARED_FIXTURES, official_fixture

pytestmark = pytest.mark.fixtures

VECTORS = "signed-note/signed-note-vectors.json"
DOCUMENTED_VECTORS = 4  # signed-note/SOURCE.txt
EXPECTATIONS = {"valid", "invalid-signature", "parse-only"}


def _vector_names() -> list[str]:
    path = SHARED_FIXTURES / VECTORS
    if not path.exists():
        return ["fixture-missing"]  # skips locally, fails in CI, through official_fixture
    return [vector["name"] for vector in json.loads(path.read_text())["vectors"]]


NAMES = _vector_names()


@cache
def _vectors() -> dict[str, dict[str, Any]]:
    document = json.loads(official_fixture(VECTORS).read_text())
    return {vector["name"]: vector for vector in document["vectors"]}


def test_every_documented_vector_is_collected() -> None:
    assert len(_vectors()) == len(NAMES) == DOCUMENTED_VECTORS
    assert {vector["expect"] for vector in _vectors().values()} <= EXPECTATIONS


@pytest.mark.parametrize("name", NAMES)
def test_signed_note_vector(name: str) -> None:
    vector = _vectors()[name]
    expect = vector["expect"]
    if expect == "valid":
        verifier = parse_verifier_key(vector["verifier_key"])
        note = open_note(vector["note"], [verifier])
        assert note.text == vector["text"]
        assert [(s.name, s.key_id) for s in note.signatures] == [(verifier.name, verifier.key_id)]
        assert note.unverified_signatures == ()
        assert verifier.verifier_key() == vector["verifier_key"]
        if "signer_key" in vector:
            # Ed25519 is deterministic: the published private key re-creates the note exactly.
            signer = parse_signer_key(vector["signer_key"])
            assert signer.verifier_key() == vector["verifier_key"]
            assert signer.signer_key() == vector["signer_key"]
            assert sign_note(vector["text"], [signer]) == vector["note"]
    elif expect == "invalid-signature":
        verifier = parse_verifier_key(vector["verifier_key"])
        with pytest.raises(InvalidSignatureError, match=verifier.name):
            open_note(vector["note"], [verifier])
    elif expect == "parse-only":
        parsed = parse_note(vector["note"])
        checkpoint = parse_checkpoint(parsed.text)
        expected = vector["parsed"]
        assert checkpoint.origin == expected["origin"]
        assert checkpoint.tree_size == expected["tree_size"]
        assert checkpoint.root_hash == base64.b64decode(expected["root_hash_b64"])
        assert list(checkpoint.extensions) == expected["extension_lines"]
        assert checkpoint.text() == parsed.text
        assert [s.name for s in parsed.unverified_signatures] == [expected["origin"]]
        # Without the log's key nothing is verified, and the note is refused as such.
        with pytest.raises(UnverifiedNoteError) as info:
            open_note(vector["note"], [])
        assert info.value.note.text == parsed.text
    else:
        pytest.fail(f"vector {name} has an unknown expectation {expect!r}")
