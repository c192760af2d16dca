"""The analysis commands of `stratlens`: audit, type, gaps, ladder, selfassess, similar, plain,
editions. Each is a thin shell over a function of stratlens.analyse that returns plain data;
--json prints that data, otherwise a short table. Registered on the main app by cli.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from stratlens.cli import DbOption, _fail, app, console
from stratlens.config import db_path
from stratlens.store import Store

JsonOption = typer.Option(False, "--json", help="Print JSON.")


@contextmanager
def _store(db: Optional[Path]) -> Iterator[Store]:
    path = db_path(db)
    if not Path(path).exists():
        _fail(f"{path}: no such database; run 'stratlens ingest' or 'stratlens demo' first")
    with Store(path) as store:
        yield store


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _where(q: dict[str, Any]) -> str:
    page = f"p. {q['page']}" if q.get("page") else ""
    return " · ".join(x for x in (page, (q.get("heading") or "").split(" > ")[-1]) if x)


@app.command()
def audit(document_id: int = typer.Argument(..., help="Document id (see 'stratlens documents')."),
          db: Optional[Path] = DbOption, as_json: bool = JsonOption) -> None:
    """Quality audit against the good-digital-strategy checklist, with dated commitments."""
    from stratlens.analyse.audit import audit_document

    with _store(db) as store:
        result = audit_document(store, document_id).as_dict()
    if as_json:
        _print_json(result)
        return
    d = result["document"]
    console.print(f"[bold]{d['council']}: {d['title']}[/bold] ({d['year']}) — "
                  + ", ".join(f"{v} {k}" for k, v in result["counts"].items() if v), highlight=False)
    table = Table("criterion", "status", "why", "evidence")
    for c in result["criteria"]:
        ev = c["evidence"][0] if c["evidence"] else (c["counter_evidence"][0] if c["counter_evidence"] else None)
        table.add_row(c["name"], c["status"] + (" (review)" if c["review"] else ""), c["reason"],
                      f"{ev['quote'][:120]} [{_where(ev)}]" if ev else "none found")
    console.print(table)
    if result["commitments"]:
        ct = Table("date", "commitment", "owner", "measure", title="Dated commitments")
        for c in result["commitments"]:
            ct.add_row(c["date"] or "", c["text"][:110], c["owner"] or "", (c["measure"] or "")[:60])
        console.print(ct)


@app.command("type")
def type_(document_id: int = typer.Argument(..., help="Document id."), db: Optional[Path] = DbOption,
          as_json: bool = JsonOption) -> None:
    """Strategy type(s) from the 2016 taxonomy, with the evidence; mixed types allowed."""
    from stratlens.analyse.strategy_type import strategy_type

    with _store(db) as store:
        result = strategy_type(store, document_id).as_dict()
    if as_json:
        _print_json(result)
        return
    console.print(f"type: {' + '.join(result['types'])}{' (mixed)' if result['mixed'] else ''}, "
                  f"confidence {result['confidence']}", highlight=False)
    table = Table("type", "score", "signals", "profile", "strongest evidence")
    for s in result["scores"]:
        best = max(s["signals"], key=lambda r: r["hits"])
        quote = best["quotes"][0]["quote"][:100] if best["quotes"] else ""
        table.add_row(s["name"], f"{s['score']:.2f}", f"{s['signal_score']:.2f}", f"{s['profile_score']:.2f}", quote)
    console.print(table)


@app.command()
def gaps(council: Optional[str] = typer.Option(None, "--council", help="Council id or name; without it, the corpus."),
         db: Optional[Path] = DbOption, as_json: bool = JsonOption) -> None:
    """Themes a council covers weakly against its peers and its national strategy, or the corpus's gaps."""
    from stratlens.analyse.gaps import corpus_gaps, council_gaps

    with _store(db) as store:
        result = council_gaps(store, council).as_dict() if council else corpus_gaps(store).as_dict()
    if as_json:
        _print_json(result)
        return
    if not council:
        table = Table("theme", "strategies missing it", "councils", title="Themes most strategies miss")
        for t in result["themes"]:
            table.add_row(t["name"], f"{t['missing']} / {t['documents']}", ", ".join(t["councils_missing"]))
        console.print(table)
        if result["excluded"]:
            console.print("left out (unreliable labels): " + ", ".join(result["excluded"]), highlight=False)
        return
    console.print(f"peers ({result['peer_group']}): {', '.join(result['peer_councils']) or 'none'}", highlight=False)
    if not result["reliable"]:
        console.print("this document's labels are unreliable: no peer comparison", highlight=False)
    table = Table("theme", "share", "peer median", "peers covering", "gap")
    for t in result["themes"]:
        table.add_row(t["name"], f"{t['share']:.0%}", f"{t['peer_median_share']:.0%}", f"{t['peers_covering']}/{t['peers']}",
                      t["why"] or "")
    console.print(table)
    if result["national"] is not None:
        console.print("not covered from the national strategy: " + (", ".join(result["national_gaps"]) or "none"),
                      highlight=False)
    else:
        console.print(result["national_note"], highlight=False)


