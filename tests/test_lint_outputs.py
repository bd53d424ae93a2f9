"""Lint output at the size of a real organisation (thousands of findings), as each consumer
sees it: a person at a terminal, GitHub's annotations, a CI test viewer reading JUnit, a SARIF
viewer; in English and Russian."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import DATA, REPO, Run, write_tree
from kkctl.diagnostics import Diagnostic, Severity, Summary
from kkctl.lint.listing import rule_doc
from kkctl.lint.registry import all_rules
from kkctl.reporters import Report, render
from kkctl.reporters.sarif_format import describe_rule

BASE = REPO / "tests" / "lint" / "base.yaml"
TEAMS, BROKEN, CREATING, LEADERLESS, LONERS = 40, 12, 5, 5, 15
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def big_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean base organisation plus 40 teams without economics (KK219 warnings), 12 of
    them with a member nobody is (KK102 errors), 5 value-creating teams the council does not
    represent (KK214 errors), 5 led by a non-member (KK240 warnings) and 15 people in no
    team (KK241 notes)."""
    root = tmp_path_factory.mktemp("big") / "org"
    base = BASE.read_text(encoding="utf-8").replace("lint: {profile: strict}",
                                                    "lint: {profile: recommended}")
    files = {"kkctl.yaml": base, "people.yaml": "people:\n" + "".join(
        f"  - {{id: p{i:02}, name: P{i}}}\n" for i in range(LONERS))}
    for i in range(TEAMS):
        kind = "value_creating" if i < CREATING else "supporting"
        leader = "bob" if i >= TEAMS - LEADERLESS else "ann"
        ghost = ", ghost" if i < BROKEN else ""
        files[f"teams/t{i:02}.yaml"] = (
            f"teams:\n  - id: t{i:02}\n    name: Team {i}\n    type: {kind}\n"
            f"    leader: {leader}\n    members: [ann{ghost}]\n"
            f"    success_indicator: m-fresh-sales\n")
    return write_tree(root, files)


def lint(kkctl: Callable[..., Run], org: Path, *args: str) -> Run:
    """``kkctl lint ORG ARGS`` in the organisation's folder: it has errors, so exit code 1."""
    run = kkctl("lint", str(org), *args, cwd=org)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    return run


# -- text --------------------------------------------------------------------------------

MORE = {
    "en": "KK219 team-economics: 30 more (e.g. team 't10', team 't11', team 't12'); "
          "all of them: 'kkctl lint --select KK219 --max-per-rule 0'",
    "ru": "KK219 team-economics: ещё 30 (например, команда 't10', команда 't11', "
          "команда 't12'); показать все: 'kkctl lint --select KK219 --max-per-rule 0'",
}
SUMMARY = {"en": "17 errors, 45 warnings, 15 notes in 42 files",
           "ru": "17 ошибок, 45 предупреждений, 15 замечаний, 42 файла"}
EXPLAIN = {"en": "what a rule checks and how to fix its findings: 'kkctl explain KK219' "
                 "(the most frequent rule here; any code works)",
           "ru": "что проверяет правило и как исправить находки: 'kkctl explain KK219' "
                 "(самое частое правило здесь; подойдёт любой код)"}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_text_lists_ten_findings_of_a_rule_and_counts_the_rest(kkctl, big_org: Path,
                                                               lang: str) -> None:
    run = lint(kkctl, big_org, "--lang", lang)
    codes = Counter(re.findall(r"^\S+:\d+:\d+: \S+ (KK\d+) ", run.out, re.MULTILINE))
    # every broken reference listed, ten of the big rule, all of the small ones
    assert codes == {"KK102": BROKEN, "KK219": 10, "KK214": CREATING, "KK240": LEADERLESS,
                     "KK241": 10}
    assert MORE[lang] in run.lines
    more = [line for line in run.lines if "--max-per-rule 0" in line]
    assert [line.split()[0] for line in more] == ["KK219", "KK241"]
    assert run.lines[-2:] == [SUMMARY[lang], EXPLAIN[lang]]
    # a lint rule is named by its slug; a validation code keeps its compiler-style line
    assert any(line.startswith("teams/t00.yaml:6:20: ") and " KK102 " in line
               for line in run.lines)
    assert any(" KK219 team-economics: " in line for line in run.lines)


