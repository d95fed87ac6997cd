"""The Secretariat desk: partners at a glance, accept or return submissions, links, builds, downloads, audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from catalogue.api import LANGUAGES, N_, known_donors, layout, pledges_to_chase

from . import links as access_links
from .checking import compare_upload
from .db import AccessLink, AuditEntry, Job, Upload
from .deps import RowId, SecretariatUser, database_of, settings_of
from .jobs import JOB_KINDS, JobRunner
from .pages import checked_form, language_of, render
from .partners import partner_records, published_catalogue, published_edition, workplan_in_inputs
from .routes_partner import annotated_response, report_context
from .sessions import Principal
from .storage import accept_into_inputs, stored_path
from .uploads import (
    ACCEPTED,
    CHECKED,
    RETURNED,
    STATES,
    SUBMITTED,
    Refused,
    check_acceptable,
    return_to_partner,
    sync_built,
)
from .uploads import accept as accept_upload

router = APIRouter(prefix="/desk")
OUTPUT_FOLDERS = (layout.VALIDATION_DIR, layout.PACKS_DIR, layout.STATEMENTS_DIR, layout.TEMPLATES_OUT_DIR,
                  layout.IATI_DIR, layout.DATA_PACKAGE_DIR)
OUTPUT_FILES = (layout.CATALOGUE_PDF, layout.CATALOGUE_XLSX, layout.CATALOGUE_JSON)
# Our own generated report and Data Docs carry inline styles and scripts: shown in a sandbox (no script runs,
# no same-origin access to the desk), never framed.
REPORT_POLICY = "sandbox; default-src 'self' 'unsafe-inline' data:; frame-ancestors 'none'"


def _glance(request: Request) -> list[dict[str, Any]]:
    """One row per partner: its last upload, clean or not, its state, how old, warnings, the workbook in inputs,
    whether it has a link and opened it, and an accepted workbook the published catalogue does not have yet."""
    settings = settings_of(request)
    with database_of(request).session() as db:
        newest = select(func.max(Upload.id)).group_by(Upload.partner_id).scalar_subquery()
        latest = {u.partner_id: u for u in db.scalars(select(Upload).options(defer(Upload.report_json))
                                                      .where(Upload.id.in_(newest)))}
        waiting = set(db.scalars(select(Upload.partner_id).where(Upload.state == SUBMITTED).distinct()))
        unbuilt = set(db.scalars(select(Upload.partner_id).where(Upload.state == ACCEPTED).distinct()))
        links: dict[str, str] = {}
        for link in db.scalars(select(AccessLink).where(AccessLink.kind == "partner", AccessLink.revoked_at.is_(None))):
            links[link.subject_id] = "opened" if link.opened_at or links.get(link.subject_id) == "opened" else "issued"
    rows = []
    for record in partner_records(settings.inputs):
        pid = str(record["id"])
        rows.append({"id": pid, "name": record.get("short_name") or record.get("name") or pid,
                     "last": latest.get(pid), "waiting": pid in waiting, "unbuilt": pid in unbuilt,
                     "link": links.get(pid, ""), "in_inputs": workplan_in_inputs(settings.inputs, pid) is not None})
    return rows


def _sync_built(request: Request) -> dict[str, Any] | None:
    """Accepted workbooks the published catalogue was built from are in the catalogue now (a build from the
    command line counts too); the published catalogue.json, if any."""
    document = published_catalogue(settings_of(request).outputs)
    if document is not None:
        with database_of(request).session() as db:
            sync_built(db, document, "desk", published_edition(settings_of(request).outputs))
    return document


def _outputs(request: Request) -> list[str]:
    outputs = settings_of(request).outputs
    found = [name for name in OUTPUT_FILES if (outputs / name).is_file()]
    open_data = [f"{layout.IATI_DIR}/{name}" for name in (layout.IATI_ACTIVITIES, layout.IATI_ORGANISATION)]
    open_data.append(f"{layout.DATA_PACKAGE_DIR}/datapackage.json")
    found += [name for name in open_data if (outputs / name).is_file()]
    if (outputs / layout.VALIDATION_DIR / "report.html").is_file():
        found.append("validation/report.html")
    return found


@router.get("")
def desk(request: Request, principal: SecretariatUser) -> Response:
    """The desk's front page, for the Secretariat only: every partner at a glance, the last 8 runs, the outputs."""
    published = _sync_built(request)
    with database_of(request).session() as db:
        jobs = list(db.scalars(select(Job).order_by(Job.id.desc()).limit(8)))
        last_build = db.scalar(select(Job).where(Job.kind == "build", Job.state.in_(("done", "failed")))
                               .order_by(Job.id.desc()).limit(1))
    edition = {"id": published_edition(settings_of(request).outputs), "as_at": published.get("as_at", ""),
               "built": (published.get("provenance") or {}).get("build_time", "")} if published else None
    return render(request, "desk.html.j2", principal=principal, rows=_glance(request), jobs=jobs,
                  outputs=_outputs(request), kinds=JOB_KINDS, last_build=last_build, edition=edition)


