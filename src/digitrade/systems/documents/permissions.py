"""Permissions of the verifiable documents system.

Verifying a file, reading an issuer's DID document or status lists needs no permission: anyone,
anywhere, must be able to check a document.
"""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

READ = "documents.read"
ISSUE = "documents.issue"  # issue, revoke, suspend, void: in the issuer's name
TRANSFER = "documents.transfer"  # title actions in the holder's (or carrier's) name
KEYS = "documents.keys"  # rotate or revoke the organisation's document keys

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    READ: frozenset(Role),
    ISSUE: frozenset({Role.OWNER, Role.EDITOR}),
    TRANSFER: frozenset({Role.OWNER, Role.EDITOR}),
    KEYS: frozenset({Role.OWNER}),
}
