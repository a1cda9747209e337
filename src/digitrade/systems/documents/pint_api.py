"""DCSA PINT 3.0 API (EBL_PINT_v3.0.0.yaml), mounted under ``/api/documents/pint``.

The four standard endpoints under ``/v3`` are called by peer platforms. They need no account:
what a peer may do is decided by the signatures in the envelope, checked against the keys
registered for it. Every answer to an envelope is a signed ``EnvelopeTransferFinishedResponse``
(a JSON string holding a compact JWS) whose ``responseCode`` sets the HTTP status; other errors
are RFC 9457 problems. The platform's own endpoints publish its key, register peers (platform
administrators), send an eBL to a peer and list the eBLs received.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession, ReadSession
from digitrade.core.errors import validation_error
from digitrade.systems.documents import pint_service
from digitrade.systems.documents.pint_service import (
    IdentifyingCode,
    PeerRead,
    PeerRegistration,
    ReceivedEbl,
    SendRequest,
    SendResult,
)

router = APIRouter(tags=["documents: DCSA PINT"])
API_VERSION = "3.0.0"  # the API-Version response header (EBL_PINT_v3.0.0.yaml)
_JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def _answer(answer: pint_service.Answer) -> JSONResponse:
    return JSONResponse(
        answer.body, status_code=answer.status_code, headers={"API-Version": API_VERSION}
    )


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise validation_error("body", f"larger than {limit:,} bytes")
    data = await request.body()
    if len(data) > limit:
        raise validation_error("body", f"larger than {limit:,} bytes")
    return data


async def _json_body(request: Request, limit: int) -> Any:
    try:
        return json.loads((await _body(request, limit)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise validation_error("body", "not JSON") from None


@router.post(
    "/v3/envelopes",
    summary="Start an envelope transfer (PINT: POST /v3/envelopes)",
    description=(
        "Body: an `EblEnvelope`. Answers 200 with a signed RECE (accepted at once, nothing more "
        "to send) or DUPE (already accepted), 201 with the additional documents still to send, "
        "422 with a signed BENV / BSIG, 409 with a signed DISE (the chain forks from one "
        "accepted here)."
    ),
    openapi_extra=_JSON_BODY,
)
async def start_transfer(request: Request, session: DbSession) -> JSONResponse:
    envelope = await _json_body(request, pint_service.MAX_ENVELOPE_BYTES)
    if not isinstance(envelope, dict):
        raise validation_error("body", "an EblEnvelope (a JSON object)")
    return _answer(pint_service.receive_envelope(session, envelope))


@router.put(
    "/v3/envelopes/{envelope_reference}/additional-documents/{document_checksum}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Transfer an additional document of an envelope (PINT)",
    description=(
        "Body: the document as a base64 JSON string (`application/json`, as the specification "
        "recommends) or its bytes as they are (any other media type). 409 when it does not "
        "match the checksum or size announced in the envelope manifest."
    ),
)
async def additional_document(
    envelope_reference: str, document_checksum: str, request: Request, session: DbSession
) -> Response:
    data = await _body(request, pint_service.MAX_DOCUMENT_BYTES * 4 // 3 + 16)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            text = json.loads(data.decode("utf-8"))
            if not isinstance(text, str):
                raise ValueError("not a string")
            content = base64.b64decode(text, validate=True)
        except (UnicodeDecodeError, ValueError, binascii.Error):
            raise validation_error("body", "a base64 string holding the document") from None
    else:
        content = data
    pint_service.receive_additional_document(
        session, envelope_reference, document_checksum, content
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"API-Version": API_VERSION})


@router.put(
    "/v3/envelopes/{envelope_reference}/finish-transfer",
    summary="Finish an envelope transfer (PINT)",
    description=(
        "The signed final answer: RECE or DUPE (200), MDOC / INCD (409, send the documents "
        "and finish again), DISE (409), BENV / BSIG (422)."
    ),
)
def finish_transfer(envelope_reference: str, session: DbSession) -> JSONResponse:
    return _answer(pint_service.finish_transfer(session, envelope_reference))


@router.post(
    "/v3/receiver-validation",
    summary="Is this party known here? (PINT receiver validation)",
    description="Body: an `IdentifyingCode`. 200 with its `partyName`, 404 when unknown.",
)
def receiver_validation(body: IdentifyingCode, session: ReadSession) -> JSONResponse:
    return JSONResponse(
        pint_service.validate_receiver(session, body.model_dump()),
        headers={"API-Version": API_VERSION},
    )


@router.get(
    "/platform-key",
    summary="This platform's PINT signing key (a JWK with its kid)",
)
def platform_key(session: DbSession) -> JSONResponse:
    # DbSession: the key is created on first use.
    return JSONResponse(pint_service.platform_jwk(session), media_type="application/jwk+json")


@router.get(
    "/jwks",
    summary="Every key a peer needs: the platform key and the carriers' issuance keys",
)
def jwks(session: DbSession) -> JSONResponse:
    return JSONResponse(pint_service.platform_jwks(session), media_type="application/jwk-set+json")


@router.post(
    "/peers",
    response_model=PeerRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register (or update) a peer platform and its keys (platform administrators)",
)
def register_peer(body: PeerRegistration, session: DbSession, actor: ApiPrincipal) -> PeerRead:
    return pint_service.register_peer(session, actor=actor, data=body)


@router.get("/peers", response_model=list[PeerRead], summary="Registered peer platforms")
def list_peers(session: ReadSession, actor: ApiPrincipal) -> list[PeerRead]:
    return pint_service.list_peers(session, actor=actor)


@router.post(
    "/send",
    response_model=SendResult,
    summary="Transfer an eBL held here to a party on a peer platform (PINT)",
    description=(
        "The holder's TRANSFER is signed and recorded, the envelope is sent with the signed "
        "credential as supporting document, and the peer's signed answer is verified. Only RECE "
        "or DUPE keeps the transfer; otherwise nothing is written and the holder keeps the eBL "
        "(409 refused, 502 unacceptable answer, 503 peer unreachable)."
    ),
)
def send(body: SendRequest, session: DbSession, actor: ApiPrincipal) -> SendResult:
    return pint_service.send(session, actor=actor, request=body)


@router.get(
    "/received",
    response_model=list[ReceivedEbl],
    summary="eBLs received from peer platforms that the organisation controls",
)
def received(organisation_id: int, session: ReadSession, actor: ApiPrincipal) -> list[ReceivedEbl]:
    return pint_service.list_received(session, actor=actor, organisation_id=organisation_id)
