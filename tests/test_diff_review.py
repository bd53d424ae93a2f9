"""`kkctl diff` as a review (issue #18): the headline in words, the facts that matter,
`--fail-on`, amounts from the source text, and a Markdown comment that always fits GitHub.

Every test commits the Russian example in a real git repository and changes the working tree.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NBSP = "\u00a0"


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """The Russian example, committed: the working tree is the change under review."""
    root = tmp_path / "org"
    shutil.copytree(EXAMPLES / "poleznaya-eda", root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "base")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_person(org: Path, ident: str, name: str) -> None:
    people = org / "org/people.yaml"
    people.write_text(people.read_text().rstrip("\n") + f"\n  - id: {ident}\n    name: '{name}'\n")


def kira_joins_logistics(org: Path, name: str = "Кира") -> None:
    add_person(org, "kira", name)
    edit(org / "org/teams/logistika.yaml",
         "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n",
         "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n"
         "      - {person: kira, from: 2026-08-01}\n")


def promise_loses_its_authority(org: Path) -> None:
    """KK204 (error: the promise has no authority) and KK243 (warning: nothing uses it)."""
    edit(org / "org/teams/magaziny.yaml", "    authorities: [a-spisanie]\n",
         "    authorities: []\n")


def unused_authority(org: Path) -> None:
    """KK243 alone: a warning."""
    edit(org / "org/teams/logistika.yaml", "  - id: a-avtopark\n",
         "  - id: a-novoe\n    scope: Новое полномочие\n    holder: logistika\n"
         "    granted_by: sovet\n  - id: a-avtopark\n")


def unusual_share(org: Path) -> None:
    """KK233 alone: a note (the share differs from the methodology's 20 %)."""
    edit(org / "org/teams/logistika.yaml", "    share: 0.20\n", "    share: 0.2050\n")


def flat(text: str) -> str:
    """No-break spaces (CLDR writes ``2026\u202fг.`` and ``8\u00a0000``) as plain ones."""
    return text.replace(NBSP, " ").replace("\u202f", " ")


# --- the headline -------------------------------------------------------------------------

def headline_change(org: Path) -> None:
    """2 people added; a team (f), a period (m) and a promise (n) changed; 8 hypotheses gone."""
    add_person(org, "kira", "Кира")
    add_person(org, "lev", "Лев")
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n", "    name: Логистика и склад\n")
    edit(org / "finance/2026.yaml", "15730000.00", "15690000.00")
    promise_loses_its_authority(org)
    (org / "org/hypotheses.yaml").unlink()


def test_headline_counts_each_kind_in_words_in_russian(kkctl, org: Path) -> None:
    headline_change(org)
    run = kkctl("diff", cwd=org)
    assert run.lines[0] == ("HEAD → рабочая копия: 2 сотрудника добавлены, 1 команда изменена, "
                            "1 обещание изменено, 1 период изменён, 8 гипотез удалены")


def test_headline_counts_each_kind_in_words_in_english(kkctl, org: Path) -> None:
    headline_change(org)
    run = kkctl("diff", "--lang", "en", cwd=org)
    assert run.lines[0] == ("HEAD → working tree: 2 people added, 1 team changed, "
                            "1 promise changed, 1 period changed, 8 hypotheses removed")
    markdown = kkctl("diff", "--lang", "en", "-f", "markdown", cwd=org)
    assert ("**2 people added, 1 team changed, 1 promise changed, 1 period changed, "
            "8 hypotheses removed**") in markdown.lines
    assert json.loads(kkctl("diff", "--lang", "en", "-f", "json", cwd=org).out)["headline"] \
        == run.lines[0].split(": ", 1)[1]


def test_findings_come_first_by_severity_naming_the_entity(kkctl, org: Path) -> None:
    unused_authority(org)
    promise_loses_its_authority(org)
    run = kkctl("diff", "--lang", "en", cwd=org)
    assert run.lines[1] == "Lint — introduced: 1 error, 2 warnings; resolved: 0"
    findings = run.lines[2:5]
    assert [line.split(": ")[1].split()[:2] for line in findings] == [
        ["error", "KK204"], ["warning", "KK243"], ["warning", "KK243"]]
    assert "promise 'p-svezhest-na-polke'" in findings[0]
    assert findings[0].startswith("  + org/teams/magaziny.yaml:41:5: ")


# --- people and money ---------------------------------------------------------------------

def staff_change(org: Path) -> None:
    kira_joins_logistics(org)
    team = org / "org/teams/logistika.yaml"
    edit(team, "    leader: romanov\n", "    leader: makarova\n")
    edit(team, "to: 2026-10-15", "to: 2026-09-15")


def test_people_joining_and_leaving_with_their_dates(kkctl, org: Path) -> None:
    staff_change(org)
    en = kkctl("diff", "--lang", "en", cwd=org)
    people = en.lines.index("People:")
    assert en.lines[people + 1:people + 4] == [
        "  + Кира (kira) joins team Логистика (logistika) from August 1, 2026",
        "  − Виктор Алексеев (alekseev) leaves team Логистика (logistika), "
        "last day September 15, 2026",
        "  ~ Team Логистика (logistika): leader Михаил Романов (romanov) → "
        "Ксения Макарова (makarova)"]
    ru = kkctl("diff", cwd=org)
    people = ru.lines.index("Сотрудники:")
    assert [flat(line) for line in ru.lines[people + 1:people + 4]] == [
        "  + Кира (kira) входит в команду Логистика (logistika) с 1 августа 2026 г.",
        "  − Виктор Алексеев (alekseev) выходит из команды Логистика (logistika), "
        "последний день — 15 сентября 2026 г.",
        "  ~ Команда Логистика (logistika): лидер Михаил Романов (romanov) → "
        "Ксения Макарова (makarova)"]


def test_members_of_a_new_team_join_it_and_of_a_removed_one_leave(kkctl, org: Path) -> None:
    add_person(org, "kira", "Кира")
    teams = org / "org/teams"
    (teams / "kurery.yaml").write_text(
        "teams:\n  - id: kurery\n    name: Курьеры\n    type: supporting\n    parent: magaziny\n"
        "    leader: kira\n    members:\n      - {person: kira, from: 2026-08-01}\n")
    commit_all(org, "couriers")
    (teams / "kurery.yaml").unlink()
    run = kkctl("diff", "HEAD~1", "HEAD", "--lang", "en", cwd=org)
    assert "  + Кира (kira) joins team Курьеры (kurery) from August 1, 2026" in run.lines
    gone = kkctl("diff", "--lang", "en", cwd=org)
    assert "  − Кира (kira) leaves team Курьеры (kurery)" in gone.lines
    assert gone.lines[0] == "HEAD → working tree: 1 team removed"


def test_first_bonus_only_with_include_payouts(kkctl, org: Path) -> None:
    kira_joins_logistics(org)
    private = kkctl("diff", "--lang", "en", cwd=org)
    assert "  + Кира (kira) joins team Логистика (logistika) from August 1, 2026" \
        in private.lines
    assert "first bonus" not in private.out and "kira (Кира):" not in private.out
    assert "  (per-person amounts: use --include-payouts)" in private.lines
    paid = kkctl("diff", "--lang", "en", "--include-payouts", cwd=org)
    assert flat("  + Кира (kira) joins team Логистика (logistika) from August 1, 2026; "
                "first bonus RUB 8,507.42 (2026-q3, rs-logistika)") in map(flat, paid.lines)
    ru = kkctl("diff", "--include-payouts", "-f", "markdown", cwd=org)
    assert ("- Кира (`kira`) входит в команду Логистика (`logistika`) с 1 августа 2026 г.; "
            "первый бонус 8 507,42 ₽ (`2026-q3`, `rs-logistika`)") in map(flat, ru.lines)
    fact = next(f for f in json.loads(kkctl("diff", "--include-payouts", "-f", "json",
                                            cwd=org).out)["facts"] if f["type"] == "joins")
    assert fact["first_bonus"] == {"period": "2026-q3", "scheme": "rs-logistika",
                                   "amount": "8507.42"}


def test_pools_that_move_with_the_signed_amount(kkctl, org: Path) -> None:
    edit(org / "finance/2026.yaml", "15730000.00", "15690000.00")
    ru = kkctl("diff", cwd=org)
    pools = ru.lines.index("Пулы вознаграждения:")
    assert ru.lines[pools + 1] == (
        f"  ~ III квартал 2026 (2026-q3), Вознаграждение совета управляющих (rs-sovet): "
        f"−8{NBSP}000,00{NBSP}₽ (2{NBSP}510{NBSP}000,00{NBSP}₽ → 2{NBSP}502{NBSP}000,00{NBSP}₽)")
    en = kkctl("diff", "--lang", "en", "-f", "markdown", cwd=org)
    assert flat("- III квартал 2026 (`2026-q3`), Вознаграждение совета управляющих "
                "(`rs-sovet`): −RUB 8,000.00 (RUB 2,510,000.00 → RUB 2,502,000.00)"
                ) in map(flat, en.lines)
    facts = json.loads(kkctl("diff", "-f", "json", cwd=org).out)["facts"]
    assert [(f["period"], f["scheme"], f["change"]) for f in facts if f["type"] == "pool"] \
        == [("2026-q3", "rs-sovet", "-8000.00")]


def test_amounts_and_shares_read_from_the_source_text(kkctl, org: Path) -> None:
    # A float holds ~16 digits: 12345678901234567.89 would print as 1.2345678901234568e16.
    edit(org / "finance/2026.yaml", "21986400.50", "12345678901234567.89")
    unusual_share(org)
    ru = kkctl("diff", cwd=org)
    assert (f"    net_profit: 21{NBSP}986{NBSP}400,50{NBSP}₽ → "
            f"12{NBSP}345{NBSP}678{NBSP}901{NBSP}234{NBSP}567,89{NBSP}₽") in ru.lines
    assert f"    share: 20{NBSP}% → 20,5{NBSP}%" in ru.lines
    en = kkctl("diff", "--lang", "en", "-f", "markdown", cwd=org)
    assert flat("  - net\\_profit: RUB 21,986,400.50 → RUB 12,345,678,901,234,567.89") \
        in map(flat, en.lines)
    data = json.loads(kkctl("diff", "-f", "json", cwd=org).out)
    period = next(c for c in data["changes"] if c["id"] == "2026-q4")
    assert period["fields"][0]["new"] == "12345678901234567.89"


# --- --fail-on ----------------------------------------------------------------------------

CHANGES = {"error": promise_loses_its_authority, "warning": unused_authority,
           "note": unusual_share}


@pytest.mark.parametrize(("change", "fail_on", "code"), [
    ("error", None, 0), ("error", "never", 0), ("error", "error", 1), ("error", "warning", 1),
    ("warning", "error", 0), ("warning", "warning", 1), ("warning", "never", 0),
    ("note", "warning", 0), ("note", "error", 0),
])
def test_fail_on_exits_1_only_for_findings_at_that_level(kkctl, org: Path, change: str,
                                                         fail_on: str | None, code: int) -> None:
    CHANGES[change](org)
    run = kkctl("diff", "--lang", "en", *(["--fail-on", fail_on] if fail_on else []), cwd=org)
    assert run.code == code, run.err
    assert run.lines[0].startswith("HEAD → working tree: ")  # the review is printed either way
    assert ("--fail-on" in run.err) == bool(code)


def test_fail_on_says_what_failed_in_both_languages(kkctl, org: Path) -> None:
    promise_loses_its_authority(org)
    en = kkctl("diff", "--lang", "en", "--fail-on", "warning", "-f", "markdown", cwd=org)
    assert en.code == 1 and en.out.startswith("<!-- kkctl-diff -->\n")
    assert en.err.startswith("kkctl: the change introduces 1 error, 1 warning "
                             "(--fail-on warning): ")
    ru = kkctl("diff", "--fail-on", "error", cwd=org)
    assert ru.code == 1
    assert ru.err.startswith("kkctl: изменение вносит новые находки: 1 ошибка "
                             "(--fail-on error); ")
    assert "Traceback" not in en.err + ru.err


def test_fail_on_counts_what_the_change_introduces_not_what_was_there(kkctl, org: Path) -> None:
    promise_loses_its_authority(org)
    commit_all(org, "an error already on the main branch")
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n", "    name: Логистика и склад\n")
    run = kkctl("diff", "--fail-on", "warning", cwd=org)
    assert run.code == 0, run.err
    back = kkctl("diff", "HEAD", "HEAD~1", "--fail-on", "error", "--lang", "en", cwd=org)
    assert back.code == 0 and "resolved: 2" in back.lines[1]  # fixing is never a failure


def test_fail_on_and_exit_code_together(kkctl, org: Path) -> None:
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n", "    name: Логистика и склад\n")
    changed = kkctl("diff", "--exit-code", "--fail-on", "error", cwd=org)
    assert (changed.code, changed.err) == (1, "")  # something changed; nothing failed
    assert kkctl("diff", "--fail-on", "error", cwd=org).code == 0
    promise_loses_its_authority(org)
    both = kkctl("diff", "--exit-code", "--fail-on", "error", cwd=org)
    assert both.code == 1 and "--fail-on error" in both.err


def test_fail_on_refuses_an_unknown_level(kkctl, org: Path) -> None:
    run = kkctl("diff", "--fail-on", "errors", cwd=org)
    assert run.code == 2
    assert "errors" in run.err and "Traceback" not in run.err


# --- Markdown for a pull request ----------------------------------------------------------

def test_markdown_tells_errors_from_warnings_and_collapses_details(kkctl, org: Path) -> None:
    promise_loses_its_authority(org)
    kira_joins_logistics(org)
    run = kkctl("diff", "-f", "markdown", "--lang", "en", "--include-payouts", cwd=org)
    lines = run.lines
    assert lines[0] == "<!-- kkctl-diff -->"
    assert "#### Lint — introduced: 🔴 1 error, 🟡 1 warning; resolved: 0" in lines
    error = next(line for line in lines if "KK204" in line)
    warning = next(line for line in lines if "KK243" in line)
    assert error.startswith("- 🔴 **error** `KK204` promise `p-svezhest-na-polke`: ")
    assert error.endswith(" — `org/teams/magaziny.yaml:41`")
    assert warning.startswith("- 🟡 **warning** `KK243` authority `a-spisanie`: ")
    # Headline and facts in view, before the first collapsed block; details inside one.
    first = lines.index("<details><summary>Changes, field by field (3)</summary>")
    assert lines.index(error) < first and lines.index("#### People") < first
    assert lines.index("  - authorities: − a-spisanie") > first
    assert run.out.count("<details>") == run.out.count("</details>") == 3
    payouts = lines.index("<details><summary>Payouts by person (8)</summary>")
    assert lines[payouts + 4].startswith("| Виктор Алексеев (`alekseev`) | `2026-q3` | "
                                         "`rs-logistika` | ")


def test_markdown_without_changes(kkctl, org: Path) -> None:
    run = kkctl("diff", "-f", "markdown", cwd=org)
    assert run.lines == ["<!-- kkctl-diff -->",
                         "### Изменение организации: `HEAD` → `рабочая копия`", "",
                         "**Организация не изменилась.**"]


HOSTILE = ("</details><details open><summary>Approved</summary> <!-- kkctl-diff --> "
           "[ok](https://evil.example) <img src=x onerror=alert(1)> **bold** | cell @org/admins")


def test_markdown_user_strings_cannot_forge_the_comment(kkctl, org: Path) -> None:
    kira_joins_logistics(org, HOSTILE.replace("'", ""))
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n",
         "    name: '" + HOSTILE + "'\n")
    run = kkctl("diff", "-f", "markdown", "--include-payouts", cwd=org)
    body = run.out
    assert body.count("<details>") == body.count("</details>") == 3  # only kkctl's own
    assert body.count("<!-- kkctl-diff -->") == 1 and body.startswith("<!-- kkctl-diff -->")
    for forged in ("<details open>", "<img", "https://", "**bold**", "@org/admins", " | cell"):
        assert forged not in body
    assert "&lt;/details&gt;&lt;details open&gt;" in body


