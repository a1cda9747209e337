"""The contract between the platform and each trade system: ``SystemModule``.

A system hands the platform its API router, its pages router, its CLI group, its permissions,
a live status check and a demo loader; ``digitrade.composition`` lists the enabled systems.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from digitrade.core.auth.permissions import Role
from digitrade.core.ledger.kinds import EntryKind

if TYPE_CHECKING:
    from digitrade.core.auth.principal import Principal

StatusCheck = Callable[[Session], tuple[bool, str]]
DemoLoader = Callable[[Session, "Principal"], str]


@dataclass(frozen=True)
class SystemModule:
    name: str  # package name, also the API prefix /api/<name> and page prefix /<name>
    title: str  # English title
    title_zh: str  # Simplified Chinese title
    summary: str  # one sentence for the dashboard
    summary_zh: str
    plan_item: str  # the implementation-plan item this system serves
    api: Any | None = None  # fastapi.APIRouter (typed loosely so core does not import FastAPI)
    pages: Any | None = None  # fastapi.APIRouter serving HTML
    cli: Any | None = None  # typer.Typer group
    permissions: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    status: StatusCheck | None = None
    demo: DemoLoader | None = None
    ledger_kinds: tuple[EntryKind, ...] = ()  # evidence this system anchors in the ledger
    docs_path: str = ""  # docs/systems/<name>.md
    cli_name: str = ""  # the command group's name when it differs from ``name`` (``stats``)
    # Routers mounted at their own prefix, outside /api (a standard's own paths: /onerecord).
    standard_routers: tuple[tuple[str, Any], ...] = ()
    # Background work of a running server: called with (session factory, settings), returns an
    # object with start() and stop() (a thread), or None when the settings switch it off.
    worker: Callable[[Any, Any], Any] | None = None

    def live_status(self, session: Session) -> tuple[bool, str]:
        if self.status is None:
            return True, "ok"
        try:
            return self.status(session)
        except Exception as exc:  # a broken system shows red on the dashboard, not a 500
            return False, f"status check failed: {type(exc).__name__}"
