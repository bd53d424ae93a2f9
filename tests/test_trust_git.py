"""`kkctl diff` on a crafted repository runs none of the programs its config names.

The repository's ``.git/config`` and ``.gitattributes`` name an fsmonitor hook, a filter
driver (clean, smudge, process), a textconv and an external diff driver and a pager, and the
environment names an external diff and a pager; each is a script that leaves a marker file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import assert_no_traceback, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HOOKS = ("fsmonitor", "clean", "smudge", "process", "textconv", "external", "pager",
         "env-external", "env-pager")
ORG = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: en}
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
teams:
  - {id: t, name: T, leader: ann, members: [ann, bob]}
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                               "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)})
    return done.stdout


def hook(folder: Path, markers: Path, name: str) -> str:
    """A script that leaves ``markers/name`` and passes its input through."""
    script = folder / f"{name}.sh"
    script.write_text(f"#!/bin/sh\ntouch '{markers / name}'\ncat\n")
    script.chmod(0o755)
    return str(script)


@pytest.fixture
def crafted(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Two commits (the second adds a person), then the hostile config; returns the repo,
    the marker folder and a hostile environment."""
    repo, markers, scripts = tmp_path / "repo", tmp_path / "markers", tmp_path / "scripts"
    markers.mkdir()
    scripts.mkdir()
    write_tree(repo, {"kkctl.yaml": ORG, "more.yaml": "values:\n  - {id: v, name: V}\n"})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "kkctl.yaml").write_text(ORG.lstrip().replace(
        "  - {id: bob, name: Bob}\n", "  - {id: bob, name: Bob}\n  - {id: cid, name: Cid}\n"))
    (repo / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "cid joins")
    paths = {name: hook(scripts, markers, name) for name in HOOKS}
    config = {"core.fsmonitor": paths["fsmonitor"], "filter.evil.clean": paths["clean"],
              "filter.evil.smudge": paths["smudge"], "filter.evil.process": paths["process"],
              "filter.evil.required": "true", "diff.evil.textconv": paths["textconv"],
              "diff.evil.command": paths["external"], "diff.external": paths["external"],
              "core.pager": paths["pager"], "pager.diff": paths["pager"]}
    for key, value in config.items():
        git(repo, "config", key, value)
    later = time.time() + 5  # stat-dirty: a git that refreshed its index would run filters
    for name in ("kkctl.yaml", "more.yaml"):
        os.utime(repo / name, (later, later))
    env = {"GIT_EXTERNAL_DIFF": paths["env-external"], "GIT_PAGER": paths["env-pager"],
           "PAGER": paths["env-pager"]}
    return repo, markers, env


def test_working_tree_diff_runs_nothing_from_the_repository(kkctl, crafted) -> None:
    repo, markers, env = crafted
    (repo / "kkctl.yaml").write_text(ORG.lstrip().replace("name: Bob", "name: Robert"))
    run = kkctl("diff", "--lang", "en", cwd=repo, env=env)
    assert_no_traceback(run)
    assert run.code == 0, run.err
    assert run.lines[0] == "HEAD → working tree: 1 person changed, 1 person removed"
    assert "    name: Bob → Robert" in run.lines
    assert sorted(p.name for p in markers.iterdir()) == []


def test_diff_between_revisions_runs_nothing_from_the_repository(kkctl, crafted) -> None:
    repo, markers, env = crafted
    run = kkctl("diff", "HEAD~1", "HEAD", "--lang", "en", cwd=repo, env=env)
    assert_no_traceback(run)
    assert run.code == 0, run.err
    assert run.lines[0] == "HEAD~1 → HEAD: 1 person added"
    assert sorted(p.name for p in markers.iterdir()) == []


def test_unchanged_files_still_come_from_the_right_revision(kkctl, crafted) -> None:
    """Files the working tree has byte for byte are read from disk; a file whose bytes differ
    from the committed blob (here: only its line endings) is read from git, not the disk."""
    repo, markers, env = crafted
    more = repo / "more.yaml"
    more.write_bytes(more.read_bytes().replace(b"\n", b"\r\n"))
    run = kkctl("diff", "--lang", "en", cwd=repo, env=env)
    assert run.code == 0, run.err
    assert run.lines == ["HEAD → working tree: No changes to the organisation."]
    assert sorted(p.name for p in markers.iterdir()) == []


def test_a_revision_that_looks_like_an_option_never_reaches_git(kkctl, crafted,
                                                               tmp_path: Path) -> None:
    repo, markers, env = crafted
    target = tmp_path / "written-by-git"
    for revision in (f"--output={target}", "--exec-path=/tmp"):
        run = kkctl("diff", "--lang", "en", "--", revision, cwd=repo, env=env)
        assert run.code == 2, run.out + run.err
        assert "revision" in run.err.lower()
        assert_no_traceback(run)
    assert not target.exists()
    assert sorted(p.name for p in markers.iterdir()) == []