def test_the_hint_lists_every_finding_of_the_rule(kkctl, big_org: Path) -> None:
    run = lint(kkctl, big_org, "--select", "KK219", "--max-per-rule", "0")
    codes = Counter(re.findall(r"^\S+:\d+:\d+: \S+ (KK\d+) ", run.out, re.MULTILINE))
    assert codes == {"KK219": TEAMS, "KK102": BROKEN}  # broken references always show
    assert not any("--max-per-rule 0" in line for line in run.lines)  # nothing left to list
    explained = kkctl("explain", "KK219")
    assert explained.code == 0 and explained.out.startswith("KK219 team-economics: ")


def test_validation_problems_are_never_counted_away(kkctl, big_org: Path) -> None:
    run = lint(kkctl, big_org, "--max-per-rule", "1")
    lines = [line for line in run.lines if " KK102 " in line]
    assert len(lines) == BROKEN
    assert not any(line.startswith("KK102") for line in run.lines)
    assert any(line.startswith("KK214 council-composition: 4 more ") for line in run.lines)


def many(code: str, n: int, kind: str = "team") -> list[Diagnostic]:
    """``n`` findings of ``code`` as lint makes them (a real rule's message)."""
    rule = {r.code: r for r in all_rules()}[code]
    name = next(iter(rule.messages))
    return [Diagnostic(code, rule.severity, f"org/teams/t{i:05}.yaml", 2, 5, ("teams", 0),
                       rule.message_id(name), {}, (kind, f"t{i:05}")) for i in range(n)]


@pytest.mark.parametrize(("lang", "more", "summary"), [
    ("en", "KK219 team-economics: 2,531 more (e.g. team 't00010', team 't00011', "
           "team 't00012')", "2,541 warnings in 2,551 files"),
    ("ru", f"KK219 team-economics: ещё 2{NBSP}531 (например, команда 't00010', "
           f"команда 't00011', команда 't00012')", f"2{NBSP}541 предупреждение, "
                                                   f"2{NBSP}551 файл"),
])
def test_big_numbers_are_written_as_the_language_writes_them(lang: str, more: str,
                                                             summary: str) -> None:
    found = many("KK219", 2541)
    text = render("text", Report("lint", found, Summary.of(found, 2551), [], lang,
                                 notes=["applied: step 7"]))
    lines = text.splitlines()
    assert len(lines) == 10 + 1 + 3
    assert lines[10].startswith(more + ";")
    assert lines[11:13] == [summary, "applied: step 7"]  # the notes follow the summary


def test_one_entity_with_every_finding_is_named_once() -> None:
    found = [Diagnostic("KK214", Severity.ERROR, "kkctl.yaml", 55, 5, ("councils", 0),
                        "council-composition.unrepresented", {"team": f"t{i}"},
                        ("council", "council")) for i in range(14)]
    all_rules()
    text = render("text", Report("lint", found, Summary.of(found, 1), [], "en"))
    assert ("KK214 council-composition: 4 more (all about council 'council'); all of them: "
            "'kkctl lint --select KK214 --max-per-rule 0'") in text.splitlines()


# -- statistics ----------------------------------------------------------------------------

def test_statistics_table_and_json(kkctl, big_org: Path) -> None:
    run = lint(kkctl, big_org, "--statistics")
    assert run.lines == [
        "count  code   rule                  severity",
        "   40  KK219  team-economics        warning",
        "   15  KK241  person-without-team   info",
        "   12  KK102  unresolved-reference  error",
        "    5  KK214  council-composition   error",
        "    5  KK240  leader-not-member     warning",
        "   77  total"]
    ru = lint(kkctl, big_org, "--statistics", "--lang", "ru")
    assert ru.lines[0].split() == ["число", "код", "правило", "уровень"]
    assert ru.lines[1].split() == ["40", "KK219", "team-economics", "предупреждение"]
    assert ru.lines[-1].split() == ["77", "всего"]
    data = json.loads(lint(kkctl, big_org, "--statistics", "-f", "json").out)
    assert data[0] == {"code": "KK219", "slug": "team-economics", "severity": "warning",
                       "count": 40}
    assert sum(row["count"] for row in data) == 77
    refused = kkctl("lint", str(big_org), "--statistics", "-f", "sarif")
    assert refused.code == 2 and "-f text or -f json" in refused.err


