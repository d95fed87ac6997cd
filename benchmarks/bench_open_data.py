"""Open data: the IATI export and the data package at scale, and the read-only API under 20 clients.

    .venv/bin/python benchmarks/bench_open_data.py [--activities 20000] [--clients 20] [--per-client 25]

1. Builds the sample with the library (no Prefect), replicates its activities to --activities (new ids), and
   times iati/activities.xml, iati/organisation.xml and the data package from that catalogue.json, beside
   json.dumps of the same document (the ratio holds across machines; seconds move with the host).
2. Writes the sample's catalogue.json into a temporary outputs folder, starts the real `catalogue serve` on a
   free loopback port, and runs --clients concurrent clients each fetching --per-client API answers (lists,
   filters, flows grouped two ways, CSV), and the same number of donor home pages for comparison.
The machine's 1-minute load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_web import free_port, percentile  # noqa: E402
from catalogue.model.catalogue_json import catalogue_to_json  # noqa: E402
from catalogue.pipeline import build_model  # noqa: E402
from catalogue.render.data_package import data_package  # noqa: E402
from catalogue.render.iati.activity_file import activities_xml  # noqa: E402
from catalogue.render.iati.organisation_file import organisation_xml  # noqa: E402

API_PAGES = ("/api/v1/priorities", "/api/v1/activities?country=KE", "/api/v1/flows?groupby=donor,year",
             "/api/v1/flows?groupby=country&status=committed", "/api/v1/donors?format=csv", "/api/v1/priorities?region=Africa")


def sample_document() -> dict[str, Any]:
    model = build_model(REPO / "inputs", build_time="2025-07-01T08:00:00Z")
    assert model.catalogue is not None
    document: dict[str, Any] = json.loads(json.dumps(catalogue_to_json(model.catalogue)))
    return document


def scaled(document: dict[str, Any], activities: int) -> dict[str, Any]:
    out = copy.deepcopy(document)
    base = out["activities"]
    out["activities"] = [{**base[n % len(base)], "id": f"SCALE-{n:05d}"} for n in range(activities)]
    return out


def timed(label: str, make: Any, reference: float | None = None) -> float:
    started = time.perf_counter()
    produced = make()
    seconds = time.perf_counter() - started
    size = sum(len(v) for v in produced.values()) if isinstance(produced, dict) else len(produced)
    ratio = f", {seconds / reference:.1f}x json.dumps" if reference else ""
    print(f"  {label}: {seconds:.2f} s, {size / 2**20:.1f} MiB{ratio}  [load {os.getloadavg()[0]:.1f}]")
    return seconds


def export_figures(document: dict[str, Any], activities: int) -> None:
    big = scaled(document, activities)
    work = len(big["activities"]) + len(big["secretariat_tasks"])
    print(f"export of {len(big['activities'])} activities and {len(big['secretariat_tasks'])} tasks:")
    reference = timed("json.dumps of catalogue.json (reference)", lambda: json.dumps(big).encode())
    iati = timed("iati/activities.xml", lambda: activities_xml(big), reference)
    timed("iati/organisation.xml", lambda: organisation_xml(big), reference)
    timed("datapackage/ (CSV tables + datapackage.json)", lambda: data_package(big), reference)
    print(f"  IATI activities per second: {work / iati:,.0f}")


async def fetch_all(base: str, pages: tuple[str, ...], clients: int, per_client: int) -> list[float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def one_client(i: int) -> None:
            for k in range(per_client):
                started = time.perf_counter()
                reply = await client.get(pages[(i + k) % len(pages)])
                latencies.append(time.perf_counter() - started)
                assert reply.status_code == 200, (pages[(i + k) % len(pages)], reply.status_code)
        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return latencies


def api_figures(document: dict[str, Any], clients: int, per_client: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        outputs, data = Path(tmp) / "outputs", Path(tmp) / "data"
        outputs.mkdir()
        data.mkdir()
        (outputs / "catalogue.json").write_text(json.dumps(document), encoding="utf-8")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--port", str(port), "--inputs",
                                   str(REPO / "inputs"), "--outputs", str(outputs), "--data", str(data)], cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if httpx.get(f"{base}/api/v1/", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.25)
            for label, pages in (("API answers", API_PAGES), ("donor home pages (comparison)", ("/donors",))):
                asyncio.run(fetch_all(base, pages, 2, 2))  # warm: the first answer reads catalogue.json
                took = asyncio.run(fetch_all(base, pages, clients, per_client))
                print(f"{label} ({len(took)} requests, {clients} clients): p50 {percentile(took, 0.5) * 1000:.0f} ms, "
                      f"p95 {percentile(took, 0.95) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms  "
                      f"[load {os.getloadavg()[0]:.1f}]")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=25)
    args = parser.parse_args()
    document = sample_document()
    export_figures(document, args.activities)
    api_figures(document, args.clients, args.per_client)


if __name__ == "__main__":
    main()
