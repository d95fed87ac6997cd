"""A donor pack's "Since we last met": the matched gaps then and now, worked out by hand on the small fixture.

Now is the small fixture's catalogue.json; then is the same document with the
gap of CA-13.3 (matched to the ministry) at 40,040.00 instead of 35,040.00 and
the gap of DEC-13.99 (never in a pack) at 100.00 instead of 0.00.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from catalogue.pipeline import build_model
from catalogue.publishing.edition_store import changes_as_at
from catalogue.publishing.releases import publish
from catalogue.render.pdf.pack_pdf import render_pack_pdf
from catalogue.render.xlsx.pack_workbook import write_pack_xlsx
from catalogue.views.donor_pack import match_gaps
from catalogue.views.donor_since import COMPARED, NO_DATE, NO_EDITION, UNCHANGED, last_met_of, since_we_met
from tests.fixtures.small import write_small_inputs
from tests.views.test_donor_pack import MINISTRY

D = Decimal
MET = date(2025, 3, 14)


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), "2025-07-01T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


@pytest.fixture(scope="module")
def changes(small_catalogue: Catalogue) -> dict[str, Any]:
    now = catalogue_to_json(small_catalogue)
    then = copy.deepcopy(now)
    then["edition"], then["as_at"] = "spring edition", "2024-12-31"
    gaps = {"CA-13.3": "40040.00", "DEC-13.99": "100.00"}
    for priority in then["priorities"]:
        priority["gap"] = gaps.get(priority["id"], priority["gap"])
    return changes_to_json(compare_editions(then, now, then_id="aaaa1111bbbb"))


def test_only_the_matched_gaps_that_moved_are_shown(small_catalogue: Catalogue, changes: dict[str, Any]) -> None:
    pack = match_gaps(small_catalogue, MINISTRY)
    assert [p.id for p in pack.priorities] == ["CA-13.3", "RES-12.21"]
    since = since_we_met(pack, MET, changes)
    assert (since.code, since.last_met, since.then_edition, since.then_as_at) == (
        COMPARED, MET, "spring edition", date(2024, 12, 31))
    # CA-13.3: 40,040.00 then, 35,040.00 now: -5,000.00, no rate effect. DEC-13.99 moved too, but is not the donor's.
    assert [(g.kind, g.id, g.then, g.now, g.difference, g.rate_effect) for g in since.gaps] == [
        ("priority", "CA-13.3", D("40040.00"), D("35040.00"), D("-5000.00"), D("0.00"))]


def test_no_date_no_edition_and_no_change_say_so(small_catalogue: Catalogue, changes: dict[str, Any]) -> None:
    pack = match_gaps(small_catalogue, MINISTRY)
    assert last_met_of(MINISTRY) is None and since_we_met(pack, None, changes).code == NO_DATE
    assert last_met_of({"last_met": "2025-03-14"}) == MET
    assert since_we_met(pack, MET, None).code == NO_EDITION
    same = changes_to_json(compare_editions(catalogue_to_json(small_catalogue), catalogue_to_json(small_catalogue)))
    assert since_we_met(pack, MET, same).code == UNCHANGED


def test_the_edition_as_at_the_meeting_is_found_in_the_outputs_folder(small_catalogue: Catalogue, tmp_path: Path) -> None:
    document = catalogue_to_json(small_catalogue)
    publish(tmp_path, {"catalogue.json": lambda p: p.write_text(json.dumps(document), encoding="utf-8")},
            ("catalogue.json",))
    today = date.today()
    assert changes_as_at(tmp_path, today - timedelta(days=2)) is None  # met before any edition was published
    found = changes_as_at(tmp_path, today + timedelta(days=1))
    assert found is not None and found["code"] == "compared" and found["headlines"] == [{"code": "no-change", "params": {}}]
    assert changes_as_at(tmp_path / "nothing-here", today) is None


def test_the_pack_pdf_and_workbook_show_the_page(small_catalogue: Catalogue, changes: dict[str, Any],
                                                 tmp_path: Path) -> None:
    pack = match_gaps(small_catalogue, {**MINISTRY, "language": "en"})
    pack = dataclasses.replace(pack, since_we_met=since_we_met(pack, MET, changes))
    render_pack_pdf(pack, tmp_path / "pack.pdf")
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(str(tmp_path / "pack.pdf")).pages)
                    .replace("\u00a0", " ").split())
    assert "Since we last met" in text and "compared with the edition spring edition" in text
    assert "CA-13.3" in text and "40,040.00 35,040.00 -5,000.00" in text
    write_pack_xlsx(pack, tmp_path / "pack.xlsx")
    rows = list(load_workbook(tmp_path / "pack.xlsx", read_only=True)["Since we last met"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Kind", "Id", "Title", "Then", "Now", "Change (USD)")
    assert rows[1][1:2] + rows[1][3:] == ("CA-13.3", 40040.0, 35040.0, -5000.0, 0.0)