def _packs_and_statements(outputs: Path) -> list[str]:
    names = []
    for folder in (layout.PACKS_DIR, layout.STATEMENTS_DIR):
        if (outputs / folder).is_dir():
            names += sorted(f"{folder}/{p.name}" for p in (outputs / folder).iterdir()
                            if p.is_file() and not p.name.startswith("."))
    return names


@router.get("/downloads")
def downloads(request: Request, principal: SecretariatUser) -> Response:
    """The published files for the Secretariat: catalogue, validation report, Data Docs, packs and statements."""
    outputs = settings_of(request).outputs
    return render(request, "desk_downloads.html.j2", principal=principal, outputs=_outputs(request),
                  more=_packs_and_statements(outputs), data_docs=_data_docs_index(outputs))


def _data_docs_index(outputs: Path) -> str:
    for candidate in sorted((outputs / layout.VALIDATION_DIR).rglob("index.html")) if (outputs / layout.VALIDATION_DIR).is_dir() else []:
        return candidate.relative_to(outputs).as_posix()
    return ""


@router.get("/partners/{partner_id}")
def partner_page(request: Request, partner_id: str, principal: SecretariatUser) -> Response:
    """One partner's uploads and secret links, for the Secretariat; 404 for an unknown partner.

    A link just issued for this partner is shown here, once.
    """
    known = {str(r["id"]): r for r in partner_records(settings_of(request).inputs)}
    if partner_id not in known:
        raise HTTPException(status_code=404, detail=N_("No such partner."))
    with database_of(request).session() as db:
        uploads = list(db.scalars(select(Upload).where(Upload.partner_id == partner_id).order_by(Upload.id.desc())))
        links = list(db.scalars(select(AccessLink).where(AccessLink.kind == "partner", AccessLink.subject_id == partner_id)
                                .order_by(AccessLink.id.desc())))
    new_link = request.session.pop("new_link", None)
    notice = request.session.pop("desk_notice", None)
    return render(request, "desk_partner.html.j2", principal=principal, partner=known[partner_id], uploads=uploads,
                  links=links, new_link=new_link if new_link and new_link.get("partner") == partner_id else None,
                  notice=notice)


def _upload(request: Request, upload_id: int) -> Upload:
    with database_of(request).session() as db:
        upload = db.get(Upload, upload_id)
    if upload is None:
        raise HTTPException(status_code=404, detail=N_("No such upload."))
    return upload


def _decision_page(request: Request, upload: Upload, principal: Principal, refused: Refused | None = None,
                   status: int = 200) -> Response:
    """The upload's page: its report, what it changes against the workbook in the inputs, and the decision."""
    settings = settings_of(request)
    comparison = None
    if not upload.errors and upload.state in (CHECKED, SUBMITTED, RETURNED):
        comparison = compare_upload(settings.inputs, stored_path(settings.data, upload.sha256), upload.sha256,
                                    upload.partner_id, upload.suffix)
    blocked = None
    if upload.state == SUBMITTED and refused is None:
        with database_of(request).session() as db:
            try:
                check_acceptable(db, db.get(Upload, upload.id) or upload)
            except Refused as reason:
                blocked = reason
    return render(request, "desk_upload.html.j2", status=status, principal=principal, comparison=comparison,
                  refused=refused, blocked=blocked, **report_context(upload, language_of(request)))


