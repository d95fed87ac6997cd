"""The workbook's sheets on who gives what and when: Donors, Flows and Pledges to chase (the model's contributions)."""

from __future__ import annotations

from catalogue.issues import N_
from catalogue.model.catalogue import Catalogue
from catalogue.render.words.i18n import Formatter
from catalogue.render.xlsx.sheet_tables import Column, TableWriter, join


def write_contribution_sheets(w: TableWriter, c: Catalogue, fmt: Formatter) -> None:
    """Donors (the register, families rolled up), Flows (donor -> implementer -> priority), Pledges to chase."""
    k = c.contributions
    w.table(N_("Donors"), [
        Column(N_("Donor"), "text", 12, lambda d: d.id),
        Column(N_("Name"), "wrap", 40, lambda d: d.name),
        Column(N_("Kind"), "text", 16, lambda d: fmt.donor_kind(d.kind)),
        Column(N_("Part of"), "text", 10, lambda d: d.parent or ""),
        Column(N_("Committed (%(cur)s)"), "money", 16, lambda d: d.committed),
        Column(N_("Paid (%(cur)s)"), "money", 16, lambda d: d.paid),
        Column(N_("Pledged (%(cur)s)"), "money", 16, lambda d: d.pledged),
        Column(N_("Requested (%(cur)s)"), "money", 16, lambda d: d.requested),
        Column(N_("With its ministries and agencies: committed (%(cur)s)"), "money", 20, lambda d: d.family_committed),
        Column(N_("With its ministries and agencies: paid (%(cur)s)"), "money", 20, lambda d: d.family_paid),
        Column(N_("With its ministries and agencies: pledged (%(cur)s)"), "money", 20, lambda d: d.family_pledged),
        Column(N_("Funds"), "wrap", 30, lambda d: join(d.implementers)),
        Column(N_("Lines"), "int", 8, lambda d: d.lines),
    ], k.donors, note=N_("Every donor of the register, as committed (before capping at each item's requirement): "
                         "committed and paid money is secured, pledged and requested money is not. Filter 'Part of' "
                         "empty for one row per government or organisation."))
    w.table(N_("Flows"), [
        Column(N_("Donor"), "text", 12, lambda f: f.donor_id),
        Column(N_("Donor name"), "wrap", 36, lambda f: f.donor_name),
        Column(N_("Implementer"), "text", 16, lambda f: f.implementer),
        Column(N_("Implementer name"), "wrap", 24, lambda f: f.implementer_name),
        Column(N_("Priority"), "text", 16, lambda f: f.priority_id),
        Column(N_("Committed (%(cur)s)"), "money", 16, lambda f: f.committed),
        Column(N_("Paid (%(cur)s)"), "money", 16, lambda f: f.paid),
        Column(N_("Pledged (%(cur)s)"), "money", 16, lambda f: f.pledged),
    ], k.flows, note=N_("Money from each donor to each implementer for each priority (lead priority), as committed."))
    w.table(N_("Pledges to chase"), [
        Column(N_("Overdue"), "text", 9, lambda p: fmt.gettext("yes") if p.overdue else ""),
        Column(N_("Expected by"), "date", 12, lambda p: p.expected_by),
        Column(N_("Donor"), "text", 12, lambda p: p.donor_id),
        Column(N_("Donor name"), "wrap", 34, lambda p: p.donor_name),
        Column(N_("Stage"), "text", 11, lambda p: fmt.stage(p.stage)),
        Column(N_("For"), "text", 14, lambda p: p.item_id),
        Column(N_("Implementer"), "text", 16, lambda p: p.implementer),
        Column(N_("Line"), "int", 6, lambda p: p.line),
        Column(N_("Currency"), "text", 9, lambda p: p.currency),
        Column(N_("Original amount"), "amount", 16, lambda p: p.original_amount),
        Column(N_("Amount (%(cur)s)"), "money", 16, lambda p: p.amount),
        Column(N_("Pledged on"), "date", 12, lambda p: p.pledged_on),
    ], k.pledges, note=N_("Pledged and requested money not yet signed, overdue first (expected before the 'as at' "
                          "date), then by expected date: the list a fundraiser works through."))
