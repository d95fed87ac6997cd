"""Id uniqueness, the one cross-record rule that runs over every record read, valid or not.

A duplicated id often makes its twin invalid (its lines attach to the first),
so it cannot wait for schema validation. Every other rule across records runs
as a Great Expectations suite over the schema-valid records: see expectations.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalogue.inputs.records import Record
from catalogue.issues import N_, DataIssue, issue

_LABELS = {"partner": N_("partner"), "priority": N_("priority"), "secretariat_task": N_("task"),
           "workplan_activity": N_("activity"), "fx_rate": N_("exchange rate"), "donor": N_("donor profile"),
           "donor_register": N_("donor")}


def check_unique_ids(records: Iterable[Record], kind: str) -> list[DataIssue]:
    """An error at each record of `kind` reusing an earlier one's id (an FX rate's: its currency)."""
    found: list[DataIssue] = []
    first: dict[str, Record] = {}
    key = "currency" if kind == "fx_rate" else "id"
    for record in records:
        value = record.data.get(key)
        if not isinstance(value, str):
            continue
        if value in first:
            earlier = first[value].locate((key,))
            found.append(issue("id-duplicate", record.locate((key,)),
                               N_("The %(kind_label)s id '%(id)s' is used twice; it was first used at %(place)s."),
                               N_("Give each %(kind_label)s its own id, or delete the repeated row."),
                               params={"kind_label": _LABELS[kind], "id": value, "place": earlier},
                               value=value, field=key, record_id=value, related=(earlier,)))
        else:
            first[value] = record
    return found


def check_all_unique_ids(records: dict[str, list[Record]]) -> list[DataIssue]:
    """Ids unique per kind, over every record read, valid or not: a duplicate often makes its twin invalid."""
    return [found for kind, kind_records in records.items() for found in check_unique_ids(kind_records, kind)]