@router.get("/uploads/{upload_id}")
def upload_page(request: Request, upload_id: RowId, principal: SecretariatUser) -> Response:
    """One upload for the Secretariat, in the desk's language: its located report, what it changes against the
    partner's workbook in the inputs (activities added, removed, changed; money per activity), and Accept /
    Return when it is submitted; 404 if there is no such upload."""
    return _decision_page(request, _upload(request, upload_id), principal)


@router.get("/uploads/{upload_id}/file")
def upload_file(request: Request, upload_id: RowId, principal: SecretariatUser) -> Response:
    """The workbook exactly as the partner sent it, for the Secretariat; 404 if there is no such upload."""
    upload = _upload(request, upload_id)
    return FileResponse(stored_path(settings_of(request).data, upload.sha256), media_type="application/octet-stream",
                        filename=f"{upload.partner_id}-upload-{upload.id}{upload.suffix}")


@router.get("/uploads/{upload_id}/annotated.xlsx")
def upload_annotated(request: Request, upload_id: RowId, principal: SecretariatUser) -> Response:
    """The upload with its problems marked, in the desk's language: to send back with a returned workbook."""
    return annotated_response(request, _upload(request, upload_id), language_of(request))


@router.post("/uploads/{upload_id}/accept")
async def accept(request: Request, upload_id: RowId, principal: SecretariatUser) -> Response:
    """The submitted workbook becomes inputs/workplans/<id>: one atomic rename, the replaced file kept in DATA.

    Refused, with the reason on the upload's page (409), when it is not submitted, has errors, is older than
    the partner's accepted workbook or a newer submission is waiting. Every change of state is audited.
    """
    await checked_form(request)
    settings, database = settings_of(request), database_of(request)
    try:
        with database.session() as db:
            upload = db.get(Upload, upload_id)
            if upload is None:
                raise HTTPException(status_code=404, detail=N_("No such upload."))
            if upload.state != SUBMITTED:
                raise Refused(N_("Only a submitted workbook can be accepted; this one is %(state)s."),
                              {"state": STATES.get(upload.state, upload.state)})
            check_acceptable(db, upload)
            kept = accept_into_inputs(settings.inputs, settings.data, stored_path(settings.data, upload.sha256),
                                      upload.partner_id, upload.suffix)
            accept_upload(db, upload, principal.actor,
                          f"replaced file kept as {', '.join(p.name for p in kept) or 'none'}")
            partner_id = upload.partner_id
    except Refused as refused:
        return _decision_page(request, _upload(request, upload_id), principal, refused, status=409)
    request.session["desk_notice"] = {"upload": upload_id, "what": "accepted"}
    return RedirectResponse(f"/desk/partners/{partner_id}", status_code=303)


@router.post("/uploads/{upload_id}/return")
async def return_upload(request: Request, upload_id: RowId, principal: SecretariatUser) -> Response:
    """Send a submitted workbook back to its partner with a note (up to 2000 characters), then show the partner.

    Only a submitted upload can be returned (409 with the reason otherwise); the partner may submit it again.
    """
    form = await checked_form(request)
    note = str(form.get("note") or "").strip()[:2000]
    try:
        with database_of(request).session() as db:
            upload = db.get(Upload, upload_id)
            if upload is None:
                raise HTTPException(status_code=404, detail=N_("No such upload."))
            return_to_partner(db, upload, principal.actor, note)
            partner_id = upload.partner_id
    except Refused as refused:
        return _decision_page(request, _upload(request, upload_id), principal, refused, status=409)
    request.session["desk_notice"] = {"upload": upload_id, "what": "returned"}
    return RedirectResponse(f"/desk/partners/{partner_id}", status_code=303)


@router.post("/partners/{partner_id}/links")
async def issue_link(request: Request, partner_id: str, principal: SecretariatUser) -> Response:
    """A new secret link: shown once on the next page, only its hash is stored."""
    await checked_form(request)
    if partner_id not in {str(r["id"]) for r in partner_records(settings_of(request).inputs)}:
        raise HTTPException(status_code=404, detail=N_("No such partner."))
    with database_of(request).session() as db:
        token, _ = access_links.issue(db, access_links.PARTNER, partner_id, principal.actor)
    request.session["new_link"] = {"partner": partner_id, "url": settings_of(request).link(f"/p/{token}")}
    return RedirectResponse(f"/desk/partners/{partner_id}", status_code=303)