def big_organisation(root: Path, teams: int) -> Path:
    """``teams`` teams of one person each, committed; then every team renamed to a long name,
    left without a leader (an error each) and given a second member (a join each)."""
    root.mkdir()
    (root / "kkctl.yaml").write_text("kkctl: 1\norganisation: {id: big, name: Big, locale: en}\n")
    (root / "people.yaml").write_text("people:\n" + "".join(
        f"  - {{id: p{i}, name: Person {i}}}\n" for i in range(teams)))

    def write(name: str, leader: bool, second: bool) -> None:
        (root / "teams.yaml").write_text("teams:\n" + "".join(
            f"  - {{id: t{i}, name: '{name.format(i=i)}', "
            + (f"leader: p{i}, " if leader else "")
            + f"members: [p{i}" + (f", p{(i + 1) % teams}" if second else "") + "]}\n"
            for i in range(teams)))

    write("Team {i}", leader=True, second=False)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "base")
    write("Team {i} " + "renamed & <b>bold</b> " * 12, leader=False, second=True)
    return root


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_markdown_fits_a_github_comment_whatever_the_change(kkctl, tmp_path: Path,
                                                            lang: str) -> None:
    project = big_organisation(tmp_path / "big", 2000)
    run = kkctl("diff", "-f", "markdown", "--lang", lang, cwd=project, timeout=300)
    body = run.out
    assert run.code == 0, run.err
    assert utf16(body) <= 65_536  # and so are its characters, which GitHub counts
    lines = body.splitlines()
    assert lines[0] == "<!-- kkctl-diff -->"
    assert lines[3] == ("**2,000 teams changed**" if lang == "en"
                        else f"**2{NBSP}000 команд изменены**")
    notice = lines[5]
    if lang == "en":
        assert notice.startswith("⚠️ **Shortened to fit a GitHub comment (65,536 characters).**")
        assert "changed entities — " in notice and " of 2,000" in notice
        assert "lint findings — " in notice and "`-f json`" in notice
    else:
        assert "изменённые сущности — " in notice and f"из 2{NBSP}000" in notice
        assert "`-f json`" in notice
    # Every part got its share: findings, people's moves and details all show something.
    team = "team" if lang == "en" else "команда"
    assert any(line.startswith("- 🔴 **") and f"`KK101` {team} `t0`: " in line
               for line in lines)
    assert any(line.startswith("- Person 1 (`p1`) ") for line in lines)
    assert body.count("<details>") == body.count("</details>") == 1
    assert any(line.startswith(f"- **~** {team} `t0` — Team 0 renamed") for line in lines)
    # The text and JSON outputs are not cut: they are where the rest is.
    data = json.loads(kkctl("diff", "-f", "json", cwd=project, timeout=300).out)
    assert len(data["changes"]) == 2000 and data["findings"]["introduced"]["error"] == 2000


