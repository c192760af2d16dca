"""Load test of the web app: 50 concurrent clients for 60 s against a 200-document corpus.

    python bench/load.py [--clients 50] [--duration 60] [--documents 200]

It writes a synthetic store straight into SQLite (no model needed), starts `stratlens serve` on
127.0.0.1 and a free port, drives it with httpx async clients over a mix of pages, CSV and API
calls, stops by itself, and prints the request count, errors (must be 0) and latency
percentiles. Traffic goes to the loopback address only; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from stratlens.councils import Council
from stratlens.frameworks import load_framework
from stratlens.pipeline import classifiable_frameworks
from stratlens.store import Store

HOST = "127.0.0.1"
MAX_REQUESTS = 1_000_000  # a hard stop whatever the duration
WORDS = ("digital inclusion devices skills residents online services cloud data cyber security partnership "
         "leadership broadband connectivity automation customer platform workforce innovation sustainability "
         "ethics procurement collaboration council strategy transformation analytics open standards").split()


def build_corpus(db: Path, documents: int, passages: int, seed: int = 7) -> dict:
    """A store of `documents` synthetic strategies with labels for every classifiable framework."""
    rng = random.Random(seed)
    frameworks = {fid: load_framework(fid) for fid in classifiable_frameworks()}
    with Store(db) as store:
        known = [c for c in store.councils() if not c.is_national]
        extra = [Council(id=f"synthetic-{i:03d}", name_en=f"Synthetic Borough Council {i}", short=f"Synthetic {i}",
                         nation="England", type="district") for i in range(60)]
        for c in extra:
            store.add_council(c)
        councils = known + extra
        with store.transaction() as conn:
            for n in range(documents):
                council = councils[n % len(councils)]
                doc_id = store.insert_document(
                    conn, sha256=f"{n:064x}", council_id=council.id, title=f"Digital Strategy {n}",
                    year=2018 + n % 8, nation=council.nation, source=f"synthetic-{n}.md", format="markdown",
                    pages=passages // 3, language="en", bytes=passages * 400)
                rows = []
                for seq in range(passages):
                    text = " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
                    cur = conn.execute("INSERT INTO passages (document_id, seq, text, page, heading, lang)"
                                       " VALUES (?,?,?,?,?,?)",
                                       (doc_id, seq, text, 1 + seq // 3, f"Section {seq // 5 + 1}", "en"))
                    rows.append(cur.lastrowid)
                for fid, fw in frameworks.items():
                    labels = [(pid, fid, t.id, round(rng.uniform(0.55, 0.99), 3), 1, None)
                              for pid in rows for t in fw.themes if rng.random() < 0.08]
                    conn.executemany("INSERT INTO labels (passage_id, framework_id, theme_id, score, assigned,"
                                     " matched_terms) VALUES (?,?,?,?,?,?)", labels)
                    conn.execute("INSERT INTO classifier_runs (document_id, framework_id, model, classified_at)"
                                 " VALUES (?,?,?,datetime('now'))", (doc_id, fid, "synthetic"))
        ids = [d["id"] for d in store.documents()]
    return {"documents": ids, "councils": [c.id for c in councils],
            "themes": [(fid, t.id) for fid, fw in frameworks.items() for t in fw.themes]}


def url_mix(corpus: dict, rng: random.Random) -> str:
    """One request of a reader's session: mostly pages, some CSV and JSON."""
    docs, councils, themes = corpus["documents"], corpus["councils"], corpus["themes"]
    fid, tid = rng.choice(themes)
    prefix = rng.choice(["", "", "/cy"])
    choices = [
        (14, lambda: "/"),
        (6, lambda: f"/?nation=Wales&year={rng.randint(2018, 2025)}&framework={fid}"),
        (10, lambda: f"/councils/{rng.choice(councils)}"),
        (10, lambda: f"/themes/{fid}/{tid}"),
        (4, lambda: "/themes"),
        (8, lambda: f"/compare?a={rng.choice(docs)}&b={rng.choice(docs)}&framework={fid}"),
        (5, lambda: "/compare/national"),
        (10, lambda: f"/documents/{rng.choice(docs)}"),
        (12, lambda: f"/search?q={rng.choice(WORDS)}+{rng.choice(WORDS)}"),
        (5, lambda: f"/?format=csv&table=coverage&framework={fid}"),
        (6, lambda: f"/api/overview?framework={fid}"),
        (5, lambda: f"/api/councils/{rng.choice(councils)}"),
        (3, lambda: "/static/govuk/govuk-frontend.min.css"),
        (2, lambda: "/councils"),
        (4, lambda: f"/councils/{rng.choice(councils)}/self-assessment"),
        (4, lambda: f"/gaps?framework={fid}"),
    ]
    weights = [w for w, _ in choices]
    path = rng.choices([f for _, f in choices], weights)[0]()
    if path.startswith(("/api", "/static")):
        return path
    return prefix + path if path != "/" or not prefix else prefix + "/"


