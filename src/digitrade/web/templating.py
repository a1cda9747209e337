"""Jinja2 environment of the web shell, with gettext and the per-request language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from digitrade.core.auth.dependencies import csrf_token, platform
from digitrade.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    negotiate,
    normalise_language,
    translations,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Each system keeps its pages in systems/<name>/templates/<name>/ (found on disk, not imported).
SYSTEM_TEMPLATE_DIRS = sorted((Path(__file__).parent.parent / "systems").glob("*/templates"))


@lru_cache(maxsize=len(LANGUAGES))
def environment(language: str) -> Environment:
    """One environment per language (gettext bound once, so rendering is thread-safe).

    Templates come from the shell's ``templates/``, then each system's ``templates/``.
    """
    env = Environment(
        loader=FileSystemLoader([TEMPLATE_DIR, *SYSTEM_TEMPLATE_DIRS]),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["languages"] = LANGUAGES
    return env


def request_language(request: Request) -> str:
    cached = getattr(request.state, "language", None)
    if cached:
        return str(cached)
    default = platform(request).settings.default_language
    language = negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
        default,
    )
    request.state.language = language
    return language


def gettext_for(request: Request) -> Any:
    return translations(request_language(request)).gettext


def language_href(request: Request, code: str) -> str:
    """The same page in another language: the query string kept, only ``lang`` replaced (a
    dashboard's chosen economy or a filtered list survives the switch)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*params, ("lang", code)])


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    language = request_language(request)
    tmpl = environment(language).get_template(template)
    principal = getattr(request.state, "principal", None)
    values: dict[str, Any] = {
        "request": request,
        "lang": language,
        "csrf_token": csrf_token(request),
        "principal": principal,
        "systems": platform(request).systems,
        "language_href": lambda code: language_href(request, code),
        **(context or {}),
    }
    html = tmpl.render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = language
    if normalise_language(request.query_params.get("lang")):  # remember an explicit choice
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=False
        )
    return response
