"""English and Welsh: message catalogues, the language of a request, and localised names.

Interface strings are marked with `_()` in templates and Python and kept in a gettext catalogue
(translations/cy/LC_MESSAGES/messages.po), compiled in memory with Babel when the app starts, so
no build step can leave a stale .mo behind. English is the source language. A Welsh string with
no translation is never shown silently in English: it is logged, counted in `MISSING`, and in
strict mode (the tests) raises.
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGS = ("en", "cy")
DEFAULT_LANG = "en"
TRANSLATIONS = Path(__file__).parent / "translations"
LANG_NAMES = {"en": "English", "cy": "Cymraeg"}

log = logging.getLogger("stratlens.web.i18n")
#: Welsh look-ups that found no translation since start-up (msgid -> count).
MISSING: dict[str, int] = {}


class UntranslatedError(LookupError):
    """A Welsh page asked for a string the catalogue does not translate."""


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return message


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang`; English is the identity."""
    if lang == DEFAULT_LANG:
        return _gettext.NullTranslations()
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


class Translator:
    """gettext for one language that notices what it could not translate."""

    def __init__(self, lang: str, strict: bool = False) -> None:
        self.lang = lang
        self.strict = strict
        self._cat = catalogue(lang)

    def gettext(self, message: str) -> str:
        if self.lang == DEFAULT_LANG or not message:
            return message
        out = self._cat.gettext(message)
        if out == message and not _same_in_both(message):
            self._missing(message)
        return out

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.lang == DEFAULT_LANG:
            return singular if n == 1 else plural
        out = self._cat.ngettext(singular, plural, n)
        if out in (singular, plural) and not _same_in_both(out):
            self._missing(singular)
        return out

    def _missing(self, message: str) -> None:
        MISSING[message] = MISSING.get(message, 0) + 1
        if self.strict:
            raise UntranslatedError(f"no Welsh translation for {message!r}")
        log.warning("no %s translation for %r", self.lang, message)


def _same_in_both(message: str) -> bool:
    """Strings that are the same in Welsh: names, codes and bare placeholders."""
    return message in {"stratlens", "CSV", "JSON", "API", "OpenAPI"}


@lru_cache(maxsize=len(LANGS) * 2)
def translator(lang: str, strict: bool = False) -> Translator:
    return Translator(lang if lang in LANGS else DEFAULT_LANG, strict)


def split_lang_prefix(path: str) -> tuple[str | None, str]:
    """('cy', '/councils') for '/cy/councils'; (None, path) when there is no language prefix."""
    for lang in LANGS:
        if lang == DEFAULT_LANG:
            continue
        prefix = f"/{lang}"
        if path == prefix or path.startswith(prefix + "/"):
            return lang, path[len(prefix):] or "/"
    return None, path


def localise_path(path: str, lang: str) -> str:
    """The URL of an app path in `lang`: Welsh pages live under /cy."""
    if not path.startswith("/"):
        path = "/" + path
    return path if lang == DEFAULT_LANG else f"/{lang}{path if path != '/' else ''}" or "/"


class LangPrefix:
    """ASGI middleware: '/cy/...' is served by the route for '/...' with the language set to Welsh.

    One set of routes serves both languages, and every Welsh page has a stable, shareable URL.
    """

    def __init__(self, app) -> None:  # noqa: ANN001 - any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] == "http":
            lang, rest = split_lang_prefix(scope["path"])
            if lang:
                scope = dict(scope)
                scope["path"] = rest
                scope["raw_path"] = rest.encode()
                scope["stratlens.lang_prefix"] = lang
        await self.app(scope, receive, send)
