"""End to end: build the sample, change one partner's sheet and one FX rate, build again; the changes name exactly that.

The change: in workplans/P-AMMPA.xlsx, AMMPA-001's first budget line goes from USD 40,600 to 45,000 (+4,400.00
required) and AMMPA-003's pledge from the Kestrel Fund (USD 5,400) is signed; in fx_rates.csv EUR goes from
1.1720 to 1.2000. AMMPA's lines are all in USD, so its items move by money only; every item with EUR lines
moves by rates only (money effect 0.00); the programme's gap moves by -1,000.00 of money (+4,400.00 required,
-5,400.00 now secured) plus whatever the rate adds.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.render.json_document import check_catalogue_json
from tests.conftest import copy_published, run_catalogue

pytestmark = pytest.mark.slow

MONEY_MOVED = {"priorities": ["RES-12.20"], "activities": ["AMMPA-001", "AMMPA-003"], "secretariat_tasks": [],
               "partners": ["P-AMMPA"], "funding_sources": ["other|Kestrel Fund for Nature"],
               "donors": ["KESTREL"]}  # its pledge on AMMPA-003 was signed: the rest moved with the EUR rate alone


def _change_ammpa_and_eur(inputs: Path) -> None:
    book_path = inputs / "workplans" / "P-AMMPA.xlsx"
    book = load_workbook(book_path)
    head = [c.value for c in book["Funding"][1]]
    stage = head.index("stage") if "stage" in head else head.index("status")
    for row in book["Funding"].iter_rows(min_row=2):
        if row[0].value == "AMMPA-003" and row[1].value == 3:
            row[stage].value = "committed" if "stage" in head else "confirmed"  # the pledge is signed
    for row in book["Budget"].iter_rows(min_row=2):
        if row[0].value == "AMMPA-001" and row[1].value == 1:
            row[5].value = 45000
    book.save(book_path)
    fx = inputs / "fx_rates.csv"
    fx.write_text(fx.read_text(encoding="utf-8").replace("EUR,1.1720,", "EUR,1.2000,"), encoding="utf-8")


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory, prefect_api: str,
                 published_sample: dict[str, Any]) -> dict[str, Any]:
    # The first edition is the session's published sample (tests/conftest.py), copied: this module changes it.
    inputs, outputs = copy_published(published_sample, tmp_path_factory.mktemp("editions"))
    _change_ammpa_and_eur(inputs)
    second = run_catalogue(["build", "--inputs", str(inputs), "--outputs", str(outputs)], prefect_api)
    assert second.returncode == 0, second.stdout + second.stderr
    as_json = run_catalogue(["changes", "--outputs", str(outputs), "--json"], prefect_api)
    assert as_json.returncode == 0, as_json.stderr
    return {"inputs": inputs, "outputs": outputs, "changes": json.loads(as_json.stdout), "api": prefect_api}


def _published_changes(outputs: Path) -> dict[str, Any]:
    data = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    assert check_catalogue_json(data) == []
    return data["changes"]  # type: ignore[no-any-return]


def test_the_changes_name_exactly_the_partners_items(two_editions: dict[str, Any]) -> None:
    changes = two_editions["changes"]
    assert changes["code"] == "compared"
    moved = {kind: [i["id"] for i in items if any(f["money_effect"] != "0.00" for f in i["figures"].values())]
             for kind, items in changes["items"].items()}
    assert moved == MONEY_MOVED
    assert changes["rates"] == [{"currency": "EUR", "then": "1.1720", "now": "1.2000"}]
    assert changes["pledges_confirmed"] == [{"item_kind": "activity", "item_id": "AMMPA-003", "line_kind": "funding",
                                             "line": 3, "source": "Kestrel Fund for Nature", "then": "5400.00",
                                             "now": "5400.00"}]
    gap = changes["programme"]["figures"]["gap"]
    assert gap["money_effect"] == "-1000.00"  # +4,400.00 required - 5,400.00 now secured
    assert Decimal(gap["rate_effect"]) > 0  # EUR costs more dollars: the gap grows by rates alone


def test_every_change_reconciles_to_the_cent(two_editions: dict[str, Any]) -> None:
    changes = two_editions["changes"]
    items = [changes["programme"], *(i for kind in changes["items"].values() for i in kind)]
    assert len(items) > 100  # the EUR rate moved many items
    for item in items:
        for f in item["figures"].values():
            assert Decimal(f["then"]) + Decimal(f["change"]) == Decimal(f["now"])
            assert Decimal(f["rate_effect"]) + Decimal(f["money_effect"]) == Decimal(f["change"])


def test_catalogue_changes_and_editions_print_it(two_editions: dict[str, Any]) -> None:
    outputs, api = two_editions["outputs"], two_editions["api"]
    text = run_catalogue(["changes", "--outputs", str(outputs)], api)
    assert text.returncode == 0, text.stderr
    assert "Activity AMMPA-001" in text.stdout and "Activity AMMPA-003" in text.stdout and "Partner P-AMMPA" in text.stdout
    assert "-USD 1,000.00 from money" in text.stdout.replace("\xa0", " ") and "from exchange rates" in text.stdout
    assert "Activity WWF" not in text.stdout  # moved by rates only: counted, not listed
    listing = run_catalogue(["editions", "--outputs", str(outputs)], api)
    assert listing.returncode == 0 and len([line for line in listing.stdout.splitlines() if "triennium" in line]) == 2
    assert run_catalogue(["changes", "--outputs", str(outputs), "--since", "nope"], api).returncode == 2


def test_catalogue_json_pdf_and_workbook_agree(two_editions: dict[str, Any]) -> None:
    outputs = two_editions["outputs"]
    published = _published_changes(outputs)
    assert published == two_editions["changes"]
    sheet = load_workbook(outputs / "catalogue.xlsx", read_only=True)["Changes"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Whole programme" and r[6] == "Gap"]
    gap = published["programme"]["figures"]["gap"]
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in rows[0][7:12]] == [
        Decimal(gap[k]) for k in ("then", "now", "change", "money_effect", "rate_effect")]
    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(outputs / "catalogue.pdf")).pages[:8])
    assert "Since the last edition" in text
    money = f"{Decimal(gap['money_effect']):,}"
    assert money in text and f"{Decimal(gap['now']):,}" in text  # the programme's gap, to the cent


def test_a_french_rebuild_translates_the_section_and_keeps_the_changes(two_editions: dict[str, Any]) -> None:
    outputs, api = two_editions["outputs"], two_editions["api"]
    before = _published_changes(outputs)
    french = run_catalogue(["build", "--inputs", str(two_editions["inputs"]), "--outputs", str(outputs), "--lang", "fr"], api)
    assert french.returncode == 0, french.stdout + french.stderr
    # The same inputs are the same edition: its changes are kept, not compared with itself.
    assert _published_changes(outputs) == before
    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(outputs / "catalogue.pdf")).pages[:8])
    assert "Depuis la dernière édition" in text and "dus aux taux de change" in text
