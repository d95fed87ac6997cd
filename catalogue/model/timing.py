"""Open, past or suspended: whether a donor can still fund a piece of work, from its status and the "as at" date.

A donor can fund only work that can still be done: planned or ongoing work that ends after the as-at date is
*open*. Completed work, and work that ended on or before the as-at date, is *past*: its unfunded part is what
the implementer absorbed, reported apart and never offered. Suspended work is neither offered nor history.
Secretariat tasks have no status: they are open until they end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from catalogue.issues import N_, DataIssue, issue
from catalogue.model.merge import Work

OPEN = "open"
PAST = "past"
SUSPENDED = "suspended"
TIMINGS = (OPEN, PAST, SUSPENDED)


def timing_of(status: str | None, end: date, as_at: date) -> str:
    """open, past or suspended (see the module's rule)."""
    if status == "suspended":
        return SUSPENDED
    if status == "completed" or end <= as_at:
        return PAST
    return OPEN


def status_warnings(works: Iterable[Work], as_at: date) -> list[DataIssue]:
    """A status the dates contradict: completed but ending after the as-at date, planned or ongoing but ended.

    The work is still counted by the rule above (completed is past; ended is past), and the warning says so.
    """
    found: list[DataIssue] = []
    for work in works:
        status = work.data.get("status")
        end = date.fromisoformat(work.data["end"])
        if status == "completed" and end > as_at:
            message = N_("%(id)s is marked completed but ends on %(end)s, after the 'as at' date %(as_at)s; "
                         "it is counted as delivered work and not offered to donors.")
            hint = N_("If the work continues, set the status to ongoing; if it is finished, set the end date it ended.")
        elif status in ("planned", "ongoing") and end <= as_at:
            message = N_("%(id)s is marked %(status_label)s but ended on %(end)s, on or before the 'as at' date %(as_at)s; "
                         "it is counted as delivered work and not offered to donors.")
            hint = N_("If the work was extended, type its new end date; if it is finished, set the status to completed.")
        else:
            continue
        found.append(issue("status-contradicts-dates", work.locate("status"), message, hint,
                           params={"id": work.id, "end": end, "as_at": as_at, "status_label": status},
                           value=str(status), field="status", record_id=work.id))
    return found
