"""The publisher's logo: checked when read, published byte for byte, served on every page, or a clear warning."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from catalogue.inputs.logo import MAX_LOGO_BYTES, read_logo
from catalogue.inputs.records import Record
from catalogue.issues import Location
from catalogue.pipeline import build_model
from catalogue.publishing.catalogue_release import logo_writer
from tests.fixtures.small import write_small_inputs
from tests.web.helpers import client_for, fresh_app, make_site


def _png(size: int = 16) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (15, 76, 92)).save(buffer, format="PNG")
    return buffer.getvalue()


def _settings(logo: object) -> Record:
    return Record("settings", {"logo": logo}, Location("settings.json"))


@pytest.mark.parametrize(("name", "content", "said"), [
    ("logo.png", None, "is not in the inputs folder"),
    ("logo.png", b"GIF89a...", "is not a PNG or JPEG image"),
    ("logo.jpg", b"\xff\xd8\xff" + b"\0" * (MAX_LOGO_BYTES + 1), "is larger than"),
])
def test_an_unusable_logo_is_a_warning_on_settings(tmp_path: Path, name: str, content: bytes | None, said: str) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    logo, found = read_logo(tmp_path, _settings(name))
    assert logo is None and [i.code for i in found] == ["settings-logo-unusable"]
    assert said in found[0].message and found[0].location.file == "settings.json"


def test_a_png_or_jpeg_is_an_input_file_and_nothing_else_is_read(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png())
    logo, found = read_logo(tmp_path, _settings("logo.png"))
    assert not found and logo is not None and logo.kind == "logo" and logo.size == len(_png())
    assert read_logo(tmp_path, _settings(None)) == (None, [])
    assert read_logo(tmp_path, _settings("../logo.png")) == (None, [])  # the schema refuses such a name


def test_the_release_publishes_exactly_the_checked_bytes_and_the_site_shows_them(tmp_path: Path) -> None:
    inputs = write_small_inputs(tmp_path / "inputs")
    (inputs / "logo.png").write_bytes(_png())
    settings = json.loads((inputs / "settings.json").read_text(encoding="utf-8"))
    (inputs / "settings.json").write_text(json.dumps({**settings, "logo": "logo.png"}), encoding="utf-8")
    catalogue = build_model(inputs).catalogue
    assert catalogue is not None and catalogue.logo == "logo.png"
    assert any(f.kind == "logo" for f in catalogue.provenance.inputs)
    logo_writer(catalogue, str(inputs))(tmp_path / "release-logo")
    assert (tmp_path / "release-logo" / "logo.png").read_bytes() == _png()
    (inputs / "logo.png").write_bytes(_png(17))  # changed after the check: not published
    logo_writer(catalogue, str(inputs))(tmp_path / "changed")
    assert not (tmp_path / "changed").exists()

    site = make_site(tmp_path / "site")
    document = json.loads((site.outputs / "catalogue.json").read_text(encoding="utf-8"))
    client = client_for(fresh_app(site))
    assert client.get("/logo").status_code == 404 and 'class="logo"' not in client.get("/").text
    (site.outputs / "catalogue.json").write_text(json.dumps({**document, "logo": "logo.png"}), encoding="utf-8")
    (site.outputs / "logo").mkdir()
    (site.outputs / "logo" / "logo.png").write_bytes(_png())
    served = client.get("/logo")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png" and served.content == _png()
    assert '<img src="/logo" alt="" class="logo"' in client.get("/donors").text
