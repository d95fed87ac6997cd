"""`catalogue build --dask` on a real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

Not an in-process cluster: the scheduler and the workers are the commands a
Secretariat would start on its machines, from this project's environment. The
cluster's catalogue (and packs) must be the local build's, byte for byte; a
worker killed while it lays a part out costs time, not the build; workers that
run other code are refused by name; an address where no scheduler answers is a
sentence and nothing published.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client

from catalogue import memo
from catalogue.render.pdf.dask_cluster import ClusterProblem, check_cluster
from tests.conftest import catalogue_command, run_catalogue

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "inputs"
EPOCH = "1751328000"  # one build time for both builds: the PDF and the JSON print when they were built


class Cluster:
    """A scheduler and its worker processes, each a real command; `address` is the scheduler's."""

    def __init__(self, folder: Path, workers: int) -> None:
        dask = str(Path(sys.executable).with_name("dask"))
        scheduler_file = folder / "scheduler.json"
        self.logs = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.scheduler = self._start([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(scheduler_file)], "scheduler")
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.address = json.loads(scheduler_file.read_text())["address"]
        # --no-nanny: the process started here is the worker, so killing it loses the worker (no nanny restarts it)
        self.workers = {f"worker-{i}": self._start([dask, "worker", self.address, "--nthreads", "1", "--no-nanny",
                                                    "--no-dashboard", "--host", "127.0.0.1", "--name", f"worker-{i}"],
                                                   f"worker-{i}") for i in range(workers)}
        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, command: list[str], name: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})

    def parts_laid_out(self) -> dict[str, int]:
        """How many tasks each live worker has run, by worker name."""
        with Client(self.address, timeout=30) as client:
            counts = client.run(lambda dask_worker: dask_worker.state.executed_count)
            names = {address: info["name"] for address, info in client.scheduler_info()["workers"].items()}
        return {names[address]: count for address, count in counts.items()}

    def stop(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers.values(), self.scheduler]:
            try:
                process.wait(timeout=3)  # a worker whose scheduler is gone keeps trying to reconnect
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = Cluster(tmp_path_factory.mktemp("dask-cluster"), workers=2)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Path:
    """The sample built on this machine's own layout processes, at a fixed build time."""
    outputs = tmp_path_factory.mktemp("local") / "outputs"
    done = _catalogue(["build", "--outputs", str(outputs)], prefect_api)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs


def _catalogue(args: list[str], api_url: str) -> subprocess.CompletedProcess[str]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return run_catalogue(args, api_url)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def test_the_cluster_lays_out_the_catalogue_and_the_packs_byte_for_byte_as_this_machine(
        cluster: Cluster, local_build: Path, tmp_path: Path, prefect_api: str) -> None:
    before = cluster.parts_laid_out()
    outputs = tmp_path / "outputs"
    built = _catalogue(["build", "--outputs", str(outputs), "--dask", cluster.address], prefect_api)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (outputs / "catalogue.pdf").read_bytes() == (local_build / "catalogue.pdf").read_bytes()
    assert (outputs / "catalogue.json").read_bytes() == (local_build / "catalogue.json").read_bytes()
    after = cluster.parts_laid_out()
    laid_out = {name: after[name] - before.get(name, 0) for name in after}
    assert all(count > 0 for count in laid_out.values()), laid_out  # both workers did part of the work
    assert sum(laid_out.values()) >= 30  # the sample's parts went to the cluster, not to a local pool

    packed_here = _catalogue(["packs", "--outputs", str(local_build)], prefect_api)
    assert packed_here.returncode == 0, packed_here.stdout + packed_here.stderr
    packed = _catalogue(["packs", "--outputs", str(outputs), "--dask", cluster.address], prefect_api)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    ours = sorted(p.name for p in (local_build / "packs").iterdir())
    assert ours and sorted(p.name for p in (outputs / "packs").iterdir()) == ours
    for name in ours:
        if name.endswith((".pdf", ".json")):
            assert (outputs / "packs" / name).read_bytes() == (local_build / "packs" / name).read_bytes(), name


def test_workers_running_other_code_are_refused_by_name(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    check_cluster(cluster.address)  # the same code: accepted
    monkeypatch.setattr(memo, "code_fingerprint", lambda: "another commit")  # this process only: not the workers
    with pytest.raises(ClusterProblem) as refused:
        check_cluster(cluster.address)
    assert "run other code than this build" in str(refused.value)
    assert str(refused.value).count("tcp://127.0.0.1:") == 2


def test_no_scheduler_at_the_address_is_a_sentence_and_nothing_is_published(
        tmp_path: Path, prefect_api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("CATALOGUE_DASK_CONNECT_SECONDS", "2")  # the user's knob; 10 s by default
    done = run_catalogue(["build", "--outputs", str(outputs), "--dask", f"tcp://127.0.0.1:{port}"], prefect_api)
    assert done.returncode == 1
    assert f"No Dask scheduler answered at tcp://127.0.0.1:{port} within 2 s" in done.stderr
    assert "Nothing was published" in done.stderr and "Traceback" not in done.stdout + done.stderr
    assert not (outputs / "catalogue.pdf").exists()


def test_the_address_can_come_from_the_environment(tmp_path: Path, prefect_api: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CATALOGUE_DASK_ADDRESS": f"tcp://127.0.0.1:{port}",
           "CATALOGUE_DASK_CONNECT_SECONDS": "2"}
    done = subprocess.run([*catalogue_command(), "packs", "--outputs", str(tmp_path / "outputs")], env=env,
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 1
    assert f"No Dask scheduler answered at tcp://127.0.0.1:{port}" in done.stderr


def test_a_worker_lost_while_it_lays_out_a_part_costs_time_not_the_build(
        tmp_path: Path, local_build: Path, prefect_api: str) -> None:
    doomed_cluster = Cluster(tmp_path / "cluster", workers=2)
    try:
        outputs = tmp_path / "outputs"
        env = {**os.environ, "PREFECT_API_URL": prefect_api, "SOURCE_DATE_EPOCH": EPOCH}
        build = subprocess.Popen([*catalogue_command(), "build", "--outputs", str(outputs), "--dask",
                                  doomed_cluster.address], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        killed = _kill_a_busy_worker(doomed_cluster, build)
        stdout, stderr = build.communicate(timeout=600)
        assert killed, "no worker was seen laying a part out"
        assert build.returncode == 0, stdout + stderr
        assert (outputs / "catalogue.pdf").read_bytes() == (local_build / "catalogue.pdf").read_bytes()
        assert len(doomed_cluster.parts_laid_out()) == 1  # one worker finished the job alone
    finally:
        doomed_cluster.stop()


def _kill_a_busy_worker(cluster: Cluster, build: subprocess.Popen[str]) -> str | None:
    """SIGKILL the first worker seen with a part in hand; its name, or None if the build ended first."""
    with Client(cluster.address, timeout=30) as client:
        deadline = time.monotonic() + 300
        while build.poll() is None and time.monotonic() < deadline:
            busy = [address for address, keys in client.processing().items()
                    if any("render_html" in str(key) for key in keys)]
            if busy:
                name = client.scheduler_info()["workers"][busy[0]]["name"]
                cluster.workers[name].send_signal(signal.SIGKILL)
                cluster.workers[name].wait(timeout=30)
                return str(name)
            time.sleep(0.02)
    return None
