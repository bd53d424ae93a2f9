"""What kkctl reads comes from an untrusted pull request (issue 12, items 1, 2, 9).

Every file read from the project (organisation files, kkctl.yaml, the lint baseline, the
previous report) must be a regular file inside the project, under a size cap, read without
hanging; ``exclude:`` globs follow .gitignore and cannot make kkctl hang. All through the real
CLI on real files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, assert_no_traceback, kkctl_command, write_tree

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="links, FIFOs and modes are POSIX")
BROKEN = "broken: [\n"


def _acme(tmp_path: Path) -> Path:
    project = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme-consulting", project)
    return project


def _add_exclude(project: Path, patterns: list[str]) -> None:
    project_file = project / "kkctl.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8")
                            + f"exclude: {json.dumps(patterns)}\n", encoding="utf-8")


# -- the previous report (report --out/--check) ------------------------------------------------
@POSIX
def test_report_check_does_not_print_a_linked_environment(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / "REPORT.md").unlink()
    (project / "REPORT.md").symlink_to("/proc/self/environ")
    run = kkctl("report", "--out", "REPORT.md", "--check", cwd=project,
                env={"SECRET": "hunter2-do-not-print"})
    assert run.code == 2
    assert "hunter2" not in run.out + run.err
    assert run.err.startswith("kkctl: error: REPORT.md:1:1: the path leads outside the project "
                              "through a symbolic link")
    assert_no_traceback(run)


@POSIX
def test_report_refuses_a_link_to_dev_zero_without_eating_memory(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / "REPORT.md").unlink()
    (project / "REPORT.md").symlink_to("/dev/zero")
    run = kkctl("report", "--out", "REPORT.md", cwd=project, timeout=60)
    assert run.code == 2 and "REPORT.md:1:1:" in run.err
    assert (project / "REPORT.md").is_symlink(), "nothing written over a refused file"


@POSIX
def test_report_follows_a_link_that_stays_inside_the_project(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / "docs").mkdir()
    (project / "REPORT.md").rename(project / "docs" / "REPORT.md")
    (project / "REPORT.md").symlink_to(Path("docs") / "REPORT.md")
    run = kkctl("report", "--out", "REPORT.md", "--check", cwd=project)
    assert (run.code, run.err) == (0, "REPORT.md: up to date\n")


# -- the lint baseline -------------------------------------------------------------------------
@POSIX
def test_baseline_linked_outside_the_project_is_refused(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / ".kkctl-baseline.json").symlink_to("/proc/self/environ")
    run = kkctl("lint", str(project), env={"SECRET": "hunter2-do-not-print"})
    assert run.code == 2
    assert "hunter2" not in run.out + run.err
    assert ".kkctl-baseline.json:1:1: the path leads outside the project" in run.err


def test_deeply_nested_baseline_is_a_clear_error(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / ".kkctl-baseline.json").write_text("[" * 200_000, encoding="utf-8")
    run = kkctl("lint", str(project))
    assert run.code == 2
    assert "RecursionError" not in run.err and "internal error" not in run.err
    assert ".kkctl-baseline.json:1:1: not a kkctl baseline (nested too deeply)" in run.err


def test_malformed_baseline_names_line_and_column(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    (project / ".kkctl-baseline.json").write_text('{"findings":\n  [oops]}', encoding="utf-8")
    run = kkctl("lint", str(project))
    assert run.code == 2
    assert ".kkctl-baseline.json:2:4: not a kkctl baseline" in run.err


def test_oversized_baseline_is_not_read(kkctl, tmp_path: Path) -> None:
    project = _acme(tmp_path)
    with open(project / ".kkctl-baseline.json", "wb") as sparse:
        sparse.truncate(21 * 1024 * 1024)  # sparse: costs no disk, only a size
    run = kkctl("lint", str(project))
    assert run.code == 2
    assert "is 22020096 bytes, over kkctl's limit of 20971520" in run.err


# -- organisation files ------------------------------------------------------------------------
@POSIX
@pytest.mark.parametrize("command", ["validate", "lint"])
def test_fifo_named_like_yaml_is_an_error_not_a_hang(kkctl, tiny_org: Path, command: str) -> None:
    os.mkfifo(tiny_org / "pipe.yaml")
    run = kkctl(command, str(tiny_org), cwd=tiny_org, timeout=30)
    assert run.code == 1
    assert ("pipe.yaml:1:1: error KK006 this is a FIFO (named pipe), not a regular file; kkctl "
            "reads regular files only") in run.out


def test_folder_named_like_yaml_is_an_error(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {"old.yaml/people.yaml": BROKEN})
    run = kkctl("validate", "--lang", "ru", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0] == ("old.yaml:1:1: ошибка KK006 это папка, а не обычный файл; kkctl "
                            "читает только обычные файлы: замените его файлом, переименуйте "
                            "или удалите")


@POSIX
def test_project_file_linked_outside_is_not_read(kkctl, tiny_org: Path, tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"kkctl.yaml": "kkctl: 1\nsecret: [\n"})
    (tiny_org / "kkctl.yaml").unlink()
    (tiny_org / "kkctl.yaml").symlink_to(outside / "kkctl.yaml")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 1
    assert run.lines[0].startswith("kkctl.yaml:1:1: error KK006 the path leads outside the "
                                   "project through a symbolic link")
    assert "secret" not in run.out


@POSIX
def test_link_to_a_file_inside_the_project_is_read(kkctl, tiny_org: Path) -> None:
    write_tree(tiny_org, {".shared/more.yaml": "people:\n  - {id: ann, name: Ann}\n"})
    (tiny_org / "more.yaml").symlink_to(Path(".shared") / "more.yaml")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert (run.code, run.lines) == (0, ["no problems in 4 files"])


def _without_file_permissions(command: list[str]) -> list[str]:
    """Root reads any folder: drop that capability so a chmod-000 folder is unreadable."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: mode 000 does not stop root")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]


