"""A council's self-assessment against the LGA practice ladder: read by anyone, edited by analysts.

The answers are analyse/selfassess.py's: pre-filled from the council's latest strategy, with the
council's own answers (set here by an analyst, or with `stratlens selfassess --set`) kept apart
and never overwritten by a later pre-fill. The pre-fill is made from the ladders the analyses
already computed for the store (`Data.ladder`), so a page never embeds a strategy again. Edits
are one POST of the whole form (CSRF token, analyst only) and go through `set_answers`, so the
page's CSV and JSON, the CLI and the store all give the same answers afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from stratlens.analyse import selfassess as sa
from stratlens.analyse.ladder import Ladder
from stratlens.councils import Council
from stratlens.frameworks import LGA_ID, load_framework
from stratlens.web.analysis import PEER_GROUP
from stratlens.web.i18n import N_
from stratlens.web.render import Ctx, HTTPProblem, Page, html, respond
from stratlens.web.routes.auth import require_csrf
from stratlens.web.routes.common import parse_int, passage_url, percent, where
from stratlens.web.tables import Column, Table

router = APIRouter()

STATUS = {"done": N_("Done"), "in-progress": N_("In progress"), "not-started": N_("Not started")}
#: A note longer than this is refused (it is stored with every answer of the same save).
NOTE_MAX = 500


def page_path(council_id: str) -> str:
    return f"/councils/{council_id}/self-assessment"


def field_id(action_id: str) -> str:
    """The form field of an action ('data.2.3' -> 'status-data-2-3'): dots would need escaping
    in the fragment links of the error summary."""
    return "status-" + action_id.replace(".", "-")


@dataclass
class Assessment:
    """Everything the page shows about one council's self-assessment."""

    council: Council
    document: dict[str, Any]
    ladder: Ladder
    answers: list[sa.Answer]
    group: str = ""
    peers: dict[str, list[sa.Answer]] = field(default_factory=dict)
    comparison: list[sa.PeerComparison] = field(default_factory=list)


def _latest(ctx: Ctx, council_id: str) -> dict[str, Any] | None:
    """The council's latest document, chosen as analyse/text.latest_document chooses it."""
    docs = [d for d in ctx.data.documents() if d["council_id"] == council_id]
    return max(docs, key=lambda d: (d["year"] or 0, d["id"])) if docs else None


def prefill_of(ctx: Ctx) -> sa.Prefill:
    """Pre-fill from the cached ladders: the same answers `selfassess.prefill` would give."""

    def of(council_id: str) -> list[sa.Answer]:
        doc = _latest(ctx, council_id)
        lad = ctx.data.ladder(doc["id"]) if doc else None
        if lad is None:
            raise HTTPProblem(404, ctx._("Page not found"), ctx._("This council has no strategy to assess."))
        return sa.prefill_from(lad, doc["council_id"])

    return of


def _council(ctx: Ctx, council_id: str) -> Council:
    council = ctx.data.council(council_id)
    if council is None:
        raise HTTPProblem(404, ctx._("Page not found"), ctx._("There is no council with that name in the register."))
    return council


def assess(ctx: Ctx, council_id: str, with_peers: bool = True) -> Assessment | None:
    """The council's answers (and its peers'); None when it has no strategy in the store."""
    council = _council(ctx, council_id)
    doc = _latest(ctx, council.id)
    lad = ctx.data.ladder(doc["id"]) if doc else None
    if doc is None or lad is None:
        return None
    fill = prefill_of(ctx)
    store = ctx.data.store
    a = Assessment(council, doc, lad, sa.answers(store, council.id, save=False, prefill_of=fill))
    if with_peers:
        peers = sa.peer_answers(store, council.id, fill)
        a.group, a.peers = peers[0], peers[1]
        a.comparison = sa.compare_with_peers(store, council.id, fill, peers)[2]
    return a


def _evidence(ctx: Ctx, a: sa.Answer, lad: Ladder) -> dict[str, Any] | None:
    """The quote of an answer, linked to its passage when it is still the ladder's evidence."""
    if not a.evidence:
        return None
    ev = next((x for o in lad.outcomes for x in o.actions if x.action == a.action_id), None)
    if ev is None or ev.quote != a.evidence or ev.passage_id is None or a.document_id is None:
        return {"text": a.evidence, "lang": None, "where": where(ctx, a.page, None), "url": None}
    lang = ctx.data.passage_langs().get(ev.passage_id)
    return {"text": a.evidence, "lang": lang, "where": where(ctx, ev.page, ev.heading),
            "url": passage_url(ctx, a.document_id, ev.passage_id), "passage_id": ev.passage_id}


def _source(ctx: Ctx, a: sa.Answer) -> str:
    if a.source != "council":
        return ctx._("Pre-filled from the strategy")
    when = (a.updated_at or "")[:10]
    if a.updated_by:
        return ctx._("Set by %(who)s on %(date)s") % {"who": a.updated_by, "date": when}
    return ctx._("Set on %(date)s") % {"date": when}


