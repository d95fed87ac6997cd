"""catalogue.xlsx: the model as Excel tables fundraisers can filter, sort and paste from, in the reader's language.

Sheet names, column titles, notes and the words in cells (funding status,
priority kind, rank, line status, reasons) are translated; figures are the
model's. The table plumbing and the live formulas are render/xlsx/sheet_tables.py;
the About and Summary sheets are render/xlsx/catalogue_front.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.issues import N_
from catalogue.model.catalogue import Activity, Catalogue, Figures, Group, SecretariatTask
from catalogue.render.words.i18n import Formatter
from catalogue.render.xlsx.catalogue_front import sources_by_confirmed, write_about, write_summary
from catalogue.render.xlsx.changes_sheet import write_changes_sheet
from catalogue.render.xlsx.contributions_sheets import write_contribution_sheets
from catalogue.render.xlsx.sheet_tables import FIGURE_KINDS, Column, TableWriter, join

GROUPING_LABELS = {"strategic_plan_target": N_("Strategic Plan target"), "taxon_group": N_("Taxon group"),
                   "region": N_("Region"), "instrument": N_("Instrument"), "rank": N_("Rank"), "year": N_("Year")}
SEVERITY_TEXT = {"error": N_("error"), "warning": N_("warning")}


def _figure_columns(figures_of: Callable[[Any], Figures] = lambda item: item.figures) -> list[Column]:
    """Required / secured / pledged / gap / gap if pledged / surplus / coverage / status for any budgeted object."""
    def col(header: str, name: str, width: float) -> Column:
        def value(item: Any) -> Any:
            return getattr(figures_of(item), name)
        return Column(header, FIGURE_KINDS[name], width, value, total=name)

    return [
        col(N_("Required (%(cur)s)"), "required", 16),
        col(N_("Secured (%(cur)s)"), "secured", 16),
        col(N_("Pledged (%(cur)s)"), "pledged", 16),
        col(N_("Gap (%(cur)s)"), "gap", 16),
        col(N_("Gap if pledges honoured (%(cur)s)"), "gap_if_pledged", 18),
        col(N_("Surplus (%(cur)s)"), "surplus", 14),
        col(N_("Coverage"), "coverage", 11),
        col(N_("Funding status"), "status", 15),
    ]


def _model_total(catalogue: Catalogue, name: str) -> Figures:
    """A table's total as the model holds it (Totals.activities or Totals.tasks): never summed here."""
    figures: Figures = getattr(catalogue.totals, name)
    return figures


# --------------------------------------------------------------------------- the workbook


def catalogue_xlsx_bytes(catalogue: Catalogue, lang: str = "en", changes: dict[str, Any] | None = None) -> bytes:
    """The workbook's bytes, made in a temporary folder: for a layout process that makes it beside its layout."""
    with tempfile.TemporaryDirectory(prefix="catalogue-xlsx-") as folder:
        path = Path(folder) / "catalogue.xlsx"
        write_catalogue_xlsx(catalogue, path, lang=lang, changes=changes)
        return path.read_bytes()


def write_catalogue_xlsx(catalogue: Catalogue, path: Path, lang: str = "en",
                         changes: dict[str, Any] | None = None) -> None:
    """Write the workbook: About, Summary, then one Excel table per sheet for every part of the model."""
    c = catalogue
    fmt = Formatter.for_language(c.locale, c.reporting_currency, lang)
    w = TableWriter(Path(path), fmt)
    write_about(w, c)
    summary = w.sheet(N_("Summary"))
    _work_tables(w, c, fmt)
    _money_tables(w, c, fmt)
    _reference_tables(w, c, fmt)
    write_summary(w, summary, c)
    if changes:
        write_changes_sheet(w.book, changes, c.reporting_currency, locale=fmt.locale, gettext=fmt.gettext,
                            formats=w.fmt)
    w.close()


