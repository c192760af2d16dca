"""Every input format is read into blocks and passages that keep their headings and pages.

Documents are generated in tmp_path (fpdf2, python-docx, plain bytes); the real Oxford City
Council pages and PDFs and the .txt corpus files are read in place from the shared corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratlens.ingest import SUPPORTED_SUFFIXES, read_file
from stratlens.model import DocumentMeta
from stratlens.pipeline import ingest_paths
from stratlens.segment import MAX_CHARS, segment


def headings(result) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in result.blocks if b.kind == "heading"]


def passage_with(passages, needle: str):
    hits = [p for p in passages if needle in p.text]
    assert hits, f"no passage contains {needle!r}: {[p.text[:60] for p in passages]}"
    return hits[0]


# -- PDF ---------------------------------------------------------------------------------------------
RUNNING_HEADER = "Aldchester Council Digital Strategy 2024"


@pytest.fixture
def strategy_pdf(make_pdf, english) -> Path:
    pages = [
        [("title", "Aldchester Digital Strategy"), ("h1", "Introduction"), ("p", english[0]),
         ("p", "In this strategy we explain why change is needed now and what residents told us in the "
               "consultation last spring.")],
        [("h1", "Our priorities"), ("h2", "Open data"), ("p", english[1]),
         ("h2", "Digital skills"), ("p", english[2])],
        [("h1", "Delivering the plan"), ("p", "We will deliver three things in the first year:"),
         ("li", "a new customer account for council tax and housing repairs"),
         ("li", "an open data portal with monthly releases"),
         ("li", "a digital skills programme for front-line staff"),
         ("p", english[3])],
    ]
    return make_pdf(pages, "aldchester-strategy.pdf", header=RUNNING_HEADER, page_numbers=True)


def test_pdf_pages_and_title(strategy_pdf):
    result, data = read_file(strategy_pdf)
    assert result.format == "pdf"
    assert result.pages == 3
    assert data == strategy_pdf.read_bytes()
    assert result.title == "Aldchester Digital Strategy"


def test_pdf_headings_by_font_size(strategy_pdf):
    result, _ = read_file(strategy_pdf)
    found = headings(result)
    levels = dict((text, level) for level, text in found)
    # 22 pt title > 18 pt chapter > 14 pt section
    assert levels["Aldchester Digital Strategy"] < levels["Introduction"] < levels["Open data"]
    assert levels["Introduction"] == levels["Our priorities"] == levels["Delivering the plan"]
    assert levels["Open data"] == levels["Digital skills"]
    # body text is never taken for a heading
    assert not any(text.startswith("We will") for _, text in found)


def test_pdf_running_header_and_page_numbers_removed(strategy_pdf):
    result, _ = read_file(strategy_pdf)
    texts = [b.text for b in result.blocks]
    assert not any(RUNNING_HEADER in t for t in texts), texts
    assert not any(re.search(r"Page \d of 3", t) for t in texts), texts
    passages = segment(result.blocks)
    assert not any(RUNNING_HEADER in p.text or "of 3" in p.text for p in passages)


def test_pdf_passages_keep_page_and_heading_path(strategy_pdf, english):
    passages = segment(read_file(strategy_pdf)[0].blocks)
    intro = passage_with(passages, "testing every change")
    assert intro.page == 1
    assert intro.heading_path == ["Aldchester Digital Strategy", "Introduction"]
    data = passage_with(passages, "published openly by default")
    assert data.page == 2
    assert data.heading_path == ["Aldchester Digital Strategy", "Our priorities", "Open data"]
    skills = passage_with(passages, "digital skills, with a learning programme")
    assert skills.heading_path[-1] == "Digital skills" and skills.page == 2
    plan = passage_with(passages, "open data portal with monthly releases")
    assert plan.page == 3
    assert plan.heading_path[-1] == "Delivering the plan"
    # the lead-in line stays with its list
    assert "first year:" in plan.text and "customer account" in plan.text
    assert {p.page for p in passages} == {1, 2, 3}


def test_pdf_justified_text_has_single_spaces(strategy_pdf):
    """fpdf2 justifies multi_cell text; word spacing must not become runs of spaces."""
    for block in read_file(strategy_pdf)[0].blocks:
        assert "  " not in block.text and "\t" not in block.text, block.text


def test_pdf_sentence_across_page_break_is_one_passage(make_pdf):
    pdf = make_pdf([
        [("h1", "Connectivity"),
         ("p", "Reliable broadband matters to every household and business in the county, and over the "
               "next three years we will invest in")],
        [("p", "full fibre connections for schools, libraries and community centres, working with "
               "suppliers and neighbouring councils.")],
    ], header="Connected county strategy", page_numbers=True)
    passages = segment(read_file(pdf)[0].blocks)
    joined = passage_with(passages, "invest in full fibre")
    assert joined.page == 1
    assert "invest in. full" not in joined.text


def test_pdf_welsh_text_with_circumflex_letters(make_pdf, unicode_font, welsh):
    pdf = make_pdf([[("h1", "Strategaeth Ddigidol"), ("p", welsh),
                     ("p", "Bydd pob ŵyr ac ŷd yn y sir yn elwa o wasanaethau digidol y cyngor.")]],
                   "strategaeth.pdf", font=unicode_font)
    result, _ = read_file(pdf)
    text = " ".join(b.text for b in result.blocks)
    assert "ŵyr" in text and "ŷd" in text
    passages = segment(result.blocks)
    assert passages and all(p.lang == "cy" for p in passages)


# -- DOCX --------------------------------------------------------------------------------------------
@pytest.fixture
def strategy_docx(make_docx, english) -> Path:
    return make_docx([
        ("title", "Brynhafod Digital Strategy 2023"),
        ("h1", "Our priorities"),
        ("p", english[0]),
        ("h2", "Data"),
        ("p", "We will use data well. These are the first steps:"),
        ("bullet", "an open data portal"),
        ("bullet", "data skills for analysts"),
        ("number", "publish a data catalogue"),
        ("h2", "Delivery plan"),
        ("table", [["Action", "Owner", "Year"], ["Launch portal", "ICT", "2024"],
                   ["Skills programme", "HR", "2025"]]),
        ("h1", "Governance"),
        ("p", english[3]),
    ], "brynhafod.docx")


def test_docx_heading_styles_become_heading_paths(strategy_docx, english):
    result, _ = read_file(strategy_docx)
    assert result.format == "docx"
    assert result.title == "Brynhafod Digital Strategy 2023"
    levels = dict((t, lvl) for lvl, t in headings(result))
    assert levels["Our priorities"] == 1 and levels["Data"] == 2 and levels["Governance"] == 1
    passages = segment(result.blocks)
    assert passage_with(passages, "real users").heading_path[-1] == "Our priorities"
    assert passage_with(passages, "open data portal").heading_path[-2:] == ["Our priorities", "Data"]
    # Heading 1 after Heading 2 pops back to the top level
    assert passage_with(passages, "neighbouring councils").heading_path[-1] == "Governance"
    assert "Data" not in passage_with(passages, "neighbouring councils").heading_path


def test_docx_lists_and_tables(strategy_docx):
    result, _ = read_file(strategy_docx)
    items = [b.text for b in result.blocks if b.kind == "list-item"]
    assert items == ["an open data portal", "data skills for analysts", "publish a data catalogue"]
    rows = [b.text for b in result.blocks if b.kind == "table-row"]
    assert rows == ["Action | Owner | Year", "Launch portal | ICT | 2024", "Skills programme | HR | 2025"]
    passages = segment(result.blocks)
    lead_in = passage_with(passages, "first steps:")
    assert "open data portal" in lead_in.text and "data catalogue" in lead_in.text
    table = passage_with(passages, "Launch portal | ICT | 2024")
    assert table.heading_path[-1] == "Delivery plan"


def test_docx_core_properties_title_wins(make_docx, english):
    path = make_docx([("h1", "Chapter one"), ("p", english[0])], core_title="Official title 2022")
    assert read_file(path)[0].title == "Official title 2022"


# -- HTML --------------------------------------------------------------------------------------------
COUNCIL_PAGE = """---
layout: strategy
title: Digital by Design
---
<!DOCTYPE html>
<html lang="en"><head><title>Hollowbrook Council - site title</title>
<script>var tracker = "SCRIPT-SECRET";</script><style>.x {{ color: red }}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve this site. Accept all cookies</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/bins">Bins and recycling</a></li></ul></nav>
<header class="site-header"><p>Hollowbrook Council - Pay it, report it, apply for it</p></header>
<div class="breadcrumb">Home / Your council / Strategies</div>
<div class="content">
<h2>Our approach</h2>
<p>{p0}</p>
<h2>What we will do</h2>
<ul><li>Redesign the twenty most used online forms</li><li>Publish our service standard</li></ul>
<script>document.write("SCRIPT-SECRET")</script>
<h3>Measuring progress</h3>
<table><tr><th>Measure</th><th>Target</th></tr><tr><td>Forms completed online</td><td>80%</td></tr></table>
</div>
<footer class="site-footer"><p>Copyright Hollowbrook Council. Privacy notice. Accessibility statement.</p></footer>
</body></html>
"""


@pytest.fixture
def council_page(tmp_path, english) -> Path:
    path = tmp_path / "digital-by-design.html"
    path.write_text(COUNCIL_PAGE.format(p0=english[0]), encoding="utf-8")
    return path


def test_html_boilerplate_dropped(council_page):
    result, _ = read_file(council_page)
    text = " ".join(b.text for b in result.blocks)
    for boiler in ("cookies", "Bins and recycling", "Pay it, report it", "Home / Your council", "Copyright",
                   "SCRIPT-SECRET", "color: red", "layout: strategy"):
        assert boiler not in text, boiler


def test_html_headings_and_front_matter_title(council_page):
    result, _ = read_file(council_page)
    assert result.format == "html"
    assert result.title == "Digital by Design"
    assert result.metadata["title"] == "Digital by Design"
    assert headings(result) == [(1, "Digital by Design"), (2, "Our approach"), (2, "What we will do"),
                                (3, "Measuring progress")]
    passages = segment(result.blocks)
    assert passage_with(passages, "real users").heading_path == ["Digital by Design", "Our approach"]
    forms = passage_with(passages, "twenty most used online forms")
    assert forms.heading_path == ["Digital by Design", "What we will do"]
    assert "Publish our service standard" in forms.text
    table = passage_with(passages, "Forms completed online | 80%")
    assert table.heading_path[-1] == "Measuring progress"


def test_html_title_from_h1_then_title_tag(tmp_path, english):
    with_h1 = tmp_path / "a.html"
    with_h1.write_text(f"<html><head><title>Tab</title></head><body><main><h1>Smart Aldchester</h1>"
                       f"<p>{english[1]}</p></main></body></html>", encoding="utf-8")
    assert read_file(with_h1)[0].title == "Smart Aldchester"
    only_title = tmp_path / "b.htm"
    only_title.write_text(f"<html><head><title>Tab title</title></head><body><p>{english[1]}</p></body></html>",
                          encoding="utf-8")
    assert read_file(only_title)[0].title == "Tab title"


def test_html_main_landmark_preferred(tmp_path, english):
    page = tmp_path / "landmark.html"
    page.write_text(f"<html><body><div class='promo'>Sign up to our newsletter today for news</div>"
                    f"<main><h2>Vision</h2><p>{english[2]}</p></main>"
                    f"<div>Related pages: parking, libraries</div></body></html>", encoding="utf-8")
    text = " ".join(b.text for b in read_file(page)[0].blocks)
    assert "digital skills" in text
    assert "newsletter" not in text and "Related pages" not in text


def test_html_cp1252_page_is_read(tmp_path):
    page = tmp_path / "old.html"
    page.write_bytes("<html><body><p>Our council’s “digital first” plan – costing £2m over three years "
                     "for every resident.</p></body></html>".encode("cp1252"))
    text = read_file(page)[0].blocks[0].text
    assert "council’s “digital first” plan – costing £2m" in text


# -- Markdown ----------------------------------------------------------------------------------------
MARKDOWN = """---
title: Strathmorven Digital Strategy 2023
---
# Strathmorven Digital Strategy