def _action_row(ctx: Ctx, a: sa.Answer, lad: Ladder, done: dict[str, int], peers: int) -> dict[str, Any]:
    q = _evidence(ctx, a, lad)
    return {**a.as_dict(), "passage_id": q.get("passage_id") if q else None,
            "peers_done": done.get(a.action_id, 0), "peers": peers,
            "_quote": q, "_field": field_id(a.action_id), "_source": _source(ctx, a),
            "_display": {"status": ctx._(STATUS[a.status]), "stage": ctx._("%(stage)s of 3") % {"stage": a.stage},
                         "peers_done": ctx._("%(n)s of %(total)s") % {"n": done.get(a.action_id, 0), "total": peers}},
            "_langs": {"action": "en"} if ctx.lang != "en" else {}}


def build_selfassess(ctx: Ctx, council_id: str, errors: dict[str, str] | None = None,
                     submitted: dict[str, str] | None = None, note: str = "") -> Page:
    """The page: maturity and peers per outcome, then each outcome's actions (a form for analysts)."""
    _ = ctx._
    a = assess(ctx, council_id)
    council = _council(ctx, council_id)
    name = ctx.council_name(council)
    page = Page("selfassess.html", _("Self-assessment: %(council)s") % {"council": name},
                status=400 if errors else 200)
    page.context.update(council=council, council_label=name, assessment=a, errors=errors or {},
                        submitted=submitted or {}, note=note, statuses=[(k, _(v)) for k, v in STATUS.items()],
                        path=page_path(council.id), saved=parse_int(ctx.request.query_params.get("saved")),
                        reset=parse_int(ctx.request.query_params.get("reset")), own=sum(
                            1 for x in a.answers if x.source == "council") if a else 0)
    page.data.update(council={"id": council.id, "name": name})
    if a is None:
        return page

    lga = load_framework(LGA_ID)
    names = {t.id: t.label(ctx.lang) for t in lga.themes}
    mats = {m.outcome_id: m for m in sa.maturity(a.answers)}
    comparison = {c.outcome_id: c for c in a.comparison}
    n_peers = len(a.peers)
    done = sa.peers_done(a.peers)

    mt = page.add(Table("maturity", _("Maturity per LGA outcome: the ladder stage reached by the actions done"), [
        Column("outcome", _("Outcome"), link=True), Column("stage", _("Stage"), numeric=True),
        Column("stage_with_in_progress", _("Stage counting actions in progress"), numeric=True),
        Column("done", _("Done"), numeric=True), Column("in_progress", _("In progress"), numeric=True),
        Column("not_started", _("Not started"), numeric=True), Column("score", _("Score"), numeric=True)]))
    pt = page.add(Table("peers", _("Scores compared with %(n)s peers (%(group)s)") % {
        "n": n_peers, "group": _(PEER_GROUP.get(a.group, a.group))}, [
        Column("outcome", _("Outcome")), Column("score", _("Score"), numeric=True),
        Column("peer_median_score", _("Peers’ median score"), numeric=True),
        Column("peer_best", _("Best peer")), Column("peer_best_score", _("Best peer’s score"), numeric=True)],
        empty=_("No peer council has a strategy in the store.")))
    every = page.add(Table("answers", _("Every answer of the self-assessment"),
                           [Column(k, k) for k in sa.CSV_FIELDS] + [Column("peers_done", "peers_done"),
                                                                   Column("peers", "peers")]))
    outcomes = []
    for theme in lga.themes:
        m = mats[theme.id]
        mt.rows.append({"outcome_id": theme.id, "outcome": names[theme.id], "stage": m.stage,
                        "stage_with_in_progress": m.stage_with_in_progress, "done": m.done,
                        "in_progress": m.in_progress, "not_started": m.not_started, "score": m.score,
                        "_display": {"stage": _("%(stage)s of 3") % {"stage": m.stage},
                                     "stage_with_in_progress": _("%(stage)s of 3") % {"stage": m.stage_with_in_progress},
                                     "score": percent(m.score)},
                        "_links": {"outcome": f"#outcome-{theme.id}"}})
        c = comparison.get(theme.id)
        if c and c.peers:
            pt.rows.append({"outcome_id": theme.id, "outcome": names[theme.id], "score": c.score,
                            "peer_median_score": c.peer_median_score, "peer_best": c.peer_best,
                            "peer_best_score": c.peer_best_score, "peers": c.peers,
                            "_display": {"score": percent(c.score), "peer_median_score": percent(c.peer_median_score),
                                         "peer_best_score": percent(c.peer_best_score)}})
        at = page.add(Table(f"actions-{theme.id}", _("Actions for %(outcome)s") % {"outcome": names[theme.id]}, [
            Column("action", _("Action")), Column("stage", _("Stage"), numeric=True), Column("status", _("Status")),
            Column("source", _("Where the answer comes from")), Column("evidence", _("Evidence")),
            Column("peers_done", _("Peers who have done it"), numeric=True)]))
        for ans in (x for x in a.answers if x.outcome_id == theme.id):
            row = _action_row(ctx, ans, a.ladder, done, n_peers)
            row["_display"]["source"] = row["_source"]
            at.rows.append(row)
            every.rows.append(row)
        outcomes.append({"id": theme.id, "name": names[theme.id], "maturity": m, "table": at,
                         "summary": _("Stage %(stage)s of 3 from the actions done (%(with)s of 3 counting those in "
                                      "progress): %(done)s done, %(progress)s in progress, %(not)s not started.") % {
                             "stage": m.stage, "with": m.stage_with_in_progress, "done": m.done,
                             "progress": m.in_progress, "not": m.not_started}})
    page.context.update(outcomes=outcomes, n_peers=n_peers, peer_names=sorted(a.peers), document=a.document,
                        group=_(PEER_GROUP.get(a.group, a.group)))
    page.data.update(document={k: a.document.get(k) for k in ("id", "title", "year")},
                     answers=[x.as_dict() for x in a.answers], maturity=[m.as_dict() for m in mats.values()],
                     peers={"group": a.group, "councils": sorted(a.peers),
                            "outcomes": [c.as_dict() for c in a.comparison]})
    return page


