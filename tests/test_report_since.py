"""`kkctl report --since REV`: what changed since the last meeting, on real git repositories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import test_diff
from conftest import Run, assert_no_traceback, write_tree
from test_diff import git, realistic_change

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

repo = test_diff.repo  # the Russian example in a git repository, shared with test_diff

BASE = {
    "kkctl.yaml": """
        kkctl: 1
        organisation: {id: tiny, name: Tiny, locale: en}
        values:
          - {id: speed, name: Speed}
        clients:
          - {id: shoppers, name: Shoppers, kind: external}
        """,
    "people.yaml": """
        people:
          - {id: vera, name: Vera Lind}
          - {id: oleg, name: Oleg Popov}
          - {id: ivan, name: Ivan Roy}
        """,
    "teams.yaml": """
        teams:
          - id: delivery
            name: Delivery
            leader: vera
            members: [vera, oleg]
          - id: kitchen
            name: Kitchen
            leader: ivan
            members: [ivan]
        authorities:
          - {id: a-routes, scope: Delivery routes, holder: delivery}
        metrics:
          - {id: m-time, name: Minutes to the door, unit: min, direction: down, target: 60}
        promises:
          - id: fast
            kind: root
            giver: delivery
            receiver: shoppers
            value: speed
            text: Delivered within an hour
            metrics: [m-time]
            authorities: [a-routes]
        """,
}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A small organisation of our own (stable names to assert) committed in a repository."""
    root = write_tree(tmp_path / "tiny", BASE)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def change(root: Path, old: str, new: str, file: str = "teams.yaml") -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def meeting_changes(root: Path) -> None:
    """Kira joins (in the kitchen), Oleg leaves, Delivery is renamed, a promise is added and
    another reworded, the routes go to the kitchen and the delivery time target tightens."""
    change(root, "  - {id: oleg, name: Oleg Popov}\n",
           "  - {id: kira, name: Kira Smirnova}\n", "people.yaml")
    change(root, "members: [vera, oleg]", "members: [vera]")
    change(root, "members: [ivan]", "members: [ivan, kira]")
    change(root, "name: Delivery\n", "name: Doorstep Delivery\n")
    change(root, "holder: delivery}", "holder: kitchen}")
    change(root, "target: 60}", "target: 45}")
    change(root, "text: Delivered within an hour", "text: Delivered within 45 minutes")
    change(root, "promises:\n", "promises:\n"
           "  - {id: fresh, kind: general, giver: kitchen, receiver: shoppers,\n"
           "     text: Every dish leaves the kitchen within ten minutes of the order}\n")


def section(run: Run) -> str:
    """The report's "what changed" section (up to the next top-level heading)."""
    assert run.code == 0, run.err
    match = re.search(r'<a id="changes"></a>\n(## .*?)(?=\n## )', run.out, re.S)
    assert match, run.out
    return match.group(1)


def test_changes_are_named_and_grouped_in_english(kkctl, tiny: Path) -> None:
    meeting_changes(tiny)
    text = section(kkctl("report", "--since", "HEAD", "--lang", "en", str(tiny)))
    assert text.startswith("## What changed since `HEAD`\n")
    for line in ["**People: 4 changes**",
                 "- Kira Smirnova: joined the organisation",
                 "- Oleg Popov: left the organisation",
                 "- Kira Smirnova: joined team Kitchen",
                 "- Oleg Popov: left team Doorstep Delivery",
                 "**Teams and councils: 1 change**",
                 "- Team renamed: Delivery → Doorstep Delivery",
                 "- New promise “Every dish leaves the kitchen within ten minutes of the order”:"
                 " Kitchen → Shoppers",
                 "- “Delivered within 45 minutes”: new wording, was “Delivered within an hour”",
                 "- Authority “Delivery routes” handed over: Doorstep Delivery → Kitchen",
                 "- Minutes to the door: target 60 → 45",
                 "Field by field: `kkctl diff HEAD`."]:
        assert line in text.splitlines(), (line, text)
    named = text.split("**Validation and lint")[0]  # findings quote ids; the groups do not
    assert not re.search(r"\b(kira|oleg|delivery|shoppers|a-routes|m-time|fresh)\b", named), named


def test_changes_in_russian_with_russian_plurals(kkctl, tiny: Path) -> None:
    meeting_changes(tiny)
    text = section(kkctl("report", "--since", "HEAD", "--lang", "ru", str(tiny)))
    for line in ["## Что изменилось с `HEAD`",
                 "**Сотрудники: 4 изменения**",
                 "**Команды и советы: 1 изменение**",
                 "- Kira Smirnova: новый сотрудник",
                 "- Oleg Popov: больше не в организации",
                 "- Kira Smirnova: теперь в команде «Kitchen»",
                 "- Команда переименована: «Delivery» → «Doorstep Delivery»",
                 "- Новое обещание «Every dish leaves the kitchen within ten minutes of the"
                 " order»: Kitchen → Shoppers",
                 "- «Delivered within 45 minutes»: новая формулировка, было «Delivered within an"
                 " hour»",
                 "- Полномочие «Delivery routes» передано: Doorstep Delivery → Kitchen",
                 "- Minutes to the door: цель 60 → 45",
                 "Все поля: `kkctl diff HEAD`."]:
        assert line in text.splitlines(), (line, text)


