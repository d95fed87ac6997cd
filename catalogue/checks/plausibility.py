"""Checks that need a person's eye though every value fits the schema: settings that contradict the rates or
the period, a typed amount the budget will not use, an amount absurd for its line.

Plain Python over schema-valid records (no Great Expectations): each is one
pass over the lines, and each finding is located at the cell that caused it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalogue.config import MAX_PLAUSIBLE_LINE_AMOUNT
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import N_, DataIssue, figure, issue

_IN_KIND_KINDS = ("staff_time", "meetings")


def settings_issues(settings_record: Record, settings: CatalogueSettings, records: dict[str, list[Record]]) -> list[DataIssue]:
    """The reporting currency must have its row in the rates; "as at" should fall inside the catalogue period."""
    found: list[DataIssue] = []
    currencies = {r.data.get("currency") for r in records.get("fx_rate", [])}
    if records.get("fx_rate") and settings.reporting_currency not in currencies:
        found.append(issue("fx-reporting-currency-missing", settings_record.locate(("reporting_currency",)),
                           N_("The reporting currency %(currency)s has no row in the exchange rates, "
                              "so every figure would be labelled with a currency nobody converted to."),
                           N_("Add a row '%(currency)s,1' to fx_rates, or set reporting_currency to one of %(known)s."),
                           params={"currency": settings.reporting_currency,
                                   "known": ", ".join(sorted(c for c in currencies if isinstance(c, str)))},
                           value=settings.reporting_currency, field="reporting_currency"))
    if not settings.period_start <= settings.as_at <= settings.period_end:
        found.append(issue("as-at-outside-period", settings_record.locate(("as_at",)),
                           N_("The 'as at' date %(as_at)s is outside the catalogue period %(first)s to %(last)s."),
                           N_("Set as_at to the day the figures were collected, inside the period (or correct the period)."),
                           params={"as_at": settings.as_at, "first": settings.period_start, "last": settings.period_end},
                           value=str(settings.as_at), field="as_at"))
    return found


def _rates(records: dict[str, list[Record]], settings: CatalogueSettings) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for record in records.get("fx_rate", []):
        rate = record.data.get("rate")
        if isinstance(record.data.get("currency"), str) and isinstance(rate, Decimal | int):
            rates.setdefault(record.data["currency"], Decimal(rate))
    rates.setdefault(settings.reporting_currency, Decimal(1))
    return rates


def _absurd(record: Record, path: tuple[Any, ...], amount: Any, currency: Any, rates: dict[str, Decimal],
            settings: CatalogueSettings) -> DataIssue | None:
    rate = rates.get(currency) if isinstance(currency, str) else None
    if not isinstance(amount, Decimal | int) or rate is None or amount * rate <= MAX_PLAUSIBLE_LINE_AMOUNT:
        return None
    return issue("amount-implausible", record.locate(path),
                 N_("%(id)s: %(amount)s is more than %(limit)s on one line, which no activity here needs."),
                 N_("Check for extra zeros, or a figure typed in the wrong column or currency."),
                 params={"id": record.id, "amount": figure(amount, str(currency)),
                         "limit": figure(MAX_PLAUSIBLE_LINE_AMOUNT, settings.reporting_currency)},
                 value=str(amount), field="/".join(map(str, path)), record_id=record.id)


def _line_issues(record: Record, rates: dict[str, Decimal], settings: CatalogueSettings) -> list[DataIssue]:
    found: list[DataIssue] = []
    for index, line in enumerate(record.data.get("budget_lines", ())):
        if not isinstance(line, dict):
            continue
        path = ("budget_lines", index, "amount")
        if line.get("kind") in _IN_KIND_KINDS and line.get("amount") is not None:
            found.append(issue("amount-ignored", record.locate(path),
                               N_("%(id)s budget line %(line)s is in kind: its value is computed from its days and day "
                                  "rate, so the amount typed (%(amount)s) is not used."),
                               N_("Clear the amount cell, or make the line 'cash' if the amount is what it costs."),
                               params={"id": record.id, "line": line.get("line"), "amount": line["amount"]},
                               value=str(line["amount"]), field=f"budget_lines/{index}/amount", record_id=record.id))
        elif (absurd := _absurd(record, path, line.get("amount"), line.get("currency"), rates, settings)) is not None:
            found.append(absurd)
    for index, line in enumerate(record.data.get("funding_lines", ())):
        if isinstance(line, dict) and (absurd := _absurd(record, ("funding_lines", index, "amount"), line.get("amount"),
                                                         line.get("currency"), rates, settings)) is not None:
            found.append(absurd)
    return found


def line_issues(records: dict[str, list[Record]], settings: CatalogueSettings) -> list[DataIssue]:
    """A typed amount on an in-kind line (ignored by the budget), and amounts absurd for one line, for every item."""
    rates = _rates(records, settings)
    return [found for kind in ("secretariat_task", "workplan_activity") for record in records.get(kind, [])
            for found in _line_issues(record, rates, settings)]
