"""Each donor's tailored pack at its own private link, issued and revoked on the desk like a partner's link."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select

from catalogue.api import LANGUAGES, N_, layout

from . import links as access_links
from .db import AccessLink
from .deps import SecretariatUser, database_of, settings_of
from .pages import checked_form, render

router = APIRouter()
DONOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,79}$")
PACKS_DIR = layout.PACKS_DIR


def donor_ids(request: Request) -> list[str]:
    """Donor profiles in inputs/donors/ (the file name is the donor id), and donors that already have a pack."""
    settings = settings_of(request)
    found = {p.stem for p in (settings.inputs / "donors").glob("*.json")} if (settings.inputs / "donors").is_dir() else set()
    if (settings.outputs / PACKS_DIR).is_dir():
        found |= {p.stem for p in (settings.outputs / PACKS_DIR).iterdir() if p.suffix in (".pdf", ".xlsx")}
    return sorted(d for d in found if DONOR_ID.match(d))


@router.get("/desk/donors")
def donor_links(request: Request, principal: SecretariatUser) -> Response:
    """The donors and their pack links, for the Secretariat; a link just issued is shown here, once."""
    with database_of(request).session() as db:
        links = list(db.scalars(select(AccessLink).where(AccessLink.kind == "donor").order_by(AccessLink.id.desc())))
    return render(request, "desk_donors.html.j2", principal=principal, donors=donor_ids(request), links=links,
                  new_link=request.session.pop("new_donor_link", None))


@router.post("/desk/donors/{donor_id}/links")
async def issue_donor_link(request: Request, donor_id: str, principal: SecretariatUser) -> Response:
    """A new secret link to one donor's pack (404 for an unknown donor): shown once, only its hash is kept."""
    await checked_form(request)
    if donor_id not in donor_ids(request):
        raise HTTPException(status_code=404, detail=N_("No such donor."))
    with database_of(request).session() as db:
        token, _ = access_links.issue(db, access_links.DONOR, donor_id, principal.actor)
    request.session["new_donor_link"] = {"donor": donor_id, "url": settings_of(request).link(f"/d/{token}")}
    return RedirectResponse("/desk/donors", status_code=303)


def _donor_of(request: Request, token: str) -> str:
    with database_of(request).session() as db:
        link = access_links.live_link(db, token, access_links.DONOR)
        if link is None:
            raise HTTPException(status_code=404, detail=N_("This link does not work (any more)."))
        return link.subject_id


@router.get("/d/{token}")
def donor_pack(request: Request, token: str) -> Response:
    """A donor's page at its private link: the pack files published for it; an unknown or revoked link is 404."""
    donor_id = _donor_of(request, token)
    folder = settings_of(request).outputs / PACKS_DIR
    files = [fmt for fmt in ("pdf", "xlsx") if (folder / f"{donor_id}.{fmt}").is_file()]
    try:
        summary = json.loads((folder / f"{donor_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = None  # packs made before summaries: the files alone
    chosen = request.query_params.get("lang") or request.session.get("lang")
    pack_language = summary.get("language") if summary and summary.get("language") in LANGUAGES else None
    lang = chosen if chosen in LANGUAGES else pack_language  # the page speaks the pack's language unless asked
    return render(request, "donor_pack.html.j2", donor_id=donor_id, files=files, token=token, summary=summary,
                  lang=lang)


@router.get("/d/{token}/pack.{fmt}")
def donor_pack_file(request: Request, token: str, fmt: str) -> Response:
    """The donor's pack as PDF or XLSX at its private link; 404 for another format or before it is published."""
    donor_id = _donor_of(request, token)
    path = settings_of(request).outputs / PACKS_DIR / f"{donor_id}.{fmt}"
    if fmt not in ("pdf", "xlsx") or not path.is_file():
        raise HTTPException(status_code=404, detail=N_("Your pack has not been published yet."))
    return FileResponse(path, filename=path.name)