def test_without_since_there_is_no_section_and_no_change_is_one_line(kkctl, tiny: Path) -> None:
    plain = kkctl("report", "--lang", "en", str(tiny))
    assert plain.code == 0 and 'id="changes"' not in plain.out
    text = section(kkctl("report", "--since", "HEAD", "--lang", "en", str(tiny)))
    assert text.splitlines()[2:] == ["Nothing has changed in the organisation since `HEAD`."]
    ru = section(kkctl("report", "--since", "HEAD", "--lang", "ru", str(tiny)))
    assert ru.splitlines()[2:] == ["С `HEAD` в организации ничего не изменилось."]
    added = kkctl("report", "--since", "HEAD", "--lang", "en", str(tiny)).out
    assert re.sub(r'<a id="changes"></a>\n.*?\n\n(?=## )', "", added, flags=re.S) == plain.out


@pytest.mark.parametrize("argv", [["--since", "no-such-branch"], ["--since=--output=x"],
                                  ["--since", "--output=x"]])
def test_a_bad_revision_is_a_usage_error(kkctl, tiny: Path, argv: list[str]) -> None:
    revision = argv[-1].removeprefix("--since=")
    for lang, said in (("en", f"unknown revision '{revision}'"),
                       ("ru", f"ревизии '{revision}' нет")):
        run = kkctl("report", *argv, "--lang", lang, str(tiny), cwd=tiny)
        assert run.code == 2 and said in run.err and run.out == "", run.err
        assert_no_traceback(run)
    assert not (tiny / "x").exists()


def test_outside_git_the_error_says_so(kkctl, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "plain", BASE)
    run = kkctl("report", "--since", "HEAD", "--lang", "en", str(root))
    assert run.code == 2 and "is not inside a git repository" in run.err
    assert_no_traceback(run)


def test_many_changes_stay_short(kkctl, tiny: Path) -> None:
    teams = "".join(f"  - {{id: t{i:03}, name: Team {i:03}, leader: vera}}\n"
                    for i in range(200))
    (tiny / "more.yaml").write_text("teams:\n" + teams, encoding="utf-8")
    text = section(kkctl("report", "--since", "HEAD", "--lang", "en", str(tiny)))
    teams_group = text.split("**Teams and councils: 200 changes**\n\n")[1].split("\n\n")[0]
    lines = teams_group.splitlines()
    assert lines[0] == "- New team: Team 000" and len(lines) == 16
    assert lines[-1] == "- … and 185 more"
    assert all(len(re.findall(r"^- ", group, re.M)) <= 16 for group in text.split("**"))
    assert len(text.splitlines()) < 60
    # 200 teams break the same rules: one line per rule, not 200
    assert re.search(r"^- new: `KK\d+` in 200 places: ", text, re.M), text


def test_user_text_is_escaped(kkctl, tiny: Path) -> None:
    change(tiny, "name: Kitchen\n", "name: \"[Kitchen](https://x.example) | *hot* <b>\"\n")
    text = section(kkctl("report", "--since", "HEAD", "--lang", "en", str(tiny)))
    assert ("- Team renamed: Kitchen → \\[Kitchen\\](https&#58;//x.example) \\| \\*hot\\* "
            "&lt;b&gt;") in text.splitlines()


def test_the_example_and_check_round_trip(kkctl, repo: Path, tmp_path: Path) -> None:
    project = repo / "org-data"
    realistic_change(repo)
    out = tmp_path / "REPORT.md"
    written = kkctl("report", "--since", "HEAD", "--out", str(out), str(project))
    assert written.code == 0, written.err
    text = section(Run(0, out.read_text(encoding="utf-8"), ""))
    assert "- Кира: новый сотрудник" in text.splitlines()
    assert "**Пулы вознаграждения:" in text
    assert re.search(r"^\*\*Проверка и линтер: \d+ нов\w+ замечани\w+, исправлено: \d+\*\*$",
                     text, re.M), text
    check = kkctl("report", "--since", "HEAD", "--out", str(out), "--check", str(project))
    assert check.code == 0, check.out + check.err
    git(repo, "commit", "-qam", "meeting")
    stale = kkctl("report", "--since", "HEAD", "--out", str(out), "--check", str(project))
    assert stale.code == 1 and "ничего не изменилось" in stale.out


def test_the_report_function_takes_since_and_keeps_the_collector_on(tiny: Path) -> None:
    import gc

    from kkctl.project import UsageError
    from kkctl.report.app import ReportRequest, report

    meeting_changes(tiny)
    outcome = report(str(tiny), ReportRequest(lang="en", since="HEAD"))
    assert "- Oleg Popov: left the organisation" in outcome.text.splitlines()
    assert gc.isenabled()  # diff.run pauses it; the report goes on rendering
    with pytest.raises(UsageError) as raised:
        report(str(tiny), ReportRequest(lang="en", since="-h"))
    assert raised.value.message_id == "git.unknown_revision"