@router.get("/councils/{council_id}/self-assessment", include_in_schema=False)
def selfassess_page(request: Request, council_id: str) -> Response:
    ctx = Ctx(request)
    return respond(ctx, lambda: build_selfassess(ctx, council_id))


def _login_redirect(ctx: Ctx, council_id: str) -> Response:
    return RedirectResponse(ctx.url("/login", next=ctx.url(page_path(council_id))), status_code=303)


@router.post("/councils/{council_id}/self-assessment", include_in_schema=False)
async def save_selfassess(request: Request, council_id: str) -> Response:
    """One POST of the whole form: every status that differs from the current answer is saved as
    the council's own answer, all or none; invalid values return the form with an error summary."""
    ctx = Ctx(request)
    if not ctx.analyst:
        return _login_redirect(ctx, council_id)
    form = await request.form()
    require_csrf(ctx, str(form.get("csrf_token") or ""))
    values = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
    return await run_in_threadpool(_save, ctx, council_id, values)


def _save(ctx: Ctx, council_id: str, form: dict[str, str]) -> Response:
    _ = ctx._
    a = assess(ctx, council_id, with_peers=False)
    if a is None:
        raise HTTPProblem(404, _("Page not found"), _("This council has no strategy to assess."))
    errors: dict[str, str] = {}
    submitted: dict[str, str] = {}
    changes: list[tuple[str, str]] = []
    for ans in a.answers:
        value = form.get(field_id(ans.action_id))
        if value is None:
            continue  # not sent: left as it is
        submitted[ans.action_id] = value
        if value not in sa.STATUSES:
            errors[field_id(ans.action_id)] = _("Select done, in progress or not started for action %(id)s") % {
                "id": ans.action_id}
        elif value != ans.status:
            changes.append((ans.action_id, value))
    note = form.get("note", "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note must be %(n)s characters or fewer") % {"n": NOTE_MAX}
    if errors:
        page = build_selfassess(ctx, council_id, errors, submitted, note)
        return html(ctx, page.template, page.title, status=page.status, tables=page.tables, **page.context)
    if changes:
        data = ctx.data
        with data.write_lock:
            store = data.writer()
            try:
                sa.set_answers(store, a.council.id, changes, note=note or None, by=ctx.analyst,
                               prefill_of=prefill_of(ctx))
            finally:
                store.close()
            data.answers_changed()
    return RedirectResponse(ctx.url(page_path(a.council.id), saved=len(changes)), status_code=303)


@router.post("/councils/{council_id}/self-assessment/reset", include_in_schema=False)
async def reset_selfassess(request: Request, council_id: str) -> Response:
    """Return every answer the council gave itself to the pre-fill from its strategy."""
    ctx = Ctx(request)
    if not ctx.analyst:
        return _login_redirect(ctx, council_id)
    form = await request.form()
    require_csrf(ctx, str(form.get("csrf_token") or ""))
    return await run_in_threadpool(_reset, ctx, council_id)


def _reset(ctx: Ctx, council_id: str) -> Response:
    a = assess(ctx, council_id, with_peers=False)
    if a is None:
        raise HTTPProblem(404, ctx._("Page not found"), ctx._("This council has no strategy to assess."))
    data = ctx.data
    with data.write_lock:
        store = data.writer()
        try:
            dropped = sa.reset_answers(store, a.council.id)
        finally:
            store.close()
        data.answers_changed()
    return RedirectResponse(ctx.url(page_path(a.council.id), reset=dropped), status_code=303)
