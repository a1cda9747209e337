"""E-invoicing API under ``/api/einvoice``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, status
from fastapi import Path as PathParam
from fastapi.responses import Response

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession, ReadSession, platform
from digitrade.core.auth.schemas import Page
from digitrade.systems.einvoice import service
from digitrade.systems.einvoice.schemas import (
    ISSUE_EXAMPLE,
    IssuedRead,
    IssueRequest,
    Profile,
    RulePackRead,
    TargetFormat,
    VerificationResult,
)
from digitrade.web.uploads import FILE_BODY, read_upload

router = APIRouter(tags=["einvoice"])
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=2**63 - 1)]
InvoiceId = Annotated[int, PathParam(ge=1, le=2**63 - 1)]

MEDIA_TYPES = {
    "ubl": "application/xml",
    "cii": "application/xml",
    "fapiao-xml": "application/xml",
    "fapiao-json": "application/json",
}


def _root(request: Request) -> Path:
    return service.rule_pack_root(platform(request).settings.data_dir)


def warm_validator(request: Request) -> None:
    """Compile the rule packs before the request's write transaction opens (a no-op once warm),
    so issuing never compiles stylesheets while holding the database's write lock."""
    service.warm_up(_root(request))


def _versions(peppol: str | None, en16931: str | None) -> dict[str, str] | None:
    chosen = {k: v for k, v in {"peppol": peppol, "en16931": en16931}.items() if v}
    return chosen or None


@router.post(
    "/validate",
    summary="Validate a UBL or CII invoice: XSD, EN 16931, then Peppol BIS 3",
    description=(
        "Send the file as the body (application/xml) or as multipart field `file`. The syntax is "
        "detected; `profile=auto` runs Peppol rules when the invoice claims Peppol BIS 3 (BT-24). "
        "The report names the rule packs used. Open to anyone; nothing is stored."
    ),
    openapi_extra=FILE_BODY,
)
async def validate(
    request: Request,
    profile: Profile = "auto",
    peppol_version: Annotated[str | None, Query(examples=["3.0.19"])] = None,
    en16931_version: Annotated[str | None, Query(examples=["1.3.16"])] = None,
) -> dict[str, Any]:
    data = await read_upload(request, limit=MAX_DOCUMENT_BYTES, what="the invoice")
    report = service.validate(
        data,
        root=_root(request),
        profile=profile,
        versions=_versions(peppol_version, en16931_version),
    )
    return report.to_json()


@router.post(
    "/convert",
    summary="Convert a valid UBL or CII invoice to UBL, CII or the fully digitalised e-invoice",
    description=(
        "The input must pass EN 16931 validation. `to=fapiao-xml|fapiao-json` gives a "
        "representation of China's fully digitalised e-invoice (not an issued fapiao). The "
        "`Digitrade-Mapping-Notes` header counts what the target cannot carry; `envelope=json` "
        "returns `{document, notes}` instead of the bare file."
    ),
    openapi_extra=FILE_BODY,
    response_class=Response,
)
async def convert(
    request: Request,
    to: TargetFormat,
    envelope: Annotated[str | None, Query(pattern="^json$")] = None,
) -> Response:
    data = await read_upload(request, limit=MAX_DOCUMENT_BYTES, what="the invoice")
    body, notes = service.convert(data, to, root=_root(request))
    if envelope == "json":
        return Response(
            json.dumps({"document": body.decode("utf-8"), "notes": notes}, ensure_ascii=False),
            media_type="application/json",
        )
    return Response(
        body, media_type=MEDIA_TYPES[to], headers={"Digitrade-Mapping-Notes": str(len(notes))}
    )


