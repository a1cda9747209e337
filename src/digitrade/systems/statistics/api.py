"""Services-trade monitor API under ``/api/statistics``.

Published figures (series, progress, targets, nowcasts, the disclosure-controlled direct
reporting tables) are open to anyone; imports and targets need an agency's ``statistics.manage``;
returns need the enterprise's ``statistics.report`` or an agency's ``statistics.review``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession
from digitrade.systems.statistics import service
from digitrade.systems.statistics.permissions import MANAGE, REPORT
from digitrade.systems.statistics.schemas import (
    ImportResult,
    ObservationRead,
    ProgressReport,
    PublishedTable,
    ReturnRead,
    ReturnWrite,
    ReviewAction,
    SeriesRead,
    TargetCreate,
    TargetRead,
)
from digitrade.web.uploads import FILE_BODY, read_upload

router = APIRouter(tags=["statistics"])

Economy = Annotated[str, Query(min_length=2, max_length=16, examples=["CN-SH"])]
Definition = Annotated[str, Query(pattern="^(unctad|mofcom_wto)$")]


@router.post(
    "/imports",
    response_model=ImportResult,
    status_code=status.HTTP_201_CREATED,
    summary="Import a template CSV/XLSX, an UNCTAD panel CSV or an SDMX-CSV file, all-or-nothing",
    description=(
        "Send the file as multipart field `file` (or as the raw body with `filename`). Every row "
        "is checked (unknown code, bad period, negative value, unit mismatch, duplicate...); any "
        "error refuses the whole file (422 with the row errors) and nothing is stored. A value "
        "that differs from the stored one becomes a new vintage; the old one is kept. With "
        "`preview=true` the same checks and counts are returned and nothing is written."
    ),
    openapi_extra=FILE_BODY,
)
async def import_file(
    request: Request,
    session: DbSession,
    actor: ApiPrincipal,
    filename: str = "upload.csv",
    source: str = "",
    preview: bool = False,
    organisation_id: int | None = None,
) -> ImportResult:
    actor.require(MANAGE, organisation_id)  # refuse before reading the upload
    data = await read_upload(request, limit=service.MAX_IMPORT_BYTES, what="the file")
    uploaded = getattr(request.state, "upload_filename", None) or filename
    return service.import_file(
        session,
        actor=actor,
        data=data,
        filename=uploaded,
        source=source,
        organisation_id=organisation_id,
        commit=not preview,
    )


@router.get("/series", response_model=SeriesRead, summary="Current values of one series")
def get_series(
    session: DbSession,
    economy: Economy,
    code: Annotated[str, Query(max_length=8, examples=["S", "SI", "DDS"])] = "S",
    flow: Annotated[str, Query(pattern="^(credit|debit|total|balance)$")] = "total",
    definition: Definition | None = None,
    frequency: Annotated[str, Query(pattern="^[AQM]$")] = "A",
    start: str | None = None,
    end: str | None = None,
    locale: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
) -> SeriesRead:
    return service.series(
        session,
        economy=economy,
        code=code,
        flow=flow,
        definition=definition,
        frequency=frequency,
        start=start,
        end=end,
        locale=locale,
    )


@router.get(
    "/history",
    response_model=list[ObservationRead],
    summary="Every vintage of one value, oldest first (revisions never overwrite)",
)
def get_history(
    session: DbSession,
    economy: Economy,
    code: str,
    period: str,
    flow: Annotated[str | None, Query(pattern="^(credit|debit)$")] = None,
) -> list[ObservationRead]:
    return service.observation_history(
        session, economy=economy, code=code, period=period, flow=flow
    )


@router.get(
    "/progress",
    response_model=ProgressReport,
    summary="Each target of an economy: required vs observed growth, on track, projected year",
)
def get_progress(
    session: DbSession,
    economy: Economy,
    definition: Definition = "mofcom_wto",
    window: Annotated[int, Query(ge=1, le=30)] = service.DEFAULT_WINDOW,
    locale: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
) -> ProgressReport:
    return service.progress(
        session, economy=economy, definition=definition, window=window, locale=locale
    )


@router.get(
    "/dashboard",
    summary="Everything the dashboard draws for one economy, in one response",
)
def get_dashboard(
    session: DbSession,
    economy: Economy = "CN-SH",
    definition: Definition = "mofcom_wto",
    peers: Annotated[str, Query(max_length=200)] = "",
    window: Annotated[int, Query(ge=1, le=30)] = service.DEFAULT_WINDOW,
    locale: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
) -> dict[str, Any]:
    return service.dashboard(
        session,
        economy=economy,
        definition=definition,
        peers=[p for p in peers.split(",") if p] or None,
        window=window,
        locale=locale,
    )


@router.get("/nowcast", summary="This year's X+M estimated from the periods reported so far")
def get_nowcast(
    session: DbSession,
    economy: Economy,
    code: str = "S",
    definition: Definition | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    return service.nowcast(session, economy=economy, code=code, definition=definition, year=year)


@router.get(
    "/published-figures",
    summary="Figures published by official sources (MOFCOM, UNCTAD, WTO...) with citations",
)
def get_published_figures() -> list[dict[str, Any]]:
    return [
        {**asdict(figure), "value": str(figure.value)} for figure in service.published_figures()
    ]


@router.get("/targets", response_model=list[TargetRead])
def get_targets(session: DbSession, economy: str | None = None) -> list[TargetRead]:
    return service.list_targets(session, economy=economy)


@router.post("/targets", response_model=TargetRead, status_code=status.HTTP_201_CREATED)
def post_target(
    body: TargetCreate,
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int | None = None,
) -> TargetRead:
    return service.create_target(session, actor=actor, data=body, organisation_id=organisation_id)


@router.put(
    "/returns",
    response_model=ReturnRead,
    summary="File (or correct, while draft or queried) an enterprise's quarterly return",
)
def put_return(
    body: ReturnWrite,
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    submit: bool = False,
) -> ReturnRead:
    return service.save_return(
        session, actor=actor, organisation_id=organisation_id, data=body, submit=submit
    )


@router.post(
    "/returns/upload",
    response_model=ReturnRead,
    summary="File a quarterly return as CSV (columns code, partner, flow, value)",
    openapi_extra=FILE_BODY,
)
async def upload_return(
    request: Request,
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int,
    period: Annotated[str, Query(pattern=r"^\d{4}-Q[1-4]$")],
    district: str,
    submit: bool = False,
) -> ReturnRead:
    actor.require(REPORT, organisation_id)  # refuse before reading the upload
    data = await read_upload(request, limit=service.MAX_RETURN_BYTES, what="the return")
    body = ReturnWrite(period=period, district=district, lines=service.return_lines_from_csv(data))
    return service.save_return(
        session, actor=actor, organisation_id=organisation_id, data=body, submit=submit
    )


@router.get("/returns", response_model=list[ReturnRead])
def get_returns(
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int | None = None,
    status: Annotated[str | None, Query(pattern="^(draft|submitted|queried|accepted)$")] = None,
    period: str | None = None,
) -> list[ReturnRead]:
    return service.list_returns(
        session, actor=actor, organisation_id=organisation_id, status=status, period=period
    )


@router.get("/returns/{return_id}", response_model=ReturnRead)
def get_return(return_id: int, session: DbSession, actor: ApiPrincipal) -> ReturnRead:
    return service.get_return(session, actor=actor, return_id=return_id)


@router.post("/returns/{return_id}/submit", response_model=ReturnRead)
def post_submit(return_id: int, session: DbSession, actor: ApiPrincipal) -> ReturnRead:
    return service.submit_return(session, actor=actor, return_id=return_id)


@router.post(
    "/returns/{return_id}/review",
    response_model=ReturnRead,
    summary="Accept a submitted return (its figures join the published aggregates) or query it",
)
def post_review(
    return_id: int,
    body: ReviewAction,
    session: DbSession,
    actor: ApiPrincipal,
    organisation_id: int | None = None,
) -> ReturnRead:
    return service.review_return(
        session,
        actor=actor,
        return_id=return_id,
        action=body.action,
        note=body.note,
        organisation_id=organisation_id,
    )


@router.get(
    "/direct-reporting/{period}",
    response_model=PublishedTable,
    summary="District x EBOPS table of accepted returns after disclosure control",
)
def get_published(
    period: str,
    session: DbSession,
    flow: Annotated[str, Query(pattern="^(credit|debit)$")] = "credit",
) -> PublishedTable:
    return service.published_table(session, period=period, flow=flow)
