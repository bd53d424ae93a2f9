"""Adoption: `kkctl init`, the pre-commit hooks, the GitHub Action, shell completion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_init_scaffold_is_clean_and_formatted(kkctl, tmp_path: Path, lang: str) -> None:
    target = tmp_path / "org"
    run = kkctl("init", str(target), "--lang", lang)
    assert run.code == 0, run.err
    assert (target / "kkctl.yaml").exists() and (target / ".pre-commit-config.yaml").exists()
    assert (target / ".github" / "workflows" / "kkctl.yml").exists()
    lint = kkctl("lint", str(target), "-f", "json")
    assert lint.code == 0 and json.loads(lint.out)["diagnostics"] == []
    assert kkctl("fmt", str(target), "--check").code == 0
    assert kkctl("bonus", str(target)).code == 0
    text = (target / "kkctl.yaml").read_text()
    assert ("Шаг 4. Стратегическая канва" if lang == "ru" else "Step 4. Strategy canvas") in text
    assert text.startswith("# yaml-language-server: $schema=schemas/kkctl.schema.json")
    assert json.loads((target / "schemas" / "kkctl.schema.json").read_text())["$defs"]


def test_init_refuses_to_overwrite(kkctl, tmp_path: Path) -> None:
    (tmp_path / "kkctl.yaml").write_text("mine\n")
    run = kkctl("init", str(tmp_path))
    assert run.code == 2 and "not overwriting" in run.err
    assert (tmp_path / "kkctl.yaml").read_text() == "mine\n"
    assert not (tmp_path / "org").exists()


def test_pre_commit_hooks_and_action_are_well_formed() -> None:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["kkctl-validate", "kkctl-lint", "kkctl-fmt"]
    assert all(h["language"] == "python" and h["pass_filenames"] is False for h in hooks)
    action = YAML(typ="safe").load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "--format sarif" in steps  # annotations come from the SARIF: tests/test_action.py


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    project = tmp_path / "company"
    subprocess.run([sys.executable, "-m", "kkctl", "init", str(project)], check=True,
                   capture_output=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-C", str(project), *args], check=True, env=env)
    source = tmp_path / "kkctl-src"  # try-repo needs a git repository of the hooks
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", "bench", "node_modules", "*.egg-info", "__pycache__", ".git"))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "hooks"]):
        subprocess.run(["git", "-C", str(source), *args], check=True, env=env)
    run = subprocess.run([pre_commit, "try-repo", str(source), "--all-files"], cwd=project,
                         capture_output=True, text=True, env=env, timeout=900)
    if run.returncode != 0 and "Could not find a version" in run.stdout + run.stderr:
        pytest.skip("no package index reachable to install the hook's environment")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "kkctl lint" in run.stdout and "Passed" in run.stdout
