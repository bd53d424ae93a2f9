"""`kkctl explain CODE` answers for every code kkctl can print (validation KK0xx/KK1xx, lint
KK2xx, bonus KK3xx), by code or name, in both languages; an unknown name is a usage error
that names the closest code."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import REPO
from kkctl.cli import app
from kkctl.codes import BONUS_CODES, CODES
from kkctl.lint.registry import all_rules
from test_russian_output import latin_words

VALIDATION = sorted(c for c in CODES if not c.startswith("KK3"))
BONUS = sorted(c.code for c in BONUS_CODES)


def _runner() -> CliRunner:
    """stderr apart from stdout: click 8.2+ always, click 8.1 (the lowest allowed) on request."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def _explain(*args: str) -> tuple[int, str, str]:
    result = _runner().invoke(app, ["explain", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"explain {args}: crashed with {result.exception!r}")
    return result.exit_code, result.stdout, result.stderr


def _codes_in_source() -> set[str]:
    """Every code the source can print: each "KKnnn" string literal."""
    found: set[str] = set()
    for path in (REPO / "src" / "kkctl").rglob("*.py"):
        found.update(re.findall(r"""["'](KK\d{3})["']""", path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("code", VALIDATION + BONUS)
def test_every_validation_and_bonus_code_is_explained(code: str) -> None:
    status, out, _ = _explain(code, "--lang", "en")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"{code} {CODES[code].slug}: {CODES[code].summary}"
    assert lines[1].startswith("reported by: kkctl " + ("bonus" if code in BONUS else
                                                        "validate"))
    assert "Typical cause: " in out and "\nFix: " in out


@pytest.mark.parametrize("code", VALIDATION + BONUS)
def test_every_code_is_explained_in_russian(code: str) -> None:
    status, out, _ = _explain(code, "--lang", "ru")
    assert status == 0
    assert out.splitlines()[0] == f"{code} {CODES[code].slug}: {CODES[code].summary_ru}"
    assert "Типичная причина: " in out and "\nКак исправить: " in out
    prose = re.sub(r"(?m)^    .*$", "", out)  # examples are YAML, kept as they are
    assert latin_words(prose, {CODES[code].slug}) == []


def test_no_code_the_source_prints_is_left_unexplained() -> None:
    lint = {r.code for r in all_rules()}
    unexplained = sorted(c for c in _codes_in_source()
                         if c not in CODES and c not in lint)
    assert unexplained == [], "add them to kkctl.codes (CODES and EXPLANATIONS)"


def test_a_fail_example_shows_the_code_in_action() -> None:
    status, out, _ = _explain("KK102")
    assert status == 0
    assert out.endswith("FAIL:\n    people:\n      - {id: vera, name: Vera}\n    teams:\n"
                        "      - id: delivery\n        name: Delivery\n        leader: vear\n")


@pytest.mark.parametrize("name", ["duplicate-id", "kk104", "KK104", " KK104 "])
def test_a_code_is_found_by_its_name_or_in_any_case(name: str) -> None:
    status, out, _ = _explain(name)
    assert status == 0
    assert out.startswith("KK104 duplicate-id: ")


@pytest.mark.parametrize("name", ["KK219", "team-economics", "kk219"])
def test_lint_rules_are_still_explained_as_rules(name: str) -> None:
    status, out, _ = _explain(name)
    assert status == 0
    assert out.startswith("KK219 team-economics: ")
    assert "FAIL:" in out and "PASS:" in out


@pytest.mark.parametrize(("name", "hint"), [
    ("team-economic", " (did you mean 'team-economics' (KK219)?)"),
    ("KK2l9", " (did you mean 'KK219' (team-economics)?)"),
    ("duplicat-id", " (did you mean 'duplicate-id' (KK104)?)"),
    ("KK999", ""),
    ("nothing-like-it", ""),
])
def test_an_unknown_name_exits_2_naming_the_closest(kkctl, name: str, hint: str) -> None:
    run = kkctl("explain", name)
    assert run.code == 2
    assert run.out == ""
    assert run.err == (f"kkctl: error: no diagnostic code or lint rule '{name}'{hint}; "
                       "'kkctl lint --list-rules' lists the rules, docs/diagnostics.md every "
                       "code\n")


def test_an_unknown_name_in_russian(kkctl) -> None:  # type: ignore[no-untyped-def]
    run = kkctl("explain", "team-economic", "--lang", "ru")
    assert run.code == 2
    assert run.err == ("kkctl: ошибка: кода диагностики или правила 'team-economic' нет "
                       "(может быть, 'team-economics' (KK219)?); список правил: "
                       "'kkctl lint --list-rules', все коды: docs/diagnostics.md\n")