## 1. Executive summary

{p0} We are **committed** to _open_ working.

## 2. Data

Our approach:

- publish data openly
- train analysts
1. first step

| Measure | Target |
|---------|--------|
| Open datasets | 50 |

Setext heading
--------------

{p1}
"""


def test_markdown_headings_lists_tables(tmp_path, english):
    path = tmp_path / "strathmorven.md"
    path.write_text(MARKDOWN.format(p0=english[0], p1=english[1]), encoding="utf-8")
    result, _ = read_file(path)
    assert result.format == "markdown"
    assert result.title == "Strathmorven Digital Strategy 2023"  # front matter wins
    assert headings(result) == [(1, "Strathmorven Digital Strategy"), (2, "1. Executive summary"),
                                (2, "2. Data"), (2, "Setext heading")]
    kinds = [(b.kind, b.text) for b in result.blocks]
    assert ("list-item", "publish data openly") in kinds and ("list-item", "first step") in kinds
    assert ("table-row", "Open datasets | 50") in kinds
    assert not any(re.fullmatch(r"[-| ]+", b.text) for b in result.blocks)  # table rule and setext line
    text = " ".join(b.text for b in result.blocks)
    assert "**" not in text and "_open_" not in text and "committed to open working" in text
    passages = segment(result.blocks)
    assert passage_with(passages, "train analysts").heading_path == ["Strathmorven Digital Strategy", "2. Data"]
    assert passage_with(passages, "published openly").heading_path[-1] == "Setext heading"


def test_markdown_title_from_first_heading(tmp_path, english):
    path = tmp_path / "notitle.markdown"
    path.write_text(f"# Digital Wyvernshire\n\n{english[2]}\n", encoding="utf-8")
    assert read_file(path)[0].title == "Digital Wyvernshire"


# -- plain text and encodings ------------------------------------------------------------------------
PLAIN = ("RAVENSCLOUGH COUNCIL\n====================\n\nOur Digital Vision\n\n"
         "The council’s “digital first” plan – costing £2m – will reach every café and résumé service "
         "in the borough.\n\nOUR VALUES\n----------\n\n{p0}\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_encodings_are_read(tmp_path, english, encoding):
    text = PLAIN.format(p0=english[0])
    path = tmp_path / f"vision-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    result, _ = read_file(path)
    assert result.format == "text"
    joined = "\n".join(b.text for b in result.blocks)
    assert "The council’s “digital first” plan – costing £2m – will reach every café and résumé" in joined
    assert "\ufeff" not in joined
    assert headings(result)[:2] == [(1, "RAVENSCLOUGH COUNCIL"), (2, "Our Digital Vision")]
    assert (2, "OUR VALUES") in headings(result)
    assert result.title == "RAVENSCLOUGH COUNCIL"
    assert not any(set(b.text) <= set("=- ") for b in result.blocks)


def test_latin1_text_is_read_not_rejected(tmp_path, english):
    # 0x81 and 0x8d are undefined in cp1252, so only the Latin-1 fallback can read this file
    raw = "Stratégie numérique: naïve façade, £100 per año.\x81\n\n".encode("latin-1") + english[0].encode()
    path = tmp_path / "latin1.txt"
    path.write_bytes(raw)
    result, _ = read_file(path)
    assert "Stratégie numérique: naïve façade, £100 per año." in result.blocks[0].text


def test_text_provenance_header_is_metadata(tmp_path, english):
    path = tmp_path / "with-header.txt"
    path.write_text("source: somewhere (published at https://example.gov.uk/strategy)\n"
                    "council: Cardiff Council  nation: Wales  year: 2021\n---\n"
                    f"=== Introduction ===\n\n{english[0]}\n", encoding="utf-8")
    result, _ = read_file(path)
    assert result.metadata["council"].startswith("Cardiff Council")
    assert headings(result) == [(1, "Introduction")]
    assert not any("source:" in b.text for b in result.blocks)


# -- every format through ingest_paths ---------------------------------------------------------------
def test_every_format_through_ingest(store, tmp_path, strategy_pdf, strategy_docx, council_page, english):
    folder = tmp_path / "mixed"
    folder.mkdir()
    files = {
        "pdf": strategy_pdf, "docx": strategy_docx, "html": council_page,
        "markdown": tmp_path / "plan.md", "text": tmp_path / "plan.txt",
    }
    files["markdown"].write_text(f"# Plan\n\n{english[1]}\n", encoding="utf-8")
    files["text"].write_bytes(f"Plan\n\n{english[2]} Caf\xe9.\n".encode("cp1252"))
    for f in files.values():
        (folder / f.name).write_bytes(f.read_bytes())
    report = ingest_paths(store, [folder], classify=False)
    assert [o.status for o in report.outcomes] == ["added"] * 5, [o.message for o in report.outcomes]
    docs = {d["format"]: d for d in store.documents()}
    assert set(docs) == {"pdf", "docx", "html", "markdown", "text"}
    assert docs["pdf"]["pages"] == 3
    for fmt, d in docs.items():
        assert d["passages"] > 0
        assert d["source"] == str(folder / files[fmt].name)
    assert {".pdf", ".docx", ".html", ".md", ".txt"} <= set(SUPPORTED_SUFFIXES)
    stored = store.passages(docs["pdf"]["id"])
    assert {r["page"] for r in stored} == {1, 2, 3}
    assert any(r["heading"] == "Aldchester Digital Strategy > Our priorities > Open data" for r in stored)


# -- the real corpus ---------------------------------------------------------------------------------
def test_real_oxford_html_pages(shared_corpus):
    pages = sorted((shared_corpus / "oxford-city-2016" / "strategy").glob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        result, _ = read_file(page)
        front_title = re.search(r"^title:\s*(.+)$", raw, re.M).group(1).strip()
        assert result.title == front_title
        h2s = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h)).strip()
               for h in re.findall(r"<h2[^>]*>(.*?)</h2>", raw, re.S | re.I)]
        found = [t for lvl, t in headings(result) if lvl == 2]
        assert found == [h for h in h2s if h], page.name
        passages = segment(result.blocks)
        assert passages, page.name
        assert all(p.heading_path and p.heading_path[0] == front_title for p in passages)
        assert all(len(p.text) <= MAX_CHARS for p in passages)
        assert not any("layout:" in p.text for p in passages)


def test_real_oxford_index_page_content(shared_corpus):
    result, _ = read_file(shared_corpus / "oxford-city-2016" / "strategy" / "index.html")
    passages = segment(result.blocks)
    p = passage_with(passages, "86% of adults in the UK are online")
    assert p.heading_path == ["Introduction", "Why Digital is important"]
    assert p.lang == "en"


def test_real_oxford_pdfs(shared_corpus):
    pdfs = sorted((shared_corpus / "oxford-city-2016" / "downloads").glob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        result, _ = read_file(pdf)
        assert result.pages and result.pages > 1
        passages = segment(result.blocks)
        assert len(passages) >= 10, pdf.name
        assert all(p.page is not None and 1 <= p.page <= result.pages for p in passages)
        assert len({p.page for p in passages}) >= result.pages // 2
        assert all(len(p.text) <= MAX_CHARS for p in passages)
        assert not any("\t" in h or "  " in h for p in passages for h in p.heading_path), pdf.name


def test_real_oxford_pdf_running_header_and_footer_removed(shared_corpus):
    pdf = shared_corpus / "oxford-city-2016" / "downloads" / "Oxford Redesign Guidance Document V1.0.pdf"
    result, _ = read_file(pdf)
    assert result.title == "Web Forms Redesign Guidance"
    text = " ".join(b.text for b in result.blocks)
    assert not re.search(r"last updated", text, re.I)  # footer: 'V 1.0 | Last updated .. | Page n'
    assert not re.search(r"Oxford City Council Web Forms V\d", text)  # running header
    passages = segment(result.blocks)
    validation = passage_with(passages, "Server-side validation")
    assert validation.page == 4
    assert validation.heading_path[-1] == "2.2 VALIDATION"


def test_real_txt_files(shared_corpus, store):
    files = sorted(shared_corpus.glob("*.txt"))
    assert len(files) >= 2
    report = ingest_paths(store, files, classify=False)
    assert [o.status for o in report.outcomes] == ["added"] * len(files), [o.message for o in report.outcomes]
    docs = {Path(d["source"]).name: d for d in store.documents()}
    oxford = docs["oxford-city_2016_digital-strategy.txt"]
    assert oxford["year"] == 2016 and oxford["council"] == "Oxford" and oxford["format"] == "text"
    gds = docs["uk-government-gds_2012_government-digital-strategy.txt"]
    assert gds["year"] == 2012 and gds["passages"] > 100
    for d in docs.values():
        assert d["title"] and d["language"] == "en"
        assert d["source_url"] and d["source_url"].startswith("https://")
    rows = store.passages(oxford["id"])
    assert all(len(r["text"]) <= MAX_CHARS for r in rows)
    assert any(r["heading"].endswith("Why Digital is important") for r in rows)


def test_real_corpus_folder_in_one_batch(shared_corpus, store):
    """The whole shared corpus, every format in it, in one call: nothing fails."""
    report = ingest_paths(store, [shared_corpus], given=DocumentMeta(nation="England"), classify=False)
    assert report.outcomes and not report.failed, [o.message for o in report.failed]
    formats = {d["format"] for d in store.documents()}
    assert {"pdf", "html", "text"} <= formats


def test_pdf_numbered_headings_at_page_tops_are_not_running_headers(make_pdf, english):
    """'Priority 1', 'Priority 2', ... each at the top of its page differ only in their number, like
    page numbers do, but they are headings."""
    pages = [[("h1", f"Priority {i + 1}"), ("p", english[i])] for i in range(4)]
    pdf = make_pdf(pages, "priorities.pdf", header="Wyvernshire Digital Strategy 2025 - page", page_numbers=True)
    result, _ = read_file(pdf)
    assert [t for _, t in headings(result)] == ["Priority 1", "Priority 2", "Priority 3", "Priority 4"]
    assert not any("Wyvernshire Digital Strategy" in b.text for b in result.blocks)
    passages = segment(result.blocks)
    assert [(p.heading_path, p.page) for p in passages] == [([f"Priority {i}"], i) for i in range(1, 5)]
