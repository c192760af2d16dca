"""Sentence embeddings for the analyses, through the classifier's shared, caching encoders.

English text goes to the package's MiniLM (`minilm-base`), not the classifier's tuned copy: the
tuning pulls passages of one theme together, which is right for labelling but would make any two
passages on a theme look like the same practice, and the thresholds here were set on the base
model. Welsh goes to the multilingual encoder the classifier also uses for Welsh, so a Welsh
sentence lands near the English action it matches. Comparisons across documents (similar
councils) use MiniLM for every document so that all vectors share one space.
"""

from __future__ import annotations

import hashlib

import numpy as np

from stratlens.classify.embed import cache_dir, vectors_id
from stratlens.classify.scorer import ENCODER_FOR_LANG, shared_encoder


#: The encoder for similarity between texts (not for labelling them).
BASE = "minilm-base"


def encoder_for(lang: str) -> str:
    name = ENCODER_FOR_LANG.get(lang, "minilm")
    return BASE if name == "minilm" else name


def embed(texts: list[str], encoder: str = BASE) -> np.ndarray:
    """L2-normalised rows, one per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return shared_encoder(encoder).encode(list(texts))


def mean_vector(texts: list[str], encoder: str = BASE) -> np.ndarray:
    E = embed(texts, encoder)
    if len(E) == 0:
        return np.zeros(384, dtype=np.float32)
    v = E.mean(axis=0)
    return v / max(float(np.linalg.norm(v)), 1e-9)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0 or nb == 0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def embed_fixed(texts: list[str], encoder: str = BASE) -> np.ndarray:
    """Embeddings of texts that never change between runs (the ladder's 108 actions), kept on disk
    beside the encoder's ONNX export so that a new process does not embed them again. The file
    name is a hash of the encoder and the texts: a changed framework makes a new file."""
    key = hashlib.sha256(("\x00".join([vectors_id(encoder), *texts])).encode("utf-8")).hexdigest()[:20]
    path = cache_dir() / f"fixed-{encoder}-{key}.npy"
    try:
        if path.exists():
            E = np.load(path, allow_pickle=False)
            if E.shape[0] == len(texts):
                return E
    except (OSError, ValueError):
        pass
    E = embed(texts, encoder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, E, allow_pickle=False)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache folder only costs time
    return E
