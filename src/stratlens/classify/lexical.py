"""A lexical head: TF-IDF of words and word pairs (and optionally character n-grams) with one
logistic regression per theme.

It complements the embedding head. Sentence embeddings capture what a passage is about in
general terms but blur the specific vocabulary that separates neighbouring outcomes (a DPIA is
data, an ethics panel is ethics); word features keep it. For Welsh the lexical head matters more:
the multilingual encoder places Welsh passages less precisely than English ones, while the
vocabulary of council Welsh is consistent. Character n-grams within words (`chars=True`) also
match inflections and compounds the word features split apart ("cyber-attack", "broadband's").
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


def _vectorizer(lang: str, vocabulary: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, stop_words=STOP_WORDS.get(lang),
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

    def __post_init__(self) -> None:
        self._vecs: list | None = None

    @classmethod
    def fit(cls, texts: list[str], Y: np.ndarray, theme_ids: list[str], lang: str, C: float = 10.0,
            *, chars: bool = False) -> "LexicalHead":
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
        return cls(lang, theme_ids, vocab, idf, W, b)

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
