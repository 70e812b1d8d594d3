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


@pytest.fixture(autouse=True)
def _collect_cycles_in_this_thread():
    """Once a window has run work in the background, Python's automatic cycle collector is
    off (alliance_planner/ui/collector.py) and a timer collects while the event loop runs;
    between tests nothing runs it, so each test's cycles are collected here, in the main
    thread."""
    yield
    import gc

    if not gc.isenabled():
        gc.collect()