@POSIX
def test_unreadable_folder_is_a_positioned_warning(tiny_org: Path) -> None:
    write_tree(tiny_org, {"locked/people.yaml": BROKEN})
    (tiny_org / "locked").chmod(0)
    try:
        done = subprocess.run(
            _without_file_permissions([*kkctl_command(), "validate", "--no-cache", "."]),
            cwd=tiny_org, capture_output=True, text=True, timeout=60,
            env={**os.environ, "KKCTL_LANG": "en", "NO_COLOR": "1"})
    finally:
        (tiny_org / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "locked:1:1: warning KK010 the folder cannot be read (Permission denied); its files "
        "were not checked: make it readable, or add it to 'exclude:' in kkctl.yaml")


def test_file_name_that_is_not_utf8_is_shown_escaped(kkctl, tiny_org: Path) -> None:
    try:
        with open(os.fsencode(tiny_org) + b"/bad\xff.yaml", "wb") as bad:
            bad.write(b"people: [x]\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    for command in ("validate", "lint", "report"):
        run = kkctl(command, str(tiny_org), cwd=tiny_org)
        assert_no_traceback(run)
        assert "internal error" not in run.err, (command, run.err)
        assert "bad\\xff.yaml:1:" in run.out.replace("\\\\", "\\"), (command, run.out)
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert (run.code, run.lines[0].split(" ")[0]) == (1, "bad\\xff.yaml:1:10:")


# -- exclude: globs ----------------------------------------------------------------------------
def test_pathological_exclude_glob_does_not_hang(kkctl, tiny_org: Path) -> None:
    _add_exclude(tiny_org, ["**a**a**a**a**a**a**a**a**a**a**a**a**c"])
    (tiny_org / ("a" * 200 + ".yaml")).write_text(BROKEN, encoding="utf-8")
    run = kkctl("validate", str(tiny_org), cwd=tiny_org, timeout=10)  # hung forever before
    assert run.code == 1 and run.lines[0].startswith("a" * 200 + ".yaml:2:1: error KK001")


# (path, excluded?) for one pattern list; each case was checked with `git check-ignore`.
_GIT_CASES = [
    (["drafts"], {"drafts/a.yaml": True, "team/drafts/b.yaml": True, "drafts.yaml": False}),
    (["/drafts"], {"drafts/a.yaml": True, "team/drafts/b.yaml": False}),
    (["[ab].yaml"], {"a.yaml": True, "x/b.yaml": True, "c.yaml": False, "[ab].yaml": False}),
    (["[!a-c]?.yaml"], {"dx.yaml": True, "ax.yaml": False}),
    (["old/", "keep.yaml/"], {"old/a.yaml": True, "x/old/b.yaml": True, "older/c.yaml": False,
                              "keep.yaml": False}),
    (["team/**/*.tmp.yaml"], {"team/a.tmp.yaml": True, "team/x/y/b.tmp.yaml": True,
                              "other/c.tmp.yaml": False}),
    (["**/tmp/**"], {"tmp/a.yaml": True, "x/tmp/b.yaml": True, "tmpx/c.yaml": False}),
    (["*.yaml", "!keep*.yaml"], {"a.yaml": True, "keep-me.yaml": False}),
    (["arch", "!arch/keep.yaml"], {"arch/keep.yaml": True}),  # a folder's files stay out
    (["\\[x\\].yaml", "sp\\ "], {"[x].yaml": True, "x.yaml": False, "sp /a.yaml": True}),
    (["***/deep.yaml"], {"a/b/deep.yaml": True, "deep.yaml": True}),
]


@pytest.mark.parametrize(("patterns", "cases"), _GIT_CASES)
def test_exclude_follows_gitignore(kkctl, tiny_org: Path, patterns: list[str],
                                   cases: dict[str, bool]) -> None:
    _add_exclude(tiny_org, patterns)
    write_tree(tiny_org, dict.fromkeys(cases, BROKEN))
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    read = {line.split(":")[0] for line in run.lines if " KK001 " in line}
    assert {path: path not in read for path in cases} == cases
    if shutil.which("git"):  # the reference itself agrees
        (tiny_org / ".gitignore").write_text("\n".join(patterns) + "\n", encoding="utf-8")
        subprocess.run(["git", "init", "-q", str(tiny_org)], check=True)
        ignored = subprocess.run(["git", "check-ignore", "--no-index", *cases], cwd=tiny_org,
                                 capture_output=True, text=True).stdout.splitlines()
        assert {path: path in ignored for path in cases} == cases


def test_invalid_or_outside_exclude_patterns_are_warned_at_their_place(
        kkctl, tiny_org: Path) -> None:
    _add_exclude(tiny_org, ["ok/**", "broken[", "../up", "C:/abs"])
    run = kkctl("validate", str(tiny_org), cwd=tiny_org)
    assert run.code == 0
    line = len((tiny_org / "kkctl.yaml").read_text(encoding="utf-8").splitlines())
    assert run.lines[:3] == [
        f"kkctl.yaml:{line}:20: warning KK010 exclude pattern 'broken[' is not a valid glob "
        "('[' is not closed by ']'); ignored: fix it (a backslash makes '[' or '\\' literal)",
        f"kkctl.yaml:{line}:31: warning KK010 exclude pattern '../up' points outside the "
        "project; ignored",
        f"kkctl.yaml:{line}:40: warning KK010 exclude pattern 'C:/abs' points outside the "
        "project; ignored",
    ]


# -- the matcher against an independent implementation -----------------------------------------
_TOKENS = ["a", "b", "c", "-", " ", "\\ ", "#", "!", "/", "*", "**", "?", "[ab]", "[!a]",
           "[a-c]", "[]a]", "\\*", "\\[", "\\!"]
_NAMES = ["a", "b", "c", "ab", "ba", "abc", "a b", "a ", "-", "*", "[", "]", "!a", "#a"]


@given(pattern=st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=7).map("".join),
       path=st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4).map("/".join))
