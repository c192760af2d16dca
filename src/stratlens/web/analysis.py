"""The analyses of stratlens.analyse on the document and council pages, as tables.

The analyses are computed once per state of the store (`Data.analysis`, the same
`analyse_corpus` the static report uses). Names of criteria, types and outcomes come from the
frameworks in the page's language; quotes keep their passage's language; generated explanations,
signal descriptions and ladder actions exist in English only and carry lang="en" on Welsh pages.
"""

from __future__ import annotations

from typing import Any

from stratlens.frameworks import LGA_ID, load_framework
from stratlens.web.i18n import N_
from stratlens.web.queries import NATIONAL_FRAMEWORK
from stratlens.web.render import Ctx, Page
from stratlens.web.routes.common import passage_url, percent, where
from stratlens.web.tables import Column, Table

STATUS = {"met": N_("Met"), "partly-met": N_("Partly met"), "not-met": N_("Not met"),
          "not-assessable": N_("Not assessable")}
CONFIDENCE = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
PEER_GROUP = {"nation and type": N_("the same nation and type"), "nation": N_("the same nation"),
              "corpus": N_("the whole corpus")}
FATE = {"kept": N_("Kept"), "completed": N_("Completed"), "dropped": N_("Dropped")}


def _name(item: dict[str, Any], lang: str) -> str:
    return (item.get("name_cy") if lang == "cy" else None) or item.get("name") or item.get("id") or ""


def _quote(ctx: Ctx, document_id: int, q: dict[str, Any] | None, doc_lang: str | None,
           text_key: str = "quote") -> dict[str, Any] | None:
    """A quote from the analyses (passage id, page, heading, text) as the tables show one."""
    if not q or q.get("passage_id") is None or not q.get(text_key):
        return None
    lang = ctx.data.passage_langs().get(q["passage_id"], doc_lang)
    return {"text": q[text_key], "lang": lang, "where": where(ctx, q.get("page"), q.get("heading")),
            "url": passage_url(ctx, document_id, q["passage_id"])}


def _english(ctx: Ctx, keys: list[str]) -> dict[str, str]:
    """Cells whose text exists in English only: marked lang="en" on a Welsh page."""
    return {k: "en" for k in keys} if ctx.lang != "en" else {}


