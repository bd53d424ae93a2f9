"""What kkctl writes keeps what the file was (mode, owner, links) and refuses what must not be
written; ``kkctl fmt`` is bounded in size, never hangs on a special file, and is lossless to
the text of every scalar, comments travelling with sorted entities. Real CLI, real files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import assert_no_traceback, write_tree
from kkctl.fmt import FormatError, _ensure_lossless, _kk_data
from kkctl.yamlread import read_yaml

PROJECT = "kkctl: 1\norganisation: {id: o, name: O, locale: en}\n"
UNFORMATTED = "people:\n- name: Ann\n  id: ann\n"  # fmt reorders the keys and indents
FORMATTED = "people:\n  - id: ann\n    name: Ann\n"


def _project(root: Path, files: dict[str, str] | None = None) -> Path:
    return write_tree(root, {"kkctl.yaml": PROJECT, **(files or {})})


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Run the CLI under umask 027 (the child inherits it), then put the old one back."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_fmt_keeps_each_files_mode(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": UNFORMATTED, "b.yaml": UNFORMATTED,
                                     "c.yaml": UNFORMATTED})
    for name, mode in (("a.yaml", 0o644), ("b.yaml", 0o640), ("c.yaml", 0o664)):
        os.chmod(root / name, mode)
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err
    for name, mode in (("a.yaml", 0o644), ("b.yaml", 0o640), ("c.yaml", 0o664)):
        assert (root / name).read_text() == FORMATTED
        assert _mode(root / name) == mode, name
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_fmt_keeps_the_owner(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": UNFORMATTED})
    os.chown(root / "a.yaml", 65534, 65534)
    assert kkctl("fmt", str(root)).code == 0
    info = os.stat(root / "a.yaml")
    assert (info.st_uid, info.st_gid) == (65534, 65534)
    assert (root / "a.yaml").read_text() == FORMATTED


def test_a_new_output_file_gets_the_umask_mode(kkctl, tmp_path: Path, umask: None) -> None:
    root = _project(tmp_path / "p")
    run = kkctl("validate", str(root), "--output", str(tmp_path / "out.txt"))
    assert run.code == 0, run.err
    assert _mode(tmp_path / "out.txt") == 0o640  # 0o666 & ~0o027, not mkstemp's 0o600


def test_an_existing_output_keeps_its_mode(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    os.chmod(out, 0o604)
    assert kkctl("validate", str(root), "--output", str(out)).code == 0
    assert _mode(out) == 0o604 and out.read_text() != "old\n"


def test_a_read_only_file_is_refused_not_rewritten(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": UNFORMATTED})
    os.chmod(root / "a.yaml", 0o444)
    run = kkctl("fmt", str(root), cwd=root)
    assert run.code == 2, run.err
    assert_no_traceback(run)
    assert "'" + str(root / "a.yaml") + "' is read-only" in run.err
    assert "chmod u+w" in run.err and "internal error" not in run.err
    assert (root / "a.yaml").read_text() == UNFORMATTED and _mode(root / "a.yaml") == 0o444


def test_a_read_only_file_that_needs_no_change_is_fine(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": FORMATTED})
    os.chmod(root / "a.yaml", 0o444)
    os.chmod(root / "kkctl.yaml", 0o444)
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err


def test_a_read_only_output_is_refused(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    out = tmp_path / "out.txt"
    out.write_text("keep\n")
    os.chmod(out, 0o444)
    run = kkctl("validate", str(root), "--output", str(out))
    assert run.code == 2 and "is read-only" in run.err, run.err
    assert_no_traceback(run)
    assert out.read_text() == "keep\n"


def test_fmt_in_a_read_only_folder_names_the_folder(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"org/a.yaml": UNFORMATTED})
    os.chmod(root / "org", 0o555)  # root may still write there: the mode bits are read
    try:
        run = kkctl("fmt", str(root), cwd=root)
    finally:
        os.chmod(root / "org", 0o755)
    assert run.code == 2, run.err
    assert_no_traceback(run)
    assert f"cannot create a file in folder '{root / 'org'}'" in run.err
    assert "read-only" in run.err and "chmod u+w" in run.err
    assert "internal error" not in run.err
    assert (root / "org/a.yaml").read_text() == UNFORMATTED


def test_fmt_writes_through_a_link_inside_the_project(kkctl, tmp_path: Path) -> None:
    # the target sits in a hidden folder, which fmt does not list: only the link leads to it
    root = _project(tmp_path / "p", {".shared/people.yaml": UNFORMATTED})
    (root / "people.yaml").symlink_to(Path(".shared/people.yaml"))
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err
    assert (root / "people.yaml").is_symlink()
    assert (root / ".shared/people.yaml").read_text() == FORMATTED


def test_an_output_link_leading_out_of_the_folder_is_refused(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    outside = tmp_path / "home" / ".bashrc"
    outside.parent.mkdir()
    outside.write_text("export PATH\n")
    (root / "out.txt").symlink_to(outside)
    run = kkctl("validate", ".", "--output", "out.txt", cwd=root)
    assert run.code == 2, run.err
    assert_no_traceback(run)
    assert "'out.txt' is a symbolic link to" in run.err and "outside" in run.err
    assert outside.read_text() == "export PATH\n"
    assert (root / "out.txt").is_symlink()


def test_a_planted_report_link_cannot_overwrite_a_file_outside(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    outside = tmp_path / "home" / ".bashrc"
    outside.parent.mkdir()
    outside.write_text("export PATH\n")
    (root / "REPORT.md").symlink_to(outside)
    run = kkctl("report", "--out", "REPORT.md", cwd=root)
    assert run.code == 2, run.err
    assert_no_traceback(run)
    assert outside.read_text() == "export PATH\n" and (root / "REPORT.md").is_symlink()


def test_an_output_link_inside_the_folder_is_written_through(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "reports").mkdir()
    (root / "latest.txt").symlink_to(Path("reports/2024.txt"))
    run = kkctl("validate", ".", "--output", "latest.txt", cwd=root)
    assert run.code == 0, run.err
    assert (root / "latest.txt").is_symlink()
    assert (root / "reports/2024.txt").read_text() == (root / "latest.txt").read_text() != ""


def test_fmt_keeps_a_hard_link(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": UNFORMATTED})
    twin = tmp_path / "twin.yaml"  # outside the project: fmt sees one name only
    os.link(root / "a.yaml", twin)
    os.chmod(root / "a.yaml", 0o640)
    inode = os.stat(root / "a.yaml").st_ino
    assert kkctl("fmt", str(root)).code == 0
    assert os.stat(root / "a.yaml").st_ino == inode == os.stat(twin).st_ino
    assert os.stat(twin).st_nlink == 2 and _mode(twin) == 0o640
    assert twin.read_text() == FORMATTED


def test_fmt_skips_a_file_over_the_size_limit(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"big.yaml": UNFORMATTED + "# padding\n" * 50})
    size = (root / "big.yaml").stat().st_size
    run = kkctl("fmt", str(root), "--max-file-size", "200", cwd=root)
    assert run.code == 1, run.err
    assert (f"big.yaml:1:1: the file is {size} bytes, over the limit of 200; raise it with "
            "--max-file-size") in run.err
    assert (root / "big.yaml").read_text().startswith(UNFORMATTED)
    russian = kkctl("fmt", str(root), "--max-file-size", "200", "--lang", "ru", cwd=root)
    assert russian.code == 1 and "big.yaml:1:1: файл занимает" in russian.err
    assert kkctl("fmt", str(root), "--max-file-size", "100000").code == 0
    assert (root / "big.yaml").read_text().startswith(FORMATTED)


def test_the_default_size_limit_is_20_mib(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    with open(root / "huge.yaml", "wb") as out:  # sparse: big, but no time to write
        out.truncate(20 * 1024 * 1024 + 1)
    run = kkctl("fmt", str(root), cwd=root, timeout=60)
    assert run.code == 1 and "huge.yaml:1:1: the file is 20971521 bytes, over the limit of " \
                             "20971520" in run.err, run.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fmt_does_not_hang_on_a_fifo(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.yaml": UNFORMATTED})
    os.mkfifo(root / "x.yaml")
    run = kkctl("fmt", str(root), cwd=root, timeout=30)
    assert run.code == 1, run.err
    assert_no_traceback(run)
    assert "x.yaml:1:1: this is a FIFO (named pipe), not a regular file" in run.err
    assert (root / "a.yaml").read_text() == FORMATTED


SCALARS = """\
values:
- name: Scalars
  id: scalars
  x-when: 2001-12-14t21:59:43.10-05:00
  x-day: 2002-12-14
  x-float: 1.10
  x-exp: 1e3
  x-hex: 0x1F
  x-octal: 0o17
  x-plus: +1
  x-dot: .5
  x-tilde: ~
  x-null: null
  x-yes: yes
  x-single: '1.10'
  x-double: "2001-12-14"
  x-big: 12345678901.123456
