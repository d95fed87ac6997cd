"""The partner portal: one partner's workplan state, uploads with their located reports, submit, downloads.

Every query is filtered by the partner id of the session, never by an id from the address: another
partner's upload id answers 404, as one that does not exist.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from catalogue.api import N_, layout, report_entries, todo_entries, translations

from .checking import check_upload
from .db import Upload
from .deps import PartnerUser, RowId, database_of, settings_of
from .labels import translator
from .pages import checked_form, render
from .partners import partner_language, partner_name, workplan_in_inputs
from .sessions import Principal
from .site_settings import READABLE_TEXT
from .storage import allowed_suffix, store_upload, stored_path
from .uploads import Refused, record_check, record_upload, submit

router = APIRouter(prefix="/partner")
STATEMENTS_DIR = layout.STATEMENTS_DIR


def _lang(request: Request, principal: Principal) -> str:
    chosen = request.session.get("lang")
    return str(chosen) if chosen else partner_language(settings_of(request).inputs, str(principal.partner_id))


def own_upload(request: Request, principal: Principal, upload_id: int) -> Upload:
    """One of this partner's own uploads; another partner's answers 404, as one that does not exist."""
    with database_of(request).session() as db:
        upload = db.scalar(select(Upload).where(Upload.id == upload_id, Upload.partner_id == principal.partner_id))
    if upload is None:
        raise HTTPException(status_code=404, detail=N_("No such upload."))
    return upload


def _statement_files(request: Request, partner_id: str) -> dict[str, bool]:
    folder = settings_of(request).outputs / STATEMENTS_DIR
    return {fmt: (folder / f"{partner_id}.{fmt}").is_file() for fmt in ("pdf", "xlsx")}


@router.get("")
def portal(request: Request, principal: PartnerUser) -> Response:
    """The partner portal's front page: the workbook now in inputs, the last 50 uploads and the statement."""
    settings = settings_of(request)
    partner_id = str(principal.partner_id)
    with database_of(request).session() as db:
        uploads = list(db.scalars(select(Upload).where(Upload.partner_id == partner_id)
                                  .order_by(Upload.id.desc()).limit(50)))
    current = workplan_in_inputs(settings.inputs, partner_id)
    return render(request, "partner.html.j2", principal=principal, lang=_lang(request, principal),
                  partner_id=partner_id, partner_name=partner_name(settings.inputs, partner_id), uploads=uploads,
                  current=current, current_mtime=_mtime(current), statements=_statement_files(request, partner_id),
                  max_mb=settings.max_upload_bytes // (1024 * 1024))


def _mtime(path: Path | None) -> str:
    if path is None:
        return ""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")


@router.post("/upload")
async def upload_workbook(request: Request, principal: PartnerUser) -> Response:
    """Store the workbook (capped while it streams in), check it in seconds, show the report."""
    settings = settings_of(request)
    labels = translator(_lang(request, principal))
    too_large = labels["too_large"] % (settings.max_upload_bytes // (1024 * 1024))
    try:
        form = await checked_form(request, max_bytes=settings.max_upload_bytes + 64 * 1024)
    except HTTPException as refused:
        if refused.status_code == 413:
            raise HTTPException(status_code=413, detail=too_large) from refused
        raise
    sent = form.get("workbook")
    if not isinstance(sent, UploadFile) or not sent.filename:
        raise HTTPException(status_code=400, detail=N_("Choose a workbook to check."))
    suffix = allowed_suffix(sent.filename)
    if suffix is None:
        raise HTTPException(status_code=415, detail=labels["types_only"] % READABLE_TEXT)
    try:
        stored = await run_in_threadpool(store_upload, settings.data, sent.file, settings.max_upload_bytes)
    except ValueError as problem:
        raise HTTPException(status_code=413, detail=too_large) from problem
    partner_id = str(principal.partner_id)
    database = database_of(request)
    with database.session() as db:
        upload_id = record_upload(db, partner_id, stored.sha256, sent.filename, suffix, stored.size, principal.actor).id
    result = await run_in_threadpool(check_upload, settings.inputs, stored.path, partner_id, suffix)
    with database.session() as db:
        upload = db.get(Upload, upload_id)
        assert upload is not None  # recorded just above
        record_check(db, upload, result.errors, result.warnings, json.dumps(result.issues, default=str), principal.actor)
    return RedirectResponse(f"/partner/uploads/{upload_id}", status_code=303)


def report_context(upload: Upload, lang: str) -> dict[str, Any]:
    """What the report page, the to-do list and the desk's upload page show of one upload's stored report."""
    rows = json.loads(upload.report_json)
    renamed = {f"workplans/{upload.partner_id}{upload.suffix}": upload.filename}  # the name the partner sent
    from catalogue.api import openable

    gettext = translations(lang).gettext
    own = [row for row in rows if (row.get("location") or {}).get("file") == f"workplans/{upload.partner_id}{upload.suffix}"]
    return {"upload": upload, "lang": lang, "entries": report_entries(rows, gettext, renamed),
            "issues": todo_entries(rows, gettext, renamed), "annotatable": upload.suffix == ".xlsx" and openable(own)}


@router.get("/uploads/{upload_id}")
def upload_report(request: Request, upload_id: RowId, principal: PartnerUser) -> Response:
    """The located report of one of the partner's own uploads, in the partner's language."""
    upload = own_upload(request, principal, upload_id)
    confirmation = request.session.pop("submitted", None)
    if confirmation and confirmation.get("upload") != upload_id:
        confirmation = None
    return render(request, "partner_report.html.j2", principal=principal, confirmation=confirmation,
                  **report_context(upload, _lang(request, principal)))


@router.get("/uploads/{upload_id}/todo")
def upload_todo(request: Request, upload_id: RowId, principal: PartnerUser) -> Response:
    """The problems of one of the partner's own uploads as a checklist to print, in the partner's language."""
    upload = own_upload(request, principal, upload_id)
    return render(request, "todo.html.j2", principal=principal, **report_context(upload, _lang(request, principal)))


@router.post("/uploads/{upload_id}/submit")
async def submit_upload(request: Request, upload_id: RowId, principal: PartnerUser) -> Response:
    """Send one of the partner's own uploads to the Secretariat for review. Audited.

    Only a workbook without errors, checked or returned, can be submitted (409 otherwise).
    """
    await checked_form(request)
    try:
        with database_of(request).session() as db:
            upload = db.scalar(select(Upload).where(Upload.id == upload_id, Upload.partner_id == principal.partner_id))
            if upload is None:
                raise HTTPException(status_code=404, detail=N_("No such upload."))
            superseded = submit(db, upload, principal.actor)
    except Refused as refused:
        upload = own_upload(request, principal, upload_id)
        return render(request, "partner_report.html.j2", status=409, principal=principal, refused=refused,
                      **report_context(upload, _lang(request, principal)))
    request.session["submitted"] = {"upload": upload_id, "superseded": superseded}
    return RedirectResponse(f"/partner/uploads/{upload_id}", status_code=303)


@router.get("/template")
def download_template(request: Request, principal: PartnerUser) -> Response:
    """The partner's workbook with dropdowns and its current rows, written fresh for each download."""
    from catalogue.api import write_partner_template

    settings = settings_of(request)
    partner_id = str(principal.partner_id)
    scratch = settings.data / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="template-", suffix=".xlsx", dir=scratch)
    os.close(handle)
    try:
        write_partner_template(partner_id, settings.inputs, Path(name))
    except ValueError as problem:
        Path(name).unlink(missing_ok=True)
        raise HTTPException(status_code=404, detail=N_("No template: this partner is not in the partners list.")) from problem
    return FileResponse(name, filename=f"{partner_id}.xlsx", background=BackgroundTask(Path(name).unlink, missing_ok=True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/statement.{fmt}")
def download_statement(request: Request, fmt: str, principal: PartnerUser) -> Response:
    """The partner's own statement as PDF or XLSX; 404 for another format or before it is published."""
    if fmt not in ("pdf", "xlsx"):
        raise HTTPException(status_code=404, detail=N_("No such file."))
    path = settings_of(request).outputs / STATEMENTS_DIR / f"{principal.partner_id}.{fmt}"
    if not path.is_file():
        raise HTTPException(status_code=404, detail=N_("Your statement has not been published yet."))
    return FileResponse(path, filename=path.name)


@router.get("/uploads/{upload_id}/annotated.xlsx")
def download_annotated(request: Request, upload_id: RowId, principal: PartnerUser) -> Response:
    """The partner's workbook as sent, with every problem cell marked and commented in the partner's language."""
    upload = own_upload(request, principal, upload_id)
    return annotated_response(request, upload, _lang(request, principal))


def annotated_response(request: Request, upload: Upload, lang: str) -> Response:
    """A marked copy of an upload, made fresh (its report and the reader's language decide it), deleted once sent."""
    from catalogue.api import annotatable, annotate_workbook

    settings = settings_of(request)
    labels = translator(lang)
    file = f"workplans/{upload.partner_id}{upload.suffix}"  # the name the upload was checked under
    own = [row for row in json.loads(upload.report_json) if (row.get("location") or {}).get("file") == file]
    scratch = settings.data / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="annotated-", suffix=".xlsx", dir=scratch)
    os.close(handle)
    source = Path(name).with_name(Path(name).stem + "-sent.xlsx")  # openpyxl tells a workbook by its name
    try:
        if upload.suffix == ".xlsx":
            shutil.copyfile(stored_path(settings.data, upload.sha256), source)
        if not annotatable(source, own):
            Path(name).unlink(missing_ok=True)
            raise HTTPException(status_code=404, detail=labels["no_annotated"])
        annotate_workbook(source, own, translations(lang).gettext, Path(name))
    finally:
        source.unlink(missing_ok=True)
    stem = Path(upload.filename).stem or str(upload.partner_id)
    return FileResponse(name, filename=f"{stem}-{labels['annotated_suffix']}.xlsx",
                        background=BackgroundTask(Path(name).unlink, missing_ok=True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/uploads/{upload_id}/file")
def download_own_upload(request: Request, upload_id: RowId, principal: PartnerUser) -> Response:
    """One of the partner's own uploads, exactly as it was sent."""
    upload = own_upload(request, principal, upload_id)
    path = stored_path(settings_of(request).data, upload.sha256)
    return FileResponse(path, filename=f"{upload.partner_id}-upload-{upload.id}{upload.suffix}",
                        media_type="application/octet-stream")
