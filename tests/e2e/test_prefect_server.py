"""The project's own Prefect server: started by the first run, reused by the next, stopped on request."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, catalogue_command

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(catalogue_command() + args, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_first_run_starts_the_server_and_later_runs_reuse_it(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(CATALOGUE_PREFECT_HOME=str(tmp_path / "prefect"), CATALOGUE_PREFECT_PORT=str(port), COLUMNS="200")
    try:
        assert _run(["server", "status"], env).returncode == 1  # nothing running yet

        first = _run(["validate", "--partner", "P-WWF", "--outputs", str(tmp_path / "out")], env)
        assert first.returncode == 0, first.stdout + first.stderr
        status = _run(["server", "status"], env)
        assert status.returncode == 0 and f"127.0.0.1:{port}" in status.stdout
        pid = status.stdout.split("pid ")[1].split(")")[0]

        second = _run(["validate", "--partner", "P-WWF", "--outputs", str(tmp_path / "out")], env)
        assert second.returncode == 0, second.stdout + second.stderr
        assert f"pid {pid})" in _run(["server", "status"], env).stdout  # the same server, not a new one

        # The flow runs are real Prefect runs, recorded by that server.
        import httpx

        runs = httpx.post(f"http://127.0.0.1:{port}/api/flow_runs/filter", json={}, timeout=30).json()
        assert sum(run["state_type"] == "COMPLETED" for run in runs) >= 2
    finally:
        stopped = _run(["server", "stop"], env)
    assert "Stopped" in stopped.stdout
    assert _run(["server", "status"], env).returncode == 1


def test_prefect_api_url_wins_over_the_project_server(tmp_path: Path, prefect_api: str) -> None:
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CATALOGUE_PREFECT_HOME": str(tmp_path / "prefect")}
    result = _run(["validate", "--partner", "P-WWF", "--outputs", str(tmp_path / "out")], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "prefect").exists()  # no project server was started


def test_a_command_waits_for_no_heartbeat_unless_the_user_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefect joins its heartbeat thread (1 s sleeps) at the end of every flow: the CLI's own runs turn it off."""
    from prefect.settings import get_current_settings

    from flows.cli import _foreground_run_settings

    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    assert get_current_settings().flows.heartbeat_frequency is not None  # Prefect's default is on
    with _foreground_run_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    with _foreground_run_settings():
        assert get_current_settings().flows.heartbeat_frequency == 60
