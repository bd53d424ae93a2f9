"""Hostile YAML the reader must answer in linear time, and the same way whichever parser
PyYAML gives it (libyaml old or new, or its pure-Python parser)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_PROJECT, Run, assert_no_traceback, write_tree
from kkctl.yamlread import MAX_DEPTH, read_yaml

# Each input below is answered in well under a second; the budget only stops a quadratic
# path (4,000 duplicate keys took 84 s, 20,000 aliases 17 s) from hanging the suite.
BUDGET = 10.0
# The CLI's own entry point, with PyYAML's libyaml binding made unimportable.
PURE_PYTHON = ("import sys; sys.modules['yaml._yaml'] = None\n"
               "from kkctl.__main__ import main\n"
               "sys.argv = ['kkctl', *sys.argv[1:]]\n"
               "main()\n")


def _org(root: Path, data: bytes) -> Path:
    folder = write_tree(root, {"kkctl.yaml": MINIMAL_PROJECT})
    (folder / "x.yaml").write_bytes(data)
    return folder


def _validate(kkctl, folder: Path) -> Run:  # type: ignore[no-untyped-def]
    run: Run = kkctl("validate", str(folder), cwd=folder, timeout=BUDGET)
    assert_no_traceback(run)
    return run


def _validate_pure_python(folder: Path, cache: Path) -> Run:
    env = {**os.environ, "KKCTL_CACHE_DIR": str(cache), "NO_COLOR": "1", "KKCTL_LANG": "en"}
    env.pop("KKCTL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-c", PURE_PYTHON, "validate", str(folder)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=BUDGET)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_thousands_of_duplicate_keys_each_name_their_own_line(kkctl, tmp_path: Path) -> None:
    folder = _org(tmp_path / "org", b"a: 1\n" * 4000)  # 20 KB
    run = _validate(kkctl, folder)
    assert run.code == 1
    found = [line for line in run.lines if " KK002 " in line]
    assert found == [f"x.yaml:{n}:1: error KK002 duplicate key 'a' (first at line 1, column 1); "
                     "keep one of them" for n in range(2, 4001)]


def test_duplicate_nested_and_aliased_keys_name_both_positions(kkctl, tmp_path: Path) -> None:
    folder = _org(tmp_path / "org", b"teams:\n  - id: t\n    &k name: T\n    lead: {a: 1, a: 2}\n"
                                    b"    *k : U\n    name: V\n")
    run = _validate(kkctl, folder)
    found = [line for line in run.lines if " KK002 " in line]
    assert found == [
        "x.yaml:4:18: error KK002 duplicate key 'a' (first at line 4, column 12); "
        "keep one of them",
        "x.yaml:5:5: error KK002 duplicate key 'name' (first at line 3, column 5); "
        "keep one of them",
        "x.yaml:6:5: error KK002 duplicate key 'name' (first at line 3, column 5); "
        "keep one of them",
    ]


def test_an_alias_to_a_collection_is_no_key(kkctl, tmp_path: Path) -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [" + b", ".join([b"*a"] * 10) + b"]\n"
    run = _validate(kkctl, _org(tmp_path / "org", bomb + b"c: {*b : 1}\n"))
    assert [line for line in run.lines if line.startswith("x.yaml")] == [
        "x.yaml:3:5: error KK008 a mapping key must be a plain value, not a mapping or a list"]


def test_twenty_thousand_aliases_to_a_float_list(kkctl, tmp_path: Path) -> None:
    data = b"shared: &l [0.30000000000000001]\nuses: [" + b", ".join([b"*l"] * 20_000) + b"]\n"
    run = _validate(kkctl, _org(tmp_path / "org", data))
    assert run.code == 1
    assert [line.split(" ")[2] for line in run.lines if line.startswith("x.yaml")] == \
        ["KK012"]  # not a kkctl file (no collection), and no more: every alias was expanded
    decimals = read_yaml(data, "x.yaml").decimals
    assert len(decimals) == 20_001
    assert decimals[("uses", 19_999, 0)] == "0.30000000000000001"


@pytest.mark.parametrize("depth", [1, 200], ids=["flat", "deep"])
def test_aliased_floats_are_capped_as_a_bomb(kkctl, tmp_path: Path, depth: int) -> None:
    floats = b"[" * depth + b", ".join([b"1.5"] * 1000) + b"]" * depth
    data = b"a: &a " + floats + b"\nb: [" + b", ".join([b"*a"] * 1900) + b"]\n"
    run = _validate(kkctl, _org(tmp_path / "org", data))
    assert run.code == 1
    found = [line for line in run.lines if line.startswith("x.yaml")]
    assert len(found) == 1 and re.match(r"x\.yaml:2:\d+: error KK004 aliases expand to more "
                                        r"than \d+ nodes", found[0]), found


def test_wide_hex_integer_is_refused_not_crashed_on(kkctl, tmp_path: Path) -> None:
    folder = _org(tmp_path / "org", b"periods: [{id: q, start: 2026-01-01, end: 2026-03-31, "
                                    b"net_profit: 0x" + b"f" * 6000 + b"}]\n")
    run = _validate(kkctl, folder)
    assert run.code == 1
    assert "x.yaml:1:67: error KK009 an integer of 6000 digits is longer than the 64 kkctl " \
           "accepts" in run.lines
    report = kkctl("report", str(folder), cwd=folder, timeout=BUDGET)
    assert report.code in (0, 1) and "internal error" not in report.err, report.err


# shape -> (text, line and column of the level past MAX_DEPTH)
DEEP: dict[str, tuple[bytes, tuple[int, int]]] = {
    # libyaml 0.2.6+ refuses 1,000 levels while scanning ahead, before kkctl sees level 257
    "flow": (b"people: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", (1, 264)),
    "after-a-bad-tag": (b"teams: [!!binary eA==]\npeople: " + b"[" * 3000 + b"]" * 3000,
                        (2, 264)),
    "wide-characters": ("имя: Юля\npeople: ".encode() + b"[" * 3000 + b"]" * 3000, (2, 264)),
    "utf16": (("people: " + "[" * 3000 + "]" * 3000 + "\n").encode("utf-16"), (1, 264)),
    # these stream level by level: kkctl's own check stops them on every parser
    "block": (b"people:\n" + b"- " * 3000 + b"x\n", (2, 2 * 255 + 1)),
    "flow-mapping": (b"people: " + b"{a: " * 3000 + b"1" + b"}" * 3000, (1, 8 + 4 * 255 + 1)),
}


@pytest.mark.parametrize("shape", DEEP)
def test_deep_nesting_is_kk004_at_the_same_place_on_every_parser(
        kkctl, tmp_path: Path, shape: str) -> None:
    data, (line, col) = DEEP[shape]
    folder = _org(tmp_path / "org", data)
    libyaml = _validate(kkctl, folder)
    pure = _validate_pure_python(folder, tmp_path / "cache-pure")
    assert (libyaml.code, libyaml.out) == (pure.code, pure.out), pure.err
    assert [line for line in libyaml.lines if " KK004 " in line] == [
        f"x.yaml:{line}:{col}: error KK004 nesting deeper than {MAX_DEPTH} levels; a kkctl "
        "document is a few levels deep"]
