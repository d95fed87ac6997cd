#!/usr/bin/env python3
"""Write a deterministic, realistic sample `inputs/` folder for cms-catalogue.

Usage:  python benchmarks/make_sample_inputs.py [OUT_DIR]      (default: inputs/)

Produces settings.json, fx_rates.csv, partners.csv, priorities.csv,
secretariat_tasks.xlsx and workplans/<partner id>.xlsx (one per Partner NGO).
Priority ids and titles follow CMS documents where known; every amount,
contact, grant reference and date is illustrative and fictitious.

Only the standard library and openpyxl are used. All randomness comes from
random.Random(20251124) and workbook metadata and zip timestamps are fixed,
so two runs write byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
import zipfile
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

SEED = 20251124
FIXED_TIME = dt.datetime(2025, 6, 30, 0, 0, 0)
ZIP_TIME = (2025, 6, 30, 0, 0, 0)
AS_AT = dt.date(2025, 6, 30)
PERIOD_START = dt.date(2024, 1, 1)
PERIOD_END = dt.date(2026, 12, 31)
SEP = "; "

SETTINGS = {
    "title": "CMS Programme Catalogue",
    "edition": "2024-2026 triennium, first edition",
    "reporting_currency": "USD",
    "period": {"start": "2024-01-01", "end": "2026-12-31"},
    "as_at": "2025-06-30",
    "locale": "en",
    "iati_organisation_identifier": "XI-IATI-CMSSAMPLE",  # a sample's: the Secretariat uses its registered one
    "languishing_coverage_threshold": "0.25",
    "languishing_min_cops_ago": 1,
    "cop_dates": {"10": "2011-11-20", "11": "2014-11-04", "12": "2017-10-23", "13": "2020-02-17", "14": "2024-02-12"},
}

# USD per one unit of the currency (illustrative mid-2025 values).
FX_RATES = {"USD": "1.0000", "EUR": "1.1720", "GBP": "1.3715", "CHF": "1.2560", "AUD": "0.6555"}
FX_SOURCE = "Illustrative rate (UN operational rate of exchange style)"

# Report figures: partner staff time at US$300/day, diplomats at US$365/day.
STAFF_DAY_RATE_USD = 300
MEETING_DAY_RATE_USD = 365

ALL_TAXA = ["birds", "aquatic mammals", "terrestrial mammals", "bats", "marine turtles", "fish", "insects"]
SCSA = "South and Central America and the Caribbean"

# --------------------------------------------------------------------------- priorities
# (id, title, cop, addressed_to, strategic plan targets, taxa, regions, instrument, rank)
PRIORITIES = [
    ("RES-12.21", "Climate Change and Migratory Species", 12,
     "Parties; Secretariat; Scientific Council; Partners", "7; 10; 15", ALL_TAXA, ["Global"], "CMS", "core"),
    ("RES-12.22", "Bycatch", 12, "Parties; Scientific Council; Secretariat", "6; 7",
     ["birds", "aquatic mammals", "marine turtles", "fish"], ["Global"], "CMS", "core"),
    ("RES-11.31", "Fighting Wildlife Crime and Offences within and beyond Borders", 11,
     "Parties; Secretariat; Partners", "3; 7", ["terrestrial mammals", "birds", "aquatic mammals", "fish"],
     ["Global"], "CMS", "high"),
    ("RES-11.16", "The Prevention of Illegal Killing, Taking and Trade of Migratory Birds", 11,
     "Parties; Secretariat; Range States; Partners", "3; 7; 8", ["birds"], ["Europe", "Africa", "Asia"], "CMS", "core"),
    ("RES-12.14", "Adverse Impacts of Anthropogenic Noise on Cetaceans and Other Migratory Species", 12,
     "Parties; Scientific Council; Secretariat", "7; 15", ["aquatic mammals", "fish", "marine turtles"],
     ["Global"], "ACCOBAMS", "high"),
    ("RES-12.20", "Management of Marine Debris", 12, "Parties; Secretariat; Partners", "7",
     ["aquatic mammals", "marine turtles", "birds", "fish"], ["Global"], "CMS", "high"),
    ("RES-11.27", "Renewable Energy and Migratory Species", 11, "Parties; Secretariat; Scientific Council", "5; 7",
     ["birds", "bats", "aquatic mammals"], ["Global"], "CMS", "high"),
    ("RES-12.11", "Flyways", 12, "Parties; Secretariat; Range States; Partners", "9; 10", ["birds"],
     ["Global"], "CMS", "core"),
    ("RES-12.15", "Aquatic Wild Meat", 12, "Parties; Scientific Council", "6; 7",
     ["aquatic mammals", "marine turtles"], ["Africa", "Asia", SCSA, "Oceania"], "CMS", "medium"),
    ("RES-12.25", "Promoting Conservation of Critical Intertidal and Other Coastal Habitats for Migratory Species",
     12, "Parties; Range States", "10", ["birds"], ["Asia", "Africa", "Europe", "Oceania"], "CMS", "high"),
    ("RES-12.26", "Improving Ways of Addressing Connectivity in the Conservation of Migratory Species", 12,
     "Parties; Scientific Council; Secretariat", "9; 10; 15", ALL_TAXA, ["Global"], "CMS", "high"),
    ("RES-11.23", "Conservation Implications of Animal Culture and Social Complexity", 11,
     "Scientific Council; Parties", "15", ["aquatic mammals", "terrestrial mammals"], ["Global"], "CMS", "medium"),
    ("RES-11.15", "Preventing Poisoning of Migratory Birds", 11, "Parties; Range States", "7", ["birds"],
     ["Global"], "CMS", "high"),
    ("RES-11.10", "Synergies and Partnerships", 11, "Secretariat; Parties; Partners", "3; 16", [], ["Global"],
     "CMS", "medium"),
    ("RES-11.29", "Sustainable Boat-based Marine Wildlife Watching", 11, "Parties", "5; 7",
     ["aquatic mammals", "marine turtles"], ["Global"], "CMS", "low"),
    ("RES-11.22", "Live Captures of Cetaceans from the Wild for Commercial Purposes", 11, "Parties", "6; 7",
     ["aquatic mammals"], ["Global"], "CMS", "medium"),
    ("RES-12.24", "Promoting Marine Protected Areas Networks in the ASEAN Region", 12, "Parties; Range States",
     "10", ["aquatic mammals", "marine turtles", "fish"], ["Asia"], "CMS", "medium"),
    ("RES-11.28", "Future CMS Activities related to Invasive Alien Species", 11, "Parties; Scientific Council",
     "7", ["birds", "marine turtles"], ["Global"], "CMS", ""),
    ("RES-13.5", "Light Pollution Guidelines for Wildlife", 13, "Parties; Secretariat", "7",
     ["marine turtles", "birds", "bats"], ["Global"], "CMS", "medium"),
    ("DEC-13.24", "Illegal and Unsustainable Taking of Migratory Species", 13, "Secretariat; Parties", "3; 7",
     ["terrestrial mammals", "birds"], ["Africa", "Asia"], "CMS", "high"),
    ("DEC-13.26", "Intergovernmental Task Force on Illegal Killing, Taking and Trade of Migratory Birds in the "
     "Mediterranean (MIKT)", 13, "Secretariat; Range States", "3; 7", ["birds"], ["Europe", "Africa", "Asia"],
     "CMS", "high"),
    ("DEC-13.40", "Insect Decline and its Threat to Migratory Insectivorous Animal Populations", 13,
     "Scientific Council; Parties", "7; 15", ["birds", "bats", "insects"], ["Global"], "CMS", "medium"),
    ("DEC-13.52", "African Carnivores Initiative", 13, "Secretariat; Range States", "8; 9",
     ["terrestrial mammals"], ["Africa"], "CMS", "high"),
    ("DEC-13.56", "Mitigating the Impact of Linear Infrastructure on Migratory Mammals in Central Asia", 13,
     "Range States; Secretariat", "5; 10", ["terrestrial mammals"], ["Asia"], "CAMI", "high"),
    ("DEC-13.65", "Conservation and Management of Whales and their Habitats in the South Atlantic Region", 13,
     "Range States; Parties", "8; 10", ["aquatic mammals"], [SCSA, "Africa"], "CMS", "medium"),
    ("DEC-13.109", "Conservation of the Angelshark (Squatina squatina)", 13, "Range States", "6; 8", ["fish"],
     ["Europe", "Africa"], "Sharks MOU", "low"),
    ("DEC-14.5", "Resource Mobilization", 14, "Secretariat; Standing Committee", "16", [], ["Global"], "CMS",
     "core"),
    ("DEC-14.10", "Capacity Building", 14, "Secretariat; Partners", "1; 16", [], ["Global"], "CMS", "medium"),
    ("DEC-14.18", "Community Participation and Livelihoods", 14, "Parties; Partners", "4; 14", [], ["Global"],
     "CMS", ""),
    ("DEC-14.25", "Atlas of Animal Migration", 14, "Secretariat; Scientific Council", "15",
     ["birds", "aquatic mammals", "terrestrial mammals", "bats", "fish", "insects"], ["Global"], "CMS", "medium"),
    ("DEC-14.32", "Conservation of Migratory Freshwater Fish", 14, "Parties; Scientific Council", "6; 10",
     ["fish"], ["Global"], "CMS", "low"),
    ("CA-13.1", "Concerted Action for the Asian Elephant (Elephas maximus)", 13, "Range States", "8; 10",
     ["terrestrial mammals"], ["Asia"], "CMS", "high"),
    ("CA-13.2", "Concerted Action for the Jaguar (Panthera onca)", 13, "Range States", "8; 9",
     ["terrestrial mammals"], [SCSA], "CMS", "high"),
    ("CA-13.3", "Concerted Action for the Great Indian Bustard (Ardeotis nigriceps)", 13, "Range States", "8",
     ["birds"], ["Asia"], "CMS", "high"),
    ("CA-13.4", "Concerted Action for the Bengal Florican (Houbaropsis bengalensis)", 13, "Range States", "8",
     ["birds"], ["Asia"], "CMS", "medium"),
    ("CA-13.5", "Concerted Action for the Little Bustard (Tetrax tetrax)", 13, "Range States", "8", ["birds"],
     ["Europe", "Africa", "Asia"], "CMS", "medium"),
    ("CA-13.6", "Concerted Action for the Antipodean Albatross (Diomedea antipodensis)", 13, "Range States",
     "6; 8", ["birds"], ["Oceania"], "ACAP", "medium"),
    ("CA-13.7", "Concerted Action for the Oceanic Whitetip Shark (Carcharhinus longimanus)", 13, "Range States",
     "6; 8", ["fish"], ["Global"], "Sharks MOU", "high"),
    ("CA-13.8", "Concerted Action for the Smooth Hammerhead Shark (Sphyrna zygaena)", 13, "Range States", "6; 8",
     ["fish"], ["Global"], "Sharks MOU", "medium"),
    ("CA-12.1", "Concerted Action for Sperm Whales of the Eastern Tropical Pacific", 12, "Range States", "8",
     ["aquatic mammals"], [SCSA], "CMS", ""),
    ("AP-VULTURES", "Multi-species Action Plan to Conserve African-Eurasian Vultures (Vulture MsAP)", 12,
     "Range States; Secretariat; Partners", "7; 8", ["birds"], ["Africa", "Europe", "Asia"], "Raptors MOU", "core"),
    ("AP-AEMLAP", "Action Plan for Migratory Landbirds in the African-Eurasian Region (AEMLAP)", 11,
     "Range States; Partners", "8; 10", ["birds"], ["Africa", "Europe", "Asia"], "CMS", "high"),
    ("AP-LOGGERHEAD-SP", "Single Species Action Plan for the Loggerhead Turtle (Caretta caretta) in the South "
     "Pacific Ocean", 11, "Range States", "8", ["marine turtles"], ["Oceania", SCSA], "CMS", "medium"),
    ("AP-SAKER", "Global Action Plan for the Saker Falcon (SakerGAP)", 11, "Range States; Partners", "5; 8",
     ["birds"], ["Asia", "Europe", "Africa"], "Raptors MOU", "high"),
    ("AP-ARGALI", "International Single Species Action Plan for the Conservation of the Argali (Ovis ammon)", 12,
     "Range States", "8", ["terrestrial mammals"], ["Asia"], "CAMI", "medium"),
    ("AP-AMERICAS-FLYWAYS", "Americas Flyways Framework", 12, "Range States; Partners", "9; 10", ["birds"],
     ["North America", SCSA], "CMS", "medium"),
    ("POW-CAMI", "Central Asian Mammals Initiative (CAMI) Programme of Work", 13,
     "Range States; Secretariat; Partners", "8; 9; 10", ["terrestrial mammals"], ["Asia"], "CAMI", "high"),
    ("POW-BIRDS", "Programme of Work on Migratory Birds and Flyways", 11, "Parties; Secretariat; Partners",
     "8; 9; 10", ["birds"], ["Global"], "CMS", "core"),
    ("POW-CLIMATE", "Programme of Work on Climate Change and Migratory Species", 12,
     "Parties; Scientific Council; Secretariat", "7; 10", ALL_TAXA, ["Global"], "CMS", "high"),
]
KIND_BY_PREFIX = {"RES": "resolution", "DEC": "decision", "CA": "concerted_action", "AP": "action_plan",
                  "POW": "programme_of_work"}

# Deliberate gaps (documented in inputs/README.md). No activity and no Secretariat task point at these:
LANGUISHING = {"RES-11.28", "RES-12.24", "CA-13.4", "CA-13.6", "DEC-13.109", "AP-LOGGERHEAD-SP"}
# These have activities, but none of them has confirmed money (cash or in kind), and no Secretariat task:
UNCONFIRMED_ONLY = {"RES-11.23", "DEC-13.40", "CA-13.5", "CA-13.8"}
# Activities whose confirmed funding lines alone exceed their whole budget:
OVER_FUNDED = {"BIRDLIFE-008", "CIC-005", "GNF-003", "OCEANCARE-002", "WCS-002", "WWF-008"}
# The report's example, written exactly once: 4 staff x 4 meetings x 6 days x US$365.
REPORT_EXAMPLE_ACTIVITY = "WILDMIG-001"

# --------------------------------------------------------------------------- partners
# Each partner: id, name, short_name, activity prefix, currency, taxa, themes, regions, countries,
# non-Party range states, contact (name, role, email), expertise, languages, agreement date,
# target triennium budget in USD, probability of an in-kind staff-time line, of an in-kind meetings line.
PARTNERS = [
    dict(id="P-AMMPA", name="Alliance of Marine Mammal Parks and Aquariums", short="AMMPA", prefix="AMMPA",
         ccy="USD", taxa=["aquatic mammals"],
         themes=["captivity and animal welfare", "rescue and rehabilitation", "public education"],
         regions=["North America", SCSA], countries=["US", "CA", "MX", "BS"], non_party=["US", "CA", "MX"],
         contact=("Marcus Bellweather", "CMS focal point", "cms-focal-point@ammpa.example.org"),
         expertise=["marine mammal stranding response", "veterinary care", "visitor education"],
         languages=["en", "es"], agreement="2014-11-08", budget=650_000, p_staff=0.6, p_meet=0.05),
    dict(id="P-BIRDLIFE", name="BirdLife International / Royal Society for the Protection of Birds (RSPB)",
         short="BirdLife", prefix="BIRDLIFE", ccy="GBP", taxa=["birds"],
         themes=["flyways", "illegal killing of birds", "important bird and biodiversity areas", "energy and birds"],
         regions=["Global", "Africa", "Europe", "Asia"], countries=["GB", "CY", "MT", "EG", "LB", "KE"],
         non_party=["CN"],
         contact=("Eleanor Ashcombe", "Head of International Policy", "international-policy@birdlife.example.org"),
         expertise=["flyway site networks", "bird monitoring", "policy advocacy", "seabird bycatch mitigation"],
         languages=["en", "fr", "es", "ar"], agreement="2005-11-25", budget=2_600_000, p_staff=0.8, p_meet=0.2),
    dict(id="P-BORNFREE", name="Born Free Foundation", short="Born Free", prefix="BORNFREE", ccy="GBP",
         taxa=["terrestrial mammals", "aquatic mammals"],
         themes=["wildlife crime", "human-wildlife coexistence", "captivity", "animal welfare"],
         regions=["Africa", "Asia", "Europe"], countries=["GB", "KE", "ET", "ZM", "MW", "LK"], non_party=[],
         contact=("Hannah Okonkwo-Reid", "Policy lead, international conventions", "conventions@bornfree.example.org"),
         expertise=["carnivore conflict mitigation", "wildlife law enforcement support", "captive wildlife policy"],
         languages=["en"], agreement="2011-11-24", budget=900_000, p_staff=0.8, p_meet=0.15),
    dict(id="P-CBCGDF",
         name="China Biodiversity Conservation and Green Development Foundation", short="CBCGDF", prefix="CBCGDF",
         ccy="USD", taxa=["birds", "aquatic mammals", "fish"],
         themes=["coastal wetlands", "citizen science", "public interest litigation"], regions=["Asia"],
         countries=["CN"], non_party=["CN"],
         contact=("王静 (Wang Jing)", "International cooperation officer", "intl-cooperation@cbcgdf.example.org"),
         expertise=["volunteer patrols", "environmental law", "Yellow Sea wetlands"], languages=["zh", "en"],
         agreement="2017-10-26", budget=550_000, p_staff=0.0, p_meet=0.0),
    dict(id="P-CIC", name="International Council for Game and Wildlife Conservation", short="CIC", prefix="CIC",
         ccy="EUR", taxa=["birds", "terrestrial mammals"],
         themes=["sustainable use", "hunting and conservation", "community-based management"],
         regions=["Europe", "Asia", "Africa"], countries=["HU", "KZ", "KG", "TJ", "MN", "UZ"], non_party=["RU"],
         contact=("Ferenc Tóth", "Policy and conventions manager", "conventions@cic.example.org"),
         expertise=["trophy hunting management", "harvest monitoring", "Central Asian ungulates"],
         languages=["en", "de", "fr", "ru", "es"], agreement="2008-12-02", budget=700_000, p_staff=0.7, p_meet=0.1),
    dict(id="P-EFTA", name="Environment for the Americas", short="EFTA", prefix="EFTA", ccy="USD", taxa=["birds"],
         themes=["environmental education", "World Migratory Bird Day", "inclusion in conservation"],
         regions=["North America", SCSA], countries=["US", "CA", "MX", "CR", "CO", "PE"],
         non_party=["US", "CA", "MX"],
         contact=("Inés Muñoz", "Program director", "programs@efta.example.org"),
         expertise=["education materials in English and Spanish", "bird festivals", "youth monitoring"],
         languages=["en", "es"], agreement="2018-03-15", budget=500_000, p_staff=0.6, p_meet=0.0),
    dict(id="P-FZS", name="Frankfurt Zoological Society", short="FZS", prefix="FZS", ccy="EUR",
         taxa=["terrestrial mammals", "birds"],
         themes=["protected area management", "wilderness conservation", "ecological connectivity"],
         regions=["Africa", "Asia", "Europe", SCSA], countries=["TZ", "ZM", "ET", "KZ", "PE", "ZW"], non_party=[],
         contact=("Jonas Albrecht", "CMS focal point", "cms-focal-point@fzs.example.org"),
         expertise=["ranger support", "ungulate monitoring", "aerial surveys"], languages=["de", "en", "fr", "es"],
         agreement="2016-05-19", budget=1_800_000, p_staff=0.7, p_meet=0.05),
    dict(id="P-GBIF", name="Global Biodiversity Information Facility", short="GBIF", prefix="GBIF", ccy="EUR",
         taxa=["birds", "aquatic mammals", "terrestrial mammals", "bats", "fish", "insects"],
         themes=["open biodiversity data", "data mobilization", "capacity building"], regions=["Global"],
         countries=["DK"], non_party=[],
         contact=("Sofie Lindqvist", "Partnerships officer", "partnerships@gbif.example.org"),
         expertise=["species occurrence data", "data standards", "data-use training"],
         languages=["en", "fr", "es", "pt", "zh", "ru", "ar"], agreement="2012-09-10", budget=800_000,
         p_staff=0.0, p_meet=0.0),
    dict(id="P-GNF", name="Global Nature Fund", short="GNF", prefix="GNF", ccy="EUR", taxa=["birds", "fish"],
         themes=["lakes and wetlands", "Living Lakes network", "sustainable fisheries"],
         regions=["Europe", "Africa", "Asia", SCSA], countries=["DE", "KE", "UG", "LK", "CO"], non_party=[],
         contact=("Katrin Wellershoff", "Project manager, Living Lakes", "living-lakes@gnf.example.org"),
         expertise=["wetland restoration", "community fisheries", "mangrove restoration"],
         languages=["de", "en", "es"], agreement="2013-07-01", budget=650_000, p_staff=0.7, p_meet=0.05),
    dict(id="P-HSI", name="Humane Society International", short="HSI", prefix="HSI", ccy="USD",
         taxa=["aquatic mammals", "terrestrial mammals", "fish"],
         themes=["wildlife trade", "shark conservation", "marine mammal protection", "wildlife crime"],
         regions=["Global"], countries=["US", "IN", "CL", "GH", "BO"], non_party=["US"],
         contact=("Rebecca Thornfield", "Senior specialist, international treaties", "treaties@hsi.example.org"),
         expertise=["trade policy", "CITES and CMS listings", "enforcement training"],
         languages=["en", "es", "fr"], agreement="2007-06-04", budget=1_300_000, p_staff=0.75, p_meet=0.2),
    dict(id="P-HSI-AU", name="Humane Society International Australia", short="HSI Australia", prefix="HSIAU",
         ccy="AUD", taxa=["aquatic mammals", "marine turtles", "birds", "fish", "bats"],
         themes=["marine conservation", "threatened species law", "wildlife rescue"], regions=["Oceania"],
         countries=["AU", "FJ", "TO", "PG"], non_party=[],
         contact=("Liam Karalis", "Campaigns manager", "campaigns@hsi-au.example.org"),
         expertise=["threatened species nominations", "ghost net removal", "flying-fox rescue"],
         languages=["en"], agreement="2014-11-07", budget=750_000, p_staff=0.8, p_meet=0.1),
    dict(id="P-IFAW", name="International Fund for Animal Welfare", short="IFAW", prefix="IFAW", ccy="USD",
         taxa=["aquatic mammals", "terrestrial mammals"],
         themes=["wildlife crime", "marine mammal rescue", "landscape conservation", "ocean noise"],
         regions=["Global", "Africa", "Asia", "North America"], countries=["US", "CA", "KE", "MW", "IN", "CN"],
         non_party=["US", "CA", "CN"],
         contact=("Zoë Lefèvre", "Programme director, international policy", "international-policy@ifaw.example.org"),
         expertise=["enforcement training", "stranding response", "elephant landscapes", "ship quieting"],
         languages=["en", "fr", "zh", "de"], agreement="2009-12-01", budget=2_100_000, p_staff=0.8, p_meet=0.2),
    dict(id="P-OCEANCARE", name="OceanCare", short="OceanCare", prefix="OCEANCARE", ccy="CHF",
         taxa=["aquatic mammals", "fish", "marine turtles"],
         themes=["underwater noise", "marine debris", "aquatic wild meat", "captivity"],
         regions=["Europe", "Global"], countries=["CH", "IT", "ES", "GR", "HR"], non_party=[],
         contact=("Annika Brunner", "International relations", "international@oceancare.example.org"),
         expertise=["underwater noise policy", "Mediterranean cetaceans", "policy briefings"],
         languages=["de", "en", "fr", "es"], agreement="2013-03-14", budget=950_000, p_staff=0.8, p_meet=0.25),
    dict(id="P-WI", name="Wetlands International", short="Wetlands International", prefix="WI", ccy="EUR",
         taxa=["birds", "fish"],
         themes=["flyways", "wetland restoration", "waterbird monitoring", "mangroves"],
         regions=["Global", "Africa", "Asia", "Europe"], countries=["NL", "SN", "ML", "ID", "IN", "CN"],
         non_party=["ID", "CN"],
         contact=("Pieter van der Meulen", "Flyways programme head", "flyways@wetlands.example.org"),
         expertise=["International Waterbird Census", "Critical Site Network", "mangrove restoration"],
         languages=["en", "fr", "zh", "es"], agreement="2006-04-20", budget=1_600_000, p_staff=0.75, p_meet=0.1),
    dict(id="P-WDC", name="Whale and Dolphin Conservation", short="WDC", prefix="WDC", ccy="GBP",
         taxa=["aquatic mammals"],
         themes=["bycatch", "captivity", "whale culture", "ocean noise", "whale watching"],
         regions=["Europe", "North America", "Oceania", SCSA], countries=["GB", "DE", "US", "AU", "AR"],
         non_party=["US"],
         contact=("Callum Fraser-MacLeod", "Policy manager", "policy@wdc.example.org"),
         expertise=["cetacean science", "bycatch policy", "marine protected areas"], languages=["en", "de", "es"],
         agreement="2010-02-18", budget=1_200_000, p_staff=0.8, p_meet=0.2),
    dict(id="P-WILDMIGRATION", name="Wild Migration", short="Wild Migration", prefix="WILDMIG", ccy="USD",
         taxa=["aquatic mammals", "birds", "marine turtles", "fish", "terrestrial mammals"],
         themes=["Partner NGO coordination", "policy", "animal culture", "aquatic wild meat"],
         regions=["Global", "Oceania"], countries=["AU", "DE"], non_party=[],
         contact=("Amara Whitlock", "Executive officer", "office@wildmigration.example.org"),
         expertise=["convention processes", "NGO coordination", "policy writing"], languages=["en", "fr"],
         agreement="2012-11-21", budget=550_000, p_staff=0.9, p_meet=0.3),
    dict(id="P-WCS", name="Wildlife Conservation Society", short="WCS", prefix="WCS", ccy="USD",
         taxa=["terrestrial mammals", "aquatic mammals", "birds", "fish"],
         themes=["landscape conservation", "wildlife trade", "marine conservation", "wildlife health"],
         regions=["Global", "Asia", "Africa", SCSA], countries=["US", "MN", "BO", "AR", "CG", "KH", "ID"],
         non_party=["US", "ID"],
         contact=("Daniel Achterberg", "Director, international policy", "intl-policy@wcs.example.org"),
         expertise=["field science", "transboundary landscapes", "fisheries landings surveys"],
         languages=["en", "fr", "es"], agreement="2010-12-09", budget=2_500_000, p_staff=0.75, p_meet=0.1),
    dict(id="P-WAZA", name="World Association of Zoos and Aquariums", short="WAZA", prefix="WAZA", ccy="EUR",
         taxa=["birds", "terrestrial mammals", "aquatic mammals", "marine turtles", "insects"],
         themes=["conservation breeding", "public awareness", "reintroduction"], regions=["Global"],
         countries=["ES", "IN", "MA", "TR"], non_party=["TR"],
         contact=("Mireia Castells i Pons", "Conservation and sustainability officer",
                  "conservation@waza.example.org"),
         expertise=["ex situ conservation", "visitor campaigns", "veterinary expertise"], languages=["en", "es"],
         agreement="2015-06-30", budget=600_000, p_staff=0.7, p_meet=0.05),
    dict(id="P-WWF", name="WWF International", short="WWF", prefix="WWF", ccy="USD", taxa=ALL_TAXA,
         themes=["ecological connectivity", "bycatch", "wildlife crime", "freshwater", "climate change"],
         regions=["Global"], countries=["CH", "KE", "MZ", "ID", "IN", "NP", "BR", "PE"], non_party=["ID", "CN"],
         contact=("Tomasz Wierzbicki", "CMS focal point", "cms-focal-point@wwf.example.org"),
         expertise=["landscape and seascape programmes", "fisheries policy", "policy advocacy"],
         languages=["en", "fr", "es", "zh"], agreement="2005-09-15", budget=2_900_000, p_staff=0.8, p_meet=0.25),
]

# --------------------------------------------------------------------------- activities
# Per partner: (title, priority ids with the lead first, countries, description).
ACTIVITIES = {
    "P-AMMPA": [
        ("Stranding response network training for Caribbean range states", "RES-12.20; RES-12.22", "BS; DO; JM; MX",
         "Hands-on training for national stranding teams in assessing and releasing entangled marine mammals."),
        ("Rehabilitation protocols for entangled manatees and dolphins", "RES-12.20", "US; MX; BS",
         "Shared veterinary protocols and a regional case database for animals injured by marine debris."),
        ("Marine debris education programme at member parks", "RES-12.20", "US; CA; MX",
         "Visitor programme linking single-use plastic reduction to marine mammal strandings."),
        ("Hearing threshold studies to inform noise guidelines", "RES-12.14", "US",
         "Behavioural audiometry with trained cetaceans to fill data gaps cited in the CMS noise guidelines."),
        ("Social learning in bottlenose dolphins", "RES-11.23", "US",
         "Observational study of socially learned foraging to support the Scientific Council's work on culture."),
        ("Responsible marine mammal watching training for tour operators", "RES-11.29", "MX; BS",
         "Workshops and a bilingual code of conduct for boat-based operators."),
        ("Disentanglement team training in the right whale range", "RES-12.22", "US; CA",
         "Joint exercises for disentanglement teams responding to gear-entangled large whales."),
    ],
    "P-BIRDLIFE": [
        ("Stopping illegal killing of birds at Mediterranean hotspots", "RES-11.16; DEC-13.26", "CY; MT; LB; EG",
         "Monitoring, enforcement support and public campaigns at the worst trapping and shooting hotspots."),
        ("Scoreboard national assessments support for MIKT members", "DEC-13.26", "IT; HR; GR; LB",
         "Technical help to national authorities completing the second Scoreboard assessment."),
        ("Migratory soaring birds: energy sector mainstreaming on the Rift Valley / Red Sea flyway",
         "RES-11.27; AP-VULTURES", "EG; JO; ET; SA",
         "Sensitivity mapping and guidance so wind and power line developers avoid bottleneck sites."),
        ("Vulture-safe zones and anti-poisoning rapid response in East Africa", "AP-VULTURES; RES-11.15",
         "KE; TZ; UG", "Community vulture guardians, poison response kits and training for wildlife officers."),
        ("Transition to non-lead ammunition in Europe", "RES-11.15", "GB; DE; ES",
         "Evidence synthesis and stakeholder dialogue with hunting organisations on phasing out lead."),
        ("African-Eurasian flyway site network update", "POW-BIRDS; RES-12.11", "GH; NG; SN; GB",
         "Update of Important Bird and Biodiversity Areas data for the flyway site network."),
        ("Sahel landbird habitat restoration", "AP-AEMLAP; RES-12.21", "SN; ML; BF",
         "Agroforestry and assisted natural regeneration with farmers in wintering areas of Palearctic landbirds."),
        ("Albatross Task Force: seabird bycatch mitigation in southern African fisheries", "RES-12.22",
         "NA; ZA", "Instructors at sea with trawl and longline fleets demonstrating bird-scaring lines."),
        ("Yellow Sea intertidal wetland site management", "RES-12.25; RES-12.11", "CN; KR",
         "Site managers' exchange and monitoring of shorebird numbers at key tidal flats."),
        ("Little Bustard farmland management pilot", "CA-13.5", "ES; PT; FR",
         "Pilot agri-environment measures with farmers in steppe landscapes of Iberia and France."),
        ("Great Indian Bustard power line marking", "CA-13.3; RES-11.27", "IN",
         "Support to bird diverter installation and carcass surveys along priority power lines in Rajasthan."),
        ("Saker Falcon artificial nest monitoring", "AP-SAKER", "MN",
         "Monitoring occupancy and breeding success at artificial nest sites in the Mongolian steppe."),
        ("Insect decline and farmland bird food availability", "DEC-13.40; AP-AEMLAP", "GB; DE",
         "Study linking insect biomass trends to chick survival of migratory farmland birds."),
    ],
    "P-BORNFREE": [
        ("Predator-proof bomas to reduce human-lion conflict", "DEC-13.52", "KE; ET",
         "Fortifying livestock enclosures with communities living next to lion populations."),
        ("Community wildlife guardians", "RES-11.31; DEC-13.24", "KE",
         "Trained community scouts reporting poaching and snaring around protected areas."),
        ("African wild dog and cheetah range mapping", "DEC-13.52", "ZM; MW",
         "Camera trapping and interview surveys to update range maps for the African Carnivores Initiative."),
        ("Policy review of live captures of cetaceans", "RES-11.22", "GB",
         "Review of national measures on live captures and trade, for the Scientific Council."),
        ("Elephant social complexity research synthesis", "RES-11.23; CA-13.1", "LK",
         "Literature synthesis on how social disruption affects elephant movement and conflict."),
        ("Human-elephant coexistence in Sri Lanka", "CA-13.1", "LK",
         "Electric fences, early-warning systems and crop insurance pilots with affected villages."),
        ("Wildlife trade monitoring at East African ports", "RES-11.31", "KE; TZ",
         "Support to port authorities in detecting trafficked wildlife products."),
        ("Range-state capacity for joint CMS-CITES carnivore meetings", "DEC-13.52", "KE; ZM; MW",
         "Briefings and travel support so range-state officials can prepare for the joint carnivore meetings."),
    ],
    "P-CBCGDF": [
        ("Yellow Sea intertidal wetlands citizen patrols", "RES-12.25; RES-12.11", "CN",
         "Volunteer patrols recording disturbance and reclamation at tidal flats in Jiangsu and Hebei."),
        ("Spoon-billed Sandpiper stopover site protection", "RES-12.11; POW-BIRDS", "CN",
         "Monitoring and local government engagement at key stopover sites."),
        ("Yangtze finless porpoise bycatch monitoring", "RES-12.22", "CN",
         "Monitoring compliance with the Yangtze fishing ban and recording porpoise mortalities."),
        ("Illegal bird trapping hotline and volunteer network", "RES-11.16", "CN",
         "Public hotline and rapid volunteer response to mist-netting of migratory birds."),
        ("Bohai coast marine debris clean-ups", "RES-12.20", "CN",
         "Regular beach clean-ups with debris audits shared with national authorities."),
        ("Migratory fish passage in Yangtze tributaries", "DEC-14.32", "CN",
         "Assessment of barriers and options for fish passage on selected tributaries."),
        ("Citizen science survey of insect abundance", "DEC-13.40", "CN",
         "Standardised light-trap and transect surveys by volunteers in eastern China."),
    ],
    "P-CIC": [
        ("Community-based argali management", "AP-ARGALI; POW-CAMI", "TJ; KG",
         "Support to community conservancies that manage argali and share revenue from sustainable use."),
        ("Saker Falcon sustainable use framework", "AP-SAKER", "KZ; MN",
         "Technical work on a regulated, monitored harvest model under the Saker Falcon Global Action Plan."),
        ("Voluntary phase-out of lead ammunition among hunters", "RES-11.15", "HU; AT; DE",
         "Training and ballistics demonstrations with hunting associations."),
        ("Hunters against illegal bird killing", "RES-11.16; DEC-13.26", "HU; IT; ES",
         "Awareness campaign and reporting tools for hunters in Mediterranean range states."),
        ("Waterbird harvest monitoring (AEWA)", "POW-BIRDS; RES-12.11", "HU; DK; FR",
         "Harmonised harvest data collection for waterbird species under AEWA."),
        ("Ungulate monitoring with hunting concessions in Central Asia", "POW-CAMI; DEC-13.56", "KZ; UZ",
         "Joint counts of goitered gazelle and saiga with concession holders."),
        ("Little Bustard habitat management in hunting areas", "CA-13.5", "FR; ES",
         "Management agreements in hunting estates to keep fallow and grassland for Little Bustard."),
        ("Livelihoods from community wildlife management", "DEC-14.18; AP-ARGALI", "KG; TJ",
         "Case studies on income from community-based wildlife management in mountain villages."),
    ],
    "P-EFTA": [
        ("World Migratory Bird Day events across the Americas", "AP-AMERICAS-FLYWAYS; RES-12.11",
         "US; MX; CO; PE", "Event kits, grants to local hosts and bilingual materials for the annual campaign."),
        ("Shorebird Sister Schools", "AP-AMERICAS-FLYWAYS", "US; CA; MX",
         "School programme linking classrooms along the Pacific and Central flyways."),
        ("Bird-friendly lighting campaign", "RES-13.5", "US; MX",
         "Lights-out campaign with cities during peak migration."),
        ("Climate change and migratory birds curriculum", "RES-12.21", "US; CR",
         "Curriculum and teacher training on climate impacts on migratory birds."),
        ("Youth monitoring of Neotropical migrants in coffee landscapes", "AP-AMERICAS-FLYWAYS; POW-BIRDS",
         "CR; CO; GT", "Training young people to monitor migrant birds on shade-coffee farms."),
        ("Community bird festivals with Latino communities", "DEC-14.18", "US; MX",
         "Festivals and internships that open bird conservation to under-represented communities."),
        ("Seabirds and marine debris education module", "RES-12.20", "PE; CL",
         "Spanish-language teaching module and beach surveys with schools."),
    ],
    "P-FZS": [
        ("Serengeti-Mara wildebeest migration corridors", "RES-12.26; DEC-13.52", "TZ; KE",
         "Collaring and land-use planning to keep migration corridors open."),
        ("Anti-poaching support in North Luangwa", "RES-11.31; DEC-13.24", "ZM",
         "Ranger training, equipment and intelligence-led patrols."),
        ("African wild dog monitoring in Nyerere National Park", "DEC-13.52", "TZ",
         "GPS collaring and pack monitoring to inform management of the largest wild dog population."),
        ("Altyn Dala steppe conservation", "POW-CAMI; DEC-13.56", "KZ",
         "Saiga monitoring, ranger support and protected area expansion in the Kazakh steppe."),
        ("Vulture poisoning response in the Serengeti ecosystem", "AP-VULTURES; RES-11.15", "TZ",
         "Rapid response teams and training for rangers to limit mass vulture poisoning events."),
        ("Jaguar corridor in the Manu landscape", "CA-13.2", "PE",
         "Camera trap monitoring and corridor planning between protected areas."),
        ("Fence modification for saiga movement", "DEC-13.56", "KZ",
         "Removing or modifying fences along the railway to restore seasonal movement."),
        ("Climate resilience of Bale Mountains wetlands", "RES-12.21", "ET",
         "Hydrological restoration of highland wetlands used by wintering Palearctic birds."),
        ("Community ranger livelihoods around Gonarezhou", "DEC-14.18", "ZW",
         "Livelihood and employment schemes for communities next to the park."),
    ],
    "P-GBIF": [
        ("Occurrence data gap analysis for CMS-listed species", "DEC-14.25; RES-12.26", "",
         "Gap analysis of openly available occurrence data for Appendix I and II species."),
        ("Data mobilization grants on migratory species in Africa", "DEC-14.25", "BJ; CM; KE; MG",
         "Small grants to institutions digitising migratory species records."),
        ("Species distribution data for climate vulnerability analyses", "RES-12.21; POW-CLIMATE", "",
         "Curated datasets and workflows for climate vulnerability assessments."),
        ("Insect migration data standard", "DEC-13.40", "",
         "Extension of data standards to capture insect migration observations."),
        ("Marine migratory species data with OBIS", "RES-12.22; CA-13.7", "",
         "Joint mobilisation of tagging and bycatch observer data with OBIS."),
        ("Bat occurrence data for wind energy planning", "RES-11.27", "KE; ZA; MA",
         "Mobilising bat records to support sensitivity maps for wind farm siting."),
        ("Data-use training for CMS national focal points", "RES-11.10", "",
         "Online and in-person training on finding and using open data for national reports."),
    ],
    "P-GNF": [
        ("Living Lakes wetland restoration for waterbirds", "POW-BIRDS; RES-12.11", "KE; UG",
         "Restoring papyrus and shoreline wetlands at Lakes Naivasha and Victoria."),
        ("Mangrove restoration for migratory waterbirds", "RES-12.25", "LK",
         "Community mangrove restoration and monitoring in coastal lagoons."),
        ("Migratory fish restoration in European rivers", "DEC-14.32", "DE; PL",
         "Removing barriers and restoring spawning habitat for migratory fish."),
        ("Climate adaptation in the Living Lakes network", "RES-12.21", "DE; KE; CO",
         "Exchange of lake-basin adaptation measures that protect waterbird habitats."),
        ("Bird-sensitive renewable energy siting at lakes", "RES-11.27", "DE",
         "Guidance for floating solar and wind near lakes important for migratory birds."),
        ("Community fisheries and waterbird conservation at Lake Tota", "DEC-14.18", "CO",
         "Fisher-led monitoring and sustainable fishing rules."),
        ("Microplastics in lake fish", "RES-12.20", "DE; KE",
         "Sampling and public reporting on microplastics in fish and waterbird prey."),
    ],
    "P-HSI": [
        ("Oceanic whitetip shark trade controls", "CA-13.7; RES-11.31", "",
         "Training customs and fisheries officers to identify oceanic whitetip products."),
        ("Smooth hammerhead fisheries measures advocacy", "CA-13.8", "",
         "Technical briefs for RFMO meetings on retention bans and landing controls."),
        ("Aquatic wild meat surveys in West Africa", "RES-12.15", "GH; SL",
         "Market and landing-site surveys of dolphin and manatee meat."),
        ("Wildlife crime enforcement training in India", "RES-11.31", "IN",
         "Training for customs and forest officers on trafficking routes and evidence handling."),
        ("Policy engagement on live dolphin captures", "RES-11.22", "",
         "Legal analysis and outreach to range states on export controls."),
        ("Whale entanglement mitigation in South America", "RES-12.22; DEC-13.65", "CL; AR",
         "Gear modifications and entanglement response training with fishers."),
        ("Jaguar poaching and trade in Bolivia", "CA-13.2; RES-11.31", "BO",
         "Investigations and prosecutor training on the trade in jaguar parts."),
        ("Human-elephant coexistence in eastern India", "CA-13.1", "IN",
         "Early-warning systems and community response teams."),
        ("Seismic survey regulation advocacy", "RES-12.14", "",
         "Briefings on noise mitigation in seismic survey permitting."),
    ],
    "P-HSI-AU": [
        ("Smooth hammerhead protection in Australian fisheries", "CA-13.8", "AU",
         "Nomination and submissions for improved protection of smooth hammerheads."),
        ("Ghost net removal in northern Australia", "RES-12.20", "AU",
         "Supporting Indigenous ranger teams removing ghost nets that entangle turtles."),
        ("Light pollution at turtle nesting beaches", "RES-13.5", "AU",
         "Lighting audits and council engagement at key loggerhead and flatback nesting beaches."),
        ("Grey-headed flying-fox heat stress response", "RES-12.21", "AU",
         "Rescue protocols and volunteer response during extreme heat events."),
        ("Whale watching guidelines in the Pacific", "RES-11.29", "AU; TO; FJ",
         "Support to Pacific island governments adopting whale watching regulations."),
        ("Shorebird habitat protection in the East Asian-Australasian Flyway", "RES-12.25; RES-12.11", "AU",
         "Advocacy and habitat protection at Australian non-breeding sites."),
        ("Marine noise from seismic surveys", "RES-12.14", "AU",
         "Submissions and expert review of seismic survey approvals affecting whales."),
        ("Dugong and turtle take in the western Pacific", "RES-12.15", "PG; FJ",
         "Community surveys on the take of dugongs and turtles for food."),
    ],
    "P-IFAW": [
        ("Community rangers in the Tsavo landscape", "RES-11.31; DEC-13.24", "KE",
         "Recruitment, training and equipment for community rangers."),
        ("Marine mammal stranding response", "RES-12.20", "US",
         "Rescue, rehabilitation and necropsy data on debris-related strandings."),
        ("North Atlantic right whale: ship strikes and entanglement", "RES-12.22; RES-12.14", "US; CA",
         "Ropeless fishing gear trials and vessel speed advocacy."),
        ("Amboseli elephant landscape connectivity", "RES-12.26", "KE; TZ",
         "Securing corridors through community land leases."),
        ("Ship quieting for ocean noise reduction", "RES-12.14", "",
         "Technical work with shipping and the IMO on quieter ships."),
        ("Kasungu-Lukusuzi landscape connectivity", "RES-12.26", "MW; ZM",
         "Restoring connectivity for elephants between Malawi and Zambia."),
        ("Asian elephant corridors in India", "CA-13.1", "IN",
         "Securing right-of-passage corridors with state forest departments."),
        ("Countering online wildlife trade", "RES-11.31", "CN; US",
         "Work with technology companies to remove online wildlife trade listings."),
        ("Sperm whale social units and culture", "RES-11.23", "",
         "Acoustic clan identification to support the work on animal culture."),
        ("Big cat trade in southern Africa", "DEC-13.52", "ZA; ZM",
         "Research on the trade in lion bones and other carnivore parts."),
        ("Whale habitats in the South Atlantic", "DEC-13.65", "AR; BR",
         "Support to range states on whale conservation areas in the South Atlantic."),
    ],
    "P-OCEANCARE": [
        ("Underwater noise: adoption of EIA guidelines", "RES-12.14", "IT; GR; ES; HR",
         "Helping authorities adopt the CMS Family noise EIA guidelines."),
        ("Plastic pollution in the Mediterranean", "RES-12.20", "IT; GR",
         "Policy work on single-use plastics and ghost gear."),
        ("Ending live captures of cetaceans", "RES-11.22", "",
         "Advocacy with range states and the tourism industry."),
        ("Global review of aquatic wild meat", "RES-12.15", "GH; PE",
         "Follow-up review of the take of aquatic mammals for food."),
        ("Gillnet bycatch of dolphins in the Adriatic", "RES-12.22", "HR; IT",
         "Pinger trials and observer coverage with small-scale fishers."),
        ("Noise masking and cetacean culture study", "RES-11.23; RES-12.14", "",
         "Desk study on how noise may disrupt socially learned behaviour."),
        ("Whale watching codes of conduct", "RES-11.29", "ES; PT",
         "Training for whale watching operators in the Strait of Gibraltar and Macaronesia."),
        ("Deep-sea mining and migratory species", "RES-12.14", "",
         "Scientific brief on noise and other impacts of deep-sea mining."),
        ("Cetaceans and climate change", "RES-12.21", "",
         "Review of climate impacts on cetacean distribution in European seas."),
    ],
    "P-WI": [
        ("Flyway site network support (AEWA Critical Site Network)", "POW-BIRDS; RES-12.11", "SN; ML; NL",
         "Site manager training and updates to the Critical Site Network Tool."),
        ("Inner Niger Delta waterbirds and livelihoods", "RES-12.11; DEC-14.18", "ML",
         "Water management dialogue and community livelihoods in the Delta."),
        ("Mangrove restoration for coastal waterbirds", "RES-12.25; RES-12.21", "ID; SN",
         "Community-led mangrove restoration at intertidal sites."),
        ("International Waterbird Census coordination", "POW-BIRDS", "",
         "Coordinating counts and population estimates."),
        ("East Asian-Australasian Flyway intertidal wetlands", "RES-12.25", "CN; KR",
         "Technical support to tidal flat conservation and World Heritage nominations."),
        ("Migratory fish in the Mekong", "DEC-14.32", "KH; LA",
         "Fish migration studies and dam-impact dialogue."),
        ("Peatlands and climate adaptation", "RES-12.21", "ID",
         "Peatland rewetting benefitting wetland birds."),
        ("Lead shot in wetlands", "RES-11.15", "NL; DE",
         "Monitoring of lead poisoning in waterbirds."),
        ("Central Asian Flyway site network", "RES-12.11; POW-BIRDS", "IN; KZ",
         "Support to range states for a Central Asian Flyway site network."),
        ("Waterbird connectivity atlas", "DEC-14.25; RES-12.26", "",
         "Waterbird chapters for the Atlas of Animal Migration."),
        ("Insect decline in wetlands", "DEC-13.40", "NL",
         "Review of invertebrate food trends at wetlands used by migratory birds."),
    ],
    "P-WDC": [
        ("Harbour porpoise bycatch in the North Sea and Baltic", "RES-12.22", "GB; DE; SE",
         "Advocacy for bycatch monitoring and mitigation."),
        ("Whale culture research", "RES-11.23", "",
         "Synthesis of evidence on culture in orca and sperm whale populations."),
        ("Ending live captures and captivity", "RES-11.22", "",
         "Campaign for sanctuaries and an end to live captures."),
        ("Ship strikes and noise in UK waters", "RES-12.14", "GB",
         "Mapping ship strike risk and noise hotspots."),
        ("Whale watching guidelines in Argentina", "RES-11.29", "AR",
         "Support for implementation of whale watching rules."),
        ("Southern right whale monitoring", "DEC-13.65", "AR; BR",
         "Photo-identification and aerial surveys of southern right whales."),
        ("Ghost gear removal", "RES-12.20", "GB",
         "Removal of lost fishing gear and outreach to fishers."),
        ("Whales and climate", "RES-12.21", "",
         "Evidence synthesis on the role of whales in the ocean carbon cycle."),
        ("Eastern Tropical Pacific sperm whale photo-ID", "CA-12.1", "EC; PE",
         "Photo-identification catalogue shared among range states."),
        ("Aquatic wild meat in South America", "RES-12.15", "PE; BR",
         "Surveys of dolphin use as bait and food."),
    ],
    "P-WILDMIGRATION": [
        ("Partner NGO coordination and shared triennial workplan", "RES-11.10", "",
         "Coordinating Partner NGO input to CMS meetings and maintaining the shared workplan."),
        ("Animal culture and social complexity expert workshop", "RES-11.23", "",
         "Expert workshop on the conservation implications of animal culture."),
        ("Aquatic wild meat working group support", "RES-12.15", "",
         "Secretariat support to the aquatic wild meat working group."),
        ("Marine debris policy brief", "RES-12.20", "",
         "Policy brief on marine debris and migratory species for Parties."),
        ("Connectivity policy paper", "RES-12.26", "",
         "Paper on integrating connectivity into national plans."),
        ("Marine noise training for government officials", "RES-12.14", "AU; FJ",
         "Training on noise impact assessment for Pacific government officials."),
        ("Partner NGO expertise circular", "RES-11.10; DEC-14.10", "",
         "Compiling the circular of Partner NGO expertise and contacts."),
        ("Capacity building in Pacific Island states", "DEC-14.10", "FJ; WS; PG",
         "Workshops on CMS implementation for Pacific Island officials."),
    ],
    "P-WCS": [
        ("Gobi transboundary ungulate movements and linear infrastructure", "DEC-13.56; POW-CAMI", "MN",
         "Tracking khulan and gazelles to guide railway and road crossings."),
        ("Saiga monitoring in western Mongolia", "POW-CAMI", "MN",
         "Population surveys and anti-poaching support."),
        ("Jaguar conservation in Madidi and the Gran Chaco", "CA-13.2", "BO; PY",
         "Camera trap monitoring and anti-trafficking work."),
        ("Irrawaddy dolphin bycatch reduction", "RES-12.22", "KH; MM",
         "Community fishing rules and gear alternatives."),
        ("Shark and ray landings surveys", "CA-13.7; RES-12.22", "ID",
         "Landing-site surveys to track catch of listed sharks."),
        ("Countering wildlife trafficking in the Congo Basin", "RES-11.31", "CG; CD",
         "Support to law enforcement and prosecutions."),
        ("Patagonian coastal whale habitat", "DEC-13.65", "AR",
         "Marine protected area planning for southern right whale habitat."),
        ("Atlantic flyway shorebird monitoring", "AP-AMERICAS-FLYWAYS", "US; AR",
         "Shorebird monitoring at key sites along the Atlantic flyway."),
        ("Asian elephant landscapes in Cambodia", "CA-13.1", "KH",
         "Monitoring elephants in the Cardamom and Eastern Plains landscapes."),
        ("Aquatic wild meat in Central Africa", "RES-12.15", "GA; CG",
         "Surveys of manatee and turtle meat in coastal markets."),
        ("Vulture restaurants in northern Cambodia", "AP-VULTURES", "KH",
         "Supplementary feeding and nest protection for critically endangered vultures."),
        ("Arctic migratory birds and climate", "RES-12.21", "US",
         "Monitoring breeding shorebirds in Arctic Alaska."),
    ],
    "P-WAZA": [
        ("Asian elephant conservation breeding and welfare standards", "CA-13.1", "IN",
         "Standards and training for elephant care centres supporting wild populations."),
        ("Northern Bald Ibis reintroduction support", "POW-BIRDS", "MA; TR",
         "Technical and veterinary support to release programmes."),
        ("Vulture conservation breeding and release", "AP-VULTURES", "ES",
         "Zoo-bred vultures for release programmes."),
        ("Sea turtle rehabilitation network", "RES-12.22", "ES",
         "Network of zoo and aquarium rescue centres treating bycaught turtles."),
        ("World Migratory Bird Day in zoos", "RES-12.11", "",
         "Visitor campaign in member zoos."),
        ("Great Indian Bustard conservation breeding", "CA-13.3", "IN",
         "Technical support to the conservation breeding centre."),
        ("Insect hotels and visitor science", "DEC-13.40", "ES",
         "Zoo-based insect monitoring with visitors."),
    ],
    "P-WWF": [
        ("Bycatch reduction in Coral Triangle tuna fisheries", "RES-12.22; CA-13.7", "ID; PH; FJ",
         "Circle hooks, observer training and release protocols for turtles and sharks."),
        ("Turtle nesting beach protection in East Africa", "RES-13.5; RES-12.20", "KE; MZ",
         "Beach patrols, lighting controls and debris removal."),
        ("Snow leopard and argali landscapes", "POW-CAMI", "MN; KG",
         "Transboundary monitoring and community stewardship."),
        ("Free-flowing rivers for migratory fish", "DEC-14.32", "",
         "Mapping river connectivity and dam planning."),
        ("Climate-resilient flyways", "RES-12.21", "",
         "Climate refugia mapping for migratory birds."),
        ("Kenya-Tanzania wildlife corridors", "RES-12.26", "KE; TZ",
         "Securing corridors through land-use planning."),
        ("Blue corridors for whales", "RES-12.26; RES-12.14", "",
         "Mapping whale migration routes and threats."),
        ("Ghost gear and plastic pollution", "RES-12.20", "",
         "Ghost gear removal and policy work."),
        ("Wildlife crime: enforcement support", "RES-11.31", "",
         "Support to enforcement agencies."),
        ("Asian elephant conflict in Nepal and Myanmar", "CA-13.1", "NP; MM",
         "Conflict mitigation with communities."),
        ("Jaguar 2030 roadmap in the Amazon", "CA-13.2", "BR; PE; CO",
         "Jaguar corridors and monitoring."),
        ("Great Indian Bustard habitat in Rajasthan", "CA-13.3", "IN",
         "Grassland restoration."),
        ("Hammerhead sharks in RFMO measures", "CA-13.8; CA-13.7", "",
         "RFMO advocacy for hammerhead and whitetip measures."),
    ],
}

# Richer descriptions for the shorter lines above (kept separate so the table stays readable).
EXTRA_DESCRIPTION = {
    "P-WWF": " Delivered with WWF national offices and local partners.",
    "P-WDC": " Results feed into CMS Scientific Council and ASCOBANS meetings.",
    "P-WI": " Implemented with national partners in the flyway.",
    "P-WCS": " Implemented by WCS country programmes with government counterparts.",
    "P-WAZA": " Delivered through WAZA member institutions.",
    "P-IFAW": " Delivered with government agencies and community partners.",
    "P-OCEANCARE": " Findings are shared with ACCOBAMS and the CMS Scientific Council.",
    "P-WILDMIGRATION": " Outputs are shared with all Partner NGOs and the Secretariat.",
}

CASH_DESCRIPTIONS = [
    "Field work and equipment", "Community workshops", "Consultant fees", "Travel and subsistence",
    "Communications and publications", "Data analysis and reporting", "Training courses",
    "Grants to local partners", "Monitoring equipment and tags", "Stakeholder meetings",
]
POLICY_CASH_DESCRIPTIONS = [
    "Consultant fees", "Travel and subsistence", "Communications and publications", "Expert workshop costs",
    "Translation into French and Spanish", "Data analysis and reporting", "Stakeholder meetings",
]
POLICY_WORDS = ("policy", "advocacy", "review", "workshop", "brief", "paper", "guideline", "circular", "training",
                "campaign", "synthesis", "data", "coordination", "measures", "regulation", "curriculum")
POLICY_PARTNERS = {"P-WILDMIGRATION", "P-GBIF"}
STAFF_DESCRIPTIONS = ["Programme officer time", "Project manager time", "Technical specialist time",
                      "Field coordinator time", "Policy officer time"]
FUNDED_STAFF_RATE = {"USD": 350, "EUR": 320, "GBP": 280, "CHF": 420, "AUD": 480}

# Partner donors: (source, source_type, currency or None for the partner's own, grant ref prefix or None).
# Government programmes only fund the partners listed in DONOR_REACH (others fund anyone).
PARTNER_DONORS = [
    ("Darwin Initiative (UK Government)", "voluntary_contribution", "GBP", "DIR"),
    ("European Union LIFE Programme", "voluntary_contribution", "EUR", "LIFE22"),
    ("US Fish and Wildlife Service (Wildlife Without Borders)", "voluntary_contribution", "USD", "F24AP"),
    ("Government of Germany (BMUV) International Climate Initiative", "voluntary_contribution", "EUR", "IKI"),
    ("Government of Switzerland (FOEN)", "voluntary_contribution", "CHF", "FOEN"),
    ("Government of Australia (DCCEEW)", "voluntary_contribution", "AUD", "DCCEEW"),
    ("Principality of Monaco", "voluntary_contribution", "EUR", None),
    ("Greenway Trust", "other", None, "GT"),
    ("Tidewater Foundation", "other", None, "TWF"),
    ("Aldersgate Charitable Trust", "other", None, None),
    ("Sonnenberg Stiftung", "other", None, "SBS"),
    ("Kestrel Fund for Nature", "other", None, "KFN"),
    ("Corporate sponsorship (illustrative)", "other", None, None),
]

# --------------------------------------------------------------------------- Secretariat tasks
# (priority ids, title, unit, description)
TASKS = [
    ("RES-12.21", "Update the Programme of Work on Climate Change for COP15", "Science and Climate",
     "Consultancy and expert review to prepare an updated programme of work for the Conference of the Parties."),
    ("POW-CLIMATE; RES-12.21", "Climate vulnerability review of Appendix I species", "Science and Climate",
     "Trait-based review of climate vulnerability for all Appendix I species, for the Scientific Council."),
    ("POW-CLIMATE", "Workshop on climate-smart planning for flyway sites", "Science and Climate",
     "Regional workshop for site managers on adaptation planning at flyway sites."),
    ("RES-12.22", "Gillnet bycatch mitigation best practice compilation", "Aquatic Species Team",
     "Compile and peer-review best practice on gillnet bycatch mitigation for small-scale fisheries."),
    ("RES-12.22; CA-13.7", "Regional workshop on shark and ray bycatch in tuna fisheries", "Sharks MOU Secretariat",
     "Workshop with tuna RFMO secretariats on bycatch of CMS-listed sharks and rays."),
    ("RES-11.31; DEC-13.24", "Wildlife crime capacity workshop for prosecutors and customs in West Africa",
     "Terrestrial Species Team",
     "Joint training with CITES and UNODC on investigation and prosecution of crimes against migratory species."),
    ("DEC-13.24", "Study on illegal and unsustainable taking of migratory terrestrial mammals in Africa",
     "Terrestrial Species Team", "Desk study and range-state consultation on the scale and drivers of taking."),
    ("RES-11.16; DEC-13.26", "Convene the fifth and sixth meetings of the MIKT", "Avian Species Team",
     "Service two meetings of the Intergovernmental Task Force on illegal killing of birds in the Mediterranean."),
    ("DEC-13.26", "Second Scoreboard assessment of illegal killing of birds", "Avian Species Team",
     "Collate national Scoreboard assessments and prepare the regional synthesis."),
    ("RES-11.16", "Illegal killing of birds in the Arabian Peninsula, Iran and Iraq", "Avian Species Team",
     "Support the regional task force and a rapid assessment of illegal killing in the region."),
    ("RES-12.14", "Update of the CMS Family guidelines on noise EIA", "Aquatic Species Team",
     "Update the technical modules of the guidelines on environmental impact assessment for marine noise."),
    ("RES-12.14; RES-11.27", "Workshop on noise from offshore wind construction", "Aquatic Species Team",
     "Expert workshop on piling noise mitigation and cumulative impacts."),
    ("RES-12.20", "Analysis of plastic ingestion data for migratory species", "Aquatic Species Team",
     "Consultancy to analyse existing ingestion and entanglement data."),
    ("RES-11.27", "Energy Task Force meetings 2024-2026", "Avian Species Team",
     "Service the Energy Task Force and its annual meetings."),
    ("RES-11.27; AP-VULTURES", "Power line electrocution hotspots for raptors in East Africa",
     "Raptors MOU Coordinating Unit", "Mapping of electrocution hotspots and retrofitting priorities."),
    ("RES-12.11; POW-BIRDS", "Report on implementation of the Programme of Work on Migratory Birds and Flyways",
     "Avian Species Team", "Analysis of national reports and partner inputs for the Scientific Council."),
    ("POW-BIRDS", "Central Asian Flyway site network gap analysis", "Avian Species Team",
     "Gap analysis of site coverage along the Central Asian Flyway."),
    ("RES-12.11; AP-AMERICAS-FLYWAYS", "Americas Flyways Framework coordination", "Avian Species Team",
     "Coordination of the Americas Flyways Framework task force."),
    ("RES-12.15", "Regional assessment of aquatic wild meat in West Africa", "Aquatic Species Team",
     "Regional assessment and workshop with range states."),
    ("RES-12.25; RES-12.11", "Guidance on intertidal habitat conservation in the East Asian-Australasian Flyway",
     "Avian Species Team", "Guidance document and regional consultation."),
    ("RES-12.26", "Connectivity indicators for the Strategic Plan", "Science and Climate",
     "Development of indicators of ecological connectivity for the Strategic Plan."),
    ("RES-12.26; DEC-14.25", "Global Initiative on Ungulate Migration support", "Terrestrial Species Team",
     "Support to mapping of ungulate migrations feeding into the Atlas."),
    ("DEC-14.25", "Atlas of Animal Migration: Central Asia chapter", "Science and Climate",
     "Data platform and the first regional chapter of the Atlas."),
    ("RES-11.15", "Review of lead ammunition phase-out progress", "Avian Species Team",
     "Review for the Preventing Poisoning Working Group."),
    ("RES-11.15; AP-VULTURES", "Poison response protocol training in southern Africa",
     "Raptors MOU Coordinating Unit", "Training of trainers on poison response protocols."),
    ("AP-VULTURES", "Vulture MsAP coordinator post", "Raptors MOU Coordinating Unit",
     "Coordinator post for the Multi-species Action Plan for African-Eurasian vultures."),
    ("AP-VULTURES", "Vulture MsAP implementation review 2025", "Raptors MOU Coordinating Unit",
     "Mid-term review of implementation of the Vulture MsAP."),
    ("AP-SAKER", "Saker Falcon Task Force meeting and artificial nest review", "Raptors MOU Coordinating Unit",
     "Task force meeting and review of the artificial nest programme."),
    ("AP-AEMLAP", "AEMLAP working group meeting and landbird habitat guidance", "Avian Species Team",
     "Working group meeting and guidance on landbird habitats in Africa."),
    ("CA-13.1", "Asian elephant transboundary meeting", "Terrestrial Species Team",
     "Meeting of range states in South Asia on transboundary elephant populations."),
    ("CA-13.2", "Jaguar range-state coordination meeting", "Terrestrial Species Team",
     "Range-state meeting under the Jaguar 2030 Roadmap."),
    ("CA-13.3", "Great Indian Bustard power line mitigation mission", "Avian Species Team",
     "Technical mission on power line mitigation."),
    ("CA-13.7", "Oceanic whitetip shark review by the Sharks MOU Advisory Committee",
     "Sharks MOU Secretariat", "Review of the status of the Concerted Action."),
    ("CA-12.1", "Eastern Tropical Pacific sperm whale range-state workshop", "Aquatic Species Team",
     "Workshop of range states on sperm whale conservation."),
    ("DEC-13.52", "Joint CMS-CITES African Carnivores Initiative range-state meeting", "Terrestrial Species Team",
     "Range-state meeting of the African Carnivores Initiative."),
    ("DEC-13.52", "Guidelines on conservation of African wild dog and cheetah", "Terrestrial Species Team",
     "Guidelines for the range-wide strategy."),
    ("DEC-13.56; POW-CAMI", "Linear infrastructure guidance for Central Asia", "CAMI Coordination",
     "Guidance on wildlife-friendly linear infrastructure."),
    ("POW-CAMI", "CAMI coordination officer 2024-2026", "CAMI Coordination",
     "Coordination officer post for the Central Asian Mammals Initiative."),
    ("POW-CAMI; AP-ARGALI", "Argali range-state meeting", "CAMI Coordination",
     "Range-state meeting on argali conservation and sustainable use."),
    ("AP-ARGALI", "Argali survey methodology workshop", "CAMI Coordination",
     "Workshop on harmonised argali survey methods."),
    ("DEC-13.65", "South Atlantic whale conservation review", "Aquatic Species Team",
     "Review of whale conservation measures in the South Atlantic."),
    ("RES-11.22", "Review of live captures of cetaceans", "Aquatic Species Team",
     "Review for the Scientific Council."),
    ("RES-11.29", "Update of boat-based wildlife watching guidelines", "Aquatic Species Team",
     "Update of the guidelines."),
    ("RES-13.5", "Light pollution guidelines: addendum for shorebirds and bats", "Science and Climate",
     "Addendum to the light pollution guidelines."),
    ("RES-11.10", "Partner NGO coordination meetings and shared workplans", "Executive Office",
     "Annual coordination meetings with Partner NGOs and the shared workplan."),
    ("RES-11.10; DEC-14.10", "Annual Partner NGO expertise circular", "Executive Office",
     "Circular of Partner NGO expertise and availability for Parties."),
    ("DEC-14.10", "National focal point e-learning in English, French and Spanish", "Capacity Building",
     "E-learning modules for national focal points."),
    ("DEC-14.10", "Capacity building workshop for Pacific Island states", "Capacity Building",
     "Workshop for new and prospective Parties in the Pacific."),
    ("DEC-14.5", "Donor programme catalogue and pledging event", "Resource Mobilization",
     "Preparation of the donor catalogue and a pledging event."),
    ("DEC-14.5", "Resource mobilization strategy 2026-2029", "Resource Mobilization",
     "Drafting of the resource mobilization strategy."),
    ("DEC-14.18", "Community participation case studies", "Capacity Building",
     "Case studies on community participation and livelihoods."),
    ("DEC-14.32", "Status report on migratory freshwater fish", "Science and Climate",
     "Status report for the Scientific Council."),
    ("RES-11.31", "Data-sharing protocol on wildlife crime with enforcement partners", "Terrestrial Species Team",
     "Protocol with INTERPOL and UNODC on sharing data on crimes against migratory species."),
    ("RES-12.21", "Climate change side event at the UNFCCC COP", "Science and Climate",
     "Side event and briefing on climate change and migratory species."),
]

SECRETARIAT_DONORS = [
    ("Government of Germany (BMUV)", "EUR", "BMUV"),
    ("European Commission (DG ENV)", "EUR", "EC"),
    ("Government of Switzerland (FOEN)", "CHF", "FOEN"),
    ("Principality of Monaco", "EUR", None),
    ("Government of Australia (DCCEEW)", "AUD", "DCCEEW"),
    ("Government of Italy (MASE)", "EUR", None),
    ("Government of the United Kingdom (Defra)", "EUR", "DEFRA"),
    ("Environment Agency - Abu Dhabi", "USD", "EAD"),
    ("Government of Norway", "EUR", None),
]
# The donor register (inputs/donors.csv): (id, name, kind, country, parent, partner id, aliases). Ministries and
# programmes name their government as parent, so a government's money rolls up; the names funding lines use are
# names or aliases here, so an older sheet's free text still finds its donor.
REGISTER = [
    ("CMS-TF", "CMS Trust Fund", "cms_trust_fund", None, None, None, ["CMS Trust Fund (core budget)", "CMS core budget"]),
    ("DE", "Government of Germany", "government", "DE", None, None, ["Germany", "Government of Germany (seconded staff)"]),
    ("DE-BMUV", "Federal Ministry for the Environment (BMUV)", "government", "DE", "DE", None, ["Government of Germany (BMUV)", "BMUV"]),
    ("DE-IKI", "International Climate Initiative (IKI)", "government", "DE", "DE-BMUV", None,
     ["Government of Germany (BMUV) International Climate Initiative", "IKI"]),
    ("GB", "Government of the United Kingdom", "government", "GB", None, None, ["United Kingdom"]),
    ("GB-DEFRA", "Department for Environment, Food & Rural Affairs (Defra)", "government", "GB", "GB", None,
     ["Government of the United Kingdom (Defra)", "Defra"]),
    ("GB-DARWIN", "Darwin Initiative", "government", "GB", "GB-DEFRA", None, ["Darwin Initiative (UK Government)"]),
    ("CH", "Government of Switzerland", "government", "CH", None, None, ["Switzerland"]),
    ("CH-FOEN", "Federal Office for the Environment (FOEN)", "government", "CH", "CH", None, ["Government of Switzerland (FOEN)"]),
    ("AU", "Government of Australia", "government", "AU", None, None, ["Australia"]),
    ("AU-DCCEEW", "Department of Climate Change, Energy, the Environment and Water (DCCEEW)", "government", "AU", "AU", None,
     ["Government of Australia (DCCEEW)"]),
    ("IT", "Government of Italy", "government", "IT", None, None, ["Italy"]),
    ("IT-MASE", "Ministry of Environment and Energy Security (MASE)", "government", "IT", "IT", None, ["Government of Italy (MASE)"]),
    ("NO", "Government of Norway", "government", "NO", None, None, ["Norway"]),
    ("MC", "Principality of Monaco", "government", "MC", None, None, ["Monaco"]),
    ("US", "Government of the United States", "government", "US", None, None, ["United States"]),
    ("US-FWS", "US Fish and Wildlife Service", "government", "US", "US", None,
     ["US Fish and Wildlife Service (Wildlife Without Borders)"]),
    ("AE", "United Arab Emirates", "government", "AE", None, None, []),
    ("AE-EAD", "Environment Agency - Abu Dhabi", "government", "AE", "AE", None,
     ["Environment Agency - Abu Dhabi (hosted Coordinating Unit)"]),
    ("BR", "Government of Brazil", "government", "BR", None, None, ["Government of Brazil (host country)"]),
    ("KE", "Government of Kenya", "government", "KE", None, None, ["Government of Kenya (host country)"]),
    ("UZ", "Government of Uzbekistan", "government", "UZ", None, None, ["Government of Uzbekistan (host country)"]),
    ("EU", "European Union", "multilateral", None, None, None, []),
    ("EU-LIFE", "European Union LIFE Programme", "multilateral", None, "EU", None, ["EU LIFE"]),
    ("EU-DGENV", "European Commission (DG ENV)", "multilateral", None, "EU", None, ["DG ENV"]),
    ("ALDERSGATE", "Aldersgate Charitable Trust", "foundation", "GB", None, None, []),
    ("GREENWAY", "Greenway Trust", "foundation", None, None, None, []),
    ("KESTREL", "Kestrel Fund for Nature", "foundation", None, None, None, []),
    ("SONNENBERG", "Sonnenberg Stiftung", "foundation", "DE", None, None, []),
    ("TIDEWATER", "Tidewater Foundation", "foundation", None, None, None, []),
    ("CORPORATE", "Corporate sponsorship (illustrative)", "private", None, None, None, []),
]
REGISTER_FR = {"DE": "Gouvernement de l'Allemagne", "GB": "Gouvernement du Royaume-Uni", "CH": "Gouvernement de la Suisse",
               "AU": "Gouvernement de l'Australie", "IT": "Gouvernement de l'Italie", "NO": "Gouvernement de la Norvège",
               "US": "Gouvernement des États-Unis", "EU": "Union européenne", "CMS-TF": "Fonds d'affectation spéciale de la CMS"}
REGISTER_ES = {"DE": "Gobierno de Alemania", "GB": "Gobierno del Reino Unido", "CH": "Gobierno de Suiza",
               "AU": "Gobierno de Australia", "IT": "Gobierno de Italia", "NO": "Gobierno de Noruega",
               "US": "Gobierno de los Estados Unidos", "EU": "Unión Europea", "CMS-TF": "Fondo Fiduciario de la CMS"}


def register_rows() -> list[dict]:
    """The donor register: the donors above, and each partner's own funds (their match money is their own too)."""
    rows = [dict(id=i, name=n, name_fr=REGISTER_FR.get(i, ""), name_es=REGISTER_ES.get(i, ""), kind=k,
                 country=c or "", parent=parent or "", partner_id=pid or "", aliases=SEP.join(aliases))
            for i, n, k, c, parent, pid, aliases in REGISTER]
    for p in PARTNERS:
        rows.append(dict(id=p["id"], name=f"{p['name']} (own funds)", name_fr="", name_es="", kind="partner_own_funds",
                         country="", parent="", partner_id=p["id"],
                         aliases=SEP.join([f"{p['short']} own funds", f"{p['short']} match against new donor funding"])))
    return rows


