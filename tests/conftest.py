"""Shared helpers: run the real ``kkctl`` entry point on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def kkctl_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).parent / ("kkctl.exe" if os.name == "nt" else "kkctl")
    if script.exists():
        return [str(script)]
    found = shutil.which("kkctl")
    if found:
        return [found]
    return [sys.executable, "-m", "kkctl"]


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def kkctl(cache_dir: Path):  # type: ignore[no-untyped-def]
    """``kkctl(*args, cwd=...)`` runs the CLI in a subprocess and returns a :class:`Run`."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> Run:
        full_env = {**os.environ, "KKCTL_CACHE_DIR": str(cache_dir), "NO_COLOR": "1",
                    "KKCTL_LANG": "en", **(env or {})}
        full_env.pop("KKCTL_DEBUG", None)
        proc = subprocess.run([*kkctl_command(), *args], cwd=cwd, env=full_env,
                              capture_output=True, text=True, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


def git(repo: Path, *args: str) -> str:
    """Run real git in ``repo`` with a fixed identity and nothing of the user's config."""
    import subprocess

    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                                           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                                           "PATH": "/usr/bin:/bin:/usr/local/bin",
                                           "HOME": str(repo)})
    return done.stdout


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: YAML text}`` (dedented) below ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL_PROJECT = """
kkctl: 1
organisation:
  id: tiny
  name: Tiny
  locale: en
"""


@pytest.fixture
def tiny_org(tmp_path: Path) -> Path:
    """A small valid organisation in three files."""
    return write_tree(tmp_path / "org", {
        "kkctl.yaml": MINIMAL_PROJECT + """
values:
  - {id: speed, name: Speed}
clients:
  - {id: shoppers, name: Shoppers, kind: external}
""",
        "people.yaml": """
people:
  - id: vera
    name: Vera
  - id: oleg
    name: Oleg
""",
        "teams/delivery.yaml": """
teams:
  - id: delivery
    name: Delivery
    leader: vera
    members: [vera, {person: oleg, weight: 2}]
promises:
  - id: fast
    kind: root
    giver: delivery
    receiver: shoppers
    value: speed
    text: Delivered within an hour
""",
    })


def node_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into plain YAML data, the root ``()`` first: where a mutation can go."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += node_paths(value, (*prefix, i))
    return out


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
