"""DID signatures of OpenAttestation documents, checked offline.

A DID-signed document carries an Ethereum ``personal_sign`` (EIP-191) signature over the 32
*bytes* of its ``merkleRoot`` (oa-verify ``did-signed`` verifier: ``verifyMessage(arrayify("0x" +
merkleRoot), signature)``; the signing side is ``src/shared/signer`` of the reference library):

    digest = keccak256(b"\\x19Ethereum Signed Message:\\n32" + merkleRoot_bytes)

The secp256k1 public key is recovered from the 65-byte ``r || s || v`` signature and turned into
an address (last 20 bytes of ``keccak256`` of the uncompressed key without its ``04`` prefix),
which must equal the address of the ``did:ethr`` verification method.

Offline limits: a ``did:ethr`` DID's default controller (``#controller``) is its own address, and
that is what we compare with. An on-chain change of owner or an added delegate
(ERC-1056 registry) can only be seen with Ethereum network access, and ``did:web`` documents need
web access; such methods are reported as not checkable offline rather than passed.
"""

from __future__ import annotations

import re
from typing import Final

from coincurve import PublicKey

from digitrade.systems.documents.openattestation._hashing import keccak256

__all__ = [
    "DidKey",
    "NotCheckableOffline",
    "did_ethr_address",
    "recover_personal_sign_address",
]

_PREFIX: Final = b"\x19Ethereum Signed Message:\n32"
_SECP256K1_N: Final = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_HEX: Final = re.compile(r"0x[0-9a-fA-F]*")
# did:ethr[:network]:<0x address | 0x compressed public key>[#fragment]
_DID_ETHR: Final = re.compile(
    r"did:ethr:(?:[A-Za-z0-9_.-]+:)?(?P<id>0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{66})(?:#(?P<frag>.*))?"
)


class NotCheckableOffline(ValueError):
    """The verification method can only be resolved with network access."""


def _address_of(public_key: PublicKey) -> str:
    return "0x" + keccak256(public_key.format(compressed=False)[1:])[-20:].hex()


def recover_personal_sign_address(message: bytes, signature: object) -> str:
    """Address that produced an EIP-191 ``personal_sign`` ``signature`` over ``message``.

    Accepts what ethers v5 ``splitSignature`` accepts: ``0x`` hex of 65 bytes with ``v`` in
    {27, 28} or {0, 1}, or 64-byte EIP-2098 compact signatures. Raises ``ValueError`` otherwise.
    """
    if not isinstance(signature, str) or not _HEX.fullmatch(signature):
        raise ValueError("the signature is not 0x-prefixed hex")
    raw = bytes.fromhex(signature[2:]) if len(signature) % 2 == 0 else b""
    if len(raw) == 65:
        r, s, v = raw[:32], raw[32:64], raw[64]
        if v in (0, 1):
            v += 27
        if v not in (27, 28):
            raise ValueError(f"the signature has an invalid recovery byte v={v}")
        recovery = v - 27
    elif len(raw) == 64:
        r = raw[:32]
        y_parity_and_s = int.from_bytes(raw[32:], "big")
        recovery = y_parity_and_s >> 255
        s = (y_parity_and_s & ((1 << 255) - 1)).to_bytes(32, "big")
    else:
        raise ValueError("the signature is not 65 (or 64 compact) bytes long")
    if not (
        0 < int.from_bytes(r, "big") < _SECP256K1_N and 0 < int.from_bytes(s, "big") < _SECP256K1_N
    ):
        raise ValueError("the signature's r or s is out of range")
    digest = keccak256(_PREFIX + message)
    public_key = PublicKey.from_signature_and_message(
        r + s + bytes([recovery]), digest, hasher=None
    )
    return _address_of(public_key)


class DidKey:
    """The Ethereum address a verification method stands for, as far as is knowable offline."""

    __slots__ = ("address", "did")

    def __init__(self, did: str, address: str) -> None:
        self.did = did
        self.address = address


def did_ethr_address(verification_method: str) -> DidKey:
    """Resolve ``did:ethr:...#controller`` (or ``#controllerKey``) to its address, offline.

    Raises :class:`NotCheckableOffline` for other DID methods and for delegate keys, and
    ``ValueError`` for text that is not a DID URL at all.
    """
    if verification_method.startswith("did:web:"):
        raise NotCheckableOffline("did:web keys are published on the web: needs web access")
    match = _DID_ETHR.fullmatch(verification_method)
    if match is None:
        if verification_method.startswith("did:ethr:"):
            raise ValueError(f"'{verification_method}' is not a valid did:ethr identifier")
        if verification_method.startswith("did:"):
            method = verification_method.split(":", 2)[1]
            raise NotCheckableOffline(f"did:{method} keys cannot be resolved offline")
        raise ValueError(f"'{verification_method}' is not a DID")
    identifier, fragment = match.group("id"), match.group("frag")
    did = verification_method.split("#", 1)[0]
    if fragment not in (None, "controller", "controllerKey"):
        raise NotCheckableOffline(
            f"key '#{fragment}' is a delegate registered on-chain: needs Ethereum network access"
        )
    if len(identifier) == 42:
        return DidKey(did, identifier.lower())
    try:
        key = PublicKey(bytes.fromhex(identifier[2:]))
    except ValueError as exc:
        raise ValueError(f"'{verification_method}' holds an invalid public key") from exc
    return DidKey(did, _address_of(key))
