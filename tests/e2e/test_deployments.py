"""prefect.yaml on Prefect's real machinery: a server on 127.0.0.1, a process work pool, a worker, a deployment run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": f"http://127.0.0.1:{port}/api", "CATALOGUE_HOME": str(REPO)}
    log = (home / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the Prefect server did not start: " + (home / "server.log").read_text()[-2000:]) from None
                time.sleep(1)
        yield env
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        log.close()


def _prefect(args: list[str], env: dict, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "prefect", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_deployments_run_through_a_worker(prefect_server: dict, small_inputs: Path, tmp_path: Path) -> None:
    env = prefect_server
    _prefect(["work-pool", "create", "catalogue", "--type", "process", "--overwrite"], env)
    _prefect(["--no-prompt", "deploy", "--all"], env)
    listed = _prefect(["deployment", "ls"], env).stdout
    for name in ("build-catalogue", "donor-packs", "partner-statements", "validate-inputs"):
        assert name in listed
    # A donor profile, so the packs have someone to be for.
    (small_inputs / "donors").mkdir()
    (small_inputs / "donors" / "D-TEST.json").write_text(json.dumps({
        "id": "D-TEST", "name": "Test Bustard Fund", "kind": "foundation", "currency": "USD", "language": "en",
        "taxa": ["birds"], "regions": ["Asia"], "ticket_min": "1000", "ticket_max": "50000", "match_funding": True}))
    outputs = tmp_path / "outputs"
    for deployment in ("build-catalogue/build-catalogue", "donor-packs/donor-packs"):
        _prefect(["deployment", "run", deployment, "--param", f"inputs={small_inputs}", "--param", f"outputs={outputs}"], env)
        _prefect(["worker", "start", "--pool", "catalogue", "--run-once"], env, timeout=600)
    data = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    assert data["totals"]["all"]["gap"] == "58220.40"  # the hand-worked fixture, as in tests/test_budget.py
    assert (outputs / "catalogue.pdf").stat().st_size > 10_000
    assert (outputs / "packs" / "D-TEST.pdf").stat().st_size > 10_000