@app.command()
def ladder(document_id: int = typer.Argument(..., help="Document id."), db: Optional[Path] = DbOption,
           as_json: bool = JsonOption) -> None:
    """The LGA practice-ladder stage per outcome, next actions, and councils to learn from."""
    from stratlens.analyse.ladder import ladder as build

    with _store(db) as store:
        result = build(store, document_id).as_dict()
    if as_json:
        _print_json(result)
        return
    table = Table("outcome", "stage", "evidenced", "next actions", "learn from")
    for o in result["outcomes"]:
        learn = [e["council"] for e in o["notable_practice"]] + [c["council"] + " (corpus)" for c in o["learn_from"]]
        table.add_row(o["name"], str(o["stage"]), f"{o['evidenced']}/9", ", ".join(o["next_actions"][:4]),
                      ", ".join(learn[:4]))
    console.print(table)


@app.command()
def selfassess(
    council: str = typer.Argument(..., help="Council id or name."),
    set_: list[str] = typer.Option([], "--set", help="ACTION=STATUS (done, in-progress, not-started); repeatable."),
    note: Optional[str] = typer.Option(None, help="Note stored with the answers given by --set."),
    by: Optional[str] = typer.Option(None, "--by", help="Who gave the answers."),
    export: Optional[str] = typer.Option(None, "--export", help="csv or json: print the full self-assessment."),
    peers: bool = typer.Option(False, "--peers", help="Compare maturity with peer councils."),
    reset: list[str] = typer.Option([], "--reset", help="ACTION, or 'all': drop the council's own answer so the "
                                                         "pre-fill applies again; repeatable."),
    db: Optional[Path] = DbOption, as_json: bool = JsonOption,
) -> None:
    """Self-assessment of every ladder action, pre-filled from the strategy and editable."""
    from stratlens.analyse import selfassess as sa

    if export and export not in ("csv", "json"):
        _fail("--export must be csv or json")
    with _store(db) as store:
        if reset:
            dropped = sa.reset_answers(store, council, None if "all" in reset else reset)
            typer.echo(f"{dropped} answer(s) returned to the pre-fill", err=True)  # stdout may be an export
        if set_:
            sa.set_answers(store, council, [sa.parse_assignment(s) for s in set_], note=note, by=by)
        rows = sa.answers(store, council)
        comparison = sa.compare_with_peers(store, council) if peers else None
    if export == "csv":
        print(sa.to_csv(rows), end="")
        return
    if export == "json" or as_json:
        data = json.loads(sa.to_json(rows))
        if comparison:
            data["peers"] = {"group": comparison[0], "councils": comparison[1],
                             "outcomes": [c.as_dict() for c in comparison[2]]}
        _print_json(data)
        return
    table = Table("outcome", "stage (done)", "stage (with in progress)", "done", "in progress", "not started", "score")
    for m in sa.maturity(rows):
        table.add_row(m.name, str(m.stage), str(m.stage_with_in_progress), str(m.done), str(m.in_progress),
                      str(m.not_started), f"{m.score:.2f}")
    console.print(table)
    if comparison:
        pt = Table("outcome", "score", "peer median", "best peer", title=f"peers ({comparison[0]})")
        for c in comparison[2]:
            pt.add_row(c.name, f"{c.score:.2f}", f"{c.peer_median_score:.2f}", f"{c.peer_best or ''} {c.peer_best_score:.2f}")
        console.print(pt)


