"""The project's own long-lived Prefect server: started on first use, reused by every later run.

Prefect's temporary (ephemeral) API costs about 9 s of CPU per run; a running
server costs about 1 s. So the `catalogue` command points Prefect at a server
of its own on 127.0.0.1, under the project's own PREFECT_HOME (`.prefect/` in
the project folder, or CATALOGUE_PREFECT_HOME) on port 4270 (or
CATALOGUE_PREFECT_PORT), starting it in the background the first time. Runs stay real Prefect flow runs, visible in its UI.

Precedence: PREFECT_API_URL when set (your own server or Prefect Cloud);
CATALOGUE_PREFECT=ephemeral for Prefect's temporary API; otherwise the
project's server, and the temporary API if that server cannot be started.

This module must not import Prefect: it decides the settings Prefect reads
when it is imported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogue.api import PROJECT_ROOT

DEFAULT_PORT = 4270  # not Prefect's 4200, so a developer's own Prefect server is never taken over
STATE_FILE = "catalogue-server.json"
LOG_FILE = "server.log"
START_TIMEOUT_S = 90.0


def prefect_home() -> Path:
    """The project server's PREFECT_HOME: CATALOGUE_PREFECT_HOME, or `.prefect/` in the project folder."""
    return Path(os.environ.get("CATALOGUE_PREFECT_HOME", PROJECT_ROOT / ".prefect"))


@dataclass(frozen=True)
class ServerState:
    pid: int
    port: int

    @property
    def api_url(self) -> str:
        """The server's API address on 127.0.0.1, as PREFECT_API_URL takes it."""
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        """The address of the server's web UI on 127.0.0.1."""
        return f"http://127.0.0.1:{self.port}"


def _read_state(home: Path) -> ServerState | None:
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        return ServerState(int(data["pid"]), int(data["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Does a Prefect API answer at `api_url`? (Only ever 127.0.0.1 or the user's own PREFECT_API_URL.)"""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status(home: Path | None = None) -> ServerState | None:
    """The project's server if it is running and answering, else None."""
    state = _read_state(home or prefect_home())
    if state is not None and _alive(state.pid) and healthy(state.api_url):
        return state
    return None


def _server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_LOGGING_LEVEL=os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"))
    return env


def default_port() -> int:
    """The port the project's server listens on: CATALOGUE_PREFECT_PORT, or 4270."""
    return int(os.environ.get("CATALOGUE_PREFECT_PORT", DEFAULT_PORT))


def start(port: int | None = None, home: Path | None = None, timeout: float = START_TIMEOUT_S) -> ServerState:
    """Start the project's server in the background (or return the running one) and wait until it answers.

    Raises RuntimeError with the server log's last lines if it does not come up.
    """
    home, port = home or prefect_home(), port or default_port()
    if (running := status(home)) is not None:
        return running
    home.mkdir(parents=True, exist_ok=True)
    log = home / LOG_FILE
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT, env=_server_env(home),
            start_new_session=True)  # its own session: it outlives this command and ignores its Ctrl-C
    state = ServerState(process.pid, port)
    (home / STATE_FILE).write_text(json.dumps({"pid": state.pid, "port": port}) + "\n", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if healthy(state.api_url):
            return state
        time.sleep(0.25)
    stop(home)
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
    raise RuntimeError(f"The Prefect server did not start on port {port}: " + " | ".join(tail))


def stop(home: Path | None = None) -> bool:
    """Stop the project's server; True if one was running."""
    home = home or prefect_home()
    state = _read_state(home)
    (home / STATE_FILE).unlink(missing_ok=True)
    if state is None or not _alive(state.pid):
        return False
    try:
        os.killpg(state.pid, signal.SIGTERM)  # the server and the workers it started
    except ProcessLookupError:
        return False
    for _ in range(100):
        if not _alive(state.pid):
            break
        time.sleep(0.1)
    return True


def choose_api(announce: Callable[[str], None] | None = None) -> str:
    """Set PREFECT_API_URL for this process before Prefect is imported; returns how runs will be served.

    Returns "configured", "project" or "ephemeral".
    """
    if os.environ.get("PREFECT_API_URL"):
        return "configured"
    if os.environ.get("CATALOGUE_PREFECT", "").lower() == "ephemeral":
        return "ephemeral"
    try:
        if status() is None and announce is not None:
            announce("Starting the project's Prefect server (first run only)")
        state = start()
    except (OSError, RuntimeError) as problem:
        if announce is not None:
            announce(f"Using Prefect's temporary API: {problem}")
        return "ephemeral"
    os.environ["PREFECT_API_URL"] = state.api_url
    return "project"
