"""A lexical head: TF-IDF of words and word pairs with one logistic regression per theme.

It complements the embedding head. Sentence embeddings capture what a passage is about in
general terms but blur the specific vocabulary that separates neighbouring outcomes (a DPIA is
data, an ethics panel is ethics); word features keep it. For Welsh the lexical head matters more:
the multilingual encoder places Welsh passages less precisely than English ones, while the
vocabulary of council Welsh is consistent. Stored as plain arrays (vocabulary, idf, weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

STOP_WORDS = {"en": "english", "cy": None}


def _vectorizer(lang: str, vocabulary: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, stop_words=STOP_WORDS.get(lang),
                           vocabulary=vocabulary, dtype=np.float32)


@dataclass
class LexicalHead:
    lang: str
    theme_ids: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    W: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        self._vec = None

    @classmethod
    def fit(cls, texts: list[str], Y: np.ndarray, theme_ids: list[str], lang: str, C: float = 10.0) -> "LexicalHead":
        from sklearn.linear_model import LogisticRegression

        vec = _vectorizer(lang)
        X = vec.fit_transform(texts)
        W = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
        b = np.full(Y.shape[1], -10.0, dtype=np.float32)
        for j in range(Y.shape[1]):
            if Y[:, j].sum() == 0:
                continue
            clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(X, Y[:, j])
            W[j], b[j] = clf.coef_[0], clf.intercept_[0]
        vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        return cls(lang, theme_ids, vocab, vec.idf_.astype(np.float32), W, b)

    def _transform(self, texts: list[str]):  # type: ignore[no-untyped-def]
        if self._vec is None:
            vec = _vectorizer(self.lang, {w: i for i, w in enumerate(self.vocabulary)})
            vec.idf_ = self.idf
            self._vec = vec
        return self._vec.transform(texts)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        Z = np.asarray(self._transform(texts) @ self.W.T) + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(Z, -30, 30)))

    @staticmethod
    def path_for(models_dir: Path, framework_id: str, lang: str) -> Path:
        return models_dir / f"{framework_id}.lexical-{lang}.npz"

    def save(self, models_dir: Path, framework_id: str) -> Path:
        path = self.path_for(models_dir, framework_id, self.lang)
        np.savez_compressed(path, lang=np.array(self.lang), theme_ids=np.array(self.theme_ids),
                            vocabulary=np.array(self.vocabulary), idf=self.idf, W=self.W.astype(np.float16), b=self.b)
        return path

    @classmethod
    def load(cls, models_dir: Path, framework_id: str, lang: str) -> "LexicalHead | None":
        path = cls.path_for(models_dir, framework_id, lang)
        if not path.exists():
            return None
        z = np.load(path, allow_pickle=False)
        return cls(str(z["lang"]), [str(t) for t in z["theme_ids"]], [str(w) for w in z["vocabulary"]],
                   z["idf"], z["W"].astype(np.float32), z["b"])
