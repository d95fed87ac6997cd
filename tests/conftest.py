"""Shared fixtures: one real Prefect API for the whole session, and the hand-checkable input set."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from tests.fixtures.small import write_small_inputs  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def prefect_api() -> str:
    """A real Prefect server, started once per session; CLI subprocesses are pointed at it."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


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
    inputs or outputs copies them first (copy_published)."""
    outputs = tmp_path_factory.mktemp("published-sample") / "outputs"
    results = {}
    for command in ("build", "packs", "statements"):
        results[command] = run_catalogue([command, "--outputs", str(outputs)], prefect_api)
        assert results[command].returncode == 0, results[command].stdout + results[command].stderr
    return {"inputs": REPO / "inputs", "outputs": outputs, "results": results}


def copy_published(published: dict[str, object], root: Path) -> tuple[Path, Path]:
    """A private copy of the published sample (inputs and outputs, release links kept) for a test that changes it."""
    import shutil

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
