"""What a donor needs to trust the site: who publishes and how to reach them, how the figures are made (the
PDF's own words), the currency on every figure, and a private pack page that says what the pack holds."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI

from catalogue.api import Formatter, money, translations
from flows.web.site_settings import WebSettings
from tests.web.helpers import client_for, csrf_of, fresh_app, make_site, secretariat_client

CONTACT = {"name": "Resource mobilisation", "email": "rm@cms.example.org", "url": "https://www.cms.example.org/give"}


@pytest.fixture
def site(tmp_path: Path) -> tuple[WebSettings, FastAPI]:
    settings = make_site(tmp_path)
    published = settings.outputs / "catalogue.json"
    document = json.loads(published.read_text(encoding="utf-8"))
    document["contact"] = CONTACT  # as a build from settings.json's contact writes it
    published.write_text(json.dumps(document), encoding="utf-8")
    return settings, fresh_app(settings)


def test_every_page_names_the_publisher_and_how_to_reach_it(site: tuple[WebSettings, FastAPI]) -> None:
    _, app = site
    donor = client_for(app)
    for path in ("/donors", "/donors/partners", "/donors/flows", "/donors/methodology", "/"):
        page = donor.get(path).text
        footer = page.split('<footer class="site-footer">', 1)[1]
        assert 'href="mailto:rm@cms.example.org"' in footer and 'href="https://www.cms.example.org/give"' in footer
        assert "Resource mobilisation" in footer and "CMS Secretariat" in footer, path
        assert 'href="/donors/methodology"' in footer


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_methodology_page_says_what_the_pdf_says(site: tuple[WebSettings, FastAPI], lang: str) -> None:
    settings, app = site
    document = json.loads((settings.outputs / "catalogue.json").read_text(encoding="utf-8"))
    page = client_for(app).get(f"/donors/methodology?lang={lang}")
    assert page.status_code == 200
    fmt = Formatter(lang, "", translations(lang).gettext)  # the PDF's Annex E: fmt.term(key), fmt.gettext(text)
    text = page.text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"').replace("&quot;", '"')
    for key, words in document["methodology"].items():
        assert f"<dt>{fmt.term(key)}</dt><dd>{fmt.gettext(words)}</dd>" in text, key
    for rate in document["fx_rates"]:
        assert f"<td>{rate['currency']}</td>" in text


def test_every_figure_a_donor_reads_names_its_currency(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    document = json.loads((settings.outputs / "catalogue.json").read_text(encoding="utf-8"))
    currency = document["reporting_currency"]
    donor = client_for(app)
    pages = ["/donors", "/donors/partners", "/donors/flows",
             *(f"/donors/priorities/{p['id']}" for p in document["priorities"])]
    figures = 0
    for path in pages:
        html = donor.get(path).text.split("<main>", 1)[1].split("</main>", 1)[0]
        for cell in re.findall(r'<td class="num"[^>]*>(.*?)</td>', html, re.S):
            plain = re.sub(r"<[^>]+>", "", cell).strip()
            if re.search(r"\d", plain) and not plain.endswith("%"):  # coverage is a share, not money
                figures += 1
                assert currency in plain, (path, plain)
    assert figures > 20


def test_a_private_pack_page_says_whose_pack_it_is_and_what_it_holds(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    (settings.inputs / "donors").mkdir()
    (settings.inputs / "donors" / "D-ONE.json").write_text("{}", encoding="utf-8")
    packs = settings.outputs / "packs"
    packs.mkdir()
    (packs / "D-ONE.pdf").write_bytes(b"%PDF pack of D-ONE")
    (packs / "D-ONE.json").write_text(json.dumps({
        "donor_id": "D-ONE", "donor_name": "Fondation Une", "language": "fr", "edition_id": "0123456789ab",
        "as_at": "2025-06-30", "currency": "USD", "considered": 4, "matched_gap": "125000.50",
        "priorities": [{"id": "CA-13.3", "title": "Great bustard", "gap": "100000.25", "score": 9},
                       {"id": "RES-12.21", "title": "Climate change", "gap": "25000.25", "score": 5}]}),
        encoding="utf-8")
    desk = secretariat_client(app)
    desk.post("/desk/donors/D-ONE/links", data={"csrf": csrf_of(desk.get("/desk/donors").text)})
    link = desk.get("/desk/donors").text.split('id="new-donor-link">', 1)[1].split("<", 1)[0]
    page = client_for(app).get(link.replace(settings.public_url, ""))
    assert page.status_code == 200 and 'lang="fr"' in page.text  # in the pack's own language
    facts = page.text.split('id="pack-facts"', 1)[1].split("</dl>", 1)[0]
    assert "0123456789ab" in facts and "Français" in facts and "30 juin 2025" in facts
    assert "Fondation Une" in page.text
    matched = page.text.split('id="matched"', 1)[1].split("</section>", 1)[0]
    assert "Great bustard" in matched and money(Decimal("100000.25"), "USD", "fr") in matched
    assert "2 priorités" in matched

