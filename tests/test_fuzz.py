"""Fuzz: mutated organisations through every command and output format, in subprocesses
with a time and a memory limit.

Each case mutates one of the bundled examples, by data (replace, delete or duplicate a
node, then write the YAML again) or by text (bytes inserted, deleted, lines swapped or
duplicated, hostile snippets), then runs a drawn set of commands in ``fuzz_worker.py``:
a process of its own, limited to ``MEMORY_LIMIT`` of address space and ``CASE_TIMEOUT``
seconds. A case fails on a traceback ("internal error"), an exit code outside 0/1/2, a hang,
a read-only command that changed an input file, machine-readable output that its consumer
would reject, or ``fmt`` that is not idempotent.

The normal suite runs a few cases with a fixed seed; ``HYPOTHESIS_PROFILE=deep`` runs
``DEEP_CASES`` and writes a tally to ``$KKCTL_FUZZ_TALLY`` when that is set.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import EXAMPLES, node_paths

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
DEEP_CASES = 2000
CASES = int(os.environ.get("KKCTL_FUZZ_CASES", DEEP_CASES if DEEP else 8))
CASE_TIMEOUT = 120  # seconds for all the commands of one case: far above a normal run
MEMORY_LIMIT = 4 * 1024**3  # address space of the worker
WORKER = Path(__file__).with_name("fuzz_worker.py")
TALLY: Counter[str] = Counter()

EXAMPLE_NAMES = ("acme-consulting", "poleznaya-eda")


def _load(name: str) -> dict[str, bytes]:
    root = EXAMPLES / name
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


SOURCES = {name: _load(name) for name in EXAMPLE_NAMES}

SNIPPETS = [b"&a ", b"*a", b"!!python/object/apply:os.system ['touch pwned'] ", b"\t", b"{",
            b"[", b"]", b"- ", b": ", b"\x00", b"\x1b[31m", "\u202e".encode(), b"'", b'"',
            b" #", b"? ", b"\n---\n", b"<<: *a\n", b"x" * 5000, b"\xff", b"|", b"\n  ",
            b"- id: ghost\n", b"99999999999999999999999999", b"-1", b".nan", b"2026-02-30",
            b"| Mallory | 1 000 000.00 |\n", "Ёжик\u200b".encode()]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9),
    st.decimals(-10**6, 10**6, places=3, allow_nan=False).map(float),
    st.sampled_from(["", "ghost", "council", "2026-02-30", "-50", "1e308", "x" * 300,
                     "<script>", "[bold]x", "\u202e", "a\nb", "| x | y |", "=cmd()", "root",
                     "explicit", "team_profit", "\x1b[2J"]),
    st.text(max_size=12),
)


def _dump(data: Any) -> bytes:
    import io

    out = io.StringIO()
    YAML().dump(data, out)
    return out.getvalue().encode("utf-8")


@st.composite
def data_mutation(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    name = draw(st.sampled_from(sorted(files)))
    try:
        data = YAML(typ="safe").load(files[name])
    except Exception:  # an earlier text mutation broke it: nothing to mutate as data
        return files
    for _ in range(draw(st.integers(1, 4))):
        paths = node_paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return {**files, name: _dump(data)}


@st.composite
def text_mutation(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    name = draw(st.sampled_from(sorted(files)))
    text = files[name]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "swap", "duplicate"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            lines = text.split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if action == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, lines[i])
            text = b"\n".join(lines)
    return {**files, name: text}


FORMATS = ["text", "json", "github", "sarif", "junit"]
READ_ONLY = (
    [["validate", "{root}", "-f", f] for f in FORMATS]
    + [["lint", "{root}", "-f", f] for f in FORMATS]
    + [["lint", "{root}", "--profile", "strict", "--strict"]]
    + [["bonus", "{root}", "-f", f] for f in ("table", "json", "csv", "markdown")]
    + [["bonus", "{root}", "--all"], ["bonus", "{root}", "--verify"],
       ["bonus", "{root}", "--all", "-f", "json"]]
    + [["report", "{root}"], ["report", "{root}", "--out", "{out}/REPORT.md"],
       ["report", "{root}", "--out", "{out}/REPORT.md", "--check"]]
    + [["diff", "--paths", "{base}", "{root}", "-f", f] for f in ("text", "markdown", "json")]
    + [["fmt", "{root}", "--check"]]
)


class Case:
    """One fuzz case; shown by where its files are kept, not by all its bytes."""

    def __init__(self, example: str, files: dict[str, bytes], commands: list[list[str]]) -> None:
        self.example, self.files, self.commands = example, files, commands

    def __repr__(self) -> str:
        digest = hashlib.sha256(repr((self.example, self.files)).encode()).hexdigest()[:12]
        keep = Path(tempfile.gettempdir()) / "kkctl-fuzz-failures" / digest
        for rel, data in self.files.items():
            (keep / rel).parent.mkdir(parents=True, exist_ok=True)
            (keep / rel).write_bytes(data)
        return f"Case({self.example!r}, files kept in {keep}, commands={self.commands})"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    example = draw(st.sampled_from(EXAMPLE_NAMES))
    files = SOURCES[example]
    mutate = draw(st.sampled_from([data_mutation, text_mutation]))
    files = draw(mutate(files))
    if draw(st.booleans()):  # mutations on top of mutations reach further
        files = draw(draw(st.sampled_from([data_mutation, text_mutation]))(files))
    commands = draw(st.lists(st.sampled_from(READ_ONLY), min_size=3, max_size=8, unique_by=str))
    return Case(example, files, commands)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _work(commands: list[list[str]], cwd: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "KKCTL_CACHE_DIR": str(cwd / "cache"), "NO_COLOR": "1"}
    try:
        done = subprocess.run([sys.executable, str(WORKER)], input=json.dumps(commands),
                              capture_output=True, text=True, timeout=CASE_TIMEOUT, cwd=cwd,
                              env=env, preexec_fn=_limits)
    except subprocess.TimeoutExpired:
        TALLY["hangs"] += 1
        raise AssertionError(f"hang: no answer in {CASE_TIMEOUT} s from {commands}") from None
    assert done.returncode == 0, f"worker died ({done.returncode}): {done.stderr[-2000:]}"
    results: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])
    return results


def _check_output(args: list[str], result: dict[str, Any]) -> None:
    """Machine-readable output parses as its consumer would parse it."""
    out, fmt = result["out"], args[args.index("-f") + 1] if "-f" in args else "text"
    if not out or result["code"] == 2:
        return
    if fmt in ("json", "sarif") and args[0] in ("validate", "lint", "diff", "bonus"):
        if args[0] != "bonus" or result["code"] == 0:
            json.loads(out)
    elif fmt == "junit":
        ElementTree.fromstring(out)
    elif fmt == "github":
        commands = [line for line in out.splitlines() if line.startswith("::")]
        assert all(line.count("::") >= 2 for line in commands), out[:500]
        assert "\x1b" not in out and "\u202e" not in out


def _check(results: list[dict[str, Any]]) -> None:
    for result in results:
        TALLY["commands"] += 1
        TALLY[f"exit {result['code']}"] += 1
        assert result["crash"] is None, f"kkctl {result['args']} crashed:\n{result['crash']}"
        assert result["code"] in (0, 1, 2), result
        assert "Traceback" not in result["out"] + result["err"], result
        _check_output(result["args"], result)


def _run_case(case: Case) -> None:
    example, files, commands = case.example, case.files, case.commands
    work = Path(tempfile.mkdtemp(prefix="kkctl-fuzz-"))
    try:
        base, root, out = work / "base", work / "org", work / "out"
        shutil.copytree(EXAMPLES / example, base)
        out.mkdir()
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        fill = {"root": str(root), "base": str(base), "out": str(out)}
        lines = [[part.format(**fill) for part in args] for args in commands]
        snapshot, fmt = ["@hash", str(root)], ["fmt", str(root)]
        results = _work([snapshot, *lines, snapshot, fmt, snapshot, fmt, snapshot], work)
        hashes = [r["out"] for r in results if r["args"][0] == "@hash"]
        _check([r for r in results if r["args"][0] != "@hash"])
        assert hashes[1] == hashes[0], "a read-only command changed an input file"
        assert hashes[3] == hashes[2], "fmt is not idempotent: a second run changed files"
        TALLY["cases"] += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX resource limits")
# No shrinking: a case costs a process start, and the failure message already names the
# commands and the bytes that failed.
@settings(max_examples=CASES, deadline=None, derandomize=not DEEP,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_mutated_organisations_never_crash_hang_or_change_inputs(
        case: Case) -> None:
    _run_case(case)
    tally = os.environ.get("KKCTL_FUZZ_TALLY")
    if tally:
        Path(tally).write_text(json.dumps(dict(TALLY), indent=1) + "\n", encoding="utf-8")
