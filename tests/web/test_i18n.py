"""Simplified Chinese catalogue: complete and consistent with the code, negotiated per request."""

from __future__ import annotations

import http
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from digitrade.core import errors
from digitrade.core.auth.permissions import Role
from digitrade.core.auth.schemas import ApiKeyCreate
from digitrade.systems.dataflow.pages import PATHWAY_LABELS, PURPOSE_LABELS
from digitrade.systems.documents import pages as documents_pages
from digitrade.systems.ecommerce.pages import (
    CHANNEL_LABELS,
    CHECK_LABELS,
    CONFIGURATION_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    SETTLEMENT_STAGES,
)
from digitrade.systems.ecommerce.pages import STATUS_LABELS as ECOMMERCE_STATUS_LABELS
from digitrade.systems.einvoice.pages import FORM_UNITS, TYPE_LABELS, VAT_CATEGORY_LABELS
from digitrade.systems.statistics import pages as statistics_pages
from digitrade.web import problems
from digitrade.web.i18n import LANGUAGE_COOKIE, LOCALE_DIR, negotiate, normalise_language
from tests.conftest import PASSWORD, World
from tests.support import REPO_ROOT

PACKAGE_DIR = REPO_ROOT / "src" / "digitrade"
POT_PATH = LOCALE_DIR / "messages.pot"
ZH_PO_PATH = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po"
# %(name)s and bare %s / %d conversions; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

TITLE_ZH = "数字服务贸易平台"
TITLE_EN = "Digital service trade platform"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_Hans" if path.suffix == ".po" else None)


def _strings(value: object) -> tuple[str, ...]:
    """Babel keeps a plural message's ids and translations as sequences, others as one str."""
    if isinstance(value, tuple | list):
        return tuple(str(item) for item in value)
    return (value,) if isinstance(value, str) else ()


def _key(message: Message) -> str:
    return _strings(message.id)[0]


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """A fresh extraction with the project's babel.cfg, as `pybabel extract` runs it."""
    output = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            "-F",
            str(REPO_ROOT / "babel.cfg"),
            "-o",
            str(output),
            str(PACKAGE_DIR),
        ]
    )
    catalog = _read(output)
    assert len(list(_messages(catalog))) > 50, "extraction found almost nothing: check babel.cfg"
    return catalog


@pytest.fixture(scope="module")
def zh_catalog() -> Catalog:
    return _read(ZH_PO_PATH)


def test_chinese_catalogue_has_one_plural_form(zh_catalog: Catalog) -> None:
    assert zh_catalog.num_plurals == 1
    assert zh_catalog.plural_expr == "0"


def test_every_extracted_message_is_translated(extracted: Catalog, zh_catalog: Catalog) -> None:
    problems_found: list[str] = []
    for message in _messages(extracted):
        key = _key(message)
        translated = zh_catalog.get(key)
        if translated is None:
            problems_found.append(f"missing: {key!r}")
            continue
        if translated.fuzzy:
            problems_found.append(f"fuzzy: {key!r}")
        strings = _strings(translated.string)
        if len(strings) != zh_catalog.num_plurals or not all(s.strip() for s in strings):
            problems_found.append(f"untranslated: {key!r}")
            continue
        wanted = set().union(*(_placeholders(i) for i in _strings(message.id)))
        for string in strings:
            if _placeholders(string) != wanted:
                problems_found.append(f"placeholders differ: {key!r} -> {string!r}")
    assert not problems_found, "\n".join(problems_found)


def test_catalogue_passes_babel_checks(zh_catalog: Catalog) -> None:
    failures = [
        f"{_key(message)!r}: {'; '.join(str(e) for e in found)}"
        for message, found in zh_catalog.check()
        if found
    ]
    assert not failures, "\n".join(failures)


def test_template_and_catalogue_match_the_code(extracted: Catalog, zh_catalog: Catalog) -> None:
    """The committed .pot is a current extraction, and the .po holds no stale messages."""
    fresh = {_key(m) for m in _messages(extracted)}
    committed = {_key(m) for m in _messages(_read(POT_PATH))}
    assert committed == fresh, (
        "messages.pot is out of date: run pybabel extract (see babel.cfg); "
        f"new {sorted(fresh - committed)}, gone {sorted(committed - fresh)}"
    )
    stale = {_key(m) for m in _messages(zh_catalog)} - fresh
    assert not stale, f"messages.po has entries no code uses; run pybabel update: {sorted(stale)}"


def _runtime_message_ids() -> set[str]:
    """Values that pages and templates pass to _() at run time."""
    ids: set[str] = {role.value for role in Role} | set(ApiKeyCreate.model_fields)
    pending: list[type[errors.DomainError]] = [errors.DomainError]
    while pending:
        cls = pending.pop()
        ids.add(cls.title)
        pending.extend(cls.__subclasses__())
    source = Path(problems.__file__).read_text(encoding="utf-8")
    ids.update(re.findall(r'"title": "([^"]+)"', source))
    for status, code in problems._HTTP_CODES.items():
        if status != 404:  # a 404's title is its detail, by default Starlette's phrase
            ids.add(code.replace("-", " ").capitalize())
    ids.add("http-error".replace("-", " ").capitalize())
    ids.add(http.HTTPStatus.NOT_FOUND.phrase)
    # The dataflow templates translate pathway and purpose codes through these labels.
    ids.update(PATHWAY_LABELS.values(), PURPOSE_LABELS.values())
    # The e-invoicing templates translate VAT categories, units, type codes and severities.
    ids.update(VAT_CATEGORY_LABELS.values(), FORM_UNITS.values(), TYPE_LABELS.values())
    ids.update(("fatal", "warning", "information"))
    for labels in (
        ECOMMERCE_STATUS_LABELS,
        SETTLEMENT_STAGES,
        ROLE_LABELS,
        CHECK_LABELS,
        KIND_LABELS,
        CONFIGURATION_LABELS,
        CHANNEL_LABELS,
        statistics_pages.RETURN_STATUS_LABELS,
        statistics_pages.DATA_STATUS_LABELS,
        statistics_pages.PROGRESS_LABELS,
        statistics_pages.SUPPRESSION_LABELS,
        statistics_pages.INDICATOR_LABELS,
        statistics_pages.FLOW_LABELS,
        documents_pages.CHECK_NAME_LABELS,
        documents_pages.FORMAT_LABELS,
        documents_pages.STATUS_LABELS,
        documents_pages.TITLE_STATUS_LABELS,
        documents_pages.TITLE_ACTION_LABELS,
    ):
        ids.update(labels.values())
    return ids


