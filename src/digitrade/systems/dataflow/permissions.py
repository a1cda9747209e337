"""Permissions of the dataflow system (roles per organisation; administrators hold all)."""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

READ = "dataflow.read"
ASSESS = "dataflow.assess"
REGISTER = "dataflow.register"
LISTS_MANAGE = "dataflow.lists.manage"

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    READ: frozenset(Role),
    ASSESS: frozenset({Role.OWNER, Role.EDITOR}),
    REGISTER: frozenset({Role.OWNER, Role.EDITOR}),
    LISTS_MANAGE: frozenset(),  # platform administrators (the data service centre) only
}