@app.command()
def similar(council: str = typer.Argument(..., help="Council id or name."),
            limit: int = typer.Option(5, help="How many councils to list."),
            db: Optional[Path] = DbOption, as_json: bool = JsonOption) -> None:
    """Councils with similar strategies (theme profile and text), to find partners."""
    from stratlens.analyse.similar import similar_councils

    with _store(db) as store:
        result = similar_councils(store, council, limit=limit).as_dict()
    if as_json:
        _print_json(result)
        return
    table = Table("council", "score", "profile", "text", "both cover", "they cover, you do not")
    for m in result["matches"]:
        table.add_row(m["council"], f"{m['score']:.2f}", "" if m["profile"] is None else f"{m['profile']:.2f}",
                      f"{m['text']:.2f}", ", ".join(m["both_cover"]), ", ".join(m["they_cover"]))
    console.print(table)


@app.command()
def plain(document_id: int = typer.Argument(..., help="Document id."), db: Optional[Path] = DbOption,
          as_json: bool = JsonOption) -> None:
    """Plain-English check: long sentences, passive voice, jargon, passages to rewrite."""
    from stratlens.analyse.plain import plain_check

    with _store(db) as store:
        result = plain_check(store, document_id).as_dict()
    if as_json:
        _print_json(result)
        return
    console.print(f"{result['sentences']} sentences, mean {result['mean_words']} words, "
                  f"{result['long_sentences']} over 25 words, {result['passive_sentences']} passive, "
                  f"{sum(result['jargon'].values())} jargon terms"
                  + (" — needs work: " + "; ".join(result["reasons"]) if result["needs_work"] else ""), highlight=False)
    if result["jargon"]:
        table = Table("term", "uses", "instead")
        for term, n in result["jargon"].items():
            table.add_row(term, str(n), ", ".join(result["alternatives"].get(term, [])))
        console.print(table)
    for c in result["rewrite"]:
        console.print(f"[bold]rewrite[/bold] {_where(c)}: {c['text'][:200]}", highlight=False)


@app.command()
def editions(council: str = typer.Argument(..., help="Council id or name."), db: Optional[Path] = DbOption,
             as_json: bool = JsonOption) -> None:
    """Two editions of a council's strategy compared: themes and commitments kept, dropped, new."""
    from stratlens.analyse.editions import compare_editions

    with _store(db) as store:
        result = compare_editions(store, council).as_dict()
    if as_json:
        _print_json(result)
        return
    console.print(f"{result['earlier']['title']} ({result['earlier']['year']}) -> {result['later']['title']} "
                  f"({result['later']['year']})", highlight=False)
    for t in result["themes"]:
        console.print(f"{t['framework']}: gained {', '.join(t['gained']) or 'none'}; lost {', '.join(t['lost']) or 'none'}",
                      highlight=False)
    console.print(f"type: {' + '.join(result['type_change']['from'])} -> {' + '.join(result['type_change']['to'])}",
                  highlight=False)
    table = Table("earlier commitment", "fate", "in the later edition")
    for c in result["earlier_commitments"]:
        table.add_row(c["text"][:90], c["status"], (c["later_text"] or "")[:90])
    console.print(table)
    console.print(f"{result['counts']['new']} new commitments", highlight=False)
