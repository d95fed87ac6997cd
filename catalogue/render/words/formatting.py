"""Locale-aware display of the model's figures (babel): money, coverage, dates, status words.

These helpers only format what the model already holds. They never add,
subtract or convert; the figures arrive as Decimals in the reporting
currency, rounded to the cent by the budget stage.

Money display rule for the PDF:
- Tables and per-item figures show whole units of the reporting currency,
  rounded half-even from the model's cents. Donors read magnitudes; cents in
  every cell make the tables hard to scan, and a row of rounded numbers is
  never summed on the page (the totals are the model's own sums).
- The headline totals block ("At a glance") shows full cents, so that a
  reader can reconcile it to the cent with catalogue.json and the workbook.
Call `money(..., cents=True)` for the headline block only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from catalogue.money import CENT
from catalogue.render.words.vocabulary import STATUS_TEXT

WHOLE = Decimal("1")
NO_VALUE = "—"  # em dash: shown where a figure does not apply (e.g. coverage with nothing required)


def _code_pattern(locale: str, cents: bool) -> str:
    """The locale's currency pattern with the ISO code (¤¤) in place of the symbol.

    Babel adds no space between a code and the digits ("USD1,234"), so the
    pattern puts a no-break space there; the code stays on the number's line.
    """
    standard = Locale.parse(locale).currency_formats["standard"].pattern
    number = "#,##0.00" if cents else "#,##0"
    if standard.lstrip().startswith("¤"):
        return f"¤¤\u00a0{number}"
    return f"{number}\u00a0¤¤"


def money(amount: Decimal, currency: str, locale: str, *, cents: bool = False) -> str:
    """An amount with its ISO currency code, e.g. "USD 1,234,568" (whole units) or "USD 1,234,567.50".

    Whole units are rounded half-even from the model's cents; see the module docstring.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"money() takes a Decimal, not {type(amount).__name__}")
    quantum = CENT if cents else WHOLE
    shown = amount.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return format_currency(shown, currency, format=_code_pattern(locale, cents), locale=locale,
                           currency_digits=False)


def amount(value: Decimal, locale: str, *, cents: bool = False) -> str:
    """An amount without its currency code, for table cells whose header names the currency.

    Same rounding as money(): whole units half-even unless `cents`.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"amount() takes a Decimal, not {type(value).__name__}")
    quantum = CENT if cents else WHOLE
    shown = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return format_decimal(shown, format="#,##0.00" if cents else "#,##0", locale=locale)


def number(value: Decimal | int, locale: str) -> str:
    """A plain number with the locale's grouping (counts, ratios, FX rates), keeping every decimal given."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=locale)


def percent_pattern(locale: str, decimals: int = 2) -> str:
    """The locale's own percent pattern ("#,##0%" in en, "#,##0\u00a0%" in fr) with `decimals` places."""
    standard = Locale.parse(locale).percent_formats[None].pattern
    places = "." + "0" * decimals if decimals else ""
    return standard.replace("#,##0", "#,##0" + places, 1) if "#,##0" in standard else f"#,##0{places}%"


def percent(coverage: Decimal | None, locale: str) -> str:
    """Coverage (a ratio with four decimals) as a percentage to 0.01 % in the locale's style, or "—" when nothing is required."""
    if coverage is None:
        return NO_VALUE
    return format_percent(coverage, format=percent_pattern(locale), locale=locale)


def bar_width(coverage: Decimal | None) -> str:
    """A CSS width for the coverage bar ("42.48%"); layout, not a figure anyone reads."""
    if coverage is None:
        return "0%"
    shown = min(max(coverage, Decimal(0)), Decimal(1)) * 100
    return f"{shown.quantize(CENT, rounding=ROUND_HALF_EVEN)}%"


def date_text(d: date | None, locale: str) -> str:
    """A date as the locale writes it in full ("June 30, 2025" in en), or "—"."""
    if d is None:
        return NO_VALUE
    return format_date(d, format="long", locale=locale)


def period_text(start: date, end: date, locale: str) -> str:
    """A compact period for table cells: "Jan 2024 – Dec 2025".

    Each month stays whole and the dash stays with the first one (no-break spaces),
    so a narrow cell breaks only after the dash.
    """
    def month(d: date) -> str:
        return format_date(d, "MMM y", locale=locale).replace(" ", "\u00a0")
    return f"{month(start)}\u00a0– {month(end)}"


def status_text(status: str) -> str:
    """The reader's word for a model status code; an unknown code is shown as it is."""
    return STATUS_TEXT.get(status, status.replace("_", " "))


def code_text(code: str | None, vocabulary: dict[str, str]) -> str:
    """A code from a closed vocabulary as its English words (a msgid), "—" when absent, unknown codes as words."""
    if not code:
        return NO_VALUE
    return vocabulary.get(code, code.replace("_", " "))


def multiple(value: Decimal | None, locale: str) -> str:
    """A leverage ratio as the locale writes it with a multiplication sign: "2.50×", or "—"."""
    if value is None:
        return NO_VALUE
    return number(value, locale) + "\u00d7"


def words(code: str | None) -> str:
    """A snake_case code as words: "concerted_action" -> "concerted action"."""
    return NO_VALUE if not code else code.replace("_", " ")


def listing(items: Iterable[object]) -> str:
    """A tuple of values as one comma-separated line, or "—" when empty."""
    text = ", ".join(str(i) for i in items if i not in (None, ""))
    return text or NO_VALUE
