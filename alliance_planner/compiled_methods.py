"""The record classes' generated methods, compiled once and kept between starts.

The dataclasses module writes the methods of each record class (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, and for a frozen class ``__setattr__`` and ``__delattr__``) as
source text and compiles it as the class is made. On Python 3.11 that is about 1.2 ms a
class, some 40 ms of every start for the 33 records the first window needs, and all of it
is compiling the same text as the start before. `install` lets dataclasses run code compiled
by an earlier start, kept beside the user's other caches, much as Python keeps a module's
compiled code in ``__pycache__``; only text not seen before is compiled.

The code is looked up by the whole source text, so a changed class is never given an old
method, and kept only for the Python that compiled it (the file's first bytes are Python's
own magic number for compiled code). A missing, unreadable or foreign file is compiled afresh
and replaced; a cache that cannot be written costs the next start the compiling, nothing else.
"""

from __future__ import annotations

import atexit
import dataclasses
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

FORMAT = b"alliance-planner methods 1\n"
LIMIT = 5_000
"""Kept texts at most: past it, a save keeps only what the process that saves used."""


def cache_folder() -> Path:
    """Where the program keeps what it can always make again: the platform's user cache."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base, "Alliance Planner", "cache")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Alliance Planner"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "alliance-planner")


def cache_path() -> Path:
    return cache_folder() / f"methods.{sys.implementation.cache_tag}.bin"


class MethodCode:
    """Compiled code by source text: read from a file, run in place of compiling, saved."""

    def __init__(self, path: Path):
        self.path = path
        self.code: dict[str, CodeType | bytes] = {}
        self.used: set[str] = set()
        self.added = 0
        self.load()

    def load(self) -> None:
        """The kept code, or none if the file is missing, unreadable or not ours. Each
        method's code stays marshalled until it is asked for: a start makes a few of the
        kept classes only."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        header = MAGIC_NUMBER + FORMAT
        if not data.startswith(header):
            return
        try:
            kept = marshal.loads(data[len(header):])
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(kept, dict) and all(type(k) is str and type(v) is bytes
                                          for k, v in kept.items()):
            self.code = kept

    def compiled(self, source: str) -> CodeType:
        """The code of `source`: kept, or compiled now."""
        kept = self.code.get(source)
        code = _unmarshalled(kept) if type(kept) is bytes else kept
        if not isinstance(code, CodeType):
            code = _compiled(source)
            self.added += 1
        self.code[source] = code
        self.used.add(source)
        return code

    def exec(self, source: Any, /, *args: Any, **kwargs: Any) -> None:
        """``exec``, with source text run from its compiled code."""
        if type(source) is str:
            source = self.compiled(source)
        exec(source, *args, **kwargs)

    def save(self) -> None:
        """Write the code back if anything was compiled; a failure leaves the file as it was."""
        if not self.added:
            return
        code = {k: v if type(v) is bytes else marshal.dumps(v) for k, v in self.code.items()
                if len(self.code) <= LIMIT or k in self.used}
        import tempfile  # only when something is new: it costs a start milliseconds

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".methods-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC_NUMBER + FORMAT + marshal.dumps(code))
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            return
        self.added = 0


def _compiled(source: str) -> CodeType:
    """`source` compiled as ``exec`` compiles it from a module with no __future__ import."""
    return compile(source, "<string>", "exec", dont_inherit=True)


def _unmarshalled(data: bytes) -> CodeType | None:
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


_installed: MethodCode | None = None


def run(source: str, namespace: dict[str, Any]) -> None:
    """``exec(source, namespace)``: from code kept by an earlier start once `install` has
    been called, as for the readers the engine's tables generate (domain/tables.py)."""
    if _installed is None:
        exec(_compiled(source), namespace)
    else:
        _installed.exec(source, namespace)


def install(path: Path | None = None) -> MethodCode:
    """Have dataclasses run kept code from now on; the cache is saved as the process ends."""
    global _installed
    if _installed is None:
        _installed = MethodCode(cache_path() if path is None else path)
        dataclasses.exec = _installed.exec  # type: ignore[attr-defined]
        atexit.register(_installed.save)
    return _installed
