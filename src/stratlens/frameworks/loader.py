"""Find, read and validate framework files; built-ins live in ``data/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from stratlens.errors import FrameworkError
from stratlens.frameworks.model import Framework

LGA_ID = "lga-digitalisation-outcomes"


def builtin_dir() -> Path:
    return Path(__file__).parent / "data"


def _format_validation(path: Path, err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"{path}: field {loc}: {first['msg']}"


def read_framework_file(path: Path) -> Framework:
    """Parse and validate one file; errors name the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FrameworkError(f"{path}: no such framework file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0]
        raise FrameworkError(f"{path}: not valid YAML ({reason})") from None
    if not isinstance(raw, dict):
        raise FrameworkError(f"{path}: expected a mapping at the top level")
    try:
        fw = Framework.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkError(_format_validation(path, exc)) from None
    fw.path = str(path)
    return fw


@lru_cache(maxsize=64)
def _load_builtin(framework_id: str) -> Framework:
    path = builtin_dir() / f"{framework_id}.yaml"
    if not path.exists():
        known = ", ".join(f.stem for f in sorted(builtin_dir().glob("*.yaml")))
        raise FrameworkError(f"unknown framework {framework_id!r}; known: {known} (or give a path to a .yaml file)")
    fw = read_framework_file(path)
    if fw.id != framework_id:
        raise FrameworkError(f"{path}: field id: {fw.id!r} does not match the file name")
    _check_crosswalk(fw)
    return fw


def _check_crosswalk(fw: Framework) -> None:
    """Every `maps_to_lga` and example outcome must name one of the 12 LGA outcomes."""
    if fw.id == LGA_ID:
        return
    lga = set(_load_builtin(LGA_ID).theme_ids)
    for t in fw.themes:
        bad = [x for x in t.maps_to_lga if x not in lga]
        if bad:
            raise FrameworkError(f"{fw.path}: theme {t.id}: field maps_to_lga: unknown LGA outcome(s) {bad}")
    for ty in fw.types:
        bad = [x for x in ty.maps_to_lga if x not in lga]
        if bad:
            raise FrameworkError(f"{fw.path}: type {ty.id}: field maps_to_lga: unknown LGA outcome(s) {bad}")
    for e in fw.examples:
        if e.outcome not in lga:
            raise FrameworkError(f"{fw.path}: example {e.id}: field outcome: unknown LGA outcome {e.outcome!r}")


def load_framework(ref: str | Path) -> Framework:
    """Load a framework by built-in id or by path to a user's own YAML file."""
    ref_s = str(ref)
    if ref_s.endswith((".yaml", ".yml")) or Path(ref_s).is_file():
        fw = read_framework_file(Path(ref_s))
        _check_crosswalk(fw)
        return fw
    return _load_builtin(ref_s)


def list_frameworks() -> list[Framework]:
    """All built-in frameworks, in file-name order."""
    return [load_framework(p.stem) for p in sorted(builtin_dir().glob("*.yaml"))]
