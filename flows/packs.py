"""The donor_packs flow: one tailored pack (PDF and XLSX extract) per donor profile, rendered side by side.

model -> match every donor (pure, quick) -> one render task per donor on the
chosen task runner -> publish all packs at once into OUTPUTS/packs/.

Rendering is cached by content: a pack's key is the SHA-256 of the code
fingerprint (code, templates, schemas), the donor's profile and the pack's
own content (every figure and text it shows; there is no build time in it).
Rendered files live in OUTPUTS/.cache/packs/<key>/ and are reused while the
key matches; change one amount that a pack shows and its key changes, so a
cache entry can never be stale. The folder is safe to delete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from catalogue.model.catalogue import Catalogue
from catalogue.publishing.fingerprint import FINGERPRINT_FILE, build_fingerprint, code_fingerprint
from catalogue.publishing.releases import CURRENT, publish_or_explain
from catalogue.views.donor_pack import DonorPack, UnknownDonorCurrency, match_gaps

from .build import BuildSummary, failed_summary, model_from_inputs, summary_of
from .progress import step

PACKS_DIR = "packs"
CACHE_DIR = Path(".cache") / "packs"
RUNNERS = ("process", "thread", "dask", "serial")  # serial: one at a time, for benchmarks
PROCESS_WORKERS = 2


@dataclasses.dataclass(frozen=True)
class PackJob:
    """One donor's pack and where its rendering is (or will be) cached."""

    pack: DonorPack
    key: str


@dataclasses.dataclass(frozen=True)
class RenderedPack:
    donor_id: str
    folder: str  # the cache folder holding <donor id>.pdf and <donor id>.xlsx
    reused: bool  # True when the cache already held this exact pack


def pack_key(donor: dict[str, Any], pack: DonorPack) -> str:
    """The content hash that names a pack's cache entry: code, donor profile and the pack's content."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps(donor, sort_keys=True, default=str, ensure_ascii=False).encode())
    digest.update(json.dumps(dataclasses.asdict(pack), sort_keys=True, default=str, ensure_ascii=False).encode())
    return digest.hexdigest()


def _file_names(donor_id: str) -> tuple[str, str]:
    return f"{donor_id}.pdf", f"{donor_id}.xlsx"


@task(name="match-donors", cache_policy=NO_CACHE)
def match_donors_task(catalogue: Catalogue, donors: list[dict[str, Any]]) -> tuple[list[PackJob], list[str]]:
    """Every donor's pack (pure and quick), or why it cannot be made."""
    step("Matching gaps to donor profiles")
    jobs, problems = [], []
    for donor in donors:
        try:
            pack = match_gaps(catalogue, donor)
        except UnknownDonorCurrency as err:
            problems.append(f"ERROR    inputs/donors ({donor['id']}): {err}")
            continue
        jobs.append(PackJob(pack, pack_key(donor, pack)))
    return jobs, problems


@task(name="render-pack", cache_policy=NO_CACHE, task_run_name="render-pack-{job.pack.donor_id}")
def render_pack_task(job: PackJob, cache_root: str) -> RenderedPack:
    """Render one pack into its cache folder, unless that folder already holds it."""
    pack = job.pack
    folder = Path(cache_root) / job.key
    pdf_name, xlsx_name = _file_names(pack.donor_id)
    if (folder / pdf_name).is_file() and (folder / xlsx_name).is_file():
        return RenderedPack(pack.donor_id, str(folder), True)
    from catalogue.render.pack import render_pack_pdf, write_pack_xlsx  # WeasyPrint is slow to import

    Path(cache_root).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".rendering-{pack.donor_id}-", dir=cache_root))
    try:
        render_pack_pdf(pack, staging / pdf_name)
        write_pack_xlsx(pack, staging / xlsx_name)
        staging.chmod(0o755)
        try:
            os.rename(staging, folder)  # the entry appears whole, or not at all
        except OSError:
            if not (folder / pdf_name).is_file():  # not another run that rendered the same pack first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderedPack(pack.donor_id, str(folder), False)


def task_runner(runner: str, dask_address: str | None = None) -> Any:
    """The Prefect task runner for `runner`: process (default), thread, serial, or dask (a cluster, or a local one)."""
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if runner == "process":
        return ProcessPoolTaskRunner(max_workers=PROCESS_WORKERS)
    if runner == "thread":
        return ThreadPoolTaskRunner()
    if runner == "serial":
        return ThreadPoolTaskRunner(max_workers=1)
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": PROCESS_WORKERS, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    raise ValueError(f"Unknown runner {runner!r}: choose one of {', '.join(RUNNERS)}")


def render_packs(jobs: list[PackJob], cache_root: str, runner: Any) -> list[RenderedPack]:
    """Fan out: one render task per donor on `runner`, inside the calling flow.

    The jobs go to the tasks directly, not as parameters of a subflow: Prefect
    stores flow parameters on the server (at most 512 KiB), and fifty packs
    are more than that.
    """
    with runner:
        futures = [runner.submit(render_pack_task, {"job": job, "cache_root": cache_root}) for job in jobs]
        return [f.result() for f in futures]


