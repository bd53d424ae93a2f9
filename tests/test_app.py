"""Each command's function, called without the command line: what a language server, an
import or any other caller gets. The CLI tests check the same behaviour through `kkctl`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, write_tree
from kkctl import diff
from kkctl.bonus.app import BonusRequest, bonus, money_for
from kkctl.diff import consequences
from kkctl.fmt import format_project
from kkctl.lint.app import LintRequest, lint
from kkctl.loader import Options, check, load
from kkctl.project import UsageError
from kkctl.report.app import ReportRequest, report

NO_CACHE = Options(use_cache=False)
ACME = EXAMPLES / "acme-consulting"
POLEZNAYA = EXAMPLES / "poleznaya-eda"

# A valid organisation whose explicit payouts do not add up: the bonus refuses to pay.
UNPAYABLE = """
kkctl: 1
organisation: {id: co, name: Co, currency: RUB, locale: en}
people: [{id: ann, name: Ann}, {id: bob, name: Bob}]
teams: [{id: t, name: T, leader: ann, members: [ann, bob]}]
reward_schemes: [{id: s, unit: t, split: explicit}]
periods:
  - {id: q1, start: 2026-01-01, end: 2026-03-31, net_profit: 1000,
     payouts: {s: {ann: 150.00, bob: 49.99}}}
