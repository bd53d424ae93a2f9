"""The malformed-YAML corpora through `kkctl validate`: every must-fail case fails with a
positioned error, every valid case ends cleanly, and nothing ever crashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, REPO
from kkctl.cli import app

CORPORA = DATA / "yaml-corpora"
SUITE = CORPORA / "yaml-test-suite"
PYYAML = CORPORA / "pyyaml-error-corpus"
POSITIONED = re.compile(r"^.+:\d+:\d+: error KK0\d\d ")
READING_CODES = {"KK001", "KK002", "KK003", "KK004", "KK005", "KK008", "KK009"}


def _cases() -> list[Path]:
    return sorted(SUITE.rglob("in.yaml"))


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(path), "--no-cache", "--lang", "en"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{path}: crashed with {result.exception!r}")
    return result.exit_code, result.stdout


def _documented_accepted() -> set[str]:
    """Must-fail cases libyaml accepts, as listed in docs/security.md."""
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("<!-- accepted-must-fail -->")[1].split("<!-- end -->")[0]
    return set(re.findall(r"`([0-9A-Z]{4}(?:/\d+)?)`", section))


def test_corpus_is_complete() -> None:
    assert len(_cases()) == 402
    assert sum(1 for p in _cases() if (p.parent / "error").exists()) == 94
    assert len(list(PYYAML.iterdir())) == 88


def test_yaml_test_suite() -> None:
    accepted, problems = set(), []
    for path in _cases():
        case = path.parent.relative_to(SUITE).as_posix()
        code, out = _validate(path)
        if code not in (0, 1) or "Traceback" in out:
            problems.append(f"{case}: exit {code}")
            continue
        lines = out.splitlines()
        if (path.parent / "error").exists():
            reading = [line for line in lines if POSITIONED.match(line)
                       and (line.split()[2] in READING_CODES or "second YAML document" in line)]
            if not reading:
                accepted.add(case)
            elif code != 1:
                problems.append(f"{case}: must fail, exited {code}")
        else:
            for line in lines[:-1]:  # every diagnostic positioned, then the summary
                if not re.match(r"^.+:\d+:\d+: (error|warning|info) KK\d{3} ", line):
                    problems.append(f"{case}: unpositioned line {line!r}")
    assert problems == []
    assert accepted == _documented_accepted(), "update docs/security.md's list"


@pytest.mark.parametrize("path", sorted(PYYAML.iterdir()), ids=lambda p: p.name)
def test_pyyaml_error_corpus(path: Path) -> None:
    code, out = _validate(path)
    assert code in (0, 1)
    for line in out.splitlines()[:-1]:
        assert re.match(r"^.+:\d+:\d+: (error|warning|info) KK\d{3} ", line), line