def document_analysis(ctx: Ctx, page: Page, d: dict[str, Any]) -> dict[str, Any] | None:
    """Adds the type, audit, commitments, ladder and plain-English tables of document `d` to the
    page; returns the sentences the template shows around them (None when not analysed)."""
    _ = ctx._
    a = ctx.data.analysis()["documents"].get(d["id"])
    if a is None:
        return None
    did, dlang = d["id"], d.get("language")
    outcomes = {t.id: t.label(ctx.lang) for t in load_framework(LGA_ID).themes}

    # strategy type
    st = a["type"]
    names = {x["type"]: _name(x, ctx.lang) for x in st["scores"]}
    assigned = " + ".join(names[t] for t in st["types"])
    confidence = CONFIDENCE[st["confidence"]]
    type_text = (_("%(types)s, a mixed type (2016 taxonomy); confidence: %(confidence)s.") if st["mixed"]
                 else _("%(types)s (2016 taxonomy); confidence: %(confidence)s.")) % {
        "types": assigned, "confidence": _(confidence)}
    tt = page.add(Table("type-evidence", _("Signals of the assigned strategy type and the evidence for them"), [
        Column("type", _("Type")), Column("signal", _("Signal")),
        Column("sentences", _("Sentences showing it"), numeric=True), Column("evidence", _("Evidence"))],
        empty=_("No signal of the type was found.")))
    for score in st["scores"]:
        if score["type"] not in st["types"]:
            continue
        for sig in score["signals"]:
            q = _quote(ctx, did, sig["quotes"][0] if sig.get("quotes") else None, dlang)
            tt.rows.append({"type_id": score["type"], "type": names[score["type"]], "signal": sig.get("signal"),
                            "sentences": sig.get("hits", 0), "evidence": q["text"] if q else None,
                            "evidence_where": q["where"] if q else None,
                            "_quote": q, "_langs": _english(ctx, ["signal"])})
    scores = page.add(Table("type-scores", _("Score of each strategy type"), [
        Column("type", _("Type")), Column("score", _("Score"), numeric=True),
        Column("signal_score", _("Signal score"), numeric=True),
        Column("profile_score", _("Theme profile score"), numeric=True)]))
    for score in st["scores"]:
        scores.rows.append({"type_id": score["type"], "type": names[score["type"]],
                            "score": round(score["score"], 2), "signal_score": round(score["signal_score"], 2),
                            "profile_score": round(score["profile_score"], 2)})

    # quality audit
    audit = a["audit"]
    c = audit["counts"]
    at = page.add(Table("audit", _("Good digital strategy checklist: %(met)s met, %(partly)s partly met, "
                                    "%(not_met)s not met, %(na)s not assessable") % {
        "met": c["met"], "partly": c["partly-met"], "not_met": c["not-met"], "na": c["not-assessable"]}, [
        Column("criterion", _("Criterion")), Column("result", _("Result")), Column("why", _("Why")),
        Column("evidence", _("Evidence")), Column("counter", _("Counter-evidence"))]))
    for cr in audit["criteria"]:
        ev = _quote(ctx, did, cr["evidence"][0] if cr["evidence"] else None, dlang)
        counter = _quote(ctx, did, cr["counter_evidence"][0] if cr["counter_evidence"] else None, dlang)
        at.rows.append({"criterion_id": cr["criterion"], "criterion": _name(cr, ctx.lang), "result": cr["status"],
                        "why": cr["reason"], "evidence": ev["text"] if ev else None,
                        "evidence_where": ev["where"] if ev else None, "counter": counter["text"] if counter else None,
                        "_display": {"result": _(STATUS.get(cr["status"], cr["status"]))},
                        "_quotes": {"evidence": ev, "counter": counter}, "_langs": _english(ctx, ["why"])})

    # dated commitments
    ct = page.add(Table("commitments", _("Dated commitments, with the owner and measure where the strategy "
                                         "names them"), [
        Column("commitment", _("Commitment")), Column("date", _("Date")), Column("owner", _("Owner")),
        Column("measure", _("Measure"))], empty=_("No dated commitment was found.")))
    for cm in audit["commitments"]:
        q = _quote(ctx, did, cm, dlang, text_key="text")
        measure = " → ".join(x for x in (cm.get("measure"), cm.get("baseline"), cm.get("target")) if x) \
            if cm.get("baseline") or cm.get("target") else cm.get("measure")
        ct.rows.append({"commitment": cm["text"], "date": cm["date"], "owner": cm.get("owner"), "measure": measure,
                        "page": cm.get("page"), "passage_id": cm.get("passage_id"),
                        "_quotes": {"commitment": q}})

    # practice ladder
    lt = page.add(Table("ladder", _("Stage evidenced for each LGA outcome, the next actions and councils to "
                                    "learn from"), [
        Column("outcome", _("Outcome")), Column("stage", _("Stage"), numeric=True),
        Column("next_actions", _("Next actions")), Column("notable", _("Notable practice")),
        Column("similar", _("Similar councils further up"))]))
    for o in a["ladder"]["outcomes"]:
        nxt = [x["text"] for x in o["actions"] if x["action"] in o["next_actions"][:3]]
        lt.rows.append({"outcome_id": o["outcome"], "outcome": outcomes.get(o["outcome"], _name(o, ctx.lang)),
                        "stage": o["stage"], "next_actions": "; ".join(nxt),
                        "notable": "; ".join(n.get("council", "") for n in o["notable_practice"] if n.get("council")),
                        "similar": "; ".join(x["council"] for x in o["learn_from"]),
                        "_display": {"stage": _("%(stage)s of 3") % {"stage": o["stage"]}},
                        "_langs": _english(ctx, ["next_actions"])})

    # plain English
    plain = a["plain"]
    plain_text = _("%(sentences)s sentences of running text averaging %(mean)s words; %(long)s longer than 25 "
                   "words; %(passive)s with passive verbs; %(jargon)s uses of jargon.") % {
        "sentences": plain["sentences"], "mean": plain["mean_words"], "long": plain["long_sentences"],
        "passive": plain["passive_sentences"], "jargon": sum(plain["jargon"].values())}
    jt = page.add(Table("jargon", _("Jargon and plainer words"), [
        Column("term", _("Word or phrase")), Column("uses", _("Uses"), numeric=True),
        Column("instead", _("Instead"))], empty=_("No jargon from the style guide was found.")))
    for term, n in plain["jargon"].items():
        jt.rows.append({"term": term, "uses": n, "instead": ", ".join(plain["alternatives"].get(term, [])),
                        "_langs": _english(ctx, ["term", "instead"])})
    rt = page.add(Table("rewrite", _("Passages most in need of rewriting"), [
        Column("passage", _("Passage")), Column("long_sentences", _("Long sentences"), numeric=True),
        Column("passives", _("Passive verbs"), numeric=True)], empty=_("No passage needs rewriting.")))
    for r in plain["rewrite"][:5]:
        q = _quote(ctx, did, r, dlang, text_key="text")
        rt.rows.append({"passage": r["text"], "passage_id": r["passage_id"], "page": r["page"],
                        "long_sentences": r["long_sentences"], "passives": len(r["passives"]),
                        "_quotes": {"passage": q}})
    return {"type_text": type_text, "plain_text": plain_text, "plain_needs_work": plain["needs_work"],
            "plain_reasons": plain["reasons"]}


