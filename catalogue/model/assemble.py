"""The budgeted programme, the warnings and the provenance into the one catalogue model."""

from __future__ import annotations

from catalogue.inputs.files import DONORS_DIR
from catalogue.inputs.records import InputFile
from catalogue.inputs.schemas import schema_versions
from catalogue.issues import Report
from catalogue.model.budget import BudgetedProgramme
from catalogue.model.catalogue import Catalogue, InputFileRecord, Provenance
from catalogue.model.merge import Programme

METHODOLOGY = {
    "secured": "Confirmed money: signed cash funding lines plus in-kind contributions marked confirmed. "
               "It is counted against each activity's or task's own requirement; any excess is shown as surplus "
               "and never fills another activity's gap.",
    "pledged": "Money promised but not yet signed, shown separately; 'gap if pledges are honoured' assumes it all arrives.",
    "requested": "Money applied for; not counted as secured or pledged.",
    "gap": "gap = max(required - secured, 0) for every activity and task; a grouping's gap is the sum of its members' gaps. "
           "The headline, every grouping and the donor figures count open work only.",
    "timing": "Open work is planned or ongoing work that ends after the 'as at' date: it is what a donor can still fund. "
              "Completed work, and work that ended on or before the 'as at' date, is delivered work: its unfunded part "
              "is what its implementers absorbed, reported apart and never offered. Suspended work is neither. "
              "Open + delivered + suspended = all the work, to the cent. A status that contradicts the dates is a warning.",
    "years": "A budget or funding line counts in the year it names; a line that names none is spread over its work's "
             "calendar years in proportion to its days in each (days before or after the catalogue period count in its "
             "first or last year), the cents shared by the largest remainder, so the years add up to the line. In each "
             "year, confirmed money first covers that year's requirement; money left over covers other years' needs, "
             "earliest first; pledged money fills the remaining gaps the same way. The years add up to every figure.",
    "coverage": "secured / required, to 0.01 %.",
    "in_kind": "Staff time = days x day rate; meetings = staff x meetings x days x day rate. In-kind values are always "
               "computed from these factors and shown with their formula, never typed in.",
    "currency": "Each amount is converted once into the reporting currency at the stated rate (units of reporting "
                "currency per unit) and rounded there, half-even, to the cent. Totals are sums of rounded amounts.",
    "attribution": "An activity or task that serves several priorities counts once, against the first-listed (lead) "
                   "priority; it is listed under the others for reference. So priority and partner totals add up to the programme total.",
    "groupings": "By Strategic Plan target, taxon group, region, instrument and rank: each priority's figures (the sum of "
                 "the work it leads) are shared equally among the targets (taxa, regions) it lists; a priority listing none "
                 "counts as unassigned (cross-cutting, Global). By year: each activity's and task's figures are shared among "
                 "the calendar years of its period in proportion to its days in each. Shares are exact to the cent (largest "
                 "remainder), so every grouping adds up to the programme total.",
    "match": "A match offer adds the partner's money at its ratio for every unit of donor money, up to a ceiling and "
             "until it expires. It counts only on open work and while it stands, and donor money plus the match it "
             "unlocks never exceed the activity's open gap: past it, the donor money is gap / (1 + ratio). Leverage = "
             "(donor money + match) / donor money. A pledged or requested funding line of type match on an activity "
             "with an offer is the offer's own money, counted once, as the offer, and not as a pledge.",
    "cofunding": "A partner's co-funding is its own confirmed cash and in-kind money on all its work, counted on the "
                 "same basis as secured money: where an activity's confirmed money passes its requirement, the partner's "
                 "own money counts in proportion to its share of that money, and the rest is shown as surplus beside it.",
    "double_counting": "Flagged, not corrected: the same grant reference on funding lines of two activities or tasks, "
                       "and a Secretariat task funded by a partner that also reports its own money on the same priority.",
    "languishing": "A priority languishes when no activity or task addresses it, when none of its open work has "
                   "confirmed money, or when the coverage of its open work is below the threshold in settings, and it "
                   "was adopted at least as many CoPs ago as the settings name.",
    "display": "The headline and the tables in the body show whole units, rounded so that a table's rows add up to "
               "the total it shows (the largest remainder gets the unit); Annexes A and B, the workbook and "
               "catalogue.json keep the cents.",
}


def _private(name: str) -> bool:
    """Donor profiles are the Secretariat's prospect list: never named in the public catalogue (only in packs)."""
    return name.startswith(f"{DONORS_DIR}/")


def assemble_catalogue(programme: Programme, budgeted: BudgetedProgramme, report: Report,
                       files: list[InputFile], build_time: str, tool_version: str) -> Catalogue:
    """The one catalogue model: the budgeted figures, the public warnings, the methodology and the provenance.

    Donor profiles are left out of both the warnings and the input file records: only packs name them.
    """
    settings = programme.settings
    return Catalogue(
        title=settings.title,
        edition=settings.edition,
        as_at=settings.as_at,
        reporting_currency=settings.reporting_currency,
        locale=settings.locale,
        period_start=settings.period_start,
        period_end=settings.period_end,
        totals=budgeted.totals,
        priorities=budgeted.priorities,
        partners=budgeted.partners,
        activities=budgeted.activities,
        secretariat_tasks=budgeted.tasks,
        languishing_priorities=budgeted.languishing,
        groupings=budgeted.groupings,
        funding_sources=budgeted.funding_sources,
        double_counting=budgeted.double_counting,
        contributions=budgeted.contributions,
        fx_rates=tuple(programme.rates.values()),
        warnings=tuple(i.to_dict() for i in report.sorted() if i.severity.value == "warning" and not _private(i.location.file)),
        methodology={**METHODOLOGY,
                     "languishing_threshold": f"{settings.languishing_coverage_threshold * 100:.0f}%"},
        provenance=Provenance(
            inputs=tuple(InputFileRecord(f.name, f.kind, f.sha256, f.size) for f in sorted(files, key=lambda f: f.name)
                         if not _private(f.name)),
            schema_versions=schema_versions(),
            build_time=build_time,
            tool_version=tool_version,
        ),
        organisation=dict(settings.organisation),
        titles=dict(settings.titles),
        iati_organisation_identifier=settings.iati_organisation_identifier,
        contact=dict(settings.contact),
        logo=settings.logo if any(f.kind == "logo" and f.name == settings.logo for f in files) else None,
    )