def _work_tables(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    """Priorities, Activities, Secretariat tasks and Gaps: the work and what it needs."""
    figures = _figure_columns()
    w.table(N_("Priorities"), [
        Column(N_("Priority"), "text", 16, lambda p: p.id),
        Column(N_("Kind"), "text", 16, lambda p: fmt.kind(p.kind)),
        Column(N_("Title"), "wrap", 50, lambda p: p.title),
        Column(N_("CoP"), "int", 6, lambda p: p.cop),
        Column(N_("Instrument"), "text", 12, lambda p: p.instrument),
        Column(N_("Rank"), "text", 9, lambda p: fmt.rank(p.rank) if p.rank else ""),
        Column(N_("Strategic Plan targets"), "text", 12, lambda p: join(p.strategic_plan_targets)),
        Column(N_("Taxa"), "wrap", 20, lambda p: join(p.taxa)),
        Column(N_("Regions"), "wrap", 18, lambda p: join(p.regions)),
        *figures,
        Column(N_("Activities"), "int", 10, lambda p: len(p.activity_ids)),
        Column(N_("Tasks"), "int", 8, lambda p: len(p.task_ids)),
        Column(N_("Also served by activities"), "wrap", 20, lambda p: join(p.contributing_activity_ids)),
        Column(N_("Partners"), "wrap", 24, lambda p: join(p.partner_ids)),
        Column(N_("Match offers"), "int", 8, lambda p: p.match.offers),
        Column(N_("Match available (%(cur)s)"), "money", 16, lambda p: p.match.match_available),
        Column(N_("Donor money to unlock it (%(cur)s)"), "money", 18, lambda p: p.match.donor_to_unlock),
        Column(N_("Leverage"), "number", 10, lambda p: p.match.leverage),
    ], c.priorities, totals=c.totals.figures,
        note=N_("Priorities by gap, largest first. Each activity's money counts under its lead priority only."))
    w.table(N_("Activities"), [
        Column(N_("Activity"), "text", 14, lambda a: a.id),
        Column(N_("Partner"), "text", 16, lambda a: a.partner_name),
        Column(N_("Lead priority"), "text", 14, lambda a: a.lead_priority_id),
        Column(N_("All priorities"), "wrap", 18, lambda a: join(a.priority_ids)),
        Column(N_("Title"), "wrap", 45, lambda a: a.title),
        Column(N_("Description"), "wrap", 60, lambda a: a.description),
        Column(N_("Countries"), "wrap", 14, lambda a: join(a.countries)),
        Column(N_("Start"), "date", 11, lambda a: a.start),
        Column(N_("End"), "date", 11, lambda a: a.end),
        Column(N_("Status"), "text", 11, lambda a: fmt.implementation(a.implementation_status)),
        Column(N_("Open or delivered"), "text", 12, lambda a: fmt.timing(a.timing)),
        *figures,
        Column(N_("Partner co-funding, cash (%(cur)s)"), "money", 17, lambda a: a.cofunding_cash),
        Column(N_("Partner co-funding, in kind (%(cur)s)"), "money", 17, lambda a: a.cofunding_in_kind),
        Column(N_("Partner money above the budget (%(cur)s)"), "money", 17, lambda a: a.cofunding_surplus),
        Column(N_("Source"), "text", 30, lambda a: a.source),
    ], c.activities, totals=_model_total(c, "activities_all"),
        note=N_("Every activity, open or delivered: filter 'Open or delivered' on open to see what donors can fund."))
    w.table(N_("Secretariat tasks"), [
        Column(N_("Task"), "text", 9, lambda t: t.id),
        Column(N_("Lead priority"), "text", 14, lambda t: t.lead_priority_id),
        Column(N_("All priorities"), "wrap", 18, lambda t: join(t.priority_ids)),
        Column(N_("Title"), "wrap", 45, lambda t: t.title),
        Column(N_("Description"), "wrap", 60, lambda t: t.description),
        Column(N_("Unit"), "text", 18, lambda t: t.unit),
        Column(N_("Start"), "date", 11, lambda t: t.start),
        Column(N_("End"), "date", 11, lambda t: t.end),
        Column(N_("Open or delivered"), "text", 12, lambda t: fmt.timing(t.timing)),
        *figures,
        Column(N_("Source"), "text", 30, lambda t: t.source),
    ], c.secretariat_tasks, totals=_model_total(c, "tasks_all"))
    _gaps(w, c, fmt)
    _delivered(w, c, fmt)
    _years(w, c, fmt)


def _money_tables(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    """Match offers, Funding lines, Funding sources: where the money comes from."""
    _match_offers(w, c, fmt)
    owners: tuple[Activity | SecretariatTask, ...] = (*c.activities, *c.secretariat_tasks)
    w.table(N_("Funding lines"), [
        Column(N_("For"), "text", 14, lambda r: r[0].id),
        Column(N_("Line"), "int", 6, lambda r: r[1].line),
        Column(N_("Donor"), "text", 12, lambda r: r[1].donor_id or ""),
        Column(N_("Source"), "wrap", 32, lambda r: r[1].source),
        Column(N_("Source type"), "text", 22, lambda r: fmt.source_type(r[1].source_type)),
        Column(N_("Stage"), "text", 11, lambda r: fmt.stage(r[1].stage)),
        Column(N_("Pledged on"), "date", 11, lambda r: r[1].pledged_on),
        Column(N_("Signed on"), "date", 11, lambda r: r[1].signed_on),
        Column(N_("Expected by"), "date", 11, lambda r: r[1].expected_by),
        Column(N_("Paid on"), "date", 11, lambda r: r[1].paid_on),
        Column(N_("Paid (%(cur)s)"), "money", 14, lambda r: r[1].paid),
        Column(N_("Instrument"), "text", 11, lambda r: fmt.instrument(r[1].instrument)),
        Column(N_("Earmarking"), "text", 14, lambda r: fmt.earmarking(r[1].earmarking)),
        Column(N_("Currency"), "text", 9, lambda r: r[1].currency),
        Column(N_("Original amount"), "amount", 16, lambda r: r[1].original_amount),
        Column(N_("Rate (%(cur)s per unit)"), "number", 12, lambda r: r[1].rate),
        Column(N_("Amount (%(cur)s)"), "money", 16, lambda r: r[1].amount),
        Column(N_("Grant reference"), "text", 16, lambda r: r[1].grant_ref or ""),
        Column(N_("Part of a match offer"), "text", 10, lambda r: fmt.gettext("yes") if r[1].part_of_offer else ""),
    ], [(owner, line) for owner in owners for line in owner.funding_lines],
        note=N_("Every funding line as committed, before capping at each item's requirement."))
    w.table(N_("Funding sources"), [
        Column(N_("Source"), "wrap", 40, lambda s: s.source),
        Column(N_("Source type"), "text", 22, lambda s: fmt.source_type(s.source_type)),
        Column(N_("Confirmed (%(cur)s)"), "money", 17, lambda s: s.confirmed),
        Column(N_("Pledged (%(cur)s)"), "money", 17, lambda s: s.pledged),
        Column(N_("Requested (%(cur)s)"), "money", 17, lambda s: s.requested),
        Column(N_("Lines"), "int", 8, lambda s: s.lines),
    ], sources_by_confirmed(c), note=N_("Money by source as committed (before capping at each item's requirement), largest confirmed first."))
    write_contribution_sheets(w, c, fmt)


def _reference_tables(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    """Partners, Groupings, Languishing, Issues, FX rates."""
    figures = _figure_columns()
    w.table(N_("Partners"), [
        Column(N_("Partner"), "text", 16, lambda p: p.id),
        Column(N_("Name"), "wrap", 34, lambda p: p.name),
        Column(N_("Short name"), "text", 14, lambda p: p.short_name),
        Column(N_("Contact"), "text", 20, lambda p: p.contact_name),
        Column(N_("Role"), "wrap", 18, lambda p: p.contact_role),
        Column(N_("E-mail"), "text", 30, lambda p: p.contact_email),
        Column(N_("Expertise"), "wrap", 36, lambda p: join(p.expertise)),
        Column(N_("Themes"), "wrap", 24, lambda p: join(p.themes)),
        Column(N_("Taxa"), "wrap", 20, lambda p: join(p.taxa)),
        Column(N_("Regions"), "wrap", 18, lambda p: join(p.regions)),
        Column(N_("Countries"), "wrap", 18, lambda p: join(p.countries)),
        Column(N_("Non-Party countries"), "wrap", 12, lambda p: join(p.non_party_countries)),
        Column(N_("Languages"), "text", 10, lambda p: join(p.languages)),
        Column(N_("Partner since"), "date", 12, lambda p: p.agreement_date),
        Column(N_("Activities"), "int", 10, lambda p: len(p.activity_ids)),
        *figures,
        Column(N_("Co-funding, cash (%(cur)s)"), "money", 17, lambda p: p.cofunding_cash),
        Column(N_("Co-funding, in kind (%(cur)s)"), "money", 17, lambda p: p.cofunding_in_kind),
        Column(N_("Co-funding, total (%(cur)s)"), "money", 17, lambda p: p.cofunding_total),
        Column(N_("Money raised from others (%(cur)s)"), "money", 17, lambda p: p.raised),
        Column(N_("Own money above budgets (%(cur)s)"), "money", 17, lambda p: p.cofunding_surplus),
        Column(N_("Delivered work, required (%(cur)s)"), "money", 17, lambda p: p.past.required),
        Column(N_("Delivered work, unfunded (%(cur)s)"), "money", 17, lambda p: p.past.gap),
    ], c.partners, note=N_("Required, secured and gap are the partner's open work; co-funding counts all its work, "
                           "on the basis of secured money."))
    w.table(N_("Groupings"), [
        Column(N_("Grouping"), "text", 22, lambda r: r[0]),
        Column(N_("Group"), "text", 24, lambda r: r[1]),
        Column(N_("Members"), "int", 8, lambda r: r[2].members),
        *_figure_columns(lambda r: r[2].figures),
    ], _group_rows(c, fmt),
        note=N_("Each grouping shares every activity and task out over its groups; filter on Grouping to see one."))
    w.table(N_("Languishing"), [
        Column(N_("Priority"), "text", 16, lambda lp: lp.id),
        Column(N_("Title"), "wrap", 60, lambda lp: lp.title),
        Column(N_("CoP"), "int", 6, lambda lp: lp.cop),
        Column(N_("Adopted"), "date", 12, lambda lp: lp.adopted),
        Column(N_("Why"), "wrap", 60, lambda lp: join(fmt.reason(r) for r in lp.reasons)),
    ], c.languishing_priorities)
    _issues(w, c, fmt)
    w.table(N_("FX rates"), [
        Column(N_("Currency"), "text", 10, lambda r: r.currency),
        Column(N_("Rate (%(cur)s per unit)"), "number", 18, lambda r: r.rate),
        Column(N_("Date"), "date", 12, lambda r: r.date),
        Column(N_("Source"), "wrap", 50, lambda r: r.source),
    ], c.fx_rates)


def _group_rows(c: Catalogue, fmt: Formatter) -> list[tuple[str, str, Group]]:
    """(grouping, group, figures) rows; rank groups are codes, shown as the reader's words."""
    rows: list[tuple[str, str, Group]] = []
    for name, label in GROUPING_LABELS.items():
        for g in getattr(c.groupings, name):
            rows.append((fmt.gettext(label), fmt.rank(g.key) if name == "rank" else g.key, g))
    return rows


def _gaps(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    _ = fmt.gettext
    activity, task = _("Activity"), _("Secretariat task")
    open_work = [(a, activity, a.partner_name) for a in c.activities] + \
                [(t, task, t.unit) for t in c.secretariat_tasks]
    open_work = [r for r in open_work if r[0].timing == "open" and r[0].figures.gap > 0]
    open_work.sort(key=lambda r: (-r[0].figures.gap, r[0].id))
    w.table(N_("Gaps"), [
        Column(N_("Id"), "text", 14, lambda r: r[0].id),
        Column(N_("Kind"), "text", 16, lambda r: r[1]),
        Column(N_("Partner or unit"), "text", 20, lambda r: r[2]),
        Column(N_("Lead priority"), "text", 14, lambda r: r[0].lead_priority_id),
        Column(N_("Title"), "wrap", 45, lambda r: r[0].title),
        Column(N_("Status"), "text", 11, lambda r: fmt.implementation(getattr(r[0], "implementation_status", None))),
        Column(N_("Start"), "date", 11, lambda r: r[0].start),
        Column(N_("End"), "date", 11, lambda r: r[0].end),
        *_figure_columns(lambda r: r[0].figures),
    ], open_work, note=N_("Open work with a gap, largest gap first (ties by id): planned or ongoing activities and "
                          "Secretariat tasks ending after the 'as at' date. Delivered work is on its own sheet."))


def _delivered(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    _ = fmt.gettext
    rows = [(a, _("Activity"), a.partner_name) for a in c.activities if a.timing == "past"] + \
           [(t, _("Secretariat task"), t.unit) for t in c.secretariat_tasks if t.timing == "past"]
    w.table(N_("Delivered work"), [
        Column(N_("Id"), "text", 14, lambda r: r[0].id),
        Column(N_("Kind"), "text", 16, lambda r: r[1]),
        Column(N_("Partner or unit"), "text", 20, lambda r: r[2]),
        Column(N_("Lead priority"), "text", 14, lambda r: r[0].lead_priority_id),
        Column(N_("Title"), "wrap", 45, lambda r: r[0].title),
        Column(N_("Status"), "text", 11, lambda r: fmt.implementation(getattr(r[0], "implementation_status", None))),
        Column(N_("Start"), "date", 11, lambda r: r[0].start),
        Column(N_("End"), "date", 11, lambda r: r[0].end),
        *_figure_columns(lambda r: r[0].figures),
    ], rows, totals=c.totals.past,
        note=N_("Work completed, or ended by the 'as at' date: not offered to donors. Its gap is the unfunded part "
                "its implementers absorbed."))


def _years(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    _ = fmt.gettext
    rows: list[tuple[str, str, str, Any]] = [(_("Programme"), "", g.key, g) for g in c.groupings.year]
    rows += [(_("Priority"), p.id, str(y.year), y) for p in c.priorities for y in p.years]
    rows += [(_("Partner"), p.id, str(y.year), y) for p in c.partners for y in p.years]
    rows += [(_("Activity"), a.id, str(y.year), y) for a in c.activities if a.timing == "open" for y in a.years]
    rows += [(_("Secretariat task"), t.id, str(y.year), y) for t in c.secretariat_tasks if t.timing == "open" for y in t.years]
    w.table(N_("By year"), [
        Column(N_("Level"), "text", 16, lambda r: r[0]),
        Column(N_("Id"), "text", 16, lambda r: r[1]),
        Column(N_("Year"), "text", 8, lambda r: r[2]),
        *_figure_columns(lambda r: r[3].figures),
    ], rows, note=N_("Open work by year, at every level: filter on Level (and Id) to see one; each level's years add "
                     "up to its figures. A line naming no year is spread over its work's days (methodology)."))


def _match_offers(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    w.table(N_("Match offers"), [
        Column(N_("Activity"), "text", 14, lambda a: a.id),
        Column(N_("Partner"), "text", 16, lambda a: a.partner_name),
        Column(N_("Lead priority"), "text", 14, lambda a: a.lead_priority_id),
        Column(N_("Title"), "wrap", 45, lambda a: a.title),
        Column(N_("Currency"), "text", 9, lambda a: a.match_offer.currency),
        Column(N_("Match up to (original)"), "amount", 16, lambda a: a.match_offer.original_up_to),
        Column(N_("Match up to (%(cur)s)"), "money", 16, lambda a: a.match_offer.up_to),
        Column(N_("Partner money per unit of donor money"), "number", 14, lambda a: a.match_offer.ratio),
        Column(N_("Expires"), "date", 11, lambda a: a.match_offer.expires),
        Column(N_("Counts now"), "wrap", 24, lambda a: fmt.offer_standing(a.match_offer.standing)),
        Column(N_("Donor money to unlock it (%(cur)s)"), "money", 18, lambda a: a.match_offer.donor_to_unlock),
        Column(N_("Match it unlocks (%(cur)s)"), "money", 16, lambda a: a.match_offer.match),
        Column(N_("Activity gap (%(cur)s)"), "money", 16, lambda a: a.figures.gap),
        Column(N_("Note"), "wrap", 40, lambda a: a.match_offer.note),
    ], [a for a in c.activities if a.match_offer is not None],
        note=N_("Partners who add their own money when a donor gives: the donor money shown unlocks the match shown, "
                "and together they never exceed the activity's open gap. Expired offers and offers on delivered work "
                "do not count."))


def _issues(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    def loc(key: str) -> Callable[[dict[str, Any]], Any]:
        return lambda i: (i.get("location") or {}).get(key)

    w.table(N_("Issues"), [
        Column(N_("Severity"), "text", 10, lambda i: fmt.vocabulary(i.get("severity"), SEVERITY_TEXT)),
        Column(N_("Code"), "text", 22, lambda i: i.get("code", "")),
        Column(N_("Record"), "text", 14, lambda i: i.get("record_id") or ""),
        Column(N_("File"), "text", 26, loc("file")),
        Column(N_("Sheet"), "text", 12, loc("sheet")),
        Column(N_("Row"), "int", 7, loc("row")),
        Column(N_("Column"), "text", 14, lambda i: (i.get("location") or {}).get("header") or (i.get("location") or {}).get("column")),
        Column(N_("Message"), "wrap", 70, fmt.finding),
        Column(N_("What to do"), "wrap", 50, fmt.finding_hint),
    ], c.warnings, note=N_("Data-quality warnings: the catalogue was built, but these places deserve a look."))
