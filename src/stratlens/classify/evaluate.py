"""Evaluation against gold passages: per-theme precision/recall/F1, top-1, confusions, calibration.

Two views are reported because they answer different questions. Multi-label figures compare the
`assigned` set with all gold labels: how good is the coverage table? Top-1 figures compare the
highest-scoring theme with the gold primary label: how well does the ranking find the main
subject? All computation is deterministic for a given model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from stratlens.classify.gold import GoldItem
from stratlens.classify.scorer import Classifier


@dataclass
class ThemeScore:
    theme: str
    precision: float
    recall: float
    f1: float
    support: int


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(classifier: Classifier, items: list[GoldItem], *, langs: list[str] | None = None) -> dict:
    themes = classifier.theme_ids
    texts = [it.text for it in items]
    scores, assigned, _, _ = classifier.scores(texts, langs or [it.lang for it in items])
    return metrics(themes, items, scores, assigned)


def metrics(themes: list[str], items: list[GoldItem], scores: np.ndarray, assigned: np.ndarray) -> dict:
    index = {t: i for i, t in enumerate(themes)}
    n, k = scores.shape
    gold = np.zeros((n, k), dtype=bool)
    for i, it in enumerate(items):
        for lab in it.labels:
            if lab in index:
                gold[i, index[lab]] = True

    per_theme: list[ThemeScore] = []
    for j, t in enumerate(themes):
        tp = int((assigned[:, j] & gold[:, j]).sum())
        fp = int((assigned[:, j] & ~gold[:, j]).sum())
        fn = int((~assigned[:, j] & gold[:, j]).sum())
        p, r, f = _prf(tp, fp, fn)
        per_theme.append(ThemeScore(t, p, r, f, int(gold[:, j].sum())))
    supported = [s for s in per_theme if s.support > 0]
    tp = int((assigned & gold).sum())
    fp = int((assigned & ~gold).sum())
    fn = int((~assigned & gold).sum())
    micro = _prf(tp, fp, fn)

    # Top-1: the best-scoring theme against the primary (first) gold label.
    has_primary = [i for i, it in enumerate(items) if it.primary in index]
    top = np.argmax(scores, axis=1)
    pred1 = [themes[top[i]] for i in has_primary]
    true1 = [items[i].primary for i in has_primary]
    top1_themes: list[ThemeScore] = []
    for t in themes:
        tp1 = sum(1 for a, b in zip(pred1, true1) if a == t and b == t)
        fp1 = sum(1 for a, b in zip(pred1, true1) if a == t and b != t)
        fn1 = sum(1 for a, b in zip(pred1, true1) if a != t and b == t)
        p, r, f = _prf(tp1, fp1, fn1)
        top1_themes.append(ThemeScore(t, p, r, f, sum(1 for b in true1 if b == t)))
    top1_supported = [s for s in top1_themes if s.support > 0]
    accuracy = sum(a == b for a, b in zip(pred1, true1)) / len(true1) if true1 else 0.0
    # "any gold label ranked first" is the lenient view for multi-label passages
    lenient = sum(1 for i in has_primary if gold[i, top[i]]) / len(has_primary) if has_primary else 0.0

    confusions = Counter((b, a) for a, b in zip(pred1, true1) if a != b)

    bins = np.linspace(0, 1, 11)
    flat_s, flat_g = scores.ravel(), gold.ravel()
    calibration = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        mask = (flat_s >= lo) & ((flat_s < hi) if hi < 1 else (flat_s <= hi))
        count = int(mask.sum())
        calibration.append({
            "bin": f"{lo:.1f}-{hi:.1f}", "count": count,
            "mean_score": round(float(flat_s[mask].mean()), 3) if count else None,
            "positive_rate": round(float(flat_g[mask].mean()), 3) if count else None,
        })

    def avg(rows: list[ThemeScore], attr: str) -> float:
        return float(np.mean([getattr(r, attr) for r in rows])) if rows else 0.0

    def weighted(rows: list[ThemeScore]) -> float:
        total = sum(r.support for r in rows)
        return sum(r.f1 * r.support for r in rows) / total if total else 0.0

    return {
        "passages": n,
        "themes": [s.__dict__ for s in per_theme],
        "macro": {"precision": avg(supported, "precision"), "recall": avg(supported, "recall"),
                  "f1": avg(supported, "f1")},
        "micro": {"precision": micro[0], "recall": micro[1], "f1": micro[2]},
        "top1": {
            "accuracy": accuracy,
            "lenient_accuracy": lenient,
            "macro_f1": avg(top1_supported, "f1"),
            "weighted_f1": weighted(top1_supported),
            "themes": [s.__dict__ for s in top1_themes],
        },
        "confused_pairs": [{"gold": g, "predicted": p, "count": c}
                           for (g, p), c in sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        "calibration": calibration,
    }
