"""Errors that used to end in "internal error": one positioned line, exit 2, nothing written.

`kkctl init` and `kkctl report` refuse paths they cannot use before any work; a user's
report template is bounded (recursion, output size, time, memory, huge numbers) and every way
it fails names the template file and line.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, assert_no_traceback


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme-consulting", target)
    return target


def files_below(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def assert_usage_error(run: Run, *fragments: str) -> None:
    """Exit 2, one line on stderr with every fragment, no traceback, not an internal error."""
    assert run.code == 2, (run.code, run.err)
    assert_no_traceback(run)
    assert "internal error" not in run.err
    assert len(run.err.strip().splitlines()) == 1, run.err
    for fragment in fragments:
        assert fragment in run.err, run.err


# kkctl init


def test_init_into_an_existing_file(kkctl, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine\n")
    run = kkctl("init", str(target))
    assert_usage_error(run, f"'{target}' is a file, not a folder")
    assert target.read_text() == "mine\n" and files_below(tmp_path) == ["notes.txt"]


def test_init_where_the_scaffold_needs_a_folder(kkctl, tmp_path: Path) -> None:
    project = tmp_path / "company"
    (project / "org").mkdir(parents=True)
    (project / "org" / "teams").write_text("a file\n")
    run = kkctl("init", str(project), "--lang", "ru")
    assert_usage_error(run, f"'{project / 'org' / 'teams'}' — файл там, где нужна папка")
    assert files_below(project) == ["org", "org/teams"]  # nothing written


def test_init_below_a_file(kkctl, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x\n")
    run = kkctl("init", str(tmp_path / "plain" / "company"))
    assert_usage_error(run, "is a file where a folder is needed")
    assert files_below(tmp_path) == ["plain"]


# kkctl report: paths


def test_report_assets_names_a_file(kkctl, example: Path, tmp_path: Path) -> None:
    assets = tmp_path / "charts"
    assets.write_text("x\n")
    out = tmp_path / "REPORT.md"
    run = kkctl("report", str(example), "--assets", str(assets), "--out", str(out))
    assert_usage_error(run, f"--assets '{assets}' is a file, not a folder")
    assert not out.exists() and assets.read_text() == "x\n"


def test_report_out_names_a_folder(kkctl, example: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    run = kkctl("report", str(example), "--out", str(out), "--assets", str(tmp_path / "c"))
    assert_usage_error(run, f"--out '{out}' is a folder", str(out / "REPORT.md"))
    assert files_below(out) == [] and not (tmp_path / "c").exists()


def test_report_out_in_a_missing_folder(kkctl, example: Path, tmp_path: Path) -> None:
    run = kkctl("report", str(example), "--out", str(tmp_path / "nowhere" / "R.md"))
    assert_usage_error(run, f"the folder '{tmp_path / 'nowhere'}' does not exist")


def test_missing_template_folder_is_an_error(kkctl, example: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-templates"
    run = kkctl("report", str(example), "--template", str(missing))
    assert_usage_error(run, f"--template '{missing}': no such folder")
    assert run.out == ""
    run = kkctl("report", str(example), "--template", str(example / "kkctl.yaml"), "--lang", "ru")
    assert_usage_error(run, "— это файл; укажите папку")


# kkctl report: user templates

RECURSION = "the template recurses without end"
TOO_LONG = "would build a string or list over 32 MB"
TOO_BIG = "would build a number of more than 100000 bits"
MEMORY = "needed more than 512 MB of memory"


@pytest.mark.parametrize(("template", "line", "message"), [
    ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}", 1, RECURSION),
    ("# title\n{% include 'report.md.j2' %}", 2, RECURSION),
    ("{{ 10 ** (10 ** 10) }}", 1, TOO_BIG),
    ("{% set ns = namespace(x=2 ** 1000) %}\n{% for i in range(20) %}\n"
     "{% set ns.x = ns.x * ns.x %}{% endfor %}", 3, "'*' " + TOO_BIG),
    ("{{ 'x' * 10 ** 10 }}", 1, TOO_LONG),
    ("{{ [0] * 10 ** 10 }}", 1, TOO_LONG),
    ("{{ '%0999999999d' % 1 }}", 1, TOO_LONG),
    ("{{ 'x' | center(10 ** 10) }}", 1, MEMORY),
    ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", 1, MEMORY),
    ("ok\n{{ [][5] }}", 2, "UndefinedError: list object has no element 5"),
    ("{{ header.no_such_field }}", 1, "has no attribute 'no_such_field'"),
    ("{{ no_such_name }}", 1, "'no_such_name' is undefined"),
    ("{{ range(10 ** 9) | join }}", 1, "OverflowError: Range too big"),
    ("{{ 1 / 0 }}", 1, "ZeroDivisionError"),
    ("\n{% for x %}", 2, "TemplateSyntaxError"),
    ("{{ ''.__class__ }}", 1, "SecurityError"),
], ids=["macro-recursion", "self-include", "huge-power", "squaring", "huge-string",
        "huge-list", "huge-format-width", "huge-center", "doubling-string", "index",
        "attribute", "undefined", "huge-range", "zero-division", "syntax", "sandbox"])
def test_failing_template_names_file_and_line(kkctl, example: Path, tmp_path: Path,
                                              template: str, line: int, message: str) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(template)
    out, assets = tmp_path / "REPORT.md", tmp_path / "charts"
    run = kkctl("report", str(example), "--template", str(folder), "--out", str(out),
                "--assets", str(assets), timeout=60)
    assert_usage_error(run, f"{folder / 'report.md.j2'}:{line}: ", message)
    assert not out.exists() and not assets.exists()


def test_output_is_capped(kkctl, example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        "head\n{% for i in range(100000) %}{% for j in range(100000) %}"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "{% endfor %}{% endfor %}")
    run = kkctl("report", str(example), "--template", str(folder), timeout=120)
    assert_usage_error(run, f"{folder / 'report.md.j2'}:2: ", "output passed 32 MB")
    assert run.out == ""


def test_time_is_bounded_even_without_output(kkctl, example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}")
    run = kkctl("report", str(example), "--template", str(folder),
                env={"KKCTL_TEMPLATE_TIMEOUT": "1.5"}, timeout=60)
    assert_usage_error(run, f"{folder / 'report.md.j2'}:2: ", "ran for more than 1.5 s",
                       "KKCTL_TEMPLATE_TIMEOUT")
    bad = kkctl("report", str(example), "--template", str(folder),
                env={"KKCTL_TEMPLATE_TIMEOUT": "soon"})
    assert_usage_error(bad, "KKCTL_TEMPLATE_TIMEOUT='soon' is not a number of seconds")


def test_failing_canvas_template_writes_no_chart(kkctl, example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "canvas.svg.j2").write_text("<svg>\n{{ title.missing }}</svg>")
    out, assets = tmp_path / "REPORT.md", tmp_path / "charts"
    run = kkctl("report", str(example), "--template", str(folder), "--out", str(out),
                "--assets", str(assets), "--lang", "ru")
    assert_usage_error(run, f"{folder / 'canvas.svg.j2'}:2: ошибка в шаблоне: UndefinedError")
    assert not out.exists() and not assets.exists()


def test_working_template_beside_limits(kkctl, example: Path, tmp_path: Path) -> None:
    """Bounded operators still compute what a report needs."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        "{{ 2 ** 64 }} {{ '-' * 3 }} {{ [1] + [2] }} {{ '%05d' % 42 }} {{ 7 * 6 }}\n")
    run = kkctl("report", str(example), "--template", str(folder))
    assert (run.code, run.out) == (0, "18446744073709551616 --- [1, 2] 00042 42\n"), run.err


