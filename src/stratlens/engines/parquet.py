"""The Parquet layout an engine writes, and loading it into the SQLite store.

A run folder holds three datasets (folders of Parquet files) and a summary:

    documents/  one row per input file: doc_order, source, status (ready | duplicate | failed),
                message, sha256 and the document's metadata
    passages/   doc_order, sha256, seq, text, page, heading, lang, char_start, char_end
    labels/     doc_order, sha256, seq, framework_id, theme_id, score, assigned, matched_terms
    run.json    frameworks and the classifier model recorded for each

`doc_order` is the file's position in the input listing; `(sha256, seq)` names a passage the way
the store does once loaded. Loading walks documents in `doc_order` and writes each one (with
its passages and labels) in one transaction, as the local engine does, so the store gets the
same rows and the same ids; a document whose content is already stored is skipped, which makes
loading the same folder twice, or after a crash, safe. DuckDB reads the folders as they are
(`SELECT ... FROM 'run/labels/*.parquet'`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads

from stratlens.errors import StratlensError
from stratlens.model import DocumentMeta, Passage
from stratlens.pipeline import FileOutcome, IngestReport, PreparedDocument, failure, store_document
from stratlens.store import Store

DOCUMENTS = pa.schema([
    ("doc_order", pa.int64()), ("source", pa.string()), ("status", pa.string()), ("message", pa.string()),
    ("sha256", pa.string()), ("title", pa.string()), ("council", pa.string()), ("nation", pa.string()),
    ("council_type", pa.string()), ("year", pa.int64()), ("source_url", pa.string()),
    ("format", pa.string()), ("pages", pa.int64()), ("bytes", pa.int64()), ("language", pa.string()),
    ("passages", pa.int64()),
])
PASSAGES = pa.schema([
    ("doc_order", pa.int64()), ("sha256", pa.string()), ("seq", pa.int64()), ("text", pa.string()),
    ("page", pa.int64()), ("heading", pa.string()), ("lang", pa.string()), ("char_start", pa.int64()),
    ("char_end", pa.int64()),
])
LABELS = pa.schema([
    ("doc_order", pa.int64()), ("sha256", pa.string()), ("seq", pa.int64()), ("framework_id", pa.string()),
    ("theme_id", pa.string()), ("score", pa.float64()), ("assigned", pa.bool_()),
    ("matched_terms", pa.list_(pa.string())),
])
#: Documents loaded per read of the passages and labels datasets: bounds the loader's memory.
LOAD_CHUNK_PASSAGES = 20_000


def document_row(order: int, source: str, status: str, message: str = "", doc: PreparedDocument | None = None,
                 sha: str | None = None) -> dict[str, Any]:
    """One row of the documents dataset."""
    meta = doc.meta if doc else DocumentMeta()
    return {
        "doc_order": order, "source": source, "status": status, "message": message,
        "sha256": doc.sha256 if doc else sha, "title": meta.title, "council": meta.council,
        "nation": meta.nation, "council_type": meta.council_type, "year": meta.year,
        "source_url": meta.source_url, "format": doc.format if doc else None,
        "pages": doc.pages if doc else None, "bytes": doc.bytes if doc else None,
        "language": doc.language if doc else None, "passages": len(doc.passages) if doc else 0,
    }


def passage_rows(order: int, doc: PreparedDocument) -> list[dict[str, Any]]:
    return [{"doc_order": order, "sha256": doc.sha256, "seq": p.seq, "text": p.text, "page": p.page,
             "heading": p.heading, "lang": p.lang, "char_start": p.char_start, "char_end": p.char_end}
            for p in doc.passages]


def table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows as a table of a fixed schema, so every Parquet file of a dataset agrees (an all-null
    column in one block would otherwise get the null type)."""
    return pa.Table.from_pylist(rows, schema=schema)


def _dataset(folder: Path) -> pads.Dataset:
    files = sorted(str(p) for p in folder.glob("*.parquet"))
    schema = {"documents": DOCUMENTS, "passages": PASSAGES, "labels": LABELS}[folder.name]
    return pads.dataset(files, schema=schema, format="parquet")


