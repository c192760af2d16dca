"""Label review (analysts): confirm or correct the themes a passage was labelled with.

Reviews go to the store's `reviews` table (via Store.add_review), where `stratlens evaluate`
and `stratlens train` read them; the classifier's own labels are left as they were.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from stratlens.classify.review import main_theme
from stratlens.frameworks import LGA_ID
from stratlens.web.queries import classifiable_frameworks
from stratlens.web.render import Ctx, HTTPProblem, html
from stratlens.web.routes.auth import require_csrf

router = APIRouter()


def _passage(ctx: Ctx, passage_id: int) -> dict:
    row = ctx.data.store.conn.execute("SELECT * FROM passages WHERE id = ?", (passage_id,)).fetchone()
    if row is None:
        raise HTTPProblem(404, ctx._("Page not found"), ctx._("There is no passage with that number."))
    return dict(row)


def _labels(ctx: Ctx, passage_id: int, framework_id: str) -> dict[str, dict]:
    rows = ctx.data.store.conn.execute(
        "SELECT theme_id, score, assigned FROM labels WHERE passage_id = ? AND framework_id = ?",
        (passage_id, framework_id)).fetchall()
    return {r["theme_id"]: {"score": r["score"], "assigned": bool(r["assigned"])} for r in rows}


def review_labels(chosen: list[str], main: str, scores: dict[str, float]) -> list[str]:
    """The reviewed labels, primary first, as training reads them (the first label is the
    passage's main subject). The analyst's main theme leads if it is one of the ticked themes;
    otherwise (radios cannot be cleared, so an unticked main theme is a leftover choice) the
    ticked themes are ordered by the classifier's scores."""
    rest = sorted(dict.fromkeys(chosen), key=lambda t: -scores.get(t, 0.0))
    if main in rest:
        return [main] + [t for t in rest if t != main]
    return rest


def _login_redirect(ctx: Ctx, passage_id: int) -> Response:
    return RedirectResponse(ctx.url("/login", next=ctx.url(f"/passages/{passage_id}/review")), status_code=303)


@router.get("/passages/{passage_id}/review", include_in_schema=False)
def review_form(request: Request, passage_id: int, framework: str | None = None) -> Response:
    ctx = Ctx(request)
    if not ctx.analyst:
        return _login_redirect(ctx, passage_id)
    fw = ctx.framework(framework, LGA_ID)
    p = _passage(ctx, passage_id)
    labels = _labels(ctx, passage_id, fw.id)
    themes = [{"id": t.id, "name": t.label(ctx.lang), "checked": labels.get(t.id, {}).get("assigned", False),
               "score": labels.get(t.id, {}).get("score")} for t in fw.themes]
    scores = {t: v["score"] for t, v in labels.items()}
    main = main_theme(scores, [t for t, v in labels.items() if v["assigned"]])
    reviews = ctx.data.store.conn.execute(
        "SELECT count(*) FROM reviews WHERE passage_id = ? AND framework_id = ?", (passage_id, fw.id)).fetchone()[0]
    return html(ctx, "review.html", ctx._("Review the labels of a passage"), passage=p, framework=fw, themes=themes,
                main=main, reviews=reviews, framework_options=[(f.id, ctx.fw_name(f)) for f in classifiable_frameworks()])


@router.post("/passages/{passage_id}/review", include_in_schema=False)
async def review(request: Request, passage_id: int, framework: str = Form(""), csrf_token: str = Form("")) -> Response:
    ctx = Ctx(request)
    if not ctx.analyst:
        return _login_redirect(ctx, passage_id)
    require_csrf(ctx, csrf_token)
    fw = ctx.framework(framework, LGA_ID)
    form = await request.form()
    chosen = [t for t in form.getlist("themes") if t in fw.theme_ids]
    main = str(form.get("main") or "")
    p = _passage(ctx, passage_id)
    labels = _labels(ctx, passage_id, fw.id)
    scores = {t: v["score"] for t, v in labels.items()}
    assigned = {t for t, v in labels.items() if v["assigned"]}
    ordered = review_labels(chosen, main, scores)
    accepted = set(ordered) == assigned and (not ordered or ordered[0] == main_theme(scores, assigned))
    decision = "accepted" if accepted else "corrected"
    data = request.app.state.data
    with data.write_lock:
        store = data.writer()
        try:
            store.add_review(passage_id, p["text"], fw.id, ordered, decision, reviewer=ctx.analyst)
        finally:
            store.close()
    return RedirectResponse(ctx.url(f"/documents/{p['document_id']}", reviewed=decision) + f"#passage-{passage_id}",
                            status_code=303)
