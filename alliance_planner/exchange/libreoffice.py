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
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        env = dict(os.environ, HOME=profile)
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", to, "--outdir",
                   str(out_dir), str(source)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)
        seconds = time.perf_counter() - start
    result = out_dir / f"{source.stem}.{to.split(':')[0]}"
    if done.returncode != 0 or not result.exists():
        raise RuntimeError(f"LibreOffice could not convert {source}: {done.stderr.strip()}")
    return result, seconds
