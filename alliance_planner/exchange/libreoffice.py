"""LibreOffice, headless, to recalculate a workbook or turn it into PDF.

Used by the tests and the benchmarks to check the board pack the way a board member's
spreadsheet would see it. Each run gets its own profile and home, so parallel runs never
collide; nothing here touches the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


class LibreOfficeMissing(RuntimeError):
    pass


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing("LibreOffice (soffice) is not installed; "
                             "apt-get install libreoffice-calc-nogui")


def convert(source: Path, out_dir: Path, to: str = "xlsx", timeout: float = 300) -> tuple[
        Path, float]:
    """Open `source` in LibreOffice (which recalculates every formula) and save it as `to`.

    Returns the new file and the seconds LibreOffice took.
    """
    (result,), seconds = convert_many([source], out_dir, to, timeout)
    return result, seconds


def convert_many(sources: list[Path], out_dir: Path, to: str = "xlsx",
                 timeout: float = 600) -> tuple[list[Path], float]:
    """Convert several files in one LibreOffice process (it starts once)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        env = dict(os.environ, HOME=profile)
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", to, "--outdir",
                   str(out_dir), *map(str, sources)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)
        seconds = time.perf_counter() - start
    results = [out_dir / f"{s.stem}.{to.split(':')[0]}" for s in sources]
    missing = [str(r) for r in results if not r.exists()]
    if done.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice could not convert {', '.join(missing) or sources}: "
                           f"{done.stderr.strip()}")
    return results, seconds
