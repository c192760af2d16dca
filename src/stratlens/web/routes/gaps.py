"""Themes most strategies miss: per theme of a framework, how many councils' latest strategies do
not cover it (or, for the LGA outcomes, cover it thinly against their peers), who they are, and
whom to learn from.

The counts are analyse/gaps.py's `corpus_gaps` (each council once, by its latest strategy in the
view; unreliable labels left out and listed); thin coverage is the per-council gap analysis the
council pages show (LGA outcomes only, as that analysis is); councils to learn from are the LGA's
notable-practice examples (analyse/ladder.py) and the corpus councils covering the theme with the
largest share of their passages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from stratlens.analyse.gaps import corpus_gaps
from stratlens.analyse.ladder import MAX_EXAMPLES, notable_practice
from stratlens.frameworks import LGA_ID, Framework
from stratlens.web.render import Ctx, Page, respond
from stratlens.web.routes.common import percent
from stratlens.web.routes.overview import filter_options, view_filter
from stratlens.web.tables import Column, Table

router = APIRouter()


def examples_for(fw: Framework, theme_id: str, nation: str | None) -> list[dict[str, Any]]:
    """Notable practice for a theme: the LGA outcome itself, or the outcomes a theme of another
    framework maps to (`maps_to_lga`); same nation first, at most MAX_EXAMPLES."""
    outcomes = [theme_id] if fw.id == LGA_ID else list(fw.theme(theme_id).maps_to_lga)
    seen: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        for e in notable_practice(outcome, nation):
            seen.setdefault(e["id"], e)
    return list(seen.values())[:MAX_EXAMPLES]


def _thin(ctx: Ctx, latest: dict[str, int]) -> dict[str, list[str]]:
    """Theme id -> councils whose latest strategy covers the LGA outcome thinly against its peers."""
    docs = ctx.data.analysis()["documents"]
    out: dict[str, list[str]] = {}
    for did in latest.values():
        g = (docs.get(did) or {}).get("gaps") or {}
        for theme_id in g.get("thin_themes") or []:
            out.setdefault(theme_id, []).append(g["document"]["council"])
    return {k: sorted(v) for k, v in out.items()}


def build_gaps(ctx: Ctx, framework: str | None = None, nation: str | None = None,
               council_type: str | None = None, year: str | None = None) -> Page:
    _ = ctx._
    fw = ctx.framework(framework, LGA_ID)
    fw_name = ctx.fw_name(fw)
    coverage = {c.document["id"]: c for c in ctx.data.coverage(fw.id)}
    g = corpus_gaps(ctx.data.store, fw.id, keep=view_filter(nation, council_type, year), coverage=coverage)
    thin = _thin(ctx, g.latest) if fw.id == LGA_ID else None
    page = Page("gaps.html", _("Themes most strategies miss"))

    columns = [Column("theme", _("Theme"), link=True), Column("missing", _("Not covered"), numeric=True)]
    if thin is not None:
        columns.append(Column("thin", _("Covered thinly"), numeric=True))
    columns += [Column("share", _("Share missing or thin") if thin is not None else _("Share missing"), numeric=True),
                Column("councils_missing", _("Councils that miss it")),
                Column("notable_practice", _("Notable practice")),
                Column("covering_best", _("Councils covering it most"))]
    t = page.add(Table("gaps", _("Themes the latest strategies miss, out of %(n)s strategies") % {"n": g.documents},
                       columns, empty=_("No strategies match these filters.")))
    rows = []
    for gap in g.themes:
        thin_names = (thin or {}).get(gap.theme, [])
        weak = gap.missing + len(thin_names)
        share = round(weak / g.documents, 4) if g.documents else 0.0
        examples = examples_for(fw, gap.theme, nation)
        missing_names = gap.councils_missing + [_("%(council)s (thin)") % {"council": n} for n in thin_names]
        rows.append({
            "theme_id": gap.theme, "theme": ctx.theme_name(fw, gap.theme), "missing": gap.missing,
            "thin": len(thin_names) if thin is not None else None, "silent": gap.silent,
            "documents": gap.documents, "share": share,
            "share_missing": gap.share_missing, "councils_missing": gap.councils_missing,
            "council_ids_missing": gap.council_ids_missing, "councils_thin": thin_names,
            "notable_practice": [e["council"] for e in examples],
            "notable_practice_ids": [e["id"] for e in examples],
            "covering_best": [c["council"] for c in gap.covering_best],
            "covering_best_shares": [c["share"] for c in gap.covering_best],
            "_display": {"share": percent(share), "councils_missing": "; ".join(missing_names) or _("None"),
                         "notable_practice": "; ".join(e["council"] for e in examples) or _("None"),
                         "covering_best": "; ".join(f"{c['council']} ({percent(c['share'])})"
                                                    for c in gap.covering_best) or _("None")},
            "_links": {"theme": ctx.url(f"/themes/{fw.id}/{gap.theme}")}})
    # As corpus_gaps orders them, with thin coverage counted in: ties go to the theme more councils
    # say nothing at all about.
    rows.sort(key=lambda r: (-r["share"], -r["missing"], -r["silent"], r["theme"]))
    t.rows.extend(rows if g.documents else [])
    chart = [{"label": r["theme"], "share": r["share"], "percent": r["_display"]["share"], "url": r["_links"]["theme"]}
             for r in t.rows]

    filters = {"framework": fw.id, "nation": nation or "", "council_type": council_type or "", "year": year or ""}
    page.context.update(framework=fw, framework_name=fw_name, chart=chart, filters=filters, documents=g.documents,
                        excluded=g.excluded, thin_shown=thin is not None, **filter_options(ctx, ctx.data.documents()))
    page.data.update(framework=fw.id, filters=filters, documents=g.documents, excluded=g.excluded)
    return page


@router.get("/gaps", include_in_schema=False)
def gaps(request: Request, framework: str | None = None, nation: str | None = None,
         council_type: str | None = None, year: str | None = None) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_gaps(ctx, framework, nation, council_type, year))