def _packs_writer(outputs: Path, rendered: list[RenderedPack], only: str | None):
    def write(folder: Path) -> None:
        folder.mkdir()
        previous = outputs / CURRENT / PACKS_DIR
        if only is not None and previous.is_dir():
            # One donor was asked for: the other donors' published packs stay as they were.
            for item in previous.iterdir():
                if item.is_file() and item.name not in _file_names(only) and item.name != FINGERPRINT_FILE:
                    shutil.copyfile(item, folder / item.name)
        for r in rendered:
            for name in _file_names(r.donor_id):
                # A copy, not a link: editing a published pack must never change the cache.
                shutil.copyfile(Path(r.folder) / name, folder / name)
    return write


def prune_cache(cache_root: Path, keep: set[str]) -> None:
    """After a full run, drop cache entries no current pack uses (older code, changed figures, removed donors)."""
    for entry in cache_root.iterdir():
        if entry.is_dir() and entry.name not in keep and not entry.name.startswith(".rendering-"):
            shutil.rmtree(entry, ignore_errors=True)


def packs_fingerprint(inputs: Path, donor: str | None) -> str:
    """What a packs run is made of: every input byte, the code, and which donor (or all)."""
    return build_fingerprint(inputs, purpose="packs", donor=donor, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))


def published_packs(outputs: Path, fingerprint: str) -> BuildSummary | None:
    """The packs already published for exactly these inputs, code and donor, if so: nothing to redo."""
    folder = outputs / PACKS_DIR
    try:
        if (folder / FINGERPRINT_FILE).read_text(encoding="utf-8").strip() != fingerprint:
            return None
    except OSError:
        return None
    files = sorted(str(p) for p in folder.iterdir() if p.suffix in (".pdf", ".xlsx"))
    return BuildSummary(ok=True, errors=0, warnings=0, outputs=files, validation_dir=str(outputs / "validation"),
                        up_to_date=True)


@task(name="publish-packs", cache_policy=NO_CACHE)
def publish_packs_task(outputs: Path, rendered: list[RenderedPack], only: str | None,
                       fingerprint: str) -> tuple[list[Path], str]:
    step("Publishing the packs")
    writer = _packs_writer(outputs, rendered, only)

    def write(folder: Path) -> None:
        writer(folder)
        (folder / FINGERPRINT_FILE).write_text(fingerprint + "\n", encoding="utf-8")

    _, problem = publish_or_explain(outputs, {PACKS_DIR: write}, (PACKS_DIR,), keep_fingerprint=True)
    if problem:
        return [], problem
    return [outputs / PACKS_DIR / name for r in rendered for name in _file_names(r.donor_id)], ""


@flow(name="donor-packs", log_prints=False)
def donor_packs(inputs: str = "inputs", outputs: str = "outputs", donor: str | None = None,
                runner: str = "process", dask_address: str | None = None, force: bool = False) -> BuildSummary:
    """Write a tailored pack (PDF and XLSX) for every donor profile, or only `donor`, into OUTPUTS/packs/.

    Packs are rendered one task per donor on `runner` (process, thread, dask)
    and published together; an unchanged pack is reused from OUTPUTS/.cache/packs/.
    """
    if runner not in RUNNERS:
        raise ValueError(f"Unknown runner {runner!r}: choose one of {', '.join(RUNNERS)}")
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    fingerprint = packs_fingerprint(inputs_path, donor)
    if not force and (unchanged := published_packs(outputs_path, fingerprint)) is not None:
        step("Already up to date")
        return unchanged
    gate, catalogue = model_from_inputs(inputs_path)
    if catalogue is None:
        return failed_summary(gate, outputs_path, inputs_path)
    donors = [record.data for record in gate.valid_records["donor"]]
    known = sorted(d["id"] for d in donors)
    if donor is not None:
        donors = [d for d in donors if d["id"] == donor]
        if not donors:
            summary = summary_of(gate, outputs_path, [], catalogue)
            summary.ok, summary.usage_error = False, True
            summary.issue_lines = [f"ERROR    --donor {donor}: no such donor profile in {inputs_path / 'donors'} "
                                   f"(known: {', '.join(known) or 'none'})."] + summary.issue_lines
            return summary
    if not donors:
        summary = summary_of(gate, outputs_path, [], catalogue)
        summary.ok, summary.errors = False, summary.errors + 1
        summary.issue_lines = [f"ERROR    {inputs_path / 'donors'}: no donor profiles to make packs for. "
                               "Add one JSON file per donor (see schemas/donor.schema.json)."] + summary.issue_lines
        return summary
    jobs, problems = match_donors_task(catalogue, donors)
    if problems:
        summary = summary_of(gate, outputs_path, [], catalogue)
        summary.ok, summary.errors = False, summary.errors + len(problems)
        summary.issue_lines = problems + summary.issue_lines
        return summary
    step(f"Rendering {len(jobs)} donor pack(s)")
    cache_root = str(outputs_path / CACHE_DIR)
    rendered = render_packs(jobs, cache_root, task_runner(runner, dask_address))
    published, problem = publish_packs_task(outputs_path, rendered, donor, fingerprint)
    if donor is None and not problem:
        prune_cache(Path(cache_root), {Path(r.folder).name for r in rendered})
    return summary_of(gate, outputs_path, published, catalogue, problem)
