"""Permissions of the e-invoicing system (roles per organisation; administrators hold all).

Validating, converting and verifying a file need no permission: they store nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

READ = "einvoice.read"
ISSUE = "einvoice.issue"

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    READ: frozenset(Role),
    ISSUE: frozenset({Role.OWNER, Role.EDITOR}),
}
