"""Identity services: the only writers of organisations, users, memberships and API keys.

Every function takes the acting ``Principal``, checks its permission first, writes the audit row
in the same transaction, and ``flush()``es; the caller commits.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from digitrade.core import audit
from digitrade.core.auth.models import ApiKey, Membership, Organisation, User
from digitrade.core.auth.passwords import hash_password, verify_password
from digitrade.core.auth.permissions import (
    KEY_MANAGE,
    MEMBER_MANAGE,
    ORG_CREATE,
    ORG_READ,
    ROLE_RANK,
    Role,
)
from digitrade.core.auth.principal import Principal, PrincipalKind
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
from digitrade.core.db import fetch_page, utcnow
from digitrade.core.errors import AuthenticationRequired, Conflict, NotFound, validation_error

API_KEY_SCHEME = "dtk"
DEFAULT_API_KEY_DAYS = 90


# --- organisations -------------------------------------------------------------------------


def create_organisation(
    session: Session, *, actor: Principal, data: OrganisationCreate
) -> OrganisationRead:
    actor.require(ORG_CREATE)
    if session.scalar(select(Organisation.id).where(Organisation.slug == data.slug)):
        raise Conflict(f"an organisation with slug {data.slug!r} exists", extra={"field": "slug"})
    org = Organisation(**data.model_dump(mode="python"))
    session.add(org)
    session.flush()
    result = OrganisationRead.model_validate(org)
    audit.record(
        session,
        actor=actor,
        action="core.organisation.create",
        entity_type="organisation",
        entity_id=org.id,
        organisation_id=org.id,
        after=result.model_dump(mode="json"),
    )
    return result


def get_organisation(
    session: Session, *, actor: Principal, organisation_id: int
) -> OrganisationRead:
    actor.require(ORG_READ, organisation_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"organisation {organisation_id} does not exist")
    return OrganisationRead.model_validate(org)


def list_organisations(
    session: Session, *, actor: Principal, limit: int = 50, offset: int = 0
) -> Page[OrganisationRead]:
    actor.require(ORG_READ)
    query = select(Organisation)
    if not actor.is_platform_admin:
        query = query.where(Organisation.id.in_(actor.organisation_ids))
    rows, total = fetch_page(session, query.order_by(Organisation.name), limit=limit, offset=offset)
    return Page[OrganisationRead](
        items=[OrganisationRead.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def organisation_id_for_slug(session: Session, slug: str) -> int:
    org_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if org_id is None:
        raise NotFound(f"organisation {slug!r} does not exist")
    return org_id


# --- users and memberships -----------------------------------------------------------------


def _user_read(user: User) -> UserRead:
    return UserRead.model_validate(user)


def create_user(session: Session, *, actor: Principal, data: UserCreate) -> UserRead:
    """Platform admins create any user; an organisation's owner creates members of it."""
    if data.is_platform_admin or data.organisation_id is None:
        actor.require(ORG_CREATE)  # platform-level act
    else:
        actor.require(MEMBER_MANAGE, data.organisation_id)
    if (data.organisation_id is None) != (data.role is None):
        raise validation_error("role", "give both organisation_id and role, or neither")
    if data.organisation_id is not None and session.get(Organisation, data.organisation_id) is None:
        raise validation_error("organisation_id", f"organisation {data.organisation_id} not found")
    if session.scalar(select(User.id).where(User.email == data.email)):
        raise Conflict(f"a user with e-mail {data.email!r} exists", extra={"field": "email"})
    user = User(
        email=data.email,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        is_platform_admin=data.is_platform_admin,
        preferred_language=data.preferred_language,
    )
    session.add(user)
    session.flush()
    if data.organisation_id is not None and data.role is not None:
        session.add(
            Membership(user_id=user.id, organisation_id=data.organisation_id, role=data.role)
        )
        session.flush()
    session.refresh(user, ["memberships"])
    result = _user_read(user)
    audit.record(
        session,
        actor=actor,
        action="core.user.create",
        entity_type="user",
        entity_id=user.id,
        organisation_id=data.organisation_id,
        after=result.model_dump(mode="json"),
    )
    return result


def add_membership(
    session: Session, *, actor: Principal, organisation_id: int, data: MembershipCreate
) -> UserRead:
    actor.require(MEMBER_MANAGE, organisation_id)
    user = session.get(User, data.user_id)
    if user is None:
        raise validation_error("user_id", f"user {data.user_id} not found")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"organisation {organisation_id} does not exist")
    existing = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation_id
        )
    )
    before = {"role": existing.role} if existing else None
    if existing:
        existing.role = data.role
    else:
        session.add(Membership(user_id=user.id, organisation_id=organisation_id, role=data.role))
    session.flush()
    session.refresh(user, ["memberships"])
    audit.record(
        session,
        actor=actor,
        action="core.membership.set",
        entity_type="user",
        entity_id=user.id,
        organisation_id=organisation_id,
        before=before,
        after={"role": data.role.value},
    )
    return _user_read(user)


