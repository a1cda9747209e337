"""Append-only audit trail, written in the same transaction as the change it records.

Rows are never updated or deleted: the ORM refuses it, and database triggers (created by the
migration on SQLite and PostgreSQL) refuse it for anyone who goes around the ORM.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, ForeignKey, Index, String, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.auth.permissions import AUDIT_READ
from digitrade.core.auth.principal import Principal
from digitrade.core.crypto.jcs import digest_json, to_json_compatible
from digitrade.core.db import Base, utcnow

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class AuditEvent(Base):
    __tablename__ = "core_audit_event"
    __table_args__ = (
        Index("ix_core_audit_event_org_occurred", "organisation_id", "occurred_at"),
        Index("ix_core_audit_event_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_user.id", ondelete="RESTRICT")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="RESTRICT")
    )
    action: Mapped[str] = mapped_column(String(100), index=True)
    entity_type: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str] = mapped_column(String(100))
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AppendOnlyViolation("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AppendOnlyViolation("audit events are append-only")


def record(
    session: Session,
    *,
    actor: Principal,
    action: str,
    entity_type: str,
    entity_id: str | int,
    organisation_id: int | None,
    before: Any = None,
    after: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit row to the caller's transaction (flushed, not committed)."""
    row = AuditEvent(
        actor=actor.subject,
        actor_user_id=actor.user_id,
        organisation_id=organisation_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before_digest=digest_json(before) if before is not None else None,
        after_digest=digest_json(after) if after is not None else None,
        details=to_json_compatible(details or {}),
        request_id=current_request_id.get(),
    )
    session.add(row)
    session.flush()
    return row


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: dt.datetime
    actor: str
    organisation_id: int | None
    action: str
    entity_type: str
    entity_id: str
    before_digest: str | None
    after_digest: str | None
    details: dict[str, Any]
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEventRead]
    total: int
    limit: int
    offset: int


def list_events(
    session: Session,
    *,
    actor: Principal,
    organisation_id: int | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> AuditPage:
    """Newest first. Non-administrators see only the organisations where they may read audit."""
    actor.require(AUDIT_READ, organisation_id)
    query = select(AuditEvent)
    if not actor.is_platform_admin:
        visible = [org for org in actor.organisation_ids if actor.can(AUDIT_READ, org)]
        query = query.where(AuditEvent.organisation_id.in_(visible))
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)).all()
    return AuditPage(
        items=[AuditEventRead.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )
