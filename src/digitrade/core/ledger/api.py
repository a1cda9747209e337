"""Ledger API under ``/api/ledger``. Reading is public (that is the point of a transparency log);
appending needs ``core.ledger.append`` in the organisation; managing logs needs an administrator.

Bulk mirroring follows c2sp.org/tlog-tiles (hash tiles and entry bundles); witnesses use
c2sp.org/tlog-witness ``add-checkpoint``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import time
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, status
from fastapi.responses import PlainTextResponse, Response

from digitrade.core import audit
from digitrade.core.auth.dependencies import ApiPrincipal, DbSession, Platform, platform
from digitrade.core.auth.permissions import LEDGER_APPEND, LEDGER_MANAGE
from digitrade.core.errors import NotFound, validation_error
from digitrade.core.ledger import service
from digitrade.core.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerLog
from digitrade.core.ledger.schemas import (
    AppendedEntry,
    AttestationCreate,
    CheckpointRead,
    ConsistencyProofRead,
    EntryPage,
    EntryRead,
    InclusionProofRead,
    LogRead,
    b64,
)
from digitrade.core.ledger.verify import WitnessError, decode_hash

router = APIRouter(prefix="/api/ledger", tags=["ledger"])
CurrentPlatform = Annotated[Platform, Depends(platform)]
TILE_WIDTH = 256  # c2sp.org/tlog-tiles: tiles of 2**8 hashes
NOTE_MEDIA_TYPE = "text/plain; charset=utf-8"


def log_read(session: DbSession, log: LedgerLog) -> LogRead:
    head = service.tree_head(session, log)
    return LogRead(
        name=log.name,
        origin=log.origin,
        description=log.description,
        verifier_key=service.verifier_key(log),
        size=head.size,
        root_hash=b64(head.root_hash),
        pending=log.next_index - head.size,
    )


def entry_read(log: str, entry: LedgerEntry, integrated: bool) -> EntryRead:
    return EntryRead(
        log=log,
        index=entry.index,
        leaf_hash=entry.leaf_hash.hex(),
        kind=entry.kind,
        kind_version=entry.kind_version,
        submitter=entry.submitter,
        organisation_id=entry.organisation_id,
        created_at=entry.created_at,
        integrated=integrated,
        envelope=json.loads(entry.leaf_data),
    )


@router.get("/logs", response_model=list[LogRead], summary="Every log with its public key and size")
def list_logs(session: DbSession) -> list[LogRead]:
    return [log_read(session, log) for log in service.list_logs(session)]


@router.get("/logs/{log}", response_model=LogRead)
def get_log(log: str, session: DbSession) -> LogRead:
    return log_read(session, service.get_log(session, log))


@router.post(
    "/logs/{log}/entries",
    response_model=AppendedEntry,
    status_code=status.HTTP_201_CREATED,
    summary="Anchor an attestation (integrated within seconds; then it has a proof)",
)
def append_attestation(
    log: str, data: AttestationCreate, session: DbSession, actor: ApiPrincipal
) -> AppendedEntry:
    actor.require(LEDGER_APPEND, data.organisation_id)
    payload: dict[str, str] = {"subject": data.subject, "statement": data.statement}
    if data.document_digest:
        payload["documentDigest"] = data.document_digest
    if data.reference:
        payload["reference"] = data.reference
    appended = service.append(
        session,
        kind="core.attestation",
        payload=payload,
        submitter=actor.subject,
        organisation_id=data.organisation_id,
        log=log,
    )
    audit.record(
        session,
        actor=actor,
        action="core.ledger.append",
        entity_type="ledger_entry",
        entity_id=f"{log}/{appended.index}",
        organisation_id=data.organisation_id,
        after={"leaf_hash": appended.leaf_hash.hex()},
    )
    return AppendedEntry(log=log, index=appended.index, leaf_hash=appended.leaf_hash.hex())


@router.get("/logs/{log}/entries", response_model=EntryPage, summary="Search entries")
def search_entries(
    log: str,
    session: DbSession,
    kind: str | None = None,
    submitter: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EntryPage:
    rows, total = service.search(
        session,
        log=log,
        kind=kind,
        submitter=submitter,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    size = service.tree_head(session, service.get_log(session, log)).size
    return EntryPage(
        items=[entry_read(log, row, row.index < size) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/logs/{log}/entries/{index}", response_model=EntryRead)
def get_entry(log: str, index: int, session: DbSession) -> EntryRead:
    entry, integrated = service.get_entry(session, log=log, index=index)
    return entry_read(log, entry, integrated)


@router.get("/logs/{log}/leaves/{leaf_hash}", response_model=list[EntryRead])
def entries_by_leaf_hash(log: str, leaf_hash: str, session: DbSession) -> list[EntryRead]:
    raw = _hash_parameter(leaf_hash, "leaf_hash")
    size = service.tree_head(session, service.get_log(session, log)).size
    rows = service.find_by_leaf_hash(session, log=log, leaf_hash=raw)
    if not rows:
        raise NotFound(f"no entry of log {log!r} has leaf hash {raw.hex()}")
    return [entry_read(log, row, row.index < size) for row in rows]


def _hash_parameter(value: str, field: str) -> bytes:
    try:
        return decode_hash(value)
    except ValueError as exc:
        raise validation_error(field, str(exc)) from None


@router.get("/logs/{log}/proofs/inclusion", response_model=InclusionProofRead)
def inclusion_proof(
    log: str,
    session: DbSession,
    index: Annotated[int | None, Query(ge=0)] = None,
    leaf_hash: str | None = None,
    tree_size: Annotated[int | None, Query(ge=1)] = None,
) -> InclusionProofRead:
    if (index is None) == (leaf_hash is None):
        raise validation_error("index", "give index or leaf_hash")
    if index is None:
        assert leaf_hash is not None
        rows = service.find_by_leaf_hash(
            session, log=log, leaf_hash=_hash_parameter(leaf_hash, "leaf_hash")
        )
        if not rows:
            raise NotFound(f"no entry of log {log!r} has that leaf hash")
        index = rows[0].index
    proof = service.inclusion_proof(session, log=log, index=index, tree_size=tree_size)
    return InclusionProofRead(
        log=log,
        index=proof.index,
        tree_size=proof.tree_size,
        leaf_hash=proof.leaf_hash.hex(),
        hashes=[b64(h) for h in proof.hashes],
        root_hash=b64(proof.root_hash),
    )


@router.get("/logs/{log}/proofs/consistency", response_model=ConsistencyProofRead)
def consistency_proof(
    log: str,
    session: DbSession,
    first: Annotated[int, Query(ge=1)],
    second: Annotated[int | None, Query(ge=1)] = None,
) -> ConsistencyProofRead:
    proof = service.consistency_proof(session, log=log, first=first, second=second)
    return ConsistencyProofRead(
        log=log,
        first=proof.first,
        second=proof.second,
        hashes=[b64(h) for h in proof.hashes],
        first_root=b64(proof.first_root),
        second_root=b64(proof.second_root),
    )


@router.get(
    "/logs/{log}/checkpoint",
    response_class=PlainTextResponse,
    summary="Latest signed checkpoint with collected cosignatures (C2SP signed note)",
)
def latest_checkpoint(log: str, session: DbSession) -> PlainTextResponse:
    checkpoint = service.latest_checkpoint(session, log=log)
    return PlainTextResponse(
        service.checkpoint_with_cosignatures(session, checkpoint), media_type=NOTE_MEDIA_TYPE
    )


@router.get("/logs/{log}/checkpoints", response_model=list[CheckpointRead])
def list_checkpoints(
    log: str,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CheckpointRead]:
    log_row = service.get_log(session, log)
    return [
        _checkpoint_read(session, log_row, row)
        for row in service.list_checkpoints(session, log=log, limit=limit, offset=offset)
    ]


def _checkpoint_read(
    session: DbSession, log_row: LedgerLog, row: LedgerCheckpoint
) -> CheckpointRead:
    note = service.checkpoint_with_cosignatures(session, row)
    return CheckpointRead(
        log=log_row.name,
        origin=log_row.origin,
        size=row.size,
        root_hash=b64(row.root_hash),
        note=note,
        created_at=row.created_at,
        cosignatures=note.count("\n\u2014 ") - 1,
    )


@router.post(
    "/logs/{log}/checkpoint",
    response_model=CheckpointRead,
    summary="Integrate pending entries and sign a checkpoint now (administrators)",
)
def publish_checkpoint(
    log: str, session: DbSession, actor: ApiPrincipal, current: CurrentPlatform
) -> CheckpointRead:
    actor.require(LEDGER_MANAGE)
    row = service.publish_checkpoint(
        session, log=log, kek=current.settings.key_encryption_key.get_secret_value(), actor=actor
    )
    return _checkpoint_read(session, service.get_log(session, log), row)


@router.post(
    "/logs/{log}/cosignatures",
    summary="A witness hands back its cosignature of one of this log's checkpoints",
)
def add_cosignatures(
    log: str,
    session: DbSession,
    size: Annotated[int, Query(ge=0)],
    note: Annotated[str, Body(media_type="text/plain")],
) -> dict[str, int]:
    return {"added": service.add_cosignatures(session, log=log, size=size, cosigned_note=note)}


@router.get("/logs/{log}/tile/entries/{path:path}", summary="Entry bundle (c2sp.org/tlog-tiles)")
def entry_bundle(log: str, path: str, session: DbSession) -> Response:
    index, width = _tile_path(path)
    rows = service.entries_range(
        session, log=log, start=index * TILE_WIDTH, end=index * TILE_WIDTH + width
    )
    size = service.tree_head(session, service.get_log(session, log)).size
    if len(rows) != width or index * TILE_WIDTH + width > size:
        raise NotFound("no such entry bundle (yet)")
    body = b"".join(len(r.leaf_data).to_bytes(2, "big") + r.leaf_data for r in rows)
    return Response(body, media_type="application/octet-stream", headers=_immutable(path))


@router.get("/logs/{log}/tile/{level}/{path:path}", summary="Hash tile (c2sp.org/tlog-tiles)")
def hash_tile(log: str, level: int, path: str, session: DbSession) -> Response:
    index, width = _tile_path(path)
    log_row = service.get_log(session, log)
    size = service.tree_head(session, log_row).size
    hashes = service.tile_hashes(
        session,
        log_row=log_row,
        level=level * 8,
        start=index * TILE_WIDTH,
        count=width,
        tree_size=size,
    )
    if len(hashes) != width:
        raise NotFound("no such tile (yet)")
    return Response(
        b"".join(hashes), media_type="application/octet-stream", headers=_immutable(path)
    )


_TILE_INDEX = re.compile(r"^((?:x\d{3}/)*)(\d{3})(?:\.p/(\d{1,3}))?$")


def _tile_path(path: str) -> tuple[int, int]:
    """``x001/x234/067[.p/W]`` -> (1234067, W or 256)."""
    match = _TILE_INDEX.match(path)
    if not match:
        raise NotFound(f"not a tile path: {path!r}")
    index = int("".join(part[1:] for part in match.group(1).split("/") if part) + match.group(2))
    width = int(match.group(3)) if match.group(3) else TILE_WIDTH
    if not 1 <= width <= TILE_WIDTH or (match.group(3) and width == TILE_WIDTH):
        raise NotFound("partial tile width must be 1-255")
    return index, width


def _immutable(path: str) -> dict[str, str]:
    # Full tiles never change; partial ones are replaced by wider ones as the log grows.
    return {"Cache-Control": "public, max-age=31536000, immutable"} if ".p/" not in path else {}


# --- this instance as a witness -------------------------------------------------------------


@router.post(
    "/witness/add-checkpoint",
    response_class=PlainTextResponse,
    summary="c2sp.org/tlog-witness add-checkpoint: verify and cosign a log's checkpoint",
)
def witness_add_checkpoint(
    request: Request,
    session: DbSession,
    current: CurrentPlatform,
    body: Annotated[str, Body(media_type="text/plain")],
) -> PlainTextResponse:
    old_size, proof, note = _parse_add_checkpoint(body)
    try:
        lines = service.witness_add_checkpoint(
            session,
            checkpoint_note=note,
            old_size=old_size,
            proof=proof,
            witness_name=current.settings.witness_name,
            kek=current.settings.key_encryption_key.get_secret_value(),
            timestamp=int(time.time()),
        )
    except WitnessError as exc:
        session.rollback()
        headers = {}
        content = str(exc) + "\n"
        if exc.known_size is not None:
            content = f"{exc.known_size}\n"  # the protocol answers 409 with the size it knows
            headers["Content-Type"] = "text/x.tlog.size"
        return PlainTextResponse(content, status_code=exc.status, headers=headers)
    return PlainTextResponse(lines, media_type=NOTE_MEDIA_TYPE)


@router.get(
    "/witness",
    summary="This instance's witness key and the logs it follows",
)
def witness_info(session: DbSession, current: CurrentPlatform) -> dict[str, object]:
    key = service.witness_verifier_key(
        session,
        name=current.settings.witness_name,
        kek=current.settings.key_encryption_key.get_secret_value(),
    )
    return {
        "verifier_key": key,
        "logs": [
            {
                "origin": row.origin,
                "size": row.size,
                "root_hash": b64(row.root_hash) if row.root_hash else None,
            }
            for row in service.witnessed_logs(session)
        ],
    }


def _parse_add_checkpoint(body: str) -> tuple[int, list[bytes], str]:
    """``old <size>\\n<base64 proof line>*\\n\\n<checkpoint note>`` (c2sp.org/tlog-witness)."""
    head, separator, note = body.partition("\n\n")
    lines = head.split("\n")
    if not separator or not lines[0].startswith("old "):
        raise validation_error("body", "expected 'old <size>', proof lines, a blank line, a note")
    try:
        old_size = int(lines[0][4:])
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except (ValueError, binascii.Error):
        raise validation_error("body", "bad old size or proof line") from None
    return old_size, proof, note
