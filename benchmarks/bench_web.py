"""The web application under load, on 127.0.0.1 only: upload-to-report time and donor pages with 20 clients.

    .venv/bin/python benchmarks/bench_web.py [--uploads 20] [--clients 20] [--per-client 25]

Builds the sample into a temporary outputs folder (the real `catalogue build`), starts the real
`catalogue serve` on a free loopback port with a fresh data folder and one partner link, then:
  - uploads the partner's own workbook --uploads times and times each request until the located report
    page comes back (issue 15: p95 <= 3 s);
  - runs --clients concurrent clients, each fetching --per-client donor pages in turn (the list, a filtered
    and sorted list, a priority page, the partner directory) (issue 15: p95 <= 200 ms).
Every loop is bounded in count; every request has a 60 s timeout; the server is stopped at the end.
The machine's 1-minute load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PARTNER = "P-WWF"
DONOR_PAGES = ("/donors", "/donors?region=Africa&sort=-gap", "/donors/priorities/RES-12.21", "/donors/partners")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def issue_partner_link(data: Path, partner_id: str) -> str:
    """A partner link made as the desk makes one (only its hash is stored)."""
    sys.path.insert(0, str(REPO))
    from flows.web.db import AccessLink, Database
    from flows.web.security import new_link_token, token_hash

    token = new_link_token()
    database = Database(f"sqlite:///{data / 'catalogue-web.sqlite'}")
    with database.session() as db:
        db.add(AccessLink(kind="partner", subject_id=partner_id, token_hash=token_hash(token), created_by="benchmark"))
    return token


def variants(workbook: Path, count: int, folder: Path) -> list[Path]:
    """`count` copies of the workbook, each with different bytes (an uploaded file is stored by its hash, and
    the same bytes twice would be answered from what the first upload found)."""
    from openpyxl import load_workbook

    made = []
    for i in range(count):
        book = load_workbook(workbook)
        sheet = book["Activities"]
        headers = [cell.value for cell in sheet[1]]
        column = headers.index("description") + 1 if "description" in headers else sheet.max_column
        sheet.cell(row=2, column=column).value = f"{sheet.cell(row=2, column=column).value or ''} (revision {i})"
        made.append(folder / f"{workbook.stem}-{i}.xlsx")
        book.save(made[-1])
    return made


def time_uploads(base: str, token: str, workbooks: list[Path]) -> list[float]:
    latencies = []
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get(f"/p/{token}", follow_redirects=True)
        for workbook in workbooks:
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/partner").text)
            assert csrf, "no CSRF token on the partner page"
            started = time.perf_counter()
            reply = client.post("/partner/upload", data={"csrf": csrf.group(1)},
                                files={"workbook": (workbook.name, workbook.read_bytes())}, follow_redirects=True)
            latencies.append(time.perf_counter() - started)
            assert reply.status_code == 200, reply.status_code
    return latencies


async def time_donor_pages(base: str, clients: int, per_client: int) -> list[float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def one_client(i: int) -> None:
            for k in range(per_client):
                started = time.perf_counter()
                reply = await client.get(DONOR_PAGES[(i + k) % len(DONOR_PAGES)])
                latencies.append(time.perf_counter() - started)
                assert reply.status_code == 200, reply.status_code
        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=25)
    args = parser.parse_args()
    catalogue = [sys.executable, "-m", "flows.cli"]
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        inputs, outputs, data = work / "inputs", work / "outputs", work / "data"
        shutil.copytree(REPO / "inputs", inputs)
        subprocess.run([*catalogue, "build", "--inputs", str(inputs), "--outputs", str(outputs)], cwd=REPO,
                       check=True, capture_output=True, timeout=600)
        data.mkdir()
        token = issue_partner_link(data, PARTNER)
        port = free_port()
        server = subprocess.Popen([*catalogue, "serve", "--port", str(port), "--inputs", str(inputs), "--outputs",
                                   str(outputs), "--data", str(data)], cwd=REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):  # up to 60 s for the server to answer
                try:
                    if httpx.get(f"{base}/donors", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.25)
            books = variants(inputs / "workplans" / f"{PARTNER}.xlsx", args.uploads, work)
            uploads = time_uploads(base, token, books)
            load = os.getloadavg()[0]
            print(f"upload to report ({args.uploads} uploads of {PARTNER}.xlsx): p50 {percentile(uploads, 0.5):.2f} s, "
                  f"p95 {percentile(uploads, 0.95):.2f} s, max {max(uploads):.2f} s  [load {load:.1f}]")
            pages = asyncio.run(time_donor_pages(base, args.clients, args.per_client))
            load = os.getloadavg()[0]
            print(f"donor pages ({len(pages)} requests, {args.clients} clients): p50 {percentile(pages, 0.5) * 1000:.0f} ms, "
                  f"p95 {percentile(pages, 0.95) * 1000:.0f} ms, max {max(pages) * 1000:.0f} ms  [load {load:.1f}]")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
