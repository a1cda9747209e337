"""The platform's own API under ``/api/core``: organisations, users, API keys, audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from digitrade.core import audit
from digitrade.core.auth import service
from digitrade.core.auth.dependencies import ApiPrincipal, DbSession, Platform, platform
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import (
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyRead,
    MembershipCreate,
    OrganisationCreate,
    OrganisationRead,
    Page,
    UserCreate,
    UserRead,
)
from digitrade.core.errors import AuthenticationRequired

router = APIRouter(prefix="/api/core", tags=["core"])

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]
CurrentPlatform = Annotated[Platform, Depends(platform)]


def _authenticated(actor: Principal) -> Principal:
    if not actor.is_authenticated:
        raise AuthenticationRequired("sign in or send an API key to do this")
    return actor


@router.get("/me", summary="Who am I")
def me(actor: ApiPrincipal) -> dict[str, object]:
    actor = _authenticated(actor)
    return {
        "subject": actor.subject,
        "display_name": actor.display_name,
        "kind": actor.kind.value,
        "is_platform_admin": actor.is_platform_admin,
        "roles": {str(org): role.value for org, role in actor.roles.items()},
    }


@router.get("/organisations", response_model=Page[OrganisationRead])
def list_organisations(
    session: DbSession, actor: ApiPrincipal, limit: Limit = 50, offset: Offset = 0
) -> Page[OrganisationRead]:
    return service.list_organisations(session, actor=actor, limit=limit, offset=offset)


@router.post("/organisations", response_model=OrganisationRead, status_code=status.HTTP_201_CREATED)
def create_organisation(
    data: OrganisationCreate, session: DbSession, actor: ApiPrincipal
) -> OrganisationRead:
    return service.create_organisation(session, actor=actor, data=data)


@router.get("/organisations/{organisation_id}", response_model=OrganisationRead)
def get_organisation(
    organisation_id: int, session: DbSession, actor: ApiPrincipal
) -> OrganisationRead:
    return service.get_organisation(session, actor=actor, organisation_id=organisation_id)


@router.get("/users", response_model=Page[UserRead])
def list_users(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[UserRead]:
    return service.list_users(
        session, actor=actor, organisation_id=organisation_id, limit=limit, offset=offset
    )


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(data: UserCreate, session: DbSession, actor: ApiPrincipal) -> UserRead:
    return service.create_user(session, actor=actor, data=data)


@router.put("/organisations/{organisation_id}/members", response_model=UserRead)
def set_membership(
    organisation_id: int, data: MembershipCreate, session: DbSession, actor: ApiPrincipal
) -> UserRead:
    return service.add_membership(session, actor=actor, organisation_id=organisation_id, data=data)


@router.get("/organisations/{organisation_id}/keys", response_model=Page[ApiKeyRead])
def list_keys(
    organisation_id: int,
    session: DbSession,
    actor: ApiPrincipal,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ApiKeyRead]:
    return service.list_api_keys(
        session, actor=actor, organisation_id=organisation_id, limit=limit, offset=offset
    )


@router.post("/keys", response_model=ApiKeyIssued, status_code=status.HTTP_201_CREATED)
def create_key(
    data: ApiKeyCreate, session: DbSession, actor: ApiPrincipal, request_platform: CurrentPlatform
) -> ApiKeyIssued:
    return service.create_api_key(
        session,
        actor=actor,
        data=data,
        default_days=request_platform.settings.api_key_default_days,
    )


@router.post("/keys/{key}/revoke", response_model=ApiKeyRead)
def revoke_key(key: str, session: DbSession, actor: ApiPrincipal) -> ApiKeyRead:
    return service.revoke_api_key(session, actor=actor, key=key)


@router.get("/audit", response_model=audit.AuditPage)
def list_audit(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> audit.AuditPage:
    return audit.list_events(
        session,
        actor=actor,
        organisation_id=organisation_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        limit=limit,
        offset=offset,
    )
