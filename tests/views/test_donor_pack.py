"""Donor packs: matching worked out by hand on the small fixture, then `catalogue packs` end to end on the sample."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.model.catalogue import Catalogue
from catalogue.money import convert
from catalogue.pipeline import build_model
from catalogue.render.words.i18n import Formatter
from catalogue.views.donor_pack import match_gaps
from catalogue.views.scoring import scenario
from tests.conftest import REPO, run_catalogue

# ------------------------------------------------------------------ the small fixture, by hand
#
# Small fixture (tests/fixtures/small.py), reporting currency USD, EUR at 1.10:
#   CA-13.3   birds, Asia, target 8, CMS; required 48,540.00 secured 13,500.00 gap 35,040.00
#             ALPHA-003 (IN; PK) gap 35,040.00, match offer USD 10,000 at ratio 1; ALPHA-002 and BETA-002 gap 0
#   RES-12.21 birds, Global, targets 5; 10, CMS; required 52,680.40 secured 29,500.00 gap 23,180.40
#             ALPHA-001 (IN) gap 6,000.00; BETA-001 "Coastal refugia mapping" (FR) gap 10,580.24;
#             BETA-003 "Climate outreach leaflet" (ES) gap 1,100.16; ST-001 gap 5,500.00
#   DEC-13.99 nothing required: never in a pack

MINISTRY = {
    "id": "D-TEST-MIN", "name": "Test Ministry", "kind": "government", "currency": "EUR", "language": "fr",
    "taxa": ["birds"], "regions": ["Asia"], "countries": ["IN"], "strategic_plan_targets": [8],
    "instruments": ["CMS"], "keywords": ["bustard"], "ticket_min": "5000", "ticket_max": "20000",
    "match_funding": True, "exclude_keywords": ["leaflet"],
}
FOUNDATION = {
    "id": "D-TEST-SEA", "name": "Test Sea Foundation", "kind": "foundation", "currency": "USD", "language": "en",
    "taxa": ["aquatic mammals"], "regions": ["Europe"], "countries": ["FR"], "strategic_plan_targets": [10],
    "keywords": ["coastal"], "ticket_min": 2000, "ticket_max": 50000, "match_funding": False,
    "exclude_priority_ids": ["CA-13.3"],
}

ENGLISH = Formatter("en", "USD")  # match reasons as the English pack words them


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    from tests.fixtures.small import write_small_inputs

    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), "2025-07-01T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


def test_ticket_sizes_are_converted_once_half_even() -> None:
    # 10,000.15 EUR x 1.10 = 11,000.165 -> 11,000.16 half-even (half-up would give .17)
    assert convert(Decimal("10000.15"), Decimal("1.10")) == Decimal("11000.16")
    assert convert(Decimal("5000"), Decimal("1.10")) == Decimal("5500.00")


def test_ministry_pack_scores_reasons_ticket_and_match(small_catalogue: Catalogue) -> None:
    pack = match_gaps(small_catalogue, MINISTRY)
    assert (pack.rate, pack.ticket_min, pack.ticket_max) == (Decimal("1.10"), Decimal("5500.00"), Decimal("22000.00"))
    assert pack.language == "fr"
    assert [p.id for p in pack.priorities] == ["CA-13.3", "RES-12.21"]

    bustard = pack.priorities[0]
    # taxon birds 3 + region Asia 2 + target 8 1 + CMS 2 + keyword "bustard" (Great Indian Bustard) 2
    # + match offer on ALPHA-003 1 + country IN via ALPHA-003 2 + gap 35,040 above 22,000: 1 = 14
    assert bustard.score == 14
    assert ENGLISH.match_reasons(bustard.reasons) == ("taxon: birds; region: Asia; Strategic Plan target: 8; instrument: CMS; keyword: bustard; "
                                                    "partner matches donor money; country: IN; gap above largest grant: can part-fund")
    # Open work only: ALPHA-003 (35,040, nothing secured); ALPHA-002 and BETA-002 are completed.
    # contribution min(35,040.00, 22,000.00) = 22,000.00; coverage 22,000 / 35,040 = 0.62785 -> 0.6279
    assert bustard.scenario.contribution == Decimal("22000.00")
    assert bustard.scenario.gap_after == Decimal("13040.00")
    assert bustard.scenario.coverage_after == Decimal("0.6279")
    assert bustard.match.match_available == Decimal("10000.00")

    [meetings] = bustard.items  # ALPHA-002 and BETA-002 are past (and have no gap)
    assert meetings.id == "ALPHA-003"
    # its priority's themes 3 + 2 + 1 + 2 = 8, country IN 2, "bustard" in "Range state meetings on bustards" 2,
    # match offer 1, gap 35,040 above 22,000: 1 = 14
    assert meetings.score == 14
    s = meetings.scenario
    # Alpha adds 1 x 22,000 capped at 10,000 = 10,000; gap after 35,040 - 22,000 = 13,040, after match 3,040
    assert (s.contribution, s.match_unlocked, s.gap_after, s.gap_after_match) == (
        Decimal("22000.00"), Decimal("10000.00"), Decimal("13040.00"), Decimal("3040.00"))
    # coverage (0 + 22,000) / 35,040 = 0.62785 -> 0.6279; with the match 32,000 / 35,040 = 0.91324 -> 0.9132
    assert (s.coverage_after, s.coverage_after_match) == (Decimal("0.6279"), Decimal("0.9132"))
    # to close 35,040 with a 1:1 match: 17,520 would need 17,520 of match, above the 10,000 ceiling -> 35,040 - 10,000
    assert s.donor_to_close_with_match == Decimal("25040.00")

    climate = pack.priorities[1]
    # taxon 3 + Global 1 + CMS 2 + country IN (ALPHA-001) 2 + open gap 12,600.16 within 5,500..22,000: 2 = 10
    assert climate.score == 10
    # BETA-003 is excluded by its word "leaflet"; BETA-001 ended in May 2025 (past: not offered). The priority's
    # themes are taxon 3 + Global 1 + CMS 2 = 6 (targets 5; 10 share none with 8): ALPHA-001 6 + IN 2 + within
    # 5,500..22,000: 2 = 10; ST-001 6 + 2 = 8
    assert [(i.id, i.score) for i in climate.items] == [("ALPHA-001", 10), ("ST-001", 8)]
    assert ENGLISH.match_reasons(climate.items[0].reasons) == "taxon: birds; region: Global; instrument: CMS; country: IN; fits ticket size"
    assert [(e.id, e.reason.text) for e in pack.excluded] == [("BETA-003", "excluded keyword: leaflet")]
    # 35,040.00 + 12,600.16 (open gaps)
    assert pack.matched_gap == Decimal("47640.16")
    assert [p.id for p in pack.partners] == ["P-ALPHA"]


def test_foundation_pack_exclusion_geography_and_small_gaps(small_catalogue: Catalogue) -> None:
    pack = match_gaps(small_catalogue, FOUNDATION)
    assert [(e.id, e.reason.text) for e in pack.excluded] == [("CA-13.3", "excluded priority")]
    [climate] = pack.priorities
    # no shared taxon; Global 1 + target 10 1 + open gap 12,600.16 within 2,000..50,000: 2 = 4
    # (BETA-001, the French activity, is past: no longer offered, so no country FR)
    assert climate.score == 4
    assert ENGLISH.match_reasons(climate.reasons) == "region: Global; Strategic Plan target: 10; fits ticket size"
    # ALPHA-001 and ST-001: 1 + 1 + within 2 = 4, larger gap first (6,000, 5,500)
    assert [(i.id, i.score) for i in climate.items] == [("ALPHA-001", 4), ("ST-001", 4)]
    # BETA-003's gap 1,100.16 is below the smallest grant of 2,000
    assert pack.too_small == 1
    # the whole gap fits the largest grant: coverage goes to 1
    assert climate.scenario.contribution == Decimal("12600.16") and climate.scenario.coverage_after == Decimal("1.0000")
    # no match-funding: match offers unlock nothing
    assert all(i.scenario.match_unlocked == 0 for i in climate.items)


def test_no_ticket_maximum_offers_the_whole_gap(small_catalogue: Catalogue) -> None:
    figures = small_catalogue.priority("RES-12.21").figures
    assert scenario(figures, None).contribution == figures.gap


def test_packs_differ_and_ordering_is_stable(small_catalogue: Catalogue) -> None:
    assert match_gaps(small_catalogue, MINISTRY) == match_gaps(small_catalogue, MINISTRY)
    assert match_gaps(small_catalogue, MINISTRY) != match_gaps(small_catalogue, FOUNDATION)


# ------------------------------------------------------------------ `catalogue packs` on the sample


def _pdf_text(path: Path) -> str:
    # Words as a reader reads them: where a line breaks is layout, not content.
    return " ".join("\n".join((page.extract_text() or "") for page in PdfReader(path).pages).split())


def _cache_state(outputs: Path) -> dict[str, tuple[int, int]]:
    root = outputs / ".cache" / "packs"
    return {str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.glob("*/*") if p.is_file()}


@pytest.mark.slow
def test_packs_command_end_to_end(tmp_path: Path, prefect_api: str) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    outputs = tmp_path / "outputs"
    args = ["packs", "--inputs", str(inputs), "--outputs", str(outputs)]

    first = run_catalogue(args, prefect_api)
    assert first.returncode == 0, first.stderr
    donors = sorted(p.stem for p in (inputs / "donors").glob("*.json"))
    assert len(donors) >= 3
    pdfs = sorted((outputs / "packs").glob("*.pdf"))
    assert [p.stem for p in pdfs] == donors
    texts = {p.stem: _pdf_text(p) for p in pdfs}
    assert len(set(texts.values())) == len(texts)  # every donor gets a different pack
    for donor, text in texts.items():
        assert "funding opportunities" in text.lower() or "opportunités de financement" in text.lower()
        workbook = load_workbook(outputs / "packs" / f"{donor}.xlsx", read_only=True)
        gaps = workbook.worksheets[1]  # "Matched gaps", in the donor's language
        assert gaps.title in ("Matched gaps", "Déficits correspondants") and gaps.max_row > 1
    cached = _cache_state(outputs)
    assert len(cached) == 3 * len(donors)  # PDF, workbook, summary

    # Unchanged: recognised before anything runs; and forced, every pack still comes from the cache.
    again = run_catalogue(args, prefect_api)
    assert again.returncode == 0, again.stderr
    assert "Up to date" in again.stdout
    assert _cache_state(outputs) == cached
    forced = run_catalogue(args + ["--force"], prefect_api)
    assert forced.returncode == 0, forced.stderr
    assert "Up to date" not in forced.stdout
    assert _cache_state(outputs) == cached  # same files, untouched: nothing was rendered again
    assert {p.stem: _pdf_text(p) for p in sorted((outputs / "packs").glob("*.pdf"))} == texts

    # One amount changes: BIRDLIFE-007 (Sahel landbirds, in the ministry's pack) grants GBP 31,900 -> 41,900.
    workbook_path = inputs / "workplans" / "P-BIRDLIFE.xlsx"
    workbook = load_workbook(workbook_path)
    budget = workbook["Budget"]
    row = next(r for r in budget.iter_rows(min_row=2) if r[0].value == "BIRDLIFE-007" and r[1].value == 1)
    assert row[5].value == 31900
    row[5].value = 41900
    workbook.save(workbook_path)
    changed = run_catalogue(args, prefect_api)
    assert changed.returncode == 0, changed.stderr
    after = _cache_state(outputs)
    ministry_text = _pdf_text(outputs / "packs" / "D-DE-BMUV.pdf")
    assert ministry_text != texts["D-DE-BMUV"]
    # 10,000 GBP at 1.3715 = 13,715 USD more on BIRDLIFE-007's gap: 91,342 -> 105,057 (whole USD)
    assert "105,057" in ministry_text and "105,057" not in texts["D-DE-BMUV"]
    # Every pack names the edition it was made from, so a new edition remakes every pack; one that does not
    # show BIRDLIFE-007 reads as before but for its edition id.
    assert "BIRDLIFE-007" not in texts["D-BLUEWATER"]
    old_id, new_id = (re.search(r"[0-9a-f]{12}", t).group(0) for t in (texts["D-BLUEWATER"],  # type: ignore[union-attr]
                                                                       _pdf_text(outputs / "packs" / "D-BLUEWATER.pdf")))
    assert old_id != new_id
    assert _pdf_text(outputs / "packs" / "D-BLUEWATER.pdf").replace(new_id, old_id) == texts["D-BLUEWATER"]
    assert not any(k in after for k in cached if k.endswith("D-DE-BMUV.pdf"))


@pytest.mark.slow
def test_unknown_donor_is_a_usage_error(tmp_path: Path, prefect_api: str) -> None:
    result = run_catalogue(["packs", "--outputs", str(tmp_path / "outputs"), "--donor", "D-NOBODY"], prefect_api)
    assert result.returncode == 2
    assert "D-NOBODY" in result.stderr and "D-DE-BMUV" in result.stderr
    assert not (tmp_path / "outputs" / "packs").exists()
