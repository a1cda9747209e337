"""Every error becomes RFC 9457 problem+json on the API and a readable page elsewhere.

No stack trace ever reaches a user: unexpected exceptions are logged with the request id and
answered with a generic 500 problem that quotes the same id.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from digitrade.core.errors import PROBLEM_TYPE_PREFIX, DomainError, RateLimited

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad-request",
    401: "authentication-required",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
}


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in {"/healthz", "/readyz"}:
        return False
    return "text/html" in request.headers.get("accept", "")


def _problem(
    request: Request, problem: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    problem.setdefault("instance", request.url.path)
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        problem["requestId"] = request_id
    if _wants_html(request):
        from digitrade.web.templating import render

        response = render(
            request, "core/error.html", {"problem": problem}, status_code=problem["status"]
        )
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response
    return ProblemResponse(problem, status_code=problem["status"], headers=headers)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(location[-1] if location else "")


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    headers = None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    elif exc.status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="digitrade"'}
    return _problem(request, exc.to_problem(), headers)


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field_name(err.get("loc", ())), "message": err.get("msg", "invalid")}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return _problem(
        request,
        {
            "type": PROBLEM_TYPE_PREFIX + "validation-failed",
            "title": "Input is not valid",
            "status": 422,
            "detail": detail,
            "code": "validation-failed",
            "errors": errors,
        },
    )


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    return _problem(
        request,
        {
            "type": PROBLEM_TYPE_PREFIX + code,
            "title": "Not found" if exc.status_code == 404 else code.replace("-", " ").capitalize(),
            "status": exc.status_code,
            "detail": detail,
            "code": code,
        },
        dict(exc.headers) if exc.headers else None,
    )


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"path": request.url.path})
    return _problem(
        request,
        {
            "type": PROBLEM_TYPE_PREFIX + "internal-error",
            "title": "Internal error",
            "status": 500,
            "detail": "something went wrong on our side; quote the request id when you report it",
            "code": "internal-error",
        },
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
