"""FastAPI dependencies: the request's database session and the acting ``Principal``.

API calls authenticate with ``Authorization: Bearer dtk_...``; a signed-in browser may also call
the API with its session cookie, but then unsafe methods must carry the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth import service
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.ratelimit import SlidingWindowLimiter
from digitrade.core.config import Settings
from digitrade.core.db import transaction
from digitrade.core.errors import AuthenticationRequired, PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FORM_FIELD = "csrf_token"


@dataclass
class Platform:
    """What a running app holds: settings, database sessions, systems, the login limiter."""

    settings: Settings
    session_factory: sessionmaker[Session]
    login_limiter: SlidingWindowLimiter
    systems: tuple[Any, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)


def platform(request: Request) -> Platform:
    value: Platform = request.app.state.platform
    return value


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, else rolled back."""
    write = request.method not in SAFE_METHODS
    with transaction(platform(request).session_factory, write=write) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


def get_read_session(request: Request) -> Iterator[Session]:
    """A transaction that only reads, whatever the method: for POSTs that store nothing (checking
    an uploaded file), so a slow or large upload never holds the database's write lock."""
    with transaction(platform(request).session_factory, write=False) as session:
        yield session


ReadSession = Annotated[Session, Depends(get_read_session, scope="function")]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")


def session_principal(request: Request, session: Session) -> Principal:
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return Principal.anonymous()
    principal = service.load_user_principal(session, user_id)
    if principal is None:
        request.session.clear()
        return Principal.anonymous()
    return principal


def api_principal(request: Request, session: DbSession) -> Principal:
    """Bearer API key first; else the browser session (with CSRF on unsafe methods)."""
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationRequired("use 'Authorization: Bearer <API key>'")
        return service.authenticate_api_key(session, token.strip())
    principal = session_principal(request, session)
    if principal.is_authenticated and request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return principal


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def page_principal(request: Request, session: DbSession) -> Principal:
    return session_principal(request, session)


PagePrincipal = Annotated[Principal, Depends(page_principal)]