@router.post("/links/{link_id}/revoke")
async def revoke_link(request: Request, link_id: RowId, principal: SecretariatUser) -> Response:
    """Revoke a partner's or a donor's link for good; it stops working at its next request. Audited."""
    await checked_form(request)
    with database_of(request).session() as db:
        link = access_links.revoke(db, link_id, principal.actor)
        if link is None:
            raise HTTPException(status_code=404, detail=N_("No such link."))
        subject, kind = link.subject_id, link.kind
    return RedirectResponse(f"/desk/partners/{subject}" if kind == "partner" else "/desk/donors", status_code=303)


@router.post("/jobs")
async def start_job(request: Request, principal: SecretariatUser) -> Response:
    """Queue a build, validation, packs or statements run for the Secretariat, then show its page.

    An unknown kind or language gets 400. Audited.
    """
    form = await checked_form(request)
    kind, lang = str(form.get("kind") or ""), str(form.get("lang") or "en")
    if kind not in JOB_KINDS or lang not in LANGUAGES:
        raise HTTPException(status_code=400, detail=N_("Unknown job."))
    runner: JobRunner = request.app.state.jobs
    job_id = runner.submit(kind, principal.actor, lang)
    database_of(request).audit(principal.actor, f"{kind}-started", None, f"job #{job_id} ({lang})")
    return RedirectResponse(f"/desk/jobs/{job_id}", status_code=303)


def _job(request: Request, job_id: int) -> Job:
    with database_of(request).session() as db:
        job = db.get(Job, job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=N_("No such job."))
    return job


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: RowId, principal: SecretariatUser) -> Response:
    """One run's page for the Secretariat: its state, step and summary, with the outputs published now."""
    job = _job(request, job_id)
    return render(request, "desk_job.html.j2", principal=principal, job=job, summary=json.loads(job.summary_json),
                  outputs=_outputs(request))


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: RowId, principal: SecretariatUser) -> Response:
    """A run's state and current step as JSON, for the Secretariat: what the run's page polls."""
    job = _job(request, job_id)
    return JSONResponse({"state": job.state, "step": job.step})


@router.get("/outputs/{name:path}")
def output_file(request: Request, name: str, principal: SecretariatUser) -> Response:
    """A published file; only names under the outputs folder's published parts, never a dot-file or `..`."""
    parts = Path(name).parts
    if not parts or any(p.startswith(".") for p in parts) or (name not in OUTPUT_FILES and parts[0] not in OUTPUT_FOLDERS):
        raise HTTPException(status_code=404, detail=N_("No such file."))
    outputs = settings_of(request).outputs
    path = (outputs / name).resolve()
    if not path.is_file() or not path.is_relative_to(outputs.resolve()):
        raise HTTPException(status_code=404, detail=N_("No such file."))
    inline = path.suffix in (".html", ".css", ".png", ".svg", ".js")  # the validation report and Data Docs
    return FileResponse(path, filename=None if inline else path.name,
                        headers={"content-security-policy": REPORT_POLICY} if inline else None)


@router.get("/pledges")
def pledges_page(request: Request, principal: SecretariatUser) -> Response:
    """The pledges to chase in the published catalogue, overdue first; for one donor's family, or overdue only."""
    data = published_catalogue(settings_of(request).outputs)
    donor = str(request.query_params.get("donor") or "") or None
    overdue = request.query_params.get("overdue") == "1"
    donors = known_donors(data) if data else []
    if donor is not None and donor not in donors:
        donor = None
    found = pledges_to_chase(data, donor, overdue) if data else []
    return render(request, "desk_pledges.html.j2", principal=principal, catalogue=data, pledges=found, donors=donors,
                  donor=donor or "", overdue=overdue)


@router.get("/audit")
def audit_log(request: Request, principal: SecretariatUser) -> Response:
    """The last 500 entries of the audit log, newest first, for the Secretariat."""
    with database_of(request).session() as db:
        entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)))
    return render(request, "desk_audit.html.j2", principal=principal, entries=entries)
