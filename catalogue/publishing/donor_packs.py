"""Donor packs for a run: which donors, each one's pack matched to the catalogue, and the packs/ release.

Matching is pure and quick (views/donor_pack.py); rendering is cached by
content (pack_cache.py); publishing switches packs/ in one step.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from catalogue.issues import DataIssue, Location, issue
from catalogue.model.catalogue import Catalogue
from catalogue.publishing.edition_store import changes_as_at
from catalogue.publishing.layout import PACKS_DIR
from catalogue.publishing.pack_cache import PackJob, RenderedPack, pack_file_names, pack_key, packs_writer
from catalogue.publishing.releases import publish_or_explain
from catalogue.views.donor_pack import DonorPack, UnknownDonorCurrency, match_gaps
from catalogue.views.donor_since import last_met_of, since_we_met


def _with_since_we_met(pack: DonorPack, donor: dict[str, Any], outputs: Path,
                       compared: dict[date, dict[str, Any] | None]) -> DonorPack:
    """The pack with its "Since we last met" page: the published catalogue against the edition as at `last_met`."""
    last_met = last_met_of(donor)
    if last_met is not None and last_met not in compared:
        compared[last_met] = changes_as_at(outputs, last_met)  # once per date: donors met the same day share it
    changes = compared.get(last_met) if last_met is not None else None
    return dataclasses.replace(pack, since_we_met=since_we_met(pack, last_met, changes))


def pack_jobs(catalogue: Catalogue, donors: list[dict[str, Any]], outputs: Path | None = None,
              edition_id: str = "") -> tuple[list[PackJob], list[DataIssue]]:
    """Every donor's pack (pure and quick), or why it cannot be made; each names the edition it was made from."""
    jobs, problems = [], []
    compared: dict[date, dict[str, Any] | None] = {}
    for donor in donors:
        try:
            pack = match_gaps(catalogue, donor)
        except UnknownDonorCurrency as err:
            problems.append(issue("donor-currency-unknown", Location(file=f"donors/{donor['id']}.json"), str(err)))
            continue
        if outputs is not None:
            pack = _with_since_we_met(pack, donor, outputs, compared)
        pack = dataclasses.replace(pack, edition_id=edition_id)
        jobs.append(PackJob(pack, pack_key(donor, pack)))
    return jobs, problems


def no_pack_for(donors: list[dict[str, Any]], inputs: Path) -> DataIssue | None:
    """Why no pack can be made at all (no donor profile), if so."""
    if not donors:
        return issue("donors-none", Location(file=str(inputs / "donors")), "There are no donor profiles to make packs for.",
                     "Add one JSON file per donor (see schemas/donor.schema.json).")
    return None


def publish_packs(outputs: Path, rendered: list[RenderedPack], only: str | None, fingerprint: str,
                  edition_id: str) -> tuple[list[Path], str]:
    """Switch OUTPUTS/packs/ to the rendered packs in one step; the files published, or why none was."""
    writer = packs_writer(outputs, rendered, only, fingerprint, edition_id)
    _, problem = publish_or_explain(outputs, {PACKS_DIR: writer}, (PACKS_DIR,), keep_fingerprint=True)
    if problem:
        return [], problem
    return [outputs / PACKS_DIR / name for r in rendered for name in pack_file_names(r.donor_id)], ""
