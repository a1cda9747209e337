"""Permissions of the e-commerce clearance system (roles per platform organisation; administrators
hold all).

Assessing an order, checking a return and screening a parcel need no permission: they store
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from digitrade.core.auth.permissions import Role

READ = "ecommerce.read"
DECLARE = "ecommerce.declare"

PERMISSIONS: Mapping[str, frozenset[Role]] = {
    READ: frozenset(Role),
    DECLARE: frozenset({Role.OWNER, Role.EDITOR}),
}
