"""The frozen program's entry point: the same `main` as the installed `alliance-planner`
command (PyInstaller needs a script, and ``alliance_planner/__main__.py`` imports
relatively)."""

import sys

from alliance_planner.cli import main

sys.exit(main())
