"""Builds, packs and statements started from the desk: Prefect flow runs on one background worker.

One at a time (the release folder takes turns anyway); each job's state and summary live in the database,
so the page shows progress and a restart marks what was cut short as failed instead of forgetting it.
"""

from __future__ import annotations

import contextvars
import json
import queue
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from catalogue.api import N_

from .db import Database, Job, utc_now
from .site_settings import WebSettings

JOB_KINDS = ("build", "validate", "packs", "statements")
MAX_LINES = 50


@dataclass(frozen=True)
class FlowRunOutcome:
    """What a flow run returned, and its page in Prefect's UI (empty when the UI's address is not known)."""

    result: Any
    url: str = ""


def _flow_and_parameters(kind: str, settings: WebSettings, lang: str) -> tuple[Any, dict[str, Any]]:
    inputs, outputs = str(settings.inputs), str(settings.outputs)
    if kind == "build":
        from flows.build import build_catalogue

        return build_catalogue, {"inputs": inputs, "outputs": outputs, "lang": lang, "force": True}
    if kind == "validate":
        from flows.build import validate_inputs

        return validate_inputs, {"inputs": inputs, "outputs": outputs, "data_docs": True}  # report and Data Docs
    if kind == "packs":
        from flows.packs import donor_packs

        return donor_packs, {"inputs": inputs, "outputs": outputs, "runner": "thread", "force": True}
    from flows.statements import partner_statements

    return partner_statements, {"inputs": inputs, "outputs": outputs, "lang": lang}


def run_flow(kind: str, settings: WebSettings, lang: str) -> FlowRunOutcome:
    """Call the Prefect flow for `kind` with the server's folders (imported here so the app starts fast);
    its result and the address of its flow run in Prefect's UI."""
    from prefect.utilities.urls import url_for

    from flows import progress  # noqa: F401  (the module the flows report their steps to)

    flow, parameters = _flow_and_parameters(kind, settings, lang)
    state = flow(**parameters, return_state=True)
    run_id = state.state_details.flow_run_id
    url = (url_for("flow-run", obj_id=run_id) or "") if run_id else ""
    return FlowRunOutcome(state.result(), url)  # result() raises what a crashed flow raised


def summary_dict(result: Any) -> dict[str, Any]:
    """What the run's page shows, from the flow's RunResult: counts, outputs, totals, the first findings."""
    from catalogue.api import format_issue_line

    if not hasattr(result, "report"):
        return {"ok": False, "problem": f"unexpected result {type(result).__name__}"}
    return {"ok": bool(result.ok), "errors": result.errors, "warnings": result.warnings,
            "outputs": list(result.outputs), "problem": result.problem, "up_to_date": result.up_to_date,
            "usage_error": result.usage_error, "totals": asdict(result.totals) if result.totals else {},
            "issue_lines": [format_issue_line(found) for found in result.report.sorted()[:MAX_LINES]]}


class JobRunner:
    """A queue and one daemon thread that runs queued jobs in order."""

    def __init__(self, database: Database, settings: WebSettings,
                 flow: Callable[[str, WebSettings, str], Any] = run_flow) -> None:
        self.database, self.settings, self.flow = database, settings, flow
        self._queue: queue.Queue[tuple[int, str, str]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._mark_interrupted()

    def _mark_interrupted(self) -> None:
        with self.database.session() as db:
            for job in db.query(Job).filter(Job.state.in_(("queued", "running"))):
                job.state, job.step, job.finished_at = "failed", N_("Stopped: the server restarted"), utc_now()

    def submit(self, kind: str, requested_by: str, lang: str = "en") -> int:
        """Queue a `kind` job for `requested_by` and return its id; an unknown kind raises ValueError.

        Starts the worker thread when jobs run here (`run_jobs`) and it is not running already.
        """
        if kind not in JOB_KINDS:
            raise ValueError(kind)
        with self.database.session() as db:
            job = Job(kind=kind, requested_by=requested_by, step=N_("Waiting for its turn"))
            db.add(job)
            db.flush()
            job_id = job.id
        self._queue.put((job_id, kind, lang))
        if self.settings.run_jobs and (self._thread is None or not self._thread.is_alive()):
            # The worker runs in a copy of this context, so settings set for this thread (a Prefect API URL in
            # tests, for one) hold for the flows it runs.
            context = contextvars.copy_context()
            self._thread = threading.Thread(target=context.run, args=(self._work,), name="catalogue-jobs", daemon=True)
            self._thread.start()
        return job_id

    def _set(self, job_id: int, **changes: Any) -> None:
        with self.database.session() as db:
            job = db.get(Job, job_id)
            if job is not None:
                for name, value in changes.items():
                    setattr(job, name, value)

    def run_next(self, block: bool = False) -> bool:
        """Run one queued job in this thread; False when none waits. The worker loops on it; tests call it."""
        from flows import progress

        try:
            job_id, kind, lang = self._queue.get(block=block)
        except queue.Empty:
            return False
        started = utc_now()
        self._set(job_id, state="running", step=N_("Starting Prefect"), started_at=started)
        progress.set_listener(lambda message: self._set(job_id, step=message[:200]))
        try:
            outcome = self.flow(kind, self.settings, lang)
            result, url = (outcome.result, outcome.url) if isinstance(outcome, FlowRunOutcome) else (outcome, "")
            summary = summary_dict(result)
            state = "done" if summary.get("ok") else "failed"
            edition = self._after_build() if kind == "build" and state == "done" else ""
            self._set(job_id, state=state, step=N_("Finished") if state == "done" else N_("Stopped"),
                      summary_json=json.dumps(summary, default=str), finished_at=utc_now(), flow_run_url=url[:500],
                      edition=edition)
        except Exception as problem:  # a program error in a flow: shown on the desk, the server stays up
            self._set(job_id, state="failed", step=f"Crashed: {type(problem).__name__}",
                      summary_json=json.dumps({"ok": False, "problem": str(problem)[:500]}), finished_at=utc_now())
        finally:
            progress.set_listener(None)
        return True

    def _after_build(self) -> str:
        """The edition a build published; the accepted workbooks it read are now in the catalogue."""
        from catalogue.api import edition_id_of

        from .partners import published_catalogue
        from .uploads import sync_built

        document = published_catalogue(self.settings.outputs)
        if document is None:
            return ""
        edition = edition_id_of(document)
        with self.database.session() as db:
            sync_built(db, document, "build", edition)
        return edition

    def _work(self) -> None:
        while True:  # a daemon: it waits for the next job for as long as the server runs
            self.run_next(block=True)
