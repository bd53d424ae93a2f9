"""User text cannot forge output: Markdown rows, links, HTML, ANSI escapes, bidi overrides.

Every writer (bonus, diff, report, the diagnostics formats) gets names and texts that try to
add a table row, a heading, a ``javascript:`` link, a ``<script>`` tag or terminal escapes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import assert_no_traceback, write_tree

# As YAML double-quoted escapes, so the files themselves are plain ASCII.
FORGED_ROW = r"B\n| Mallory (mallory) | 1 |  | 1 000 000.00 |"
ANSI = r"\x1b[31mred\x1b[0m"
BIDI = r"abc\u202Edcba\u2066x\u2069"
LINK = "[x](javascript:alert(1))"
SCRIPT = "<script>alert(1)</script>"
RAW_DANGER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
CELL_SPLIT = re.compile(r"(?<!\\)\|")

ORG = f"""
kkctl: 1
organisation: {{id: co, name: "Co {LINK}", currency: RUB, locale: en}}
values:
  - {{id: speed, name: "Speed {LINK}"}}
clients:
  - {{id: shoppers, name: "{SCRIPT}", kind: external}}
people:
  - {{id: ann, name: "{FORGED_ROW}"}}
  - {{id: bob, name: "{ANSI} {BIDI}"}}
  - {{id: cid, name: "Cid `tick` {SCRIPT} {LINK}"}}
teams:
  - {{id: t, name: "Team | one\\n# heading", leader: ann, members: [ann, bob, cid]}}
promises:
  - {{id: fast, kind: root, giver: t, receiver: shoppers, value: speed,
     text: "fast\\n| forged | row |\\n{SCRIPT} {ANSI} {LINK}"}}
