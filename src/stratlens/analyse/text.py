"""Shared text handling for the analyses: documents as units of text, sentences, words.

Every analysis quotes its evidence with page and heading, so text is handled as `Unit`s (one
stored passage, or two passages the reader split in the middle of a sentence) and `Sentence`s
that remember which unit they came from. Readers sometimes cut a sentence at a page break and
the segmenter then ends the first half with a full stop ("from." / "71% to 98%."); the merge
rule below undoes that so that a commitment and its measure stay together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stratlens.councils import match_council
from stratlens.errors import StratlensError
from stratlens.store import Store

WORD = re.compile(r"[A-Za-zÀ-ÿŵŷŴŶ0-9£%][\w'’£%.,-]*")
_ENDS_MID = re.compile(
    r"\b(?:from|to|the|a|an|of|and|or|in|on|at|by|for|with|our|their|its|y|yr|a'r|o|i|ar|yn|gan|gyda)\.$",
    re.IGNORECASE)
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9£\"“‘(ŴŶÂ])")
_TABLE_CELL = " | "


@dataclass
class Unit:
    """A stretch of a document's text with where it came from."""

    passage_ids: list[int]
    seq: int
    text: str
    page: int | None
    heading: str | None
    lang: str

    @property
    def passage_id(self) -> int:
        return self.passage_ids[0]

    @property
    def is_table(self) -> bool:
        return self.text.count(_TABLE_CELL) >= 2


@dataclass
class Sentence:
    """A sentence (or a list item, or a table row) of a unit."""

    text: str
    unit: Unit
    index: int                      # position in the document, 0-based
    lead_in: str | None = None      # the clause ending in ':' that introduces a list item
    kind: str = "sentence"          # sentence | item | row

    @property
    def page(self) -> int | None:
        return self.unit.page

    @property
    def heading(self) -> str | None:
        return self.unit.heading


@dataclass
class Quote:
    """Evidence: where a sentence or passage sits, and its words."""

    passage_id: int
    page: int | None
    heading: str | None
    quote: str
    signal: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"passage_id": self.passage_id, "page": self.page, "heading": self.heading,
                "quote": self.quote, "signal": self.signal}


