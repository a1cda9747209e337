"""Languages of the web shell: English and Simplified Chinese, from gettext catalogues.

Catalogues live in ``web/locale/<babel locale>/LC_MESSAGES/messages.po`` and are compiled to
``.mo`` by ``make`` (``pybabel compile``); if a compiled file is missing the ``.po`` is read
directly, so a checkout still shows both languages.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文"}
BABEL_LOCALE = {"en": "en", "zh-Hans": "zh_Hans"}
LANGUAGE_COOKIE = "digitrade_lang"


def normalise_language(tag: str | None) -> str | None:
    """Map a BCP 47 tag (``zh``, ``zh-CN``, ``zh-Hans-CN``, ``en-GB``) to a supported language."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return None if "hant" in tag or tag in {"zh-tw", "zh-hk", "zh-mo"} else "zh-Hans"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate(
    query: str | None, cookie: str | None, accept_language: str | None, default: str
) -> str:
    """Explicit choice (query, then cookie) wins; then the browser's Accept-Language order."""
    for explicit in (query, cookie):
        chosen = normalise_language(explicit)
        if chosen:
            return chosen
    if accept_language:
        weighted: list[tuple[float, str]] = []
        for part in accept_language.split(","):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            weighted.append((quality, tag))
        for quality, tag in sorted(weighted, key=lambda item: -item[0]):
            if quality <= 0:  # q=0 means "not acceptable" (RFC 9110 section 12.4.2)
                continue
            chosen = normalise_language(tag)
            if chosen:
                return chosen
    return default


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    locale = BABEL_LOCALE.get(language, "en")
    if locale == "en":
        return NullTranslations()
    messages_dir = LOCALE_DIR / locale / "LC_MESSAGES"
    mo_path, po_path = messages_dir / "messages.mo", messages_dir / "messages.po"
    if not mo_path.exists() and po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(fp=buffer)
    return Translations.load(str(LOCALE_DIR), [locale])