REGISTER_BY_NAME = {name: i for i, n, _, _, _, _, aliases in REGISTER for name in (n, *aliases)}


def pipeline(line: dict, partner_id: str | None, start: dt.date, end: dt.date) -> None:
    """The register id, stage and dates of a funding line, from what the sample already drew (no random draw):
    signed money is paid once the work has run a year, half paid once it has started, else committed; a pledge is
    expected a quarter after the work starts (so some are overdue by the as-at date); a request a quarter after it."""
    source = line["source"]
    line["donor"] = partner_id if line["source_type"] in ("partner_own_funds", "match") else REGISTER_BY_NAME[source]
    status = line.pop("status")
    if status == "confirmed":
        line["signed_on"] = start - dt.timedelta(days=45)
        if start + dt.timedelta(days=365) <= AS_AT:
            line.update(stage="paid", paid_on=start + dt.timedelta(days=30))
        elif start <= AS_AT and end.year > start.year:
            half = (Decimal(str(line["amount"])) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            line.update(stage="committed", paid=float(half), paid_on=start + dt.timedelta(days=30))
        else:
            line["stage"] = "committed"
    elif status == "pledged":
        line.update(stage="pledged", pledged_on=start - dt.timedelta(days=60), expected_by=start + dt.timedelta(days=90))
    else:
        line.update(stage="requested", expected_by=max(start, AS_AT) + dt.timedelta(days=90))
    line["instrument"] = "grant"
    line["earmarking"] = ("unearmarked" if line["source_type"] == "core_budget"
                          else "softly_earmarked" if partner_id is None else "earmarked")


DONOR_REACH = {
    "US Fish and Wildlife Service (Wildlife Without Borders)": {
        "P-EFTA", "P-WCS", "P-IFAW", "P-HSI", "P-AMMPA", "P-FZS", "P-BIRDLIFE", "P-WWF", "P-BORNFREE"},
    "Government of Australia (DCCEEW)": {"P-HSI-AU", "P-WILDMIGRATION", "P-WWF", "P-BIRDLIFE", "P-WI", "P-WDC"},
    "Government of Switzerland (FOEN)": {"P-OCEANCARE", "P-WWF", "P-WAZA", "P-BIRDLIFE", "P-CIC", "P-WI", "P-GBIF"},
    "Darwin Initiative (UK Government)": {"P-BIRDLIFE", "P-BORNFREE", "P-WDC", "P-FZS", "P-WCS", "P-WI", "P-IFAW",
                                          "P-WWF", "P-GNF", "P-CBCGDF"},
    "European Union LIFE Programme": {"P-BIRDLIFE", "P-CIC", "P-GNF", "P-OCEANCARE", "P-WI", "P-WDC", "P-WAZA",
                                      "P-WWF", "P-BORNFREE"},
}


def donors_for(partner_id: str, currency: str | None = None) -> list[tuple]:
    return [d for d in PARTNER_DONORS
            if partner_id in DONOR_REACH.get(d[0], {partner_id}) and (currency is None or d[2] in (None, currency))]


TASK_STAFF_RATES = [480, 520, 560, 640]  # EUR per day, P-2 to P-4 equivalents (illustrative)

# --------------------------------------------------------------------------- helpers


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def random_span(rng: random.Random) -> tuple[dt.date, dt.date]:
    """A start and end date inside the period; some spans cover two or three years."""
    start_index = rng.choice([0] * 6 + list(range(0, 30)))  # months from January 2024
    length = rng.choice([6, 9, 12, 12, 18, 18, 24, 24, 30, 36])
    end_index = min(start_index + length - 1, 35)
    sy, sm = add_months(2024, 1, start_index)
    ey, em = add_months(2024, 1, end_index)
    return month_start(sy, sm), month_end(ey, em)


def status_for(start: dt.date, end: dt.date) -> str:
    if end < AS_AT:
        return "completed"
    if start > AS_AT:
        return "planned"
    return "ongoing"


def usd(amount: float, currency: str) -> float:
    return amount * float(FX_RATES[currency])


def from_usd(amount_usd: float, currency: str) -> float:
    return amount_usd / float(FX_RATES[currency])


def round_to(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)


def line_value_usd(line: dict) -> float:
    if line["kind"] == "cash":
        value = line["amount"]
    elif line["kind"] == "staff_time":
        value = line["days"] * line["day_rate"]
    else:
        value = line["staff"] * line["meetings"] * line["days"] * line["day_rate"]
    return usd(value, line["currency"])


def cents(rng: random.Random, amount: int) -> float | int:
    """Now and then give an amount a realistic fractional part (at most 2 decimals)."""
    if rng.random() < 0.08:
        return round(amount + rng.choice([0.5, 0.25, 0.75, 0.2]), 2)
    return amount


# --------------------------------------------------------------------------- builders


def build_priorities() -> list[dict]:
    rows = []
    for pid, title, cop, addressed, targets, taxa, regions, instrument, rank in PRIORITIES:
        rows.append({
            "id": pid, "kind": KIND_BY_PREFIX[pid.split("-")[0]], "title": title, "cop": cop,
            "addressed_to": addressed, "strategic_plan_targets": targets, "taxa": SEP.join(taxa),
            "regions": SEP.join(regions), "instrument": instrument, "rank": rank,
        })
    return rows


def build_partner_rows(activities_by_partner: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for p in PARTNERS:
        countries = list(p["countries"])
        for activity in activities_by_partner[p["id"]]:
            for c in filter(None, activity["countries"].split(SEP)):
                if c not in countries:
                    countries.append(c)
        for c in p["non_party"]:
            if c not in countries:
                countries.append(c)
        name, role, email = p["contact"]
        rows.append({
            "id": p["id"], "name": p["name"], "short_name": p["short"], "taxa": SEP.join(p["taxa"]),
            "themes": SEP.join(p["themes"]), "regions": SEP.join(p["regions"]), "countries": SEP.join(countries),
            "non_party_countries": SEP.join(p["non_party"]), "contact/name": name, "contact/role": role,
            "contact/email": email, "expertise": SEP.join(p["expertise"]), "languages": SEP.join(p["languages"]),
            "agreement_date": p["agreement"],
        })
    return rows


def build_activity_budget(rng: random.Random, p: dict, aid: str, title: str, total_usd: float,
                          mode: str) -> list[dict]:
    ccy = p["ccy"]
    lines: list[dict] = []
    remaining = total_usd
    if aid == REPORT_EXAMPLE_ACTIVITY:
        lines.append(dict(kind="meetings", description="Diplomatic engagement at CMS meetings (report example)",
                          currency="USD", staff=4, meetings=4, days=6, day_rate=MEETING_DAY_RATE_USD,
                          in_kind="confirmed", in_kind_source=p["short"]))
        remaining -= 4 * 4 * 6 * MEETING_DAY_RATE_USD
    if rng.random() < p["p_staff"]:
        days = max(5, min(400, int(round(total_usd * rng.uniform(0.08, 0.28) / STAFF_DAY_RATE_USD))))
        if rng.random() < 0.3:
            days = days + 0.5 if days < 400 else days
        in_kind = "pledged" if (mode == "no_confirmed" or rng.random() < 0.1) else "confirmed"
        lines.append(dict(kind="staff_time", description=f"{rng.choice(STAFF_DESCRIPTIONS)} ({p['short']}, in kind)",
                          currency="USD", days=days, day_rate=STAFF_DAY_RATE_USD, in_kind=in_kind,
                          in_kind_source=p["short"]))
        remaining -= days * STAFF_DAY_RATE_USD
    if aid != REPORT_EXAMPLE_ACTIVITY and total_usd > 40_000 and rng.random() < p["p_meet"]:
        while True:
            staff, meetings, days = rng.randint(2, 6), rng.randint(2, 6), rng.choice([3, 4, 5, 6, 6])
            if (staff, meetings, days) != (4, 4, 6):
                break
        value = staff * meetings * days * MEETING_DAY_RATE_USD
        if value < 0.4 * remaining:
            in_kind = "pledged" if mode == "no_confirmed" else "confirmed"
            lines.append(dict(kind="meetings", description="Staff participation in CMS and partner meetings (in kind)",
                              currency="USD", staff=staff, meetings=meetings, days=days,
                              day_rate=MEETING_DAY_RATE_USD, in_kind=in_kind, in_kind_source=p["short"]))
            remaining -= value
    remaining = max(remaining, 0.5 * total_usd)
    remaining_ccy = from_usd(remaining, ccy)
    n_cash = 2 if (remaining_ccy > 60_000 and rng.random() < 0.6 and len(lines) < 3) else 1
    policy = p["id"] in POLICY_PARTNERS or any(w in title.lower() for w in POLICY_WORDS)
    descriptions = rng.sample(POLICY_CASH_DESCRIPTIONS if policy else CASH_DESCRIPTIONS, 2)
    if n_cash == 2 and rng.random() < 0.2:
        # one part of the need is staff to be recruited (not in kind, still to be funded)
        rate = FUNDED_STAFF_RATE[ccy]
        days = max(10, int(round(remaining_ccy * rng.uniform(0.2, 0.4) / rate)))
        lines.append(dict(kind="staff_time", description="Project coordinator (to be recruited)", currency=ccy,
                          days=days, day_rate=rate))
        remaining_ccy -= days * rate
        n_cash = 1
    if n_cash == 2:
        split = rng.uniform(0.35, 0.7)
        amounts = [remaining_ccy * split, remaining_ccy * (1 - split)]
    else:
        amounts = [remaining_ccy]
    for description, amount in zip(descriptions, amounts, strict=False):
        lines.append(dict(kind="cash", description=description, currency=ccy,
                          amount=cents(rng, round_to(amount, 100))))
    lines = lines[:4]
    order = {"cash": 0, "staff_time": 1, "meetings": 2}
    lines.sort(key=lambda line: order[line["kind"]])
    for n, line in enumerate(lines, start=1):
        line["line"] = n
    return lines


def grant_ref(rng: random.Random, prefix: str | None) -> str:
    if prefix is None or rng.random() < 0.4:
        return ""
    return f"{prefix}-{rng.choice([2023, 2024, 2025])}-{rng.randint(10, 9999):04d}"


def build_activity_funding(rng: random.Random, p: dict, aid: str, budget: list[dict], mode: str,
                           match_offer: dict | None) -> list[dict]:
    ccy = p["ccy"]
    total_usd = sum(line_value_usd(line) for line in budget)
    need_usd = sum(line_value_usd(line) for line in budget if not line.get("in_kind"))
    lines: list[dict] = []
    own = f"{p['short']} own funds"
    if mode == "over":
        target = from_usd(total_usd * rng.uniform(1.12, 1.35), ccy)
        first = round_to(target * rng.uniform(0.55, 0.75), 100)
        lines.append(dict(source=own, source_type="partner_own_funds", status="confirmed", amount=first,
                          currency=ccy, grant_ref=""))
        donor = rng.choice(donors_for(p["id"], ccy))
        lines.append(dict(source=donor[0], source_type=donor[1], status="confirmed",
                          amount=round_to(target - first + 100, 100), currency=ccy,
                          grant_ref=grant_ref(rng, donor[3]) or f"{p['prefix']}-GR-{rng.randint(100, 999)}"))
    elif mode == "no_confirmed":
        n = rng.choice([1, 1, 2])
        share = rng.uniform(0.3, 0.8)
        for _ in range(n):
            donor = rng.choice(donors_for(p["id"]))
            cur = donor[2] or ccy
            amount = from_usd(need_usd * share / n, cur)
            lines.append(dict(source=donor[0], source_type=donor[1], status=rng.choice(["pledged", "requested"]),
                              amount=cents(rng, round_to(amount, 100)), currency=cur,
                              grant_ref=grant_ref(rng, donor[3])))
    else:
        if rng.random() < 0.12:
            return []
        n = rng.choice([1, 2, 2, 3])
        coverage = rng.uniform(0.2, 0.95)
        weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
        for i, w in enumerate(weights):
            part_usd = need_usd * coverage * w / sum(weights)
            if i == 0 and rng.random() < 0.6:
                source, stype, cur, prefix = own, "partner_own_funds", ccy, None
                status = "confirmed" if rng.random() < 0.85 else "pledged"
            else:
                source, stype, cur, prefix = rng.choice(donors_for(p["id"]))
                cur = cur or ccy
                status = rng.choices(["confirmed", "pledged", "requested"], [0.45, 0.35, 0.2])[0]
            amount = int(from_usd(part_usd, cur) // 100) * 100
            if amount < 100:
                continue
            lines.append(dict(source=source, source_type=stype, status=status, amount=cents(rng, amount),
                              currency=cur, grant_ref=grant_ref(rng, prefix)))
        if match_offer and lines and len(lines) < 3 and rng.random() < 0.6:
            up_to = match_offer["up_to"]
            lines.append(dict(source=f"{p['short']} match against new donor funding", source_type="match",
                              status="pledged", amount=round_to(min(up_to, from_usd(need_usd * 0.05, ccy) + 100), 100),
                              currency=ccy, grant_ref=""))
            # keep the total of all funding within the cash need
            total_all = sum(usd(line["amount"], line["currency"]) for line in lines)
            if total_all > need_usd:
                lines.pop()
    for n, line in enumerate(lines, start=1):
        line["line"] = n
    return lines


def name_years(funding: list[dict], start: dt.date, end: dt.date) -> None:
    """Donors fund by year: on work spanning several years, a signed government or foundation grant names the
    first year and a pledge the next (no random draw, so the rest of the sample stays as it was); own funds and
    requests name none and are spread over the work's days."""
    if start.year == end.year:
        return
    for line in funding:
        if line["source_type"] in ("voluntary_contribution", "other") and line["status"] == "confirmed":
            line["year"] = start.year
        elif line["source_type"] in ("voluntary_contribution", "other") and line["status"] == "pledged":
            line["year"] = min(start.year + 1, end.year)


def build_workplans(rng: random.Random) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in PARTNERS:
        specs = ACTIVITIES[p["id"]]
        weights = [rng.lognormvariate(0, 0.6) for _ in specs]
        totals = [min(590_000, max(16_000, p["budget"] * w / sum(weights))) for w in weights]
        activities = []
        for i, ((title, prios, countries, description), total) in enumerate(zip(specs, totals, strict=False), start=1):
            aid = f"{p['prefix']}-{i:03d}"
            prio_list = prios.split(SEP)
            if aid in OVER_FUNDED:
                mode = "over"
            elif any(pr in UNCONFIRMED_ONLY for pr in prio_list):
                mode = "no_confirmed"
            else:
                mode = "normal"
            start, end = random_span(rng)
            if aid == REPORT_EXAMPLE_ACTIVITY:
                start, end = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
            match_offer = None
            # match offers only on work that is still running or planned (about 15% of all activities)
            if end >= AS_AT and aid not in OVER_FUNDED and rng.random() < 0.19:
                ratio = rng.choice([1, 1, 0.5, 2])
                up_to = round_to(from_usd(total * rng.uniform(0.1, 0.35), p["ccy"]), 5000)
                ratio_text = {1: "1:1", 0.5: "at half the donor amount", 2: "2:1"}[ratio]
                match_offer = dict(up_to=up_to, currency=p["ccy"], ratio=ratio, expires=end,
                                   note=f"{p['short']} matches new donor contributions {ratio_text} from its own "
                                        f"funds until {end.isoformat()}.")
            budget = build_activity_budget(rng, p, aid, title, total, mode)
            funding = build_activity_funding(rng, p, aid, budget, mode, match_offer)
            name_years(funding, start, end)
            activities.append(dict(
                id=aid, partner_id=p["id"], priority_ids=prios, title=title,
                description=description + EXTRA_DESCRIPTION.get(p["id"], ""), countries=countries,
                start=start, end=end, status=status_for(start, end), match_offer=match_offer,
                budget=budget, funding=funding))
        out[p["id"]] = activities
    return out


def build_tasks(rng: random.Random) -> list[dict]:
    tasks = []
    for i, (prios, title, unit, description) in enumerate(TASKS, start=1):
        tid = f"ST-{i:03d}"
        start, end = random_span(rng)
        total = rng.choice([1, 1, 2, 3]) * rng.uniform(18_000, 140_000)
        lines: list[dict] = []
        rate = rng.choice(TASK_STAFF_RATES)
        days = max(5, int(round(total * rng.uniform(0.15, 0.45) / rate)))
        staff_line = dict(kind="staff_time", description="Secretariat officer time", currency="EUR", days=days,
                          day_rate=rate)
        if "coordinator" in title.lower() or "officer" in title.lower():
            staff_line["days"] = rng.choice([220, 440, 660])
            staff_line["description"] = "Coordinator post (P-3)"
        if rng.random() < 0.1:
            staff_line["in_kind"] = "confirmed"
            staff_line["in_kind_source"] = "Government of Germany (seconded staff)"
        if unit == "Raptors MOU Coordinating Unit" and rng.random() < 0.5:
            staff_line["in_kind"] = "confirmed"
            staff_line["in_kind_source"] = "Environment Agency - Abu Dhabi (hosted Coordinating Unit)"
        lines.append(staff_line)
        cash = total - days * rate
        lines.append(dict(kind="cash", description=rng.choice(
            ["Consultancy", "Expert review and editing", "Data analysis consultancy", "Publication and layout"]),
            currency="EUR", amount=round_to(max(cash * 0.6, 5000), 500)))
        if any(w in title.lower() for w in ("meeting", "workshop", "event", "mission")):
            lines.append(dict(kind="meetings", description="Secretariat servicing of the meeting", currency="EUR",
                              staff=rng.randint(2, 4), meetings=rng.choice([1, 1, 2, 3]), days=rng.choice([3, 4, 5]),
                              day_rate=rng.choice([450, 520])))
            venue = dict(kind="cash", description="Venue, interpretation (en/fr/es) and delegate travel support",
                         currency="EUR", amount=round_to(rng.uniform(25_000, 90_000), 500))
            if rng.random() < 0.3:
                venue["in_kind"] = "pledged"
                venue["in_kind_source"] = rng.choice(["Government of Uzbekistan (host country)",
                                                      "Government of Brazil (host country)",
                                                      "Government of Kenya (host country)"])
            lines.append(venue)
        elif rng.random() < 0.35:
            lines.append(dict(kind="cash", description="Translation into French and Spanish", currency="EUR",
                              amount=round_to(rng.uniform(4_000, 15_000), 500)))
        for n, line in enumerate(lines, start=1):
            line["line"] = n
        need_eur = sum(from_usd(line_value_usd(line), "EUR") for line in lines if not line.get("in_kind"))
        funding: list[dict] = []
        if rng.random() > 0.22:
            coverage = rng.uniform(0.15, 1.0)
            budget_left = need_eur * coverage
            if rng.random() < 0.6:
                core = round_to(budget_left * rng.uniform(0.3, 0.6), 500)
                funding.append(dict(source="CMS Trust Fund (core budget)", source_type="core_budget",
                                    status="confirmed", amount=core, currency="EUR", grant_ref=""))
                budget_left -= core
            for _ in range(rng.choice([1, 1, 2])):
                if budget_left < 1000:
                    break
                donor, cur, prefix = rng.choice(SECRETARIAT_DONORS)
                part = budget_left * rng.uniform(0.4, 1.0)
                amount = int(from_usd(usd(part, "EUR"), cur) // 500) * 500
                if amount <= 0:
                    continue
                status = rng.choices(["confirmed", "pledged", "requested"], [0.5, 0.3, 0.2])[0]
                funding.append(dict(source=donor, source_type="voluntary_contribution", status=status,
                                    amount=amount, currency=cur, grant_ref=grant_ref(rng, prefix)))
                budget_left -= from_usd(usd(amount, cur), "EUR")
        for n, line in enumerate(funding, start=1):
            line["line"] = n
        tasks.append(dict(id=tid, priority_ids=prios, title=title, description=description, unit=unit,
                          start=start, end=end, budget=lines, funding=funding))
    return tasks


# --------------------------------------------------------------------------- writers

BUDGET_HEADERS_TAIL = ["line", "kind", "description", "currency", "amount", "staff", "meetings", "days", "day_rate",
                       "in_kind", "in_kind_source", "year"]
FUNDING_HEADERS_TAIL = ["line", "donor", "source", "source_type", "stage", "amount", "currency", "grant_ref", "year",
                        "pledged_on", "signed_on", "expected_by", "paid", "paid_on", "instrument", "earmarking"]
LEGACY_FUNDING_HEADERS_TAIL = ["line", "source", "source_type", "status", "amount", "currency", "grant_ref", "year"]
ACTIVITY_HEADERS = ["id", "partner_id", "priority_ids", "title", "description", "countries", "start", "end",
                    "status", "match_offer/up_to", "match_offer/currency", "match_offer/ratio", "match_offer/expires",
                    "match_offer/note"]
TASK_HEADERS = ["id", "priority_ids", "title", "description", "unit", "start", "end"]
WIDTH_CAP = {"description": 70, "title": 55, "note": 50, "source": 40, "in_kind_source": 30}


def write_csv(path: Path, headers: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, "") for h in headers})


def add_sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = len(header)
        for row in rows:
            value = row[index - 1]
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            width = max(width, len(text))
        cap = WIDTH_CAP.get(header.split("/")[-1], 45)
        ws.column_dimensions[get_column_letter(index)].width = min(cap, width + 2)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed metadata and fixed zip timestamps, so repeated runs are byte-identical."""
    wb.properties.creator = "cms-catalogue sample generator"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))


def budget_rows(parent_id: str, lines: list[dict]) -> list[list]:
    return [[parent_id] + [line.get(h, "") for h in BUDGET_HEADERS_TAIL] for line in lines]


def funding_rows(parent_id: str, lines: list[dict], tail: list[str]) -> list[list]:
    return [[parent_id] + [line.get(h, "") for h in tail] for line in lines]


def main(argv: list[str]) -> int:
    """Write the sample into argv[1] (default inputs/); with --legacy, in the format before the donor register
    (free-text sources and a status, no stage, dates, instrument or donors.csv): the same money, older sheets."""
    legacy = "--legacy" in argv
    argv = [a for a in argv if a != "--legacy"]
    out = Path(argv[1] if len(argv) > 1 else "inputs")
    (out / "workplans").mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)

    activities = build_workplans(rng)
    tasks = build_tasks(rng)
    if not legacy:
        for pid, items in activities.items():
            for a in items:
                for line in a["funding"]:
                    pipeline(line, pid, a["start"], a["end"])
        for t in tasks:
            for line in t["funding"]:
                pipeline(line, None, t["start"], t["end"])
        write_csv(out / "donors.csv", ["id", "name", "name_fr", "name_es", "kind", "country", "parent", "partner_id",
                                       "aliases"], register_rows())
    funding_tail = LEGACY_FUNDING_HEADERS_TAIL if legacy else FUNDING_HEADERS_TAIL

    (out / "settings.json").write_text(json.dumps(SETTINGS, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_csv(out / "fx_rates.csv", ["currency", "rate", "date", "source"],
              [dict(currency=c, rate=r, date=AS_AT.isoformat(), source=FX_SOURCE) for c, r in FX_RATES.items()])
    write_csv(out / "partners.csv",
              ["id", "name", "short_name", "taxa", "themes", "regions", "countries", "non_party_countries",
               "contact/name", "contact/role", "contact/email", "expertise", "languages", "agreement_date"],
              build_partner_rows(activities))
    write_csv(out / "priorities.csv",
              ["id", "kind", "title", "cop", "addressed_to", "strategic_plan_targets", "taxa", "regions",
               "instrument", "rank"], build_priorities())

    wb = Workbook()
    add_sheet(wb, "Tasks", TASK_HEADERS,
              [[t["id"], t["priority_ids"], t["title"], t["description"], t["unit"], t["start"], t["end"]]
               for t in tasks], first=True)
    add_sheet(wb, "Budget", ["task_id"] + BUDGET_HEADERS_TAIL,
              [row for t in tasks for row in budget_rows(t["id"], t["budget"])])
    add_sheet(wb, "Funding", ["task_id"] + funding_tail,
              [row for t in tasks for row in funding_rows(t["id"], t["funding"], funding_tail)])
    save_workbook(wb, out / "secretariat_tasks.xlsx")

    for p in PARTNERS:
        wb = Workbook()
        rows = []
        for a in activities[p["id"]]:
            m = a["match_offer"] or {}
            rows.append([a["id"], a["partner_id"], a["priority_ids"], a["title"], a["description"], a["countries"],
                         a["start"], a["end"], a["status"], m.get("up_to", ""), m.get("currency", ""),
                         m.get("ratio", ""), m.get("expires", ""), m.get("note", "")])
        add_sheet(wb, "Activities", ACTIVITY_HEADERS, rows, first=True)
        add_sheet(wb, "Budget", ["activity_id"] + BUDGET_HEADERS_TAIL,
                  [row for a in activities[p["id"]] for row in budget_rows(a["id"], a["budget"])])
        add_sheet(wb, "Funding", ["activity_id"] + funding_tail,
                  [row for a in activities[p["id"]] for row in funding_rows(a["id"], a["funding"], funding_tail)])
        save_workbook(wb, out / "workplans" / f"{p['id']}.xlsx")

    n_act = sum(len(v) for v in activities.values())
    print(f"Wrote {out}/: {len(PARTNERS)} partners, {len(PRIORITIES)} priorities, {len(tasks)} tasks, "
          f"{n_act} activities.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
