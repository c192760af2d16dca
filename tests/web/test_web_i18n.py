"""Welsh: every interface string has a translation, placeholders agree, nothing falls back silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import stratlens.web
from stratlens.web import i18n

WEB = Path(stratlens.web.__file__).parent
PO = WEB / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def source_messages() -> set[str]:
    """Every string marked for translation in the web app's Python and templates, read from the source."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(str(WEB), method_map, options, keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue():  # noqa: ANN201
    with PO.open("rb") as fh:
        return read_po(fh, locale="cy")


def test_every_interface_string_has_a_welsh_translation() -> None:
    cat = catalogue()
    translated = {}
    for m in cat:
        if not m.id:
            continue
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        translated[key] = all(s.strip() for s in strings) and "fuzzy" not in m.flags
    missing = sorted(s for s in source_messages() if not translated.get(s))
    assert not missing, "untranslated Welsh strings (run the workflow in docs/web.md):\n" + "\n".join(missing)


def test_placeholders_agree() -> None:
    pat = re.compile(r"%\((\w+)\)s")
    for m in catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(pat.findall(ids[-1]))
        for s in strings:
            assert set(pat.findall(s)) == want, m.id


def test_strict_translator_refuses_an_untranslated_string() -> None:
    t = i18n.Translator("cy", strict=True)
    assert t.gettext("Councils") == "Cynghorau"
    with pytest.raises(i18n.UntranslatedError):
        t.gettext("A sentence nobody translated")
    assert i18n.Translator("en", strict=True).gettext("A sentence nobody translated")


def test_lenient_translator_logs_and_counts(caplog) -> None:
    t = i18n.Translator("cy", strict=False)
    with caplog.at_level("WARNING"):
        assert t.gettext("Another untranslated sentence") == "Another untranslated sentence"
    assert i18n.MISSING["Another untranslated sentence"] >= 1
    assert "no cy translation" in caplog.text


def test_welsh_pages_have_no_english_interface_words(client) -> None:
    """A crude guard on top of the catalogue test: common English interface words on a Welsh page."""
    english = ["Skip to main content", "Download this table", "Councils that", "Share of strategies",
               ">Search<", ">Overview<", "Sign in<", "Best evidence"]
    for path in ["/cy/", "/cy/councils/cardiff", "/cy/themes/lga-digitalisation-outcomes/inclusion", "/cy/search?q=data",
                 "/cy/compare", "/cy/compare/national", "/cy/login", "/cy/documents/1", "/cy/gaps",
                 "/cy/councils/cardiff/self-assessment"]:
        html = client.get(path).text
        for word in english:
            assert word not in html, f"{path}: {word!r}"


def test_paths_localise() -> None:
    assert i18n.split_lang_prefix("/cy/councils") == ("cy", "/councils")
    assert i18n.split_lang_prefix("/cy") == ("cy", "/")
    assert i18n.split_lang_prefix("/cymraeg") == (None, "/cymraeg")
    assert i18n.localise_path("/", "cy") == "/cy"
    assert i18n.localise_path("/search", "cy") == "/cy/search"
    assert i18n.localise_path("/search", "en") == "/search"
