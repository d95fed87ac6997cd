"""The catalogue model as catalogue.json holds it: money as exact decimal strings, dates as ISO text, reasons as
codes with their English text beside them (schemas/catalogue.schema.json)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.model.catalogue import Catalogue
from catalogue.model.reasons import Reason
from catalogue.money import CENT

# Reporting-currency amounts: always two decimals. Original amounts keep exactly what was typed.
_MONEY_FIELDS = {"required", "secured", "pledged", "requested", "surplus", "gap", "gap_if_pledged",
                 "amount", "up_to", "cofunding_cash", "cofunding_in_kind", "cofunding_total", "confirmed",
                 "donor_to_unlock", "match_available", "cash", "in_kind", "match", "cofunding_surplus",
                 "committed", "paid", "family_committed", "family_paid", "family_pledged", "family_requested", "raised"}


def _reason_code(reason: Reason) -> dict[str, Any]:
    return {"code": reason.code, "params": dict(reason.params)}


def _plain_field(out: dict[str, Any], name: str, item: Any) -> None:
    """One field into `out`. Reasons keep their English text under the field's own name (as before codes
    existed) and add their codes beside it: `reason` -> `reason_code`, `reasons` -> `reason_codes`."""
    if name == "figures":
        out.update(_plain(item))  # figures sit flat on every budgeted object
    elif isinstance(item, Reason):
        out[name] = item.text
        out[f"{name}_code"] = _reason_code(item)
    elif isinstance(item, tuple) and item and all(isinstance(r, Reason) for r in item):
        out[name] = [r.text for r in item]
        out[f"{name.removesuffix('s')}_codes"] = [_reason_code(r) for r in item]
    else:
        out[name] = _plain(item, name)


def _plain(value: Any, name: str = "") -> Any:
    """Dataclasses into JSON-ready values: money as exact decimal strings, dates as ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            _plain_field(out, f.name, getattr(value, f.name))
        return out
    if isinstance(value, Decimal):
        if name in _MONEY_FIELDS:
            return str(value.quantize(CENT))
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v, name) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    return value


def catalogue_to_json(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as catalogue.json holds it (schemas/catalogue.schema.json)."""
    return {"schema_version": "1.2.0", **_plain(catalogue)}
