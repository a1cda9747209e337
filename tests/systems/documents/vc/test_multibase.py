from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.documents.vc.multibase import (
    MultibaseError,
    base58btc_decode,
    base58btc_encode,
    decode_base58btc,
    decode_base64url,
    decode_private_key_multibase,
    decode_public_key_multibase,
    encode_base58btc,
    encode_base64url,
    private_key_multibase,
    public_key_multibase,
)

# draft-msporny-base58-03 section 5 (test vectors) and the leading-zero rule.
KNOWN = [
    (b"", ""),
    (b"\0", "1"),
    (b"\0\0", "11"),
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    (b"\x39", "z"),
    (b"\xff", "5Q"),
]


@pytest.mark.parametrize(("raw", "text"), KNOWN)
def test_base58btc_known_values(raw: bytes, text: str) -> None:
    assert base58btc_encode(raw) == text
    assert base58btc_decode(text) == raw


@given(st.binary(max_size=100))
def test_base58btc_round_trip(raw: bytes) -> None:
    assert base58btc_decode(base58btc_encode(raw)) == raw
    assert decode_base58btc(encode_base58btc(raw)) == raw


@given(st.binary(max_size=100))
def test_base64url_round_trip(raw: bytes) -> None:
    text = encode_base64url(raw)
    assert text.startswith("u")
    assert "=" not in text
    assert decode_base64url(text) == raw


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "abc+", " z"])
def test_base58btc_rejects_foreign_characters(bad: str) -> None:
    with pytest.raises(MultibaseError, match="not a base58btc character"):
        base58btc_decode(bad)


def test_multibase_prefixes_are_required() -> None:
    with pytest.raises(MultibaseError, match="starting with 'z'"):
        decode_base58btc("2NEpo7TZRRrLZSi2U")
    with pytest.raises(MultibaseError, match="starting with 'u'"):
        decode_base64url("zabc")
    with pytest.raises(MultibaseError, match="base64url"):
        decode_base64url("uab+/")
    with pytest.raises(MultibaseError, match="base64url"):
        decode_base64url("uab!c")


def test_vector_key_pair_decodes(key_pair: dict[str, str]) -> None:
    public = decode_public_key_multibase(key_pair["publicKeyMultibase"])
    seed = decode_private_key_multibase(key_pair["privateKeyMultibase"])
    assert len(public) == len(seed) == 32
    assert public_key_multibase(public) == key_pair["publicKeyMultibase"]
    assert private_key_multibase(seed) == key_pair["privateKeyMultibase"]
    assert key_pair["publicKeyMultibase"].startswith("z6Mk")
    assert key_pair["privateKeyMultibase"].startswith("z3u2")


def test_public_key_errors_are_precise(key_pair: dict[str, str]) -> None:
    with pytest.raises(MultibaseError, match="multicodec prefix 8026, expected ed01"):
        decode_public_key_multibase(key_pair["privateKeyMultibase"])
    with pytest.raises(MultibaseError, match="has 32 bytes, this one has 31"):
        decode_public_key_multibase(encode_base58btc(b"\xed\x01" + b"\1" * 31))
    with pytest.raises(MultibaseError, match="32 bytes, got 33"):
        public_key_multibase(b"\1" * 33)
    with pytest.raises(MultibaseError, match="starting with 'z'"):
        decode_public_key_multibase("6MkrJVnaZkeFzdQ")
