"""The donor site's "Since the last edition": catalogue.json's `changes`, worded as the catalogue's own section words it."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from tests.web.helpers import client_for, fresh_app, make_site


def _publish_with_changes(outputs: Path, first: bool = False) -> dict[str, Any]:
    """Rewrite the published catalogue.json with a `changes` object: against an edition whose programme gap was 1,000.00 smaller."""
    now = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    then = copy.deepcopy(now)
    then["edition"], then["as_at"] = "earlier edition", "2024-12-31"
    then["totals"]["gap"] = str(Decimal(now["totals"]["gap"]) - Decimal("1000.00"))
    now["changes"] = changes_to_json(compare_editions(None if first else then, now, then_id="aaaa1111bbbb"))
    (outputs / "catalogue.json").write_text(json.dumps(now), encoding="utf-8")
    return now


def test_the_at_a_glance_page_shows_the_headlines_since_the_last_edition(tmp_path: Path) -> None:
    settings = make_site(tmp_path)
    now = _publish_with_changes(settings.outputs)
    gap = now["changes"]["programme"]["figures"]["gap"]
    assert gap["change"] == "1000.00"  # the hand-made pair: the gap grew by exactly 1,000.00
    donor = client_for(fresh_app(settings))
    page = donor.get("/donors")
    assert page.status_code == 200
    text = page.text.replace("\u00a0", " ")
    assert "Since the last edition" in text and "aaaa1111bbbb" in text and "earlier edition" in text
    assert "+USD 1,000.00" in text  # the gap headline: then, now and the change, from the object
    french = donor.get("/donors?lang=fr").text
    assert "Depuis la dernière édition" in french and "Comparé à l&#39;édition earlier edition" in french


def test_a_first_edition_says_there_is_nothing_to_compare_with(tmp_path: Path) -> None:
    settings = make_site(tmp_path)
    _publish_with_changes(settings.outputs, first=True)
    page = client_for(fresh_app(settings)).get("/donors?lang=es")
    assert page.status_code == 200 and "Desde la última edición" in page.text
    assert "Since the last edition" not in page.text and "primera edición" in page.text


def test_who_funds_what_and_the_pledges_to_chase(tmp_path: Path) -> None:
    """The donor site's flows page and the desk's pledges, from the published catalogue.json's `contributions`."""
    from tests.web.helpers import secretariat_client

    settings = make_site(tmp_path)
    app = fresh_app(settings)
    now = json.loads((settings.outputs / "catalogue.json").read_text(encoding="utf-8"))
    flows = client_for(app).get("/donors/flows")
    assert flows.status_code == 200
    # ALPHA-001's Government of Testland grant: USD 4,000 committed, to Alpha, for RES-12.21 (no register: by name).
    assert "Government of Testland" in flows.text and "4,000" in flows.text and "RES-12.21" in flows.text
    desk = secretariat_client(app)
    page = desk.get("/desk/pledges")
    assert page.status_code == 200
    pledges = now["contributions"]["pledges"]
    assert pledges and all(p["item_id"] in page.text for p in pledges)  # BETA-001's Sea Trust pledge, BETA-003's request
    assert "Sea Trust" in page.text
    assert desk.get("/desk/pledges?overdue=1").text.count('class="overdue"') == sum(p["overdue"] for p in pledges)
    assert client_for(app).get("/desk/pledges").status_code in (303, 403)  # the Secretariat's list only
