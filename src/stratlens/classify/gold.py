"""Labelled data: reading gold JSONL files, including passages referenced by offset.

Passages of third-party documents are not copied into the repository: a gold line may give
`source: {file, start, end}` relative to the shared documents folder instead of `text`.
The folder is found from $STRATLENS_SHARED, else a `shared/` folder beside the repository.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from stratlens.errors import StratlensError


@dataclass
class GoldItem:
    id: str
    text: str
    labels: list[str]
    lang: str = "en"
    origin: str = "written"
    extra: dict = field(default_factory=dict)

    @property
    def primary(self) -> str | None:
        return self.labels[0] if self.labels else None


def shared_root(near: Path | None = None) -> Path | None:
    env = os.environ.get("STRATLENS_SHARED")
    if env:
        return Path(env)
    starts = [near] if near else []
    starts.append(Path.cwd())
    for start in starts:
        for parent in [start, *start.resolve().parents]:
            candidate = parent / "shared"
            if (candidate / "frameworks").is_dir():
                return candidate
            candidate = parent.parent / "shared"
            if (candidate / "frameworks").is_dir():
                return candidate
    return None


_file_cache: dict[Path, str] = {}


def _resolve(source: dict, root: Path | None, where: str) -> str | None:
    if root is None:
        return None
    path = root / source["file"]
    if path not in _file_cache:
        if not path.exists():
            return None
        _file_cache[path] = path.read_text(encoding="utf-8")
    return _file_cache[path][int(source["start"]): int(source["end"])].strip()


def read_gold(path: str | Path, *, text_field: str = "text", skipped: list[str] | None = None) -> list[GoldItem]:
    """Read a gold JSONL file. Referenced passages whose document is absent are skipped (and
    listed in `skipped`), so the repository's own passages still evaluate on any machine."""
    path = Path(path)
    if not path.exists():
        raise StratlensError(f"{path}: no such gold file")
    root = shared_root(path.parent)
    items: list[GoldItem] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StratlensError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        if "labels" not in obj or not isinstance(obj["labels"], list):
            raise StratlensError(f"{path}:{n}: a gold line needs a 'labels' list")
        text = obj.get(text_field)
        if text is None and "source" in obj:
            text = _resolve(obj["source"], root, f"{path}:{n}")
            if text is None:
                if skipped is not None:
                    skipped.append(str(obj.get("id", n)))
                continue
        if not text:
            raise StratlensError(f"{path}:{n}: a gold line needs 'text' or a resolvable 'source'")
        extra = {k: v for k, v in obj.items() if k not in ("id", "text", "labels", "lang", "origin", "source")}
        items.append(GoldItem(id=str(obj.get("id", n)), text=text, labels=list(obj["labels"]),
                              lang=obj.get("lang", "en") if text_field == "text" else "en",
                              origin=obj.get("origin", "written"), extra=extra))
    return items


def gold_files(gold_dir: Path, framework_id: str, split: str) -> list[Path]:
    """Files of one split: `dev*.jsonl` or `test*.jsonl` (Welsh files are `welsh-<split>.jsonl`)."""
    folder = gold_dir / framework_id
    return sorted(folder.glob(f"{split}*.jsonl")) + sorted(folder.glob(f"welsh-{split}*.jsonl"))


def default_gold_dir() -> Path:
    env = os.environ.get("STRATLENS_GOLD")
    if env:
        return Path(env)
    for parent in [Path.cwd(), *Path.cwd().resolve().parents]:
        if (parent / "data" / "gold").is_dir():
            return parent / "data" / "gold"
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "gold").is_dir():
            return parent / "data" / "gold"
    return Path("data/gold")
