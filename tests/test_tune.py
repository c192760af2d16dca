"""The encoder tuning step: what it stores, how the encoder uses it, and that heads match it."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from stratlens.classify.embed import vectors_id, weights_id
from stratlens.classify.gold import GoldItem
from stratlens.classify.scorer import Head
from stratlens.classify.tune import TUNED_LAYERS, apply_tuned, save_tuned, tune_encoder, tuned_id, tuned_layers
from stratlens.cli import app
from stratlens.frameworks import load_framework

THEMES = ["security-and-resilience", "inclusion", "data"]
PASSAGES = {
    "security-and-resilience": ["We will patch every server within fourteen days of a critical alert.",
                                "A cyber incident response plan is tested twice a year.",
                                "Staff complete phishing awareness training every year.",
                                "Backups are kept offline so ransomware cannot reach them."],
    "inclusion": ["Free tablets and data are lent from every library.",
                  "Digital champions help older residents get online.",
                  "Forms are tested with people who use screen readers.",
                  "We will close the gap in home broadband among low-income households."],
    "data": ["A single register of our datasets will be published.",
             "Dashboards give managers live figures on waiting lists.",
             "Data sharing agreements with health partners are signed.",
             "We will appoint a data protection officer and a chief data officer."],
}


def _items() -> list[GoldItem]:
    return [GoldItem(id=f"t{i}-{j}", text=t, labels=[theme]) for i, (theme, texts) in enumerate(PASSAGES.items())
            for j, t in enumerate(texts)]


@pytest.fixture(scope="module")
def tuned_file(tmp_path_factory):
    model = tune_encoder(_items(), THEMES, epochs=1, batch=4, log=lambda *_: None)
    return save_tuned(model, {"framework": "test"}, tmp_path_factory.mktemp("tuned") / "minilm-tuned.npz"), model


def test_only_the_top_layers_are_stored_and_they_round_trip(tuned_file, monkeypatch):
    path, model = tuned_file
    z = np.load(path)
    names = [k for k in z.files if k.startswith("w:")]
    layers = {k.split(".")[2] for k in names}
    assert layers == {str(6 - TUNED_LAYERS + i) for i in range(TUNED_LAYERS)}
    assert all(z[k].dtype == np.float16 for k in names)
    monkeypatch.setenv("STRATLENS_TUNED_ENCODER", str(path))
    state, meta, digest = tuned_layers()
    assert meta["framework"] == "test" and meta["tuned_layers"] == TUNED_LAYERS
    assert tuned_id() == f"tuned-{digest}"
    # Every stored tensor is the tuned model's, to float16 precision.
    live = model.state_dict()
    for name, value in state.items():
        np.testing.assert_allclose(value, live[name].numpy(), atol=2e-3)


def test_tuned_layers_change_the_vectors_and_the_cache_keys(tuned_file, monkeypatch):
    import torch
    from transformers import AutoModel, AutoTokenizer

    from stratlens.classify.embed import _minilm_dir

    path, _ = tuned_file
    tok = AutoTokenizer.from_pretrained(str(_minilm_dir()))
    batch = tok(["Backups are kept offline."], return_tensors="pt")

    def vector(tuned: bool) -> np.ndarray:
        model = AutoModel.from_pretrained(str(_minilm_dir())).eval()
        if tuned:
            assert apply_tuned(model)
        with torch.no_grad():
            return model(**batch).last_hidden_state.mean(1)[0].numpy()

    monkeypatch.setenv("STRATLENS_TUNED_ENCODER", str(path))
    tuned_key = vectors_id("minilm")
    assert not np.allclose(vector(False), vector(True), atol=1e-4)
    assert vectors_id("minilm-base") != tuned_key and "base" in vectors_id("minilm-base")
    monkeypatch.setenv("STRATLENS_TUNED_ENCODER", "0")  # switched off: the package's model
    assert tuned_layers() is None and weights_id() == "base"
    assert vectors_id("minilm") != tuned_key


def test_shipped_minilm_heads_were_fitted_on_the_shipped_encoder(monkeypatch):
    """A head fitted on other vectors would score nonsense: refit (make train) after `stratlens tune`."""
    monkeypatch.delenv("STRATLENS_TUNED_ENCODER", raising=False)
    for fw_id in ("lga-digitalisation-outcomes", "wales-council-strategy-topics", "welsh-gov-vs-councils",
                  "wlga-digital-strategy-2021", "blackwell-2016", "good-digital-strategy"):
        head = Head.load(fw_id, "minilm")
        assert head is not None, fw_id
        assert head.meta.get("encoder_weights") == weights_id(), fw_id


def test_tune_without_dev_data_fails_in_one_line(tmp_path):
    result = CliRunner().invoke(app, ["tune", "--gold-dir", str(tmp_path), "--out", str(tmp_path / "x.npz")])
    assert result.exit_code == 1
    assert "no dev*.jsonl gold files" in result.output
    assert not (tmp_path / "x.npz").exists()


def test_tune_rejects_passages_outside_the_framework():
    fw = load_framework("lga-digitalisation-outcomes")
    with pytest.raises(ValueError, match="no labelled passages"):
        tune_encoder([GoldItem(id="x", text="hello", labels=["not-a-theme"])], fw.theme_ids, epochs=1)


def test_a_head_fitted_on_other_encoder_weights_warns(tuned_file, monkeypatch):
    from stratlens.classify.scorer import Classifier

    path, _ = tuned_file
    monkeypatch.setenv("STRATLENS_TUNED_ENCODER", str(path))  # not the layers the shipped heads saw
    clf = Classifier(load_framework("lga-digitalisation-outcomes"))
    with pytest.warns(UserWarning, match="refit the heads"):
        assert clf.head("minilm") is not None
