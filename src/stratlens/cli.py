"""The `stratlens` command: one thin command per verb, calling the pipeline stages.

Errors a user can cause are printed as one line naming the file and the cause, with a
non-zero exit; tracebacks are reserved for bugs (and shown only with STRATLENS_DEBUG=1).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from collections.abc import Callable
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stratlens.config import db_path
from stratlens.errors import StratlensError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Read council digital strategies and show, with evidence, what they cover and miss.")
console = Console()
err = Console(stderr=True)

DbOption = typer.Option(None, "--db", help="SQLite store (default: $STRATLENS_DB or ./stratlens.db).")


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


@app.command()
def frameworks(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the built-in frameworks."""
    from stratlens.frameworks import list_frameworks

    fws = list_frameworks()
    if as_json:
        print(json.dumps([{"id": f.id, "kind": f.kind, "name": f.name.en, "name_cy": f.name.cy,
                           "themes": f.theme_ids} for f in fws], indent=2, ensure_ascii=False))
        return
    table = Table("id", "kind", "themes", "name")
    for f in fws:
        table.add_row(f.id, f.kind, str(len(f.themes)), f.name.en)
    console.print(table)


@app.command()
def councils(
    nation: Optional[str] = typer.Option(None, help="Only councils of this nation."),
    add: Optional[str] = typer.Option(None, "--add", help="Add a council with this full name."),
    short: Optional[str] = typer.Option(None, help="Short name of the council to add."),
    council_type: Optional[str] = typer.Option(None, "--type", help="Type of the council to add."),
    gss: Optional[str] = typer.Option(None, help="GSS code of the council to add."),
    name_cy: Optional[str] = typer.Option(None, "--name-cy", help="Welsh name of the council to add."),
    db: Optional[Path] = DbOption,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the register of councils, or add one (--add)."""
    from stratlens.councils import Council, slugify
    from stratlens.store import Store

    with Store(db_path(db)) as store:
        if add:
            s = short or add
            store.add_council(Council(id=slugify(s), name_en=add, short=s, nation=nation, type=council_type,
                                      gss=gss, name_cy=name_cy))
            console.print(f"added council {slugify(s)}")
            return
        rows = store.councils(nation)
    if as_json:
        print(json.dumps([c.__dict__ for c in rows], indent=2, ensure_ascii=False))
        return
    table = Table("id", "GSS", "name", "Welsh name", "type", "nation")
    for c in rows:
        table.add_row(c.id, c.gss or "", c.name_en, c.name_cy or "", c.type or "", c.nation or "")
    console.print(table)


def _outcome_printer(progress: Progress, task) -> "Callable[[object], None]":
    """Prints one line per file: added, skipped (duplicate) or failed with its cause."""

    def on_file(outcome) -> None:
        progress.advance(task)
        # File names are printed as they are: '[draft]' in a name is not Rich markup.
        if outcome.status == "failed":
            err.print(f"[red]failed:[/red] {escape(outcome.message)}", highlight=False, soft_wrap=True)
        elif outcome.status == "duplicate":
            console.print(f"skipped {outcome.path}: {outcome.message}", highlight=False, markup=False,
                          soft_wrap=True)
        else:
            console.print(f"added {outcome.path}: document {outcome.document_id}, {outcome.passages} passages",
                          highlight=False, markup=False, soft_wrap=True)

    return on_file


def _summary(report) -> None:
    console.print(f"{len(report.added)} added, {len(report.outcomes) - len(report.added) - len(report.failed)} "
                  f"skipped, {len(report.failed)} failed")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Files or folders (PDF, DOCX, HTML, Markdown, text); none: the files --manifest lists."),
    council: Optional[str] = typer.Option(None, help="Council the documents belong to."),
    nation: Optional[str] = typer.Option(None, help="England, Wales, Scotland or Northern Ireland."),
    year: Optional[int] = typer.Option(None, help="Year of the strategy."),
    title: Optional[str] = typer.Option(None, help="Title of the document."),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="Where the document was published."),
    manifest: Optional[Path] = typer.Option(None, help="CSV with file,council,nation,year,title,source_url."),
    no_classify: bool = typer.Option(False, "--no-classify", help="Store passages only; classify later."),
    engine: str = typer.Option("local", help="local (one process, streaming) or ray (Ray Data; see docs/scale.md)."),
    out_parquet: Optional[Path] = typer.Option(
        None, "--out-parquet", help="ray: keep the Parquet run folder here (default: a temporary folder)."),
    parquet_only: bool = typer.Option(False, "--parquet-only", help="ray: write Parquet, do not load the store."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address",
                                              help="ray: cluster address (default: $RAY_ADDRESS, else local)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Read documents into the store: passages with page and heading, classified against every framework."""
    from stratlens.model import DocumentMeta
    from stratlens.store import Store

    if engine not in ("local", "ray"):
        _fail(f"--engine must be local or ray, not {engine!r}")
    if not paths and not manifest:
        _fail("give files or folders to ingest, or --manifest")
    if parquet_only and not out_parquet:
        _fail("--parquet-only needs --out-parquet")
    given = DocumentMeta(council=council, nation=nation, year=year, title=title, source_url=source_url)
    if engine == "ray":
        _ingest_ray(paths or [], given, manifest, not no_classify, out_parquet, parquet_only, ray_address, db)
        return
    from stratlens.engines import local

    if not paths:
        from stratlens.pipeline import input_files

        paths = input_files([], manifest)
    with Store(db_path(db)) as store, _progress() as progress:
        from stratlens.ingest import iter_input_files

        task = progress.add_task("ingesting", total=sum(1 for _ in iter_input_files(paths)))
        report = local.run(store, paths, given=given, manifest=manifest, classify=not no_classify,
                           on_file=_outcome_printer(progress, task))
    _summary(report)


def _ingest_ray(paths: list[Path], given, manifest: Optional[Path], classify: bool, out: Optional[Path],
                parquet_only: bool, address: Optional[str], db: Optional[Path]) -> None:
    try:
        from stratlens.engines import ray_engine
        from stratlens.engines.parquet import load_parquet
    except ImportError as exc:
        _fail(f"the ray engine needs the 'scale' extra: pip install 'stratlens[scale]' ({exc})")
    from stratlens.store import Store

    known: dict[str, int] = {}
    if not parquet_only and db_path(db).exists():
        with Store(db_path(db)) as store:
            known = {r["sha256"]: r["id"] for r in store.conn.execute("SELECT id, sha256 FROM documents")}
    folder = out or Path(tempfile.mkdtemp(prefix="stratlens-ray-"))
    try:
        result = ray_engine.run(paths, folder, given=given, manifest=manifest, classify=classify, known=known,
                                address=address)
        console.print(f"ray: {result.files} files, {result.ready} read, {result.duplicate} already stored, "
                      f"{result.failed} failed, {result.passages} passages -> {folder}", highlight=False)
        if parquet_only:
            if result.failed:
                raise typer.Exit(1)
            return
        with Store(db_path(db)) as store, _progress() as progress:
            task = progress.add_task("loading", total=result.files)
            report = load_parquet(store, folder, on_file=_outcome_printer(progress, task))
    finally:
        if out is None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    _summary(report)


@app.command("load-parquet")
def load_parquet_cmd(
    folder: Path = typer.Argument(..., help="A Parquet run folder written by 'ingest --engine ray'."),
    db: Optional[Path] = DbOption,
) -> None:
    """Load a Parquet run folder (documents/, passages/, labels/) into the store; safe to repeat."""
    try:
        from stratlens.engines.parquet import load_parquet
    except ImportError as exc:
        _fail(f"loading Parquet needs the 'scale' extra: pip install 'stratlens[scale]' ({exc})")
    from stratlens.store import Store

    with Store(db_path(db)) as store, _progress() as progress:
        task = progress.add_task("loading", total=None)
        report = load_parquet(store, folder, on_file=_outcome_printer(progress, task))
    _summary(report)


@app.command()
def documents(db: Optional[Path] = DbOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """List stored documents."""
    from stratlens.store import Store

    with Store(db_path(db)) as store:
        docs = store.documents()
    if as_json:
        print(json.dumps(docs, indent=2, ensure_ascii=False))
        return
    table = Table("id", "council", "title", "year", "format", "passages", "source")
    for d in docs:
        table.add_row(str(d["id"]), d["council"], d["title"] or "", str(d["year"] or ""), d["format"],
                      str(d["passages"]), d["source"])
    console.print(table)


@app.command()
def classify(
    framework: str = typer.Option(..., "--framework", "-f", help="Framework id or path to a YAML file."),
    input: Path = typer.Option(..., "--input", "-i", help='JSONL with {"id": ..., "text": ...} per line.'),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL of labels and assigned themes."),
) -> None:
    """Classify raw passages from a JSONL file (the interface quality is measured through)."""
    from stratlens.classify.scorer import Classifier
    from stratlens.frameworks import load_framework

    items = []
    try:
        lines = input.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{input}: cannot read ({exc})")
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            items.append((str(obj["id"]), str(obj["text"])))
        except (json.JSONDecodeError, KeyError, TypeError):
            _fail(f"{input}:{n}: expected a JSON object with 'id' and 'text'")
    clf = Classifier(load_framework(framework))
    with output.open("w", encoding="utf-8") as fh, _progress() as progress:
        task = progress.add_task("classifying", total=len(items))
        for start in range(0, len(items), 256):
            batch = items[start:start + 256]
            for (item_id, _), pred in zip(batch, clf.predict([t for _, t in batch])):
                fh.write(json.dumps(pred.as_json(item_id), ensure_ascii=False) + "\n")
            progress.advance(task, len(batch))
    console.print(f"classified {len(items)} passages against {clf.framework.id} -> {output}", highlight=False)


def _print_metrics(m: dict, title: str) -> None:
    table = Table(title=title)
    for col in ("theme", "precision", "recall", "F1", "support", "top-1 F1"):
        table.add_column(col, justify="left" if col == "theme" else "right")
    top1 = {r["theme"]: r for r in m["top1"]["themes"]}
    for r in m["themes"]:
        table.add_row(r["theme"], f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", str(r["support"]),
                      f"{top1[r['theme']]['f1']:.3f}")
    table.add_row("macro", f"{m['macro']['precision']:.3f}", f"{m['macro']['recall']:.3f}", f"{m['macro']['f1']:.3f}",
                  str(m["passages"]), f"{m['top1']['macro_f1']:.3f}")
    table.add_row("micro", f"{m['micro']['precision']:.3f}", f"{m['micro']['recall']:.3f}", f"{m['micro']['f1']:.3f}",
                  "", "")
    console.print(table)
    console.print(f"top-1 accuracy {m['top1']['accuracy']:.3f} (any gold label first: {m['top1']['lenient_accuracy']:.3f});"
                  f" top-1 macro-F1 {m['top1']['macro_f1']:.3f}; top-1 weighted F1 {m['top1']['weighted_f1']:.3f}")
    if m["confused_pairs"]:
        console.print("most confused (gold -> predicted first): " + "; ".join(
            f"{c['gold']} -> {c['predicted']} ({c['count']})" for c in m["confused_pairs"][:8]), highlight=False)
    cal = Table("score bin", "pairs", "mean score", "share positive", title="calibration")
    for row in m["calibration"]:
        cal.add_row(row["bin"], str(row["count"]), "" if row["mean_score"] is None else f"{row['mean_score']:.3f}",
                    "" if row["positive_rate"] is None else f"{row['positive_rate']:.3f}")
    console.print(cal)


@app.command()
def evaluate(
    framework: str = typer.Option(..., "--framework", "-f"),
    gold: list[Path] = typer.Option([], "--gold", "-g", help="Gold JSONL file(s)."),
    reviews: bool = typer.Option(False, "--reviews", help="Also evaluate on analysts' reviews in --db."),
    db: Optional[Path] = DbOption,
    as_json: bool = typer.Option(False, "--json"),
    zero_shot: bool = typer.Option(False, "--zero-shot", help="Ignore trained heads (prototype + keywords only)."),
    text_field: str = typer.Option("text", help="Field holding the text (e.g. en_text of a parallel set)."),
) -> None:
    """Per-theme precision, recall and F1 of the classifier on labelled passages."""
    from stratlens.classify.evaluate import evaluate as run_eval
    from stratlens.classify.gold import read_gold
    from stratlens.classify.scorer import Classifier
    from stratlens.frameworks import load_framework

    items, skipped = [], []
    for g in gold:
        items += read_gold(g, text_field=text_field, skipped=skipped)
    if reviews:
        from stratlens.classify.gold import GoldItem
        from stratlens.store import Store

        with Store(db_path(db)) as store:
            items += [GoldItem(id=f"review-{r['id']}", text=r["text"], labels=r["labels"], origin="review")
                      for r in store.reviews(load_framework(framework).id)]
    if not items:
        _fail("no gold passages to evaluate")
    clf = Classifier(load_framework(framework), use_heads=not zero_shot)
    m = run_eval(clf, items)
    m["model"] = clf.model_name
    m["skipped_unresolved"] = len(skipped)
    if as_json:
        print(json.dumps(m, indent=2))
        return
    _print_metrics(m, f"{clf.framework.id}: {len(items)} passages ({clf.model_name})")
    if skipped:
        console.print(f"{len(skipped)} referenced passages skipped: their source documents are not here")


@app.command()
def train(
    framework: str = typer.Option("lga-digitalisation-outcomes", "--framework", "-f"),
    gold_dir: Optional[Path] = typer.Option(None, help="Folder of gold data (default: data/gold)."),
    encoders: str = typer.Option("minilm,e5", help="Encoders to fit a head for."),
    db: Optional[Path] = typer.Option(None, "--db", help="Also learn from reviews stored here."),
) -> None:
    """Fit the supervised heads from the dev split (never the test split) and analysts' reviews."""
    from stratlens.classify.gold import GoldItem, default_gold_dir, gold_files, read_gold
    from stratlens.classify.scorer import Classifier
    from stratlens.classify.train import train_head
    from stratlens.frameworks import load_framework
    from stratlens.store import Store

    fw = load_framework(framework)
    folder = gold_dir or default_gold_dir()
    files = gold_files(folder, fw.id, "dev")
    if not files:
        _fail(f"{folder / fw.id}: no dev*.jsonl gold files")
    items: list[GoldItem] = []
    skipped: list[str] = []
    for f in files:
        items += read_gold(f, skipped=skipped)
    if db and Path(db).exists():
        with Store(db) as store:
            for r in store.reviews(fw.id):
                items.append(GoldItem(id=f"review-{r['id']}", text=r["text"], labels=r["labels"], origin="review"))
    items = [it for it in items if it.labels]
    clf = Classifier(fw, use_heads=False)
    for enc in [e.strip() for e in encoders.split(",") if e.strip()]:
        use = [it for it in items if enc != "minilm" or it.lang != "cy"]
        console.print(f"training {enc} head on {len(use)} passages")
        try:
            head, cv = train_head(clf, use, enc, log=console.print)
        except ValueError as exc:  # e.g. an unreadable tuned-settings file: the message names it
            _fail(str(exc))
        path = head.save(fw.id)
        console.print(f"saved {path} (cross-validated top-1 macro-F1 {head.meta['cv_top1_macro_f1']:.3f})",
                      highlight=False)
    if skipped:
        console.print(f"{len(skipped)} referenced passages skipped: their source documents are not here")


@app.command()
def tune(
    framework: str = typer.Option("lga-digitalisation-outcomes", "--framework", "-f"),
    gold_dir: Optional[Path] = typer.Option(None, help="Folder of gold data (default: data/gold)."),
    epochs: int = typer.Option(3, min=1, help="Passes over the passages."),
    seed: int = typer.Option(0, help="Seed of the tuning run."),
    out: Optional[Path] = typer.Option(None, help="Where to write the tuned layers (default: the shipped file)."),
) -> None:
    """Tune MiniLM's top layers on a framework's English dev passages (needs torch; a build step).

    Every MiniLM head must be refitted afterwards (`make train` does both), since the vectors change.
    """
    import hashlib

    from stratlens.classify.gold import default_gold_dir, gold_files, read_gold
    from stratlens.classify.scorer import Classifier
    from stratlens.classify.train import framework_examples
    from stratlens.classify.tune import save_tuned, tune_encoder
    from stratlens.frameworks import load_framework

    fw = load_framework(framework)
    folder = gold_dir or default_gold_dir()
    files = gold_files(folder, fw.id, "dev")
    if not files:
        _fail(f"{folder / fw.id}: no dev*.jsonl gold files")
    items = [it for f in files for it in read_gold(f) if it.labels and it.lang != "cy"]
    # The framework's own sentences anchor each theme, as they do for the heads.
    items += framework_examples(Classifier(fw, use_heads=False))
    console.print(f"tuning MiniLM on {len(items)} passages of {fw.id} ({epochs} epochs)")
    try:
        model = tune_encoder(items, fw.theme_ids, epochs=epochs, seed=seed, log=console.print)
    except ValueError as exc:
        _fail(f"{fw.id}: {exc}")
    digest = hashlib.sha256("\n".join(sorted(it.id for it in items)).encode()).hexdigest()[:12]
    path = save_tuned(model, {"framework": fw.id, "passages": len(items), "epochs": epochs, "seed": seed,
                              "passage_ids_sha256": digest}, out)
    console.print(f"saved {path}; now refit every MiniLM head (make train)", highlight=False)


@app.command()
def review(
    framework: str = typer.Option("lga-digitalisation-outcomes", "--framework", "-f"),
    limit: int = typer.Option(20, help="How many passages to offer."),
    document: Optional[int] = typer.Option(None, help="Only passages of this document id."),
    reviewer: Optional[str] = typer.Option(None, help="Your name or initials, kept with each decision."),
    db: Optional[Path] = DbOption,
) -> None:
    """Accept or correct labelled passages, least certain first; decisions become training data.

    At each passage type: a (accept), numbers of themes separated by commas, primary first
    (correct), s (skip) or q (quit).
    """
    from stratlens.classify.review import candidates, record
    from stratlens.frameworks import load_framework
    from stratlens.store import Store

    fw = load_framework(framework)
    with Store(db_path(db)) as store:
        cands = candidates(store, fw.id, limit, document)
        if not cands:
            console.print("nothing to review")
            return
        for n, t in enumerate(fw.themes, start=1):
            console.print(f"  {n:>2}. {t.label('en')} ({t.id})", highlight=False)
        counts = {"accepted": 0, "corrected": 0, "skipped": 0}
        for i, c in enumerate(cands, start=1):
            where = f"page {c.page}" if c.page else (c.heading or "")
            console.print(f"\n[bold]{i}/{len(cands)}[/bold] {c.council}: {c.title} {where}", highlight=False)
            console.print(c.text, markup=False, highlight=False)
            top = ", ".join(f"{t} {s:.2f}" for t, s in c.ranked[:3])
            console.print(f"[dim]classifier: {top}; assigned: {', '.join(c.assigned) or 'none'}[/dim]",
                          highlight=False)
            while True:
                answer = typer.prompt("a / theme numbers / s / q", default="s").strip().lower()
                if answer == "q":
                    console.print(f"{counts}")
                    return
                if answer == "s":
                    counts["skipped"] += 1
                    break
                if answer == "a":
                    counts[record(store, fw.id, c, None, reviewer)] += 1
                    break
                try:
                    picks = [fw.themes[int(x) - 1].id for x in answer.replace(" ", "").split(",") if x]
                    if not picks or any(int(x) < 1 for x in answer.replace(" ", "").split(",") if x):
                        raise ValueError
                except (ValueError, IndexError):
                    console.print(f"type a, s, q or theme numbers 1-{len(fw.themes)}")
                    continue
                counts[record(store, fw.id, c, picks, reviewer)] += 1
                break
        console.print(f"{counts}; run 'stratlens train -f {fw.id} --db {db_path(db)}' to learn from them",
                      highlight=False)


@app.command()
def report(
    out: Path = typer.Option(Path("stratlens-report"), "--out", help="Folder to write the report into."),
    lang: str = typer.Option("en", help="Language of index.html: en or cy (the other is index.<lang>.html)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Write index.html (accessible, static), coverage.csv and coverage.json."""
    from stratlens.pipeline import classify_store
    from stratlens.present.report import write_report
    from stratlens.store import Store

    if lang not in ("en", "cy"):
        _fail("--lang must be en or cy")
    with Store(db_path(db)) as store:
        classify_store(store)
        index = write_report(store, out, lang)
    console.print(f"report written to {index}", highlight=False)


@app.command()
def search(query: str, limit: int = typer.Option(20), db: Optional[Path] = DbOption,
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Find passages by keyword (SQLite full-text search)."""
    from stratlens.store import Store

    with Store(db_path(db)) as store:
        rows = store.search(query, limit)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        console.print("no passages found")
    for r in rows:
        where = f"p. {r['page']}" if r["page"] else (r["heading"] or "")
        console.print(f"[bold]{r['council']}[/bold] {r['title']} ({r['year'] or '?'}) {where}", highlight=False)
        console.print(f"  {r['snippet']}", highlight=False, markup=False)


@app.command()
def demo(
    out: Path = typer.Option(Path("stratlens-demo"), "--out", help="Folder for the store and the report."),
    serve: bool = typer.Option(False, "--serve", help="Then start the web app on it (http://127.0.0.1:8000/)."),
) -> None:
    """Ingest the bundled example corpus into a fresh store and write the report."""
    from stratlens.pipeline import ingest_paths
    from stratlens.present.report import write_report
    from stratlens.store import Store

    corpus = Path(__file__).parent / "examples" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    db = out / "stratlens.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store(db) as store, _progress() as progress:
        from stratlens.ingest import iter_input_files

        task = progress.add_task("ingesting examples", total=sum(1 for _ in iter_input_files([corpus])))
        report = ingest_paths(store, [corpus], on_file=lambda o: progress.advance(task))
        for o in report.failed:
            err.print(f"failed: {o.message}", highlight=False, markup=False)
        index = write_report(store, out / "report")
    console.print(f"{len(report.added)} example strategies ingested into {db}", highlight=False)
    console.print(f"report: {index}", highlight=False)
    if report.failed:
        raise typer.Exit(1)
    if serve:
        from stratlens.web.cli import serve as serve_app

        serve_app(host="127.0.0.1", port=8000, db=db, demo=False)


# The web app lives in stratlens.web; these two lines wire in `serve` and `analyst`.
from stratlens.web.cli import analyst_app, serve  # noqa: E402
app.command()(serve)
app.add_typer(analyst_app, name="analyst")


# The analysis commands (audit, type, gaps, ladder, selfassess, similar, plain, editions).
from stratlens import cli_analyse  # noqa: E402,F401  (registers its commands on `app`)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit 1; bugs exit 2 without a
    traceback unless STRATLENS_DEBUG=1."""
    try:
        app(args=argv, standalone_mode=True)
    except StratlensError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("STRATLENS_DEBUG"):
            raise
        err.print(f"error: unexpected {type(exc).__name__}: {exc} (set STRATLENS_DEBUG=1 for details)",
                  highlight=False, markup=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
