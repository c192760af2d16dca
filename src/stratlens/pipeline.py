"""The local engine: files in, documents with passages and labels in the store.

Each file is read, segmented and classified before anything is written; the write is one
transaction. A file that fails at any step is reported and skipped, and the others go on.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stratlens.classify import get_classifier
from stratlens.config import Limits
from stratlens.councils import guess_council_name
from stratlens.errors import IngestError, StratlensError
from stratlens.frameworks import list_frameworks
from stratlens.ingest import iter_input_files, read_file
from stratlens.ingest.dispatch import sha256
from stratlens.model import DocumentMeta, Passage, ReadResult
from stratlens.segment import segment
from stratlens.store import Store

_YEAR_RANGE = re.compile(r"\b(20\d\d|19\d\d)\s*(?:[-–—/]|to|i)\s*(?:20)?\d\d\b")
_YEAR = re.compile(r"\b(20[0-4]\d|199\d)\b")


@dataclass
class FileOutcome:
    path: str
    status: str  # added | duplicate | failed
    message: str = ""
    document_id: int | None = None
    passages: int = 0
    pages: int | None = None


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def added(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "added"]


def read_manifest(path: Path) -> dict[str, DocumentMeta]:
    """Rows of a manifest CSV keyed by resolved file path."""
    out: dict[str, DocumentMeta] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                name = (row.get("file") or row.get("path") or "").strip()
                if not name:
                    raise StratlensError(f"{path}:{n}: manifest row has no 'file'")
                year = (row.get("year") or "").strip()
                if year and not year.isdigit():
                    raise StratlensError(f"{path}:{n}: year {year!r} is not a number")
                out[str((path.parent / name).resolve())] = DocumentMeta(
                    council=(row.get("council") or "").strip() or None,
                    nation=(row.get("nation") or "").strip() or None,
                    year=int(year) if year else None,
                    title=(row.get("title") or "").strip() or None,
                    source_url=(row.get("source_url") or "").strip() or None,
                    council_type=(row.get("council_type") or "").strip() or None,
                    language=(row.get("language") or "").strip() or None,
                )
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise StratlensError(f"{path}: cannot read manifest ({exc})") from None
    return out


def infer_meta(result: ReadResult, path: Path, given: DocumentMeta) -> DocumentMeta:
    """Fill what was not given from the document itself."""
    head_text = " ".join(b.text for b in result.blocks[:60])
    fm = result.metadata
    meta = DocumentMeta(**given.__dict__)
    if not meta.title:
        meta.title = result.title or fm.get("title") or path.stem.replace("_", " ").replace("-", " ")
    if not meta.council:
        meta.council = fm.get("council", "").split("  ")[0].strip() or guess_council_name(head_text)
    if not meta.year:
        m = re.search(r"year:\s*(\d{4})", fm.get("council", "")) or _YEAR_RANGE.search(meta.title or "") \
            or _YEAR.search(meta.title or "") or _YEAR_RANGE.search(head_text[:3000])
        if m:
            meta.year = int(m.group(1))
    if not meta.nation:
        m = re.search(r"nation:\s*(\w[\w ]*?)(?:\s{2}|$)", fm.get("council", ""))
        meta.nation = m.group(1) if m else None
    if not meta.source_url:
        m = re.search(r"published at (https?://\S+?)\)?$", fm.get("source", ""))
        meta.source_url = m.group(1) if m else None
    return meta


def classify_passages(passages: list[Passage], framework_ids: list[str]) -> dict[str, list]:
    """Labels per framework: rows of (passage index, theme, score, assigned, matched terms)."""
    out: dict[str, list] = {}
    texts = [p.text for p in passages]
    langs = [p.lang for p in passages]
    for fid in framework_ids:
        clf = get_classifier(fid)
        scores, assigned, hits, _ = clf.scores(texts, langs)
        rows = []
        for i in range(len(passages)):
            for j, theme in enumerate(clf.theme_ids):
                rows.append((i, theme, float(scores[i, j]), bool(assigned[i, j]), hits[i][j]))
        out[fid] = rows
    return out


def classifiable_frameworks() -> list[str]:
    return [f.id for f in list_frameworks() if f.classifiable]


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    given: DocumentMeta | None = None,
    manifest: Path | None = None,
    classify: bool = True,
    limits: Limits | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    limits = limits or Limits()
    given = given or DocumentMeta()
    paths = [Path(p) for p in paths]
    rows: dict[str, DocumentMeta] = {}
    if manifest:
        rows.update(read_manifest(manifest))
    for p in paths:
        auto = p / "manifest.csv"
        if p.is_dir() and auto.exists() and not manifest:
            rows.update(read_manifest(auto))
    frameworks = classifiable_frameworks() if classify else []
    report = IngestReport()
    for path in iter_input_files(paths):
        outcome = _ingest_one(store, path, given, rows, frameworks, limits)
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return report


def _ingest_one(store: Store, path: Path, given: DocumentMeta, rows: dict[str, DocumentMeta],
                frameworks: list[str], limits: Limits) -> FileOutcome:
    name = str(path)
    try:
        result, data = read_file(path, limits)
        digest = sha256(data)
        existing = store.document_by_hash(digest)
        if existing is not None:
            return FileOutcome(name, "duplicate", f"same content as document {existing['id']}",
                               document_id=existing["id"])
        row = rows.get(str(path.resolve()), DocumentMeta())
        merged = DocumentMeta(**{k: getattr(given, k) or getattr(row, k) for k in given.__dict__})
        meta = infer_meta(result, path, merged)
        passages = segment(result.blocks)
        if not passages:
            raise IngestError(name, "no passages of text found")
        labels = classify_passages(passages, frameworks) if frameworks else {}
        langs = Counter(p.lang for p in passages if p.lang != "und")
        language = meta.language or (langs.most_common(1)[0][0] if langs else None)
        with store.transaction() as conn:
            council = store.resolve_council(meta.council, meta.nation, meta.council_type)
            doc_id = store.insert_document(
                conn, sha256=digest, council_id=council.id, title=meta.title, year=meta.year,
                nation=meta.nation or council.nation, source=name, source_url=meta.source_url,
                format=result.format, pages=result.pages, language=language, bytes=len(data),
            )
            ids = store.insert_passages(conn, doc_id, passages)
            for fid, label_rows in labels.items():
                store.replace_labels(conn, doc_id, fid, get_classifier(fid).model_name,
                                     [(ids[i], t, s, a, m) for i, t, s, a, m in label_rows])
        return FileOutcome(name, "added", document_id=doc_id, passages=len(passages), pages=result.pages)
    except StratlensError as exc:
        return _failed(name, str(exc) if isinstance(exc, IngestError) else f"{name}: {exc}")
    except MemoryError:
        return _failed(name, f"{name}: out of memory while reading")
    except Exception as exc:  # a reader bug must not stop the batch or show a traceback
        return _failed(name, f"{name}: unexpected error ({type(exc).__name__}: {str(exc)[:120]})")


def _failed(name: str, message: str) -> FileOutcome:
    """A failed outcome whose message is one line, whatever the exception text held."""
    return FileOutcome(name, "failed", " ".join(message.split()))


def classify_store(store: Store, framework_ids: list[str] | None = None, *, force: bool = False) -> int:
    """Label stored passages that have no labels for a framework (or all, with force)."""
    framework_ids = framework_ids or classifiable_frameworks()
    done = 0
    for fid in framework_ids:
        doc_ids = [d["id"] for d in store.documents()] if force else store.unclassified(fid)
        for doc_id in doc_ids:
            rows = store.passages(doc_id)
            passages = [Passage(seq=r["seq"], text=r["text"], page=r["page"], heading_path=[], lang=r["lang"] or "en")
                        for r in rows]
            labels = classify_passages(passages, [fid])[fid]
            with store.transaction() as conn:
                store.replace_labels(conn, doc_id, fid, get_classifier(fid).model_name,
                                     [(rows[i]["id"], t, s, a, m) for i, t, s, a, m in labels])
            done += 1
    return done
