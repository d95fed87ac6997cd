"""The donor-packs flow: one tailored pack (PDF and XLSX extract) per donor profile, rendered side by side.

model -> match every donor (pure, quick) -> one render task per donor on the
chosen task runner -> publish all packs at once into OUTPUTS/packs/. The
content-keyed cache of rendered packs is catalogue/publishing/pack_cache.py.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote  # the model is large: Prefect need not walk it (stages.py)

from catalogue import config
from catalogue.issues import DataIssue, Location, issue
from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import RunResult, refused, result_of, unknown_id
from catalogue.publishing.editions import changes_as_at, edition_id_of
from catalogue.publishing.pack_cache import (
    PACKS_DIR,
    PackJob,
    RenderedPack,
    pack_file_names,
    pack_key,
    packs_fingerprint,
    packs_writer,
    prune_cache,
    published_pack_files,
    render_into_cache,
)
from catalogue.publishing.releases import publish_or_explain
from catalogue.views.donor_pack import DonorPack, UnknownDonorCurrency, match_gaps
from catalogue.views.donor_since import last_met_of, since_we_met

from .build import model_in_flow, report_failure
from .progress import step
from .runners import RUNNERS, task_runner


def with_since_we_met(pack: DonorPack, donor: dict[str, Any], outputs: Path,
                      compared: dict[date, dict[str, Any] | None]) -> DonorPack:
    """The pack with its "Since we last met" page: the published catalogue against the edition as at `last_met`."""
    last_met = last_met_of(donor)
    if last_met is not None and last_met not in compared:
        compared[last_met] = changes_as_at(outputs, last_met)  # once per date: donors met the same day share it
    changes = compared.get(last_met) if last_met is not None else None
    return dataclasses.replace(pack, since_we_met=since_we_met(pack, last_met, changes))


@task(name="match-donors", cache_policy=NO_CACHE)
def match_donors_task(catalogue: Catalogue, donors: list[dict[str, Any]], outputs: Path | None = None,
                      edition_id: str = "") -> tuple[list[PackJob], list[DataIssue]]:
    """Every donor's pack (pure and quick), or why it cannot be made; each names the edition it was made from."""
    step("Matching gaps to donor profiles")
    jobs, problems = [], []
    compared: dict[date, dict[str, Any] | None] = {}
    for donor in donors:
        try:
            pack = match_gaps(catalogue, donor)
        except UnknownDonorCurrency as err:
            problems.append(issue("donor-currency-unknown", Location(file=f"donors/{donor['id']}.json"), str(err)))
            continue
        if outputs is not None:
            pack = with_since_we_met(pack, donor, outputs, compared)
        pack = dataclasses.replace(pack, edition_id=edition_id)
        jobs.append(PackJob(pack, pack_key(donor, pack)))
    return jobs, problems


@task(name="render-pack", cache_policy=NO_CACHE, task_run_name="render-pack-{job.pack.donor_id}")
def render_pack_task(job: PackJob, cache_root: str) -> RenderedPack:
    return render_into_cache(job, Path(cache_root))


def render_packs(jobs: list[PackJob], cache_root: str, runner: Any) -> list[RenderedPack]:
    """Fan out: one render task per donor on `runner`, inside the calling flow.

    The jobs go to the tasks directly, not as parameters of a subflow: Prefect
    stores flow parameters on the server (at most 512 KiB), and fifty packs
    are more than that.
    """
    with runner:
        futures = [runner.submit(render_pack_task, {"job": job, "cache_root": cache_root}) for job in jobs]
        return [f.result() for f in futures]


def unchanged_packs(inputs: Path, outputs: Path, donor: str | None) -> RunResult | None:
    """The packs already published for exactly these inputs, code and donor, if so."""
    from catalogue.issues import Report

    files = published_pack_files(outputs, packs_fingerprint(inputs, donor))
    if files is None:
        return None
    return RunResult(report=Report(), outputs=tuple(str(p) for p in files),
                     validation_dir=str(outputs / config.VALIDATION_DIR), up_to_date=True)


@task(name="publish-packs", cache_policy=NO_CACHE)
def publish_packs_task(outputs: Path, rendered: list[RenderedPack], only: str | None,
                       fingerprint: str, edition_id: str) -> tuple[list[Path], str]:
    step("Publishing the packs")
    writer = packs_writer(outputs, rendered, only, fingerprint, edition_id)
    _, problem = publish_or_explain(outputs, {PACKS_DIR: writer}, (PACKS_DIR,), keep_fingerprint=True)
    if problem:
        return [], problem
    return [outputs / PACKS_DIR / name for r in rendered for name in pack_file_names(r.donor_id)], ""


def _donors_wanted(donors: list[dict[str, Any]], donor: str | None, inputs: Path) -> DataIssue | None:
    """Why no pack can be made for what was asked, if so."""
    if donor is not None and not any(d["id"] == donor for d in donors):
        return unknown_id("--donor", donor, sorted(d["id"] for d in donors), str(inputs / "donors"))
    if not donors:
        return issue("donors-none", Location(file=str(inputs / "donors")), "There are no donor profiles to make packs for.",
                     "Add one JSON file per donor (see schemas/donor.schema.json).")
    return None


@flow(name="donor-packs", log_prints=False)
def donor_packs(inputs: str = "inputs", outputs: str = "outputs", donor: str | None = None,
                runner: str = "process", dask_address: str | None = None, force: bool = False) -> RunResult:
    """Write a tailored pack (PDF and XLSX) for every donor profile, or only `donor`, into OUTPUTS/packs/.

    Packs are rendered one task per donor on `runner` (process, thread, dask)
    and published together; an unchanged pack is reused from OUTPUTS/.cache/packs/.
    """
    if runner not in RUNNERS:
        raise ValueError(f"Unknown runner {runner!r}: choose one of {', '.join(RUNNERS)}")
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    if not force and (unchanged := unchanged_packs(inputs_path, outputs_path, donor)) is not None:
        step("Already up to date")
        return unchanged
    model = model_in_flow(inputs_path, outputs_path)
    if model.catalogue is None:
        return report_failure(model, outputs_path, inputs_path)
    donors = [record.data for record in model.gate.valid_records["donor"]]
    if (problem := _donors_wanted(donors, donor, inputs_path)) is not None:
        return refused(outputs_path, problem, usage=donor is not None, report=model.report)
    edition = edition_id_of(catalogue_to_json(model.catalogue))
    jobs, problems = match_donors_task(catalogue=quote(model.catalogue),
                                       donors=[d for d in donors if donor is None or d["id"] == donor],
                                       outputs=outputs_path, edition_id=edition)
    if problems:
        model.report.extend(problems)
        return result_of(model.report, outputs_path, catalogue=model.catalogue)
    step(f"Rendering {len(jobs)} donor pack(s)")
    cache_root = str(outputs_path / config.PACKS_CACHE)
    rendered = render_packs(jobs, cache_root, task_runner(runner, dask_address))
    published, failure = publish_packs_task(outputs_path, rendered, donor, packs_fingerprint(inputs_path, donor), edition)
    if donor is None and not failure:
        prune_cache(Path(cache_root), {Path(r.folder).name for r in rendered})
    return result_of(model.report, outputs_path, published, model.catalogue, failure)
