"""The window: Qt widgets that present and edit a plan; every figure comes from the domain.

Loading this package loads Qt and spares the start one cost of it (see `_no_source_scan`).
"""

from __future__ import annotations

import os
import pkgutil
import sys
from collections.abc import Iterator

import PySide6.QtCore  # noqa: F401  (shiboken's import hook is installed with it)

FEATURE_UNUSED = -1
"""PySide's mark for a module that selects none of its ``__feature__`` options."""


def _program_modules(package: str, path: list[str]) -> Iterator[str]:
    """The name of every module of the program, found by listing, never by importing."""
    for module in pkgutil.iter_modules(path, f"{package}."):
        yield module.name
        if module.ispkg:
            tail = module.name.rpartition(".")[2]
            yield from _program_modules(module.name, [os.path.join(p, tail) for p in path])


def _no_source_scan() -> None:
    """Tell PySide up front that no module of the program selects a ``__feature__`` option.

    Once loaded, PySide looks at every module an import statement names for the first time
    and reads its whole source (``inspect.getsource``) to see whether it mentions PySide6,
    so as to know which modules may switch Qt's names to snake_case. Some two hundred
    modules are named after Qt is loaded (typing, pathlib, datetime, NumPy, the program's
    own), and reading them cost some 10 ms of each start. Nothing in the program selects a
    feature, and while none is selected PySide's two marks, "no feature" (0) and "unused"
    (-1), mean the same: Qt's names as they are. A module PySide has marked keeps its mark.
    """
    try:
        from PySide6.support import feature
        marks = feature.pyside_feature_dict
    except (ImportError, AttributeError):  # a PySide that keeps them otherwise: it reads
        return
    if not isinstance(marks, dict):
        return
    program = __name__.rpartition(".")[0]
    for name in (*sys.modules, *_program_modules(program, list(sys.modules[program].__path__))):
        marks.setdefault(name, FEATURE_UNUSED)


_no_source_scan()
