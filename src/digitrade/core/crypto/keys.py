"""Signing keys: Ed25519 key pairs whose private half is sealed at rest.

Private keys are encrypted with AES-256-GCM under a key derived (HKDF-SHA256, fresh salt per key)
from the key-encryption key in settings; the key's name is bound in as associated data, so a
sealed key copied onto another key's row does not open.
"""

from __future__ import annotations

import datetime as dt
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow
from digitrade.core.errors import NotFound

SEAL_VERSION = b"k1"
_SALT_BYTES = 16
_NONCE_BYTES = 12
_HKDF_INFO = b"digitrade signing-key sealing v1"


class KeySealError(Exception):
    """The sealed key cannot be opened: wrong key-encryption key, wrong name, or tampering."""


def _wrapping_key(kek: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_HKDF_INFO).derive(
        kek.encode("utf-8")
    )


def seal(private_raw: bytes, *, kek: str, context: str) -> bytes:
    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_wrapping_key(kek, salt)).encrypt(nonce, private_raw, context.encode())
    return SEAL_VERSION + salt + nonce + sealed


def unseal(blob: bytes, *, kek: str, context: str) -> bytes:
    if not blob.startswith(SEAL_VERSION):
        raise KeySealError("unknown sealed-key format")
    body = blob[len(SEAL_VERSION) :]
    salt, nonce, sealed = (
        body[:_SALT_BYTES],
        body[_SALT_BYTES : _SALT_BYTES + _NONCE_BYTES],
        body[_SALT_BYTES + _NONCE_BYTES :],
    )
    try:
        return AESGCM(_wrapping_key(kek, salt)).decrypt(nonce, sealed, context.encode())
    except InvalidTag:
        raise KeySealError("cannot open the private key (wrong key-encryption key?)") from None


def raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class SigningKey(Base):
    """One Ed25519 key pair of the platform (a ledger log, a witness, a document issuer...)."""

    __tablename__ = "core_signing_key"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(50))
    algorithm: Mapped[str] = mapped_column(String(20), default="ed25519")
    public_key: Mapped[bytes] = mapped_column(LargeBinary(64))
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary(256))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None]


def create_signing_key(
    session: Session, *, name: str, purpose: str, kek: str, organisation_id: int | None = None
) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    row = SigningKey(
        name=name,
        purpose=purpose,
        public_key=raw_public(private.public_key()),
        sealed_private_key=seal(raw_private(private), kek=kek, context=name),
        organisation_id=organisation_id,
    )
    session.add(row)
    session.flush()
    return row


def load_private_key(row: SigningKey, *, kek: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        unseal(row.sealed_private_key, kek=kek, context=row.name)
    )


def signing_key_by_name(session: Session, name: str) -> SigningKey:
    row = session.scalar(select(SigningKey).where(SigningKey.name == name))
    if row is None:
        raise NotFound(f"signing key {name!r} does not exist")
    return row
