"""Record classes made from kept code: the same classes, and no compiling a second time."""

from __future__ import annotations

import dataclasses
import inspect
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER

import pytest

from alliance_planner import compiled_methods
from alliance_planner.compiled_methods import FORMAT, MethodCode

SOURCE = '''
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Force:
    code: str
    officers: int = 0
    shares: tuple[float, ...] = field(default_factory=tuple)
    note: str | None = None

@dataclass
class Tally:
    count: int
    names: list[str] = field(default_factory=list)
'''


def make(memo: MethodCode | None, monkeypatch: pytest.MonkeyPatch, source: str = SOURCE):
    """The classes of `source`, made with `memo` standing in for dataclasses' exec."""
    with monkeypatch.context() as patch:
        if memo is not None:
            patch.setattr(dataclasses, "exec", memo.exec, raising=False)
        namespace: dict = {"__name__": "records"}
        exec(compile(source, "records.py", "exec", dont_inherit=True), namespace)
    return namespace


def first_start(path, monkeypatch, source: str = SOURCE) -> MethodCode:
    """The cache a first start leaves at `path`, having made the classes of `source`."""
    first = MethodCode(path)
    make(first, monkeypatch, source)
    first.save()
    return first


def test_classes_made_from_kept_code_are_the_classes_dataclasses_makes(tmp_path, monkeypatch):
    first_start(tmp_path / "methods.bin", monkeypatch)
    again = MethodCode(tmp_path / "methods.bin")
    kept, plain = make(again, monkeypatch), make(None, monkeypatch)
    assert again.added == 0 and again.used  # every method came from the file
    for name in ("Force", "Tally"):
        for method in ("__init__", "__repr__", "__eq__"):
            ours, theirs = getattr(kept[name], method), getattr(plain[name], method)
            assert inspect.signature(ours) == inspect.signature(theirs)
            # the annotations are the field types themselves, as dataclasses gives them
            assert ours.__annotations__ == theirs.__annotations__
            assert ours.__code__.co_code == theirs.__code__.co_code
    Force, Plain = kept["Force"], plain["Force"]
    a, b = Force("DC", 3, (0.5, 0.5)), Plain("DC", 3, (0.5, 0.5))
    assert repr(a) == repr(b) and hash(a) == hash(b)
    assert a == Force("DC", 3, (0.5, 0.5)) and a != Force("DC", 4)
    assert Force("D").shares == () and Force("D").note is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.officers = 4  # type: ignore[misc]
    assert dataclasses.replace(a, officers=7).officers == 7
    tally = kept["Tally"](2)
    tally.count += 1
    assert tally == kept["Tally"](3, []) and tally.names is not kept["Tally"](3).names


def test_a_changed_class_is_compiled_afresh_and_kept_beside_the_old(tmp_path, monkeypatch):
    path = tmp_path / "methods.bin"
    first = first_start(path, monkeypatch)
    # A default's value is handed to the code, not written in it: nothing new to compile.
    new_default = MethodCode(path)
    made = make(new_default, monkeypatch, SOURCE.replace("officers: int = 0", "officers: int = 9"))
    assert made["Force"]("X").officers == 9 and new_default.added == 0
    # A new field changes every method of Force's (its frozen __setattr__ names the fields),
    # and nothing of Tally's.
    new_field = MethodCode(path)
    made = make(new_field, monkeypatch,
                SOURCE.replace("    note:", "    staff: int = 2\n    note:"))
    assert made["Force"]("X").staff == 2 and "staff=2" in repr(made["Force"]("X"))
    assert new_field.added == 6
    new_field.save()
    assert len(MethodCode(path).code) == len(first.code) + 6


@pytest.mark.parametrize("damage", [
    b"", b"not a cache", MAGIC_NUMBER + FORMAT, MAGIC_NUMBER + FORMAT + b"\x00\x01",
    b"\x00\x00\x0d\x0a" + FORMAT + marshal.dumps({"a": b"b"}),  # another Python's
    MAGIC_NUMBER + FORMAT + marshal.dumps(["a list"]),
    MAGIC_NUMBER + FORMAT + marshal.dumps({"text": 1}),
])
def test_a_damaged_or_foreign_file_is_compiled_afresh_and_replaced(tmp_path, monkeypatch,
                                                                  damage):
    path = tmp_path / "methods.bin"
    path.write_bytes(damage)
    memo = MethodCode(path)
    assert memo.code == {}
    assert make(memo, monkeypatch)["Force"]("DC").code == "DC"
    memo.save()
    assert MethodCode(path).code.keys() == memo.code.keys()


def test_a_kept_method_that_will_not_load_is_compiled_again(tmp_path, monkeypatch):
    path = tmp_path / "methods.bin"
    first = first_start(path, monkeypatch)
    spoilt = MethodCode(path)
    spoilt.code = {text: b"\xff" for text in spoilt.code}
    assert make(spoilt, monkeypatch)["Force"]("DC", 2).officers == 2
    assert spoilt.added == len(first.code)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_cache_that_cannot_be_written_costs_the_compiling_and_nothing_else(tmp_path,
                                                                            monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    memo = MethodCode(blocked / "methods.bin")
    make(memo, monkeypatch)
    memo.save()  # no exception
    assert memo.added and not (blocked / "methods.bin").exists()
    if os.geteuid() != 0:  # root writes anywhere
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
        memo = MethodCode(folder / "methods.bin")
        make(memo, monkeypatch)
        memo.save()
        assert list(folder.iterdir()) == []


def test_past_its_limit_a_save_keeps_only_what_this_process_used(tmp_path, monkeypatch):
    path = tmp_path / "methods.bin"
    first = first_start(path, monkeypatch, SOURCE.replace("Force", "Old"))
    monkeypatch.setattr(compiled_methods, "LIMIT", len(first.code))
    second = MethodCode(path)
    make(second, monkeypatch)
    second.save()
    kept = MethodCode(path).code
    assert kept.keys() == second.used and not any("class Old" in t for t in kept)


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch, tmp_path):
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert compiled_methods.cache_path().parent == tmp_path / "alliance-planner"
    assert sys.implementation.cache_tag in compiled_methods.cache_path().name


def test_generated_readers_run_from_kept_code_once_the_cache_is_installed(tmp_path,
                                                                         monkeypatch):
    source = "def read(records):\n    return ([r.code for r in records], )"
    plain: dict = {}
    compiled_methods.run(source, plain)  # nothing installed: compiled here
    path = tmp_path / "methods.bin"
    for expected_added in (1, 0):  # compiled by the first start, read by the second
        memo = MethodCode(path)
        monkeypatch.setattr(compiled_methods, "_installed", memo)
        kept: dict = {}
        compiled_methods.run(source, kept)
        assert memo.added == expected_added
        memo.save()
        rows = [type("R", (), {"code": c})() for c in "AB"]
        assert kept["read"](rows) == plain["read"](rows) == (["A", "B"],)
