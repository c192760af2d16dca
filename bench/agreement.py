"""Inter-coder agreement on the LGA test split, and the classifier measured against each coder.

A second coder labelled every test passage blind (framework file and docs/labelling.md only, no
model output, passages shuffled; `data/gold/<framework>/second-coder/test.jsonl`). Agreement
between the two coders is the ceiling a classifier can be expected to reach on this split; the
classifier scored against each coder, and on the passages where both agree, shows how much of
its error is disagreement about hard passages and how much is the model.

    python bench/agreement.py [--framework lga-digitalisation-outcomes]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.gold import default_gold_dir, gold_files, read_gold  # noqa: E402
from stratlens.classify.scorer import Classifier  # noqa: E402
from stratlens.frameworks import load_framework  # noqa: E402


def macro_f1(gold: list[str], pred: list[str], themes: list[str]) -> float:
    """Top-1 macro-F1 over all the framework's themes, as `stratlens evaluate` counts it."""
    return float(f1_score(gold, pred, labels=themes, average="macro", zero_division=0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", default="lga-digitalisation-outcomes")
    args = ap.parse_args()
    fw = load_framework(args.framework)
    themes = fw.theme_ids
    folder = default_gold_dir()
    items = {it.id: it for f in gold_files(folder, fw.id, "test") if "welsh" not in f.name
             for it in read_gold(f) if it.labels}
    second_path = folder / fw.id / "second-coder" / "test.jsonl"
    second = {r["id"]: r for r in map(json.loads, second_path.read_text(encoding="utf-8").splitlines())}
    ids = [i for i in items if i in second]
    a = [items[i].labels[0] for i in ids]
    b = [second[i]["labels"][0] for i in ids]
    print(f"{fw.id}: {len(ids)} test passages labelled by both coders")
    print(f"coder B vs coder A (primary label): agreement {np.mean([x == y for x, y in zip(a, b)]):.3f}, "
          f"Cohen's kappa {cohen_kappa_score(a, b):.3f}, top-1 macro-F1 {macro_f1(a, b, themes):.3f}")
    print(f"coder B's primary among coder A's labels: {np.mean([y in items[i].labels for i, y in zip(ids, b)]):.3f}")
    sure = [k for k, i in enumerate(ids) if second[i].get("confidence") == "sure"]
    print(f"coder B sure on {len(sure)}; agreement there {np.mean([a[k] == b[k] for k in sure]):.3f}")
    clf = Classifier(fw)
    scores, _, _, _ = clf.scores([items[i].text for i in ids], [items[i].lang for i in ids])
    pred = [themes[int(np.argmax(row))] for row in scores]
    print(f"classifier ({clf.model_name}) vs coder A: top-1 macro-F1 {macro_f1(a, pred, themes):.3f}, "
          f"accuracy {np.mean([x == y for x, y in zip(a, pred)]):.3f}")
    print(f"classifier vs coder B: top-1 macro-F1 {macro_f1(b, pred, themes):.3f}, "
          f"accuracy {np.mean([x == y for x, y in zip(b, pred)]):.3f}")
    agreed = [k for k in range(len(ids)) if a[k] == b[k]]
    print(f"classifier on the {len(agreed)} passages where the coders agree: top-1 macro-F1 "
          f"{macro_f1([a[k] for k in agreed], [pred[k] for k in agreed], themes):.3f}, accuracy "
          f"{np.mean([a[k] == pred[k] for k in agreed]):.3f}")
    pairs = Counter((x, y) for x, y in zip(a, b) if x != y).most_common(6)
    print("coders' most frequent disagreements (A -> B): " + "; ".join(f"{x} -> {y} ({n})" for (x, y), n in pairs))


if __name__ == "__main__":
    main()
