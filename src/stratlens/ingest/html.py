"""HTML pages: the main content only, with headings kept.

A council web page carries menus, cookie banners, breadcrumbs and footers around the strategy
text. We prefer the page's own landmark (<main>, <article>, role=main) and otherwise drop the
usual boilerplate containers. A general extractor (trafilatura) was tried first but dropped
<h2> headings on council pages, and headings are what passages need for context.
"""

from __future__ import annotations

import re

from lxml import etree, html as lxml_html

from stratlens.errors import IngestError
from stratlens.ingest.text import decode_bytes, split_front_matter
from stratlens.model import Block, ReadResult

_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "button", "svg", "template", "iframe", "object", "embed", "select", "dialog"]
_BOILERPLATE = re.compile(
    r"cookie|consent|banner|breadcrumb|skip-?link|navbar|nav-|menu|sidebar|site-header|site-footer|"
    r"footer|masthead|social|share|print-link|feedback|back-to-top",
    re.I,
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "li", "dd", "dt", "blockquote", "pre", "td", "th", "caption", "figcaption"}
_MAX_DEPTH = 400


def _text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _is_boilerplate(el: etree._Element) -> bool:
    marker = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
    if el.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    return bool(_BOILERPLATE.search(marker)) and el.tag not in ("main", "article", "body", "html")


def _walk(el: etree._Element, out: list[Block], depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        raise ValueError("HTML nested too deeply")
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag in _HEADINGS:
            text = _text(child)
            if text:
                out.append(Block(text, "heading", level=_HEADINGS[tag]))
        elif tag == "tr":
            cells = [_text(c) for c in child if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            row = " | ".join(c for c in cells if c)
            if row:
                out.append(Block(row, "table-row"))
        elif tag in _BLOCKS and not any(
            isinstance(d.tag, str) and d.tag.lower() in _BLOCKS | set(_HEADINGS) | {"ul", "ol", "table"}
            for d in child.iterdescendants()
        ):
            text = _text(child)
            if text:
                out.append(Block(text, "list-item" if tag == "li" else "paragraph"))
        else:
            # Loose text directly inside a container (e.g. <div>text</div>) is a paragraph too.
            own = (child.text or "").strip()
            if own and tag not in ("ul", "ol", "table", "tbody", "thead", "tr"):
                if not any(isinstance(c.tag, str) for c in child):
                    out.append(Block(re.sub(r"\s+", " ", own), "paragraph"))
                    continue
                out.append(Block(re.sub(r"\s+", " ", own), "paragraph"))
            _walk(child, out, depth + 1)
        tail = (child.tail or "").strip()
        if tail and len(tail) > 2:
            out.append(Block(re.sub(r"\s+", " ", tail), "paragraph"))


def read_html(data: bytes, path: str) -> ReadResult:
    text = decode_bytes(data, path)
    meta, body = split_front_matter(text)
    parser = lxml_html.HTMLParser()
    try:
        doc = lxml_html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(path, f"not readable HTML ({exc})") from None
    # libxml2 stops parsing, without raising, at 256 levels of nesting: everything after that
    # point would be silently lost, so the page is refused instead of half-read.
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise IngestError(path, "HTML nested too deeply to read (over 255 levels of elements)")
    title_el = doc.find(".//title")
    page_title = _text(title_el) if title_el is not None else None
    for bad in doc.xpath("//" + " | //".join(_DROP_TAGS)):
        bad.drop_tree()
    main = doc.xpath("//main | //*[@role='main']") or doc.xpath("//article")
    root = main[0] if main else doc.find("body") if doc.find("body") is not None else doc
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el is not root and el.getparent() is not None and _is_boilerplate(el):
            el.drop_tree()
    blocks: list[Block] = []
    own = (root.text or "").strip()  # text straight inside <body> or <main>, before any element
    if own:
        blocks.append(Block(re.sub(r"\s+", " ", own), "paragraph"))
    try:
        _walk(root, blocks)
    except (ValueError, RecursionError):
        raise IngestError(path, "HTML nested too deeply to read") from None
    if not any(b.text for b in blocks):
        raise IngestError(path, "no text found in the HTML page")
    title = meta.get("title")
    if not title:
        h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
        title = h1 or page_title
    if meta.get("title") and not any(b.kind == "heading" and b.level == 1 for b in blocks):
        blocks.insert(0, Block(meta["title"], "heading", level=1))
    return ReadResult(blocks=blocks, format="html", title=title, metadata=meta)
