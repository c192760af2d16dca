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


def test_unreliable_profile_falls_back_to_text(corpus) -> None:
    result = similar_councils(corpus.store, "erwen")
    assert not result.profile_used and all(m.profile is None for m in result.matches)
    assert all(m.score == m.text for m in result.matches)


def test_the_user_centred_strategies_find_each_other(corpus) -> None:
    """The three GDS-style strategies of the key each have the other two among their three closest."""
    gds = {"wyvernshire": "Wyvernshire", "brynhafod": "Brynhafod", "hollowbrook": "Hollowbrook"}
    for cid, name in gds.items():
        top3 = {m.council for m in similar_councils(corpus.store, cid, limit=3).matches}
        assert set(gds.values()) - {name} <= top3, cid