"""


def test_fmt_never_respells_a_scalar(kkctl, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"s.yaml": SCALARS})
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err
    after = (root / "s.yaml").read_text()
    assert after.startswith("values:\n  - id: scalars\n    name: Scalars\n")
    for line in SCALARS.splitlines()[3:]:
        assert "    " + line.strip() + "\n" in after, line
    assert kkctl("fmt", str(root), "--check").code == 0


def test_the_losslessness_check_sees_a_respelled_timestamp() -> None:
    before = "a: 2001-12-14t21:59:43.10-05:00\nb: 1.10\n"
    for after in ("a: 2001-12-14T21:59:43.100000-05:00\nb: 1.10\n",
                  "a: 2001-12-14t21:59:43.10-05:00\nb: 1.1\n"):
        with pytest.raises(FormatError):
            _ensure_lossless(before, _kk_data(before), after, False)


SORTED_WITH_COMMENTS = """\
kkctl: 1
organisation: {id: o, name: O, locale: en}
fmt: {sort: true}
people:
  # Zoe runs the shop
  - id: zoe
    name: Zoe
    x-tags:
      - owner  # since 2019
  # Ann keeps the books
  # (two lines about Ann)
  - {id: ann, name: Ann}

  # Mia answers the phone
  - name: Mia
    id: mia  # was 'maria'
