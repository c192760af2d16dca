"""Does tuning MiniLM's top layers help, once the tuning cannot see the passages it is judged on?

The dev files are dealt into three folds of whole files. For each fold, the encoder is tuned
(classify/tune.py, the shipped settings) on the other two folds and the framework's sentences,
and a head with the shipped settings is fitted on the same passages twice: on the package's
vectors and on the tuned ones. Both score the held-out fold. The lexical head does not depend on
the encoder, so its scores are shared, and the blend weight is swept afterwards: this is where
`train.TUNED_SETTINGS` comes from, since cross-validation after tuning on every dev passage
would flatter the tuned vectors. The test split is never read.

    python bench/tune_value.py [--framework ID] [--folds 3] [--epochs 2]

About 20 minutes for the LGA dev split on two cores (three tuning runs, four encodings with
PyTorch). Prints top-1 macro-F1 per fold and over all held-out passages, for blend weights 0-0.85.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.embed import _minilm_dir, mean_pool  # noqa: E402
from stratlens.classify.evaluate import metrics  # noqa: E402
from stratlens.classify.gold import default_gold_dir, gold_files, read_gold  # noqa: E402
from stratlens.classify.lexical import LexicalHead  # noqa: E402
from stratlens.classify.scorer import Classifier, Head, theme_pieces  # noqa: E402
from stratlens.classify.train import TUNED_SETTINGS, _fit, _fit_softmax, _targets, framework_examples  # noqa: E402
from stratlens.classify.tune import tune_encoder  # noqa: E402
from stratlens.frameworks import load_framework  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", default="lga-digitalisation-outcomes")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    args = ap.parse_args()
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

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
    pieces = theme_pieces(fw)
    C, mix = TUNED_SETTINGS["C"][0], TUNED_SETTINGS["softmax"][0]
    # The lexical head's features and softmax share: the shipped head's (they do not depend on the encoder).
    loaded = Head.load(fw.id, "minilm")
    shipped = loaded.meta if loaded else {"lexical_features": "words+chars", "lexical_softmax_weight": 0.6}
    print(f"{fw.id}: {n_dev} dev passages in {len(names)} files, folds of "
          f"{[int((groups == k).sum()) for k in range(args.folds)]}; C {C}, softmax share {mix}", flush=True)

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
    for k in range(args.folds):
        held = np.where(groups == k)[0]
        train = np.setdiff1d(np.arange(len(items)), held)
        start = time.time()
        model = tune_encoder([items[i] for i in train], themes, epochs=args.epochs, log=lambda *_: None)
        print(f"fold {k}: tuned on {len(train)} passages in {time.time() - start:.0f}s", flush=True)
        P["base"][held] = head_scores(*base, train, held)
        P["tuned"][held] = head_scores(*vectors(model, tok), train, held)
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
    gold = [it for _, it in dev]
    print("all held-out passages, top-1 macro-F1 by blend weight")
    for name in ("base", "tuned"):
        line = " ".join(f"{w:.2f}:{metrics(themes, gold, Q, Q >= 0.5)['top1']['macro_f1']:.4f}"
                        for w in WEIGHTS for Q in [(1 - w) * P[name] + w * P["lexical"]])
        print(f"  {name:>5}  {line}")


if __name__ == "__main__":
    main()
