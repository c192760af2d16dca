"""The classifier and its stable JSONL interface, evaluation and training."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stratlens.classify import scorer
from stratlens.classify.evaluate import evaluate, metrics
from stratlens.classify.gold import GoldItem, read_gold
from stratlens.classify.lexicon import Lexicon, welsh_mutations
from stratlens.classify.scorer import Classifier
from stratlens.classify.train import train_head
from stratlens.frameworks import LGA_ID, load_framework

PASSAGES = {
    "bb": "We will bring gigabit-capable broadband to every rural village and fill the mobile not-spots by 2027.",
    "cyber": "All staff complete annual phishing awareness training and we test our ransomware recovery plan twice a year.",
    "incl": "Residents who cannot afford a laptop can borrow a device and a free SIM from any library, with a volunteer to help.",
}


def test_welsh_mutations() -> None:
    assert {"cyngor", "gyngor", "nghyngor", "chyngor"} <= welsh_mutations("cyngor")
    assert "fand" in welsh_mutations("band")


def test_lexicon_matches_welsh_mutated_form() -> None:
    lex = Lexicon(load_framework(LGA_ID))
    hits = lex.matches("Byddwn yn gwella'r fand eang ym mhob pentref.")
    assert "band eang" in hits[load_framework(LGA_ID).theme_ids.index("connectivity")]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(load_framework(LGA_ID))


def test_predict_ranks_every_theme(clf: Classifier) -> None:
    preds = clf.predict(list(PASSAGES.values()))
    for pred in preds:
        assert [t for t, _ in pred.labels] != [] and len(pred.labels) == 12
        scores = [s for _, s in pred.labels]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert set(pred.assigned) <= {t for t, _ in pred.labels}
    assert [p.top for p in preds] == ["connectivity", "security-and-resilience", "inclusion"]


def test_welsh_passage_routed_to_multilingual_encoder(clf: Classifier) -> None:
    pred = clf.predict(["Bydd pob aelod o staff yn cwblhau hyfforddiant seiberddiogelwch bob blwyddyn i'n diogelu rhag "
                        "ymosodiadau gwe-rwydo a meddalwedd wystlo."])[0]
    assert pred.lang == "cy"
    assert pred.top == "security-and-resilience"


def test_classify_cli_interface(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in PASSAGES.items()), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "stratlens", "classify", "--framework", LGA_ID,
                           "--input", str(inp), "--output", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(PASSAGES)
    for r in rows:
        assert set(r) == {"id", "labels", "assigned"}
        assert len(r["labels"]) == 12 and set(r["labels"][0]) == {"theme", "score"}
        assert r["labels"][0]["score"] >= r["labels"][-1]["score"]


def test_classify_cli_bad_input_line(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "fine"}\nnot json\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "stratlens", "classify", "-f", LGA_ID, "-i", str(inp),
                           "-o", str(tmp_path / "o.jsonl")], capture_output=True, text=True)
    assert proc.returncode != 0
    assert f"{inp}:2" in proc.stderr and "Traceback" not in proc.stderr


def test_metrics_known_answer() -> None:
    themes = ["a", "b", "c"]
    items = [GoldItem("1", "", ["a"]), GoldItem("2", "", ["b"]), GoldItem("3", "", ["c", "a"]), GoldItem("4", "", ["a"])]
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.1], [0.7, 0.1, 0.6], [0.1, 0.9, 0.0]])
    m = metrics(themes, items, scores, scores >= 0.5)
    assert m["top1"]["accuracy"] == pytest.approx(0.5)
    assert m["top1"]["lenient_accuracy"] == pytest.approx(0.75)
    by = {t["theme"]: t for t in m["themes"]}
    # theme a: assigned to 1 and 3 (both gold), missed 4 -> P 1.0, R 2/3
    assert by["a"]["precision"] == pytest.approx(1.0) and by["a"]["recall"] == pytest.approx(2 / 3)
    assert m["confused_pairs"][0] in ({"gold": "a", "predicted": "b", "count": 1},
                                      {"gold": "c", "predicted": "a", "count": 1})
    assert sum(b["count"] for b in m["calibration"]) == 12


def test_evaluate_is_deterministic(clf: Classifier) -> None:
    items = [GoldItem(k, v, [t]) for (k, v), t in zip(PASSAGES.items(), ["connectivity", "security-and-resilience", "inclusion"])]
    assert evaluate(clf, items) == evaluate(clf, items)


def test_train_writes_a_usable_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorer, "MODELS_DIR", tmp_path)
    fw = load_framework(LGA_ID)
    items = []
    for theme in fw.themes:  # a toy training set: each theme's own includes as passages
        items += [GoldItem(f"{theme.id}-{i}", text, [theme.id]) for i, text in enumerate(theme.includes[:6])]
    base = Classifier(fw, use_heads=False)
    head, cv = train_head(base, items, "minilm", log=lambda *_: None)
    path = head.save(fw.id)
    assert path.parent == tmp_path and path.exists()
    trained = Classifier(fw)
    assert trained.head("minilm") is not None
    assert trained.predict([PASSAGES["bb"]])[0].top == "connectivity"
    assert 0.0 <= cv["top1"]["macro_f1"] <= 1.0


def test_gold_reference_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    (shared / "frameworks").mkdir(parents=True)
    (shared / "corpus").mkdir()
    (shared / "corpus" / "doc.txt").write_text("Intro. We will lay fibre to every school. The end.", encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "r1", "source": {"file": "corpus/doc.txt", "start": 7, "end": 41},
                                "labels": ["connectivity"]}) + "\n" +
                    json.dumps({"id": "r2", "source": {"file": "corpus/missing.txt", "start": 0, "end": 5},
                                "labels": ["data"]}) + "\n", encoding="utf-8")
    monkeypatch.setenv("STRATLENS_SHARED", str(shared))
    skipped: list[str] = []
    items = read_gold(gold, skipped=skipped)
    assert [i.text for i in items] == ["We will lay fibre to every school."]
    assert skipped == ["r2"]


@pytest.mark.parametrize("chars", [False, True])
def test_lexical_head_round_trip(tmp_path: Path, chars: bool) -> None:
    from stratlens.classify.lexical import CHAR_PREFIX, LexicalHead

    texts = ["fibre broadband for villages", "mobile masts and coverage", "phishing training for staff",
             "ransomware backups and recovery"] * 3
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1]] * 3)
    head = LexicalHead.fit(texts, Y, ["connectivity", "security"], "en", chars=chars)
    assert any(w.startswith(CHAR_PREFIX) for w in head.vocabulary) == chars
    head.save(tmp_path, "toy")
    again = LexicalHead.load(tmp_path, "toy", "en")
    assert again is not None
    P = again.predict_proba(["a new broadband mast", "staff phishing test"])
    assert P[0, 0] > P[0, 1] and P[1, 1] > P[1, 0]
    assert np.allclose(P, head.predict_proba(["a new broadband mast", "staff phishing test"]), atol=1e-2)


def test_lexical_softmax_is_mixed_in_and_survives_a_round_trip(tmp_path: Path) -> None:
    """The lexical softmax learns the primary label; its share is stored with the head."""
    from stratlens.classify.lexical import LexicalHead

    texts = ["fibre broadband for villages", "mobile masts and coverage", "phishing training for staff",
             "ransomware backups and recovery", "open data about bin collections", "a data platform for care"] * 3
    themes = ["connectivity", "security", "data"]
    Y = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]] * 3)
    primary = Y.argmax(axis=1)
    plain = LexicalHead.fit(texts, Y, themes, "en")
    mixed = LexicalHead.fit(texts, Y, themes, "en", primary=primary, softmax_weight=0.6)
    probe = ["broadband masts in villages", "ransomware drill", "bin collection data"]
    P, S = mixed.predict_parts(probe)
    assert S is not None and np.allclose(S.sum(axis=1), 1.0, atol=1e-5)
    assert list(S.argmax(axis=1)) == [0, 1, 2]
    assert np.allclose(mixed.predict_proba(probe), 0.4 * P + 0.6 * S)
    assert plain.predict_parts(probe)[1] is None
    mixed.save(tmp_path, "toy")
    again = LexicalHead.load(tmp_path, "toy", "en")
    assert again is not None and again.softmax_weight == pytest.approx(0.6)
    assert np.allclose(again.predict_proba(probe), mixed.predict_proba(probe), atol=1e-2)
    # A primary label outside the framework (-1) is left out of the softmax, not learnt as a theme.
    odd = LexicalHead.fit(texts, Y, themes, "en", primary=np.where(np.arange(len(texts)) == 0, -1, primary))
    assert odd.Wm is not None and odd.Wm.shape == (3, odd.W.shape[1])
