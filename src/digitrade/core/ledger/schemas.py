"""Shapes of ledger data for the API, the CLI and other systems."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


class LogRead(BaseModel):
    name: str
    origin: str
    description: str
    verifier_key: str = Field(description="C2SP signed-note verifier key of the log")
    size: int = Field(description="Integrated tree size")
    root_hash: str = Field(description="Base64 root hash at that size")
    pending: int = Field(description="Entries appended but not yet integrated")


class AppendedEntry(BaseModel):
    log: str
    index: int
    leaf_hash: str


class EntryRead(BaseModel):
    log: str
    index: int
    leaf_hash: str
    kind: str
    kind_version: int
    submitter: str
    organisation_id: int | None
    created_at: dt.datetime
    integrated: bool
    envelope: dict[str, Any] = Field(description="The entry; its RFC 8785 bytes are the leaf")


class InclusionProofRead(BaseModel):
    log: str
    index: int
    tree_size: int
    leaf_hash: str
    hashes: list[str]
    root_hash: str


class ConsistencyProofRead(BaseModel):
    log: str
    first: int
    second: int
    hashes: list[str]
    first_root: str
    second_root: str


class CheckpointRead(BaseModel):
    log: str
    origin: str
    size: int
    root_hash: str
    note: str = Field(description="Signed note, with the cosignatures collected so far")
    created_at: dt.datetime
    cosignatures: int


class AttestationCreate(BaseModel):
    organisation_id: int
    subject: str = Field(min_length=1, max_length=500)
    statement: str = Field(min_length=1, max_length=2000)
    document_digest: str | None = Field(default=None, pattern="^sha256:[0-9a-f]{64}$")
    reference: str | None = Field(default=None, max_length=500)


class EntryPage(BaseModel):
    items: list[EntryRead]
    total: int
    limit: int
    offset: int
