"""Verifiable documents API under ``/api/documents``.

Verifying a file, issuers' DID documents and status lists are open to anyone; issuing, title
actions and status changes act in an organisation's name and need its permission.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession, ReadSession
from digitrade.core.errors import NotFound, validation_error
from digitrade.systems.documents import pint_api, pint_service, service
from digitrade.systems.documents.schemas import (
    DocumentDetail,
    DocumentRead,
    IssueRequest,
    KeyRead,
    StatusChange,
    TitleActionRequest,
    VerificationReport,
)
from digitrade.web.uploads import read_upload

router = APIRouter(tags=["documents"])
# The standard DCSA PINT 3.0 endpoints, kept apart from the platform's own (under /pint).
router.include_router(pint_api.router, prefix="/pint")
MAX_JSON_BYTES = 2 * 1024 * 1024
JSON_FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


@router.post(
    "/verify",
    response_model=VerificationReport,
    summary="Verify a document file: W3C VC, OpenAttestation document or DCSA PINT envelope",
    description=(
        "No account needed. Send the file as the body or as multipart field `file`. Each check "
        "(format, schema, signature, issuer, status, ledger, title) comes with a plain reason in "
        "English and Chinese; `verified` is true only when every check passed. Checks that would "
        "need a blockchain or DNS (OpenAttestation) are reported as not checkable offline."
    ),
    openapi_extra=JSON_FILE_BODY,
)
async def verify(request: Request, session: ReadSession) -> VerificationReport:
    data = await read_upload(request, limit=service.MAX_VERIFY_BYTES, what="the document")
    return service.verify_file(
        session, data, envelope_keys=pint_service.trusted_key_resolver(session)
    )


@router.get(
    "/public/{document_uuid}",
    response_model=VerificationReport,
    summary="Verify a document issued here by its id (the link in its QR code)",
)
def verify_public(document_uuid: str, session: DbSession) -> VerificationReport:
    row = service.document_by_uuid(session, document_uuid)
    if row is None:
        raise NotFound(f"no document {document_uuid} was issued here")
    return service.verify_file(session, json.dumps(row.credential).encode())


@router.post(
    "/issue",
    response_model=DocumentDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a document as a signed W3C credential in the organisation's name",
)
def issue(
    body: IssueRequest, session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> DocumentDetail:
    return service.issue(session, actor=actor, organisation_id=organisation_id, request=body)


@router.post(
    "/issue-batch",
    response_model=list[DocumentRead],
    status_code=status.HTTP_201_CREATED,
    summary="Issue up to 500 documents in one transaction, all or nothing",
    description=(
        "Each document is checked, signed, anchored in the ledger and audited as when issued "
        "alone; if one is refused, none is issued and the problem names its position."
    ),
)
def issue_batch(
    body: list[IssueRequest], session: DbSession, actor: ApiPrincipal, organisation_id: int
) -> list[DocumentRead]:
    return service.issue_batch(session, actor=actor, organisation_id=organisation_id, requests=body)


@router.get("", response_model=list[DocumentRead], summary="Documents held by or issued by")
def list_documents(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    role: Annotated[str, Query(pattern="^(held|issued)$")] = "held",
) -> list[DocumentRead]:
    return service.list_documents(session, actor=actor, organisation_id=organisation_id, role=role)


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(document_id: int, session: DbSession, actor: ApiPrincipal) -> DocumentDetail:
    return service.get_document(session, actor=actor, document_id=document_id)


@router.get(
    "/{document_id}/credential",
    summary="The signed credential as issued (the file to keep, send and verify)",
)
def get_credential(document_id: int, session: DbSession, actor: ApiPrincipal) -> JSONResponse:
    detail = service.get_document(session, actor=actor, document_id=document_id)
    return JSONResponse(
        detail.credential,
        headers={
            "Content-Disposition": f'attachment; filename="{detail.reference}.credential.json"'
        },
    )


@router.post(
    "/{document_id}/title",
    response_model=DocumentDetail,
    summary="A title transaction on an eBL: transfer, endorse, surrender, accept or reject a "
    "surrender",
    description=(
        "Only the holder acts (the carrier for SACC and SREJ). Each transaction is signed with "
        "the acting organisation's key and anchored in the ledger. With `expected_sequence`, a "
        "replayed or forked transfer of an older state is refused (409) and nothing is written."
    ),
)
def title_action(
    document_id: int, body: TitleActionRequest, session: DbSession, actor: ApiPrincipal
) -> DocumentDetail:
    return service.title_action(
        session,
        actor=actor,
        document_id=document_id,
        action=body.action,
        acting_organisation_id=body.acting_organisation_id,
        recipient_organisation_id=body.recipient_organisation_id,
        expected_sequence=body.expected_sequence,
    )


@router.post("/{document_id}/void", response_model=DocumentDetail)
def void(document_id: int, session: DbSession, actor: ApiPrincipal) -> DocumentDetail:
    return service.void(session, actor=actor, document_id=document_id)


@router.post(
    "/{document_id}/status",
    response_model=DocumentDetail,
    summary="Revoke, suspend or reinstate a credential (the issuer's status lists change)",
)
def change_status(
    document_id: int, body: StatusChange, session: DbSession, actor: ApiPrincipal
) -> DocumentDetail:
    return service.set_status(
        session, actor=actor, document_id=document_id, purpose=body.purpose, value=body.value
    )


@router.get("/issuers/{slug}/did.json", summary="An issuer's did:web document (every key)")
def did_document(slug: str, session: DbSession) -> JSONResponse:
    return JSONResponse(service.did_document(session, slug=slug), media_type="application/did+json")


@router.get(
    "/issuers/{slug}/status/{purpose}",
    summary="An issuer's signed Bitstring Status List credential (revocation or suspension)",
)
def status_list(slug: str, purpose: str, session: DbSession) -> JSONResponse:
    return JSONResponse(
        service.status_list_credential(session, slug=slug, purpose=purpose),
        media_type="application/vc+ld+json",
    )


@router.get("/keys/{organisation_id}", response_model=list[KeyRead])
def list_keys(organisation_id: int, session: DbSession) -> list[KeyRead]:
    return service.list_keys(session, organisation_id=organisation_id)


@router.post("/keys/{organisation_id}/rotate", response_model=list[KeyRead])
def rotate_key(organisation_id: int, session: DbSession, actor: ApiPrincipal) -> list[KeyRead]:
    return service.rotate_key(session, actor=actor, organisation_id=organisation_id)


@router.post("/keys/{organisation_id}/revoke", response_model=list[KeyRead])
def revoke_keys(organisation_id: int, session: DbSession, actor: ApiPrincipal) -> list[KeyRead]:
    return service.revoke_keys(session, actor=actor, organisation_id=organisation_id)


@router.post(
    "/examine",
    summary="Examine a presentation against a documentary credit (UCP 600 / eUCP 2.1)",
    description=(
        "Body: `credit` (the credit's fields) or `credit_document_id`, `presentation_date`, and "
        "`documents` (commercial_invoice, bill_of_lading, certificate_of_origin, insurance, "
        "packing_list, further_bills_of_lading: each `{data | document_id, originals, copies, "
        "electronic}`). Every discrepancy comes with its article, in English and Chinese."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def examine(request: Request, session: DbSession, actor: ApiPrincipal) -> dict[str, Any]:
    data = await request.body()
    if len(data) > MAX_JSON_BYTES:
        raise validation_error("body", f"larger than {MAX_JSON_BYTES:,} bytes")
    try:
        body = json.loads(data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise validation_error("body", "not JSON") from None
    if not isinstance(body, dict):
        raise validation_error("body", "must be a JSON object")
    return service.examine(session, actor=actor, body=body)
