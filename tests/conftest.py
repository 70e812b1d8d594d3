import os

import pytest
from worked_example import worked_example

from alliance_planner import samples
from alliance_planner.store.planfile import write_new

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
