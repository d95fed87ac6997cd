"""Publishing is all or nothing: a failed or killed run leaves the previous catalogue complete and unchanged."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from catalogue.publishing.releases import outputs_lock, publish

NAMES = ("catalogue.json", "catalogue.pdf", "validation")


def _writers(tag: str, fail_on: str | None = None):
    def file_writer(name: str):
        def write(path: Path) -> None:
            path.write_text(f"{tag} {name}")
            if name == fail_on:
                raise RuntimeError("renderer crashed")
        return write

    def folder_writer(path: Path) -> None:
        path.mkdir()
        (path / "report.txt").write_text(f"{tag} report")

    return {"catalogue.json": file_writer("catalogue.json"), "catalogue.pdf": file_writer("catalogue.pdf"),
            "validation": folder_writer}


def _published(outputs: Path) -> dict[str, str]:
    out = {}
    for name in ("catalogue.json", "catalogue.pdf"):
        out[name] = (outputs / name).read_text() if (outputs / name).exists() else None
    report = outputs / "validation" / "report.txt"
    out["validation"] = report.read_text() if report.exists() else None
    return out


def test_publish_links_every_name_to_one_release(tmp_path: Path) -> None:
    publish(tmp_path, _writers("one"), NAMES)
    assert _published(tmp_path) == {"catalogue.json": "one catalogue.json", "catalogue.pdf": "one catalogue.pdf",
                                    "validation": "one report"}
    assert all((tmp_path / n).is_symlink() for n in NAMES)
    publish(tmp_path, _writers("two"), NAMES)
    assert set(_published(tmp_path).values()) == {"two catalogue.json", "two catalogue.pdf", "two report"}


def test_failed_render_leaves_previous_release(tmp_path: Path) -> None:
    publish(tmp_path, _writers("one"), NAMES)
    with pytest.raises(RuntimeError):
        publish(tmp_path, _writers("two", fail_on="catalogue.pdf"), NAMES)
    assert set(_published(tmp_path).values()) == {"one catalogue.json", "one catalogue.pdf", "one report"}


def test_failed_render_leaves_plain_files_of_an_older_layout(tmp_path: Path) -> None:
    (tmp_path / "catalogue.json").write_text("old")
    with pytest.raises(RuntimeError):
        publish(tmp_path, _writers("two", fail_on="catalogue.pdf"), NAMES)
    assert (tmp_path / "catalogue.json").read_text() == "old"


def test_report_only_run_keeps_the_catalogue_byte_for_byte(tmp_path: Path) -> None:
    publish(tmp_path, _writers("one"), NAMES)
    before = (tmp_path / "catalogue.pdf").read_bytes()
    report_only = {"validation": _writers("two")["validation"]}
    publish(tmp_path, report_only, NAMES)
    assert (tmp_path / "catalogue.pdf").read_bytes() == before
    assert _published(tmp_path)["validation"] == "two report"


def test_old_releases_are_pruned(tmp_path: Path) -> None:
    for tag in ("a", "b", "c", "d"):
        publish(tmp_path, _writers(tag), NAMES)
    assert len([p for p in (tmp_path / ".releases").iterdir()]) == 2


def test_second_writer_waits_for_the_lock(tmp_path: Path) -> None:
    waited = threading.Event()
    done = threading.Event()

    def second() -> None:
        with outputs_lock(tmp_path, on_wait=waited.set):
            publish(tmp_path, _writers("second"), NAMES)
        done.set()

    with outputs_lock(tmp_path):
        publish(tmp_path, _writers("first"), NAMES)
        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(10)
        assert not done.is_set()  # it cannot publish while the first holds the lock
    thread.join(10)
    assert _published(tmp_path)["catalogue.json"] == "second catalogue.json"


KILLED_PUBLISHER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from catalogue.publishing.releases import outputs_lock, publish
    outputs, tag = Path(sys.argv[1]), sys.argv[2]
    def slow(name):
        def write(path):
            for i in range(20):
                with open(path, "a") as handle:
                    handle.write(f"{tag} {name} {i}\\n")
                time.sleep(0.01)
        return write
    def report(path):
        path.mkdir()
        slow("report")(path / "report.txt")
    with outputs_lock(outputs):
        publish(outputs, {"catalogue.json": slow("json"), "catalogue.pdf": slow("pdf"), "validation": report},
                ("catalogue.json", "catalogue.pdf", "validation"))
""")


@pytest.mark.slow
def test_kill_at_any_point_leaves_a_whole_catalogue(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    script = tmp_path / "publisher.py"
    script.write_text(KILLED_PUBLISHER)
    outputs = tmp_path / "outputs"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    subprocess.run([sys.executable, str(script), str(outputs), "base"], check=True, env=env)
    rnd = random.Random(7)
    for attempt in range(12):
        process = subprocess.Popen([sys.executable, str(script), str(outputs), f"run{attempt}"], env=env)
        time.sleep(rnd.uniform(0.1, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        tags = {text.split(" ", 1)[0] for text in _published(outputs).values() if text is not None}
        contents = _published(outputs)
        assert None not in contents.values(), contents
        assert len(tags) == 1, f"mixed releases after kill {attempt}: {contents}"
        assert all(text.endswith(" 19\n") for text in contents.values()), "a half-written file was published"
    subprocess.run([sys.executable, str(script), str(outputs), "final"], check=True, env=env)
    assert {t.split(" ", 1)[0] for t in _published(outputs).values()} == {"final"}


def test_a_full_disk_is_a_message_and_the_previous_release_stays(tmp_path: Path) -> None:
    import errno

    from catalogue.publishing.releases import publish_or_explain

    publish(tmp_path, _writers("one"), NAMES)

    def disk_full(path: Path) -> None:
        path.write_text("partial")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    published, problem = publish_or_explain(tmp_path, {**_writers("two"), "catalogue.pdf": disk_full}, NAMES)
    assert published == []
    assert "No space left on device" in problem and "Nothing was published" in problem
    assert set(_published(tmp_path).values()) == {"one catalogue.json", "one catalogue.pdf", "one report"}
    assert not list((tmp_path / ".releases").glob(".building-*"))  # the half-written release is gone
