"""The budgeted programme, the warnings and the provenance into the one catalogue model."""

from __future__ import annotations

from catalogue.inputs.load import InputFile
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
    "gap": "gap = max(required - secured, 0) for every activity and task; a grouping's gap is the sum of its members' gaps.",
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
    "match": "A match offer adds `ratio` of the partner's money per unit of donor money, up to a ceiling; donor money "
             "to unlock = ceiling / ratio; leverage = (donor money + match) / donor money.",
    "double_counting": "Flagged, not corrected: the same grant reference on funding lines of two activities or tasks, "
                       "and a Secretariat task funded by a partner that also reports its own money on the same priority.",
    "languishing": "A priority languishes when no activity or task addresses it, when none of its work has confirmed "
                   "money, or when its coverage is below the threshold in settings.",
}


def assemble_catalogue(programme: Programme, budgeted: BudgetedProgramme, report: Report,
                       files: list[InputFile], build_time: str, tool_version: str) -> Catalogue:
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
        fx_rates=tuple(programme.rates.values()),
        warnings=tuple(i.to_dict() for i in report.sorted() if i.severity.value == "warning"),
        methodology={**METHODOLOGY,
                     "languishing_threshold": f"{settings.languishing_coverage_threshold * 100:.0f}%"},
        provenance=Provenance(
            inputs=tuple(InputFileRecord(f.name, f.kind, f.sha256, f.size) for f in sorted(files, key=lambda f: f.name)),
            schema_versions=schema_versions(),
            build_time=build_time,
            tool_version=tool_version,
        ),
    )