async def client(n: int, base: str, corpus: dict, deadline: float, out: list, errors: list, budget: list) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as http:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            path = url_mix(corpus, rng)
            start = time.perf_counter()
            try:
                r = await http.get(path)
                await r.aread()
                ok = 200 <= r.status_code < 300
                if not ok:
                    errors.append(f"{r.status_code} {path}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {path}")
            out.append(time.perf_counter() - start)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited before it was ready")
        try:
            if httpx.get(base + "/councils", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def drive(base: str, corpus: dict, clients: int, duration: float) -> tuple[list, list]:
    latencies: list[float] = []
    errors: list[str] = []
    budget = [MAX_REQUESTS]
    deadline = time.monotonic() + duration
    await asyncio.gather(*(client(i, base, corpus, deadline, latencies, errors, budget) for i in range(clients)))
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--passages", type=int, default=30, help="passages per document")
    ap.add_argument("--out", type=Path, default=Path("out/bench-load.json"))
    args = ap.parse_args(argv)
    if not (0 < args.clients <= 200 and 0 < args.duration <= 600):
        ap.error("--clients must be 1-200 and --duration at most 600 s")

    work = Path(tempfile.mkdtemp(prefix="stratlens-load-"))
    db = work / "load.db"
    t0 = time.perf_counter()
    corpus = build_corpus(db, args.documents, args.passages)
    print(f"corpus: {args.documents} documents, {args.documents * args.passages} passages "
          f"in {time.perf_counter() - t0:.1f} s ({db})", flush=True)

    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "STRATLENS_SECRET_KEY": "load-test", "STRATLENS_UPLOAD_DIR": str(work / "uploads")}
    server = subprocess.Popen([sys.executable, "-m", "stratlens", "serve", "--host", HOST, "--port", str(port),
                               "--db", str(db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(base, server)
        print(f"server: {base} (pid {server.pid}); warming up", flush=True)
        # The analyses (audit, type, ladder, gaps, editions) are computed once per state of the
        # store, on the first page that needs them: time that apart, then fill the caches.
        first = time.perf_counter()
        httpx.get(base + "/councils/" + corpus["councils"][0], timeout=600)
        print(f"first analysed page (analyses of the whole corpus): {time.perf_counter() - first:.1f} s", flush=True)
        asyncio.run(drive(base, corpus, 4, 3.0))  # fill the coverage caches like a running service would
        print(f"load: {args.clients} clients for {args.duration:.0f} s", flush=True)
        started = time.perf_counter()
        latencies, errors = asyncio.run(drive(base, corpus, args.clients, args.duration))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    ms = [x * 1000 for x in latencies]
    result = {
        "clients": args.clients, "duration_s": round(elapsed, 1), "documents": args.documents,
        "requests": len(ms), "errors": len(errors), "requests_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1), "first_errors": errors[:10],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"requests {result['requests']}  errors {result['errors']}  {result['requests_per_s']} req/s  "
          f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms  max {result['max_ms']} ms")
    if errors:
        print("first errors:", *errors[:10], sep="\n  ")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
