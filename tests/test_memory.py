"""The exemplar memory: nearest labelled passages vote, stored compactly, mixed into the head."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from stratlens.classify import scorer
from stratlens.classify.gold import GoldItem
from stratlens.classify import memory as memory_module
from stratlens.classify.memory import PRIMARY, SECONDARY, ExemplarMemory, label_codes
from stratlens.classify.scorer import Classifier, Head
from stratlens.classify import train, tune
from stratlens.classify.train import tuned_settings, tuned_settings_path
from stratlens.frameworks import LGA_ID, load_framework


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture()
def stored() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    vectors = unit(rng.normal(size=(60, 32)).astype(np.float32))
    labels = np.zeros((60, 3), dtype=np.uint8)
    labels[np.arange(60), np.arange(60) % 3] = 1
    labels[5, 0] = 1  # one passage (primary theme 2) with a second label
    return vectors, labels


#: The primary label of each stored passage (passage 5's second label, theme 0, is secondary).
PRIMARIES = np.arange(60) % 3


def test_a_stored_passage_gets_its_own_labels_first(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels, PRIMARIES)
    votes = memory.predict_proba(vectors)
    assert votes.shape == labels.shape
    assert ((votes >= 0) & (votes <= 1 + 1e-6)).all()
    # Random 32-dimension vectors are far apart, so each passage's own row dominates its vote.
    assert (votes.argmax(axis=1) == PRIMARIES).all()
    # A secondary label counts, but less than the primary: 0.3 against 1 by default.
    assert votes[5, 2] > 0.9 and 0.2 < votes[5, 0] < 0.4 and votes[5, 1] < 0.1


def test_secondary_labels_vote_with_their_weight() -> None:
    """Two equally near neighbours: one mainly about theme 0 with theme 1 in passing, one about
    theme 1 alone. The passage-level weight decides how far theme 1 is pulled."""
    vectors = unit(np.array([[1.0, 0.2], [1.0, -0.2]], dtype=np.float32))
    labels = np.array([[1, 1], [0, 1]], dtype=np.uint8)
    query = np.array([[1.0, 0.0]], dtype=np.float32)
    for weight, expected in ((1.0, [0.5, 1.0]), (0.3, [0.5, 0.65]), (0.0, [0.5, 0.5])):
        memory = ExemplarMemory.build(vectors, labels, np.array([0, 1]), secondary_weight=weight)
        np.testing.assert_allclose(memory.predict_proba(query)[0], expected, atol=1e-3)
    # The weight can change after the first vote (and in a copy).
    memory = ExemplarMemory.build(vectors, labels, np.array([0, 1]), secondary_weight=1.0)
    memory.predict_proba(query)
    np.testing.assert_allclose(dataclasses.replace(memory, secondary_weight=0.0).predict_proba(query)[0],
                               [0.5, 0.5], atol=1e-3)


def test_label_codes_mark_the_primary_only_where_it_is_a_label() -> None:
    labels = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=np.uint8)
    codes = label_codes(labels, np.array([0, 1, 2, -1]))
    # A primary index outside the themes is unknown too.
    np.testing.assert_array_equal(label_codes(labels[:1], np.array([7])), [[PRIMARY, PRIMARY, 0]])
    # Row 2's primary (theme 2) is not among its labels: unknown, like -1, so every label counts
    # as primary; no label is invented, and a row without labels stays empty.
    np.testing.assert_array_equal(codes, [[PRIMARY, SECONDARY, 0], [0, PRIMARY, 0], [PRIMARY, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(label_codes(labels, None), labels * PRIMARY)
    # Any non-zero entry is a label (soft targets, or codes already made).
    np.testing.assert_array_equal(label_codes(codes, np.array([0, 1, 2, -1])), codes)


def test_the_vote_follows_the_nearest_neighbours(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels, PRIMARIES)
    # A passage between two stored ones of theme 1 and far from the rest.
    ones = np.where(labels[:, 1] == 1)[0][:2]
    query = unit(vectors[ones].sum(axis=0, keepdims=True))
    assert memory.predict_proba(query)[0].argmax() == 1


def test_eight_bit_storage_keeps_the_cosines(stored) -> None:
    vectors, labels = stored
    memory = ExemplarMemory.build(vectors, labels, PRIMARIES)
    restored = memory.codes.astype(np.float32) * memory.scales[:, None]
    assert np.abs(restored @ vectors.T - vectors @ vectors.T).max() < 0.01
    assert memory.codes.dtype == np.int8


def test_round_trip_and_small_memories(stored, tmp_path: Path) -> None:
    vectors, labels = stored
    # Fewer passages than neighbours, one with a secondary label, a weight other than the default.
    memory = ExemplarMemory.build(vectors[3:7], labels[3:7], PRIMARIES[3:7], secondary_weight=0.5)
    memory.save(tmp_path, "fw", "minilm")
    again = ExemplarMemory.load(tmp_path, "fw", "minilm")
    assert again is not None and len(again) == 4 and again.k == memory.k and again.secondary_weight == 0.5
    np.testing.assert_allclose(again.predict_proba(vectors[:7]), memory.predict_proba(vectors[:7]))
    assert again.predict_proba(vectors[:0]).shape == (0, 3)
    assert ExemplarMemory.load(tmp_path, "other", "minilm") is None


def test_a_memory_stored_before_secondary_weights_votes_as_it_did(stored, tmp_path: Path) -> None:
    """Files from stop 12 hold 0/1 labels and two settings: every label counted alike."""
    vectors, labels = stored
    path = ExemplarMemory.path_for(tmp_path, "fw", "minilm")
    new = ExemplarMemory.build(vectors, labels, PRIMARIES, secondary_weight=1.0)
    np.savez_compressed(path, codes=new.codes, scales=new.scales, labels=labels,
                        settings=np.array([new.k, new.temperature], dtype=np.float32))
    old = ExemplarMemory.load(tmp_path, "fw", "minilm")
    assert old is not None and old.secondary_weight == 1.0
    assert set(np.unique(old.labels)) == {0, PRIMARY}  # every stored label read as a primary one
    # The stop 12 vote: softmax-weighted 0/1 labels of the nearest neighbours.
    S = vectors @ (old.codes.astype(np.float32) * old.scales[:, None]).T
    top = np.argsort(-S, axis=1)[:, :old.k]
    w = np.exp((np.take_along_axis(S, top, 1) - S.max(axis=1, keepdims=True)) * old.temperature)
    w /= w.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(old.predict_proba(vectors), np.einsum("ij,ijk->ik", w, labels[top]), atol=1e-5)


def test_the_head_mixes_the_memory_in_with_its_weight(stored, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    vectors, labels = stored
    k = labels.shape[1]
    X = np.hstack([vectors, np.zeros((len(vectors), 2 * k), dtype=np.float32)])  # [embedding, sims, keywords]
    head = Head(encoder="minilm", theme_ids=["a", "b", "c"], W=np.zeros((k, X.shape[1]), np.float32),
                b=np.zeros(k, np.float32), mu=np.zeros(X.shape[1], np.float32),
                sigma=np.ones(X.shape[1], np.float32), thresholds=np.full(k, 0.5, np.float32),
                meta={"memory_weight": 0.4}, memory=ExemplarMemory.build(vectors, labels, PRIMARIES))
    votes = head.memory.predict_proba(vectors)
    np.testing.assert_allclose(head.predict_proba(X), 0.6 * 0.5 + 0.4 * votes, atol=1e-6)
    head.save("fw")
    loaded = Head.load("fw", "minilm")
    assert loaded is not None and loaded.memory is not None
    np.testing.assert_allclose(loaded.predict_proba(X), head.predict_proba(X), atol=1e-6)
    path = ExemplarMemory.path_for(tmp_path, "fw", "minilm")
    # A head whose thresholds were set on the mix is not used without its memory, or with a
    # broken one, or with one made for other themes or another encoder's vectors.
    path.write_bytes(path.read_bytes()[:100])
    with pytest.warns(UserWarning, match="unreadable exemplar memory"):
        assert Head.load("fw", "minilm") is None
    ExemplarMemory.build(vectors, labels[:, :2], PRIMARIES % 2).save(tmp_path, "fw", "minilm")
    with pytest.warns(UserWarning, match="does not match its head"):
        assert Head.load("fw", "minilm") is None
    ExemplarMemory.build(vectors[:, :16] * 2 ** 0.5, labels, PRIMARIES).save(tmp_path, "fw", "minilm")
    with pytest.warns(UserWarning, match="does not match its head"):
        assert Head.load("fw", "minilm") is None
    path.unlink()
    assert Head.load("fw", "minilm") is None
    # Saving a head without a memory removes a stale one.
    head.save("fw")
    assert path.exists()
    head.memory, head.meta = None, {}
    head.save("fw")
    assert not path.exists()


def toy_items(framework_id: str) -> list[GoldItem]:
    fw = load_framework(framework_id)
    items = []
    for theme in fw.themes:
        texts = list(theme.includes) + [a.text for p in theme.practices for a in p.actions] + [theme.description_text()]
        items += [GoldItem(f"{theme.id}-{i}", t, [theme.id]) for i, t in enumerate(texts[:8])]
    ids = fw.theme_ids
    for it in items[::5]:  # some passages with a second label, so the primary's mark is tested
        it.labels.append(ids[(ids.index(it.labels[0]) + 1) % len(ids)])
    return items


def test_training_stores_every_labelled_passage_in_the_memory(tmp_path: Path, monkeypatch) -> None:
    """When the weight chosen is above 0 (forced here), the memory holds each labelled passage
    with its labels, and the saved head scores as the trained one."""
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(train, "MEMORY_GRID", (0.3,))
    fw_id = "blackwell-2016"
    items = toy_items(fw_id)
    clf = Classifier(load_framework(fw_id), use_heads=False)
    head, _ = train.train_head(clf, items, "minilm", log=lambda *_: None)
    assert head.meta["memory_weight"] == 0.3 and head.meta["memory_passages"] == len(items)
    assert head.memory is not None and len(head.memory) == len(items)
    # Each passage's labels, its primary (the first) marked as such.
    expected = train._targets(items, clf.theme_ids) * SECONDARY
    expected[np.arange(len(items)), [clf.theme_ids.index(it.labels[0]) for it in items]] = PRIMARY
    np.testing.assert_array_equal(head.memory.labels, expected)
    head.save(fw_id)
    texts = [it.text for it in items[:5]]
    E, S, K, _ = clf.features(texts, "minilm")
    X = Classifier.stack(E, S, K)
    loaded = Head.load(fw_id, "minilm")
    assert loaded is not None
    np.testing.assert_allclose(loaded.predict_proba(X, texts), head.predict_proba(X, texts), atol=1e-5)


def test_fixed_settings_give_the_thresholds_and_a_broken_file_is_named(tmp_path: Path, monkeypatch) -> None:
    """A framework the encoder was tuned on takes its weights and thresholds from the settings file."""
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    fw = load_framework(LGA_ID)
    items = []
    for theme in fw.themes:
        items += [GoldItem(f"{theme.id}-{i}", text, [theme.id]) for i, text in enumerate(theme.includes[:6])]
    clf = Classifier(fw, use_heads=False)
    settings = {"C": 0.1, "softmax": 0.0, "blend": 0.0, "memory": 0.2,
                "thresholds": {t: 0.35 for t in fw.theme_ids}}
    path = tuned_settings_path(LGA_ID)
    assert path.parent == tmp_path
    path.write_text(json.dumps(settings), encoding="utf-8")
    head, _ = train.train_head(clf, items, "minilm", log=lambda *_: None)
    assert head.meta["C"] == 0.1 and head.meta["memory_weight"] == 0.2
    assert np.allclose(head.thresholds, 0.35)
    # Thresholds for other themes: chosen by cross-validation instead, and said so.
    settings["thresholds"] = {"other": 0.35}
    path.write_text(json.dumps(settings), encoding="utf-8")
    said: list[str] = []
    head, _ = train.train_head(clf, items, "minilm", log=said.append)
    assert any("no thresholds for these themes" in line for line in said)
    # A broken or incomplete file stops training with its name.
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="tuned-settings.json: unreadable"):
        tuned_settings(LGA_ID)
    path.write_text(json.dumps({"C": 0.1}), encoding="utf-8")
    with pytest.raises(ValueError, match="missing softmax, blend, memory, thresholds"):
        tuned_settings(LGA_ID)


def test_the_shipped_lga_head_uses_the_measured_settings() -> None:
    """Its settings and thresholds come from bench/tune_value.py's out-of-fold scores, not from
    cross-validation that the tuned encoder flatters."""
    settings = json.loads(tuned_settings_path(LGA_ID).read_text(encoding="utf-8"))
    head = Head.load(LGA_ID, "minilm")
    assert head is not None
    assert head.meta["lexical_weight"] == settings["blend"] and head.meta["memory_weight"] == settings["memory"]
    assert head.meta["lexical_features"] == settings["lexical_features"]
    assert head.meta["lexical_softmax_weight"] == settings["lexical_softmax_weight"]
    assert [round(float(t), 2) for t in head.thresholds] == [settings["thresholds"][t] for t in head.theme_ids]
    if settings["memory"]:
        assert head.memory is not None and len(head.memory) == head.meta["examples"]
    # The settings were measured with the encoder tuned as the shipped layers were.
    layers = tune.tuned_layers()
    assert layers is not None
    assert layers[1]["epochs"] == settings["tuning_epochs"]
    assert layers[1]["primary_share"] == settings["tuning_primary_share"]
    assert layers[1]["tuned_layers"] == settings["tuned_layers"]
    # ...and with the memory's votes weighted as the shipped memory weights them.
    if settings["memory"]:
        assert head.memory.secondary_weight == settings["memory_secondary_weight"] == memory_module.SECONDARY_WEIGHT
