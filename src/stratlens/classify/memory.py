"""Exemplar memory: the labelled passages a head was trained on, voted on by nearest neighbours.

A linear head draws one boundary per theme; passages that name none of a theme's usual words
often still sit next to a labelled passage that says the same thing in other words. The memory
keeps every labelled passage's vector and labels, and scores a new passage by the labels of its
nearest labelled passages (a softmax over their cosine similarities). The head mixes this vote
into its own scores with a weight chosen on held-out data (`meta["memory_weight"]`).

On the LGA dev split, with the encoder tuned inside each of three folds of whole files
(`bench/tune_value.py`), the vote alone scored top-1 macro-F1 0.877 against 0.863 for the
embedding head alone at stop 12, and mixing it in at 0.3 raised the shipped blend by about 0.01
in every fold; at stop 13 (primary-weighted votes, encoder re-tuned on three layers) 0.900
against 0.877, mixed in at 0.4.
A side effect analysts see: a reviewed passage (`stratlens review`, then `stratlens train`)
counts as a neighbour at once, with its own labels.

A neighbour votes for what it is mainly about: its primary label counts 1 and any secondary
label SECONDARY_WEIGHT. Top-1 asks for the main subject, and a neighbour that only mentions a
theme in passing should not pull a passage towards it (stop 13: top-1 macro-F1 on held-out files
+0.003 to +0.005, see SECONDARY_WEIGHT).

Vectors are stored as 8-bit integers with one scale per passage (cosines change by about 1e-3),
so the LGA memory of 8,000 passages takes about 3 MB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: Neighbours that vote, and the sharpness of the vote (a softmax over cosine x TEMPERATURE).
#: Measured on the LGA dev folds: 10 or 20 neighbours at 20 gave the same figures; 50 neighbours
#: or a temperature of 10 did slightly worse. At stop 13 (three tuned layers), 20 and 40 neighbours
#: were 0.002 and 0.004 below 10.
NEIGHBOURS = 10
TEMPERATURE = 20.0
#: Weight of a neighbour's secondary labels in the vote (its primary label counts 1). Measured on
#: the LGA dev folds at stop 13 (bench/tune_value.py scores; lexical and memory weights re-chosen
#: for each value), top-1 macro-F1 on held-out files:
#:   stop 12's encoder: 1.0 (every label alike) 0.8974, 0.5 0.8993, 0.3 0.9008, 0.0 0.9014;
#:   stop 13's encoder (tuned on primary labels only): 1.0 0.9037, 0.3 0.9083, 0.0 0.9092;
#:   the same on three tuned layers (shipped): 1.0 0.9088, 0.3 0.9140.
#: 0.3 rather than 0: within 0.001 on top-1, and the secondary labels still reach the
#: multi-label scores (multi-label macro-F1 0.913 at 0.3, 0.912 at 0).
SECONDARY_WEIGHT = 0.3

#: How labels are stored: 2 for a passage's primary label, 1 for a secondary one, 0 otherwise.
PRIMARY, SECONDARY = 2, 1


def label_codes(labels: np.ndarray, primary: np.ndarray | None) -> np.ndarray:
    """The stored label matrix from a label matrix (non-zero = labelled) and each row's primary
    theme index. Where the primary is unknown (None, -1, or a theme the row is not labelled
    with), every label of the row counts as primary, as all labels did before stop 13."""
    present = np.asarray(labels) > 0
    codes = present.astype(np.uint8) * SECONDARY
    if primary is None:
        return codes * PRIMARY
    primary = np.asarray(primary, dtype=np.int64)
    rows = np.arange(len(codes))
    known = (primary >= 0) & (primary < codes.shape[1])
    known[known] = present[rows[known], primary[known]]
    codes[~known] *= PRIMARY
    codes[rows[known], primary[known]] = PRIMARY
    return codes


@dataclass(eq=False)  # arrays inside: identity, not element-wise comparison
class ExemplarMemory:
    """Labelled passages' vectors (8-bit, scaled per row) and their labels (see label_codes)."""

    codes: np.ndarray  # (n, dim) int8
    scales: np.ndarray  # (n,) float32: vector = codes * scale
    labels: np.ndarray  # (n, themes) uint8: PRIMARY, SECONDARY or 0
    k: int = NEIGHBOURS
    temperature: float = TEMPERATURE
    secondary_weight: float = SECONDARY_WEIGHT
    _dense: np.ndarray | None = field(default=None, init=False, repr=False)

    @classmethod
    def build(cls, vectors: np.ndarray, labels: np.ndarray, primary: np.ndarray | None,
              secondary_weight: float = SECONDARY_WEIGHT) -> "ExemplarMemory":
        """From normalised vectors, a 0/1 label matrix and each passage's primary theme index
        (None, or -1 in a row, when the order of the labels is not known)."""
        peak = np.abs(vectors).max(axis=1) + 1e-12
        codes = np.round(vectors / peak[:, None] * 127).astype(np.int8)
        return cls(codes=codes, scales=(peak / 127).astype(np.float32), labels=label_codes(labels, primary),
                   secondary_weight=secondary_weight)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    @property
    def dim(self) -> int:
        return int(self.codes.shape[1])

    def predict_proba(self, vectors: np.ndarray) -> np.ndarray:
        """(m, themes) vote of each passage's nearest labelled passages, each row in [0, 1]."""
        out = np.zeros((len(vectors), self.labels.shape[1]), dtype=np.float32)
        if len(self) == 0 or len(vectors) == 0:
            return out
        if self._dense is None:  # decoded once: classifying runs batch after batch
            self._dense = self.codes.astype(np.float32) * self.scales[:, None]
        # Each label's vote (small: passages x themes), made here so a changed weight counts at once.
        votes = ((self.labels == PRIMARY) + self.secondary_weight * (self.labels == SECONDARY)).astype(np.float32)
        k = min(self.k, len(self))
        for start in range(0, len(vectors), 256):  # bounds the (batch, memory) similarity matrix
            block = np.asarray(vectors[start:start + 256], dtype=np.float32)
            S = block @ self._dense.T
            top = np.argpartition(-S, k - 1, axis=1)[:, :k]
            sims = np.take_along_axis(S, top, axis=1)
            w = np.exp((sims - sims.max(axis=1, keepdims=True)) * self.temperature)
            w /= w.sum(axis=1, keepdims=True)
            out[start:start + len(block)] = np.einsum("ij,ijk->ik", w, votes[top])
        return out

    @classmethod
    def out_of_fold(cls, vectors: np.ndarray, labels: np.ndarray, primary: np.ndarray | None,
                    folds: list[np.ndarray]) -> np.ndarray:
        """Each fold's vote from a memory of the passages outside it (for choosing the weight)."""
        out = np.zeros(labels.shape, dtype=np.float32)
        every = np.arange(len(vectors))
        for held in folds:
            pool = np.setdiff1d(every, held)
            out[held] = cls.build(vectors[pool], labels[pool], None if primary is None else primary[pool]
                                  ).predict_proba(vectors[held])
        return out

    # -- storage ---------------------------------------------------------------------------
    @staticmethod
    def path_for(models_dir: Path, framework_id: str, encoder: str) -> Path:
        return models_dir / f"{framework_id}.{encoder}.memory.npz"

    def save(self, models_dir: Path, framework_id: str, encoder: str) -> Path:
        path = self.path_for(models_dir, framework_id, encoder)
        np.savez_compressed(path, codes=self.codes, scales=self.scales, labels=self.labels,
                            settings=np.array([self.k, self.temperature, self.secondary_weight], dtype=np.float64))
        return path

    @classmethod
    def load(cls, models_dir: Path, framework_id: str, encoder: str) -> "ExemplarMemory | None":
        path = cls.path_for(models_dir, framework_id, encoder)
        if not path.exists():
            return None
        z = np.load(path, allow_pickle=False)
        settings = [float(x) for x in z["settings"]]
        labels = z["labels"]
        if len(settings) == 2:  # stored before stop 13: 0/1 labels, every label voting alike
            settings.append(1.0)
            labels = labels * PRIMARY
        # Rounded: files from before stop 13's review stored the settings as float32 (0.3 -> 0.30000001).
        k, temperature, secondary_weight = (round(x, 6) for x in settings)
        return cls(codes=z["codes"], scales=z["scales"], labels=labels, k=int(k), temperature=temperature,
                   secondary_weight=secondary_weight)
