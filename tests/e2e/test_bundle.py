"""The packaged program, built as an IT department builds it: from a clean copy of the
project, by scripts/build-installer, then unpacked from its archive and run with no Python
and no display. About two minutes on two cores; bench/bundle.py times its start."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alliance_planner import __version__
from alliance_planner.ui.main_window import PAGES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle is built on Linux"),
]
ROOT = Path(__file__).resolve().parents[2]
ARCHIVE_BUDGET = 70 * 1024 * 1024
"""The archive's most (issue 14): a plain bundle of this stack is about 97 MiB."""


def clean_copy(target: Path) -> Path:
    """The project's files as git sees them (committed, changed or new, not ignored): no
    virtual environment, build folder or cache comes along."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the project's git checkout to copy from")
    base = tmp_path_factory.mktemp("bundle")
    source = clean_copy(base / "source")
    result = subprocess.run(
        ["bash", "scripts/build-installer", "--dist", str(base / "dist"), "--work",
         str(base / "work")], cwd=source, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0, result.stdout + result.stderr
    archive = base / "dist" / f"alliance-planner-{__version__}-linux-{os.uname().machine}.tar.gz"
    assert archive.is_file(), result.stdout
    unpacked = base / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(unpacked)], check=True, timeout=300)
    return archive, unpacked / "alliance-planner", base


def frozen(bundle: Path, *args: str, home: Path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH"}}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    return subprocess.run([str(bundle / "alliance-planner"), *args], capture_output=True,
                          text=True, timeout=300, env=env, cwd=home)


def test_the_archive_is_within_its_budget(built):
    archive, _, _ = built
    size = archive.stat().st_size
    assert size <= ARCHIVE_BUDGET, f"{size / 2**20:.1f} MiB"


def test_the_frozen_program_says_its_version(built, tmp_path):
    _, bundle, _ = built
    result = frozen(bundle, "--version", home=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"alliance-planner {__version__}")


def test_the_frozen_self_test_passes(built, tmp_path):
    _, bundle, _ = built
    result = frozen(bundle, "self-test", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"self-test (packaged, in {bundle})" in result.stdout
    assert f"ok     window: {len(PAGES)} pages shown and drawn" in result.stdout
    assert result.stdout.splitlines()[-1] == "self-test passed: 7 checks"


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (scripts/setup --test)")
def test_the_frozen_window_opens_on_an_x_display(built, tmp_path):
    """The X11 platform plugin and the libraries it takes from the bundle and the machine
    load together: the window is painted (the self-test's window is offscreen)."""
    _, bundle, _ = built
    number = next(n for n in range(150, 1000) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        for _ in range(500):
            if socket.exists() or server.poll() is not None:
                break
            time.sleep(0.02)
        assert socket.exists(), "Xvfb did not start"
        plan = tmp_path / "sw.alliance"
        assert frozen(bundle, "new", "-o", str(plan), home=tmp_path).returncode == 0
        env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb",
               "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
        result = subprocess.run([str(bundle / "alliance-planner"), str(plan),
                                 "--exit-when-ready"], capture_output=True, text=True,
                                timeout=120, env=env)
    finally:
        server.terminate()
        server.wait()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready in "), result.stdout + result.stderr
    assert "charts in " in result.stdout


def test_the_bundle_carries_no_tests_translations_or_unused_qt(built):
    _, bundle, _ = built
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()]
    assert not [f for f in files if "/tests/" in f or "/translations/" in f]
    assert not [f for f in files if any(word in f for word in (
        "Qt6Quick", "Qt6Qml", "Qt6Network", "Qt6Wayland", "libqgtk3", "virtualkeyboard"))]
    assert "_internal/alliance_planner/resources/method.md" in files
    assert (bundle / "_internal/alliance_planner/resources/method.md").read_text(
        encoding="utf-8") == (ROOT / "docs/method.md").read_text(encoding="utf-8")


def test_install_sh_puts_the_program_on_the_menu_and_the_path(built, tmp_path):
    _, bundle, _ = built
    places = {"PREFIX": str(tmp_path / "opt" / "alliance-planner"),
              "SHARE": str(tmp_path / "share"), "BIN": str(tmp_path / "bin")}
    result = subprocess.run(["sh", str(bundle / "install.sh")], capture_output=True,
                            text=True, timeout=120, env={**os.environ, **places})
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "share/applications/alliance-planner.desktop").read_text()
    assert f"Exec={places['PREFIX']}/alliance-planner %f" in entry
    assert (tmp_path / "share/icons/hicolor/256x256/apps/alliance-planner.png").is_file()
    linked = subprocess.run([str(tmp_path / "bin" / "alliance-planner"), "--version"],
                            capture_output=True, text=True, timeout=60)
    assert linked.stdout.strip() == f"alliance-planner {__version__}"
    result = subprocess.run(["sh", str(bundle / "install.sh"), "--uninstall"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, **places})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "bin" / "alliance-planner").exists()
    assert not Path(places["PREFIX"]).exists()


def test_install_sh_refuses_a_prefix_it_would_wipe(built, tmp_path):
    _, bundle, _ = built
    result = subprocess.run(["sh", str(bundle / "install.sh")], capture_output=True,
                            text=True, timeout=60,
                            env={**os.environ, "PREFIX": str(tmp_path), "BIN": str(tmp_path)})
    assert result.returncode == 2
    assert "PREFIX must end in /alliance-planner" in result.stderr
    assert tmp_path.exists()


def test_the_wheel_carries_the_method_icons_and_public_data(tmp_path):
    """What setup.py's build step puts in the wheel (the same files `pip wheel` packs)."""
    result = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    package = tmp_path / "alliance_planner"
    assert (package / "resources/method.md").read_bytes() == \
        (ROOT / "docs/method.md").read_bytes()
    for name in ("resources/alliance-planner.desktop", "resources/alliance-planner.ico",
                 "resources/alliance-planner.icns", "resources/icons/alliance-planner-256.png",
                 "sample_data/police_forces_england_wales.csv"):
        assert (package / name).is_file(), name
