"""The analyses (stratlens.analyse.corpus) shaped for the report template, in one language.

Names of criteria, types and outcomes come from the frameworks in the report's language; quotes
stay in the document's language; generated explanations and ladder actions exist in English
only and are marked as such (lang="en") in the Welsh report.
"""

from __future__ import annotations

from typing import Any

from stratlens.frameworks import LGA_ID, load_framework


def _name(item: dict[str, Any], lang: str) -> str:
    return (item.get("name_cy") if lang == "cy" else None) or item.get("name") or item.get("id") or ""


def _outcome_names(lang: str) -> dict[str, str]:
    return {t.id: t.label(lang) for t in load_framework(LGA_ID).themes}


def _national_names(lang: str) -> dict[str, str]:
    return {t.id: t.label(lang) for t in load_framework("welsh-gov-vs-councils").themes}


def document_view(a: dict[str, Any], lang: str, s: dict[str, str]) -> dict[str, Any]:
    outcomes = _outcome_names(lang)
    national = _national_names(lang)
    names = {x["type"]: _name(x, lang) for x in a["type"]["scores"]}
    top = a["type"]["scores"][0]
    best_signal = max(top["signals"], key=lambda r: r["hits"]) if top["signals"] else None
    audit = a["audit"]
    counts = audit["counts"]
    gaps = a["gaps"]
    plain = a["plain"]
    view: dict[str, Any] = {
        "type_text": s["type_text"].format(
            types=" + ".join(names[t] for t in a["type"]["types"]) + (f" ({s['type_mixed']})" if a["type"]["mixed"] else ""),
            confidence=s["confidence_" + a["type"]["confidence"]]),
        "type_signal": best_signal["quotes"][0] if best_signal and best_signal["quotes"] else None,
        "type_signal_text": best_signal["signal"] if best_signal else None,
        "audit_caption": s["audit_caption"].format(met=counts["met"], partly=counts["partly-met"],
                                                   not_met=counts["not-met"], na=counts["not-assessable"]),
        "criteria": [{"name": _name(c, lang), "status": s["status_" + c["status"].replace("-", "_")], "code": c["status"],
                      "reason": c["reason"], "evidence": c["evidence"][0] if c["evidence"] else None,
                      "counter": c["counter_evidence"][0] if c["counter_evidence"] else None}
                     for c in audit["criteria"]],
        "commitments": [{"date": c["date"], "text": c["text"], "owner": c["owner"], "page": c["page"],
                         "measure": " → ".join(x for x in (c["measure"], c["baseline"], c["target"]) if x)
                         if c["baseline"] or c["target"] else c["measure"]}
                        for c in audit["commitments"]],
        "gaps_reliable": gaps["reliable"],
        "gaps_peers": s["gaps_peers"].format(n=len(gaps["peer_councils"]),
                                             group=s["peer_group_" + gaps["peer_group"].replace(" ", "_")],
                                             peers=", ".join(gaps["peer_councils"])),
        "gaps_weak": [outcomes[t] for t in gaps["weak_themes"]],
        "gaps_thin": [outcomes[t] for t in gaps["thin_themes"]],
        "national": None if gaps["national"] is None else [national[t] for t in gaps["national_gaps"]],
        "ladder": [{"name": outcomes[o["outcome"]], "stage": s["stage_of"].format(stage=o["stage"]),
                    "next": o["next_actions"][:3],
                    "next_text": [x["text"] for x in o["actions"] if x["action"] in o["next_actions"][:3]],
                    "notable": o["notable_practice"], "corpus": o["learn_from"]}
                   for o in a["ladder"]["outcomes"]],
        "plain_summary": s["plain_summary"].format(sentences=plain["sentences"], mean=plain["mean_words"],
                                                   long=plain["long_sentences"], passive=plain["passive_sentences"],
                                                   jargon=sum(plain["jargon"].values())),
        "plain_needs_work": plain["needs_work"],
        "plain_reasons": plain["reasons"],
        "jargon": [{"term": t, "uses": n, "instead": ", ".join(plain["alternatives"].get(t, []))}
                   for t, n in plain["jargon"].items()],
        "rewrite": plain["rewrite"][0] if plain["needs_work"] and plain["rewrite"] else None,
        "editions": None,
        "selfassess": None,
    }
    sa = a.get("self_assessment")
    if sa:
        view["selfassess"] = {
            "intro": s["selfassess_intro"].format(council=sa["council_answers"]),
            "rows": [{"name": outcomes[m["outcome_id"]], "done": m["done"], "in_progress": m["in_progress"],
                      "not_started": m["not_started"], "stage": s["stage_of"].format(stage=m["stage"]),
                      "planned": s["stage_of"].format(stage=m["stage_with_in_progress"]),
                      "score": f"{m['score']:.2f}"} for m in sa["maturity"]],
        }
    e = a.get("editions")
    if e:
        lga = next(t for t in e["themes"] if t["framework"] == LGA_ID)
        before = " + ".join(names.get(t, t) for t in e["type_change"]["from"])
        after = " + ".join(names.get(t, t) for t in e["type_change"]["to"])
        view["editions"] = {
            "earlier": e["earlier"], "gained": [outcomes[t] for t in lga["gained"]], "lost": [outcomes[t] for t in lga["lost"]],
            "type": s["type_changed"].format(before=before, after=after),
            "fates": [{"text": c["text"], "fate": s["fate_" + c["status"]], "later": c["later_text"]}
                      for c in e["earlier_commitments"]],
            "new": s["new_commitments"].format(n=e["counts"]["new"]),
        }
    return view


def corpus_view(analysis: dict[str, Any], lang: str) -> dict[str, Any]:
    outcomes = _outcome_names(lang)
    g = analysis["corpus_gaps"]
    return {"gaps": [{"name": outcomes[t["theme"]], "missing": t["missing"], "documents": t["documents"],
                      "councils": t["councils_missing"]} for t in g["themes"]],
            "excluded": g["excluded"]}
