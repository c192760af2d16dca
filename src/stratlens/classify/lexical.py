"""A lexical head: TF-IDF of words and word pairs (and optionally character n-grams) with one
logistic regression per theme.

It complements the embedding head. Sentence embeddings capture what a passage is about in
general terms but blur the specific vocabulary that separates neighbouring outcomes (a DPIA is
data, an ethics panel is ethics); word features keep it. For Welsh the lexical head matters more:
the multilingual encoder places Welsh passages less precisely than English ones, while the
vocabulary of council Welsh is consistent. Character n-grams within words (`chars=True`) also
match inflections and compounds the word features split apart ("cyber-attack", "broadband's").
As in the embedding head, a softmax regression of the primary label can be mixed with the
per-theme regressions (`softmax_weight`): the per-theme models score each theme alone, the softmax
learns which of two plausible themes a passage is mainly about.
Stored as plain arrays (vocabulary, idf, weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

STOP_WORDS = {"en": "english", "cy": None}


#: Character n-grams are kept apart from words in the stored vocabulary by this prefix; word
#: features are runs of letters and digits (with one space in a pair), so none can start with "#".
CHAR_PREFIX = "#c:"

#: Regularisation of the lexical softmax. Set at stop 10 on leave-one-file-out cross-validation of
#: the LGA dev split (C 3, 10 and 30 tried; 30 was best, blended top-1 macro-F1 0.840 -> 0.848).
SOFTMAX_C = 30.0


def _vectorizer(lang: str, vocabulary: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    # min_df=2: a word or pair seen in one passage only cannot generalise, and dropping them roughly
    # halves the stored vocabulary. Measured on leave-one-file-out cross-validation of the LGA dev
    # split at stop 10: blended top-1 macro-F1 0.845 with them, 0.844-0.845 without.
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, stop_words=STOP_WORDS.get(lang),
                           vocabulary=vocabulary, dtype=np.float32)


def _char_vectorizer(vocabulary: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    # min_df=2 (ignored when a stored vocabulary is given): an n-gram seen in one passage only is
    # noise, and keeping them all would make the stored vocabulary several times larger.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                           vocabulary=vocabulary, dtype=np.float32)


@dataclass
class LexicalHead:
    lang: str
    theme_ids: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Wm: np.ndarray | None = None  # softmax of the primary label (themes x features), if fitted
    bm: np.ndarray | None = None
    softmax_weight: float = 0.0

    def __post_init__(self) -> None:
        self._vecs: list | None = None

    @classmethod
    def fit(cls, texts: list[str], Y: np.ndarray, theme_ids: list[str], lang: str, C: float = 10.0,
            *, chars: bool = False, primary: np.ndarray | None = None,
            softmax_weight: float = 0.0) -> "LexicalHead":
        """Fit the per-theme regressions, and the softmax too when `primary` (index of each
        passage's primary theme) is given; `softmax_weight` is the share the softmax gets."""
        from scipy.sparse import hstack
        from sklearn.linear_model import LogisticRegression

        vecs = [_vectorizer(lang)] + ([_char_vectorizer()] if chars else [])
        X = hstack([v.fit_transform(texts) for v in vecs]).tocsr()
        W = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
        b = np.full(Y.shape[1], -10.0, dtype=np.float32)
        for j in range(Y.shape[1]):
            if Y[:, j].sum() == 0:
                continue
            clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(X, Y[:, j])
            W[j], b[j] = clf.coef_[0], clf.intercept_[0]
        vocab = sorted(vecs[0].vocabulary_, key=vecs[0].vocabulary_.get)
        if chars:
            vocab += [CHAR_PREFIX + g for g in sorted(vecs[1].vocabulary_, key=vecs[1].vocabulary_.get)]
        idf = np.concatenate([v.idf_ for v in vecs]).astype(np.float32)
        Wm = bm = None
        known = primary >= 0 if primary is not None else None
        if primary is not None and len(np.unique(primary[known])) > 1:
            Wm = np.zeros_like(W)
            bm = np.full(Y.shape[1], -30.0, dtype=np.float32)
            soft = LogisticRegression(C=SOFTMAX_C, max_iter=3000).fit(X[known], primary[known])
            Wm[soft.classes_], bm[soft.classes_] = soft.coef_, soft.intercept_
        return cls(lang, theme_ids, vocab, idf, W, b, Wm, bm, softmax_weight if Wm is not None else 0.0)

    def _transform(self, texts: list[str]):  # type: ignore[no-untyped-def]
        from scipy.sparse import hstack

        if self._vecs is None:
            words = [w for w in self.vocabulary if not w.startswith(CHAR_PREFIX)]
            grams = [w[len(CHAR_PREFIX):] for w in self.vocabulary if w.startswith(CHAR_PREFIX)]
            vec = _vectorizer(self.lang, {w: i for i, w in enumerate(words)})
            vec.idf_ = self.idf[: len(words)]
            self._vecs = [vec]
            if grams:
                cvec = _char_vectorizer({g: i for i, g in enumerate(grams)})
                cvec.idf_ = self.idf[len(words):]
                self._vecs.append(cvec)
        return hstack([v.transform(texts) for v in self._vecs]).tocsr()

    def predict_parts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """Per-theme probabilities, and the softmax's distribution over themes if it was fitted."""
        X = self._transform(texts)
        P = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(X @ self.W.T) + self.b, -30, 30)))
        if self.Wm is None or self.bm is None:
            return P, None
        Z = np.asarray(X @ self.Wm.T) + self.bm
        Z = np.exp(Z - Z.max(axis=1, keepdims=True))
        return P, Z / Z.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        P, S = self.predict_parts(texts)
        if S is None or self.softmax_weight <= 0:
            return P
        return (1 - self.softmax_weight) * P + self.softmax_weight * S

    @staticmethod
    def path_for(models_dir: Path, framework_id: str, lang: str) -> Path:
        return models_dir / f"{framework_id}.lexical-{lang}.npz"

    def save(self, models_dir: Path, framework_id: str) -> Path:
        path = self.path_for(models_dir, framework_id, self.lang)
        arrays = dict(lang=np.array(self.lang), theme_ids=np.array(self.theme_ids),
                      vocabulary=np.array(self.vocabulary), idf=self.idf, W=self.W.astype(np.float16), b=self.b)
        if self.Wm is not None and self.bm is not None and self.softmax_weight > 0:
            arrays.update(Wm=self.Wm.astype(np.float16), bm=self.bm, softmax_weight=np.array(self.softmax_weight))
        np.savez_compressed(path, **arrays)
        return path

    @classmethod
    def load(cls, models_dir: Path, framework_id: str, lang: str) -> "LexicalHead | None":
        path = cls.path_for(models_dir, framework_id, lang)
        if not path.exists():
            return None
        z = np.load(path, allow_pickle=False)
        soft = "Wm" in z.files
        return cls(str(z["lang"]), [str(t) for t in z["theme_ids"]], [str(w) for w in z["vocabulary"]],
                   z["idf"], z["W"].astype(np.float32), z["b"],
                   z["Wm"].astype(np.float32) if soft else None, z["bm"] if soft else None,
                   float(z["softmax_weight"]) if soft else 0.0)
