"""Who is acting: a user (session login), an API key, or the platform itself (CLI bootstrap)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from digitrade.core.auth.permissions import Role, roles_for
from digitrade.core.errors import AuthenticationRequired, PermissionDenied


class PrincipalKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    subject: str  # "user:12", "key:dtk_ab12cd34", "system:cli"
    display_name: str
    roles: Mapping[int, Role] = field(default_factory=dict)  # organisation id -> role
    is_platform_admin: bool = False
    user_id: int | None = None
    api_key_id: int | None = None

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(PrincipalKind.ANONYMOUS, "anonymous", "anonymous")

    @classmethod
    def system(cls, name: str = "cli") -> Principal:
        """The platform acting on its own behalf (bootstrap, demo load, migrations)."""
        return cls(
            PrincipalKind.SYSTEM, f"system:{name}", f"system ({name})", is_platform_admin=True
        )

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not PrincipalKind.ANONYMOUS

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def can(self, permission: str, organisation_id: int | None = None) -> bool:
        """Does it hold ``permission`` in ``organisation_id`` (or, if None, in any of its own)?"""
        allowed = roles_for(permission)  # raises on a typo, so a check can never silently pass
        if not self.is_authenticated:
            return False
        if self.is_platform_admin:
            return True
        if organisation_id is None:
            return any(role in allowed for role in self.roles.values())
        role = self.roles.get(organisation_id)
        return role is not None and role in allowed

    def require(self, permission: str, organisation_id: int | None = None) -> None:
        if not self.is_authenticated:
            raise AuthenticationRequired("sign in or send an API key to do this")
        if not self.can(permission, organisation_id):
            where = f" in organisation {organisation_id}" if organisation_id is not None else ""
            raise PermissionDenied(f"{self.display_name} lacks permission {permission!r}{where}")
