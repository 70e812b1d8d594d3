"""Builds the wheel with the method inside it (everything else is in pyproject.toml).

docs/method.md is the method's one copy, where the project's readers find it; the wheel
carries it as alliance_planner/resources/method.md, which the program shows in Help › Method
(alliance_planner/paths.py). An editable install reads docs/method.md itself.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

METHOD = Path(__file__).resolve().parent / "docs" / "method.md"


class BuildWithMethod(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            target = Path(self.build_lib) / "alliance_planner" / "resources" / "method.md"
            self.mkpath(str(target.parent))
            self.copy_file(str(METHOD), str(target))


setup(cmdclass={"build_py": BuildWithMethod})
