"""Money's rules, written once: zero, the cent, conversion, coverage and other ratios, and exact allocation.

Every amount a reader sees is converted once into the reporting currency and
rounded there, half-even, to the cent; everything above a line is a sum of
those rounded amounts. The budget stage works in whole cents (Python ints):
the conversion below is exact integer arithmetic (amount x rate as a fraction,
then one half-even division), so it equals `Decimal.quantize(ROUND_HALF_EVEN)`
on the exact product, and sums of ints cost a fraction of sums of Decimals.
Decimals appear again only where a figure leaves the model (`from_cents`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")  # the reporting currency's smallest unit: every converted amount is a whole number of these
COVERAGE_QUANTUM = Decimal("0.0001")  # coverage and shares keep four decimals (0.01 %)
LEVERAGE_QUANTUM = CENT  # match leverage keeps two decimals
ZERO_CENTS = Decimal("0.00")


def divide_half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to a whole number, ties to the even one (denominator > 0)."""
    quotient, remainder = divmod(numerator, denominator)  # floor division: the remainder is never negative
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient & 1):
        return quotient + 1
    return quotient


def convert_cents(amount: Decimal, rate: Decimal) -> int:
    """amount x rate in whole cents of the reporting currency, rounded once, half-even, from the exact product."""
    amount_num, amount_den = amount.as_integer_ratio()
    rate_num, rate_den = rate.as_integer_ratio()
    return divide_half_even(amount_num * rate_num * 100, amount_den * rate_den)


def from_cents(cents: int) -> Decimal:
    """Whole cents as a Decimal with two places (0 -> 0.00), the form every reporting amount takes."""
    return Decimal(cents).scaleb(-2) if cents else ZERO_CENTS


def to_cents(amount: Decimal) -> int:
    """A reporting amount (a whole number of cents by construction) as an int of cents."""
    return int(amount.scaleb(2))


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """Into the reporting currency: the one place an amount is rounded (half-even, to the cent)."""
    return from_cents(convert_cents(amount, rate))


def ratio(part: Decimal, whole: Decimal, quantum: Decimal = COVERAGE_QUANTUM) -> Decimal | None:
    """part / whole rounded half-even to `quantum`; None when the whole is zero (a ratio of nothing is not 0 %)."""
    if not whole:
        return None
    return (part / whole).quantize(quantum, rounding=ROUND_HALF_EVEN)


def coverage(secured: Decimal, required: Decimal) -> Decimal | None:
    """secured / required to 0.01 %; None when nothing is required."""
    return ratio(secured, required, COVERAGE_QUANTUM)


def divide_to_cent(amount: Decimal, divisor: Decimal) -> Decimal:
    """amount / divisor rounded half-even to the cent (e.g. the donor money a match offer needs: ceiling / ratio)."""
    return (amount / divisor).quantize(CENT, rounding=ROUND_HALF_EVEN)


def allocate_cents(cents: int, weights: Sequence[int]) -> list[int]:
    """Split whole cents in proportion to integer weights, exactly: floors first, the cents left over
    to the largest remainders, ties to the earlier share."""
    total_weight = sum(weights)
    if total_weight <= 0:
        raise ValueError("weights must add up to more than zero")
    if cents == 0:
        return [0] * len(weights)
    floors = [cents * w // total_weight for w in weights]
    left = cents - sum(floors)
    if left:
        remainders = [cents * w % total_weight for w in weights]
        # A reversed sort is still stable: equal remainders keep their order, so ties go to the earlier share.
        for index in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
            floors[index] += 1
    return floors


def allocate(amount: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """Split `amount` (a whole number of cents) in proportion to integer weights, exactly (see allocate_cents)."""
    return [from_cents(c) for c in allocate_cents(to_cents(amount), weights)]


def whole_units(values: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """Rows rounded to whole units so that they add up to the total rounded to whole units (half-even).

    Figures for reading: each row is its floor, and the units still missing go to the rows with the largest
    remainders (ties to the earlier row), as `allocate` shares cents. The rows must add up to `total` exactly
    (a grouping's rows do: model/groupings.py); otherwise each row is rounded alone.
    """
    if sum(values, ZERO) != total or any(v < 0 for v in values):
        return [v.quantize(Decimal(1), rounding=ROUND_HALF_EVEN) for v in values]
    target = int(total.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    floors = [int(v // 1) for v in values]
    left = target - sum(floors)
    remainders = [v - f for v, f in zip(values, floors, strict=True)]
    for index in sorted(range(len(values)), key=remainders.__getitem__, reverse=True)[:max(left, 0)]:
        floors[index] += 1
    return [Decimal(f) for f in floors]
