"""Hostile input through every command: a clear, positioned error or a clean run; exit codes
only 0, 1 or 2; never a traceback; inputs never modified; outputs never clobber inputs."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, assert_no_traceback, write_tree

BASE = """kkctl: 1
organisation: {id: org, name: Org, locale: en}
people: [{id: ann, name: Ann}]
teams: [{id: t, name: T, leader: ann, members: [ann]}]
reward_schemes: [{id: s, unit: t}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000}]
"""


def _bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE: dict[str, bytes] = {
    "alias-bomb": _bomb(),
    "deep-nesting": b"people: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "python-tag": b"people:\n  - !!python/object/apply:os.system ['touch pwned']\n",
    "invalid-utf8": b"people: [{id: a, name: \"\xc3\x28\"}]\n",
    "utf16-bom": "people: [{id: u16, name: Юля}]\n".encode("utf-16"),
    "utf8-bom": b"\xef\xbb\xbfpeople: [{id: u8, name: Bom}]\n",
    "nul": b"people: [{id: n, name: \"a\x00b\"}]\n",
    "control": b"people: [{id: c, name: \"a\x1b[31mred\"}]\n",
    "tabs": b"people:\n\t- {id: tab, name: Tab}\n",
    "duplicate-keys": b"people: []\npeople: []\n",
    "root-list": b"- a\n- b\n",
    "root-scalar": b"just text\n",
    "empty": b"",
    "huge-int": b"periods: [{id: h, start: 2027-01-01, end: 2027-03-31, net_profit: "
                + b"9" * 5000 + b"}]\n",
    "nan-money": b"periods: [{id: n, start: 2027-04-01, end: 2027-06-30, net_profit: .nan}]\n",
    "inf-money": b"periods: [{id: i, start: 2027-07-01, end: 2027-09-30, net_profit: -.inf}]\n",
    "impossible-date": b"periods: [{id: d, start: 2027-02-30, end: 2027-01-01, "
                       b"net_profit: 1}]\n",
    "bidi-id": "people: [{id: \"ab\u202ecd\", name: X}, {id: \"z\u200bw\", name: Y}]\n".encode(),
    "control-name": "people: [{id: esc, name: \"\u001b[2J[bold red]x\"}]\n".encode(),
    "multi-doc": b"people: []\n---\nteams: []\n",
    "complex-key": b"? [a, b]\n: c\n",
}
COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "validate": lambda p: ["validate", str(p)],
    "lint": lambda p: ["lint", str(p)],
    "bonus": lambda p: ["bonus", str(p), "-f", "json"],
    "report": lambda p: ["report", str(p)],
    "diff": lambda p: ["diff", "--paths", str(p), str(p)],
}


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def hostile_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_tree(root, {"kkctl.yaml": BASE})
    for name, data in HOSTILE.items():
        (root / f"{name}.yaml").write_bytes(data)
    (root / "loop").symlink_to(root, target_is_directory=True)
    return root


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_every_hostile_file(kkctl, hostile_org: Path,
                                                    command: str) -> None:
    before = _hashes(hostile_org)
    run = kkctl(*COMMANDS[command](hostile_org), cwd=hostile_org, timeout=120)
    assert run.code in (0, 1, 2), run.err
    assert_no_traceback(run)
    assert not (hostile_org / "pwned").exists()
    assert _hashes(hostile_org) == before


def test_each_hostile_file_gets_a_positioned_error(kkctl, tmp_path: Path) -> None:
    expected = {
        "alias-bomb": "KK004", "deep-nesting": "KK004", "python-tag": "KK003",
        "invalid-utf8": "KK005", "nul": "KK001", "control": "KK001", "tabs": "KK001",
        "duplicate-keys": "KK002", "root-list": "KK007", "root-scalar": "KK007",
        "empty": "KK007", "huge-int": "KK009", "nan-money": "KK100", "inf-money": "KK100",
        "impossible-date": "KK106", "bidi-id": "KK100", "multi-doc": "KK007",
        "complex-key": "KK008",
    }
    for name, code in expected.items():
        folder = write_tree(tmp_path / name, {"kkctl.yaml": BASE})
        (folder / "x.yaml").write_bytes(HOSTILE[name])
        run = kkctl("validate", str(folder), cwd=folder)
        lines = [line for line in run.lines if line.startswith("x.yaml:")]
        assert any(f" {code} " in line for line in lines), (name, run.out)
        assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit()
                   for line in lines), (name, lines)


def test_boms_and_utf16_are_read(kkctl, tmp_path: Path) -> None:
    folder = write_tree(tmp_path, {"kkctl.yaml": BASE})
    (folder / "a.yaml").write_bytes(HOSTILE["utf16-bom"])
    (folder / "b.yaml").write_bytes(HOSTILE["utf8-bom"])
    run = kkctl("validate", str(folder))
    assert (run.code, run.lines) == (0, ["no problems in 3 files"])


def test_file_size_limit(kkctl, tmp_path: Path) -> None:
    folder = write_tree(tmp_path, {"kkctl.yaml": BASE})
    big = folder / "big.yaml"
    with big.open("wb") as out:
        out.write(b"people:\n")
        out.write(b"  - {id: p, name: P}\n" * 400_000)  # about 8 MB
    run = kkctl("validate", str(folder), "--max-file-size", "1000000", cwd=folder)
    assert run.code == 1
    assert run.lines[0].startswith("big.yaml:1:1: error KK006 the file is ")
    assert "raise it with --max-file-size" in run.lines[0]


def test_terminal_output_escapes_control_characters(kkctl, tmp_path: Path) -> None:
    folder = write_tree(tmp_path, {"kkctl.yaml": BASE + 'values: [{id: "v\\e[2J", name: x}]\n'})
    run = kkctl("validate", str(folder))
    assert "\x1b" not in run.out and "\\u001b[2J" in run.out


def test_rich_markup_in_names_prints_literally(kkctl, tmp_path: Path) -> None:
    folder = write_tree(tmp_path, {"kkctl.yaml": BASE.replace("name: Ann", "name: '[bold red]x'")
                                   .replace("members: [ann]", "members: [ann, ghost]")})
    run = kkctl("bonus", str(folder))
    assert run.code == 1 and "[bold red]x" not in run.out  # the error is about the reference
    folder = write_tree(tmp_path / "ok", {"kkctl.yaml": BASE.replace("name: Ann",
                                                                     "name: '[bold red]x'")})
    assert "[bold red]x" in kkctl("bonus", str(folder)).out


@pytest.mark.parametrize("option", [["report", "--out"], ["lint", "--output"],
                                    ["validate", "--output"], ["bonus", "--out"]])
def test_outputs_never_overwrite_an_input_file(kkctl, tmp_path: Path, option: list[str]) -> None:
    project = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme-consulting", project)
    before = _hashes(project)
    target = project / "org" / "people.yaml"
    run = kkctl(option[0], str(project), option[1], str(target))
    assert run.code == 2
    assert "is one of the organisation's own files" in run.err
    assert _hashes(project) == before
    for kind, make in (("symlink", os.symlink), ("hardlink", os.link)):
        alias = tmp_path / f"{kind}.yaml"  # the same file by another name
        make(target, alias)
        run = kkctl(option[0], str(project), option[1], str(alias))
        assert run.code == 2 and "is one of the organisation's own files" in run.err, kind
        assert _hashes(project) == before


def test_an_interrupted_write_leaves_the_previous_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kkctl import textio

    target = tmp_path / "REPORT.md"
    target.write_text("previous\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        textio.write_atomic(target, "new\n")
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["REPORT.md"]


def test_no_command_modifies_the_examples(kkctl, tmp_path: Path) -> None:
    project = tmp_path / "pe"
    shutil.copytree(EXAMPLES / "poleznaya-eda", project)
    before = _hashes(project)
    for args in (["validate"], ["lint"], ["bonus", "--all"], ["bonus", "--verify"],
                 ["report"], ["diff", "--paths", str(project)]):
        run = kkctl(*args, str(project))
        assert run.code in (0, 1), (args, run.err)
    assert _hashes(project) == before
