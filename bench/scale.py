"""Scale: wall time and peak memory of the local engine on a generated corpus of N passages.

The corpus is text files of realistic strategy passages (commitments, context, measures),
generated deterministically from a seed: every passage is different, so the encoder cache does
not flatter the figures. Each size runs in a fresh process, so its peak resident memory
(getrusage ru_maxrss) is its own; the models' load time is reported apart from the ingest.

    python bench/scale.py                    # 10,000 and 100,000 passages
    python bench/scale.py --sizes 2000       # a quick look
    python bench/scale.py --engine ray       # the same corpus through the Ray engine
    python bench/scale.py --generate-only DIR --sizes 10000

Goals (issue 6): 100,000 passages in at most 10 minutes and 2 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PASSAGES_PER_FILE = 100
COUNCILS = ["Aldchester", "Brynhafod", "Hollowbrook", "Ravensclough", "Strathmorven", "Wyvernshire",
            "Ashcombe Vale", "Erwen", "Kelmsford", "Dunmere", "Penhallow", "Thornbury Cross"]
SERVICES = ["council tax", "waste collection", "adult social care", "housing repairs", "planning applications",
            "school admissions", "parking permits", "library services", "blue badge applications",
            "children's services", "benefits advice", "licensing", "environmental health", "highways"]
THINGS = ["a shared data platform", "a single customer account", "open data publishing", "cloud hosting",
          "a cyber security programme", "digital skills training", "broadband in rural areas",
          "a new case management system", "automated workflows", "an online booking service",
          "assistive technology in care homes", "sensor networks for flood warnings", "chatbots for common queries"]
PEOPLE = ["residents", "older people", "carers", "small businesses", "young people", "staff", "tenants",
          "community groups", "partners in health", "town and parish councils"]
VERBS = ["redesign", "improve", "replace", "introduce", "expand", "review", "simplify", "join up", "test"]
OPENERS = [
    "By {year} we will {verb} {service} so that {people} can complete it online at any time.",
    "We will {verb} {thing} with {people}, starting with a pilot in {council} during {year}.",
    "Our priority for {year} is {thing}, because {people} told us that {service} was hard to use.",
    "The council has agreed to {verb} {service}, working alongside {people} and our partners.",
    "In {council}, {pct}% of {people} already use online channels for {service}.",
]
MIDDLES = [
    "This will reduce avoidable contact by about {pct}% and free staff time for complex cases.",
    "We will measure progress each quarter and publish the results on our website.",
    "Funding of £{money} million has been set aside over the next {n} years for this work.",
    "Services will meet the accessibility standard and be tested with people who use assistive technology.",
    "Data will be shared securely between teams, with clear rules on privacy and consent.",
    "Where people cannot or prefer not to go online, face-to-face and telephone support will remain.",
    "We will work with neighbouring councils to share {thing} where this saves money.",
    "Staff will be trained to use {thing}, with {n} digital champions in every directorate.",
    "The programme board will review risks monthly and report to cabinet twice a year.",
]
CLOSERS = [
    "Success means {people} spend less time chasing {service} (measure {tag}).",
    "We will report on this commitment in our annual review (reference {tag}).",
    "This supports our wider aim of a fairer, greener {council} (action {tag}).",
]
HEADINGS = ["Our vision", "Customer experience", "Data and insight", "Our workforce", "Technology and infrastructure",
            "Working with partners", "Connected communities", "Cyber security", "How we will measure success"]


def passage(rng: random.Random, council: str, tag: str) -> str:
    """One paragraph of 3-5 sentences, 250-650 characters: one passage after segmentation."""
    fill = lambda t: t.format(year=rng.randint(2024, 2030), verb=rng.choice(VERBS), service=rng.choice(SERVICES),  # noqa: E731
                              people=rng.choice(PEOPLE), thing=rng.choice(THINGS), council=council,
                              pct=rng.randint(5, 80), money=rng.randint(1, 40) / 2, n=rng.randint(2, 12), tag=tag)
    sentences = [fill(rng.choice(OPENERS))] + [fill(m) for m in rng.sample(MIDDLES, rng.randint(1, 3))]
    sentences.append(fill(rng.choice(CLOSERS)))
    return " ".join(sentences)


def generate(folder: Path, passages: int, seed: int = 6) -> int:
    """Write text files holding `passages` paragraphs; returns the number of files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, passages, PASSAGES_PER_FILE):
        council = COUNCILS[files % len(COUNCILS)]
        lines = [f"{council} Council digital strategy {2024 + files % 5}, part {files + 1}", ""]
        for i in range(start, min(passages, start + PASSAGES_PER_FILE)):
            if (i - start) % 10 == 0:
                lines += [HEADINGS[((i - start) // 10) % len(HEADINGS)], ""]
            lines += [passage(rng, council, f"{files + 1}.{i - start + 1}"), ""]
        (folder / f"strategy-{files + 1:05d}.txt").write_text("\n".join(lines), encoding="utf-8")
        files += 1
    return files


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run_one(corpus: Path, engine: str) -> dict:
    """Ingest `corpus` into a fresh store in this process; figures as a dict."""
    from stratlens.classify import get_classifier
    from stratlens.pipeline import classifiable_frameworks
    from stratlens.store import Store

    t0 = time.perf_counter()
    frameworks = classifiable_frameworks()
    for fid in frameworks:  # load models and prototypes before the clock starts
        get_classifier(fid).scores(["warm up the encoders"], ["en"])
        get_classifier(fid).scores(["cynhesu'r amgodwyr"], ["cy"])
    load = time.perf_counter() - t0
    peak_after_load = _peak_mb()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scale.db"
        start = time.perf_counter()
        with Store(db) as store:
            if engine == "local":
                from stratlens.engines import local

                report = local.run(store, [corpus])
            else:
                from stratlens.engines import ray_engine
                from stratlens.engines.parquet import load_parquet

                ray_engine.run([corpus], Path(tmp) / "parquet", num_cpus=os.cpu_count())
                report = load_parquet(store, Path(tmp) / "parquet")
            wall = time.perf_counter() - start
            counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "passages", "labels")}
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("scale.db*")) / 1048576
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {"engine": engine, "files": len(report.outcomes), "failed": len(report.failed), **counts,
            "model_load_s": round(load, 1), "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "passages_per_s": round(counts["passages"] / wall, 1), "peak_rss_mb": round(_peak_mb()),
            "rss_after_model_load_mb": round(peak_after_load), "db_mb": round(db_mb)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000", help="Passage counts, comma-separated.")
    ap.add_argument("--engine", default="local", choices=["local", "ray"])
    ap.add_argument("--corpus-dir", type=Path, help="Keep generated corpora here (default: a temp folder).")
    ap.add_argument("--generate-only", type=Path, metavar="DIR", help="Write the corpus to DIR and stop.")
    ap.add_argument("--json", type=Path, help="Also write the figures to this file.")
    ap.add_argument("--_child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.generate_only:
        for n in sizes:
            files = generate(args.generate_only / f"{n}", n)
            print(f"{n} passages in {files} files -> {args.generate_only / str(n)}")
        return
    if args._child:  # one size in a fresh process: its peak memory is its own
        print(json.dumps(run_one(args._child, args.engine)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.corpus_dir or Path(tmp)
        for n in sizes:
            corpus = base / f"{n}"
            if not corpus.exists():
                generate(corpus, n)
            out = subprocess.run([sys.executable, __file__, "--engine", args.engine, "--_child", str(corpus)],
                                 capture_output=True, text=True, check=True)
            r = {"target_passages": n, **json.loads(out.stdout.strip().splitlines()[-1])}
            results.append(r)
            print(f"{n:>7} passages ({r['files']} files, {args.engine}): {r['wall_s']:.0f} s wall "
                  f"({r['passages_per_s']:.0f} passages/s, {r['cpu_s']:.0f} s CPU), peak RSS {r['peak_rss_mb']} MB "
                  f"(models {r['rss_after_model_load_mb']} MB), store {r['db_mb']} MB, {r['labels']:,} label rows; "
                  f"models loaded in {r['model_load_s']:.0f} s", flush=True)
    if len(results) >= 2:
        a, b = results[0], results[-1]
        k = b["passages"] / a["passages"]
        print(f"growth x{k:.0f} passages: wall x{b['wall_s'] / a['wall_s']:.1f}, "
              f"peak RSS x{b['peak_rss_mb'] / a['peak_rss_mb']:.2f} "
              f"(+{b['peak_rss_mb'] - a['peak_rss_mb']} MB)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
