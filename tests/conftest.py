"""Shared fixtures: one real Prefect API for the whole session, and the hand-checkable input set."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from tests.fixtures.small import write_small_inputs  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


SHARED_API = "CATALOGUE_TEST_PREFECT_API"  # set by the controller of a parallel run (pytest-xdist) for its workers
_HARNESS = pytest.StashKey[Any]()


def _is_parallel_controller(config: pytest.Config) -> bool:
    """True in the process that hands tests to pytest-xdist workers (not in a worker, not in a serial run)."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """In a parallel run, the controller starts the session's one Prefect server before its workers start, and
    they inherit its address: one server for the whole run, alive until the last worker is done."""
    if _is_parallel_controller(config) and not os.environ.get(SHARED_API):
        from prefect.settings import PREFECT_API_URL
        from prefect.testing.utilities import prefect_test_harness

        harness = prefect_test_harness(server_startup_timeout=120)
        harness.__enter__()
        config.stash[_HARNESS] = harness
        os.environ[SHARED_API] = os.environ["PREFECT_API_URL"] = str(PREFECT_API_URL.value())


def pytest_unconfigure(config: pytest.Config) -> None:
    harness = config.stash.get(_HARNESS, None)
    if harness is not None:
        harness.__exit__(None, None, None)


SLOW_FIXTURES = ("published_sample", "sample_parts_pdf")  # a test that reads these waits for the sample's PDF


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects by the mark
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that needs the published sample or the sample's PDF is slow, whatever its module says.

    The slow tests run last in a serial run, so a developer sees the quick ones' failures first; first in a
    parallel run, where each worker takes whole files as it frees up, so the longest files start early and no
    worker is left alone with a long one at the end. The order within each group is unchanged."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in SLOW_FIXTURES):
            item.add_marker(pytest.mark.slow)
    slow_first = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None) == slow_first)


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect server, one per test session; CLI subprocesses are pointed at it. In a parallel run it is
    the controller's (above); in a serial run it starts here, on first use."""
    shared = os.environ.get(SHARED_API)
    if shared:
        yield shared
        return
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, AbstractContextManager[None]]:
    """A folder made once per test session however many workers run it, and the lock to hold while making it.

    In a parallel run each worker has its own base temporary folder under one shared parent: the first worker to
    need `name` makes it while the others wait on the lock, then everyone reads the same files."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return root / name, _locked(root / f"{name}.lock")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def small_inputs(tmp_path: Path) -> Path:
    return write_small_inputs(tmp_path / "inputs")


def catalogue_command() -> list[str]:
    """The `catalogue` script of the environment running the tests (not whatever else is on PATH)."""
    script = Path(sys.executable).with_name("catalogue")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "flows.cli"]


def run_catalogue(args: list[str], api_url: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `catalogue` command as a user would, against the session's Prefect API."""
    env = {**os.environ, "PREFECT_API_URL": api_url, "COLUMNS": "200"}
    return subprocess.run(catalogue_command() + args, cwd=cwd or REPO, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="session")
def published_sample(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> dict[str, object]:
    """The sample as a fundraiser publishes it, once per session: `catalogue build`, `packs` and `statements` from
    the repository's inputs/ (the default --inputs) into one outputs folder. Read it only: a test that changes
    inputs or outputs copies them first (copy_published). In a parallel run one worker publishes it and every
    worker reads the same folder (shared_once)."""
    folder, lock = shared_once(tmp_path_factory, "published-sample")
    outputs, said = folder / "outputs", folder / "results.json"
    with lock:
        if not said.is_file():  # not yet, or an earlier attempt failed: publish from scratch
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            results = {}
            for command in ("build", "packs", "statements"):
                done = run_catalogue([command, "--outputs", str(outputs)], prefect_api)
                results[command] = {"args": done.args, "returncode": done.returncode, "stdout": done.stdout,
                                    "stderr": done.stderr}
                assert done.returncode == 0, done.stdout + done.stderr
            said.write_text(json.dumps(results), encoding="utf-8")
    results = {command: subprocess.CompletedProcess(**kept)
               for command, kept in json.loads(said.read_text(encoding="utf-8")).items()}
    return {"inputs": REPO / "inputs", "outputs": outputs, "results": results}


def copy_published(published: dict[str, object], root: Path) -> tuple[Path, Path]:
    """A private copy of the published sample (inputs and outputs, release links kept) for a test that changes it."""
    inputs = Path(shutil.copytree(Path(str(published["inputs"])), root / "inputs"))
    outputs = Path(shutil.copytree(Path(str(published["outputs"])), root / "outputs", symlinks=True))
    return inputs, outputs


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """A real PostgreSQL server, started once per session (tests/postgres_server.py)."""
    from tests.postgres_server import PostgresServer

    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_database(request: pytest.FixtureRequest, postgres_server: object) -> Callable[[], str]:
    """The web tests' database, each module run twice: on SQLite (the default, "" here) and on PostgreSQL.
    Call it for a new empty database's URL."""
    if request.param == "sqlite":
        return lambda: ""
    problem = getattr(postgres_server, "problem", "")
    if problem:
        pytest.skip(problem)
    return postgres_server.url  # type: ignore[attr-defined, no-any-return]