def read_run(folder: Path) -> dict[str, Any]:
    """run.json of a Parquet run folder; a clear error when the folder is not one."""
    info = folder / "run.json"
    if not info.is_file() or not (folder / "documents").is_dir():
        raise StratlensError(f"{folder}: not a stratlens Parquet folder (no run.json or documents/)")
    try:
        return json.loads(info.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StratlensError(f"{folder}/run.json: cannot read ({exc})") from None


def _chunks(docs: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = 0
    for d in docs:
        chunk.append(d)
        size += d["passages"] or 0
        if size >= LOAD_CHUNK_PASSAGES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _grouped(folder: Path, orders: list[int], columns: list[str]) -> dict[int, list[dict[str, Any]]]:
    """Rows of a dataset for these documents, grouped by doc_order."""
    if not folder.is_dir() or not orders:
        return {}
    t = _dataset(folder).to_table(columns=columns, filter=pads.field("doc_order").isin(orders))
    out: dict[int, list[dict[str, Any]]] = {}
    for row in t.to_pylist():
        out.setdefault(row["doc_order"], []).append(row)
    return out


def load_parquet(store: Store, folder: str | Path,
                 on_file: Callable[[FileOutcome], None] | None = None) -> IngestReport:
    """Load a Parquet run folder into the store; one transaction per document."""
    folder = Path(folder)
    run = read_run(folder)
    models: dict[str, str] = run.get("models", {})
    docs = sorted(_dataset(folder / "documents").to_table().to_pylist(), key=lambda d: d["doc_order"])
    report = IngestReport()
    for chunk in _chunks(docs):
        ready = [d["doc_order"] for d in chunk if d["status"] == "ready"]
        passages = _grouped(folder / "passages", ready, [f.name for f in PASSAGES])
        labels = _grouped(folder / "labels", ready, [f.name for f in LABELS]) if models else {}
        for d in chunk:
            outcome = _load_one(store, d, passages.get(d["doc_order"], []), labels.get(d["doc_order"], []),
                                models)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
    return report


def _load_one(store: Store, d: dict[str, Any], passage_rows_: list[dict[str, Any]],
              label_rows: list[dict[str, Any]], models: dict[str, str]) -> FileOutcome:
    name = d["source"]
    if d["status"] == "failed":
        return FileOutcome(name, "failed", d["message"] or f"{name}: failed")
    try:
        existing = store.document_by_hash(d["sha256"]) if d["sha256"] else None
        if existing is not None:
            return FileOutcome(name, "duplicate", f"same content as document {existing['id']}",
                               document_id=existing["id"])
        if d["status"] != "ready":
            return FileOutcome(name, d["status"], d["message"] or "")
        passage_rows_.sort(key=lambda r: r["seq"])
        if len(passage_rows_) != d["passages"]:
            raise StratlensError(f"Parquet holds {len(passage_rows_)} of its {d['passages']} passages")
        passages = [Passage(seq=r["seq"], text=r["text"], page=r["page"],
                            heading_path=r["heading"].split(" > ") if r["heading"] else [], lang=r["lang"],
                            char_start=r["char_start"], char_end=r["char_end"]) for r in passage_rows_]
        meta = DocumentMeta(council=d["council"], nation=d["nation"], year=d["year"], title=d["title"],
                            source_url=d["source_url"], council_type=d["council_type"], language=d["language"])
        doc = PreparedDocument(source=name, sha256=d["sha256"], meta=meta, format=d["format"],
                               pages=d["pages"], bytes=d["bytes"], language=d["language"], passages=passages)
        by_fw: dict[str, list] = {fid: [] for fid in models}
        for r in label_rows:
            by_fw[r["framework_id"]].append((r["seq"], r["theme_id"], r["score"], r["assigned"],
                                             list(r["matched_terms"] or [])))
        for fid, rows in by_fw.items():
            rows.sort(key=lambda r: r[0])  # stable: themes keep the order they were written in
        doc_id = store_document(store, doc, by_fw, models)
        return FileOutcome(name, "added", document_id=doc_id, passages=len(passages), pages=doc.pages)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the load
        return failure(name, exc)
