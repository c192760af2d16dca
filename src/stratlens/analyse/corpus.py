"""Every analysis for every document of a store, computed once: what the report (and any other
whole-corpus view) shows. Ladders are built once per document and shared, so 'councils to learn
from' costs no second pass.
"""

from __future__ import annotations

from typing import Any

from stratlens.analyse.audit import CHECKLIST_ID, audit_text
from stratlens.analyse.editions import compare_editions
from stratlens.analyse.gaps import corpus_gaps, council_gaps, latest_per_council
from stratlens.analyse import selfassess
from stratlens.analyse.ladder import MAX_EXAMPLES, Ladder, _assigned, document_ladder, notable_practice
from stratlens.analyse.plain import check_text
from stratlens.analyse.similar import _Vectors, similar_councils
from stratlens.analyse.strategy_type import classify_type, lga_profile
from stratlens.analyse.text import doc_text
from stratlens.store import Store


def analyse_corpus(store: Store) -> dict[str, Any]:
    """{'documents': {id: {...}}, 'corpus_gaps': {...}, 'similar': {council_id: {...}}}"""
    docs = store.documents()
    labels = store.labels(CHECKLIST_ID, assigned_only=False)
    latest = latest_per_council(store)
    vectors = _Vectors(store) if docs else None
    texts = {d["id"]: doc_text(store, d["id"]) for d in docs}
    ladders = {d["id"]: document_ladder(texts[d["id"]], _assigned(store, d["id"])) for d in docs}
    similar = {cid: similar_councils(store, cid, limit=5, vectors=vectors) for cid in latest} if vectors else {}
    out: dict[str, Any] = {"documents": {}, "corpus_gaps": corpus_gaps(store).as_dict(),
                           "similar": {cid: s.as_dict() for cid, s in similar.items()}}
    audits: dict[int, Any] = {}
    types: dict[int, Any] = {}
    for d in docs:
        did = d["id"]
        lad = ladders[did]
        nation = d.get("council_nation") or d.get("nation")
        sim = {m.council_id: m for m in similar_councils(store, d["council_id"], limit=50, vectors=vectors).matches} \
            if vectors else {}
        for o in lad.outcomes:
            o.notable_practice = notable_practice(o.outcome, nation)
            better = []
            for cid, m in sim.items():
                other = latest.get(cid)
                if other is None:
                    continue
                theirs = ladders[other["id"]].outcome(o.outcome)
                if theirs.stage > o.stage:
                    better.append((m, theirs.stage))
            better.sort(key=lambda x: (-x[0].score, -x[1]))
            o.learn_from = [{"council_id": m.council_id, "council": m.council, "document_id": m.document_id,
                             "stage": st, "similarity": m.score} for m, st in better[:MAX_EXAMPLES]]
        audits[did] = audit_text(texts[did], labels)
        types[did] = classify_type(texts[did], lga_profile(store, did))
        entry: dict[str, Any] = {
            "audit": audits[did].as_dict(),
            "type": types[did].as_dict(),
            "ladder": lad.as_dict(),
            "plain": check_text(texts[did]).as_dict(),
            "gaps": council_gaps(store, d["council_id"], did).as_dict(),
            "editions": None,
        }
        council_docs = sorted((x for x in docs if x["council_id"] == d["council_id"]), key=lambda x: (x["year"] or 0, x["id"]))
        if len(council_docs) >= 2 and council_docs[-1]["id"] == did:
            earlier = council_docs[-2]["id"]
            if earlier not in audits:  # documents come oldest first, so this is rare
                audits[earlier] = audit_text(texts[earlier], labels)
                types[earlier] = classify_type(texts[earlier], lga_profile(store, earlier))
            entry["editions"] = compare_editions(store, d["council_id"], earlier, did, audits=audits,
                                                 types=types).as_dict()
        out["documents"][did] = entry
    return out


def add_self_assessments(store: Store, analysis: dict[str, Any]) -> None:
    """Adds `self_assessment` to the entry of each council's latest strategy in `analysis` (from
    analyse_corpus): its own answers where it gave them, else the pre-fill from that strategy's
    ladder, and maturity per outcome. Nothing is written to the store. Kept apart from
    analyse_corpus because answers change without the documents changing: the web app caches the
    analyses and reads answers live, the report takes both at one moment."""
    for council_id, doc in latest_per_council(store).items():
        entry = analysis["documents"].get(doc["id"])
        if entry is None:
            continue
        lad = Ladder.from_dict(entry["ladder"])
        rows = selfassess.answers(store, council_id, save=False,
                                  prefill_of=lambda cid, lad=lad: selfassess.prefill_from(lad, cid))
        entry["self_assessment"] = {"answers": [a.as_dict() for a in rows],
                                    "maturity": [m.as_dict() for m in selfassess.maturity(rows)],
                                    "council_answers": sum(1 for a in rows if a.source == "council")}