def test_runtime_values_are_in_the_catalogue(zh_catalog: Catalog) -> None:
    missing = sorted(
        value
        for value in _runtime_message_ids()
        if (entry := zh_catalog.get(value)) is None or not entry.string
    )
    assert not missing, f"add these to web/locale/runtime_messages.py and translate: {missing}"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh_Hans_CN", "zh-Hans"),
        (" ZH-hans-cn ", "zh-Hans"),
        ("zh-TW", None),
        ("zh-HK", None),
        ("zh-MO", None),
        ("zh-Hant", None),
        ("zh-Hant-TW", None),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr-FR", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_language(tag: str | None, expected: str | None) -> None:
    assert normalise_language(tag) == expected


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("zh-Hans", "en", "en", "zh-Hans"),  # query beats cookie and header
        ("en", "zh-Hans", "zh-CN", "en"),
        (None, "zh-Hans", "en", "zh-Hans"),  # cookie beats header
        (None, "en", "zh-CN", "en"),
        ("xx", "zh-Hans", "en", "zh-Hans"),  # an unsupported query falls through
        (None, "xx", "zh-CN", "zh-Hans"),
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        (None, None, "fr, zh-CN;q=0.8, en;q=0.9", "en"),  # q-values, not order
        (None, None, "en;q=0.1, zh;q=0.9", "zh-Hans"),
        (None, None, "zh-TW, zh-CN;q=0.5", "zh-Hans"),  # Traditional is not Simplified
        (None, None, "zh-TW, zh-Hant;q=0.9", "en"),
        (None, None, "zh-Hant", "en"),
        (None, None, "zh;q=oops, en;q=0.5", "en"),  # a malformed weight counts as 0
        (None, None, "de, fr", "en"),
        (None, None, None, "en"),
    ],
)
def test_negotiate(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, accept, "en") == expected


def test_negotiate_falls_back_to_the_given_default() -> None:
    assert negotiate(None, None, "zh-TW", "zh-Hans") == "zh-Hans"
    assert negotiate(None, None, None, "zh-Hans") == "zh-Hans"


def test_negotiate_skips_languages_weighted_zero() -> None:
    # q=0 means "not acceptable" (RFC 9110 section 12.4.2), however early it is listed.
    assert negotiate(None, None, "zh;q=0, fr", "en") == "en"
    assert negotiate(None, None, "zh-CN;q=0, en;q=0.1", "zh-Hans") == "en"


def _html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page has no <html lang>"
    return match.group(1)


def test_query_switches_to_chinese_and_the_cookie_keeps_it(client: TestClient) -> None:
    response = client.get("/?lang=zh-Hans")
    assert response.status_code == 200
    assert response.headers["content-language"] == "zh-Hans"
    assert TITLE_ZH in response.text
    assert TITLE_EN not in response.text
    assert _html_lang(response.text) == "zh-Hans"
    assert client.cookies.get(LANGUAGE_COOKIE) == "zh-Hans"

    again = client.get("/")
    assert again.headers["content-language"] == "zh-Hans"
    assert TITLE_ZH in again.text

    back = client.get("/?lang=en")
    assert back.headers["content-language"] == "en"
    assert TITLE_EN in back.text
    assert client.cookies.get(LANGUAGE_COOKIE) == "en"


def test_accept_language_gives_chinese(client: TestClient) -> None:
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert response.headers["content-language"] == "zh-Hans"
    assert TITLE_ZH in response.text
    assert LANGUAGE_COOKIE not in response.cookies  # only an explicit choice is remembered


def test_traditional_chinese_browser_gets_english(client: TestClient) -> None:
    response = client.get("/", headers={"Accept-Language": "zh-TW,zh-Hant;q=0.9"})
    assert response.headers["content-language"] == "en"
    assert TITLE_EN in response.text


def test_default_is_english(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    assert _html_lang(response.text) == "en"
    assert TITLE_EN in response.text
    assert TITLE_ZH not in response.text
    assert LANGUAGE_COOKIE not in response.cookies


def test_error_page_title_is_translated(client: TestClient) -> None:
    response = client.get(
        "/no-such-page?lang=zh-Hans", headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert "404 · 未找到" in response.text


def _csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


def test_keys_form_error_names_the_field_in_chinese(client: TestClient, world: World) -> None:
    login_page = client.get("/login?lang=zh-Hans")
    signed_in = client.post(
        "/login",
        data={
            "email": "admin@test.example",
            "password": PASSWORD,
            "csrf_token": _csrf(login_page.text),
        },
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    keys_page = client.get("/keys")
    response = client.post(
        "/keys",
        data={
            "organisation_id": str(world.org_a),
            "name": "",
            "role": "viewer",
            "csrf_token": _csrf(keys_page.text),
        },
    )
    assert response.status_code == 422
    assert "请更正：名称" in response.text
    assert "查看者" in response.text  # role names in the select are translated too
