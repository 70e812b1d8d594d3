"""What the program ships beside its code, found through alliance_planner/paths.py."""

import configparser
import shutil
import struct
import subprocess

import pytest

from alliance_planner import paths
from alliance_planner.samples.common import england_and_wales


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_every_icon_size_is_a_square_png_of_that_size():
    files = paths.icon_files()
    assert [png_size(f) for f in files] == [(s, s) for s in paths.ICON_SIZES]


def test_the_windows_icon_holds_the_sizes_windows_asks_for():
    data = paths.resource("alliance-planner.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)  # an icon, not a cursor
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}  # 0 means 256
    assert {16, 32, 48, 256} <= sizes


def test_the_macos_icon_is_an_icns_file_of_its_stated_length():
    data = paths.resource("alliance-planner.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)


def test_the_desktop_entry_starts_the_program_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(paths.resource("alliance-planner.desktop"), encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Alliance Planner"
    assert desktop["Exec"].split()[0] == "alliance-planner"
    assert desktop["Icon"] == "alliance-planner"  # the icon theme's name, as installed
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")


def test_a_missing_resource_names_itself_and_what_to_do():
    with pytest.raises(paths.MissingResource, match=r"'icons/none\.png' is missing; reinstall"):
        paths.resource("icons/none.png")
    with pytest.raises(paths.MissingResource, match=r"sample data 'none\.csv' is missing"):
        paths.sample_data("none.csv")


def test_the_shipped_method_wins_over_the_checkouts(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RESOURCES", tmp_path)
    assert paths.method() == paths.CHECKOUT_METHOD  # a checkout: docs/method.md
    (tmp_path / "method.md").write_text("# The appraisal method\n", encoding="utf-8")
    assert paths.method() == tmp_path / "method.md"  # the wheel's and the bundle's copy
    monkeypatch.setattr(paths, "CHECKOUT_METHOD", tmp_path / "gone.md")
    (tmp_path / "method.md").unlink()
    with pytest.raises(paths.MissingResource, match="the method is missing"):
        paths.method()


def test_the_samples_read_the_public_figures_through_the_helper(monkeypatch, tmp_path):
    assert len(england_and_wales()) == 43
    monkeypatch.setattr(paths, "SAMPLE_DATA", tmp_path)
    with pytest.raises(paths.MissingResource, match=r"police_forces_england_wales\.csv"):
        england_and_wales()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed")
def test_the_desktop_entry_passes_freedesktops_validator():
    result = subprocess.run(["desktop-file-validate",
                             str(paths.resource("alliance-planner.desktop"))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
