"""Qt is refused in this process, as on a machine without it.

scripts/test puts this folder on PYTHONPATH for one run of the unit tests, so Python loads
this module at start-up, before pytest or any test, and the processes those tests start
inherit it too. The domain, the store and the workbooks must work there.
"""

import sys

REFUSED = frozenset({"PySide6", "shiboken6"})


class RefuseQt:
    """A meta-path finder: every import of Qt fails as if Qt were not installed."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r} (Qt is refused in this run)",
                                      name=name)


sys.meta_path.insert(0, RefuseQt())
