"""The static report: index.html plus coverage.csv and coverage.json, from the store.

The HTML is rendered by Jinja2 with autoescaping on, so text quoted from documents can never
become markup. The chart is inline SVG (no script) and is always followed by its data table.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from stratlens.analyse.coverage import RULE_CY, RULE_EN, corpus_coverage, document_coverage, missing_councils
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.store import Store

TEMPLATES = Path(__file__).parent / "templates"
REPORT_FRAMEWORKS = [LGA_ID, "welsh-gov-vs-councils", "wales-council-strategy-topics", "wlga-digital-strategy-2021",
                     "blackwell-2016"]


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "strings.yaml").read_text(encoding="utf-8"))


def build(store: Store, frameworks: list[str] | None = None) -> dict:
    """Everything the report shows, as plain data (also the JSON export)."""
    frameworks = frameworks or REPORT_FRAMEWORKS
    docs = store.documents()
    out = {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "rule": {"en": RULE_EN, "cy": RULE_CY},
        "summary": {"documents": len(docs), "councils": len({d["council_id"] for d in docs}),
                    "passages": sum(d["passages"] for d in docs)},
        "documents": docs,
        "missing_welsh_councils": missing_councils(store, "Wales"),
        "frameworks": [],
    }
    for fid in frameworks:
        fw = load_framework(fid)
        cov = document_coverage(store, fw)
        corpus = corpus_coverage(cov, fw)
        out["frameworks"].append({
            "id": fw.id,
            "name": {"en": fw.name.en, "cy": fw.name.cy},
            "theme_names": {t.id: {"en": t.label("en"), "cy": t.label("cy")} for t in fw.themes},
            "corpus": [c.__dict__ for c in corpus],
            "documents": [
                {"document_id": dc.document["id"], "council_id": dc.document["council_id"],
                 "council": dc.document["council"], "title": dc.document["title"], "year": dc.document["year"],
                 "total_passages": dc.total_passages,
                 "themes": [{"theme": t, "passages": c.passages, "share": round(c.share, 4),
                             "max_score": round(c.max_score, 4), "covered": c.covered,
                             "evidence": [e.__dict__ for e in c.evidence]}
                            for t, c in dc.themes.items()]}
                for dc in cov
            ],
        })
    return out


def write_csv(data: dict, path: Path) -> None:
    """Long format: one row per framework, document and theme; joins on document_id and theme_id."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["framework_id", "document_id", "council_id", "council", "title", "year", "theme_id",
                    "theme_name", "passages", "total_passages", "share", "max_score", "covered",
                    "evidence_page", "evidence_heading", "evidence_text"])
        for fw in data["frameworks"]:
            for d in fw["documents"]:
                for t in d["themes"]:
                    ev = t["evidence"][0] if t["evidence"] else {}
                    w.writerow([fw["id"], d["document_id"], d["council_id"], d["council"], d["title"], d["year"],
                                t["theme"], fw["theme_names"][t["theme"]]["en"], t["passages"], d["total_passages"],
                                t["share"], t["max_score"], int(t["covered"]), ev.get("page"), ev.get("heading"),
                                ev.get("text")])


def write_self_assessment_csv(analysis: dict, path: Path) -> None:
    """Every council's 108 ladder answers in one long table (the columns of `stratlens selfassess
    --export csv`), so other tools can join it on council_id and action_id."""
    from stratlens.analyse.selfassess import CSV_FIELDS

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for entry in analysis["documents"].values():
            for row in (entry.get("self_assessment") or {}).get("answers", []):
                w.writerow(row)


def render_html(data: dict, lang: str = "en", analysis: dict | None = None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    s = strings()[lang]
    frameworks = []
    for fw in data["frameworks"]:
        names = {k: v[lang] or v["en"] for k, v in fw["theme_names"].items()}
        frameworks.append({
            "id": fw["id"], "name": fw["name"][lang] or fw["name"]["en"],
            "corpus": [{"name": names[c["theme"]], "share": c["share"], "covering": c["documents_covering"],
                        "documents": c["documents"], "councils": c["councils"]} for c in fw["corpus"]],
            "documents": [{"document": d, "themes": [
                {"name": names[t["theme"]], "passages": t["passages"], "covered": t["covered"],
                 "evidence": t["evidence"][0] if t["evidence"] else None} for t in d["themes"]]}
                for d in fw["documents"]],
        })
    docs_by_id = {d["id"]: d for d in data["documents"]}
    primary = frameworks[0]
    for d in primary["documents"]:
        d["document"] = {**docs_by_id[d["document"]["document_id"]], **{"id": d["document"]["document_id"]}}
    views = {}
    corpus = None
    if analysis is not None:
        from stratlens.present.analysis_view import corpus_view, document_view

        views = {did: document_view(a, lang, s) for did, a in analysis["documents"].items()}
        corpus = corpus_view(analysis, lang)
    return env.get_template("report.html").render(
        lang=lang, s=s, generated=data["generated"], summary=data["summary"], rule=data["rule"][lang],
        frameworks=frameworks, primary=primary, documents=data["documents"], missing=data["missing_welsh_councils"],
        views=views, corpus=corpus,
    )


def write_report(store: Store, out_dir: Path, lang: str = "en") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = build(store)
    (out_dir / "coverage.json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    write_csv(data, out_dir / "coverage.csv")
    from stratlens.analyse.corpus import add_self_assessments, analyse_corpus

    analysis = analyse_corpus(store)
    add_self_assessments(store, analysis)
    (out_dir / "analysis.json").write_text(json.dumps(analysis, indent=2, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    write_self_assessment_csv(analysis, out_dir / "selfassessment.csv")
    index = out_dir / "index.html"
    index.write_text(render_html(data, lang, analysis), encoding="utf-8")
    other = "cy" if lang == "en" else "en"
    (out_dir / f"index.{other}.html").write_text(render_html(data, other, analysis), encoding="utf-8")
    return index
