"""Speed: ingest pages per second and classify passages per second.

Ingest is timed on the bundled example corpus (all formats) without classification; classify is
timed on its passages against the LGA framework with the shipped classifier, after a warm-up,
so model loading is not counted.

    python bench/speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.scorer import Classifier, shared_encoder  # noqa: E402
from stratlens.frameworks import LGA_ID, load_framework  # noqa: E402
from stratlens.ingest import iter_input_files, read_file  # noqa: E402
from stratlens.pipeline import ingest_paths  # noqa: E402
from stratlens.segment import segment  # noqa: E402
from stratlens.store import Store  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "src" / "stratlens" / "examples" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = list(iter_input_files([CORPUS]))
    pages = 0
    for f in files:
        result, _ = read_file(f)
        # non-paginated formats count as one page per 3,000 characters, the size of a printed page
        pages += result.pages or max(1, sum(len(b.text) for b in result.blocks) // 3000)
    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
            start = time.perf_counter()
            ingest_paths(store, [CORPUS], classify=False)
            times.append(time.perf_counter() - start)
    t = statistics.median(times)
    print(f"ingest (read + segment + store, no classification): {len(files)} files, {pages} pages, "
          f"median {t:.2f} s -> {pages / t:.1f} pages/s")

    passages = [p.text for f in files for p in segment(read_file(f)[0].blocks)]
    clf = Classifier(load_framework(LGA_ID))
    enc = shared_encoder("minilm")
    clf.predict(passages[:8])
    times = []
    for _ in range(args.repeat):
        enc._cache.clear()
        start = time.perf_counter()
        clf.scores(passages, ["en"] * len(passages))
        times.append(time.perf_counter() - start)
    t = statistics.median(times)
    words = sum(len(p.split()) for p in passages) / len(passages)
    print(f"classify (LGA, English path): {len(passages)} passages of {words:.0f} words on average, "
          f"median {t:.2f} s -> {len(passages) / t:.0f} passages/s")


if __name__ == "__main__":
    main()
