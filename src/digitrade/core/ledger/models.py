"""Ledger tables: logs, sequenced entries, complete-subtree hashes, checkpoints, witnesses.

Entries get their index when appended (inside the caller's transaction, from the log's counter,
so indexes are gap-free and unique); the tree is integrated afterwards in batches, storing the hash
of every complete subtree so that a proof needs O(log n) reads.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.crypto.keys import SigningKey
from digitrade.core.db import Base, utcnow


class LedgerLog(Base):
    __tablename__ = "core_ledger_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("core_signing_key.id"))
    # Next index to hand out. Appenders increment it in their own transaction, so a rolled-back
    # append gives its index back and committed indexes never have gaps.
    next_index: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    signing_key: Mapped[SigningKey] = relationship(lazy="joined")


class LedgerTree(Base):
    """The integrated tree of a log (kept apart from the counter so integration and appends do
    not wait on the same row lock)."""

    __tablename__ = "core_ledger_tree"

    log_id: Mapped[int] = mapped_column(
        ForeignKey("core_ledger_log.id", ondelete="CASCADE"), primary_key=True
    )
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    integrated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerEntry(Base):
    __tablename__ = "core_ledger_entry"
    __table_args__ = (
        Index("ix_core_ledger_entry_leaf_hash", "log_id", "leaf_hash"),
        Index("ix_core_ledger_entry_kind", "log_id", "kind", "index"),
    )

    log_id: Mapped[int] = mapped_column(
        ForeignKey("core_ledger_log.id", ondelete="RESTRICT"), primary_key=True
    )
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    leaf_data: Mapped[bytes] = mapped_column(LargeBinary)  # RFC 8785 bytes of the envelope
    kind: Mapped[str] = mapped_column(String(100))
    kind_version: Mapped[int] = mapped_column(Integer)
    submitter: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerNode(Base):
    """Hash of the complete subtree of 2**level leaves starting at leaf index * 2**level."""

    __tablename__ = "core_ledger_node"

    log_id: Mapped[int] = mapped_column(
        ForeignKey("core_ledger_log.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerCheckpoint(Base):
    __tablename__ = "core_ledger_checkpoint"
    __table_args__ = (UniqueConstraint("log_id", "size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("core_ledger_log.id", ondelete="RESTRICT"))
    size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)  # the signed note, exactly as published
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerWitness(Base):
    """A witness whose cosignatures this log accepts (C2SP tlog-cosignature)."""

    __tablename__ = "core_ledger_witness"
    __table_args__ = (UniqueConstraint("log_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("core_ledger_log.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    verifier_key: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LedgerCosignature(Base):
    __tablename__ = "core_ledger_cosignature"
    __table_args__ = (UniqueConstraint("checkpoint_id", "witness_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(
        ForeignKey("core_ledger_checkpoint.id", ondelete="RESTRICT")
    )
    witness_id: Mapped[int] = mapped_column(ForeignKey("core_ledger_witness.id"))
    signature_line: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WitnessedLog(Base):
    """When this instance acts as a witness: the latest checkpoint it verified for a log."""

    __tablename__ = "core_ledger_witnessed_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(255), unique=True)
    log_verifier_key: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    root_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