def test_system_refusal_is_not_an_internal_error(kkctl, tmp_path: Path) -> None:
    """An OSError from the system (here: a name too long) names the path, exit 2."""
    target = tmp_path / ("n" * 300)
    run = kkctl("init", str(target))
    assert_usage_error(run, str(target), "check the path and its permissions")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="permission bits do not bind root (or Windows)")
def test_unwritable_folder_is_not_an_internal_error(kkctl, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    run = kkctl("init", str(locked / "company"))
    assert_usage_error(run, str(locked / "company"), "check the path and its permissions")


def test_a_canvas_id_cannot_lead_an_svg_out_of_the_assets_folder(kkctl, example: Path,
                                                                   tmp_path: Path) -> None:
    """The report runs on organisations that fail validation: a crafted canvas id must not
    name a file outside --assets."""
    kkctl_yaml = example / "kkctl.yaml"
    kkctl_yaml.write_text(kkctl_yaml.read_text(encoding="utf-8").replace(
        "id: energy-canvas", "id: ../../escaped"), encoding="utf-8")
    assets = tmp_path / "site" / "charts"
    assets.parent.mkdir()
    run = kkctl("report", str(example), "--assets", str(assets),
                "--out", str(tmp_path / "site" / "REPORT.md"))
    assert run.code in (0, 1), run.err
    assert_no_traceback(run)
    assert not (tmp_path / "escaped.svg").exists() and not (tmp_path / "site" / "escaped.svg")\
        .exists()
    names = [p.name for p in assets.iterdir()]
    assert len(names) == 1 and names[0].startswith("canvas-") and "/" not in names[0], names
