"""The donor register and the contribution pipeline: matching names, stages, families, flows, pledges to chase."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from catalogue.inputs.donor_register import DonorDirectory, name_key, stage_of, status_of_stage
from catalogue.pipeline import build_model
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import overlay

REPO = Path(__file__).resolve().parents[2]
REGISTER = [
    {"id": "DE", "name": "Government of Germany", "kind": "government", "aliases": ["Germany"]},
    {"id": "DE-BMUV", "name": "Federal Ministry for the Environment (BMUV)", "kind": "government", "parent": "DE",
     "aliases": ["Government of Germany (BMUV)"]},
    {"id": "DE-IKI", "name": "International Climate Initiative", "kind": "government", "parent": "DE-BMUV"},
    {"id": "CMS-TF", "name": "CMS Trust Fund", "kind": "cms_trust_fund", "aliases": ["CMS Trust Fund (core budget)"]},
]


def test_names_and_aliases_find_their_donor_whatever_the_typing() -> None:
    register = DonorDirectory(REGISTER)
    assert register.match("government of germany (bmuv)") == "DE-BMUV"
    assert register.match("  Government   of Germany (BMUV) ") == "DE-BMUV"
    assert register.match("Gövernment of Germany") == "DE"  # accents and case are not the donor's name
    assert register.match("Sea Trust") is None
    assert register.resolve("CMS-TF", "anything") == "CMS-TF"  # an id wins over the text
    assert register.resolve("NOPE", "Germany") == "DE"  # an unknown id is reported by the checks; the text still finds it
    assert register.ancestors("DE-IKI") == ["DE-BMUV", "DE"] and register.root_of("DE-IKI") == "DE"
    assert register.closest("Government of Germny")[0].startswith("DE ")
    assert name_key("Environment Agency - Abu Dhabi") == "environment agency abu dhabi"


def test_a_parent_loop_stops() -> None:
    looped = DonorDirectory([{"id": "A", "name": "A", "kind": "other", "parent": "B"},
                             {"id": "B", "name": "B", "kind": "other", "parent": "A"}])
    assert looped.ancestors("A") == ["B"]


def test_the_old_status_maps_onto_the_pipeline() -> None:
    assert stage_of({"status": "confirmed"}) == "committed"
    assert stage_of({"status": "pledged"}) == "pledged"
    assert stage_of({"stage": "paid", "status": "pledged"}) == "paid"  # a new column wins over an old one
    assert [status_of_stage(s) for s in ("requested", "pledged", "committed", "paid")] == \
        ["requested", "pledged", "confirmed", "confirmed"]


def test_small_fixture_with_a_register_rolls_donors_up_and_lists_pledges(tmp_path: Path) -> None:
    inputs = overlay("paid-above-committed", write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    result = build_model(inputs)
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    c = result.catalogue.contributions
    donors = {d.id or d.name: d for d in c.donors}
    # ALPHA-001's Government of Testland line: USD 4,000 committed, 5,000 recorded as paid (a warning, shown as typed).
    assert (donors["TL"].committed, donors["TL"].paid) == (D("4000.00"), D("5000.00"))
    # ST-001's CMS core budget: EUR 15,000 at 1.10 = USD 16,500 committed.
    assert donors["CMS-TF"].committed == D("16500.00")
    # BETA-001's Sea Trust pledge (EUR 2,000 = USD 2,200) is not in the register: shown under its own name.
    assert (donors["Sea Trust"].kind, donors["Sea Trust"].pledged) == ("unregistered", D("2200.00"))
    # No expected dates in the fixture: by donor name, Print Fund's request before Sea Trust's pledge.
    assert [(p.item_id, p.stage, p.overdue) for p in c.pledges] == [("BETA-003", "requested", False),
                                                                    ("BETA-001", "pledged", False)]
    # Every confirmed line is a grant, earmarked by default; in kind is its own instrument:
    # 4,000 (TL) + 6,600 (Bustard Foundation, EUR 6,000) + 3,000 (Beta own) + 8,000 (Power Co) + 16,500 (CMS core).
    assert dict(c.by_instrument) == {"grant": D("38100.00"), "in_kind": D("6000.00")}
    flows = {(f.donor_name, f.implementer, f.priority_id): f.committed for f in c.flows}
    assert flows[("Government of Testland", "P-ALPHA", "RES-12.21")] == D("4000.00")


@pytest.mark.slow
def test_the_previous_sample_format_reads_to_the_same_donors(tmp_path: Path) -> None:
    """Sheets from before the register (free-text sources, a status, no stage or dates), with the register beside
    them: every source finds its donor by name or alias, warnings only, the same money by donor as the new sample."""
    legacy = tmp_path / "legacy"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_sample_inputs.py"), str(legacy), "--legacy"],
                   check=True, capture_output=True)
    shutil.copytree(REPO / "inputs" / "donors", legacy / "donors")
    without = build_model(legacy)
    assert without.catalogue is not None and not without.report.errors  # no register at all: builds as before
    shutil.copyfile(REPO / "inputs" / "donors.csv", legacy / "donors.csv")
    old, new = build_model(legacy), build_model(REPO / "inputs")
    assert old.catalogue is not None and new.catalogue is not None
    assert not old.report.errors and not [i for i in old.report.warnings if i.code == "donor-unknown"]
    assert old.catalogue.totals == new.catalogue.totals
    old_donors = {d.id: (d.family_committed, d.family_pledged, d.family_requested) for d in old.catalogue.contributions.donors}
    new_donors = {d.id: (d.family_committed, d.family_pledged, d.family_requested) for d in new.catalogue.contributions.donors}
    assert old_donors == new_donors
    germany = next(d for d in new.catalogue.contributions.donors if d.id == "DE")
    assert germany.family_committed == D("623763.60")  # BMUV, its Climate Initiative and seconded staff: one donor
    # A family reaches every implementer its members reach: the ministry's partners are the government's too.
    registered = {d.id: d for d in new.catalogue.contributions.donors if d.id}
    below = [d for d in registered.values() if d.parent in registered]
    assert below and all(set(d.implementers) <= set(registered[str(d.parent)].implementers) for d in below)
    directory = DonorDirectory(csv.DictReader((REPO / "inputs" / "donors.csv").open(encoding="utf-8")))
    reach: dict[str, set[str]] = {}
    for item in (*new.catalogue.activities, *new.catalogue.secretariat_tasks):
        implementer = getattr(item, "partner_id", "secretariat")
        donors = [f.donor_id for f in item.funding_lines if not f.part_of_offer]
        donors += [c.donor_id for c in item.budget_lines if c.in_kind]
        for donor in filter(None, donors):
            for member in (donor, *directory.ancestors(donor)):
                reach.setdefault(member, set()).add(implementer)
    assert {k: set(d.implementers) for k, d in registered.items()} == reach
    assert new.catalogue.as_at == date(2025, 6, 30)
    overdue = [p for p in new.catalogue.contributions.pledges if p.overdue]
    assert overdue and all(p.expected_by is not None and p.expected_by < new.catalogue.as_at for p in overdue)
    assert any(d.paid for d in new.catalogue.contributions.donors)
