"""Compact JWS (RFC 7515 section 7.1) signing and verification for PINT (pure).

Every ``*SignedContent`` of EBL_PINT_v3.0.0.yaml is a compact JWS. Our platforms sign with
``EdDSA`` over Ed25519 (RFC 8037); ``RS256`` / ``PS256`` / ``ES256`` (RFC 7518 section 3) are also
accepted, since DCSA's examples and other platforms use RSA. ``alg: none``, unknown algorithms
and any ``crit`` header are rejected (RFC 7515 section 4.1.11: we understand no extensions).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from digitrade.core.crypto.jcs import canonicalize

PrivateKey = Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey
# Key lookup by the JWS ``kid`` header: None when the key is not known (or not trusted).
KeyResolver = Callable[[str | None], PublicKey | None]

SUPPORTED_ALGORITHMS = frozenset({"EdDSA", "RS256", "PS256", "ES256"})
MIN_RSA_BITS = 2048  # RFC 7518 section 3.3


class JwsError(Exception):
    """Base of the JWS failures."""


class JwsFormatError(JwsError):
    """Not a well-formed compact JWS (segments, base64url, JSON)."""


class JwsSignatureError(JwsError):
    """Well formed, but the signature cannot be accepted (algorithm, key, or signature)."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding (RFC 7515 section 2)."""
    if "=" in text or not all(c.isalnum() or c in "-_" for c in text) or not text.isascii():
        raise JwsFormatError("not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwsFormatError(f"bad base64url: {exc}") from None


@dataclass(frozen=True)
class JwsSigner:
    """A private key with its ``kid`` and algorithm (default: chosen from the key type)."""

    key: PrivateKey
    kid: str
    alg: str = ""

    @property
    def algorithm(self) -> str:
        if self.alg:
            return self.alg
        if isinstance(self.key, Ed25519PrivateKey):
            return "EdDSA"
        if isinstance(self.key, rsa.RSAPrivateKey):
            return "RS256"
        return "ES256"


@dataclass(frozen=True)
class DecodedJws:
    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    def json_payload(self) -> Any:
        try:
            return json.loads(self.payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise JwsFormatError(f"payload is not JSON: {exc}") from None


def _sign_raw(signer: JwsSigner, data: bytes) -> bytes:
    alg, key = signer.algorithm, signer.key
    if alg == "EdDSA" and isinstance(key, Ed25519PrivateKey):
        return key.sign(data)
    if alg == "RS256" and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if alg == "PS256" and isinstance(key, rsa.RSAPrivateKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return key.sign(data, pss, hashes.SHA256())
    if alg == "ES256" and isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("ES256 needs a P-256 key")
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # RFC 7518 section 3.4: R || S
    raise ValueError(f"cannot sign {alg} with a {type(key).__name__}")


def sign_compact(payload: Mapping[str, Any] | bytes, signer: JwsSigner) -> str:
    """Compact JWS of ``payload`` (a JSON object is serialised in RFC 8785 form, so equal
    objects give equal payload bytes). Header: ``{"alg", "kid"}``."""
    body = payload if isinstance(payload, bytes) else canonicalize(payload)
    header = canonicalize({"alg": signer.algorithm, "kid": signer.kid})
    signing_input = f"{b64url_encode(header)}.{b64url_encode(body)}".encode("ascii")
    return f"{signing_input.decode('ascii')}.{b64url_encode(_sign_raw(signer, signing_input))}"


def decode_compact(token: str) -> DecodedJws:
    """Split and decode a compact JWS without verifying it."""
    if not isinstance(token, str):
        raise JwsFormatError("a compact JWS must be a string")
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsFormatError(f"a compact JWS has 3 segments, got {len(parts)}")
    header_bytes = b64url_decode(parts[0])
    try:
        header = json.loads(header_bytes)
    except (ValueError, UnicodeDecodeError):
        raise JwsFormatError("protected header is not JSON") from None
    if not isinstance(header, dict):
        raise JwsFormatError("protected header is not a JSON object")
    return DecodedJws(
        header=header,
        payload=b64url_decode(parts[1]),
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=b64url_decode(parts[2]),
    )


def _verify_raw(alg: str, key: PublicKey, signature: bytes, data: bytes) -> None:
    try:
        if alg == "EdDSA" and isinstance(key, Ed25519PublicKey):
            key.verify(signature, data)
        elif alg in ("RS256", "PS256") and isinstance(key, rsa.RSAPublicKey):
            if key.key_size < MIN_RSA_BITS:
                raise JwsSignatureError(f"RSA key of {key.key_size} bits is too small")
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15()
                if alg == "RS256"
                else padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            )
            key.verify(signature, data, pad, hashes.SHA256())
        elif alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            if not isinstance(key.curve, ec.SECP256R1) or len(signature) != 64:
                raise JwsSignatureError("ES256 needs a P-256 key and a 64-byte signature")
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise JwsSignatureError(f"key type {type(key).__name__} does not fit alg {alg}")
    except InvalidSignature:
        raise JwsSignatureError("signature does not verify") from None


def verify_decoded(decoded: DecodedJws, resolve_key: KeyResolver) -> None:
    """Raise ``JwsSignatureError`` unless the signature verifies under a known key."""
    alg = decoded.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise JwsSignatureError("unsigned JWS (alg none) is not accepted")
    if alg not in SUPPORTED_ALGORITHMS:
        raise JwsSignatureError(f"unsupported alg {alg!r}")
    if "crit" in decoded.header:
        raise JwsSignatureError("critical header extensions are not supported")
    key = resolve_key(decoded.kid)
    if key is None:
        raise JwsSignatureError(f"unknown signing key (kid {decoded.kid!r})")
    _verify_raw(alg, key, decoded.signature, decoded.signing_input)


def verify_compact(token: str, resolve_key: KeyResolver) -> Any:
    """The JSON payload of a compact JWS whose signature verifies; ``JwsError`` otherwise."""
    decoded = decode_compact(token)
    verify_decoded(decoded, resolve_key)
    return decoded.json_payload()