def council_analysis(ctx: Ctx, page: Page, council_id: str, documents: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Adds the gaps, similar councils and editions tables of a council to the page."""
    _ = ctx._
    if not documents:
        return None
    analysis = ctx.data.analysis()
    latest = max(documents, key=lambda d: (d["year"] or 0, d["id"]))
    a = analysis["documents"].get(latest["id"])
    if a is None:
        return None
    outcomes = {t.id: t.label(ctx.lang) for t in load_framework(LGA_ID).themes}
    national = {t.id: t.label(ctx.lang) for t in load_framework(NATIONAL_FRAMEWORK).themes}
    g = a["gaps"]
    out: dict[str, Any] = {"latest": latest, "gaps_reliable": g["reliable"], "editions": None,
                           "national_note": g.get("national_note") or ""}
    out["peers_text"] = _("Compared with %(n)s peers (%(group)s): %(peers)s.") % {
        "n": len(g["peer_councils"]), "group": _(PEER_GROUP.get(g["peer_group"], g["peer_group"])),
        "peers": ", ".join(g["peer_councils"]) or "–"}
    gt = page.add(Table("gaps", _("LGA outcomes in the latest strategy compared with its peers"), [
        Column("theme", _("Outcome")), Column("result", _("Result")), Column("share", _("Share"), numeric=True),
        Column("peer_median_share", _("Peers’ median share"), numeric=True),
        Column("peers_covering", _("Peers covering it"), numeric=True)]))
    if g["reliable"]:
        for t in sorted(g["themes"], key=lambda t: (not t["gap"], not t["thin"], t["theme"])):
            result = _("Gap") if t["gap"] else _("Thin") if t["thin"] else _("Covered") if t["covered"] else _("Not covered")
            gt.rows.append({"theme_id": t["theme"], "theme": outcomes.get(t["theme"], t["name"]),
                            "gap": t["gap"], "thin": t["thin"], "covered": t["covered"],
                            "share": round(t["share"], 4), "peer_median_share": round(t["peer_median_share"], 4),
                            "peers_covering": t["peers_covering"], "peers": t["peers"],
                            "_display": {"result": result, "share": percent(t["share"]),
                                         "peer_median_share": percent(t["peer_median_share"]),
                                         "peers_covering": _("%(n)s of %(total)s") % {
                                             "n": t["peers_covering"], "total": t["peers"]}}})
    if g["national"] is not None:
        nt = page.add(Table("national-gaps", _("Themes of the national digital strategy the latest strategy does "
                                               "not cover"), [
            Column("theme", _("National theme")), Column("position", _("National position")),
            Column("named", _("Councils the comparison names"))],
            empty=_("It covers every theme of the national digital strategy.")))
        for n in g["national"]:
            if n["covered"]:
                continue
            nt.rows.append({"theme_id": n["theme"], "theme": national.get(n["theme"], n["name"]),
                            "position": n["national_position"], "named": "; ".join(n["councils_named"]),
                            "_langs": _english(ctx, ["position"])})

    sim = analysis["similar"].get(council_id)
    smt = page.add(Table("similar", _("Councils with the most similar strategies"), [
        Column("council", _("Council"), link=True), Column("strategy", _("Strategy")),
        Column("score", _("Similarity"), numeric=True), Column("profile", _("Theme profile"), numeric=True),
        Column("text", _("Text"), numeric=True)], empty=_("No other council to compare with.")))
    for m in (sim or {}).get("matches", []):
        c = ctx.data.council(m["council_id"])
        smt.rows.append({"council_id": m["council_id"], "council": ctx.council_name(c, m["council"]),
                         "document_id": m["document_id"], "strategy": m["title"] or _("Untitled"),
                         "year": m["year"], "score": round(m["score"], 2),
                         "profile": None if m["profile"] is None else round(m["profile"], 2),
                         "text": round(m["text"], 2),
                         "_links": {"council": ctx.url(f"/councils/{m['council_id']}"),
                                    "strategy": ctx.url(f"/documents/{m['document_id']}")}})

    e = a.get("editions")
    if e:
        lga = next(t for t in e["themes"] if t["framework"] == LGA_ID)
        type_names = {x["type"]: _name(x, ctx.lang) for x in a["type"]["scores"]}
        out["editions"] = {
            "earlier": e["earlier"], "later": e["later"],
            "gained": [outcomes.get(t, t) for t in lga["gained"]], "lost": [outcomes.get(t, t) for t in lga["lost"]],
            "type_text": _("Strategy type: %(before)s before, %(after)s now.") % {
                "before": " + ".join(type_names.get(t, t) for t in e["type_change"]["from"]),
                "after": " + ".join(type_names.get(t, t) for t in e["type_change"]["to"])},
            "new_text": _("%(n)s new commitments in the later edition.") % {"n": e["counts"]["new"]},
        }
        ft = page.add(Table("editions", _("Commitments of the earlier edition and what became of them"), [
            Column("commitment", _("Commitment")), Column("date", _("Date")), Column("fate", _("Fate")),
            Column("later", _("In the later edition"))], empty=_("The earlier edition has no commitments.")))
        for f in e["earlier_commitments"]:
            ft.rows.append({"commitment": f["text"], "date": f["date"], "fate": f["status"],
                            "later": f["later_text"], "later_date": f["later_date"],
                            "_display": {"fate": _(FATE.get(f["status"], f["status"]))}})
    return out
