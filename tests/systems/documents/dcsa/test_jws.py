"""Compact JWS: algorithms, strict base64url, rejected headers."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.dcsa.jws import (
    JwsFormatError,
    JwsSignatureError,
    JwsSigner,
    b64url_decode,
    b64url_encode,
    decode_compact,
    sign_compact,
    verify_compact,
)

RSA_KEY = rsa.generate_private_key(65537, 2048)
SIGNERS = [
    JwsSigner(Ed25519PrivateKey.generate(), "ed"),
    JwsSigner(RSA_KEY, "rs"),
    JwsSigner(RSA_KEY, "ps", alg="PS256"),
    JwsSigner(ec.generate_private_key(ec.SECP256R1()), "es"),
]


def resolver(signer: JwsSigner):  # type: ignore[no-untyped-def]
    return {signer.kid: signer.key.public_key()}.get


@pytest.mark.parametrize("signer", SIGNERS, ids=lambda s: s.algorithm)
def test_round_trip_every_algorithm(signer: JwsSigner) -> None:
    token = sign_compact({"x": 1}, signer)
    assert "=" not in token
    assert decode_compact(token).header == {"alg": signer.algorithm, "kid": signer.kid}
    assert verify_compact(token, resolver(signer)) == {"x": 1}
    header, _payload, signature = token.split(".")
    other = b64url_encode(b'{"x":2}')
    with pytest.raises(JwsSignatureError, match="does not verify"):
        verify_compact(f"{header}.{other}.{signature}", resolver(signer))


def test_header_alg_must_fit_the_key() -> None:
    ed = SIGNERS[0]
    token = sign_compact({"x": 1}, ed)
    _, payload, signature = token.split(".")
    forged = b64url_encode(b'{"alg":"RS256","kid":"ed"}')
    with pytest.raises(JwsSignatureError, match="does not fit alg RS256"):
        verify_compact(f"{forged}.{payload}.{signature}", resolver(ed))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"alg": "none", "kid": "ed"}, "alg none"),
        ({"alg": "HS256", "kid": "ed"}, "unsupported alg 'HS256'"),
        ({"alg": "EdDSA", "kid": "ed", "crit": ["exp"]}, "critical header"),
        ({"alg": "EdDSA", "kid": "nobody"}, "unknown signing key"),
    ],
)
def test_rejected_headers(header: dict[str, object], message: str) -> None:
    ed = SIGNERS[0]
    head = b64url_encode(json.dumps(header).encode())
    body = b64url_encode(b"{}")
    signature = b64url_encode(ed.key.sign(f"{head}.{body}".encode()))  # type: ignore[union-attr]
    with pytest.raises(JwsSignatureError, match=message):
        verify_compact(f"{head}.{body}.{signature}", resolver(ed))


@pytest.mark.parametrize("token", ["a.b", "a.b.c.d", "e30=.e30.AA", "e30.e30.A+A", "WzFd.e30.AA"])
def test_malformed_tokens(token: str) -> None:
    with pytest.raises(JwsFormatError):
        decode_compact(token)


def test_small_rsa_keys_are_refused() -> None:
    small = JwsSigner(rsa.generate_private_key(65537, 1024), "small")  # noqa: S505 (the point)
    with pytest.raises(JwsSignatureError, match="too small"):
        verify_compact(sign_compact({}, small), resolver(small))


def test_b64url_round_trip() -> None:
    assert b64url_decode(b64url_encode(b"\xff\xfe")) == b"\xff\xfe"
