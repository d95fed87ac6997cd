"""The web application under load, on 127.0.0.1 only: upload-to-report time and donor pages with 20 clients.

    .venv/bin/python benchmarks/bench_web.py [--uploads 20] [--clients 20] [--per-client 25]
                                             [--uploaders 5] [--database sqlite|postgresql]

Builds the sample into a temporary outputs folder (the real `catalogue build`), starts the real
`catalogue serve` on a free loopback port with a fresh data folder and one partner link, then:
  - uploads the partner's own workbook --uploads times and times each request until the located report
    page comes back (issue 15: p95 <= 3 s);
  - runs --clients concurrent clients, each fetching --per-client donor pages in turn (the list, a filtered
    and sorted list, a priority page, the partner directory) (issue 15: p95 <= 200 ms).
  - then both at once (issue 28): --uploaders partners uploading concurrently (each its own link) while the
    --clients donor clients read (targets: upload p95 <= 1 s, donor pages p95 <= 100 ms).
--database postgresql runs the server on a throw-away PostgreSQL cluster (tests/postgres_server.py).
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


def issue_partner_link(database_url: str, partner_id: str) -> str:
    """A partner link made as the desk makes one (only its hash is stored)."""
    sys.path.insert(0, str(REPO))
    from flows.web.db import AccessLink, Database
    from flows.web.security import new_link_token, token_hash

    token = new_link_token()
    database = Database(database_url)
    with database.session() as db:
        db.add(AccessLink(kind="partner", subject_id=partner_id, token_hash=token_hash(token), created_by="benchmark"))
    database.engine.dispose()
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


async def time_concurrent_uploads(base: str, tokens: list[str], workbooks: list[list[Path]]) -> list[float]:
    """Each token's partner uploads its own workbooks, all partners at once."""
    latencies: list[float] = []

    async def one_partner(token: str, books: list[Path]) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await client.get(f"/p/{token}", follow_redirects=True)
            for workbook in books:
                csrf = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/partner")).text)
                assert csrf, "no CSRF token on the partner page"
                started = time.perf_counter()
                reply = await client.post("/partner/upload", data={"csrf": csrf.group(1)},
                                          files={"workbook": (workbook.name, workbook.read_bytes())},
                                          follow_redirects=True)
                latencies.append(time.perf_counter() - started)
                assert reply.status_code == 200, reply.status_code

    await asyncio.gather(*(one_partner(t, books) for t, books in zip(tokens, workbooks, strict=True)))
    return latencies


async def mixed_load(base: str, tokens: list[str], workbooks: list[list[Path]], clients: int,
                     per_client: int) -> tuple[list[float], list[float]]:
    """Partners uploading and donors reading at the same time."""
    uploads, pages = await asyncio.gather(time_concurrent_uploads(base, tokens, workbooks),
                                          time_donor_pages(base, clients, per_client))
    return uploads, pages


def _folder(work: Path, name: str) -> Path:
    folder = work / name
    folder.mkdir(exist_ok=True)
    return folder


def _line(label: str, values: list[float], unit: str) -> str:
    scale, fmt = (1000, "{:.0f} ms") if unit == "ms" else (1, "{:.2f} s")
    shown = [fmt.format(v * scale) for v in (percentile(values, 0.5), percentile(values, 0.95), max(values))]
    return f"{label}: p50 {shown[0]}, p95 {shown[1]}, max {shown[2]}  [load {os.getloadavg()[0]:.1f}]"


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
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    catalogue = [sys.executable, "-m", "flows.cli"]
    postgres = None
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        inputs, outputs, data = work / "inputs", work / "outputs", work / "data"
        shutil.copytree(REPO / "inputs", inputs)
        subprocess.run([*catalogue, "build", "--inputs", str(inputs), "--outputs", str(outputs)], cwd=REPO,
                       check=True, capture_output=True, timeout=600)
        data.mkdir()
        database_url = f"sqlite:///{data / 'catalogue-web.sqlite'}"
        if args.database == "postgresql":
            sys.path.insert(0, str(REPO))
            from tests.postgres_server import PostgresServer

            postgres = PostgresServer()
            if postgres.problem:
                sys.exit(postgres.problem)
            database_url = postgres.url()
        others = sorted(p.stem for p in (inputs / "workplans").glob("P-*.xlsx") if p.stem != PARTNER)
        partners = [PARTNER, *others][:max(1, args.uploaders)]  # each uploads its own workbook
        tokens = [issue_partner_link(database_url, p) for p in partners]
        port = free_port()
        server = subprocess.Popen([*catalogue, "serve", "--port", str(port), "--inputs", str(inputs), "--outputs",
                                   str(outputs), "--data", str(data)], cwd=REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True,
                                  env={**os.environ, "CATALOGUE_DATABASE_URL": database_url})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):  # up to 60 s for the server to answer
                try:
                    if httpx.get(f"{base}/donors", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.25)
            print(f"database: {args.database}")
            books = variants(inputs / "workplans" / f"{PARTNER}.xlsx", args.uploads, work)
            print(_line(f"upload to report, one after another ({args.uploads} uploads)",
                        time_uploads(base, tokens[0], books), "s"))
            pages = asyncio.run(time_donor_pages(base, args.clients, args.per_client))
            print(_line(f"donor pages alone ({len(pages)} requests, {args.clients} clients)", pages, "ms"))
            per_partner = max(1, args.uploads // len(partners))
            own = [variants(inputs / "workplans" / f"{p}.xlsx", per_partner, _folder(work, p)) for p in partners]
            uploads, pages = asyncio.run(mixed_load(base, tokens, own, args.clients, args.per_client))
            print(_line(f"upload to report, {len(tokens)} partners at once beside {args.clients} donor clients "
                        f"({len(uploads)} uploads)", uploads, "s"))
            print(_line(f"donor pages meanwhile ({len(pages)} requests)", pages, "ms"))
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
            if postgres is not None:
                postgres.stop()


if __name__ == "__main__":
    main()
