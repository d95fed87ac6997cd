"""The sample as a donor and a fundraiser read it: only open work offered, one leverage per offer, packs and
statements of the edition they claim, and no prospect named in anything public. The real commands, end to end."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from catalogue.model.leverage import COUNTED
from catalogue.pipeline import build_model
from catalogue.views.donor_pack import match_gaps
from flows.web.app import create_app
from flows.web.site_settings import WebSettings
from tests.conftest import copy_published, run_catalogue
from tests.web.helpers import client_for

pytestmark = pytest.mark.slow


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))


@pytest.fixture(scope="module")
def published(published_sample: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The session's published sample (build, packs, statements: tests/conftest.py), read only."""
    inputs, outputs = published_sample["inputs"], published_sample["outputs"]
    document = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    profiles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((inputs / "donors").glob("*.json"))]
    return {"inputs": inputs, "outputs": outputs, "json": document, "profiles": profiles,
            "root": tmp_path_factory.mktemp("readers")}  # the web application's data folder goes here


def test_packs_offer_only_open_work(published: dict[str, Any]) -> None:
    catalogue = build_model(published["inputs"]).catalogue
    assert catalogue is not None
    timing = {a.id: a.timing for a in catalogue.activities} | {t.id: t.timing for t in catalogue.secretariat_tasks}
    for profile in published["profiles"]:
        pack = match_gaps(catalogue, profile)
        offered = [item.id for p in pack.priorities for item in p.items]
        assert offered and all(timing[i] == "open" for i in offered), profile["id"]
    # The example: WWF-006 ended in September 2024 and was offered to Germany's ministry.
    assert timing["WWF-006"] == "past"
    assert "WWF-006" not in _pdf_text(published["outputs"] / "packs" / "D-DE-BMUV.pdf")


def test_headline_is_the_open_gap_and_the_past_reconciles(published: dict[str, Any]) -> None:
    t = published["json"]["totals"]
    assert t["gap"] == "15944349.23"  # README: the open gap of the sample
    assert (t["all"]["required"], t["all"]["gap"]) == ("31913458.23", "21465718.51")
    for name in ("required", "secured", "gap"):
        assert sum(float(x[name]) * 100 for x in (t, t["past"], t["suspended"])) == pytest.approx(float(t["all"][name]) * 100)
    gaps = {a["id"]: a for a in published["json"]["activities"]}
    assert gaps["WCS-008"]["timing"] == "past"  # completed February 2025: no longer the first row of the Gaps sheet


def test_one_leverage_figure_per_offer_in_catalogue_pack_and_site(published: dict[str, Any]) -> None:
    catalogue = build_model(published["inputs"]).catalogue
    assert catalogue is not None
    document = published["json"]
    offers = {a["id"]: a["match_offer"] for a in document["activities"] if a.get("match_offer")}
    assert len(offers) == 24
    for a in catalogue.activities:
        if a.match_offer is not None:
            json_offer = offers[a.id]
            assert (json_offer["donor_to_unlock"], json_offer["match"]) == (str(a.match_offer.donor_to_unlock),
                                                                             str(a.match_offer.match))
            assert a.match_offer.donor_to_unlock + a.match_offer.match <= a.figures.gap
    # WI-006 (the example): 81,571.20 of donor money unlocks 40,785.60, exactly its open gap of 122,356.80.
    assert (offers["WI-006"]["donor_to_unlock"], offers["WI-006"]["match"]) == ("81571.20", "40785.60")
    assert offers["WILDMIG-004"]["standing"] != COUNTED  # ended on the as-at date: not counted
    for profile in published["profiles"]:
        for p in match_gaps(catalogue, profile).priorities:
            for item in p.items:
                if item.match_offer is not None:
                    assert item.match_offer == next(a.match_offer for a in catalogue.activities if a.id == item.id)
    site = create_app(WebSettings(inputs=published["inputs"], outputs=published["outputs"],
                                  data=published["root"] / "data", run_jobs=False))
    page = client_for(site).get("/donors/priorities/" + next(a["lead_priority_id"] for a in document["activities"]
                                                             if a["id"] == "WI-006")).text
    assert "81,571" in page and "40,786" in page


