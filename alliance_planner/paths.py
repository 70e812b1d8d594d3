"""Where the files the program reads at run time are: the method, the icons, the desktop
entry and the public data behind the samples.

One place answers for the three ways the program runs: from a checkout, installed from the
wheel, and frozen by PyInstaller. All three keep the files inside the package folder
(``alliance_planner/resources`` and ``alliance_planner/sample_data``; a frozen bundle
puts the package folder under ``sys._MEIPASS`` and sets ``__file__`` to match). The method
alone has its one copy in ``docs/method.md``, where the project's readers find it: the wheel
(setup.py) and the bundle (build.spec) copy it into ``resources/`` as they are built, and a
checkout reads it from ``docs/``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
RESOURCES = PACKAGE / "resources"
SAMPLE_DATA = PACKAGE / "sample_data"
CHECKOUT_METHOD = PACKAGE.parent / "docs" / "method.md"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


class MissingResource(FileNotFoundError):
    """A file the program ships is not where it should be: a broken installation."""


def _shipped(folder: Path, name: str, what: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise MissingResource(f"{path}: {what} {name!r} is missing; reinstall Alliance Planner")
    return path


def resource(name: str) -> Path:
    """A shipped resource (``"alliance-planner.desktop"``, ``"icons/..."``) by its name."""
    return _shipped(RESOURCES, name, "the program's resource")


def sample_data(name: str) -> Path:
    """A public data file the samples are built from, by its name."""
    return _shipped(SAMPLE_DATA, name, "the sample data")


def method() -> Path:
    """The appraisal method (Markdown): shipped in the wheel and the bundle, else the
    checkout's ``docs/method.md``."""
    shipped = RESOURCES / "method.md"
    if shipped.is_file():
        return shipped
    if CHECKOUT_METHOD.is_file():
        return CHECKOUT_METHOD
    raise MissingResource(f"{shipped}: the method is missing; reinstall Alliance Planner")


def icon_files() -> list[Path]:
    """The application icon's PNGs, smallest first."""
    return [resource(f"icons/alliance-planner-{size}.png") for size in ICON_SIZES]
