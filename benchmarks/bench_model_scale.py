"""Issue 29: how the cost of reading, checking and modelling grows with the programme (no PDF, no workbook).

    .venv/bin/python benchmarks/bench_model_scale.py [--activities 20000 100000]

For each size, benchmarks/generate.py writes a programme as real files (3 funding lines per activity, one
partner workbook per 40 activities, a Secretariat task per 10 activities, 200 priorities, 50 donors), then
a fresh process runs the library's pipeline on it (catalogue.pipeline.build_model: load -> check -> merge ->
budget -> model, the inputs memo off) and reports its wall time and peak memory (ru_maxrss: the process has
no children). Prints figures and the ratio to the first size; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
start = time.perf_counter()
from catalogue.pipeline import build_model
imported = time.perf_counter()
result = build_model(Path({inputs!r}))
done = time.perf_counter()
assert result.catalogue is not None, "the generated programme does not build"
print(json.dumps({{"imports": imported - start, "model": done - imported,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "activities": len(result.catalogue.activities)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, nargs="+", default=[20_000, 100_000])
    args = parser.parse_args()
    first: dict[str, float] | None = None
    with tempfile.TemporaryDirectory(prefix="bench-model-") as tmp:
        for activities in args.activities:
            inputs = Path(tmp) / str(activities)
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(inputs),
                            "--activities", str(activities), "--funding-lines", str(3 * activities),
                            "--partners", str(max(1, activities // 40)), "--tasks", str(max(1, activities // 10)),
                            "--priorities", "200", "--donors", "50"], check=True, capture_output=True)
            child = subprocess.run([sys.executable, "-c", CHILD.format(repo=str(REPO), inputs=str(inputs))],
                                   check=True, capture_output=True, text=True, env={**os.environ})
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            first = first or figures
            print(f"{activities:>7,} activities: validate + model {figures['model']:7.1f} s "
                  f"({activities / figures['model']:,.0f} activities/s), peak {figures['peak_mib']:7,.0f} MiB "
                  f"(imports {figures['imports']:.1f} s); vs the first size: "
                  f"{figures['model'] / first['model']:.1f}x time, {figures['peak_mib'] / first['peak_mib']:.1f}x memory "
                  f"for {figures['activities'] / first['activities']:.1f}x activities", flush=True)


if __name__ == "__main__":
    main()