def test_no_public_output_names_a_prospect(published: dict[str, Any]) -> None:
    outputs = published["outputs"]
    public = {
        "catalogue.json": (outputs / "catalogue.json").read_text(encoding="utf-8"),
        "catalogue.xlsx": _xlsx_text(outputs / "catalogue.xlsx"),
        "catalogue.pdf": _pdf_text(outputs / "catalogue.pdf"),
        "validation": " ".join(p.read_text(encoding="utf-8", errors="replace")
                               for p in (outputs / "validation").rglob("*") if p.is_file()),
    }
    site = client_for(create_app(WebSettings(inputs=published["inputs"], outputs=outputs,
                                             data=published["root"] / "data", run_jobs=False)))
    public["donor site"] = " ".join(site.get(path).text for path in ("/donors", "/donors/partners"))
    for profile in published["profiles"]:
        for secret in (profile["id"], profile["name"], (profile.get("contact") or {}).get("email", "")):
            if not secret:
                continue
            for name, text in public.items():
                assert secret not in text, f"{name} names the prospect {secret!r}"


# --------------------------------------------------------------------------- who gives what, and when (issue 24)

GERMANY = {"DE", "DE-BMUV", "DE-IKI"}


def _germany_from_the_inputs(inputs: Path) -> Any:
    """Germany's committed money recomputed from the sheets alone (not the model): each line converted once at
    fx_rates.csv's rate, half-even to the cent; in-kind lines from their factors."""
    from decimal import ROUND_HALF_EVEN, Decimal

    from openpyxl import load_workbook

    rates = {row.split(",")[0]: Decimal(row.split(",")[1])
             for row in (inputs / "fx_rates.csv").read_text(encoding="utf-8").splitlines()[1:]}
    register = {}
    for row in (inputs / "donors.csv").read_text(encoding="utf-8").splitlines()[1:]:
        register[row.split(",")[0]] = row
    aliases = {"Government of Germany (seconded staff)"}

    def convert(amount: Any, currency: str) -> Decimal:
        return (Decimal(str(amount)) * rates[currency]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)

    total = Decimal(0)
    for path in [inputs / "secretariat_tasks.xlsx", *sorted((inputs / "workplans").glob("*.xlsx"))]:
        book = load_workbook(path, read_only=True)
        for sheet, amount_of in (("Funding", None), ("Budget", "in kind")):
            rows = list(book[sheet].iter_rows(values_only=True))
            head = {name: i for i, name in enumerate(rows[0])}
            for r in rows[1:]:
                if amount_of is None and r[head["donor"]] in GERMANY and r[head["stage"]] in ("committed", "paid"):
                    total += convert(r[head["amount"]], r[head["currency"]])
                elif amount_of and r[head["in_kind"]] == "confirmed" and r[head["in_kind_source"]] in aliases:
                    kind = r[head["kind"]]
                    factors = [r[head["days"]], r[head["day_rate"]]] + ([r[head["staff"]], r[head["meetings"]]] if kind == "meetings" else [])
                    value = r[head["amount"]] if kind == "cash" else Decimal(1)
                    for f in ([] if kind == "cash" else factors):
                        value = Decimal(str(value)) * Decimal(str(f))
                    total += convert(value, r[head["currency"]])
    return total


def test_germany_is_one_donor_in_every_output(published: dict[str, Any]) -> None:
    from decimal import Decimal

    from openpyxl import load_workbook

    expected = _germany_from_the_inputs(published["inputs"])
    assert expected == Decimal("623763.60")
    document = published["json"]
    germany = next(d for d in document["contributions"]["donors"] if d["id"] == "DE")
    assert Decimal(germany["family_committed"]) == expected
    book = load_workbook(published["outputs"] / "catalogue.xlsx", read_only=True)
    rows = list(book["Donors"].iter_rows(values_only=True))
    head = rows[1]  # row 1 is the sheet's note
    row = next(r for r in rows[2:] if r[0] == "DE")
    assert Decimal(str(row[head.index("With its ministries and agencies: committed (USD)")])) == expected
    text = _pdf_text(published["outputs"] / "catalogue.pdf")
    assert "Government of Germany DE government 623,764" in text  # Annex I, whole USD
    assert "Money by donor" in text
    site = client_for(create_app(WebSettings(inputs=published["inputs"], outputs=published["outputs"],
                                             data=published["root"] / "data", run_jobs=False)))
    flows = site.get("/donors/flows").text
    assert "Government of Germany" in flows and "623,764" in flows
    # each output's donor totals are the sums of their lines: the JSON's flows add up to each donor's own figures
    for donor in document["contributions"]["donors"]:
        if donor["id"]:
            own = sum(Decimal(f["committed"]) for f in document["contributions"]["flows"] if f["donor_id"] == donor["id"])
            assert own == Decimal(donor["committed"]), donor["id"]


