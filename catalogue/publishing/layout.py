"""The outputs folder's layout: every file and folder name under OUTPUTS, spelled here and nowhere else.

A newcomer moving where packs are written changes one line here (tests/house checks that no other module
spells one). Releases, links and caches are publishing/releases.py's; the caches are safe to delete.
"""

from __future__ import annotations

from pathlib import Path

# Output file names are a contract (DESIGN.md): tests, packs and users rely on them.
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_XLSX = "catalogue.xlsx"
CATALOGUE_PDF = "catalogue.pdf"
VALIDATION_DIR = "validation"
PACKS_DIR = "packs"  # OUTPUTS/packs/<donor id>.pdf|.xlsx
STATEMENTS_DIR = "statements"  # OUTPUTS/statements/<partner id>.pdf|.xlsx
EDITION_FILE = ".edition"  # in packs/ and statements/: the edition id of the catalogue they were made from
IATI_DIR = "iati"  # OUTPUTS/iati/: the programme as IATI 2.03 XML (render/iati/)
IATI_ACTIVITIES = "activities.xml"  # in iati/: every activity and Secretariat task
IATI_ORGANISATION = "organisation.xml"  # in iati/: the publisher and its budget per year
LOGO_DIR = "logo"  # OUTPUTS/logo/<file>: the publisher's logo as settings.json names it (inputs/logo.py)
DATA_PACKAGE_DIR = "datapackage"  # OUTPUTS/datapackage/: CSV tables and datapackage.json (render/data_package.py)
TEMPLATES_OUT_DIR = "templates"  # OUTPUTS/templates/<partner id>.xlsx: a partner's pre-filled workbook
# Every release whole in its own folder (publishing/releases.py), the top-level names links into the current one.
RELEASES_DIR = ".releases"  # OUTPUTS/.releases/<stamp>/
CURRENT_LINK = ".current"  # OUTPUTS/.current -> .releases/<stamp>
FINGERPRINT_FILE = ".fingerprint"  # in a release: what it was built from (the up-to-date check)
CACHE_DIR = ".cache"  # OUTPUTS/.cache/<kind>/: each safe to delete (a cache only ever saves time)
PDF_PARTS_CACHE = Path(CACHE_DIR) / "pdf-parts"  # catalogue.pdf's parts, by content
INPUTS_MEMO_CACHE = Path(CACHE_DIR) / "inputs"  # each input file's reading and checks, by name and bytes
PACKS_CACHE = Path(CACHE_DIR) / "packs"  # donor packs, by what each was made from
EDITIONS_CACHE = Path(CACHE_DIR) / "editions"  # each release's edition summary
