"""What a partner's new workbook changes against the one in the inputs: activities added, removed, changed.

The desk decides a submission on this: for every activity, what changed (title, dates, status, countries,
priorities, budget lines, funding lines) and its money before and after, in the reporting currency, as the
budget figures it (required, secured, gap: the catalogue's own figures, so what the desk sees here is what
the next build will print). Pure: two tuples of budgeted activities in, one comparison out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalogue.issues import N_
from catalogue.model.catalogue import Activity

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
ZERO = Decimal(0)

# What the desk is told changed, in the order it reads, with how to tell (a msgid and a key of the activity).
ASPECTS: tuple[tuple[str, Callable[[Activity], object]], ...] = (
    (N_("title"), lambda a: a.title),
    (N_("description"), lambda a: a.description),
    (N_("dates"), lambda a: (a.start, a.end)),
    (N_("status"), lambda a: a.implementation_status),
    (N_("countries"), lambda a: a.countries),
    (N_("priorities"), lambda a: (a.lead_priority_id, a.priority_ids)),
    (N_("budget lines"), lambda a: a.budget_lines),
    (N_("funding lines"), lambda a: a.funding_lines),
)


@dataclass(frozen=True)
class Money:
    """An activity's money as the budget figures it, in the reporting currency."""

    required: Decimal
    secured: Decimal
    gap: Decimal

    @staticmethod
    def of(activity: Activity | None) -> Money:
        """The activity's figures, or nothing at all for an activity that is not there."""
        if activity is None:
            return Money(ZERO, ZERO, ZERO)
        return Money(activity.figures.required, activity.figures.secured, activity.figures.gap)


@dataclass(frozen=True)
class ActivityChange:
    """One activity that is new, gone or different in the sent workbook."""

    activity_id: str
    title: str  # the sent workbook's title (the current one's for a removed activity)
    kind: str  # added | removed | changed
    aspects: tuple[str, ...]  # msgids of what changed (ASPECTS); empty for added and removed
    before: Money
    after: Money

    @property
    def required_change(self) -> Decimal:
        """How much more (or less) the activity needs."""
        return self.after.required - self.before.required

    @property
    def secured_change(self) -> Decimal:
        """How much more (or less) is secured for it."""
        return self.after.secured - self.before.secured

    @property
    def gap_change(self) -> Decimal:
        """How much its gap grows (or shrinks)."""
        return self.after.gap - self.before.gap


@dataclass(frozen=True)
class WorkbookComparison:
    """The sent workbook against the one in the inputs, activity by activity, and in total."""

    currency: str
    changes: tuple[ActivityChange, ...]  # added, then changed, then removed; by id within each
    unchanged: int
    before: Money  # the partner's totals with the workbook in the inputs
    after: Money  # and with the sent one

    def of_kind(self, kind: str) -> tuple[ActivityChange, ...]:
        """The changes of one kind (added, removed, changed)."""
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def identical(self) -> bool:
        """Nothing a reader of the catalogue would see changes."""
        return not self.changes


def _total(activities: Sequence[Activity]) -> Money:
    money = [Money.of(a) for a in activities]
    return Money(sum((m.required for m in money), ZERO), sum((m.secured for m in money), ZERO),
                 sum((m.gap for m in money), ZERO))


def compare_activities(current: Sequence[Activity], sent: Sequence[Activity], currency: str) -> WorkbookComparison:
    """Every activity of `sent` against `current` (both one partner's, budgeted), by id."""
    before = {a.id: a for a in current}
    after = {a.id: a for a in sent}
    added = [ActivityChange(i, after[i].title, ADDED, (), Money.of(None), Money.of(after[i]))
             for i in sorted(after.keys() - before.keys())]
    removed = [ActivityChange(i, before[i].title, REMOVED, (), Money.of(before[i]), Money.of(None))
               for i in sorted(before.keys() - after.keys())]
    changed, unchanged = [], 0
    for i in sorted(before.keys() & after.keys()):
        aspects = tuple(label for label, key in ASPECTS if key(before[i]) != key(after[i]))
        money_before, money_after = Money.of(before[i]), Money.of(after[i])
        if aspects or money_before != money_after:  # figures can move with shared lists alone (a new rate)
            changed.append(ActivityChange(i, after[i].title, CHANGED, aspects, money_before, money_after))
        else:
            unchanged += 1
    return WorkbookComparison(currency, (*added, *changed, *removed), unchanged, _total(current), _total(sent))
