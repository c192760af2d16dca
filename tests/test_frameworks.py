"""Frameworks load, validate, and report errors with the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stratlens.errors import FrameworkError
from stratlens.frameworks import LGA_ID, builtin_dir, list_frameworks, load_framework

LGA_THEMES = [
    "connectivity", "data", "democracy-and-participation", "economic-productivity-and-growth",
    "ethics-and-sustainability", "inclusion", "leadership", "organisational-capability", "partnership",
    "security-and-resilience", "services", "value",
]


def test_all_builtins_load() -> None:
    ids = {f.id for f in list_frameworks()}
    assert {LGA_ID, "good-digital-strategy", "blackwell-2016", "wlga-digital-strategy-2021",
            "welsh-gov-vs-councils", "wales-council-strategy-topics", "lga-notable-practice"} <= ids


def test_lga_keeps_its_id_and_twelve_themes() -> None:
    fw = load_framework(LGA_ID)
    assert fw.theme_ids == LGA_THEMES
    for theme in fw.themes:
        assert [p.stage for p in theme.practices] == [1, 2, 3]
        assert all(len(p.actions) == 3 for p in theme.practices)
        assert theme.name.cy, f"{theme.id} has no Welsh name"


def test_every_theme_has_welsh_name() -> None:
    for fw in list_frameworks():
        assert fw.name.cy
        for t in fw.themes:
            if fw.kind != "examples":
                assert t.name and t.name.cy, f"{fw.id}:{t.id}"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _minimal() -> dict:
    return {
        "id": "mine", "name": {"en": "Mine", "cy": "Fy un i"}, "kind": "themes",
        "themes": [{"id": "alpha", "name": {"en": "Alpha"}, "definition": "About alpha.",
                    "keywords": {"en": ["alpha"]}}],
    }


def test_user_framework_by_path(tmp_path: Path) -> None:
    fw = load_framework(_write(tmp_path, _minimal()))
    assert fw.id == "mine" and fw.theme_ids == ["alpha"]


def test_error_names_file_and_field(tmp_path: Path) -> None:
    data = _minimal()
    del data["themes"][0]["id"]
    path = _write(tmp_path, data)
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    assert str(path) in str(exc.value) and "themes.0.id" in str(exc.value)


def test_duplicate_ids_rejected(tmp_path: Path) -> None:
    data = _minimal()
    data["themes"].append(dict(data["themes"][0]))
    with pytest.raises(FrameworkError, match="duplicate theme ids: alpha"):
        load_framework(_write(tmp_path, data))


def test_bad_crosswalk_rejected(tmp_path: Path) -> None:
    data = _minimal()
    data["themes"][0]["maps_to_lga"] = ["not-an-outcome"]
    with pytest.raises(FrameworkError, match="maps_to_lga"):
        load_framework(_write(tmp_path, data))


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML"):
        load_framework(bad)
    with pytest.raises(FrameworkError, match="unknown framework"):
        load_framework("no-such-framework")


def test_notable_practice_index_matches_examples() -> None:
    fw = load_framework("lga-notable-practice")
    assert len(fw.examples) == 35
    assert {e.outcome for e in fw.examples} == set(LGA_THEMES)


def test_builtin_files_match_ids() -> None:
    for path in builtin_dir().glob("*.yaml"):
        assert load_framework(path.stem).id == path.stem
