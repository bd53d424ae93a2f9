"""The GitHub Action (action.yml) and the workflow `kkctl init` writes.

The action's YAML is checked for what makes composite actions unsafe (inputs pasted into
scripts, crashes hidden by `|| true`, the system Python); then its bash steps run here as the
runner runs them, each with its own GITHUB_OUTPUT, on a copy of the bundled example.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, REPO
from kkctl import __version__

ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def run_scripts(document: dict[str, Any]) -> list[str]:
    """Every `run:` script of an action or a workflow."""
    steps = document.get("runs", {}).get("steps") or [
        step for job in document.get("jobs", {}).values() for step in job["steps"]]
    return [step["run"] for step in steps if "run" in step]


# what the YAML says


def test_action_passes_inputs_through_the_environment_only() -> None:
    for script in run_scripts(load_action()):
        assert "${{" not in script, script  # an expression in a script is code injection
        assert "|| true" not in script and "eval" not in script.split(), script


def test_action_uses_setup_python_and_a_venv() -> None:
    steps = load_action()["runs"]["steps"]
    python = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert len(python) == 1 and python[0]["uses"] == "actions/setup-python@v7"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "-m venv" in install["run"] and '"$GITHUB_ACTION_PATH"' in install["run"]
    assert all(s["shell"] == "bash" for s in steps if "run" in s)


def test_action_lints_once_and_declares_outputs() -> None:
    action = load_action()
    scripts = run_scripts(action)
    assert sum(len(re.findall(r"^\s*kkctl lint ", s, re.MULTILINE)) for s in scripts) == 1
    outputs = action["outputs"]
    assert set(outputs) == {"exit-code", "sarif-file", "errors", "warnings", "comment-id",
                            "comment-url"}
    ids = {step.get("id") for step in action["runs"]["steps"]}
    for output in outputs.values():
        step = EXPRESSION.search(output["value"]).group(1).split(".")  # type: ignore[union-attr]
        assert step[0] == "steps" and step[1] in ids and output["description"]


# GitHub Actions' workflow syntax, as far as kkctl's workflow uses it
WORKFLOW_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency",
                 "jobs"}
JOB_KEYS = {"name", "runs-on", "permissions", "needs", "if", "environment", "concurrency",
            "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy",
            "continue-on-error", "container", "services"}
STEP_KEYS = {"id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error",
             "timeout-minutes", "working-directory"}


def init_workflow(kkctl: Any, folder: Path, lang: str = "en") -> tuple[dict[str, Any], str]:
    """The workflow `kkctl init` writes: parsed, and its text."""
    assert kkctl("init", str(folder), "--lang", lang).code == 0
    text = (folder / ".github" / "workflows" / "kkctl.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def triggers(workflow: dict[str, Any]) -> Any:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 (PyYAML) reads `on` as true


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_init_workflow_is_valid_and_least_privilege(kkctl, tmp_path: Path, lang: str) -> None:
    workflow, text = init_workflow(kkctl, tmp_path / "org", lang)
    assert set(workflow) <= WORKFLOW_KEYS | {True} and set(workflow["jobs"]) == {"lint"}
    assert triggers(workflow) == {"push": None, "pull_request": None}  # never _target
    assert workflow["permissions"] == {}  # the token has nothing a job did not ask for
    job = workflow["jobs"]["lint"]
    assert set(job) <= JOB_KEYS and job["runs-on"] == "ubuntu-latest"
    assert job["permissions"] == {"contents": "read", "security-events": "write",
                                  "pull-requests": "write"}
    for step in job["steps"]:
        assert set(step) <= STEP_KEYS and ("uses" in step) != ("run" in step), step
        for value in (step.get("if"), *(step.get("env") or {}).values()):
            if isinstance(value, str) and "${{" in value:
                assert value.startswith("${{") and value.endswith("}}") \
                    and value.count("${{") == 1, value
    assert all("${{" not in script for script in run_scripts(workflow))
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/checkout@v7", f"kkctl/kkctl@v{__version__}",
                    "github/codeql-action/upload-sarif@v4"]
    steps = {s.get("name") or s["uses"]: s for s in job["steps"]}
    assert steps["actions/checkout@v7"]["with"] == {"fetch-depth": 0}
    assert steps[f"kkctl/kkctl@v{__version__}"]["with"] == {
        "path": ".", "sarif": "kkctl.sarif", "comment": True}
    upload = steps["github/codeql-action/upload-sarif@v4"]
    assert "always()" in upload["if"] and upload["with"]["sarif_file"] == "kkctl.sarif"
    diff, bonus = steps["kkctl diff"], steps["kkctl bonus --verify"]
    assert "github.event_name == 'pull_request'" in diff["if"]
    assert "kkctl diff" in diff["run"] and "--fail-on error" in diff["run"]
    assert "github.event_name == 'push'" in bonus["if"]
    assert "github.ref_name == github.event.repository.default_branch" in bonus["if"]
    assert bonus["run"] == "kkctl bonus . --verify"
    assert ("Вся история" if lang == "ru" else "Full history") in text
    assert "pip install" not in text  # kkctl comes from its pinned action, nothing by name


def run_workflow_step(step: dict[str, Any], cwd: Path, event: dict[str, Any]) -> ActionRun:
    """One `run:` step as the runner runs it (`bash -e`), its env: resolved from the event."""
    def value(match: re.Match[str]) -> str:
        found: Any = {"github": {"event": event}}
        for part in match.group(1).split("."):
            found = found[part]
        return str(found)

    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep
           + os.environ["PATH"], "NO_COLOR": "1", "KKCTL_LANG": "en"}
    env.update({k: EXPRESSION.sub(value, v) for k, v in (step.get("env") or {}).items()})
    done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)
    return ActionRun(done.returncode, done.stdout + done.stderr)


def test_init_workflow_steps_run(kkctl, tmp_path: Path) -> None:
    """The generated steps, run on a real repository: a pull request that breaks a promise's
    team fails; one that renames a team passes; the bonus check passes on the new org."""
    root = tmp_path / "org"
    workflow, _ = init_workflow(kkctl, root)
    steps = {s.get("name"): s for s in workflow["jobs"]["lint"]["steps"]}
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "HOME": str(tmp_path), "PATH": os.environ["PATH"]}

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], check=True, text=True, env=env,
                              capture_output=True).stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "scaffold")
    base = git("rev-parse", "HEAD")
    team = root / "org" / "teams" / "shops.yaml"
    original = team.read_text(encoding="utf-8")

    def pull_request(old: str, new: str) -> ActionRun:
        git("checkout", "-q", "-B", "change", base)
        team.write_text(original.replace(old, new, 1), encoding="utf-8")
        git("commit", "-qam", "change")
        event = {"pull_request": {"base": {"sha": base}, "head": {"sha": git("rev-parse",
                                                                             "HEAD")}}}
        return run_workflow_step(steps["kkctl diff"], root, event)

    broken = pull_request("leader: leader", "leader: nobody")
    assert broken.code == 1, broken.out
    assert "nobody" in broken.out
    renamed = pull_request("name: Shops", "name: Corner shops")
    assert renamed.code == 0, renamed.out
    assert "Corner shops" in renamed.out
    verify = run_workflow_step(steps["kkctl bonus --verify"], root, {})
    assert verify.code == 0 and "nothing to verify" in verify.out, verify.out


def test_docs_show_the_same_versions() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    assert f"kkctl/kkctl@v{__version__}" in text and "pip install kkctl\n" not in text
    for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and "jobs" in document:
            assert all("${{" not in s for s in run_scripts(document)), block
            assert document["permissions"] == {}, block  # each job asks for its own
            for job in document["jobs"].values():
                assert set(job) <= JOB_KEYS and "write-all" not in str(job["permissions"])
                assert all(set(step) <= STEP_KEYS for step in job["steps"]), block


# what the scripts do


@dataclass
class ActionRun:
    code: int
    out: str
    outputs: dict[str, str] = field(default_factory=dict)


def run_action(workspace: Path, inputs: dict[str, str], tmp: Path,
               github: dict[str, str] | None = None) -> ActionRun:
    """The composite action's bash steps as the runner runs them (`bash -e -o pipefail`),
    with the installed kkctl on PATH in place of the setup-python and install steps;
    ``github`` is more of the runner's environment (GITHUB_EVENT_NAME, a PATH with a fake gh)."""
    action = load_action()
    values = {name: resolve(spec.get("default", ""), {}, {})
              for name, spec in action["inputs"].items()}
    values.update(inputs)
    steps_out: dict[str, dict[str, str]] = {}
    bin_dir = str(Path(sys.executable).parent)  # this venv: kkctl, and python importing it
    extra = dict(github or {})
    path = os.pathsep.join(p for p in (extra.pop("PATH", ""), bin_dir, os.environ["PATH"]) if p)
    printed = []
    for index, step in enumerate(action["runs"]["steps"]):
        if "run" not in step or "pip install" in step["run"]:
            continue
        output_file = tmp / f"output-{index}"
        output_file.write_text("")
        env = {**os.environ, "PATH": path, "GITHUB_EVENT_NAME": "push",
               "GITHUB_OUTPUT": str(output_file), "GITHUB_PATH": str(tmp / "path"),
               "GITHUB_ACTION_PATH": str(REPO), "RUNNER_TEMP": str(tmp), "NO_COLOR": "1",
               "KKCTL_CACHE_DIR": str(tmp / "cache"), **extra}
        env.update({key: resolve(value, values, steps_out)
                    for key, value in (step.get("env") or {}).items()})
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=workspace, env=env, capture_output=True,
                              text=True, timeout=120)
        printed.append(done.stdout + done.stderr)
        if "id" in step:
            steps_out[step["id"]] = dict(line.split("=", 1) for line in
                                         output_file.read_text().splitlines() if line)
        if done.returncode != 0:
            return ActionRun(done.returncode, "".join(printed), outputs(action, steps_out))
    return ActionRun(0, "".join(printed), outputs(action, steps_out))


