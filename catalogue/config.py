"""Configuration in one place: where things live, output names, languages, limits and plausibility bands.

The edition-wide settings a catalogue is built with (inputs/settings.json) are data: catalogue/inputs/settings.py.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

# Rounding (once, half-even, to the cent; coverage to 0.01 %) is defined in catalogue.money.
# Re-exported here for code that still imports it from config.
from catalogue.money import CENT as CENT
from catalogue.money import COVERAGE_QUANTUM as COVERAGE_QUANTUM

# The repository root holds schemas/ and templates/ (DESIGN.md fixes that layout).
# CATALOGUE_HOME lets an installed copy point at them explicitly.
PROJECT_ROOT = Path(os.environ.get("CATALOGUE_HOME", Path(__file__).resolve().parents[1]))
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUTPUTS = Path("outputs")

# Output file names are a contract (DESIGN.md): tests, packs and users rely on them.
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_XLSX = "catalogue.xlsx"
CATALOGUE_PDF = "catalogue.pdf"
VALIDATION_DIR = "validation"
PACKS_DIR = "packs"  # OUTPUTS/packs/<donor id>.pdf|.xlsx
STATEMENTS_DIR = "statements"  # OUTPUTS/statements/<partner id>.pdf|.xlsx
EDITION_FILE = ".edition"  # in packs/ and statements/: the edition id of the catalogue they were made from
TEMPLATES_OUT_DIR = "templates"  # OUTPUTS/templates/<partner id>.xlsx: a partner's pre-filled workbook
# The publishing layout under OUTPUTS (publishing/releases.py): every release whole in its own folder, the
# top-level names links into the current one. Spelled here only (tests/house checks it).
RELEASES_DIR = ".releases"  # OUTPUTS/.releases/<stamp>/
CURRENT_LINK = ".current"  # OUTPUTS/.current -> .releases/<stamp>
FINGERPRINT_FILE = ".fingerprint"  # in a release: what it was built from (the up-to-date check)
CACHE_DIR = ".cache"  # OUTPUTS/.cache/<kind>/: each safe to delete (a cache only ever saves time)
PDF_PARTS_CACHE = Path(CACHE_DIR) / "pdf-parts"  # catalogue.pdf's parts, by content
INPUTS_MEMO_CACHE = Path(CACHE_DIR) / "inputs"  # each input file's reading and checks, by name and bytes
PACKS_CACHE = Path(CACHE_DIR) / "packs"  # donor packs, by what each was made from
EDITIONS_CACHE = Path(CACHE_DIR) / "editions"  # each release's edition summary

# Processes laying out catalogue.pdf's parts (publishing/catalogue_pdf.py); 1 lays them out in the build's own.
PDF_WORKERS = max(1, int(os.environ.get("CATALOGUE_PDF_WORKERS") or os.cpu_count() or 1))

# Languages the fixed labels exist in (templates/i18n/<lang>/): the PDF, packs, statements and workbooks.
LANGUAGES = ("en", "fr", "es")

# Bounds on what the loader will read, so a hostile or broken file fails fast.
MAX_INPUT_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS_PER_SHEET = 200_000
# An .xlsx is a zip: refuse one that would unpack to more than this, or that is packed suspiciously tightly
# (a "zip bomb"), before any XML is parsed.
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 200
# A sheet's values may reach this many columns (ALL); a stray value beyond is refused by name, before any reading,
# since a reader would otherwise build the whole rectangle up to it.
MAX_COLUMNS_PER_SHEET = 1_000
# JSON nests a few levels in a real input; deeper is refused before Python's recursive decoder sees it.
MAX_JSON_DEPTH = 64


# A staff-time or meeting day rate, per person-day in the reporting currency, outside
# this band is probably a monthly or yearly figure, or typed in the wrong currency
# (a warning, day-rate-implausible: the catalogue still publishes it).
PLAUSIBLE_DAY_RATE_MIN = Decimal("20")
PLAUSIBLE_DAY_RATE_MAX = Decimal("3000")
# One budget or funding line above this, in the reporting currency, is almost surely a typing slip (extra
# zeros, a figure in the wrong column): a warning, amount-implausible. CMS's whole programme is far below it.
MAX_PLAUSIBLE_LINE_AMOUNT = Decimal("100000000")
