"""Sample plans built from public figures, each carrying its sources."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..domain.model import Plan

SAMPLES: dict[str, tuple[str, str]] = {
    "south-west-alliance": ("south_west",
                            "Devon & Cornwall and Dorset: one ten-year £70m IT contract"),
    "strategic-partner": ("strategic_partner",
                          "Staffordshire: ten-year £110m strategic IT partner"),
    "national-platform": ("national_platform",
                          "East Midlands: national productivity platform and estate"),
    "operating-model-partner": ("operating_model",
                                "West Midlands: operating-model partner, £120m in five years"),
    "mobile-data": ("mobile_data", "Staffordshire: tablets releasing 3,000 officer hours a week"),
    "national": ("national", "All 43 forces, 20 services, 6 options (synthetic, for benchmarks)"),
}
DEFAULT = "south-west-alliance"


def names() -> list[str]:
    return list(SAMPLES)


def describe(name: str) -> str:
    return SAMPLES[name][1]


def builder(name: str) -> Callable[[], Plan]:
    if name not in SAMPLES:
        raise KeyError(name)
    module = import_module(f".{SAMPLES[name][0]}", __name__)
    return module.build  # type: ignore[no-any-return]


def build(name: str) -> Plan:
    return builder(name)()
