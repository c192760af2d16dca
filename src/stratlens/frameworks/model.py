"""Pydantic models of a framework file (schema: docs/frameworks.md).

Only the fields that stratlens computes with are typed; the rest of a file (source notes,
context, reflections) is kept as extra data so nothing a curator wrote is dropped.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Localised(BaseModel):
    """A string in English and Welsh. Welsh may be missing only in a user's own framework."""

    model_config = ConfigDict(extra="forbid")
    en: str
    cy: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to English only where no Welsh was written."""
        if lang == "cy" and self.cy:
            return self.cy
        return self.en


class Keywords(BaseModel):
    model_config = ConfigDict(extra="allow")
    en: list[str] = Field(default_factory=list)
    cy: list[str] = Field(default_factory=list)


class Action(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    text: str


class PracticeStage(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    stage: int
    name: str
    actions: list[Action]


class Theme(BaseModel):
    """A label passages are classified against (or, in a checklist, a criterion)."""

    model_config = ConfigDict(extra="allow")
    id: str
    name: Localised | None = None
    definition: str | None = None
    includes: list[str] = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=Keywords)
    group: str | None = None
    maps_to_lga: list[str] = Field(default_factory=list)
    outcome: str | None = None
    practices: list[PracticeStage] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    counter_evidence: list[str] = Field(default_factory=list)
    example_ids: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not KEBAB.match(v):
            raise ValueError(f"theme id {v!r} is not kebab-case")
        return v

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) if self.name else self.id

    def description_text(self) -> str:
        """The theme's own words, used to build its embedding prototype."""
        parts = [self.label("en")]
        if self.outcome:
            parts.append(self.outcome)
        if self.definition:
            parts.append(self.definition)
        return " ".join(p.strip() for p in parts if p)


class TypeDef(BaseModel):
    """A whole-document type of a taxonomy (e.g. Blackwell's 'smart city focus')."""

    model_config = ConfigDict(extra="allow")
    id: str
    name: Localised
    definition: str
    signals: list[str] = Field(default_factory=list)
    maps_to_lga: list[str] = Field(default_factory=list)


class Example(BaseModel):
    """A notable-practice example: a council that did something well for an outcome."""

    model_config = ConfigDict(extra="allow")
    id: str
    council: str
    outcome: str
    summary: str
    category: str | None = None
    suggested_category: str | None = None
    annex_b: dict[str, Any] = Field(default_factory=dict)


class Framework(BaseModel):
    """One framework file."""

    model_config = ConfigDict(extra="allow")
    id: str
    name: Localised
    kind: Literal["themes", "checklist", "taxonomy", "examples"]
    summary: str = ""
    themes: list[Theme]
    types: list[TypeDef] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
    extends: str | None = None
    coding_rules: list[str] = Field(default_factory=list)
    source: Any = None
    path: str | None = Field(default=None, exclude=True)

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not KEBAB.match(v):
            raise ValueError(f"framework id {v!r} is not kebab-case")
        return v

    @model_validator(mode="after")
    def _check(self) -> "Framework":
        ids = [t.id for t in self.themes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate theme ids: {', '.join(dupes)}")
        if not self.themes:
            raise ValueError("a framework needs at least one theme")
        if self.kind != "examples":
            for i, t in enumerate(self.themes):
                if not t.name or not t.definition:
                    raise ValueError(f"themes[{i}] ({t.id}): name and definition are required")
        for t in self.themes:
            if t.practices:
                stages = sorted(p.stage for p in t.practices)
                if stages != [1, 2, 3]:
                    raise ValueError(f"theme {t.id}: practices must have stages 1, 2, 3, got {stages}")
                for p in t.practices:
                    if len(p.actions) != 3:
                        raise ValueError(f"theme {t.id}: practice {p.id} needs 3 actions")
        if self.kind == "examples":
            known = {e.id for e in self.examples}
            indexed = {x for t in self.themes for x in t.example_ids}
            if known != indexed:
                missing = sorted(known ^ indexed)
                raise ValueError(f"theme index and examples disagree on: {', '.join(missing)}")
            for e in self.examples:
                owner = [t.id for t in self.themes if e.id in t.example_ids]
                if owner != [e.outcome]:
                    raise ValueError(f"example {e.id}: outcome {e.outcome} but indexed under {owner}")
        return self

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    @property
    def classifiable(self) -> bool:
        """Whether passages are labelled with this framework's themes."""
        return self.kind in ("themes", "taxonomy", "checklist")