@settings(max_examples=2000, deadline=None, derandomize=True)
def test_matcher_agrees_with_pathspec(pattern: str, path: str) -> None:
    """pathspec's gitignore patterns as the oracle (a test dependency only), with its two
    departures from git (checked with ``git check-ignore``) accounted for: a run of three or
    more ``*`` before a slash is ``**`` in git, and a class never matches ``/``."""
    import re
    import warnings

    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    from kkctl.wildmatch import Excludes, Pattern, parse

    assume("***" not in pattern)
    try:
        regex, include = GitIgnoreSpecPattern.pattern_to_regex(pattern)
    except ValueError:  # e.g. '!' alone: nothing to match
        assume(False)
    ours = parse(pattern)
    if regex is None or ours is None:
        assert (ours is None) == (regex is None) or not pattern.strip("!/ ")
        return
    assert ours.negated == (include is False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": '[[' in a class
        expected = re.search(regex.replace("[^", "[^/"), path) is not None
    positive = Excludes([Pattern(ours.text, False, ours.dir_only, ours.nfa, ours.start,
                                 ours.accept)])
    assert positive.excluded_with_folders(path) == expected


@POSIX
def test_a_folder_swapped_for_a_link_mid_read_is_still_refused(tmp_path: Path) -> None:
    """A project's folders are resolved once while its files are read (14 lstat calls a file
    otherwise); a folder swapped for a link out after that is caught on the open
    descriptor, and the file outside is never returned."""
    from kkctl.safeio import UnsafeFileError, read_bytes_safely

    project = write_tree(tmp_path / "p", {"org/a.yaml": "a: 1\n", "org/b.yaml": "b: 1\n"})
    outside = write_tree(tmp_path / "outside", {"b.yaml": "secret: 1\n"})
    reals: dict[str, str] = {}
    assert read_bytes_safely(project / "org" / "a.yaml", project, 1000, None, reals) \
        == b"a: 1\n"
    assert str(project / "org") in reals  # remembered
    shutil.rmtree(project / "org")
    (project / "org").symlink_to(outside)
    with pytest.raises(UnsafeFileError) as caught:
        read_bytes_safely(project / "org" / "b.yaml", project, 1000, None, reals)
    assert caught.value.message_id == "file.link_outside"
    # where the system cannot say what a descriptor points at (no /proc), all the same
    import kkctl.safeio

    original = kkctl.safeio._opened_path
    kkctl.safeio._opened_path = lambda fd: None  # type: ignore[assignment]
    try:
        before = os.path.join(os.path.realpath(project), "org")
        reals = {str(project / "org"): before}  # remembered before the swap
        with pytest.raises(UnsafeFileError) as caught:
            read_bytes_safely(project / "org" / "b.yaml", project, 1000, None, reals)
        assert caught.value.message_id == "file.link_outside"
    finally:
        kkctl.safeio._opened_path = original
    # and a file that is itself a link out, in a remembered folder, is refused before opening
    (outside / "in.yaml").write_text("in: 1\n", encoding="utf-8")
    inside = write_tree(tmp_path / "q", {"org/a.yaml": "a: 1\n"})
    (inside / "org" / "link.yaml").symlink_to(outside / "in.yaml")
    reals = {}
    read_bytes_safely(inside / "org" / "a.yaml", inside, 1000, None, reals)
    with pytest.raises(UnsafeFileError) as caught:
        read_bytes_safely(inside / "org" / "link.yaml", inside, 1000, None, reals)
    assert caught.value.message_id == "file.link_outside"


@POSIX
def test_a_file_read_whole_whatever_size_stat_gave_and_never_past_the_cap() -> None:
    """The first read asks for the size ``fstat`` gave (plus one), not a megabyte a file;
    a file longer than that (grown since, or a size the system does not know) is still
    read to its end, and never more than the cap."""
    from kkctl.safeio import _read_at_most

    body = bytes(range(256)) * 40  # 10,240 bytes
    for size_hint, cap, expected in ((100, 1 << 20, body), (0, 1 << 20, body),
                                     (len(body), 1 << 20, body), (100, 5000, body[:5000])):
        read_end, write_end = os.pipe()
        os.write(write_end, body)
        os.close(write_end)
        try:
            assert _read_at_most(read_end, cap, "f.yaml", size_hint) == expected
        finally:
            os.close(read_end)
