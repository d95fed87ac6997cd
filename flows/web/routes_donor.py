"""The donor site: the published catalogue.json as pages: at a glance, priorities, one page per priority, partners.

Public, or behind one token (CATALOGUE_DONOR_TOKEN): the visitor opens /donors/enter/<token> once.
"""

from __future__ import annotations

import hmac
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from catalogue.api import DATA_TABLES, N_, ChangesView, Formatter, changes_view, layout

from .deps import donor_access, settings_of, start_donor_session
from .labels import translator
from .pages import cached_fragment, language_of, render
from .partners import published_catalogue, release_key

router = APIRouter(prefix="/donors")
FILTERS = ("taxon", "region", "target", "instrument", "rank")
SORTS = ("gap", "-gap", "coverage", "-coverage", "required", "-required", "id")
# What a donor may download, by the name in its link: the catalogue, and the programme as IATI 2.03 XML.
DOWNLOADS = {layout.CATALOGUE_PDF: layout.CATALOGUE_PDF, layout.CATALOGUE_XLSX: layout.CATALOGUE_XLSX,
             layout.CATALOGUE_JSON: layout.CATALOGUE_JSON,
             f"iati-{layout.IATI_ACTIVITIES}": f"{layout.IATI_DIR}/{layout.IATI_ACTIVITIES}",
             f"iati-{layout.IATI_ORGANISATION}": f"{layout.IATI_DIR}/{layout.IATI_ORGANISATION}",
             "datapackage.json": f"{layout.DATA_PACKAGE_DIR}/datapackage.json",
             **{f"data-{name}.csv": f"{layout.DATA_PACKAGE_DIR}/{name}.csv" for name in DATA_TABLES}}


async def require_donor_access(request: Request) -> None:
    """Let a visitor into the donor site: always when it is public, else only once its link was opened (403 before)."""
    if not donor_access(request):
        raise HTTPException(status_code=403, detail=N_("The donor site needs the link the Secretariat sent you."))


def _catalogue(request: Request) -> dict[str, Any]:
    data = published_catalogue(settings_of(request).outputs)
    if data is None:
        raise HTTPException(status_code=404, detail=N_("No catalogue has been published yet."))
    return data


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _values(priority: dict[str, Any], name: str) -> list[str]:
    field = {"taxon": "taxa", "region": "regions", "target": "strategic_plan_targets"}.get(name, name)
    value = priority.get(field)
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if v is not None]


def filter_priorities(priorities: list[dict[str, Any]], chosen: dict[str, str], sort: str) -> list[dict[str, Any]]:
    """Keep the priorities that match every chosen filter, then order them (default: largest gap first)."""
    kept = [p for p in priorities if all(not v or v in _values(p, k) for k, v in chosen.items())]
    key = sort.lstrip("-")
    if key == "id":
        return sorted(kept, key=lambda p: str(p["id"]))
    return sorted(kept, key=lambda p: (_amount(p.get(key)), str(p["id"])), reverse=sort.startswith("-"))


