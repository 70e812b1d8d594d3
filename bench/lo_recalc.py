"""LibreOffice's own recalculation time of a workbook, through its UNO interface.

Run with the system Python that has LibreOffice's bridge (Debian's python3-uno):
    /usr/bin/python3 bench/lo_recalc.py BOOK.xlsx [RUNS]
Prints the median seconds of `calculateAll()` on the loaded document: load and start-up
are not counted, so the figure compares fairly with the engine's recompute.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def main() -> None:
    book = Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory(prefix="lo-bench-") as profile:
        pipe = f"apbench{os.getpid()}"
        office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--norestore", "--nolockcheck", f"--accept=pipe,name={pipe};urp;"],
            env=dict(os.environ, HOME=profile), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(120):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.25)
            else:
                raise SystemExit("LibreOffice did not start")
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                   ctx)
            hidden = PropertyValue()
            hidden.Name, hidden.Value = "Hidden", True
            doc = desktop.loadComponentFromURL(book.as_uri(), "_blank", 0, (hidden,))
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                doc.calculateAll()
                times.append(time.perf_counter() - start)
            doc.close(True)
            print(f"{statistics.median(times):.6f}")
        finally:
            office.terminate()
            office.wait(timeout=30)


if __name__ == "__main__":
    main()
