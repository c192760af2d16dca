"""PDF via pdfminer.six.

pdfminer.six was chosen because it kept reading order on two-column council PDFs where the
faster libraries did not (docs/dependencies). Font sizes give headings; text that repeats at
the top or bottom of most pages (running headers, footers, page numbers) is dropped.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from stratlens.config import Limits
from stratlens.errors import IngestError
from stratlens.ingest.pdf_guard import ReferenceCycle, check_page, check_streams, install_reference_guard
from stratlens.model import Block, ReadResult

_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2013\u25e6\-*]|\d+[.)])\s+")
_PAGE_NO = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$|^tudalen\s*\d+", re.I)

# pdfminer logs warnings about broken files ("MediaBox missing", "Could not get FontBBox"); with no
# handler configured they would reach stderr through logging's last resort, next to our one line.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())


@dataclass
class _Box:
    page: int
    text: str
    size: float
    bold: bool
    top: float  # distance from the top of the page, as a share of its height
    bottom: float


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _running_key(b: _Box, large: float) -> str:
    """What must repeat for a line to be a running header or footer. Numbers may change (page
    numbers) in ordinary print, but a large line differing only in its number ('Priority 1',
    'Priority 2' at the top of each page) is a heading, so large text must repeat exactly."""
    return _norm(b.text) if b.size < large else "=" + re.sub(r"\s+", " ", b.text.strip().lower())


def _boxes(data: bytes, path: str, limits: Limits) -> tuple[list[_Box], int]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage, PDFTextExtractionNotAllowed
    from pdfminer.psparser import PSException

    install_reference_guard()
    check_streams(data, path, limits)
    boxes: list[_Box] = []
    pages = 0
    try:
        # pdfminer's extract_pages, unrolled so that a page can be checked before its layout.
        resources = PDFResourceManager()
        device = PDFPageAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        for page_no, page in enumerate(PDFPage.get_pages(io.BytesIO(data), maxpages=limits.max_pages + 1),
                                       start=1):
            pages = page_no
            if page_no > limits.max_pages:
                raise IngestError(path, f"more than {limits.max_pages} pages (limit STRATLENS_MAX_PAGES)")
            check_page((s.get_data() for s in page.contents if hasattr(s, "get_data")), page_no, path, limits)
            interpreter.process_page(page)
            layout = device.get_result()
            height = float(layout.height) or 1.0
            for el in layout:
                if not isinstance(el, LTTextBox):
                    continue
                for line in el:
                    if not isinstance(line, LTTextLine):
                        continue
                    # Justified text and tab stops give runs of spaces or tabs between words.
                    text = re.sub(r"\s+", " ", line.get_text()).strip()
                    if not text:
                        continue
                    sizes = [c.size for c in line if isinstance(c, LTChar)]
                    fonts = [c.fontname for c in line if isinstance(c, LTChar)]
                    size = round(sum(sizes) / len(sizes), 1) if sizes else 0.0
                    bold = bool(fonts) and sum("bold" in f.lower() for f in fonts) > len(fonts) / 2
                    boxes.append(_Box(page_no, text, size, bold,
                                      (height - line.y1) / height, (height - line.y0) / height))
    except IngestError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise IngestError(path, "encrypted PDF: it needs a password to open") from None
    except PDFTextExtractionNotAllowed:
        raise IngestError(path, "encrypted PDF: its permissions forbid text extraction") from None
    except (PSException, RecursionError, ReferenceCycle) as exc:
        raise IngestError(path, f"corrupt PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pdfminer raises many types on broken files
        name = type(exc).__name__
        if "crypt" in name.lower() or "password" in str(exc).lower():
            raise IngestError(path, "encrypted PDF: it needs a password to open") from None
        raise IngestError(path, f"corrupt PDF ({name}: {str(exc)[:80]})") from None
    return boxes, pages


def _body_size(boxes: list[_Box]) -> float:
    """The font size that carries the most text."""
    weights: Counter = Counter()
    for b in boxes:
        weights[b.size] += len(b.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _running_lines(boxes: list[_Box], pages: int, large: float = float("inf")) -> set[str]:
    """Texts near the top or bottom edge that recur on at least half of the pages."""
    if pages < 2:
        return set()
    seen: dict[str, set[int]] = {}
    for b in boxes:
        if b.top < 0.12 or b.bottom > 0.88:
            seen.setdefault(_running_key(b, large), set()).add(b.page)
    threshold = max(2, (pages + 1) // 2)
    return {t for t, pg in seen.items() if len(pg) >= threshold}


def read_pdf(data: bytes, path: str, limits: Limits | None = None) -> ReadResult:
    limits = limits or Limits()
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise IngestError(path, "not a PDF (no %PDF header)")
    boxes, pages = _boxes(data, path, limits)
    if pages == 0:
        raise IngestError(path, "corrupt PDF (no pages)")
    if sum(len(b.text) for b in boxes) < 20:
        raise IngestError(path, f"no text layer in {pages} page(s): image-only or scanned PDF; run OCR first")
    large = _body_size(boxes) * 1.15
    running = _running_lines(boxes, pages, large)
    body = [b for b in boxes if _running_key(b, large) not in running and not _PAGE_NO.match(b.text.strip())]
    if sum(len(b.text) for b in body) < 20:
        # Only page numbers or running headers: a scan with a printed footer.
        raise IngestError(path, f"no text layer in {pages} page(s): image-only or scanned PDF; run OCR first")
    body_size = _body_size(body)
    heading_sizes = sorted({b.size for b in body if b.size >= body_size * 1.15}, reverse=True)
    level_of = {s: min(i + 1, 4) for i, s in enumerate(heading_sizes)}

    blocks: list[Block] = []
    para: list[str] = []
    para_page: int | None = None
    last_bottom = 0.0
    last_page = 0

    def flush() -> None:
        nonlocal para, para_page
        if para:
            text = " ".join(para)
            text = re.sub(r"(\w)- (\w)", r"\1\2", text)
            blocks.append(Block(text.strip(), "paragraph", page=para_page))
        para, para_page = [], None

    for b in body:
        short = len(b.text.split()) <= 14 and not b.text.rstrip().endswith((".", ";", ","))
        gap = b.page != last_page or (b.top - last_bottom) > 0.018
        if b.page != last_page and para and not para[-1].endswith((".", "!", "?", ":", ";")) \
                and b.text[:1].islower():
            gap = False  # a sentence running on to the next page stays one paragraph
        if b.size in level_of and short:
            flush()
            blocks.append(Block(b.text.strip(), "heading", page=b.page, level=level_of[b.size]))
        elif b.bold and short and gap:
            flush()
            blocks.append(Block(b.text.strip(), "heading", page=b.page, level=len(level_of) + 1))
        elif _BULLET.match(b.text):
            flush()
            para = [_BULLET.sub("", b.text)]
            para_page = b.page
            blocks.append(Block(para[0], "list-item", page=b.page))
            para = []
        else:
            if gap and para:
                flush()
            if not para:
                para_page = b.page
            # A wrapped bullet continues the previous list item.
            if not para and blocks and blocks[-1].kind == "list-item" and not gap:
                blocks[-1].text += " " + b.text.strip()
            else:
                para.append(b.text.strip())
        last_bottom, last_page = b.bottom, b.page
    flush()
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return ReadResult(blocks=blocks, format="pdf", pages=pages, title=title)