def filter_options(priorities: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The values each filter offers, taken from the priorities themselves (targets in number order)."""
    options = {}
    for name in FILTERS:
        values = {v for p in priorities for v in _values(p, name)}
        options[name] = sorted(values, key=lambda v: (len(v), v) if name == "target" else (0, v))
    return options


def since_last_edition(data: dict[str, Any], lang: str) -> ChangesView | None:
    """catalogue.json's `changes`, worded as the catalogue's own "Since the last edition" section words it."""
    changes = data.get("changes")
    if not isinstance(changes, dict):
        return None  # a catalogue published before editions were compared
    fmt = Formatter.for_language(str(data.get("locale") or ""), str(data.get("reporting_currency") or ""), lang)
    return changes_view(changes, fmt.locale, fmt.currency, fmt.gettext)


@router.get("/enter/{token}")
def enter(request: Request, token: str) -> Response:
    """Open the donor site with its token: remembered in the session, then on to /donors.

    A wrong token answers 404, and so does any token while the site is public.
    """
    expected = settings_of(request).donor_token
    if not expected or not hmac.compare_digest(expected, token):
        raise HTTPException(status_code=404, detail=N_("This link does not work."))
    start_donor_session(request)
    return RedirectResponse("/donors", status_code=303)


@router.get("", dependencies=[Depends(require_donor_access)])
async def glance(request: Request) -> Response:
    """The donor site's front page: priorities filtered and sorted as asked, and what changed since the last edition."""
    data = _catalogue(request)
    chosen = {name: str(request.query_params.get(name) or "") for name in FILTERS}
    sort = str(request.query_params.get("sort") or "-gap")
    sort = sort if sort in SORTS else "-gap"
    lang = language_of(request)
    content = cached_fragment(
        (release_key(settings_of(request).outputs), "home", tuple(chosen.items()), sort, lang), "donor_home.html.j2", lang,
        lambda: {"catalogue": data, "priorities": filter_priorities(data["priorities"], chosen, sort), "chosen": chosen,
                 "sort": sort, "options": filter_options(data["priorities"]), "sorts": SORTS,
                 "since": since_last_edition(data, lang)})
    return render(request, "donor_page.html.j2", lang=lang, title=str(data.get("title", "")), content=content)


@router.get("/priorities/{priority_id}", dependencies=[Depends(require_donor_access)])
async def priority_page(request: Request, priority_id: str) -> Response:
    """One priority for donors: its open activities (largest gap first), tasks and match offers; 404 if unknown."""
    data = _catalogue(request)
    priority = next((p for p in data["priorities"] if p["id"] == priority_id), None)
    if priority is None:
        raise HTTPException(status_code=404, detail=N_("No such priority."))
    lang = language_of(request)
    content = cached_fragment((release_key(settings_of(request).outputs), "priority", priority_id, lang),
                              "donor_priority.html.j2", lang, lambda: _priority_context(data, priority))
    return render(request, "donor_page.html.j2", lang=lang, title=priority_id, content=content)


def _open(item: dict[str, Any]) -> bool:
    """Only open work is offered to donors (a catalogue.json older than timings counts all work as open)."""
    return bool(item.get("timing", "open") == "open")


def _priority_context(data: dict[str, Any], priority: dict[str, Any]) -> dict[str, Any]:
    activities = [a for a in data["activities"] if a["id"] in set(priority.get("activity_ids") or []) and _open(a)]
    tasks = [t for t in data["secretariat_tasks"] if t["id"] in set(priority.get("task_ids") or []) and _open(t)]
    return {"catalogue": data, "priority": priority, "tasks": tasks,
            "activities": sorted(activities, key=lambda a: (-_amount(a.get("gap")), a["id"])),
            "offers": [a for a in activities
                       if a.get("match_offer") and a["match_offer"].get("standing", "counted") == "counted"]}


@router.get("/partners", dependencies=[Depends(require_donor_access)])
async def partner_directory(request: Request) -> Response:
    """The partners of the published catalogue, for donors."""
    data = _catalogue(request)
    lang = language_of(request)
    content = cached_fragment((release_key(settings_of(request).outputs), "partners", lang), "donor_partners.html.j2",
                              lang, lambda: {"catalogue": data, "partners": data["partners"]})
    return render(request, "donor_page.html.j2", lang=lang, title=translator(lang)["partner_directory"], content=content)


@router.get("/flows", dependencies=[Depends(require_donor_access)])
async def flows_page(request: Request) -> Response:
    """Who funds what: the register's donors (families rolled up) and the flows donor -> implementer -> priority."""
    data = _catalogue(request)
    lang = language_of(request)
    contributions = data.get("contributions") or {"donors": [], "flows": []}
    content = cached_fragment((release_key(settings_of(request).outputs), "flows", lang), "donor_flows.html.j2", lang,
                              lambda: {"catalogue": data, "donors": [d for d in contributions["donors"] if not d.get("parent")],
                                       "flows": contributions["flows"]})
    return render(request, "donor_page.html.j2", lang=lang, title=translator(lang)["who_funds"], content=content)


@router.get("/methodology", dependencies=[Depends(require_donor_access)])
async def methodology_page(request: Request) -> Response:
    """How the figures are made, with the published catalogue's own words (the PDF's Annex E, one source: its
    catalogue.json), the exchange rates every amount was converted at, and who to ask."""
    data = _catalogue(request)
    lang = language_of(request)
    content = cached_fragment((release_key(settings_of(request).outputs), "methodology", lang),
                              "donor_methodology.html.j2", lang, lambda: {"catalogue": data})
    return render(request, "donor_page.html.j2", lang=lang, title=translator(lang)["methodology"], content=content)


@router.get("/download/{name}", dependencies=[Depends(require_donor_access)])
def download(request: Request, name: str) -> Response:
    """The published catalogue as PDF, XLSX or JSON, or the programme as IATI XML, for donors; 404 for any other
    name or before it is published."""
    if name not in DOWNLOADS:
        raise HTTPException(status_code=404, detail=N_("No such file."))
    path = settings_of(request).outputs / DOWNLOADS[name]
    if not path.is_file():
        raise HTTPException(status_code=404, detail=N_("Not published yet."))
    return FileResponse(path, filename=name)
