"""Roles and permissions as data.

Each organisation gives each member one role. A permission names the roles that hold it;
platform administrators (the operating agency) hold every permission in every organisation.
Systems add their permissions through ``SystemModule.permissions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"  # manages the organisation's members and API keys
    EDITOR = "editor"  # does the organisation's work: issues, files, submits
    VIEWER = "viewer"  # reads the organisation's records


ROLE_RANK: Mapping[Role, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class OrganisationKind(StrEnum):
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    CARRIER = "carrier"
    BANK = "bank"
    PLATFORM = "platform"
    FORWARDER = "forwarder"
    AIRLINE = "airline"
    CUSTOMS = "customs"
    OTHER = "other"


ORG_READ = "core.organisation.read"
ORG_CREATE = "core.organisation.create"
MEMBER_MANAGE = "core.member.manage"
KEY_MANAGE = "core.key.manage"
AUDIT_READ = "core.audit.read"
LEDGER_APPEND = "core.ledger.append"
LEDGER_MANAGE = "core.ledger.manage"

_ALL = frozenset(Role)
CORE_PERMISSIONS: Mapping[str, frozenset[Role]] = {
    ORG_READ: _ALL,
    ORG_CREATE: frozenset(),  # platform administrators only
    MEMBER_MANAGE: frozenset({Role.OWNER}),
    KEY_MANAGE: frozenset({Role.OWNER}),
    AUDIT_READ: frozenset({Role.OWNER, Role.EDITOR}),
    LEDGER_APPEND: frozenset({Role.OWNER, Role.EDITOR}),
    LEDGER_MANAGE: frozenset(),  # platform administrators only
}

_registry: dict[str, frozenset[Role]] = dict(CORE_PERMISSIONS)


def register_permissions(permissions: Mapping[str, frozenset[Role]]) -> None:
    """Add a system's permissions; a name may be registered twice only with the same roles."""
    for name, roles in permissions.items():
        if name in _registry and _registry[name] != roles:
            raise ValueError(f"permission {name!r} registered twice with different roles")
        _registry[name] = roles


def roles_for(permission: str) -> frozenset[Role]:
    try:
        return _registry[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None


def registered_permissions() -> Mapping[str, frozenset[Role]]:
    return dict(_registry)
