"""The Ray engine: the same stages as the local engine, spread over a Ray cluster with Ray Data.

    files ──map_batches(read + segment, 1 file a task)──► documents (materialised)
          ├─► documents/  Parquet
          ├─► passages/   Parquet
          └─► passages ──map_batches(Classifier actors, batches of passages)──► labels/ Parquet

Reading and segmenting are independent per file, so they run as plain tasks; classification
needs the sentence encoders in memory, so it runs in a pool of actors that load them once each.
A file that cannot be read becomes a documents row with status `failed` and its one-line
message, never a failed job. The output folder is loaded into the store by
`stratlens.engines.parquet.load_parquet` (one transaction per document, as the local engine).

Every worker must see the input files at the same paths (one machine, or a shared file system)
and have stratlens installed; see docs/scale.md.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from stratlens.config import Limits
from stratlens.engines.parquet import DOCUMENTS, LABELS, PASSAGES, document_row, passage_rows, table
from stratlens.errors import StratlensError
from stratlens.ingest import read_file
from stratlens.ingest.dispatch import display_name, sha256
from stratlens.model import DocumentMeta
from stratlens.pipeline import (CLASSIFY_BATCH, classifiable_frameworks, failure, input_files, manifest_rows,
                                model_names, prepare_document)


@dataclass
class RayRun:
    """What a Ray run wrote: its folder and counts by status."""

    folder: Path
    files: int
    ready: int
    failed: int
    duplicate: int
    passages: int


class _Prepare:
    """Read and segment one file per call (a plain task: no state worth keeping)."""

    def __init__(self, given: DocumentMeta, rows: dict[str, DocumentMeta], limits: Limits,
                 known: dict[str, int]) -> None:
        self.given, self.rows, self.limits, self.known = given, rows, limits, known

    def __call__(self, batch: pa.Table) -> pa.Table:
        docs: list[dict[str, Any]] = []
        for order, raw in zip(batch.column("doc_order").to_pylist(), batch.column("path").to_pylist()):
            path = Path(os.fsdecode(raw))
            name = display_name(path)
            try:
                result, data = read_file(path, self.limits)
                digest = sha256(data)
                if digest in self.known:
                    docs.append(document_row(order, name, "duplicate",
                                             f"same content as document {self.known[digest]}", sha=digest))
                    continue
                doc = prepare_document(path, result, data, self.given, self.rows, self.limits)
                row = document_row(order, name, "ready", doc=doc)
                row["_passages"] = json.dumps(passage_rows(order, doc), ensure_ascii=False)
                docs.append(row)
            except Exception as exc:  # noqa: BLE001 - a bad file is a row, never a failed job
                docs.append(document_row(order, name, "failed", failure(name, exc).message))
        out = table([{k: v for k, v in d.items() if k != "_passages"} for d in docs], DOCUMENTS)
        return out.append_column("passages_json", pa.array([d.get("_passages") for d in docs], pa.large_string()))


def _explode_passages(batch: pa.Table) -> pa.Table:
    rows: list[dict[str, Any]] = []
    for status, blob in zip(batch.column("status").to_pylist(), batch.column("passages_json").to_pylist()):
        if status == "ready" and blob:
            rows.extend(json.loads(blob))
    return table(rows, PASSAGES)


class ClassifyActor:
    """Classifies batches of passages against every framework; one set of models per actor."""

    def __init__(self, frameworks: list[str]) -> None:
        import os

        from stratlens.classify import get_classifier

        # Each actor is given one CPU; Ray runs one actor per CPU, so one encoder thread each
        # (the local engine's default of one thread per core would oversubscribe the cores).
        os.environ.setdefault("STRATLENS_THREADS", "1")

        self.frameworks = frameworks
        self.classifiers = [get_classifier(f) for f in frameworks]

    def __call__(self, batch: pa.Table) -> pa.Table:
        cols = {c: batch.column(c).to_pylist() for c in ("doc_order", "sha256", "seq", "text", "lang")}
        n = len(cols["seq"])
        out: dict[str, list] = {f.name: [] for f in LABELS}
        for clf in self.classifiers:
            scores, assigned, hits, _ = clf.scores(cols["text"], cols["lang"])
            for i in range(n):
                for j, theme in enumerate(clf.theme_ids):
                    out["doc_order"].append(cols["doc_order"][i])
                    out["sha256"].append(cols["sha256"][i])
                    out["seq"].append(cols["seq"][i])
                    out["framework_id"].append(clf.framework.id)
                    out["theme_id"].append(theme)
                    out["score"].append(float(scores[i, j]))
                    out["assigned"].append(bool(assigned[i, j]))
                    out["matched_terms"].append(list(hits[i][j]) if hits[i][j] else None)
        return pa.Table.from_pydict(out, schema=LABELS)


def init_ray(address: str | None = None, num_cpus: int | None = None) -> None:
    """Connect to the cluster at `address` (or $RAY_ADDRESS), else start a local Ray instance."""
    import ray

    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING,
                              "log_to_driver": False}
    if address:
        ray.init(address=address, **kwargs)
    else:
        ray.init(num_cpus=num_cpus, **kwargs)
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    # Ray Data reports every stage at INFO on stderr; the CLI prints its own one line per file.
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run(paths: Iterable[str | Path], out: str | Path, *, given: DocumentMeta | None = None,
        manifest: Path | None = None, classify: bool = True, limits: Limits | None = None,
        known: dict[str, int] | None = None, address: str | None = None, num_cpus: int | None = None,
        actors: int | None = None, batch_size: int = CLASSIFY_BATCH) -> RayRun:
    """Run read -> segment -> classify on Ray and write a Parquet run folder to `out`.

    `known` maps content hashes already in the store to their document ids, so those files are
    marked duplicate without being classified again.
    """
    import ray
    import ray.data

    limits = limits or Limits()
    given = given or DocumentMeta()
    paths = [Path(p) for p in paths]
    files = input_files(paths, manifest)
    rows = manifest_rows(paths, manifest)
    frameworks = classifiable_frameworks() if classify else []
    out = Path(out)
    for sub in ("documents", "passages", "labels"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    init_ray(address, num_cpus)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    items = [{"doc_order": i, "path": os.fsencode(p)} for i, p in enumerate(files)]
    if not items:
        raise StratlensError("no input files found")

    source = ray.data.from_items(items, override_num_blocks=min(len(items), 4 * cpus))
    prepared = source.map_batches(_Prepare, batch_size=1, batch_format="pyarrow", num_cpus=1,
                                  compute=ray.data.ActorPoolStrategy(size=cpus),
                                  fn_constructor_args=(given, rows, limits, known or {}))
    prepared = prepared.materialize()
    prepared.drop_columns(["passages_json"]).write_parquet(str(out / "documents"))
    passages = prepared.map_batches(_explode_passages, batch_format="pyarrow")
    passages.write_parquet(str(out / "passages"))
    if frameworks:
        labels = passages.map_batches(ClassifyActor, batch_size=batch_size, batch_format="pyarrow", num_cpus=1,
                                      compute=ray.data.ActorPoolStrategy(size=actors or cpus),
                                      fn_constructor_args=(frameworks,))
        labels.write_parquet(str(out / "labels"))
    statuses = prepared.select_columns(["status", "passages"]).to_pandas()
    run_info = {"frameworks": frameworks, "models": model_names(frameworks), "files": len(items),
                "limits": limits.__dict__, "batch_size": batch_size}
    (out / "run.json").write_text(json.dumps(run_info, indent=2), encoding="utf-8")
    counts = statuses["status"].value_counts().to_dict()
    return RayRun(folder=out, files=len(items), ready=int(counts.get("ready", 0)),
                  failed=int(counts.get("failed", 0)), duplicate=int(counts.get("duplicate", 0)),
                  passages=int(statuses["passages"].sum()))
