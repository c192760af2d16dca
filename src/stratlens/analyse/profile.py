"""Theme profiles: each document's coverage shares, and whether its labels can be trusted.

Several analyses compare documents by how much of their text is about each theme (gaps,
similar councils, strategy type). They all read coverage through here, so the same counting
rule (analyse/coverage.py) and the same guard apply everywhere: a document whose passages
carry (nearly) every theme at once has labels that say nothing about any one theme (this
happens when a classifier without a trained head meets a language it handles poorly), and is
left out of comparisons and flagged rather than compared on noise.
"""

from __future__ import annotations

from stratlens.analyse.coverage import DocumentCoverage, document_coverage
from stratlens.frameworks import Framework, load_framework
from stratlens.store import Store

#: Labels are unreliable when the average theme is assigned to this share of the passages or more.
SATURATED_MEAN_SHARE = 0.6


def coverage_by_document(store: Store, framework_id: str) -> dict[int, DocumentCoverage]:
    """Coverage of every document, remembered on the store until its data changes.

    The analyses ask for it once per document they look at (gaps, similar councils, type,
    editions), and each answer covers the whole corpus: without the memo a corpus of 200
    documents computed it over a thousand times (150 s before the first analysed web page).
    The memo is keyed by this connection's change count and SQLite's data_version, which moves
    when another connection commits, so it is never stale. Treat the result as read-only."""
    state = (store.conn.total_changes, store.conn.execute("PRAGMA data_version").fetchone()[0])
    memo: dict[str, tuple[tuple[int, int], dict[int, DocumentCoverage]]] = store.__dict__.setdefault(
        "_coverage_memo", {})
    hit = memo.get(framework_id)
    if hit is not None and hit[0] == state:
        return dict(hit[1])
    fw = load_framework(framework_id)
    result = {dc.document["id"]: dc for dc in document_coverage(store, fw)}
    memo[framework_id] = (state, result)
    return dict(result)


def shares(dc: DocumentCoverage, framework: Framework | None = None) -> dict[str, float]:
    ids = framework.theme_ids if framework else list(dc.themes)
    return {t: dc.themes[t].share for t in ids}


def reliable(dc: DocumentCoverage) -> bool:
    """False when the labels are saturated (or there are none at all)."""
    values = [c.share for c in dc.themes.values()]
    if not values or dc.total_passages == 0:
        return False
    if not any(c.passages for c in dc.themes.values()):
        return False
    return sum(values) / len(values) < SATURATED_MEAN_SHARE
