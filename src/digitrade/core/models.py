"""Every core table, imported in one place so that ``Base.metadata`` is complete (migrations,
schema checks). Systems' tables are registered by importing ``digitrade.composition``."""

from __future__ import annotations

from digitrade.core.audit import AuditEvent
from digitrade.core.auth.models import ApiKey, Membership, Organisation, User
from digitrade.core.crypto.keys import SigningKey
from digitrade.core.ledger.models import (
    LedgerCheckpoint,
    LedgerCosignature,
    LedgerEntry,
    LedgerLog,
    LedgerNode,
    LedgerTree,
    LedgerWitness,
    WitnessedLog,
)

__all__ = [
    "ApiKey",
    "AuditEvent",
    "LedgerCheckpoint",
    "LedgerCosignature",
    "LedgerEntry",
    "LedgerLog",
    "LedgerNode",
    "LedgerTree",
    "LedgerWitness",
    "Membership",
    "Organisation",
    "SigningKey",
    "User",
    "WitnessedLog",
]