def test_the_pledges_to_chase_in_one_command(published: dict[str, Any], prefect_api: str) -> None:
    outputs = published["outputs"]
    every = run_catalogue(["pledges", "--outputs", str(outputs)], prefect_api)
    overdue = run_catalogue(["pledges", "--outputs", str(outputs), "--overdue"], prefect_api)
    germany = run_catalogue(["pledges", "--outputs", str(outputs), "--donor", "DE"], prefect_api)
    assert every.returncode == overdue.returncode == germany.returncode == 0, every.stderr + overdue.stderr
    pledges = published["json"]["contributions"]["pledges"]
    late = [p for p in pledges if p["overdue"]]
    assert late and f"{len(pledges)} pledge(s) to chase, {len(late)} overdue" in every.stdout
    assert every.stdout.splitlines()[0].startswith("OVERDUE")  # overdue first
    assert overdue.stdout.count("OVERDUE") == len(late)
    lines = [line for line in germany.stdout.splitlines() if " line " in line]
    assert lines and all("(DE" in line for line in lines)  # DE, DE-BMUV, DE-IKI
    unknown = run_catalogue(["pledges", "--outputs", str(outputs), "--donor", "NOPE"], prefect_api)
    assert unknown.returncode == 2 and "no such donor" in unknown.stderr


def test_a_donor_pack_opens_with_what_it_already_funds_and_a_statement_credits_what_was_raised(
        published: dict[str, Any]) -> None:
    text = _pdf_text(published["outputs"] / "packs" / "D-DE-BMUV.pdf")
    assert text.index("What you already fund") < text.index("Why these")
    assert "Government of Germany already funds the programme: USD 623,764 committed" in text
    statement = _pdf_text(published["outputs"] / "statements" / "P-BIRDLIFE.pdf")
    partner = next(p for p in published["json"]["partners"] if p["id"] == "P-BIRDLIFE")
    from decimal import Decimal

    from catalogue.render.words.formatting import amount

    assert "Money raised from others" in statement
    assert amount(Decimal(partner["raised"]), "en", cents=True) in statement


# Last: it changes the inputs and republishes (the tests above read the first publication).
def test_packs_and_statements_belong_to_one_edition_and_a_new_rate_withdraws_them(
        published: dict[str, Any], published_sample: dict[str, Any], prefect_api: str, tmp_path: Path) -> None:
    inputs, outputs = copy_published(published_sample, tmp_path)  # this test changes a rate and rebuilds
    from catalogue.publishing.edition_store import edition_id_of

    edition = edition_id_of(published["json"])
    pack = outputs / "packs" / "D-DE-BMUV.pdf"
    assert edition in _pdf_text(pack)[:2000]  # on its first page
    assert edition in (PdfReader(pack).metadata or {}).get("/Keywords", "")
    assert edition in _pdf_text(outputs / "statements" / "P-WWF.pdf")[:3000]
    assert (outputs / "packs" / ".edition").read_text().strip() == edition
    # A new EUR rate makes a new edition: the old packs and statements leave the release with the old catalogue.
    rates = (inputs / "fx_rates.csv").read_text(encoding="utf-8")
    (inputs / "fx_rates.csv").write_text(re.sub(r"EUR,[0-9.]+,2025-06-30", "EUR,1.1500,2025-07-15", rates),
                                         encoding="utf-8")
    rebuilt = run_catalogue(["build", "--inputs", str(inputs), "--outputs", str(outputs)], prefect_api)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert not (outputs / "packs").exists() and not (outputs / "statements").exists()
    assert not (outputs / ".current" / "packs").exists()
    changes = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))["changes"]
    moved = {d["id"]: d for d in changes["items"].get("donors", [])}  # editions compare by donor too
    assert "DE" in moved and moved["DE"]["change"] == "changed"
    remade = run_catalogue(["packs", "--inputs", str(inputs), "--outputs", str(outputs)], prefect_api)
    assert remade.returncode == 0, remade.stdout + remade.stderr
    new_edition = edition_id_of(json.loads((outputs / "catalogue.json").read_text(encoding="utf-8")))
    assert new_edition != edition and new_edition in _pdf_text(outputs / "packs" / "D-DE-BMUV.pdf")[:2000]
