"""Which priorities languish, why (a code), and how old their mandate is: the CoP that adopted them and since when.

A priority languishes when its open work has low or no money (or it has none), and it was adopted at least
`languishing_min_cops_ago` CoPs ago (settings): the report's "action plans that languish with no funding or
attention for years". A priority whose CoP date is unknown counts as old enough.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from catalogue.inputs.settings import CatalogueSettings
from catalogue.model.catalogue import LanguishingPriority, Priority
from catalogue.model.reasons import Reason
from catalogue.money import ZERO


def cops_ago(cop: int, settings: CatalogueSettings) -> tuple[date | None, int | None]:
    """When CoP `cop` met (settings' cop_dates) and how many CoPs have met since, by the as-at date."""
    adopted = settings.cop_dates.get(cop)
    if adopted is None:
        return None, None
    later = sum(1 for number, met in settings.cop_dates.items() if number > cop and met <= settings.as_at)
    return adopted, later


def _languishing_reason(p: Priority, threshold: Decimal) -> Reason | None:
    if not p.activity_ids and not p.task_ids and not p.contributing_activity_ids:
        return Reason("no-work")
    if not p.activity_ids and not p.task_ids:
        return Reason("only-contributing")
    if not p.figures.required and not p.figures.secured:
        return Reason("no-open-work")
    if p.figures.secured == ZERO:
        return Reason("no-confirmed-funding")
    if p.figures.coverage is not None and p.figures.coverage < threshold:
        return Reason("coverage-below-threshold", (("coverage", str(p.figures.coverage)), ("threshold", str(threshold))))
    return None


def languishing(priorities: list[Priority], settings: CatalogueSettings) -> list[LanguishingPriority]:
    """Priorities nobody funds that are old enough to be languishing, each with why as a code, oldest first."""
    out: list[LanguishingPriority] = []
    for p in priorities:
        reason = _languishing_reason(p, settings.languishing_coverage_threshold)
        if reason is None or (p.cops_ago is not None and p.cops_ago < settings.languishing_min_cops_ago):
            continue
        out.append(LanguishingPriority(p.id, p.title, (reason,), p.cop, p.adopted, p.cops_ago))
    out.sort(key=lambda lp: (lp.cop or 0, lp.id))
    return out
