"""Configuration in one place: where the code's files live, languages, limits and plausibility bands.

The outputs folder's layout (file and folder names under OUTPUTS) is publishing/layout.py.

The edition-wide settings a catalogue is built with (inputs/settings.json) are data: catalogue/inputs/settings.py.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

# The repository root holds schemas/ and templates/ (DESIGN.md fixes that layout).
# CATALOGUE_HOME lets an installed copy point at them explicitly.
PROJECT_ROOT = Path(os.environ.get("CATALOGUE_HOME", Path(__file__).resolve().parents[1]))
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUTPUTS = Path("outputs")

# Processes laying out catalogue.pdf's parts (render/pdf/layout_pool.py); 1 lays them out in the build's own.
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
