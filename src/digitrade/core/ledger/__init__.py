"""Transparency ledger: an RFC 9162 Merkle log with C2SP checkpoints, notes and cosignatures."""
