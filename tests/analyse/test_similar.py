"""Similar councils: by theme profile and by text."""

from __future__ import annotations

from stratlens.analyse.similar import similar_councils


def test_similar_councils_on_the_corpus(corpus) -> None:
    result = similar_councils(corpus.store, "wyvernshire", limit=8)
    names = [m.council for m in result.matches]
    assert "Wyvernshire" not in names and len(names) == 7
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    top = result.matches[0]
    assert top.profile is not None and 0 < top.text <= 1
    assert set(top.both_cover) and isinstance(top.they_cover, list)


def test_unreliable_profile_falls_back_to_text(tmp_path) -> None:
    """A document whose passages all carry every theme is compared on its text alone."""
    from stratlens.councils import Council
    from stratlens.frameworks import LGA_ID, load_framework
    from stratlens.model import Passage
    from stratlens.store import Store

    texts = {"alpha": "We will rebuild our online forms and answer calls faster.",
             "beta": "We will bring full fibre broadband to every village and school.",
             "gamma": "We will rebuild the council website and our online forms."}
    with Store(tmp_path / "s.db") as store:
        for i, (cid, text) in enumerate(texts.items()):
            store.add_council(Council(id=cid, name_en=cid.title(), short=cid.title(), nation="England"))
            with store.transaction() as conn:
                doc = store.insert_document(conn, sha256=cid, council_id=cid, title=cid, year=2024, source=cid,
                                            format="text", language="en")
                [pid] = store.insert_passages(conn, doc, [Passage(0, text, None, ["Strategy"], "en")])
                every = cid == "alpha"
                store.replace_labels(conn, doc, LGA_ID, "test", [(pid, t, 0.9, every or t == "services", [])
                                                                 for t in load_framework(LGA_ID).theme_ids])
        result = similar_councils(store, "alpha")
        assert not result.profile_used and all(m.profile is None and m.score == m.text for m in result.matches)
        assert result.matches[0].council == "Gamma"             # closest by text
        assert similar_councils(store, "beta").profile_used


def test_the_user_centred_strategies_find_each_other(corpus) -> None:
    """The three GDS-style strategies of the key each have the other two among their three closest."""
    gds = {"wyvernshire": "Wyvernshire", "brynhafod": "Brynhafod", "hollowbrook": "Hollowbrook"}
    for cid, name in gds.items():
        top3 = {m.council for m in similar_councils(corpus.store, cid, limit=3).matches}
        assert set(gds.values()) - {name} <= top3, cid
