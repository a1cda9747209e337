"""Dataflow API under ``/api/dataflow``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, UploadFile, status
from fastapi.responses import Response

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession
from digitrade.core.auth.schemas import Page
from digitrade.core.errors import validation_error
from digitrade.systems.dataflow import service
from digitrade.systems.dataflow.schemas import (
    ASSESSMENT_EXAMPLE,
    AssessmentRead,
    AssessmentResult,
    RegisterSummary,
    TransferCreate,
    TransferRead,
)

router = APIRouter(tags=["dataflow"])
MAX_LIST_BYTES = 5_000_000
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


@router.post(
    "/assessments",
    response_model=AssessmentResult,
    summary="Which legal pathway applies to a cross-border transfer",
    description=(
        "Body: the assessment contract (see the example). Without `organisation_id` the decision "
        "is computed and nothing is stored (anyone may ask). With it, the organisation's register "
        "counts for the year are added, and the assessment is saved and anchored in the ledger "
        "(editor or owner of the organisation)."
    ),
)
def create_assessment(
    session: DbSession,
    actor: ApiPrincipal,
    body: Annotated[
        dict[str, Any], Body(openapi_examples={"transfer": {"value": ASSESSMENT_EXAMPLE}})
    ],
    organisation_id: Annotated[int | None, Query(description="Save for this organisation")] = None,
) -> AssessmentResult:
    return service.assess(session, actor=actor, request=body, organisation_id=organisation_id)


@router.get("/assessments", response_model=Page[AssessmentRead])
def list_assessments(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AssessmentRead]:
    items, total = service.list_assessments(
        session, actor=actor, organisation_id=organisation_id, limit=limit, offset=offset
    )
    return Page[AssessmentRead](items=items, total=total, limit=limit, offset=offset)


@router.get("/assessments/{assessment_id}", response_model=AssessmentRead)
def get_assessment(assessment_id: int, session: DbSession, actor: ApiPrincipal) -> AssessmentRead:
    return service.get_assessment(session, actor=actor, assessment_id=assessment_id)


@router.get(
    "/assessments/{assessment_id}/pack",
    summary="Filing pack (ZIP of DOCX, HTML and PDF drafts) for a saved assessment",
    response_class=Response,
)
def filing_pack(
    assessment_id: int,
    session: DbSession,
    actor: ApiPrincipal,
    language: Annotated[str, Query(pattern="^(en|zh-Hans)$")] = "en",
) -> Response:
    return Response(
        service.filing_pack(session, actor=actor, assessment_id=assessment_id, language=language),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="filing-pack-{assessment_id}.zip"'},
    )


@router.post("/transfers", response_model=TransferRead, status_code=status.HTTP_201_CREATED)
def record_transfer(data: TransferCreate, session: DbSession, actor: ApiPrincipal) -> TransferRead:
    return service.record_transfer(session, actor=actor, data=data)


@router.get("/transfers", response_model=Page[TransferRead])
def list_transfers(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    year: int | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[TransferRead]:
    items, total = service.list_transfers(
        session,
        actor=actor,
        organisation_id=organisation_id,
        year=year,
        limit=limit,
        offset=offset,
    )
    return Page[TransferRead](items=items, total=total, limit=limit, offset=offset)


@router.get("/register/summary", response_model=RegisterSummary)
def register_summary(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    as_of: dt.date | None = None,
) -> RegisterSummary:
    return service.register_summary(
        session, actor=actor, organisation_id=organisation_id, as_of=as_of or dt.date.today()
    )


@router.get("/lists", summary="FTZ data export lists (shipped and installed), with their rows")
def free_trade_zone_lists(session: DbSession) -> list[dict[str, Any]]:
    return service.list_summaries(session)


@router.post(
    "/lists",
    status_code=status.HTTP_201_CREATED,
    summary="Install a list edition from CSV, XLSX or JSON (administrators)",
)
async def install_list(
    session: DbSession, actor: ApiPrincipal, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    content = await file.read(MAX_LIST_BYTES + 1)
    if len(content) > MAX_LIST_BYTES:
        raise validation_error("file", f"larger than {MAX_LIST_BYTES // 1_000_000} MB")
    return service.install_list(session, actor=actor, filename=file.filename or "", content=content)


@router.get("/lists/match", summary="Is this data on the list in force for a jurisdiction?")
def match_list(
    session: DbSession,
    jurisdiction: Annotated[str, Query(examples=["CN-SH-FTZ"])],
    sector: str,
    item: Annotated[list[str], Query(description="Data category or item names (repeat)")],
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    return service.match_list(
        session,
        jurisdiction=jurisdiction,
        sector=sector,
        data_items=item,
        as_of=as_of or dt.date.today(),
    )


@router.get("/categories", summary="The data category taxonomy (PIPL Art 28, GB/T 43697-2024)")
def categories(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: Annotated[
        int | None, Query(description="Include this organisation's own categories")
    ] = None,
) -> dict[str, Any]:
    if organisation_id is None:
        return service.taxonomy_read(service.shipped_taxonomy())
    return service.taxonomy_read(
        service.organisation_taxonomy(session, actor=actor, organisation_id=organisation_id)
    )


@router.post(
    "/organisations/{organisation_id}/categories",
    status_code=status.HTTP_201_CREATED,
    summary="Add a data category to an organisation's inventory",
)
def add_category(
    organisation_id: int,
    session: DbSession,
    actor: ApiPrincipal,
    entry: Annotated[
        dict[str, Any],
        Body(
            openapi_examples={
                "category": {
                    "value": {
                        "code": "org.telematics",
                        "name_en": "Vehicle telematics",
                        "name_zh": "车辆远程信息",
                        "personal": True,
                        "sensitive": True,
                        "default_grade": "general",
                        "basis": [{"instrument": "PIPL", "article": "Art 28"}],
                    }
                }
            }
        ),
    ],
) -> dict[str, Any]:
    return service.add_category(session, actor=actor, organisation_id=organisation_id, entry=entry)