# -- GitHub --------------------------------------------------------------------------------

def workflow_commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    """``(level, properties, message)`` of each workflow command, as the runner splits it."""
    found = []
    for line in out.splitlines():
        match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
        assert match, line  # nothing else reaches the log
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        found.append((match.group(1), props, match.group(3)))
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_github_shows_ten_of_each_severity_most_important_first(kkctl, big_org: Path,
                                                                lang: str) -> None:
    commands = workflow_commands(lint(kkctl, big_org, "-f", "github", "--lang", lang).out)
    assert Counter(level for level, _, _ in commands) == {"error": 10, "warning": 10,
                                                          "notice": 10}
    titles = [(level, props["title"].split()[0]) for level, props, _ in commands]
    # one of each rule before a second of any: broken references first among errors
    assert Counter(titles[:10]) == {("error", "KK102"): 5, ("error", "KK214"): 5}
    assert titles[:2] == [("error", "KK102"), ("error", "KK214")]
    assert Counter(titles[10:20]) == {("warning", "KK219"): 5, ("warning", "KK240"): 5}
    assert Counter(titles[20:29]) == {("notice", "KK241"): 9}
    level, props, text = commands[-1]
    assert (level, props) == ("notice", {"title": "kkctl lint"})
    closing = text.split("%0A")
    assert closing[0] == SUMMARY[lang]
    shown = {"en": "the annotations show 29 of 77 findings", "ru": "в аннотациях 29 из 77"}
    assert closing[1].startswith(shown[lang])
    assert "'kkctl lint -f sarif --output kkctl.sarif'" in closing[1]
    assert "--output" in closing[1].split("sarif'", 1)[1]


def test_github_closing_notice_carries_the_notes_and_stays_inert() -> None:
    found = many("KK219", 3)
    report = Report("lint", found, Summary.of(found, 3), [], "en",
                    notes=["rules of steps 1-7 applied", "x\n::error title=Approved::LGTM"])
    lines = render("github", report).splitlines()
    assert len(lines) == 4 and not any(line.startswith("::error") for line in lines)
    assert lines[-1] == ("::notice title=kkctl lint::3 warnings in 3 files%0A"
                         "rules of steps 1-7 applied%0Ax%0A::error title=Approved::LGTM")


