"""Does tuning MiniLM's top layers help, once the tuning cannot see the passages it is judged on?

The dev files are dealt into three folds of whole files. For each fold, the encoder is tuned
(classify/tune.py, the shipped settings) on the other two folds and the framework's sentences,
and a head with the shipped settings is fitted on the same passages twice: on the package's
vectors and on the tuned ones. Both score the held-out fold, and so does an exemplar memory
(classify/memory.py) of the other folds' passages in each space. The lexical head does not
depend on the encoder, so its scores are shared. The lexical and memory weights are swept
afterwards, and per-theme thresholds are chosen on the out-of-fold scores of the best mix: this
is where the shipped head's fixed settings come from (`--write` stores them in
`models/<framework>.tuned-settings.json`, which `stratlens train` reads), since cross-validation
after tuning on every dev passage would flatter the tuned vectors. The test split is never read.

    python bench/tune_value.py [--framework ID] [--folds 3] [--epochs 3] [--save F.npz] [--write]
    python bench/tune_value.py --scores F.npz [--write]     # the sweep again, without retuning

About 20 minutes for the LGA dev split on two cores (three tuning runs, four encodings with
PyTorch). Prints top-1 macro-F1 per fold and over all held-out passages for each mix.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.embed import _minilm_dir, mean_pool  # noqa: E402
from stratlens.classify.evaluate import metrics  # noqa: E402
from stratlens.classify.gold import default_gold_dir, gold_files, read_gold  # noqa: E402
from stratlens.classify.lexical import LexicalHead  # noqa: E402
from stratlens.classify.memory import ExemplarMemory  # noqa: E402
from stratlens.classify.scorer import Classifier, Head, blend_scores, theme_pieces  # noqa: E402
from stratlens.classify.train import (  # noqa: E402
    MEMORY_GRID, TUNED_SETTINGS, _best_thresholds, _fit, _fit_softmax, _targets, framework_examples,
    tuned_settings_path)
from stratlens.classify import memory, tune  # noqa: E402
from stratlens.frameworks import load_framework  # noqa: E402

#: Lexical weights: train.BLEND_GRID and 0.85, since the tuned head has leaned towards the top.
WEIGHTS = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 0.85)


def encode(model, tok, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Float PyTorch vectors (mean pooled, normalised), as the ONNX export computes them."""
    import torch

    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for start in range(0, len(order), 32):
            idx = order[start:start + 32]
            feats = tok([texts[i] for i in idx], truncation=True, max_length=256, padding=True, return_tensors="pt")
            out[idx] = mean_pool(model(**feats).last_hidden_state, feats["attention_mask"]).numpy()
    return out


