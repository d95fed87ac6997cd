"""The donor-packs flow: one tailored pack (PDF and XLSX extract) per donor profile, rendered side by side.

model -> match every donor (pure, quick) -> one render task per donor on the
chosen task runner -> publish all packs at once into OUTPUTS/packs/. The
content-keyed cache of rendered packs is catalogue/publishing/pack_cache.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from catalogue.api import (
    DataIssue,
    PackJob,
    RenderedPack,
    RunResult,
    cached_pack,
    check_cluster,
    donors_to_pack,
    edition_of,
    keep_pack,
    layout,
    pack_jobs,
    packs_fingerprint,
    packs_up_to_date,
    prune_cache,
    publish_packs,
    refused,
    render_pack_files,
    result_of,
)
from catalogue.model.catalogue import Catalogue

from .build import model_in_flow, report_failure
from .progress import step
from .runners import RUNNERS, task_runner
from .stages import unwalked


@task(name="match-donors", cache_policy=NO_CACHE)
def match_donors_task(catalogue: Catalogue, donors: list[dict[str, Any]], outputs: Path | None = None,
                      edition_id: str = "") -> tuple[list[PackJob], list[DataIssue]]:
    """Every donor's pack (pure and quick), or why it cannot be made; each names the edition it was made from."""
    step("Matching gaps to donor profiles")
    return pack_jobs(catalogue, donors, outputs, edition_id)


@task(name="render-pack", cache_policy=NO_CACHE, task_run_name="render-pack-{job.pack.donor_id}")
def render_pack_task(job: PackJob) -> dict[str, bytes]:
    """Lay one donor's pack out wherever the runner puts it (a Dask worker on another machine too): its files
    come back as bytes, and this process keeps them in the cache."""
    return render_pack_files(job)


def render_packs(jobs: list[PackJob], cache_root: str, runner: Any) -> list[RenderedPack]:
    """Fan out: one render task per donor whose pack the cache lacks, on `runner`, inside the calling flow.

    The jobs go to the tasks directly, not as parameters of a subflow: Prefect
    stores flow parameters on the server (at most 512 KiB), and fifty packs
    are more than that.
    """
    root = Path(cache_root)
    done = {job.key: found for job in jobs if (found := cached_pack(job, root)) is not None}
    todo = [job for job in jobs if job.key not in done]
    if todo:
        with runner:
            futures = [(job, runner.submit(render_pack_task, {"job": job})) for job in todo]
            for job, future in futures:
                done[job.key] = keep_pack(job, root, future.result())
    return [done[job.key] for job in jobs]


@task(name="publish-packs", cache_policy=NO_CACHE)
def publish_packs_task(outputs: Path, rendered: list[RenderedPack], only: str | None,
                       fingerprint: str, edition_id: str) -> tuple[list[Path], str]:
    """Switch OUTPUTS/packs/ to the rendered packs in one step: the files published, or why none was."""
    step("Publishing the packs")
    return publish_packs(outputs, rendered, only, fingerprint, edition_id)


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
    if not force and (unchanged := packs_up_to_date(inputs_path, outputs_path, donor)) is not None:
        step("Already up to date")
        return unchanged
    model = model_in_flow(inputs_path, outputs_path)
    if model.catalogue is None:
        return report_failure(model, outputs_path, inputs_path)
    donors, problem = donors_to_pack(model, donor, inputs_path)
    if problem is not None:
        return refused(outputs_path, problem, usage=donor is not None, report=model.report)
    edition = edition_of(model.catalogue)
    jobs, problems = match_donors_task(catalogue=unwalked(model.catalogue), donors=donors, outputs=outputs_path,
                                       edition_id=edition)
    if problems:
        model.report.extend(problems)
        return result_of(model.report, outputs_path, catalogue=model.catalogue)
    if runner == "dask" and dask_address:
        check_cluster(dask_address)  # a sentence (ClusterProblem), not a connection error mid-run
    step(f"Rendering {len(jobs)} donor pack(s)")
    cache_root = str(outputs_path / layout.PACKS_CACHE)
    rendered = render_packs(jobs, cache_root, task_runner(runner, dask_address))
    published, failure = publish_packs_task(outputs_path, rendered, donor, packs_fingerprint(inputs_path, donor), edition)
    if donor is None and not failure:
        prune_cache(Path(cache_root), {Path(r.folder).name for r in rendered})
    return result_of(model.report, outputs_path, published, model.catalogue, failure)