def test_markdown_within_the_limit_when_one_field_is_enormous(kkctl, org: Path) -> None:
    """A single value far longer than a comment: cut short, the comment still whole."""
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n",
         "    name: '" + "Ж&<" * 40_000 + "'\n")
    run = kkctl("diff", "-f", "markdown", cwd=org)
    assert utf16(run.out) <= 65_536
    assert run.out.count("<details>") == run.out.count("</details>") == 1
    title = next(line for line in run.lines if line.startswith("- **~** команда `logistika`"))
    assert title.endswith("…") and len(title) < 1_500


def test_text_lines_never_start_with_a_name_from_the_yaml(kkctl, org: Path) -> None:
    """A CI log runs a line that starts, after spaces, with "::" as a workflow command."""
    forged = "::error title=Approved::LGTM"
    kira_joins_logistics(org, forged)
    edit(org / "finance/2026.yaml", "    name: III квартал 2026\n", f"    name: '{forged}'\n")
    edit(org / "finance/2026.yaml", "15730000.00", "15690000.00")
    edit(org / "org/teams/logistika.yaml", "    name: Логистика\n", f"    name: '{forged}'\n")
    run = kkctl("diff", "--lang", "en", "--include-payouts", cwd=org)
    assert run.code == 0, run.err
    assert f"  + {forged} (kira) joins team {forged} (logistika) from August 1, 2026; " \
        in [flat(line).split("first bonus")[0] for line in run.lines]
    assert not [line for line in run.lines if line.lstrip().startswith("::")]