#: The tuning target's primary share when scores files did not record it (stops 11 and 12).
SHARE_BEFORE_STOP_13 = 0.7


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", default="lga-digitalisation-outcomes")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--save", type=Path, help="write the out-of-fold scores and each fold's tuned vectors "
                    "to this .npz, for experiments on the head that need no retuning")
    ap.add_argument("--scores", type=Path, help="read them from such a file instead of tuning")
    ap.add_argument("--write", action="store_true", help="store the chosen settings and thresholds for "
                    "`stratlens train` (models/<framework>.tuned-settings.json)")
    args = ap.parse_args()
    fw = load_framework(args.framework)
    clf = Classifier(fw, use_heads=False)
    themes = fw.theme_ids
    dev = [(f.stem, it) for f in gold_files(default_gold_dir(), fw.id, "dev")
           for it in read_gold(f) if it.labels and it.lang != "cy"]
    names = sorted({g for g, _ in dev})
    if len(names) < args.folds:
        raise SystemExit(f"{fw.id}: {len(names)} dev files; need at least {args.folds}")
    fold_of = {g: i % args.folds for i, g in enumerate(names)}
    groups = np.array([fold_of[g] for g, _ in dev])
    items = [it for _, it in dev] + framework_examples(clf)
    texts = [it.text for it in items]
    n_dev = len(dev)
    Y = _targets(items, themes)
    primary = np.array([themes.index(it.labels[0]) for it in items])
    K, _ = clf.lexicon.features(texts)
    C, mix = TUNED_SETTINGS["C"], TUNED_SETTINGS["softmax"]
    # The lexical head's features and softmax share: the shipped head's (they do not depend on the encoder).
    loaded = Head.load(fw.id, "minilm")
    shipped = loaded.meta if loaded else {"lexical_features": "words+chars", "lexical_softmax_weight": 0.6}
    print(f"{fw.id}: {n_dev} dev passages in {len(names)} files, folds of "
          f"{[int((groups == k).sum()) for k in range(args.folds)]}; C {C}, softmax share {mix}", flush=True)
    gold = [it for _, it in dev]
    epochs, primary_share, tuned_layers = args.epochs, tune.PRIMARY_SHARE, tune.TUNED_LAYERS
    if args.scores:
        z = np.load(args.scores, allow_pickle=False)
        epochs = int(z["epochs"]) if "epochs" in z.files else epochs  # files saved before it was recorded
        primary_share = float(z["primary_share"]) if "primary_share" in z.files else SHARE_BEFORE_STOP_13
        tuned_layers = int(z["tuned_layers"]) if "tuned_layers" in z.files else tuned_layers
        if not np.array_equal(z["groups"], groups) or not np.array_equal(z["Y"], Y):
            raise SystemExit(f"{args.scores}: scores of other passages or folds than the dev split's now")
        P = {k: z[f"P_{k}"] for k in ("base", "tuned", "lexical")}
        vec_base, vec_tuned = z["vec_base"], z["vec_tuned"]
    else:
        P, vec_base, vec_tuned = out_of_fold(args, fw, clf, items, groups, Y, primary, K, C, mix, shipped)
        if args.save:
            np.savez_compressed(args.save, groups=groups, Y=Y, primary=primary, n_dev=n_dev, epochs=args.epochs,
                                primary_share=primary_share, tuned_layers=tuned_layers,
                                vec_base=vec_base, vec_tuned=vec_tuned,
                                **{f"P_{k}": v for k, v in P.items()})
    # The memory's vote in each space: held-out files against the other folds' dev passages.
    for name, vecs in (("base", [vec_base] * args.folds), ("tuned", list(vec_tuned))):
        P[f"memory_{name}"] = np.zeros_like(P["lexical"])
        for k in range(args.folds):  # each fold has its own tuned vectors
            held = np.where(groups == k)[0]
            P[f"memory_{name}"][held] = ExemplarMemory.out_of_fold(vecs[k][:n_dev], Y[:n_dev], primary[:n_dev],
                                                                   [held])[held]
    lexical_settings = {"lexical_features": shipped.get("lexical_features") or "words+chars",
                        "lexical_softmax_weight": float(shipped.get("lexical_softmax_weight") or 0.0)}
    sweep(args, fw, gold, groups, P, {**lexical_settings, "epochs": epochs, "primary_share": primary_share,
                                             "tuned_layers": tuned_layers})


def mixed(P: dict, name: str, w: float, v: float) -> np.ndarray:
    """The shipped head's mix (scorer.blend_scores, as Head.predict_proba): embedding, lexical, memory."""
    return blend_scores(P[name], P["lexical"], w, P[f"memory_{name}"], v)


def sweep(args: argparse.Namespace, fw, gold: list, groups: np.ndarray, P: dict,  # type: ignore[no-untyped-def]
          measured_with: dict) -> None:
    themes = fw.theme_ids

    def f1(Q: np.ndarray, rows: np.ndarray) -> float:
        return metrics(themes, [gold[i] for i in rows], Q[rows], Q[rows] >= 0.5)["top1"]["macro_f1"]

    every = np.arange(len(gold))
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    print("top-1 macro-F1 on held-out files by lexical weight (columns) and memory weight (rows); "
          "per fold for the best of each row")
    for name in ("base", "tuned"):
        for v in MEMORY_GRID:
            row = {w: f1(mixed(P, name, w, v), every) for w in WEIGHTS}
            w_best = max(row, key=lambda w: row[w])
            folds = " ".join(f"{f1(mixed(P, name, w_best, v), np.where(groups == k)[0]):.4f}"
                             for k in range(args.folds))
            print(f"  {name:>5} memory {v:.2f}  " + " ".join(f"{w:.2f}:{f:.4f}" for w, f in row.items())
                  + f"  | best {w_best:.2f}: folds {folds}", flush=True)
            if name == "tuned" and row[w_best] > best[0] + 1e-9:
                best = (row[w_best], w_best, v)
    score, w, v = best
    Q = mixed(P, "tuned", w, v)
    thresholds = _best_thresholds(Q, _targets(gold, themes))
    m = metrics(themes, gold, Q, Q >= thresholds[None, :])
    print(f"chosen for the tuned encoder: lexical weight {w}, memory weight {v}: top-1 macro-F1 {score:.4f}; "
          f"with per-theme thresholds chosen on these same scores, multi-label macro-F1 {m['macro']['f1']:.4f} "
          f"(0.5 everywhere: {metrics(themes, gold, Q, Q >= 0.5)['macro']['f1']:.4f})")
    if args.write:
        path = tuned_settings_path(fw.id)
        # The lexical head's features and softmax share are the ones these scores were made with.
        settings = {"C": TUNED_SETTINGS["C"], "softmax": TUNED_SETTINGS["softmax"], "blend": w, "memory": v,
                    **{k: measured_with[k] for k in ("lexical_features", "lexical_softmax_weight")},
                    "thresholds": {t: round(float(x), 2) for t, x in zip(themes, thresholds)},
                    "measured_by": "bench/tune_value.py", "folds": args.folds,
                    "tuning_epochs": measured_with["epochs"],
                    "tuning_primary_share": measured_with["primary_share"],
                    "tuned_layers": measured_with["tuned_layers"],
                    "memory_secondary_weight": memory.SECONDARY_WEIGHT,
                    "top1_macro_f1_out_of_fold": round(score, 4),
                    "macro_f1_thresholds_chosen_on_the_same_scores": round(m["macro"]["f1"], 4)}
        path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")


