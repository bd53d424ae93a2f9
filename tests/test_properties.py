"""Random mutations of a valid organisation through every command: exit codes only 0/1/2,
never a crash; bonus parts sum exactly to what is paid; bonus and report are deterministic.

Fixed seed in CI; ``HYPOTHESIS_PROFILE=deep`` for a longer local run.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import EXAMPLES, node_paths
from kkctl.cli import app

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SOURCE = EXAMPLES / "acme-consulting"
FILES = {p.relative_to(SOURCE).as_posix(): YAML(typ="safe").load(p.read_text(encoding="utf-8"))
         for p in sorted(SOURCE.rglob("*.yaml"))}

values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.decimals(-10**6, 10**6, places=3, allow_nan=False).map(float),
    st.sampled_from(["", "ghost", "keller", "council", "2026-02-30", "2026-13-01", "-1",
                     "1e308", ".nan", "x" * 300, "<script>", "[bold]x", "\u202e", "2026-q1",
                     "energy-lab", "rs-council", "m-savings", "root", "explicit"]),
    st.text(max_size=8),
)


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, Any]:
    files = copy.deepcopy(FILES)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        paths = node_paths(files[name])[1:]
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent = files[name]
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return files


def _write(files: dict[str, Any], root: Path) -> None:
    yaml = YAML()
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as out:
            yaml.dump(data, out)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--no-cache"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kkctl {' '.join(args)} crashed: {result.exception!r}")
    assert result.exit_code in (0, 1, 2), result.exit_code
    return result.exit_code, result.stdout


@given(mutations())
def test_every_command_survives_a_mutated_organisation(files: dict[str, Any]) -> None:
    root = Path(tempfile.mkdtemp(prefix="kkctl-prop-"))
    try:
        _write(files, root)
        for command in (["validate"], ["lint"], ["report"], ["bonus", "--all", "-f", "json"]):
            _run(*command, str(root))
        code, first = _run("bonus", str(root), "-f", "json", "--all")
        assert _run("bonus", str(root), "-f", "json", "--all")[1] == first
        assert _run("report", str(root))[1] == _run("report", str(root))[1]
        if code == 0:
            payload = json.loads(first)
            for period in payload.get("periods", [payload]):
                for scheme in period["schemes"]:
                    parts = sum(Decimal(p["amount"]) for p in scheme["payouts"])
                    if scheme["payouts"]:
                        assert parts == Decimal(scheme["paid"]), scheme["id"]
    finally:
        shutil.rmtree(root)
