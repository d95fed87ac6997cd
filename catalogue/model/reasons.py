"""The model's findings as codes and parameters, and the English msgids that word them.

Languishing reasons, double-counting findings and donor-pack exclusions are
stored as Reason(code, params); a renderer translates the message of the code
(templates/i18n) and formats the parameters in its locale. Take from pandera:
reasons as codes, text made at report time, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalogue.issues import N_

# Every finding the model words for a reader, by code: English msgids with named parameters.
# The model keeps the code and the parameters (`Reason`); a renderer translates the message and
# formats the parameters in its locale. catalogue.json carries both the code and this English text.
REASON_MESSAGES: dict[str, str] = {
    # why a priority languishes (budget._languishing)
    "no-work": N_("no activity or Secretariat task addresses it"),
    "only-contributing": N_("only served by activities led under other priorities; no money counts here"),
    "no-open-work": N_("all its work is delivered or suspended; nothing is open to fund"),
    "no-confirmed-funding": N_("no confirmed funding"),
    "coverage-below-threshold": N_("coverage %(coverage)s is below the %(threshold)s threshold"),
    # money that may be counted twice (budget._double_counting)
    "grant-ref-shared": N_("the same grant reference is claimed by more than one activity or task"),
    "partner-counted-twice": N_("%(partner_id)s's money is counted by the Secretariat and by the partner itself "
                                "on the same priority"),
    # why a donor pack leaves an item out (views/donor_pack.py)
    "excluded-priority": N_("excluded priority"),
    "excluded-keyword": N_("excluded keyword: %(values)s"),
    "excluded-country": N_("excluded country: %(values)s"),
}
# Parameters that are ratios (0.1234), shown as percentages with this many decimals.
RATIO_PARAMS: dict[str, int] = {"coverage": 1, "threshold": 0}


@dataclass(frozen=True)
class Reason:
    """A finding as a code and its parameters (text made at report time, never stored).

    Parameters are text: ratios as exact decimals ("0.1770"), lists already joined
    ("birds, bats"), ids as they are. `text` is the English sentence, for
    catalogue.json and the log; renderers use the code and translate.
    """

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The English sentence, ratios as percentages: "coverage 17.7% is below the 25% threshold"."""
        return REASON_MESSAGES[self.code] % {name: english_param(name, value) for name, value in self.params}

    def __str__(self) -> str:
        return self.text


def english_param(name: str, value: str) -> str:
    """A parameter as the English sentence shows it: ratios as percentages ("17.7%"), the rest as it is."""
    if name in RATIO_PARAMS:
        return f"{Decimal(value) * 100:.{RATIO_PARAMS[name]}f}%"
    return value
