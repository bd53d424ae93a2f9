"""The command line contract: help, version, exit codes, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import assert_no_traceback, write_tree
from kkctl import __version__


def test_version(kkctl) -> None:
    run = kkctl("--version")
    assert (run.code, run.out) == (0, f"kkctl {__version__}\n")


def test_help_lists_each_command_on_one_line(kkctl) -> None:
    run = kkctl("--help")
    assert run.code == 0
    commands = run.out.split("Commands:")[1].strip().splitlines()
    names = [line.split()[0] for line in commands]
    assert names == ["validate", "lint", "explain", "status", "bonus", "report", "diff", "log",
                     "init", "import", "fmt", "lsp", "schema"]
    assert all(len(line.split(maxsplit=1)) == 2 for line in commands)


def test_missing_path_exits_2_without_traceback(kkctl, tmp_path: Path) -> None:
    run = kkctl("validate", str(tmp_path / "nope"))
    assert run.code == 2
    assert run.err == f"kkctl: error: path '{tmp_path / 'nope'}' does not exist\n"
    assert_no_traceback(run)


def test_folder_without_project_file_exits_2(kkctl, tmp_path: Path) -> None:
    run = kkctl("validate", str(tmp_path))
    assert run.code == 2
    assert "has no kkctl.yaml" in run.err


def test_no_project_found_upward_exits_2(kkctl, tmp_path: Path) -> None:
    run = kkctl("validate", cwd=tmp_path)
    assert run.code == 2
    assert "no kkctl.yaml in this folder or any folder above it" in run.err


def test_bad_option_exits_2(kkctl, tiny_org: Path) -> None:
    run = kkctl("validate", str(tiny_org), "--format", "xml")
    assert run.code == 2
    assert_no_traceback(run)


def test_searches_upward_from_a_subfolder(kkctl, tiny_org: Path) -> None:
    run = kkctl("validate", cwd=tiny_org / "teams")
    assert run.code == 0
    assert run.lines == ["no problems in 3 files"]


def test_accepts_the_project_file_itself(kkctl, tiny_org: Path) -> None:
    assert kkctl("validate", str(tiny_org / "kkctl.yaml")).lines == ["no problems in 3 files"]


def test_single_self_contained_file(kkctl, tmp_path: Path) -> None:
    write_tree(tmp_path, {"org.yaml": """
kkctl: 1
organisation: {id: solo, name: Solo, locale: en}
people: [{id: ann, name: Ann}]
teams: [{id: core, name: Core, leader: ann}]
""", "other.yaml": "garbage: [\n"})
    run = kkctl("validate", str(tmp_path / "org.yaml"))
    assert (run.code, run.lines) == (0, ["no problems in 1 file"])


def test_exclude_globs_and_hidden_folders(kkctl, tiny_org: Path) -> None:
    project = tiny_org / "kkctl.yaml"
    project.write_text(project.read_text() + 'exclude: ["drafts/**", "*.tmp.yaml"]\n')
    write_tree(tiny_org, {
        "drafts/wip.yaml": "broken: [\n",
        "notes.tmp.yaml": "broken: [\n",
        ".github/workflows/ci.yml": "on: push\n",
        ".pre-commit-config.yaml": "repos: []\n",
    })
    run = kkctl("validate", str(tiny_org))
    assert (run.code, run.lines) == (0, ["no problems in 3 files"])


def test_exclude_pattern_that_climbs_out_is_ignored_with_a_warning(kkctl, tiny_org: Path) -> None:
    project = tiny_org / "kkctl.yaml"
    project.write_text(project.read_text() + 'exclude: ["../**"]\n')
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 0
    assert run.lines[0] == ("kkctl.yaml:11:11: warning KK010 exclude pattern '../**' points "
                            "outside the project; ignored")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlink_leading_outside_is_not_followed(kkctl, tiny_org: Path, tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.yaml": "people: [{id: x, name: X}]\n"})
    (tiny_org / "linked.yaml").symlink_to(outside / "secret.yaml")
    (tiny_org / "loop").symlink_to(tiny_org, target_is_directory=True)
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 0
    assert run.lines[0].startswith("linked.yaml:1:1: warning KK010 symbolic link leads outside "
                                   "the project")


def test_internal_error_is_one_line_and_debug_shows_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tiny_org: Path) -> None:
    import kkctl.loader
    from kkctl.__main__ import main

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(kkctl.loader, "check", boom)
    monkeypatch.setenv("KKCTL_LANG", "en")
    for argv, want_traceback in ((["validate", str(tiny_org)], False),
                                 (["--debug", "validate", str(tiny_org)], True)):
        monkeypatch.setattr(sys, "argv", ["kkctl", *argv])
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert ("Traceback" in err) is want_traceback
        assert err.splitlines()[-1] == ("kkctl: internal error: RuntimeError: simulated failure; "
                                        "re-run with --debug for the traceback and report it")


def test_python_m_kkctl_works(tiny_org: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kkctl", "validate", str(tiny_org)],
                          capture_output=True, text=True, env={"KKCTL_LANG": "en",
                                                               "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
