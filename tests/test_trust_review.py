"""Defects an attacker's review of the trust, layout and Russian-first work found; each is a
regression test through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, assert_no_traceback, write_tree

ORG = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: ru}
people:
  - {id: ann, name: "NAME"}
  - {id: bob, name: Bob}
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes: [{id: s, unit: t, share: SHARE}]
periods: [{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000000,
           teams: {t: {income: 22000000, expenses: 0}}}]
"""


def org(root: Path, name: str = "Ann", share: str = "0.20") -> Path:
    return write_tree(root, {"kkctl.yaml": ORG.replace("NAME", name).replace("SHARE", share)})


def test_an_output_cannot_leave_through_a_symlinked_folder(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "docs").symlink_to(outside, target_is_directory=True)
    example = tmp_path / "acme"  # has a canvas: report --assets would write a chart
    shutil.copytree(EXAMPLES / "acme-consulting", example)
    (example / "docs").symlink_to(outside, target_is_directory=True)
    for args, cwd in ((["bonus", str(project), "--out", "docs/victim.md"], project),
                      (["lint", str(project), "-o", "docs/victim.md"], project),
                      (["report", str(example), "--assets", "docs/charts"], example)):
        run = kkctl(*args, cwd=cwd)
        assert run.code == 2, (args, run.err)
        assert_no_traceback(run)
    assert list(outside.iterdir()) == []


def test_a_file_name_cannot_start_a_github_workflow_command(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    (project / "::error title=Approved::LGTM.yaml").write_text("a: [\n", encoding="utf-8")
    for fmt in ("text", "github"):
        run = kkctl("validate", str(project), "-f", fmt, cwd=project)
        assert run.code == 1
        assert not any(line.startswith("::error title=Approved")
                       for line in (run.out + run.err).splitlines()), run.out


def test_diff_json_keeps_every_kopeck(kkctl, tmp_path: Path) -> None:
    old = org(tmp_path / "old")
    new = write_tree(tmp_path / "new", {"kkctl.yaml": (old / "kkctl.yaml").read_text(
        encoding="utf-8").replace("net_profit: 1000000", "net_profit: 999999999999999.99")})
    data = json.loads(kkctl("diff", "--paths", str(old), str(new), "-f", "json").out)
    (change,) = data["changes"]
    assert change["fields"][0]["new"] == "999999999999999.99"


def test_deeply_nested_folders_are_a_warning_not_a_crash(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    deep = project.joinpath(*["d"] * 300)
    deep.mkdir(parents=True)
    run = kkctl("validate", str(project))
    assert run.code == 0, run.err
    assert_no_traceback(run)
    assert " KK010 " in run.out and "64" in run.out


@pytest.mark.parametrize("encoding", ["ascii", "koi8-r"])
def test_a_terminal_that_is_not_utf8_gets_output_not_a_crash(encoding: str) -> None:
    from conftest import kkctl_command

    run = subprocess.run([*kkctl_command(), "bonus", str(EXAMPLES / "poleznaya-eda")],
                         capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding})
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode(encoding)
    assert "Traceback" not in out and "rs-sovet" in out


def test_markdown_has_no_links_mentions_or_math_from_names(kkctl, tmp_path: Path) -> None:
    name = "Pay https://evil.example/x @acme/security $x^2$ www.evil.example"
    project = org(tmp_path / "co", name=name)
    out = kkctl("bonus", str(project), "-f", "markdown").out
    row = next(line for line in out.splitlines() if "evil" in line)
    assert "https://" not in row and "www.evil" not in row and "@acme" not in row
    assert "$x" not in row.replace("\\$", "")


def test_diff_output_never_overwrites_an_organisation_file(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    before = (project / "kkctl.yaml").read_bytes()
    run = kkctl("diff", "--paths", str(project), str(project), "--output",
                str(project / "kkctl.yaml"))
    assert run.code == 2
    assert (project / "kkctl.yaml").read_bytes() == before


def test_the_share_is_shown_as_it_is_computed(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co", share="0.123456")
    out = kkctl("bonus", str(project)).out.replace("\u00a0", " ")
    assert "12,3456 %" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_problems_speak_the_organisations_language(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    run = kkctl("diff", str(project), env={"KKCTL_LANG": "", "LANG": "C"}, cwd=project)
    assert run.code == 2 and "не в репозитории git" in run.err, run.err
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    run = kkctl("diff", "nope", str(project), cwd=project, env={"KKCTL_LANG": ""})
    assert run.code == 2 and "ревизии 'nope' нет" in run.err, run.err


def test_umask_is_respected_for_a_new_file(kkctl, tmp_path: Path) -> None:
    project = org(tmp_path / "co")
    target = tmp_path / "statement.csv"
    from conftest import kkctl_command

    run = subprocess.run(["sh", "-c", 'umask 027 && exec "$@"', "sh", *kkctl_command(),
                          "bonus", str(project), "-f", "csv", "--out", str(target)],
                         capture_output=True, text=True, env={**os.environ, "KKCTL_LANG": "en"})
    assert run.returncode == 0, run.stderr
    assert target.stat().st_mode & 0o777 == 0o640
