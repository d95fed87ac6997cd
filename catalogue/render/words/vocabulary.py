"""Closed vocabularies as a reader's words: the model's and the schemas' codes, mapped to English msgids.

Every word here is translated when rendered (render/i18n.Formatter); the tests
extract each N_() call to check that French and Spanish have it.
"""

from __future__ import annotations

from catalogue.issues import N_

# Model status codes (model.STATUSES) as the words a reader sees.
STATUS_TEXT = {
    "unfunded": N_("unfunded"),
    "partly_funded": N_("partly funded"),
    "fully_funded": N_("fully funded"),
    "over_committed": N_("over-committed"),
}

# Closed vocabularies of the input schemas (codes, not partner text), as a reader's words.
KIND_TEXT = {
    "resolution": N_("resolution"),
    "decision": N_("decision"),
    "concerted_action": N_("concerted action"),
    "action_plan": N_("action plan"),
    "programme_of_work": N_("programme of work"),
}
RANK_TEXT = {
    "core": N_("core"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "unranked": N_("unranked"),
}
# Headings of the methodology annex, by the model's methodology keys.
METHODOLOGY_TERMS = {
    "secured": N_("Secured"),
    "pledged": N_("Pledged"),
    "requested": N_("Requested"),
    "gap": N_("Gap"),
    "coverage": N_("Coverage"),
    "in_kind": N_("In kind"),
    "currency": N_("Currency"),
    "attribution": N_("Attribution"),
    "groupings": N_("Groupings"),
    "match": N_("Match offers"),
    "double_counting": N_("Double counting"),
    "languishing": N_("Languishing priorities"),
    "languishing_threshold": N_("Languishing threshold"),
    "timing": N_("Open and delivered work"),
    "years": N_("Years"),
    "cofunding": N_("Co-funding"),
    "display": N_("Figures for reading"),
}
SOURCE_TYPE_TEXT = {
    "core_budget": N_("core budget"),
    "voluntary_contribution": N_("voluntary contribution"),
    "partner_own_funds": N_("partner's own funds"),
    "match": N_("match funding"),
    "other": N_("other"),
    "in_kind": N_("in kind"),
}

# Statement vocabularies (schema codes).
IMPLEMENTATION_TEXT = {
    "planned": N_("planned"),
    "ongoing": N_("ongoing"),
    "completed": N_("completed"),
    "suspended": N_("suspended"),
}
# Kinds of donor in the register (schemas/donor_register.schema.json), and a source no register entry names.
DONOR_KIND_TEXT = {
    "government": N_("government"), "multilateral": N_("multilateral"), "foundation": N_("foundation"),
    "private": N_("private"), "partner_own_funds": N_("partner's own funds"), "cms_trust_fund": N_("CMS Trust Fund"),
    "other": N_("other"), "unregistered": N_("not in the register"),
}
STAGE_TEXT = {"requested": N_("requested"), "pledged": N_("pledged"), "committed": N_("committed"), "paid": N_("paid")}
INSTRUMENT_TEXT = {"grant": N_("grant"), "loan": N_("loan"), "in_kind": N_("in kind"), "guarantee": N_("guarantee"),
                   "equity": N_("equity")}
EARMARKING_TEXT = {"unearmarked": N_("unearmarked"), "softly_earmarked": N_("softly earmarked"),
                   "earmarked": N_("earmarked"), "tightly_earmarked": N_("tightly earmarked")}
# Whether work can still be funded (model/timing.py).
TIMING_TEXT = {"open": N_("open"), "past": N_("delivered"), "suspended": N_("suspended")}
# Whether a match offer counts now (model/leverage.py).
OFFER_STANDING_TEXT = {
    "counted": N_("counted"),
    "not-open": N_("not counted: the work is no longer open"),
    "expired": N_("not counted: the offer has expired"),
    "no-gap": N_("not counted: nothing is left to fund"),
}
LINE_KIND_TEXT = {"cash": N_("cash"), "staff_time": N_("staff time"), "meetings": N_("meetings")}
LINE_STATUS_TEXT = {"confirmed": N_("confirmed"), "pledged": N_("pledged"), "requested": N_("requested")}

# Donor-pack match reasons: a kind and its values (schema codes or the donor's own words).
MATCH_REASON_TEXT = {
    "taxon": N_("taxon"),
    "region": N_("region"),
    "country": N_("country"),
    "target": N_("Strategic Plan target"),
    "instrument": N_("instrument"),
    "keyword": N_("keyword"),
}
FIXED_MATCH_REASONS = {
    ("ticket", ("within",)): N_("fits ticket size"),
    ("ticket", ("above",)): N_("gap above largest grant: can part-fund"),
    ("match", ()): N_("partner matches donor money"),
}
# "taxon: birds; keyword: bustard": a reason kind and its values, and what separates two reasons
# (French sets a no-break space before the colon and the semicolon).
MATCH_REASON_PAIR = N_("%(kind)s: %(values)s")
MATCH_REASON_SEPARATOR = N_("; ")

# Taxon groups and CMS regions (schemas/common.schema.json): codes typed in English, shown in the reader's words.
TAXON_TEXT = {
    "birds": N_("birds"), "aquatic mammals": N_("aquatic mammals"), "terrestrial mammals": N_("terrestrial mammals"),
    "bats": N_("bats"), "marine turtles": N_("marine turtles"), "fish": N_("fish"), "insects": N_("insects"),
}
REGION_TEXT = {
    "Africa": N_("Africa"), "Asia": N_("Asia"), "Europe": N_("Europe"), "North America": N_("North America"),
    "Oceania": N_("Oceania"),
    "South and Central America and the Caribbean": N_("South and Central America and the Caribbean"),
    "Global": N_("Global"),
}
# The Strategic Plan for Migratory Species 2015-2023 (UNEP/CMS Resolution 11.2), whose 16 targets the priorities
# name by number: each with a short name, so a reader sees what "Target 7" is about.
STRATEGIC_PLAN = N_("Strategic Plan for Migratory Species 2015–2023")
TARGET_TEXT = {
    1: N_("awareness of the values of migratory species"),
    2: N_("values of migratory species in development planning"),
    3: N_("governance for migratory species improved"),
    4: N_("harmful incentives removed"),
    5: N_("sustainable production and consumption"),
    6: N_("fisheries and hunting without harm"),
    7: N_("pressures reduced to safe levels"),
    8: N_("conservation status improved"),
    9: N_("cooperation along migration systems"),
    10: N_("critical habitats and sites conserved"),
    11: N_("ecosystem services maintained"),
    12: N_("genetic diversity safeguarded"),
    13: N_("migratory species in national biodiversity plans"),
    14: N_("traditional knowledge respected"),
    15: N_("knowledge and capacity improved"),
    16: N_("resources mobilised"),
}
TARGET_NAMED = N_("Target %(target)s: %(name)s")
ADDRESSEE_TEXT = {
    "Parties": N_("Parties"), "Secretariat": N_("Secretariat"), "Scientific Council": N_("Scientific Council"),
    "Standing Committee": N_("Standing Committee"), "Partners": N_("Partners"), "Range States": N_("Range States"),
}
