"""Permissions of the air cargo system on the platform's own pages and API (the ONE Record
API itself decides access per object: owner, or a grant from an accepted delegation)."""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

READ = "aircargo.read"
MANAGE = "aircargo.manage"

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    READ: frozenset(Role),
    MANAGE: frozenset({Role.OWNER, Role.EDITOR}),
}