# the teams follow
teams: []
"""


def _kk_view(text: str) -> object:
    data = read_yaml(text.encode(), "x").data
    data["people"].sort(key=lambda p: p["id"])
    return data


def test_sorting_keeps_each_comment_above_its_entity(kkctl, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"kkctl.yaml": SORTED_WITH_COMMENTS})
    run = kkctl("fmt", str(root))
    assert run.code == 0, run.err
    after = (root / "kkctl.yaml").read_text()
    assert after.endswith("people:\n"
                          "  # Ann keeps the books\n"
                          "  # (two lines about Ann)\n"
                          "  - {id: ann, name: Ann}\n"
                          "  # Mia answers the phone\n"
                          "  - id: mia  # was 'maria'\n"
                          "    name: Mia\n"
                          "\n"  # blank lines keep their place: the layout stays
                          "  # Zoe runs the shop\n"
                          "  - id: zoe\n"
                          "    name: Zoe\n"
                          "    x-tags:\n"
                          "      - owner  # since 2019\n"
                          "# the teams follow\n"
                          "teams: []\n"), after
    assert _kk_view(after) == _kk_view(SORTED_WITH_COMMENTS)
    again = kkctl("fmt", str(root), "--check")
    assert again.code == 0, again.out + again.err
    assert kkctl("fmt", str(root)).code == 0
    assert (root / "kkctl.yaml").read_text() == after