def resolve(text: str, inputs: dict[str, str], steps: dict[str, dict[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        if parts[0] == "inputs":
            return inputs[parts[1]]
        if parts[0] == "steps" and parts[2] == "outputs":
            return steps.get(parts[1], {}).get(parts[3], "")
        if match.group(1) == "github.token":
            return "the-workflow-token"
        raise AssertionError(f"an expression the test runner does not know: {match.group()}")

    return EXPRESSION.sub(value, str(text))


def outputs(action: dict[str, Any], steps: dict[str, dict[str, str]]) -> dict[str, str]:
    return {name: resolve(spec["value"], {}, steps) for name, spec in action["outputs"].items()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository checkout holding the example organisation in a folder with an awkward
    name: a space, quotes and a command substitution that must stay text."""
    root = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "acme-consulting", root / "it's $(touch pwned-path) org")
    return root


ORG = "it's $(touch pwned-path) org"


def test_clean_organisation(workspace: Path, tmp_path: Path) -> None:
    run = run_action(workspace, {"path": ORG, "sarif": "out dir.sarif"}, tmp_path)
    assert run.code == 0, run.out
    assert run.outputs == {"exit-code": "0", "sarif-file": "out dir.sarif", "errors": "0",
                           "warnings": "0", "comment-id": "", "comment-url": ""}
    assert json.loads((workspace / "out dir.sarif").read_text())["runs"][0]["results"] == []
    assert "kkctl lint: 0 errors, 0 warnings, exit code 0" in run.out
    assert not list(tmp_path.rglob("pwned*"))


def test_findings_become_annotations(workspace: Path, tmp_path: Path) -> None:
    run = run_action(workspace, {"path": ORG, "args": "--profile strict"}, tmp_path)
    assert run.code == 0, run.out
    assert "::notice file=it's $(touch pwned-path) org/org/promises.yaml,line=11,col=5," \
           "title=KK230::promise 'p-measured-savings'" in run.out


def test_errors_fail_the_step_with_lints_exit_code(workspace: Path, tmp_path: Path) -> None:
    teams = workspace / ORG / "org" / "teams.yaml"
    teams.write_text(teams.read_text().replace("leader: okafor", "leader: nobody", 1))
    run = run_action(workspace, {"path": ORG}, tmp_path)
    assert run.code == 1, run.out
    assert run.outputs["exit-code"] == "1" and int(run.outputs["errors"]) >= 1
    assert re.search(r"^::error file=it's \$\(touch pwned-path\) org/org/teams\.yaml,"
                     r"line=\d+,col=\d+,title=KK\d+::.*nobody", run.out, re.MULTILINE), run.out


def test_args_are_words_never_code(workspace: Path, tmp_path: Path) -> None:
    args = "--strict \"$(touch pwned-1)\" ';touch pwned-2' `touch pwned-3` $HOME"
    run = run_action(workspace, {"path": ORG, "args": args}, tmp_path)
    assert not list(tmp_path.rglob("pwned*")) and not list(Path.cwd().glob("pwned*"))
    # kkctl refuses the unknown words (exit 2), and that crash is not hidden
    assert run.code == 2 and run.outputs["exit-code"] == "2", run.out
    assert "unexpected extra argument" in run.out and "$(touch" in run.out
    assert "::error title=kkctl::kkctl lint exited with 2 and wrote no SARIF report" in run.out