reward_schemes: [{{id: s, unit: t}}]
periods: [{{id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: NET}}]
"""


def write_org(root: Path, net: str = "3000") -> Path:
    return write_tree(root, {"kkctl.yaml": ORG.replace("NET", net)})


def assert_inert(text: str) -> None:
    """No raw control or bidi character, no HTML tag, no script link."""
    assert not RAW_DANGER.search(text), repr(RAW_DANGER.search(text))
    assert "<script" not in text.lower()
    assert "](javascript:" not in text.lower()


def cells(line: str) -> list[str]:
    return [c.strip() for c in CELL_SPLIT.split(line.strip())[1:-1]]


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table: rows of cells, header first (separator line dropped)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                found.append(current)
            if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip()):
                current.append(cells(line))
        else:
            current = None
    return found


def assert_tables_regular(text: str) -> None:
    for table in tables(text):
        assert all(len(row) == len(table[0]) for row in table), table


def table_with(text: str, first_header: str) -> list[list[str]]:
    (table,) = [t for t in tables(text) if t[0] and t[0][0] == first_header]
    return table


def test_bonus_markdown_has_one_row_per_person(kkctl, tmp_path: Path) -> None:
    root = write_org(tmp_path / "org")
    run = kkctl("bonus", str(root), "--period", "q1", "-f", "markdown")
    assert run.code == 0, run.err
    assert_inert(run.out)
    assert_tables_regular(run.out)
    people = table_with(run.out, "person")
    assert len(people) == 1 + 3  # header and ann, bob, cid: no Mallory
    assert [row[-1] for row in people[1:]] == ["200.00"] * 3
    assert "Mallory" in people[1][0] and "(`ann`)" in people[1][0]
    assert not any(line.startswith("| Mallory") for line in run.out.splitlines())


def test_bonus_table_and_json_show_controls_escaped(kkctl, tmp_path: Path) -> None:
    root = write_org(tmp_path / "org")
    table = kkctl("bonus", str(root), "--period", "q1")
    assert table.code == 0, table.err
    assert not RAW_DANGER.search(table.out)
    assert "\\u001b[31mred" in table.out
    data = kkctl("bonus", str(root), "--period", "q1", "-f", "json")
    assert not RAW_DANGER.search(data.out)
    names = [p["name"] for p in json.loads(data.out)["schemes"][0]["payouts"]]
    assert names[1].startswith("\x1b[31mred")  # the value itself is kept exactly


def test_report_escapes_every_user_string(kkctl, tmp_path: Path) -> None:
    root = write_org(tmp_path / "org")
    out = tmp_path / "REPORT.md"
    run = kkctl("report", str(root), "--out", str(out), "--include-payouts")
    assert_no_traceback(run)
    assert run.code == 0, run.err
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    assert_tables_regular(text)
    assert not any(line.startswith("# heading") for line in text.splitlines())
    payouts = table_with(text, "Person")
    assert len(payouts) == 1 + 3
    promises = table_with(text, "Promise")
    assert len(promises) == 1 + 1 and "forged" in promises[1][0]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                        "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_markdown_cannot_be_forged(kkctl, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {"kkctl.yaml": re.sub(r'name: "[^"]*"', 'name: "plain"',
                                           ORG.replace("NET", "3000"))})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plain names")
    write_org(repo, net="6000")
    run = kkctl("diff", "-f", "markdown", "--include-payouts", "--lang", "en", cwd=repo)
    assert run.code == 0, run.err
    assert_inert(run.out)
    assert_tables_regular(run.out)
    people = table_with(run.out, "person")
    assert len(people) == 1 + 3
    assert all(row[-1] == "200.00 → 400.00 (+200.00)" for row in people[1:])
    assert not any(line.startswith(("| Mallory", "# heading")) for line in run.out.splitlines())
    text = kkctl("diff", "--include-payouts", "--lang", "en", cwd=repo)
    assert not RAW_DANGER.search(text.out)
    assert "\\u001b[31mred" in text.out


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    """A project whose second file's name and content carry ESC, bidi, ':' and ','."""
    root = write_tree(tmp_path / "org", {"kkctl.yaml": "kkctl: 1\norganisation: {id: co, "
                                                       "name: Co, locale: en}\n"})
    name = "\x1b[31mx\u202e,y:z.yaml"
    (root / name).write_text(f'clients:\n  - {{id: c, name: C, kind: "{ANSI}{BIDI}"}}\n',
                             encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_diagnostics_show_controls_in_every_format(kkctl, hostile_file: Path,
                                                   fmt: str) -> None:
    run = kkctl("validate", "--format", fmt, cwd=hostile_file)
    assert_no_traceback(run)
    assert run.code == 1, run.err
    assert not RAW_DANGER.search(run.out), repr(run.out)
    if fmt in ("json", "sarif"):
        json.loads(run.out)
    if fmt == "junit":
        root = ET.fromstring(run.out.encode("utf-8"))
        names = [case.get("name") for case in root.iter("testcase")]
        assert "\\u001b[31mx\\u202e,y:z.yaml" in names
    if fmt == "github":
        (line,) = [x for x in run.out.splitlines() if x.startswith("::error ")]
        props = line.split("::")[1].removeprefix("error ")
        assert props.split(",")[0] == "file=\\u001b[31mx\\u202e%2Cy%3Az.yaml"
        assert [p.split("=")[0] for p in props.split(",")] == ["file", "line", "col", "title"]
    if fmt == "text":
        assert run.lines[0].startswith("\\u001b[31mx\\u202e,y:z.yaml:2:")


def test_fmt_check_lists_a_hostile_file_name_escaped(kkctl, hostile_file: Path) -> None:
    # the file is not in fmt's form (a flow mapping): its name is listed, never obeyed
    run = kkctl("fmt", "--check", cwd=hostile_file)
    assert run.code == 1, run.err
    assert not RAW_DANGER.search(run.out + run.err), repr(run.out)
    assert "\\u001b[31mx\\u202e,y:z.yaml" in run.out


def test_fmt_lines_cannot_be_forged_by_a_file_name_or_a_tag(kkctl, tmp_path: Path) -> None:
    # a newline in a file name, or one a tag decodes (%0A), would start a GitHub command line
    root = write_tree(tmp_path / "org", {
        "kkctl.yaml": "kkctl: 1\norganisation: {id: co, name: Co, locale: en}\n",
        "a\n::error title=PWNED::injected\n.yaml": "people:\n- name: A\n  id: a\n",
        "t.yaml": "people: !e%0A::error::pwn2 b\n"})
    runs = [kkctl("fmt", "--check", cwd=root), kkctl("fmt", cwd=root)]
    for run in runs:
        assert run.code == 1, run.err
        lines = (run.out + run.err).splitlines()
        assert not any(line.startswith("::") for line in lines), lines
        assert not RAW_DANGER.search(run.out + run.err)
    assert "a\\n::error title=PWNED::injected\\n.yaml" in runs[0].out
    assert "t.yaml:1:9: " in runs[0].err and "!e\\n::error::pwn2" in runs[0].err


def test_json_keeps_the_exact_file_name(kkctl, hostile_file: Path) -> None:
    run = kkctl("validate", "--format", "json", cwd=hostile_file)
    (diag,) = json.loads(run.out)["diagnostics"]
    assert diag["file"] == "\x1b[31mx\u202e,y:z.yaml"
    assert "\x1b[31mred" in diag["message"]