def test_a_side_with_errors_says_its_money_is_not_compared(org: Path, kkctl) -> None:
    """Figures kkctl would refuse to pay are shown nowhere, and the review says so instead of
    leaving the bonus out silently."""
    edit(org / "org/teams/logistika.yaml", "{person: makarova,", "{person: nobody-such,")
    text = kkctl("diff", str(org), "--lang", "en", "--fail-on", "never")
    assert "Bonus: not compared: this change has errors" in text.out
    russian = kkctl("diff", str(org), "--lang", "ru", "--fail-on", "never")
    assert "Вознаграждение: не сравнивается: в этом изменении есть ошибки" in russian.out
    payload = json.loads(kkctl("diff", str(org), "-f", "json", "--fail-on", "never").out)
    assert payload["bonus_withheld"] == ["head"] and payload["bonus"] == []
    comment = kkctl("diff", str(org), "-f", "markdown", "--lang", "en", "--fail-on", "never")
    assert "#### Bonus pools\n\n- Not compared: this change has errors" in comment.out

    commit_all(org, "broken")
    edit(org / "org/teams/logistika.yaml", "{person: nobody-such,", "{person: makarova,")
    fixed = json.loads(kkctl("diff", str(org), "-f", "json", "--fail-on", "never").out)
    assert fixed["bonus_withheld"] == ["base"]
    clean = json.loads(kkctl("diff", str(org), "HEAD~1", "-f", "json", "--fail-on",
                             "never").out)
    assert clean["bonus_withheld"] == []
