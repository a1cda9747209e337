"""What the air cargo front doors (ONE Record API, platform API, pages) take from a request:
this platform's ONE Record server and, for read-only requests, a factory to write with."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth.dependencies import SAFE_METHODS, platform
from digitrade.systems.aircargo.service import Server, server_from_settings


def server_for(request: Request) -> Server:
    extras = platform(request).extras
    server = extras.get("onerecord")
    if not isinstance(server, Server):
        server = server_from_settings(platform(request).settings)
        extras["onerecord"] = server
    return server


def reader_factory(request: Request) -> sessionmaker[Session] | None:
    """For a read-only request (its session must not write), the factory to write with; None
    when the request's own session writes."""
    return platform(request).session_factory if request.method in SAFE_METHODS else None


def agent_cache(request: Request) -> dict[int, tuple[str, float]]:
    """Organisation -> (agent IRI, when read), kept per app (a server process)."""
    cache = platform(request).extras.setdefault("onerecord_agents", {})
    assert isinstance(cache, dict)
    return cache