def out_of_fold(args, fw, clf, items, groups, Y, primary, K, C, mix, shipped):  # type: ignore[no-untyped-def]
    """Tune the encoder inside each fold: out-of-fold scores of the heads on the package's vectors,
    on the fold's tuned vectors and of the lexical head, and every fold's tuned vectors."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    themes = fw.theme_ids
    texts = [it.text for it in items]
    n_dev = len(groups)
    pieces = theme_pieces(fw)

    def head_scores(E: np.ndarray, protos: np.ndarray, train: np.ndarray, held: np.ndarray) -> np.ndarray:
        X = Classifier.stack(E, E @ protos.T, K)
        mu, sigma = X.mean(axis=0), X.std(axis=0) + 1e-6
        Xs = (X - mu) / sigma
        W, b = _fit(Xs[train], Y[train], C, np.ones(len(train)))
        Wm, bm = _fit_softmax(Xs[train], primary[train], len(themes), C)
        # Mixed as the shipped head mixes (Head.predict_proba); the lexical blend is swept later.
        head = Head(encoder="minilm", theme_ids=themes, W=W, b=b, mu=mu, sigma=sigma,
                    thresholds=np.full(len(themes), 0.5), meta={"softmax_weight": mix}, Wm=Wm, bm=bm)
        return head.predict_proba(X[held])

    def vectors(model, tok) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
        rows = []
        for p in pieces:
            c = encode(model, tok, p).mean(axis=0)
            rows.append(c / np.linalg.norm(c))
        return encode(model, tok, texts), np.stack(rows)

    tok = AutoTokenizer.from_pretrained(str(_minilm_dir()))
    base = vectors(AutoModel.from_pretrained(str(_minilm_dir())).eval(), tok)
    P = {k: np.zeros((n_dev, len(themes)), dtype=np.float32) for k in ("base", "tuned", "lexical")}
    fold_vectors: list[np.ndarray] = []
    for k in range(args.folds):
        held = np.where(groups == k)[0]
        train = np.setdiff1d(np.arange(len(items)), held)
        start = time.time()
        model = tune.tune_encoder([items[i] for i in train], themes, epochs=args.epochs, log=lambda *_: None)
        print(f"fold {k}: tuned on {len(train)} passages in {time.time() - start:.0f}s", flush=True)
        P["base"][held] = head_scores(*base, train, held)
        tuned = vectors(model, tok)
        fold_vectors.append(tuned[0])
        P["tuned"][held] = head_scores(*tuned, train, held)
        lex_rows = train[train < n_dev]  # the framework's sentences stay out of the lexical head, as in train.py
        lexical = LexicalHead.fit([texts[i] for i in lex_rows], Y[lex_rows], themes, "en",
                                  chars=shipped.get("lexical_features") == "words+chars",
                                  primary=primary[lex_rows],
                                  softmax_weight=float(shipped.get("lexical_softmax_weight") or 0.0))
        P["lexical"][held] = lexical.predict_proba([texts[i] for i in held])
        gold = [items[i] for i in held]
        for name in ("base", "tuned"):
            line = " ".join(f"{w:.2f}:{metrics(themes, gold, Q, Q >= 0.5)['top1']['macro_f1']:.4f}"
                            for w in WEIGHTS for Q in [(1 - w) * P[name][held] + w * P["lexical"][held]])
            print(f"  fold {k} {name:>5}  blend weight:top-1 macro-F1  {line}", flush=True)
    return P, base[0], np.stack(fold_vectors)


if __name__ == "__main__":
    main()
