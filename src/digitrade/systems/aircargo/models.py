"""Tables of the air cargo system (prefix ``aircargo_``): a ONE Record server's store.

- ``aircargo_agent``: the ONE Record logistics agent (an Organization object's IRI) of each
  platform organisation, local or on a partner's server (with that server's address and the key
  to call it).
- ``aircargo_object``: one logistics object: IRI, owner, types, latest revision.
- ``aircargo_link``: the IRIs an object's latest revision links to (records are walked both ways).
- ``aircargo_revision``: every revision of an object: its graph (flattened JSON-LD), the compact
  document served, the SHA-256 of the graph, and the change request that made it.
- ``aircargo_event``: logistics events recorded under an object.
- ``aircargo_action_request``: change, subscription and access-delegation requests with their
  lifecycle (pending, accepted, rejected, revoked, failed).
- ``aircargo_subscription``: accepted subscriptions (topic: one object or a type).
- ``aircargo_notification``: the outbox of notifications to subscribers, with retries; a
  notification that exhausts its attempts is dead-lettered.
- ``aircargo_received``: notifications received from other servers.
- ``aircargo_acl``: per-object permissions granted to agents by accepted delegations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import digitrade.core.auth.models  # noqa: F401 - foreign keys point at its tables
from digitrade.core.db import Base, utcnow

IRI_LENGTH = 500


class Agent(Base):
    __tablename__ = "aircargo_agent"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="CASCADE"), unique=True
    )
    iri: Mapped[str] = mapped_column(String(IRI_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    server_url: Mapped[str | None] = mapped_column(String(IRI_LENGTH))  # partners only
    outbound_token: Mapped[str | None] = mapped_column(String(200))  # key to call the partner
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LogisticsObject(Base):
    __tablename__ = "aircargo_object"
    __table_args__ = (Index("ix_aircargo_object_owner_type", "owner_id", "primary_type"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    iri: Mapped[str] = mapped_column(String(IRI_LENGTH), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id", ondelete="RESTRICT"))
    primary_type: Mapped[str] = mapped_column(String(200))
    types: Mapped[list[str]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer)
    ontology: Mapped[str] = mapped_column(String(100))
    awb: Mapped[str | None] = mapped_column(String(20), index=True)  # waybills: 999-12345678
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Link(Base):
    """An IRI the latest revision of an object points at (to walk records both ways)."""

    __tablename__ = "aircargo_link"
    __table_args__ = (UniqueConstraint("object_id", "target_iri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_id: Mapped[str] = mapped_column(
        ForeignKey("aircargo_object.id", ondelete="CASCADE"), index=True
    )
    target_iri: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)


class Revision(Base):
    __tablename__ = "aircargo_revision"
    __table_args__ = (UniqueConstraint("object_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_id: Mapped[str] = mapped_column(
        ForeignKey("aircargo_object.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    graph: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(71))
    action_request_id: Mapped[str | None] = mapped_column(String(36))


class Event(Base):
    __tablename__ = "aircargo_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    object_id: Mapped[str] = mapped_column(
        ForeignKey("aircargo_object.id", ondelete="CASCADE"), index=True
    )
    iri: Mapped[str] = mapped_column(String(IRI_LENGTH), unique=True)
    event_code: Mapped[str | None] = mapped_column(String(100), index=True)
    event_name: Mapped[str | None] = mapped_column(String(300))
    event_date: Mapped[dt.datetime | None]
    time_type: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(IRI_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    graph: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[str] = mapped_column(Text)


class ActionRequest(Base):
    __tablename__ = "aircargo_action_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # change, subscription, access_delegation
    status: Mapped[str] = mapped_column(String(20), index=True)
    object_id: Mapped[str | None] = mapped_column(
        ForeignKey("aircargo_object.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[str] = mapped_column(String(IRI_LENGTH))
    requester_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_organisation.id", ondelete="SET NULL")
    )
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(IRI_LENGTH))
    revoked_at: Mapped[dt.datetime | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the request's nested node
    revision: Mapped[int | None] = mapped_column(Integer)  # a change's hasRevision
    error: Mapped[str | None] = mapped_column(Text)


class Subscription(Base):
    __tablename__ = "aircargo_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_request_id: Mapped[str] = mapped_column(
        ForeignKey("aircargo_action_request.id", ondelete="CASCADE"), unique=True
    )
    subscriber: Mapped[str] = mapped_column(String(IRI_LENGTH))
    topic_type: Mapped[str] = mapped_column(String(40))  # LOGISTICS_OBJECT_TYPE / _IDENTIFIER
    topic: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)
    event_types: Mapped[list[str]] = mapped_column(JSON)
    include_events: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    target_url: Mapped[str] = mapped_column(String(IRI_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notification(Base):
    __tablename__ = "aircargo_notification"
    __table_args__ = (Index("ix_aircargo_notification_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("aircargo_subscription.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(60))
    object_iri: Mapped[str] = mapped_column(String(IRI_LENGTH))
    target_url: Mapped[str] = mapped_column(String(IRI_LENGTH))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending, delivered, dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]


class ReceivedNotification(Base):
    __tablename__ = "aircargo_received"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(60))
    object_iri: Mapped[str | None] = mapped_column(String(IRI_LENGTH), index=True)
    object_type: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)


class AccessGrant(Base):
    __tablename__ = "aircargo_acl"
    __table_args__ = (UniqueConstraint("object_id", "agent_iri", "permission"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_id: Mapped[str] = mapped_column(
        ForeignKey("aircargo_object.id", ondelete="CASCADE"), index=True
    )
    agent_iri: Mapped[str] = mapped_column(String(IRI_LENGTH), index=True)
    permission: Mapped[str] = mapped_column(String(100))  # an api: permission IRI
    action_request_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
