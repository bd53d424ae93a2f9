"""CI's lowest leg installs exactly the lower bounds pyproject.toml declares, and .ci/run fails
when either leg fails or collects no tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # pytest's own dependency
from packaging.utils import canonicalize_name

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml needs tomli on 3.10")

CONSTRAINTS = REPO / ".ci" / "constraints-lowest.txt"


def _by_name(lines: list[str]) -> dict[str, Requirement]:
    found = [Requirement(line) for line in lines]
    by_name = {canonicalize_name(r.name): r for r in found}
    assert len(by_name) == len(found), "a dependency is listed twice"
    return by_name


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return _by_name([*project["dependencies"], *project["optional-dependencies"]["test"]])


def _pinned() -> dict[str, Requirement]:
    lines = [line.split("#", 1)[0].strip()
             for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()]
    return _by_name([line for line in lines if line])


def _lower_bound(requirement: Requirement) -> str:
    bounds = [s.version for s in requirement.specifier if s.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: declare exactly one '>=' lower bound"
    return bounds[0]


def test_constraints_pin_every_declared_lower_bound_exactly() -> None:
    declared, pinned = _declared(), _pinned()
    assert sorted(pinned) == sorted(declared)
    for name, requirement in declared.items():
        pin = pinned[name]
        assert [(s.operator, s.version) for s in pin.specifier] == \
            [("==", _lower_bound(requirement))], f"{CONSTRAINTS.name}: pin {name} to its bound"
        assert str(pin.marker) == str(requirement.marker), f"{name}: keep the same markers"
        assert requirement.specifier.contains(_lower_bound(requirement), prereleases=True)


FAKE_PYTHON3 = """\
#!/usr/bin/env bash
# python3 -m venv [--clear] DIR: a venv whose python exits with $FAKE_<DIR>, pip and the
# linters with 0.
dir=${@: -1}
mkdir -p "$dir/bin"
status_var="FAKE_$(basename "$dir" | tr -c 'a-zA-Z0-9\\n' _)"
printf '#!/usr/bin/env bash\\nexit %s\\n' "${!status_var:-0}" > "$dir/bin/python"
for tool in pip ruff mypy; do printf '#!/usr/bin/env bash\\nexit 0\\n' > "$dir/bin/$tool"; done
chmod +x "$dir/bin/"*
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("newest", "lowest", "code", "said"), [
    (0, 0, 0, "all checks passed in both legs"),
    (0, 5, 5, "leg 2 (lowest): pytest collected no tests"),
    (5, 0, 5, "leg 1 (newest): pytest collected no tests"),
    (1, 0, 1, "leg 1 (newest): install or tests failed (exit 1)"),
    (0, 2, 2, "leg 2 (lowest): install or tests failed (exit 2)"),
])
def test_ci_run_fails_with_the_first_failing_leg(tmp_path: Path, newest: int, lowest: int,
                                                  code: int, said: str) -> None:
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    fakes = tmp_path / "fakes"
    fakes.mkdir()
    (fakes / "python3").write_text(textwrap.dedent(FAKE_PYTHON3))
    (fakes / "python3").chmod(0o755)
    env = {**os.environ, "PATH": f"{fakes}{os.pathsep}{os.environ['PATH']}",
           "FAKE__venv": str(newest), "FAKE__venv_lowest": str(lowest)}
    run = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == code, run.stderr
    assert said in run.stderr + run.stdout
    assert "leg 1 of 2" in run.stderr and "leg 2 of 2" in run.stderr