@router.post(
    "/fapiao/import",
    summary="Map a fully digitalised e-invoice (数电票, XML or JSON) to EN 16931 UBL or CII",
    openapi_extra=FILE_BODY,
)
async def import_fapiao(
    request: Request, to: Annotated[str, Query(pattern="^(ubl|cii)$")] = "ubl"
) -> dict[str, Any]:
    data = await read_upload(request, limit=MAX_DOCUMENT_BYTES, what="the invoice")
    body, notes, report = service.import_fapiao(data, target=to, root=_root(request))
    return {"document": body.decode("utf-8"), "notes": notes, "validation": report.to_json()}


@router.post(
    "/verify",
    response_model=VerificationResult,
    summary="Was this exact file issued on this platform? With the ledger inclusion proof",
    openapi_extra=FILE_BODY,
)
async def verify(request: Request, session: ReadSession) -> VerificationResult:
    data = await read_upload(request, limit=MAX_DOCUMENT_BYTES, what="the invoice")
    return service.verify_file(session, data)


@router.post(
    "/invoices",
    response_model=IssuedRead,
    status_code=status.HTTP_201_CREATED,
    summary="Issue an invoice: numbered, computed, validated, stored and anchored",
    description=(
        "The platform assigns the number (per seller and year), computes line amounts, VAT "
        "breakdown and totals, writes UBL 2.1 and validates it against the installed rule packs. "
        "Only a clean invoice is stored; otherwise a 422 problem carries the full report."
    ),
)
def issue(
    request: Request,
    _warm: Annotated[None, Depends(warm_validator)],
    session: DbSession,
    actor: ApiPrincipal,
    body: Annotated[IssueRequest, Body(openapi_examples={"services": {"value": ISSUE_EXAMPLE}})],
) -> IssuedRead:
    return service.issue(session, actor=actor, request=body, root=_root(request))


@router.get("/invoices", response_model=Page[IssuedRead])
def list_invoices(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[IssuedRead]:
    items, total = service.list_issued(
        session, actor=actor, organisation_id=organisation_id, limit=limit, offset=offset
    )
    return Page[IssuedRead](items=items, total=total, limit=limit, offset=offset)


@router.get("/invoices/{invoice_id}", response_model=IssuedRead)
def get_invoice(invoice_id: InvoiceId, session: DbSession, actor: ApiPrincipal) -> IssuedRead:
    return service.get_issued(session, actor=actor, invoice_id=invoice_id)


@router.get(
    "/invoices/{invoice_id}/document",
    summary="The issued file (UBL exactly as released) or its CII conversion",
    response_class=Response,
)
def invoice_document(
    invoice_id: InvoiceId,
    session: DbSession,
    actor: ApiPrincipal,
    syntax: Annotated[str, Query(pattern="^(ubl|cii)$")] = "ubl",
) -> Response:
    name, body = service.issued_document(session, actor=actor, invoice_id=invoice_id, syntax=syntax)
    return Response(
        body,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/rule-packs", response_model=list[RulePackRead], summary="Installed rule packs")
def rule_packs(request: Request) -> list[RulePackRead]:
    return service.list_rule_packs(_root(request))


@router.post(
    "/rule-packs",
    response_model=list[RulePackRead],
    status_code=status.HTTP_201_CREATED,
    summary="Install rule packs from a .zip or .tar.gz (platform administrators)",
    description=(
        "The archive holds official artefacts (recognised by their pinned SHA-256) or folders "
        "with a manifest.json listing each file's SHA-256."
    ),
    openapi_extra=FILE_BODY,
)
async def install_rule_packs(
    request: Request, session: DbSession, actor: ApiPrincipal
) -> list[RulePackRead]:
    if not actor.is_platform_admin:
        # Refuse before reading a large upload.
        service.install_rule_packs(session, actor=actor, source=Path(), root=_root(request))
    data = await read_upload(request, limit=MAX_ARCHIVE_BYTES, what="the rule-pack archive")
    suffix = ".zip" if data[:2] == b"PK" else ".tar.gz"
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / f"rule-packs{suffix}"
        archive.write_bytes(data)
        return service.install_rule_packs(session, actor=actor, source=archive, root=_root(request))
