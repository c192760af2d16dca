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
from stratlens.ingest.dispatch import display_name, sha256
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


#: Passages classified together: large enough to keep the encoder busy, small enough that a
#: document of thousands of passages never holds all its embeddings at once.
CLASSIFY_BATCH = 256


def classify_passages(passages: list[Passage], framework_ids: list[str],
                      batch_size: int = CLASSIFY_BATCH) -> dict[str, list]:
    """Labels per framework: rows of (passage index, theme, score, assigned, matched terms).

    Passages go through in batches; within a batch every framework sees the same texts, so the
    shared encoder cache embeds each passage once for all frameworks.
    """
    out: dict[str, list] = {fid: [] for fid in framework_ids}
    for start in range(0, len(passages), batch_size):
        chunk = passages[start:start + batch_size]
        texts = [p.text for p in chunk]
        langs = [p.lang for p in chunk]
        for fid in framework_ids:
            clf = get_classifier(fid)
            scores, assigned, hits, _ = clf.scores(texts, langs)
            rows = out[fid]
            for i in range(len(chunk)):
                for j, theme in enumerate(clf.theme_ids):
                    rows.append((start + i, theme, float(scores[i, j]), bool(assigned[i, j]), hits[i][j]))
    return out


def classifiable_frameworks() -> list[str]:
    return [f.id for f in list_frameworks() if f.classifiable]


def model_names(framework_ids: Iterable[str]) -> dict[str, str]:
    """The classifier name recorded with each framework's labels."""
    return {fid: get_classifier(fid).model_name for fid in framework_ids}


@dataclass
class PreparedDocument:
    """A document read and segmented, not yet stored: what every engine hands to the store."""

    source: str
    sha256: str
    meta: DocumentMeta
    format: str
    pages: int | None
    bytes: int
    language: str | None
    passages: list[Passage]


def manifest_rows(paths: list[Path], manifest: Path | None) -> dict[str, DocumentMeta]:
    """Manifest rows for the inputs: the --manifest file, else each folder's own manifest.csv."""
    rows: dict[str, DocumentMeta] = {}
    if manifest:
        rows.update(read_manifest(manifest))
    for p in paths:
        auto = p / "manifest.csv"
        if p.is_dir() and auto.exists() and not manifest:
            rows.update(read_manifest(auto))
    return rows


def input_files(paths: Iterable[str | Path], manifest: Path | None) -> list[Path]:
    """Files under `paths`, or, with none given, the files a manifest lists (in its order)."""
    paths = [Path(p) for p in paths]
    if paths:
        return list(iter_input_files(paths))
    if manifest is None:
        raise StratlensError("give files or folders to ingest, or --manifest")
    return [Path(p) for p in read_manifest(manifest)]


def prepare_document(path: Path, result: ReadResult, data: bytes, given: DocumentMeta,
                     rows: dict[str, DocumentMeta], limits: Limits) -> PreparedDocument:
    """Metadata and passages of a read file; raises IngestError when it has no text."""
    name = display_name(path)
    try:
        row = rows.get(str(path.resolve()), DocumentMeta())
    except (OSError, RuntimeError):  # a symlink loop cannot be resolved
        row = DocumentMeta()
    merged = DocumentMeta(**{k: getattr(given, k) or getattr(row, k) for k in given.__dict__})
    meta = infer_meta(result, Path(name), merged)  # the printable name: titles come from it
    passages = segment(result.blocks, max_chars=limits.max_passage_chars)
    if not passages:
        raise IngestError(name, "no passages of text found")
    langs = Counter(p.lang for p in passages if p.lang != "und")
    language = meta.language or (langs.most_common(1)[0][0] if langs else None)
    return PreparedDocument(source=name, sha256=sha256(data), meta=meta, format=result.format,
                            pages=result.pages, bytes=len(data), language=language, passages=passages)


def store_document(store: Store, doc: PreparedDocument, labels: dict[str, list],
                   models: dict[str, str]) -> int:
    """Write a document, its passages and labels in one transaction: all of it or nothing.

    Label rows refer to passages by their index in `doc.passages`.
    """
    meta = doc.meta
    with store.transaction() as conn:
        council = store.resolve_council(meta.council, meta.nation, meta.council_type)
        doc_id = store.insert_document(
            conn, sha256=doc.sha256, council_id=council.id, title=meta.title, year=meta.year,
            nation=meta.nation or council.nation, source=doc.source, source_url=meta.source_url,
            format=doc.format, pages=doc.pages, language=doc.language, bytes=doc.bytes,
        )
        ids = store.insert_passages(conn, doc_id, doc.passages)
        for fid, label_rows in labels.items():
            store.replace_labels(conn, doc_id, fid, models[fid],
                                 [(ids[i], t, s, a, m) for i, t, s, a, m in label_rows])
    return doc_id


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
    """The local engine: files are streamed one at a time (read, segment, classify in batches,
    store in one transaction), so memory depends on the largest document, not the corpus."""
    limits = limits or Limits()
    given = given or DocumentMeta()
    paths = [Path(p) for p in paths]
    rows = manifest_rows(paths, manifest)
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
    name = display_name(path)
    try:
        result, data = read_file(path, limits)
        existing = store.document_by_hash(sha256(data))
        if existing is not None:
            return FileOutcome(name, "duplicate", f"same content as document {existing['id']}",
                               document_id=existing["id"])
        doc = prepare_document(path, result, data, given, rows, limits)
        del result, data
        labels = classify_passages(doc.passages, frameworks) if frameworks else {}
        doc_id = store_document(store, doc, labels, model_names(frameworks))
        return FileOutcome(name, "added", document_id=doc_id, passages=len(doc.passages), pages=doc.pages)
    except Exception as exc:  # noqa: BLE001 - one file's failure must never stop the batch
        return failure(name, exc)


def failure(name: str, exc: BaseException) -> FileOutcome:
    """The failed outcome for an exception: user-facing errors as they are, bugs named briefly."""
    if isinstance(exc, IngestError):
        return _failed(name, str(exc))
    if isinstance(exc, StratlensError):
        return _failed(name, f"{name}: {exc}")
    if isinstance(exc, MemoryError):
        return _failed(name, f"{name}: out of memory while reading")
    if isinstance(exc, RecursionError):
        return _failed(name, f"{name}: structure nested too deeply to read")
    # a reader bug must not stop the batch or show a traceback
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
