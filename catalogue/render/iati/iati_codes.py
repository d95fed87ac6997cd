"""The catalogue's words as IATI 2.03 codes (the official codelists; the tests check every code against them).

Why these codes: the catalogue funds work for migratory species, so every activity carries the DAC sector
41030 (Bio-diversity) and the Rio marker for biodiversity (policy marker 5, principal objective). The
Secretariat, administered within the UN, reports as a multilateral (organisation type 40).
"""

from __future__ import annotations

SECTOR_VOCABULARY_DAC = "1"
SECTOR_BIODIVERSITY = "41030"
POLICY_MARKER_VOCABULARY_DAC = "1"
POLICY_MARKER_BIODIVERSITY = "5"
SIGNIFICANCE_PRINCIPAL = "2"
REGION_VOCABULARY_DAC = "1"
REPORTING_ORG_TYPE = "40"  # multilateral
PARTNER_ORG_TYPE = "21"  # international NGO

ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_COMPLETION = "1", "2", "3"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
BUDGET_ORIGINAL, BUDGET_REVISED = "1", "2"
BUDGET_INDICATIVE = "1"
TRANSACTION_INCOMING_FUNDS, TRANSACTION_INCOMING_COMMITMENT = "1", "11"
DESCRIPTION_GENERAL = "1"

# The catalogue's implementation status -> ActivityStatus (1 pipeline, 2 implementation, 3 completion).
ACTIVITY_STATUS = {"planned": "1", "ongoing": "2", "completed": "3"}

# The donor register's kinds -> OrganisationType; a kind with no IATI equivalent gets no type.
ORGANISATION_TYPE = {"government": "10", "multilateral": "40", "foundation": "60", "private": "70",
                     "partner_own_funds": PARTNER_ORG_TYPE, "cms_trust_fund": "40"}

# The schemas' regions -> DAC regions (Region codelist, vocabulary 1). The DAC list has no code for the whole
# world; publishers use 998 (developing countries, unspecified) for global work, as here.
REGION = {"Africa": "298", "Asia": "798", "Europe": "89", "North America": "389", "Oceania": "889",
          "South and Central America and the Caribbean": "498", "Global": "998"}