"""


@pytest.fixture
def unpayable(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "co", {"kkctl.yaml": UNPAYABLE})


def test_validate_function_answers_with_its_exit_status(tmp_path: Path) -> None:
    assert check(str(ACME), NO_CACHE).status == 0
    broken = write_tree(tmp_path / "b", {"kkctl.yaml": UNPAYABLE.replace("leader: ann",
                                                                         "leader: ghost")})
    checked = check(str(broken), NO_CACHE)
    assert checked.status == 1
    assert [d.code for d in checked.diagnostics] == ["KK102"]


def test_lint_function_statuses_and_baseline(tmp_path: Path) -> None:
    assert lint(str(ACME), LintRequest(options=NO_CACHE)).status == 0
    # the strict profile's notes never fail a run; its one warning rule here (team members
    # no profit scheme pays, KK248: true of the example) does with --strict
    notes = lint(str(ACME), LintRequest(profile="strict", strict=True,
                                        ignore=["member-without-reward"], options=NO_CACHE))
    assert notes.status == 0 and notes.diagnostics
    strict = lint(str(ACME), LintRequest(profile="strict", strict=True, options=NO_CACHE))
    assert strict.status == 1 and {d.code for d in strict.diagnostics
                                   if d.severity.value == "warning"} == {"KK248"}
    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    written = lint(str(project), LintRequest(profile="strict", write_baseline=True,
                                             options=NO_CACHE))
    assert written.baseline == project / ".kkctl-baseline.json" and written.baseline.exists()
    assert written.written == len(strict.diagnostics)
    again = lint(str(project), LintRequest(profile="strict", strict=True, options=NO_CACHE))
    assert (again.status, again.diagnostics, again.baselined) == (0, [], written.written)


def test_bonus_function_chooses_the_latest_period() -> None:
    outcome = bonus(str(ACME), BonusRequest(options=NO_CACHE))
    assert outcome.status == 0 and outcome.run is not None
    assert outcome.chosen == outcome.period_ids[0] == outcome.run.periods[-1].id
    every = bonus(str(ACME), BonusRequest(all_periods=True, options=NO_CACHE))
    assert every.period_ids == [p.id for p in every.run.periods]  # type: ignore[union-attr]


def test_bonus_function_unknown_period_and_verify(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as unknown:  # a bad option: exit 2, in the run's language
        bonus(str(ACME), BonusRequest(period="1999-q1", options=NO_CACHE))
    assert unknown.value.message_id == "bonus.unknown_period"
    nothing = bonus(str(POLEZNAYA), BonusRequest(verify=True, options=NO_CACHE))
    assert nothing.status == 0 and nothing.notice is not None
    assert nothing.notice[0] == "bonus.nothing_to_verify"  # no period records 'paid'
    closed = write_tree(tmp_path / "closed", {"kkctl.yaml": UNPAYABLE.replace(
        "payouts: {s: {ann: 150.00, bob: 49.99}}",
        "payouts: {s: {ann: 150.00, bob: 50.00}}, paid: {s: {ann: 150.00, bob: 50.00}}")})
    verified = bonus(str(closed), BonusRequest(verify=True, options=NO_CACHE))
    assert verified.status == 0 and verified.notice == ("bonus.verified", {"count": 1}, False)


def test_one_money_rule_for_bonus_report_and_diff(unpayable: Path, tmp_path: Path) -> None:
    """An organisation that validates but whose bonus kkctl refuses shows no figures in any
    command, and the report lists why."""
    loaded = load(str(unpayable), NO_CACHE)
    money = money_for(loaded)
    assert money.run is None and money.validated
    assert [d.code for d in money.bonus_findings] == ["KK304"]
    refused = bonus(str(unpayable), BonusRequest(options=NO_CACHE))
    assert refused.status == 1 and [d.code for d in refused.problems] == ["KK304"]
    text = report(str(unpayable), ReportRequest(options=NO_CACHE)).text
    assert "KK304" in text
    fixed = write_tree(tmp_path / "fixed", {"kkctl.yaml": UNPAYABLE.replace("49.99", "50.00")})
    deltas, _ = consequences.bonus_delta(loaded, load(str(fixed), NO_CACHE))
    assert deltas == []  # the refused side has no figures to compare


def test_money_for_an_organisation_that_does_not_validate(tmp_path: Path) -> None:
    broken = write_tree(tmp_path / "b", {"kkctl.yaml": UNPAYABLE.replace("leader: ann",
                                                                         "leader: ghost")})
    money = money_for(load(str(broken), NO_CACHE))
    assert money.run is None and not money.validated and money.bonus_findings == []
    assert [d.code for d in money.blocking] == ["KK102"]


@pytest.mark.parametrize("example", [ACME, POLEZNAYA], ids=lambda p: p.name)
def test_report_function_reproduces_the_committed_report(example: Path) -> None:
    outcome = report(str(example), ReportRequest(out=example / "REPORT.md", check=True,
                                                 options=NO_CACHE))
    assert outcome.status == 0 and outcome.up_to_date and outcome.charts == []


def test_report_function_renders_charts_in_memory_only(tmp_path: Path) -> None:
    assets = tmp_path / "charts"
    outcome = report(str(ACME), ReportRequest(assets=assets, options=NO_CACHE))
    assert [c.target.name for c in outcome.charts] == ["canvas-energy-canvas.svg"]
    assert outcome.charts[0].svg.startswith("<svg") and not assets.exists()


def test_report_function_refuses_check_without_out() -> None:
    with pytest.raises(UsageError, match="--check needs --out"):
        report(str(ACME), ReportRequest(check=True, options=NO_CACHE))


def test_format_project_checks_then_writes(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    people = project / "org" / "people.yaml"
    untidy = people.read_text(encoding="utf-8").replace("\n  - ", "\n    - ")
    people.write_text(untidy, encoding="utf-8")
    checked = format_project(str(project), check=True)
    assert [Path(name).name for name in checked.changed] == ["people.yaml"]
    assert checked.status == 1 and checked.problems == []
    assert people.read_text(encoding="utf-8") == untidy  # --check writes nothing
    written = format_project(str(project))
    assert written.status == 0 and people.read_text(encoding="utf-8") != untidy
    assert format_project(str(project), check=True).changed == []


def test_diff_arguments_split_into_revisions_and_path() -> None:
    assert diff.split_arguments(["HEAD~1", str(ACME)], None) == (["HEAD~1"], str(ACME))
    assert diff.split_arguments(["main", "feature"], None) == (["main", "feature"], None)
    with pytest.raises(UsageError, match="--paths compares two folders"):
        diff.split_arguments(["HEAD"], ("a", "b"))


def test_scaffold_function_writes_an_organisation_that_lints_clean(tmp_path: Path) -> None:
    from kkctl.init import scaffold

    written = scaffold(tmp_path / "co", "ru")
    assert tmp_path / "co" / "kkctl.yaml" in [Path(p) for p in written]
    outcome = lint(str(tmp_path / "co"), LintRequest(options=NO_CACHE))
    assert outcome.status == 0 and outcome.loaded.org.settings.locale == "ru"