def list_users(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[UserRead]:
    actor.require(MEMBER_MANAGE, organisation_id)
    query = select(User).options(selectinload(User.memberships))
    if organisation_id is not None:
        query = query.join(Membership).where(Membership.organisation_id == organisation_id)
    elif not actor.is_platform_admin:
        managed = [o for o in actor.organisation_ids if actor.can(MEMBER_MANAGE, o)]
        query = query.join(Membership).where(Membership.organisation_id.in_(managed)).distinct()
    rows, total = fetch_page(session, query.order_by(User.email), limit=limit, offset=offset)
    return Page[UserRead](
        items=[_user_read(u) for u in rows], total=total, limit=limit, offset=offset
    )


def principal_for_user(user: User) -> Principal:
    return Principal(
        kind=PrincipalKind.USER,
        subject=f"user:{user.id}",
        display_name=user.display_name,
        roles={m.organisation_id: Role(m.role) for m in user.memberships},
        is_platform_admin=user.is_platform_admin,
        user_id=user.id,
    )


def load_user_principal(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id, options=[selectinload(User.memberships)])
    if user is None or not user.is_active:
        return None
    return principal_for_user(user)


def authenticate_password(session: Session, *, email: str, password: str) -> Principal:
    """Check a login; the same error (and the same work) whether the account exists or not."""
    user = session.scalar(
        select(User)
        .options(selectinload(User.memberships))
        .where(User.email == email.strip().lower())
    )
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise AuthenticationRequired("e-mail or password is wrong")
    if not user.is_active:
        raise AuthenticationRequired("this account is disabled")
    return principal_for_user(user)


# --- API keys --------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    # API key secrets carry 256 bits of randomness, so a fast hash is safe and keeps
    # per-request authentication cheap (unlike passwords, which need Argon2).
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    return base64.b32encode(secrets.token_bytes(5)).decode().lower()


def parse_token(token: str) -> tuple[str, str] | None:
    """``dtk_<prefix>_<secret>`` -> (prefix, secret), or None if it is not one of ours."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def create_api_key(
    session: Session,
    *,
    actor: Principal,
    data: ApiKeyCreate,
    default_days: int = DEFAULT_API_KEY_DAYS,
) -> ApiKeyIssued:
    actor.require(KEY_MANAGE, data.organisation_id)
    if session.get(Organisation, data.organisation_id) is None:
        raise validation_error("organisation_id", f"organisation {data.organisation_id} not found")
    own_role = actor.roles.get(data.organisation_id)
    if not actor.is_platform_admin and (
        own_role is None or ROLE_RANK[data.role] > ROLE_RANK[own_role]
    ):
        raise validation_error("role", "a key cannot hold a higher role than its creator")
    prefix, secret = _new_prefix(), secrets.token_urlsafe(32)
    key = ApiKey(
        prefix=prefix,
        secret_digest=_digest(secret),
        name=data.name,
        organisation_id=data.organisation_id,
        role=data.role,
        created_by_user_id=actor.user_id,
        expires_at=utcnow() + dt.timedelta(days=data.expires_in_days or default_days),
    )
    session.add(key)
    session.flush()
    read = ApiKeyRead.model_validate(key)
    audit.record(
        session,
        actor=actor,
        action="core.api_key.create",
        entity_type="api_key",
        entity_id=key.id,
        organisation_id=key.organisation_id,
        after=read.model_dump(mode="json"),
    )
    return ApiKeyIssued(**read.model_dump(), token=f"{API_KEY_SCHEME}_{prefix}_{secret}")


def list_api_keys(
    session: Session, *, actor: Principal, organisation_id: int, limit: int = 50, offset: int = 0
) -> Page[ApiKeyRead]:
    actor.require(KEY_MANAGE, organisation_id)
    query = select(ApiKey).where(ApiKey.organisation_id == organisation_id)
    rows, total = fetch_page(session, query.order_by(ApiKey.id.desc()), limit=limit, offset=offset)
    return Page[ApiKeyRead](
        items=[ApiKeyRead.model_validate(k) for k in rows], total=total, limit=limit, offset=offset
    )


def _key_by_reference(session: Session, reference: str | int) -> ApiKey:
    key = (
        session.get(ApiKey, int(reference))
        if isinstance(reference, int) or str(reference).isdigit()
        else session.scalar(select(ApiKey).where(ApiKey.prefix == str(reference)))
    )
    if key is None:
        raise NotFound(f"API key {reference} does not exist")
    return key


def revoke_api_key(session: Session, *, actor: Principal, key: str | int) -> ApiKeyRead:
    """Revoke by id or prefix. Revoking twice is a conflict, not a silent success."""
    row = _key_by_reference(session, key)
    actor.require(KEY_MANAGE, row.organisation_id)
    if row.revoked_at is not None:
        raise Conflict(f"API key {row.prefix} was already revoked")
    before = ApiKeyRead.model_validate(row).model_dump(mode="json")
    row.revoked_at = utcnow()
    session.flush()
    after = ApiKeyRead.model_validate(row)
    audit.record(
        session,
        actor=actor,
        action="core.api_key.revoke",
        entity_type="api_key",
        entity_id=row.id,
        organisation_id=row.organisation_id,
        before=before,
        after=after.model_dump(mode="json"),
    )
    return after


def authenticate_api_key(
    session: Session, token: str, *, now: dt.datetime | None = None
) -> Principal:
    """A valid, unrevoked, unexpired key -> its Principal; anything else -> 401."""
    parsed = parse_token(token)
    if parsed is None:
        raise AuthenticationRequired("malformed API key")
    prefix, secret = parsed
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or not hmac.compare_digest(key.secret_digest, _digest(secret)):
        raise AuthenticationRequired("unknown API key")
    now = now or utcnow()
    if key.revoked_at is not None:
        raise AuthenticationRequired("API key was revoked")
    if key.expires_at <= now:
        raise AuthenticationRequired("API key has expired")
    return Principal(
        kind=PrincipalKind.API_KEY,
        subject=f"key:{key.prefix}",
        display_name=f"API key {key.name} ({key.prefix})",
        roles={key.organisation_id: Role(key.role)},
        api_key_id=key.id,
    )
