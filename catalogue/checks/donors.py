"""Funding lines against the donor register and the pipeline's rules: located, with the fix.

Plain Python over schema-valid records, as plausibility.py (each check one pass over the lines):
- a line must name its donor (a register id in Donor, or a name in Source) and its stage (Stage, or an older
  sheet's Status): an error;
- a Donor id the register does not hold, a register entry whose parent or partner does not exist: an error;
- a Source (or an in-kind source) no register name or alias matches: a warning naming the closest entries;
- more paid than committed: a warning.
Without a register (inputs/donors.csv absent), sources are not matched: an older inputs folder builds as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from catalogue.inputs.donor_register import DonorDirectory, name_key
from catalogue.inputs.records import Record
from catalogue.issues import N_, DataIssue, issue

WORK_KINDS = ("workplan_activity", "secretariat_task")


def directory_of(records: dict[str, list[Record]]) -> DonorDirectory:
    """The donor register of these records (empty, and false, without a donors.csv)."""
    return DonorDirectory(r.data for r in records.get("donor_register", []))


def donor_issues(records: dict[str, list[Record]]) -> list[DataIssue]:
    """Every funding and in-kind line's donor and stage, and the register's own references."""
    directory = directory_of(records)
    partners = {r.data.get("id") for r in records.get("partner", [])}
    found = _register_issues(records.get("donor_register", []), directory, partners)
    own_names = _own_names(records.get("partner", []))
    for kind in WORK_KINDS:
        for record in records.get(kind, []):
            for index, line in enumerate(record.data.get("funding_lines") or ()):
                found += _funding_line_issues(record, index, line, directory)
            if directory:
                for index, line in enumerate(record.data.get("budget_lines") or ()):
                    found += _in_kind_issues(record, index, line, directory, own_names)
    return found


def _own_names(partners: Iterable[Record]) -> set[str]:
    """Names under which a partner's in-kind lines are its own (they need no register entry)."""
    return {name_key(str(r.data.get(key))) for r in partners for key in ("name", "short_name") if r.data.get(key)}


def _register_issues(rows: list[Record], directory: DonorDirectory, partners: set[Any]) -> list[DataIssue]:
    found: list[DataIssue] = []
    for row in rows:
        parent, partner = row.data.get("parent"), row.data.get("partner_id")
        if parent and parent not in directory.donors:
            found.append(issue("ref-dangling", row.locate(("parent",)),
                               N_("Donor %(id)s names the parent '%(parent)s', which is not in the donor list."),
                               N_("Use the id of another row of donors.csv, or leave Parent empty."),
                               params={"id": row.data["id"], "parent": parent},
                               value=str(parent), field="parent", record_id=row.data.get("id")))
        if partner and partner not in partners:
            found.append(issue("ref-dangling", row.locate(("partner_id",)),
                               N_("Donor %(id)s names the partner '%(partner)s', which is not in partners.csv."),
                               N_("Use a partner id from partners.csv, or leave Partner empty."),
                               params={"id": row.data["id"], "partner": partner},
                               value=str(partner), field="partner_id", record_id=row.data.get("id")))
    return found


def _funding_line_issues(record: Record, index: int, line: dict[str, Any], directory: DonorDirectory) -> list[DataIssue]:
    found: list[DataIssue] = []
    where = record.data.get("id")
    number = line.get("line", index + 1)
    path = ("funding_lines", index)
    donor, source = line.get("donor"), line.get("source")
    if not donor and not source:
        found.append(issue("required-missing", record.locate((*path, "source")),
                           N_("%(id)s funding line %(line)s does not say who gives the money."),
                           N_("Type the donor's id in Donor (see the donor list), or its name in Source."),
                           params={"id": where, "line": number},
                           field=f"funding_lines/{index}/source", record_id=where))
    if not line.get("stage") and not line.get("status"):
        found.append(issue("required-missing", record.locate((*path, "stage")),
                           N_("%(id)s funding line %(line)s has no stage."),
                           N_("Choose requested, pledged, committed (signed) or paid (received) in Stage."),
                           params={"id": where, "line": number},
                           field=f"funding_lines/{index}/stage", record_id=where))
    if donor and donor not in directory.donors:
        closest = directory.closest(str(donor))
        found.append(issue("ref-dangling", record.locate((*path, "donor")),
                           N_("%(id)s funding line %(line)s names the donor '%(donor)s', which is not in the donor list."),
                           N_("Use an id from donors.csv, e.g. %(closest)s.") if closest else N_("Use an id from donors.csv."),
                           params={"id": where, "line": number, "donor": donor, "closest": ", ".join(closest)},
                           value=str(donor), field=f"funding_lines/{index}/donor", record_id=where))
    elif not donor and source and directory and directory.match(source) is None:
        found.append(_unknown_donor(record, (*path, "source"), N_("%(id)s funding line %(line)s: no donor in the register "
                                                                   "is called '%(source)s'; its money is shown under that name."),
                                    {"id": where, "line": number}, str(source), directory, f"funding_lines/{index}/source"))
    paid, amount = line.get("paid"), line.get("amount")
    if paid is not None and amount is not None and Decimal(str(paid)) > Decimal(str(amount)):
        found.append(issue("paid-above-committed", record.locate((*path, "paid")),
                           N_("%(id)s funding line %(line)s records %(paid)s paid against %(amount)s committed."),
                           N_("Check both amounts: if more money arrived than was signed, raise the amount to what was "
                              "agreed; a payment is never more than its commitment."),
                           params={"id": where, "line": number, "paid": paid, "amount": amount},
                           value=str(paid), field=f"funding_lines/{index}/paid", record_id=where))
    return found


def _in_kind_issues(record: Record, index: int, line: dict[str, Any], directory: DonorDirectory,
                    own_names: set[str]) -> list[DataIssue]:
    if not line.get("in_kind"):
        return []
    path, where = ("budget_lines", index), record.data.get("id")
    number = line.get("line", index + 1)
    donor, source = line.get("in_kind_donor"), line.get("in_kind_source")
    if donor and donor not in directory.donors:
        return [issue("ref-dangling", record.locate((*path, "in_kind_donor")),
                      N_("%(id)s budget line %(line)s names the in-kind donor '%(donor)s', which is not in the donor list."),
                      N_("Use an id from donors.csv, or leave it empty when your organisation gives it."),
                      params={"id": where, "line": number, "donor": donor},
                      value=str(donor), field=f"budget_lines/{index}/in_kind_donor", record_id=where)]
    if donor or not source or name_key(str(source)) in own_names or directory.match(source) is not None:
        return []
    return [_unknown_donor(record, (*path, "in_kind_source"), N_("%(id)s budget line %(line)s: no donor in the register "
                                                                  "is called '%(source)s'; its money is shown under that name."),
                           {"id": where, "line": number}, str(source), directory, f"budget_lines/{index}/in_kind_source")]


def _unknown_donor(record: Record, path: tuple[Any, ...], message: str, params: dict[str, Any], source: str,
                   directory: DonorDirectory, field: str) -> DataIssue:
    closest = directory.closest(source)
    hint = (N_("Type the donor's id in Donor, e.g. %(closest)s; or ask the Secretariat to register it.") if closest
            else N_("Ask the Secretariat to add this donor to donors.csv, then type its id in Donor."))
    return issue("donor-unknown", record.locate(path), message, hint,
                 params={**params, "source": source, "closest": ", ".join(closest)},
                 value=source, field=field, record_id=record.data.get("id"))
