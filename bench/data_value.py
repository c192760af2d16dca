"""Is a new labelled file worth adding? Leave-one-file-out cross-validation of the English head.

Each dev file in turn is held out and scored by a head trained on the other dev files, the
framework's own sentences, and (second run) the candidate files; the candidates are never scored.
Holding out whole files, not random fifths, asks the question that matters for new documents:
does the model carry over to a batch written at another time, in another voice? The settings
(C, softmax share, lexical features, lexical softmax share, blend weight) are read from the
shipped head's `meta`, so the two runs differ only in the data.

    python bench/data_value.py --add NEW.jsonl [NEW2.jsonl ...] [--framework ID]

Prints top-1 macro-F1 over all held-out dev passages without and with the candidates, and top-1
accuracy per held-out file. The test split is never read. For the framework whose dev passages
tuned the encoder (classify/tune.py), the package's untuned MiniLM is used, since the tuned one
has seen every held-out file; bench/tune_value.py measures the tuning itself. Needs at least two
dev files besides the candidates. About ten minutes for the LGA dev split on two cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.evaluate import metrics  # noqa: E402
from stratlens.classify.gold import GoldItem, default_gold_dir, gold_files, read_gold  # noqa: E402
from stratlens.classify.lexical import LexicalHead  # noqa: E402
from stratlens.classify.memory import ExemplarMemory  # noqa: E402
from stratlens.classify.scorer import Classifier, Head  # noqa: E402
from stratlens.classify.train import _fit, _fit_softmax, _targets, framework_examples  # noqa: E402
from stratlens.classify.tune import tuned_on  # noqa: E402
from stratlens.frameworks import load_framework  # noqa: E402


def held_out_scores(clf: Classifier, dev: list[tuple[str, GoldItem]], extra: list[GoldItem],
                    meta: dict) -> np.ndarray:
    """Scores of every dev passage from a head that did not see its file."""
    themes = clf.theme_ids
    frame = framework_examples(clf)
    items = [it for _, it in dev] + extra + frame
    # An encoder tuned on these dev files has seen every held-out file: judge on the package's.
    encoder = "minilm-base" if tuned_on(clf.framework.id) else "minilm"
    E, S, K, _ = clf.features([it.text for it in items], encoder)
    X = Classifier.stack(E, S, K)
    mu, sigma = X.mean(axis=0), X.std(axis=0) + 1e-6
    Xs = (X - mu) / sigma
    Y = _targets(items, themes)
    primary = np.array([themes.index(it.labels[0]) for it in items])
    lexical_rows = np.arange(len(dev) + len(extra))  # the framework's sentences stay out of the lexical head
    groups = np.array([g for g, _ in dev])
    C = float(meta["C"])
    chars = meta.get("lexical_features") == "words+chars"
    lex_soft = float(meta.get("lexical_softmax_weight") or 0.0)
    P = np.zeros((len(dev), len(themes)), dtype=np.float32)
    for group in sorted(set(groups)):
        held = np.where(groups == group)[0]
        train = np.setdiff1d(np.arange(len(items)), held)
        W, b = _fit(Xs[train], Y[train], C, np.ones(len(train)))
        Wm, bm = _fit_softmax(Xs[train], primary[train], len(themes), C) if meta.get("softmax_weight") else (None, None)
        lexical = None
        if meta.get("lexical_weight"):
            rows = np.setdiff1d(lexical_rows, held)
            lexical = LexicalHead.fit([items[i].text for i in rows], Y[rows], themes, "en", chars=chars,
                                      primary=primary[rows] if lex_soft > 0 else None, softmax_weight=lex_soft)
        # Its memory holds the fold's labelled passages, as the shipped one holds every dev passage.
        pool = np.setdiff1d(lexical_rows, held)
        memory = ExemplarMemory.build(E[pool], Y[pool], primary[pool]) if meta.get("memory_weight") else None
        # The fold's head blends exactly as the shipped one does (Head.predict_proba).
        head = Head(encoder="minilm", theme_ids=themes, W=W, b=b, mu=mu, sigma=sigma,
                    thresholds=np.full(len(themes), 0.5), meta=meta, lexical=lexical, Wm=Wm, bm=bm,
                    memory=memory)
        P[held] = head.predict_proba(X[held], [items[i].text for i in held])
        print(f"  held out {group}", file=sys.stderr, flush=True)
    return P


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", default="lga-digitalisation-outcomes")
    ap.add_argument("--add", nargs="+", type=Path, required=True, help="Candidate gold files.")
    args = ap.parse_args()
    fw = load_framework(args.framework)
    clf = Classifier(fw, use_heads=False)
    head = Head.load(fw.id, "minilm")
    if head is None:
        raise SystemExit(f"{fw.id}: no trained MiniLM head to read settings from; run `stratlens train` first")
    candidates = {p.resolve() for p in args.add}
    dev = [(f.stem, it) for f in gold_files(default_gold_dir(), fw.id, "dev") if f.resolve() not in candidates
           for it in read_gold(f) if it.labels and it.lang != "cy"]
    extra = []
    for path in args.add:
        for it in read_gold(path):
            if it.labels and it.lang != "cy":
                if it.labels[0] not in fw.theme_ids:
                    raise SystemExit(f"{path}: {it.id}: primary label {it.labels[0]!r} is not a theme of {fw.id}")
                extra.append(it)
    if len({g for g, _ in dev}) < 2:
        raise SystemExit(f"{fw.id}: leave-one-file-out needs at least two dev files besides the candidates")
    print(f"{fw.id}: {len(dev)} dev passages in {len({g for g, _ in dev})} files; candidates: {len(extra)}")
    gold = [it for _, it in dev]
    groups = np.array([g for g, _ in dev])
    primary = np.array([fw.theme_ids.index(it.labels[0]) for it in gold])
    results = {}
    for name, added in (("without", []), ("with", extra)):
        P = held_out_scores(clf, dev, added, head.meta)
        results[name] = P
        m = metrics(fw.theme_ids, gold, P, P >= 0.5)
        print(f"{name:>8} candidates: leave-one-file-out top-1 macro-F1 {m['top1']['macro_f1']:.3f}")
    print(f"{'file':<16} {'passages':>8} {'without':>8} {'with':>8}")
    for group in sorted(set(groups)):
        rows = groups == group
        acc = [float((results[k][rows].argmax(axis=1) == primary[rows]).mean()) for k in ("without", "with")]
        print(f"{group:<16} {int(rows.sum()):>8} {acc[0]:>8.3f} {acc[1]:>8.3f}")


if __name__ == "__main__":
    main()
