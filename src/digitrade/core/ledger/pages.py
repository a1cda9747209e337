"""Ledger explorer pages: logs, entries, and an entry page whose proof the browser checks itself."""

from __future__ import annotations

import base64
import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digitrade.core.auth.dependencies import DbSession
from digitrade.core.errors import DomainError
from digitrade.core.ledger import service
from digitrade.core.ledger.schemas import b64
from digitrade.core.ledger.verify import decode_hash
from digitrade.web.pages import Viewer
from digitrade.web.templating import render

router = APIRouter(prefix="/ledger", include_in_schema=False)
PAGE_SIZE = 25


@router.get("/", response_class=HTMLResponse)
def logs_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    logs = []
    for log in service.list_logs(session):
        head = service.tree_head(session, log)
        try:
            latest = service.latest_checkpoint(session, log=log.name)
        except DomainError:
            latest = None
        logs.append(
            {
                "name": log.name,
                "origin": log.origin,
                "description": log.description,
                "size": head.size,
                "pending": log.next_index - head.size,
                "checkpoint_size": latest.size if latest else None,
                "checkpoint_at": latest.created_at if latest else None,
                "verifier_key": service.verifier_key(log),
            }
        )
    return render(request, "ledger/logs.html", {"logs": logs})


@router.get("/{log}", response_class=HTMLResponse)
def log_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    log: str,
    q: str = "",
    kind: str = "",
    offset: int = 0,
) -> Response:
    log_row = service.get_log(session, log)
    error = None
    if q.strip():
        target = _find(session, log, q.strip())
        if target is not None:
            return RedirectResponse(f"/ledger/{log}/entries/{target}", status_code=303)
        error = "no-match"
    entries, total = service.search(
        session, log=log, kind=kind or None, limit=PAGE_SIZE, offset=max(offset, 0)
    )
    head = service.tree_head(session, log_row)
    try:
        checkpoint = service.checkpoint_with_cosignatures(
            session, service.latest_checkpoint(session, log=log)
        )
    except DomainError:
        checkpoint = None
    context = {
        "log": log_row,
        "head": head,
        "root_b64": b64(head.root_hash),
        "checkpoint": checkpoint,
        "verifier_key": service.verifier_key(log_row),
        "entries": entries,
        "total": total,
        "offset": max(offset, 0),
        "page_size": PAGE_SIZE,
        "kind": kind,
        "q": q,
        "error": error,
    }
    template = "ledger/_entries.html" if request.headers.get("hx-request") else "ledger/log.html"
    return render(request, template, context, status_code=404 if error else 200)


def _find(session: DbSession, log: str, query: str) -> int | None:
    """An index, or a leaf hash in hex or base64."""
    if query.isdigit():
        return int(query)
    try:
        leaf_hash = decode_hash(query)
    except ValueError:
        return None
    rows = service.find_by_leaf_hash(session, log=log, leaf_hash=leaf_hash)
    return rows[0].index if rows else None


@router.get("/{log}/entries/{index}", response_class=HTMLResponse)
def entry_page(
    request: Request, session: DbSession, viewer: Viewer, log: str, index: int
) -> Response:
    entry, integrated = service.get_entry(session, log=log, index=index)
    log_row = service.get_log(session, log)
    proof = service.inclusion_proof(session, log=log, index=index) if integrated else None
    try:
        checkpoint = service.latest_checkpoint(session, log=log)
    except DomainError:
        checkpoint = None
    return render(
        request,
        "ledger/entry.html",
        {
            "log": log_row,
            "entry": entry,
            "integrated": integrated,
            "envelope": json.dumps(json.loads(entry.leaf_data), indent=2, ensure_ascii=False),
            "leaf_b64": base64.b64encode(entry.leaf_data).decode(),
            "proof": proof,
            "proof_hashes": [b64(h) for h in proof.hashes] if proof else [],
            "checkpoint": checkpoint,
            "checkpoint_covers": checkpoint is not None and checkpoint.size > index,
            "verifier_key": service.verifier_key(log_row),
        },
    )