def quote_of(s: Sentence, signal: str = "", limit: int = 400) -> Quote:
    text = s.text if len(s.text) <= limit else s.text[: limit - 1].rstrip() + "…"
    return Quote(s.unit.passage_id, s.page, s.heading, text, signal)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Whitespace-free word tokens (numbers kept), trailing punctuation dropped."""
    return [w.rstrip(".,;:") for w in WORD.findall(text) if w.rstrip(".,;:")]


def content_tokens(text: str) -> set[str]:
    """Lower-case words of three or more letters, minus very common ones: for token overlap."""
    return {w for w in (t.lower() for t in words(text)) if len(w) > 2 and w not in _STOP}


_STOP = frozenset("""the and for with our will that this from are have has was were been being its their they
them these those which who what when where how all any can into more most over such than then there also
each every other some only just about across within through per not but out off very would should could
may might must shall we you your his her ours yr y ac ar o ei eu mae bydd byddwn gyda ein yn i'r o'r
pob bob hefyd sydd fydd""".split())


def units(passages: list[dict[str, Any]]) -> list[Unit]:
    """The document's passages as units, re-joining a sentence that a page break cut in two.

    Two consecutive passages under the same heading are joined when the second starts in lower
    case, or starts with a digit while the first ends in a word that cannot end a sentence
    ("from.", "the."). The stop the segmenter added at the cut is removed.
    """
    out: list[Unit] = []
    for p in passages:
        text = normalise_space(p["text"])
        lang = p.get("lang") or "en"
        if out and out[-1].heading == p.get("heading") and text:
            prev = out[-1]
            lower = text[0].islower()
            digit = text[0].isdigit() and bool(_ENDS_MID.search(prev.text))
            if lower or digit:
                joined = prev.text[:-1] if prev.text.endswith(".") else prev.text
                # a list cut by a page break: the segmenter ended its last item with '.'
                glue = "; " if lower and ";" in prev.text and prev.text.endswith(".") else " "
                prev.text = f"{joined}{glue}{text}"
                prev.passage_ids.append(p["id"])
                continue
        out.append(Unit([p["id"]], p["seq"], text, p.get("page"), p.get("heading"), lang))
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(text) if s.strip()]


def sentences(doc_units: list[Unit]) -> list[Sentence]:
    """Sentences of every unit; a lead-in ending in ':' is split into its list items (';'),
    and a table unit into its rows."""
    out: list[Sentence] = []
    for u in doc_units:
        for raw in split_sentences(u.text):
            if u.is_table and _TABLE_CELL in raw:
                out.append(Sentence(raw.rstrip("."), u, len(out), kind="row"))
                continue
            lead, items = _list_items(raw)
            if lead is None:
                out.append(Sentence(raw, u, len(out)))
                continue
            if lead:
                out.append(Sentence(lead + ":", u, len(out)))
            for item in items:
                out.append(Sentence(item, u, len(out), lead_in=lead or None, kind="item"))
    # A list continued in the next unit (a page break inside the list) keeps its lead-in.
    for prev, cur in zip(out, out[1:]):
        if cur.kind == "sentence" and prev.kind == "item" and prev.unit is not cur.unit \
                and cur.index == prev.index + 1 and ";" not in cur.text and cur.text[:1].islower():
            cur.kind, cur.lead_in = "item", prev.lead_in
    return out


def _list_items(sentence: str) -> tuple[str | None, list[str]]:
    """('We will', [items]) for 'We will: a; b; c.', else (None, [])."""
    if ";" not in sentence:
        return None, []
    head, sep, rest = sentence.partition(":")
    if sep and ";" in head:
        return None, []
    if not sep or len(head.split()) > 25:
        # a run of items with no lead-in ("a; b; c") still splits
        parts = [p.strip(" .;") for p in sentence.split(";")]
        parts = [p for p in parts if p and p.lower() not in ("and", "and;", "or")]
        return ("", parts) if len(parts) >= 3 else (None, [])
    parts = [p.strip(" .;") for p in rest.split(";")]
    parts = [re.sub(r"^(?:and|or)\s+", "", p) for p in parts]
    parts = [p for p in parts if p and p.lower() not in ("and", "or")]
    if len(parts) < 2:
        return None, []
    return head.strip(), parts


def word_count(text: str) -> int:
    return len(text.split())


# -- documents and councils ----------------------------------------------------------------------
def get_document(store: Store, document_id: int) -> dict[str, Any]:
    doc = store.document(int(document_id))
    if doc is None:
        raise StratlensError(f"no document {document_id}; see 'stratlens documents'")
    return doc


def council_documents(store: Store, council: str) -> list[dict[str, Any]]:
    """Documents of a council given by id, short name or full name, oldest first."""
    known = store.councils()
    found = next((c for c in known if c.id == council), None) or match_council(council, known)
    if found is None:
        raise StratlensError(f"unknown council {council!r}; see 'stratlens councils'")
    docs = [d for d in store.documents() if d["council_id"] == found.id]
    if not docs:
        raise StratlensError(f"council {found.short!r} has no document in this store")
    return sorted(docs, key=lambda d: (d["year"] or 0, d["id"]))


def latest_document(store: Store, council: str) -> dict[str, Any]:
    return council_documents(store, council)[-1]


@dataclass
class DocText:
    """A document with its units and sentences, built once and shared by the analyses."""

    document: dict[str, Any]
    units: list[Unit]
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.document.get("language") or "en"

    @property
    def words(self) -> int:
        return sum(word_count(u.text) for u in self.units)


def doc_text(store: Store, document_id: int) -> DocText:
    doc = get_document(store, document_id)
    us = units(store.passages(doc["id"]))
    return DocText(doc, us, sentences(us))
