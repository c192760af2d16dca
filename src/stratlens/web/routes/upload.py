"""Upload (analysts): a file and its metadata are checked, ingested, analysed, then shown.

The file is written under the configured upload folder with a generated name (the client's
name is kept only as the default title), checked for size and type before any reader sees it,
and ingested in one transaction; on any failure the saved file is removed and the store is
unchanged, and the analyst sees an error page that says why.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from stratlens.model import DocumentMeta
from stratlens.web.render import Ctx, HTTPProblem, html
from stratlens.web.routes.auth import require_csrf
from stratlens.web.routes.common import COUNCIL_TYPES, NATIONS

router = APIRouter()
ALLOWED = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "text", ".txt": "text"}
CHUNK = 1024 * 1024


def _need_analyst(ctx: Ctx) -> Response | None:
    if not ctx.analyst:
        return RedirectResponse(ctx.url("/login", next=ctx.url("/upload")), status_code=303)
    return None


def _form(ctx: Ctx, errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
          status: int = 200) -> Response:
    _ = ctx._
    return html(ctx, "upload.html", _("Upload a strategy"), status=status, errors=errors or {}, values=values or {},
                max_mb=ctx.settings.max_upload_bytes // (1024 * 1024),
                nation_options=[(k, _(v)) for k, v in NATIONS.items()],
                type_options=[(k, _(v)) for k, v in COUNCIL_TYPES.items() if k != "national-body"])


def sniff_ok(kind: str, head: bytes) -> bool:
    """The content matches the extension: PDF and DOCX by magic number, text must be UTF-8 text."""
    if kind == "pdf":
        return head.lstrip()[:5] == b"%PDF-"
    if kind == "docx":
        return head[:4] == b"PK\x03\x04"
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample is fine
    return True


async def save_upload(upload: UploadFile, folder: Path, suffix: str, limit: int) -> Path:
    """Copy the upload to `folder` under a random name, refusing more than `limit` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / f"{secrets.token_hex(16)}{suffix}").resolve()
    if target.parent != folder.resolve():  # cannot happen with a generated name; belt and braces
        raise HTTPProblem(400, "bad path")
    written = 0
    with target.open("xb") as fh:
        while chunk := await upload.read(CHUNK):
            written += len(chunk)
            if written > limit:
                fh.close()
                target.unlink(missing_ok=True)
                raise OverflowError
            fh.write(chunk)
    return target


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request) -> Response:
    ctx = Ctx(request)
    return _need_analyst(ctx) or _form(ctx)


@router.post("/upload", include_in_schema=False)
async def upload(request: Request, file: UploadFile | None = File(None), council: str = Form(""),
                 nation: str = Form(""), council_type: str = Form(""), year: str = Form(""), title: str = Form(""),
                 source_url: str = Form(""), csrf_token: str = Form("")) -> Response:
    ctx = Ctx(request)
    _ = ctx._
    redirect = _need_analyst(ctx)
    if redirect:
        return redirect
    require_csrf(ctx, csrf_token)
    values = {"council": council, "nation": nation, "council_type": council_type, "year": year, "title": title,
              "source_url": source_url}
    errors: dict[str, str] = {}
    name = Path((file.filename or "") if file else "").name
    suffix = Path(name).suffix.lower()
    if not file or not name:
        errors["file"] = _("Select a file")
    elif suffix not in ALLOWED:
        errors["file"] = _("The file must be a PDF, DOCX, HTML, Markdown or text file")
    if not council.strip():
        errors["council"] = _("Enter the name of the council")
    if year.strip() and not (year.strip().isdigit() and 1990 <= int(year) <= 2100):
        errors["year"] = _("Year must be a number like 2024")
    if nation and nation not in NATIONS:
        errors["nation"] = _("Select a nation from the list")
    if council_type and council_type not in COUNCIL_TYPES:
        errors["council_type"] = _("Select a council type from the list")
    if source_url.strip() and not re.match(r"^https?://\S+$", source_url.strip()):
        errors["source_url"] = _("Enter a web address starting with http:// or https://")
    if errors:
        return _form(ctx, errors, values, status=400)

    settings = ctx.settings
    try:
        saved = await save_upload(file, settings.upload_dir, suffix, settings.max_upload_bytes)
    except OverflowError:
        raise HTTPProblem(413, _("The file is too big"),
                          _("The file must be smaller than %(mb)s MB.") % {"mb": settings.max_upload_bytes // 2**20})
    try:
        with saved.open("rb") as fh:
            head = fh.read(4096)
        if not sniff_ok(ALLOWED[suffix], head):
            raise HTTPProblem(400, _("The file could not be read"),
                              _("The file’s content does not match its type (%(suffix)s).") % {"suffix": suffix})
        meta = DocumentMeta(council=council.strip(), nation=nation or None, council_type=council_type or None,
                            year=int(year) if year.strip() else None,
                            title=title.strip() or Path(name).stem.replace("_", " ").replace("-", " "),
                            source_url=source_url.strip() or None)
        outcome = await _ingest(request, saved, meta)
    except BaseException:
        saved.unlink(missing_ok=True)
        raise
    if outcome.status == "failed":
        saved.unlink(missing_ok=True)
        reason = outcome.message.replace(str(saved), name)
        raise HTTPProblem(400, _("The file could not be read"), reason)
    if outcome.status == "duplicate":
        saved.unlink(missing_ok=True)
        return RedirectResponse(ctx.url(f"/documents/{outcome.document_id}", uploaded="duplicate"), status_code=303)
    request.app.state.data.invalidate()
    return RedirectResponse(ctx.url(f"/documents/{outcome.document_id}", uploaded="added"), status_code=303)


async def _ingest(request: Request, path: Path, meta: DocumentMeta):  # noqa: ANN202 - FileOutcome
    """Ingest in a worker thread (reading and classifying are CPU work), one upload at a time."""
    from starlette.concurrency import run_in_threadpool

    from stratlens.pipeline import ingest_paths

    data = request.app.state.data
    classify = request.app.state.settings.classify_uploads

    def work():  # noqa: ANN202
        with data.write_lock:
            store = data.writer()
            try:
                report = ingest_paths(store, [path], given=meta, classify=classify)
            finally:
                store.close()
        return report.outcomes[0]

    return await run_in_threadpool(work)
