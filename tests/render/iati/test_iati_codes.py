"""Every code the IATI files may use is in its official 2.03 codelist."""

from __future__ import annotations

from catalogue.render.iati import iati_codes as codes
from tests.render.iati.iati_standard import codelist


def test_every_code_is_in_its_codelist() -> None:
    assert set(codes.ACTIVITY_STATUS.values()) <= codelist("ActivityStatus")
    assert set(codes.ORGANISATION_TYPE.values()) | {codes.REPORTING_ORG_TYPE, codes.PARTNER_ORG_TYPE} <= codelist(
        "OrganisationType")
    assert set(codes.REGION.values()) <= codelist("Region")
    assert codes.SECTOR_BIODIVERSITY in codelist("Sector")
    assert codes.POLICY_MARKER_BIODIVERSITY in codelist("PolicyMarker")
    assert codes.SIGNIFICANCE_PRINCIPAL in codelist("PolicySignificance")
    assert {codes.ROLE_FUNDING, codes.ROLE_ACCOUNTABLE, codes.ROLE_IMPLEMENTING} <= codelist("OrganisationRole")
    assert {codes.TRANSACTION_INCOMING_FUNDS, codes.TRANSACTION_INCOMING_COMMITMENT} <= codelist("TransactionType")
    assert {codes.BUDGET_ORIGINAL, codes.BUDGET_REVISED} <= codelist("BudgetType")
    assert codes.BUDGET_INDICATIVE in codelist("BudgetStatus")
    assert {codes.DATE_PLANNED_START, codes.DATE_ACTUAL_START, codes.DATE_PLANNED_END,
            codes.DATE_ACTUAL_END} <= codelist("ActivityDateType")


def test_every_region_of_the_schemas_has_a_dac_region() -> None:
    import json

    from tests.render.conftest import REPO

    regions = json.loads((REPO / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]["region"]["enum"]
    assert set(regions) == set(codes.REGION)
