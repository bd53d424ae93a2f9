"""Generated reference pages match the code; the README's quick start is what CI runs."""

from __future__ import annotations

import re

from conftest import REPO
from kkctl import docgen


def test_generated_pages_are_up_to_date() -> None:
    assert docgen.main([str(REPO / "docs"), "--check"]) == 0, \
        "run: python -m kkctl.docgen docs"


def test_every_code_is_documented() -> None:
    page = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in page for code in docgen.CODES)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start)
    assert len(commands) == 2, "the quick start has exactly two commands"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
    assert "examples/" in commands[0] and "pytest" in commands[1]
