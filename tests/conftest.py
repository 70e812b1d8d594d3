import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from worked_example import worked_example  # noqa: E402

from alliance_planner import samples  # noqa: E402
from alliance_planner.store.planfile import write_new  # noqa: E402


@pytest.fixture
def example_plan():
    return worked_example()


@pytest.fixture
def plan_file(tmp_path, example_plan):
    path = tmp_path / "example.alliance"
    write_new(path, example_plan)
    return path


@pytest.fixture(scope="session")
def sample_plans():
    return {name: samples.build(name) for name in samples.names()}
