"""What the platform's own air cargo API and pages show (``/api/aircargo``): shipment records
built from the ONE Record store."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ObjectSummary(BaseModel):
    id: str
    iri: str
    type: str = Field(description="Most specific class (cargo:Piece as a full IRI)")
    type_name: str = Field(description="The class's local name, e.g. Piece")
    awb: str | None = Field(None, description="Air waybill number of a Waybill: 999-12345678")
    label: str = Field(description="Goods description, name or identifier: what to call it")
    owner: str
    revision: int
    updated_at: dt.datetime


class TimelineEntry(BaseModel):
    event_iri: str
    code: str | None
    milestone: str
    milestone_zh: str
    time_type: str | None = Field(None, description="ACTUAL, PLANNED, ESTIMATED, ...")
    event_date: dt.datetime | None
    location: str | None
    recorded_by: str
    object_id: str
    object_label: str


class MilestoneStatus(BaseModel):
    code: str
    milestone: str
    milestone_zh: str
    planned: dt.datetime | None
    actual: dt.datetime | None
    delay_minutes: int | None = Field(None, description="Actual minus planned, when both known")


class RouteLeg(BaseModel):
    transport: str | None = Field(None, description="Flight or truck identifier")
    departure: str | None
    arrival: str | None
    departure_time: dt.datetime | None
    arrival_time: dt.datetime | None
    source: str = Field(description="transport-movement or events")


class Party(BaseModel):
    name: str
    agent_iri: str | None
    roles: list[str] = Field(description="owner, event recorder, delegated access, subscriber")
    shares: list[str] = Field(description="What the party publishes or may read")
    shares_zh: list[str] = Field(description="The same in Chinese")


class NotificationRow(BaseModel):
    id: int
    direction: str = Field(description="sent or received")
    event_type: str
    object_iri: str | None
    status: str = Field(description="pending, delivered, dead (sent) or received")
    attempts: int
    target: str | None
    last_error: str | None
    created_at: dt.datetime


class ShipmentRecord(BaseModel):
    root: ObjectSummary
    objects: list[ObjectSummary]
    timeline: list[TimelineEntry]
    milestones: list[MilestoneStatus]
    route: list[RouteLeg]
    parties: list[Party]
    notifications: list[NotificationRow]
    location_codes: dict[str, str] = Field(
        default_factory=dict,
        description="Location name -> code (IATA airport code) from the record's locations",
    )


class ImportOutcome(BaseModel):
    file: str
    outcome: str = Field(description="created, event, skipped, refused or invalid")
    detail: str
    iri: str | None = None


class PartnerRegistration(BaseModel):
    organisation: str = Field(description="Slug of the platform organisation of the partner")
    agent_iri: str = Field(
        description="The partner's logistics agent IRI on its own server",
        pattern=r"^https?://\S+$",
        max_length=500,
    )
    server_url: str = Field(
        description="The partner's ONE Record API root", pattern=r"^https?://\S+$", max_length=500
    )
    outbound_token: str | None = Field(
        None,
        max_length=200,
        description="The API key this server presents when it notifies the partner",
    )


class PartnerRead(BaseModel):
    organisation_id: int | None
    name: str
    agent_iri: str
    server_url: str | None
    has_outbound_token: bool