def test_github_of_a_clean_run_is_one_notice(kkctl, tmp_path: Path) -> None:
    org = tmp_path / "clean"
    org.mkdir()
    (org / "kkctl.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    run = kkctl("lint", str(org), "-f", "github", cwd=org)
    assert (run.code, run.lines) == (0, ["::notice title=kkctl lint::no problems in 1 file"])


# -- JUnit ---------------------------------------------------------------------------------

def check_junit_counts(root: ET.Element) -> None:
    """Every count a viewer reads agrees with the test cases it would list."""
    suites = root.findall("testsuite")
    for element, cases in [(root, list(root.iter("testcase")))] + \
            [(s, s.findall("testcase")) for s in suites]:
        assert int(element.get("tests", "-1")) == len(cases)
        assert int(element.get("failures", "-1")) == sum(
            1 for c in cases if c.find("failure") is not None)
        assert int(element.get("errors", "-1")) == sum(
            1 for c in cases if c.find("error") is not None)
        assert int(element.get("skipped", "-1")) == sum(
            1 for c in cases if c.find("skipped") is not None)
    for case in root.iter("testcase"):
        assert len(case.findall("failure")) <= 1


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_junit_counts_add_up(kkctl, big_org: Path, lang: str) -> None:
    root = ET.fromstring(lint(kkctl, big_org, "-f", "junit", "--lang", lang).out)
    check_junit_counts(root)
    cases = {c.get("name", ""): c for c in root.iter("testcase")}
    assert len(cases) == TEAMS + 2  # one case per file, passing files too
    failing = sorted(n for n, c in cases.items() if c.find("failure") is not None)
    # the council's file (KK214) and the teams with a broken reference
    assert failing == ["kkctl.yaml"] + [f"teams/t{i:02}.yaml" for i in range(BROKEN)]
    failure = cases["kkctl.yaml"].find("failure")
    assert failure is not None
    headline = {"en": "5 errors: KK214 council-composition",
                "ru": "5 ошибок: KK214 council-composition"}
    assert failure.get("message") == headline[lang]
    assert len((failure.text or "").splitlines()) == CREATING
    team = cases["teams/t00.yaml"].find("failure")
    assert team is not None and team.get("type") == "KK102"
    # the same file's warning rides along with its error, in the file's order
    assert [line.split()[2] for line in (team.text or "").splitlines()] == ["KK219", "KK102"]
    out = cases["teams/t30.yaml"].find("system-out")  # warnings only: passes, still shown
    assert out is not None and " KK219 team-economics: " in (out.text or "")
    assert cases["teams/t30.yaml"].find("failure") is None


def test_junit_of_ten_errors_in_one_file_is_one_failing_test() -> None:
    found = [Diagnostic("KK102", Severity.ERROR, "org.yaml", i, 3, ("teams", i, "leader"),
                        "ref.unresolved", {}) for i in range(1, 11)]
    root = ET.fromstring(render("junit", Report("validate", found, Summary.of(found, 1),
                                                ["org.yaml"])))
    check_junit_counts(root)
    assert (root.get("tests"), root.get("failures")) == ("1", "1")


# -- SARIF ---------------------------------------------------------------------------------

OASIS = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
         "sarif-schema-2.1.0.json")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def headings(lang: str) -> set[str]:
    """The sections of docs/rules.md (rules.ru.md): generated, and kept current by
    tests/test_docs.py, so what the generator writes is what GitHub shows."""
    from kkctl.docgen import rules_page

    return set(re.findall(r"^## (\S+)$", rules_page(lang), re.MULTILINE))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_sarif_is_valid_and_every_rule_has_help(kkctl, big_org: Path, lang: str) -> None:
    log = json.loads(lint(kkctl, big_org, "-f", "sarif", "--lang", lang).out)
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["$schema"] == OASIS
    run = log["runs"][0]
    assert len(run["results"]) == 77
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"KK102", "KK214", "KK219", "KK240", "KK241"}
    page = "rules.ru.md" if lang == "ru" else "rules.md"
    registry = {r.code: r for r in all_rules()}
    for code, rule in rules.items():
        assert rule["helpUri"].startswith("https://github.com/kkctl/kkctl/blob/main/docs/")
        assert rule["help"]["text"] and rule["help"]["markdown"]
        short, full = rule["shortDescription"]["text"], rule["fullDescription"]["text"]
        # one language, the report's: never the English summary beside the Russian one
        assert bool(CYRILLIC.search(short)) == (lang == "ru"), code
        if code in registry:
            assert short == registry[code].summary[lang]
            assert full.split("\n\n")[0] == rule_doc(registry[code], lang).split("\n\n")[0]
    economics = rules["KK219"]
    assert economics["helpUri"] == f"https://github.com/kkctl/kkctl/blob/main/docs/{page}" \
                                   "#team-economics"
    explained = kkctl("explain", "KK219", "--lang", lang)
    assert economics["help"]["text"] == explained.out
    assert "```yaml\nteams:" in economics["help"]["markdown"]
    assert economics["defaultConfiguration"] == {"level": "warning"}
    assert rules["KK102"]["helpUri"].endswith("/docs/diagnostics.md")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_rule_links_to_a_section_its_page_has(lang: str) -> None:
    page = "rules.ru.md" if lang == "ru" else "rules.md"
    assert (REPO / "docs" / page).is_file()
    sections = headings(lang)
    for rule in all_rules():
        uri = describe_rule(rule.code, lang)["helpUri"]
        assert uri.split("/docs/")[1].split("#") == [page, rule.slug]
        assert rule.slug in sections, (page, rule.slug)


# -- JSON ----------------------------------------------------------------------------------

def test_json_carries_the_notes() -> None:
    found = many("KK219", 2)
    report = Report("lint", found, Summary.of(found, 2), [], "ru",
                    notes=["применены правила шагов 1–7"])
    payload = json.loads(render("json", report))
    assert payload["notes"] == ["применены правила шагов 1–7"]
    assert len(payload["diagnostics"]) == 2  # json never groups findings away
