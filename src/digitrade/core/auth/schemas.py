"""Pydantic shapes of the identity API (inputs end in Create, outputs in Read)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from digitrade.core.auth.permissions import OrganisationKind, Role

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class OrganisationCreate(BaseModel):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$", description="URL-safe id")
    name: str = Field(min_length=2, max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    kind: OrganisationKind
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    unified_social_credit_code: str | None = Field(
        default=None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
    )


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    name_zh: str | None
    kind: OrganisationKind
    country: str
    unified_social_credit_code: str | None
    created_at: dt.datetime


class UserCreate(BaseModel):
    email: str = Field(max_length=254)
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=12, max_length=256, description="At least 12 characters")
    is_platform_admin: bool = False
    organisation_id: int | None = None
    role: Role | None = None
    preferred_language: str = Field(default="en", pattern=r"^(en|zh-Hans)$")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if not _EMAIL.match(value):
            raise ValueError("not an e-mail address")
        return value


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    organisation_id: int
    role: Role


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    is_platform_admin: bool
    is_active: bool
    preferred_language: str
    memberships: list[MembershipRead]
    created_at: dt.datetime


class MembershipCreate(BaseModel):
    user_id: int
    role: Role


class ApiKeyCreate(BaseModel):
    organisation_id: int
    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.VIEWER
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    prefix: str
    name: str
    organisation_id: int
    role: Role
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class ApiKeyIssued(ApiKeyRead):
    token: str = Field(description="The secret. Shown once; only its digest is stored.")


class Page(BaseModel, Generic[T]):
    """The one pagination envelope of the API (see docs/api-conventions.md)."""

    items: list[T]
    total: int
    limit: int
    offset: int
