"""A small test corpus written by the tests, and a keyword labeller that stands in for the model.

The classifier is tested elsewhere; here the web app needs labels it can show, quickly and the
same every run, so passages get a theme when one of the theme's own keywords is in them.
"""

from __future__ import annotations

from pathlib import Path

from stratlens.frameworks import load_framework
from stratlens.model import DocumentMeta
from stratlens.pipeline import classifiable_frameworks, ingest_paths
from stratlens.store import Store
from stratlens.web import WebSettings

#: The analyst the test app knows.
ANALYST, PASSWORD = "ana", "correct horse battery"
EVIL = '<script>alert("owned")</script>'

DOCS = {
    "cardiff-digital-2023.md": (DocumentMeta(council="Cardiff", nation="Wales", year=2023,
                                             title="Cardiff Digital Strategy 2023"), """
# Cardiff Digital Strategy 2023

## Digital inclusion

We will tackle digital exclusion so that every resident has the skills, devices and connectivity
to get online. Our digital inclusion programme gives free devices and data to families in need.
Digital inclusion hubs in libraries help older people build digital skills and confidence.

## Better services online

Residents can report a problem, pay for services and book appointments online, any time, with one
account. We will redesign services around user needs and keep phone and face to face channels.

## Cyber security and resilience

We will protect our systems and data with strong cyber security, tested business continuity plans
and staff training on phishing and safe data handling.

## Working with partners

We will share data with health boards and neighbouring councils and collaborate through shared
platforms, procurement and partnership working across the region.
"""),
    "gwynedd-strategaeth-2024.md": (DocumentMeta(council="Gwynedd", nation="Wales", year=2024,
                                                 title="Strategaeth Ddigidol Gwynedd 2024"), """
# Strategaeth Ddigidol Gwynedd 2024

## Cynhwysiant digidol

Byddwn yn sicrhau bod pob preswylydd yn gallu mynd ar-lein, gyda sgiliau digidol, dyfeisiau a
chysylltedd. Mae cynhwysiant digidol yn flaenoriaeth i'r cyngor ac i'n cymunedau gwledig.

## Gwasanaethau ar-lein

Bydd trigolion yn gallu talu, archebu a rhoi gwybod am broblem ar-lein, yn Gymraeg ac yn Saesneg,
gydag un cyfrif. Byddwn yn cadw gwasanaethau wyneb yn wyneb i'r rhai sydd eu hangen.
"""),
    "newport-digital-2022.md": (DocumentMeta(council="Newport", nation="Wales", year=2022,
                                             title="Newport Digital Strategy " + EVIL), f"""
# Newport Digital Strategy

## Data and cloud

We will move our systems to the cloud and use data and analytics to plan services. {EVIL}
Our data strategy sets out how we govern, share and publish open data.

## Skills and leadership

Leaders and staff will build digital skills and capability through training, and a digital board
will lead the programme. Digital inclusion matters: we will lend devices to residents.
"""),
}


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (_, text) in DOCS.items():
        p = folder / name
        p.write_text(text.strip() + "\n", encoding="utf-8")
        out.append(p)
    return out


def keyword_labels(store: Store) -> None:
    """Label every stored passage against every classifiable framework by the themes' keywords."""
    for fid in classifiable_frameworks():
        fw = load_framework(fid)
        for doc in store.documents():
            rows = []
            for p in store.passages(doc["id"]):
                text = p["text"].lower()
                for theme in fw.themes:
                    words = [w.lower() for w in theme.keywords.en + theme.keywords.cy if len(w) > 3]
                    hits = [w for w in words if w in text]
                    rows.append((p["id"], theme.id, 0.9 if hits else 0.1, bool(hits), hits[:5]))
            with store.transaction() as conn:
                store.replace_labels(conn, doc["id"], fid, "test-keywords", rows)


def build_store(db: Path, work: Path) -> None:
    """Ingest the test corpus (no model) and label it with keywords."""
    files = write_corpus(work)
    with Store(db) as store:
        for path in files:
            meta = DOCS[path.name][0]
            report = ingest_paths(store, [path], given=meta, classify=False)
            assert not report.failed, report.failed[0].message
        keyword_labels(store)


def make_settings(db: Path, password_hash: str, **overrides: object) -> WebSettings:
    """Settings for a test app: strict Welsh, a small upload limit, no model unless asked."""
    values: dict[str, object] = dict(
        upload_dir=db.parent / "uploads", secret_key="test-secret", analyst_user=ANALYST,
        analyst_password_hash=password_hash, analysts_file=db.parent / "analysts.json",
        max_upload_bytes=256 * 1024, classify_uploads=False, strict_i18n=True)
    values.update(overrides)
    return WebSettings(db=db, **values)  # type: ignore[arg-type]
