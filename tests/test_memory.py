"""The exemplar memory: nearest labelled passages vote, stored compactly, mixed into the head."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stratlens.classify import scorer
from stratlens.classify.gold import GoldItem
from stratlens.classify.memory import ExemplarMemory
from stratlens.classify.scorer import Classifier, Head
from stratlens.classify.train import MEMORY_GRID, train_head, tuned_settings, tuned_settings_path
from stratlens.frameworks import LGA_ID, load_framework


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture()
def stored() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    vectors = unit(rng.normal(size=(60, 32)).astype(np.float32))
    labels = np.zeros((60, 3), dtype=np.uint8)
    labels[np.arange(60), np.arange(60) % 3] = 1
    labels[5, 2] = 1  # one passage with a second label
    return vectors, labels


def test_a_stored_passage_gets_its_own_labels_first(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels)
    votes = memory.predict_proba(vectors)
    assert votes.shape == labels.shape
    assert ((votes >= 0) & (votes <= 1 + 1e-6)).all()
    # Random 32-dimension vectors are far apart, so each passage's own row dominates its vote.
    assert (votes.argmax(axis=1) == labels.argmax(axis=1)).all()
    assert votes[5, 0] < 0.5 and votes[5, 2] > 0.5  # both labels of a multi-label passage count


def test_the_vote_follows_the_nearest_neighbours(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels)
    # A passage between two stored ones of theme 1 and far from the rest.
    ones = np.where(labels[:, 1] == 1)[0][:2]
    query = unit(vectors[ones].sum(axis=0, keepdims=True))
    assert memory.predict_proba(query)[0].argmax() == 1


def test_eight_bit_storage_keeps_the_cosines(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels)
    restored = memory.codes.astype(np.float32) * memory.scales[:, None]
    assert np.abs(restored @ vectors.T - vectors @ vectors.T).max() < 0.01
    assert memory.codes.dtype == np.int8


def test_round_trip_and_small_memories(stored, tmp_path: Path) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors[:4], labels[:4])  # fewer passages than neighbours
    memory.save(tmp_path, "fw", "minilm")
    again = ExemplarMemory.load(tmp_path, "fw", "minilm")
    assert again is not None and len(again) == 4 and again.k == memory.k
    np.testing.assert_allclose(again.predict_proba(vectors[:7]), memory.predict_proba(vectors[:7]))
    assert again.predict_proba(vectors[:0]).shape == (0, 3)
    assert ExemplarMemory.load(tmp_path, "other", "minilm") is None


def test_the_head_mixes_the_memory_in_with_its_weight(stored, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    vectors, labels = stored
    dim, k = vectors.shape[1], labels.shape[1]
    X = np.hstack([vectors, np.zeros((len(vectors), 2 * k), dtype=np.float32)])  # [embedding, sims, keywords]
    head = Head(encoder="minilm", theme_ids=["a", "b", "c"], W=np.zeros((k, X.shape[1]), np.float32),
                b=np.zeros(k, np.float32), mu=np.zeros(X.shape[1], np.float32),
                sigma=np.ones(X.shape[1], np.float32), thresholds=np.full(k, 0.5, np.float32),
                meta={"memory_weight": 0.4}, memory=ExemplarMemory.build(vectors, labels))
    votes = head.memory.predict_proba(vectors)
    np.testing.assert_allclose(head.predict_proba(X), 0.6 * 0.5 + 0.4 * votes, atol=1e-6)
    head.save("fw")
    loaded = Head.load("fw", "minilm")
    assert loaded is not None and loaded.memory is not None
    np.testing.assert_allclose(loaded.predict_proba(X), head.predict_proba(X), atol=1e-6)
    # A head whose thresholds were set on the mix is not used without its memory.
    ExemplarMemory.path_for(tmp_path, "fw", "minilm").unlink()
    assert Head.load("fw", "minilm") is None
    # Saving a head without a memory removes a stale one.
    head.memory, head.meta = head.memory, {"memory_weight": 0.4}
    head.save("fw")
    head.memory, head.meta = None, {}
    head.save("fw")
    assert not ExemplarMemory.path_for(tmp_path, "fw", "minilm").exists()


def test_training_chooses_the_memory_weight_and_stores_every_passage(tmp_path: Path, monkeypatch) -> None:
    """On a framework the encoder was not tuned on, the weight is chosen by cross-validation."""
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    fw = load_framework("blackwell-2016")
    items = []
    for theme in fw.themes:
        texts = list(theme.includes) + [a.text for p in theme.practices for a in p.actions] + [theme.description_text()]
        items += [GoldItem(f"{theme.id}-{i}", t, [theme.id]) for i, t in enumerate(texts[:8])]
    head, _ = train_head(Classifier(fw, use_heads=False), items, "minilm", log=lambda *_: None)
    assert head.meta["memory_weight"] in MEMORY_GRID
    if head.meta["memory_weight"]:
        assert head.memory is not None and len(head.memory) == len(items)
    else:
        assert head.memory is None


def test_the_shipped_lga_head_uses_the_measured_settings() -> None:
    """Its settings and thresholds come from bench/tune_value.py's out-of-fold scores, not from
    cross-validation that the tuned encoder flatters."""
    path = tuned_settings_path(LGA_ID)
    assert path.exists()
    settings = json.loads(path.read_text(encoding="utf-8"))
    assert tuned_settings(LGA_ID)["memory"] == settings["memory"]
    head = Head.load(LGA_ID, "minilm")
    assert head is not None
    assert head.meta["lexical_weight"] == settings["blend"] and head.meta["memory_weight"] == settings["memory"]
    assert [round(float(t), 2) for t in head.thresholds] == [settings["thresholds"][t] for t in head.theme_ids]
    if settings["memory"]:
        assert head.memory is not None and len(head.memory) == head.meta["examples"]
