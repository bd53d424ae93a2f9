"""`kkctl log`: the organisation's journal over a real git history of more than twenty
commits (joins and leaves, a leader change, an authority moving, a promise withdrawn, a
period closed, a file renamed, a branch merged, a broken commit, a hostile message)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Run, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PROJECT = """
kkctl: 1
organisation: {id: fresh, name: Fresh Food, currency: RUB, locale: en}
clients:
  - {id: shoppers, name: Shoppers, kind: external}
reward_schemes:
  - {id: rs-couriers, name: Couriers' bonus, unit: couriers, share: 0.20, split: equal}
periods:
  - {id: 2026-q2, start: 2026-04-01, end: 2026-06-30, net_profit: 1000000.00}
  - {id: 2026-q3, start: 2026-07-01, end: 2026-09-30}
"""
PEOPLE = """
people:
  - {id: anna, name: Anna}
  - {id: boris, name: Boris}
  - {id: vera, name: Vera}
"""
COURIERS = """
teams:
  - id: couriers
    name: Couriers
    leader: anna
    reward: rs-couriers
    members:
      - anna
      - {person: boris, from: 2026-01-01}
promises:
  - id: doorstep-by-8
    kind: root
    giver: couriers
    receiver: shoppers
    text: Delivered to the door by 8 am
    authorities: [a-route]
authorities:
  - {id: a-route, scope: choosing the route, holder: couriers, budget: 10000.00}
"""
SHOPS = """
teams:
  - id: shops
    name: Shops
    leader: vera
    members: [vera]
promises:
  - id: shelf-fresh
    kind: supporting
    giver: shops
    receiver: couriers
    text: Orders packed by 7 am
authorities:
  - {id: a-refund, scope: refunds up to 5000, holder: shops}
"""
KITCHEN = """
teams:
  - id: kitchen
    name: Kitchen
    leader: anna
    members: [anna, kira]
"""
HOSTILE_SUBJECT = "Rename Vera \x1b[2J\x1b[31mred\rOVERWRITE"
HOSTILE_MESSAGE = HOSTILE_SUBJECT + "\n  + Fake event on a line of its own\n"


class History:
    """Commits with fixed dates (one day apart from 2026-01-10) and authors."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.commits: dict[str, str] = {}  # message's first line -> commit id

    def git(self, *args: str, author: str = "Anna") -> str:
        when = (dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
                + dt.timedelta(days=self.day)).isoformat()
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org",
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
               "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.root)}
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True,
                              check=True, env=env)
        return done.stdout.decode()

    def commit(self, message: str, author: str = "Anna") -> str:
        self.day += 1
        message_file = self.root.parent / "message"
        message_file.write_text(message, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "--cleanup=verbatim", "-F", str(message_file), author=author)
        ident = self.git("rev-parse", "HEAD").strip()
        self.commits[message.split("\n")[0]] = ident
        return ident

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_history(root: Path) -> History:
    org = "org"
    write_tree(root / org, {"kkctl.yaml": PROJECT, "org/people.yaml": PEOPLE,
                            "org/teams/couriers.yaml": COURIERS, "org/teams/shops.yaml": SHOPS})
    h = History(root)
    h.git("init", "-q", "-b", "main")
    h.commit("Record the organisation")
    h.edit("org/org/people.yaml", "  - {id: vera, name: Vera}\n",
           "  - {id: vera, name: Vera}\n  - {id: kira, name: Kira}\n")
    h.commit("Hire Kira", author="Boris")
    h.edit("org/org/teams/couriers.yaml", "      - {person: boris, from: 2026-01-01}\n",
           "      - {person: boris, from: 2026-01-01}\n      - {person: kira, from: 2026-08-01}\n")
    h.commit("Kira joins the couriers")
    h.edit("org/org/teams/couriers.yaml", "    leader: anna\n", "    leader: boris\n")
    h.commit("Boris leads the couriers")
    h.edit("org/org/teams/shops.yaml", "holder: shops}", "holder: couriers}")
    h.commit("Refunds move to the couriers")
    h.edit("org/org/teams/couriers.yaml", "budget: 10000.00", "budget: 25000.00")
    h.commit("A bigger route budget")
    h.edit("org/org/teams/shops.yaml", """  - id: shelf-fresh
    kind: supporting
    giver: shops
    receiver: couriers
    text: Orders packed by 7 am
""", "  []\n")
    h.edit("org/org/teams/shops.yaml", "promises:\n  []\n", "promises: []\n")
    h.commit("Withdraw shelf-fresh")
    (root / "README.md").write_text("Not the organisation\n")
    h.commit("Readme")
    h.edit("org/kkctl.yaml", "net_profit: 1000000.00}",
           "net_profit: 1000000.00,\n"
           "      paid: {rs-couriers: {anna: 100000.00, boris: 100000.50}}}")
    h.commit("Close Q2")
    h.edit("org/kkctl.yaml", "end: 2026-09-30}", "end: 2026-09-30, net_profit: 2000000.00}")
    h.commit("Q3 net profit")
    h.git("mv", "org/org/teams/couriers.yaml", "org/org/teams/delivery.yaml")
    h.commit("Rename the couriers' file")
    h.edit("org/org/teams/delivery.yaml", "{person: kira, from: 2026-08-01}",
           "{person: kira, from: 2026-08-01, to: 2026-12-31}")
    h.commit("Kira's last day")
    h.git("checkout", "-q", "-b", "feature")
    h.edit("org/org/people.yaml", "  - {id: kira, name: Kira}\n",
           "  - {id: kira, name: Kira}\n  - {id: lev, name: Lev}\n")
    h.commit("Branch: hire Lev")
    h.edit("org/org/teams/shops.yaml", "members: [vera]", "members: [vera, lev]")
    h.commit("Branch: Lev joins the shops")
    h.git("checkout", "-q", "main")
    h.edit("org/kkctl.yaml", "share: 0.20", "share: 0.25")
    h.commit("A bigger share for the couriers")
    h.day += 1
    h.git("merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature")
    h.commits["Merge branch 'feature'"] = h.git("rev-parse", "HEAD").strip()
    h.edit("org/org/people.yaml", "people:\n", "# Everyone who works here\npeople:\n")
    h.commit("A comment only")
    h.edit("org/org/people.yaml", "{id: vera, name: Vera}",
           "{id: vera, name: \"Vera **bold** <b>x</b> \\e[31m\"}")
    h.commit(HOSTILE_MESSAGE, author="Mallory\x1b[0m")
    h.edit("org/org/teams/shops.yaml", "members: [vera, lev]", "members: [lev]")
    h.commit("Vera leaves the shops")
    write_tree(root / org, {"org/teams/kitchen.yaml": KITCHEN})
    h.commit("A kitchen team")
    h.edit("org/org/teams/delivery.yaml", "    text: Delivered to the door by 8 am\n",
           "    text: Delivered to the door by 8 am\n    status: retired\n")
    h.commit("Retire doorstep-by-8")
    (root / org / "org/teams/kitchen.yaml").write_text("teams: [\n  {id: kitchen\n")
    h.commit("Half-saved kitchen")
    write_tree(root / org, {"org/teams/kitchen.yaml": KITCHEN.replace("[anna, kira]",
                                                                      "[anna, kira, lev]")})
    h.commit("Lev helps in the kitchen")
    h.edit("org/org/teams/delivery.yaml",
           "  - {id: a-route, scope: choosing the route, holder: couriers, budget: 25000.00}\n",
           "  []\n")
    h.edit("org/org/teams/delivery.yaml", "    authorities: [a-route]\n", "")
    h.commit("Revoke the route authority")
    return h


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    return build_history(tmp_path_factory.mktemp("log") / "repo")


def journal(kkctl, history: History, *args: str) -> Run:  # type: ignore[no-untyped-def]
    run = kkctl("log", str(history.root / "org"), *args)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


def blocks(out: str) -> dict[str, list[str]]:
    """The text output as ``{header: [event lines]}``."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = found.setdefault(line, [])
        elif line:
            current.append(line.strip())
    return found


def entry(run: Run, subject: str) -> list[str]:
    for header, lines in blocks(run.out).items():
        if header.endswith(f": {subject}") or header.endswith(f": {subject} (merge)"):
            return lines
    raise AssertionError(f"no commit {subject!r} in:\n{run.out}")


def test_every_commit_that_changes_the_organisation_newest_first(kkctl, history) -> None:
    run = journal(kkctl, history)
    headers = list(blocks(run.out))
    assert len(headers) == 21, run.out  # 24 commits: not the README, not the branch's two
    assert headers[0] == f"2026-02-03  {history.commits['Revoke the route authority'][:7]}  " \
                         "Anna: Revoke the route authority"
    assert headers[-1].endswith("Anna: Record the organisation")
    assert not any("Readme" in h or "Branch:" in h for h in headers)
    assert entry(run, "Record the organisation") == [
        "+ The organisation Fresh Food is recorded: 3 people, 2 teams, 2 promises, "
        "2 authorities"]


def test_people_join_and_leave_leaders_change(kkctl, history) -> None:
    run = journal(kkctl, history)
    assert entry(run, "Hire Kira") == ["+ Kira (kira) joins the organisation"]
    assert entry(run, "Kira joins the couriers") == [
        "+ Kira (kira) joins team Couriers (couriers) from August 1, 2026"]
    assert entry(run, "Boris leads the couriers") == [
        "~ Team Couriers (couriers): leader Anna (anna) → Boris (boris)"]
    assert entry(run, "Vera leaves the shops") == [
        "- Vera **bold** <b>x</b> \\u001b[31m (vera) leaves team Shops (shops)"]
    assert entry(run, "Kira's last day") == [
        "- Kira (kira) leaves team Couriers (couriers), last day December 31, 2026"]
    assert entry(run, "A kitchen team") == [
        "+ Team Kitchen (kitchen) is created",
        "+ Anna (anna) joins team Kitchen (kitchen)",
        "+ Kira (kira) joins team Kitchen (kitchen)"]


def test_authorities_promises_and_money(kkctl, history) -> None:
    run = journal(kkctl, history)
    assert entry(run, "Refunds move to the couriers") == [
        "~ The authority “refunds up to 5000” (a-refund) moves from team Shops (shops) to "
        "team Couriers (couriers)"]
    assert [line.replace("\u00a0", " ") for line in entry(run, "A bigger route budget")] == [
        "~ The authority “choosing the route” (a-route) is widened: budget RUB 10,000.00 → "
        "RUB 25,000.00"]
    assert entry(run, "Withdraw shelf-fresh") == [
        "- Team Shops (shops) withdraws the promise to team Couriers (couriers): "
        "“Orders packed by 7 am” (shelf-fresh)"]
    assert entry(run, "Retire doorstep-by-8") == [
        "- Team Couriers (couriers) withdraws the promise to client Shoppers (shoppers): "
        "“Delivered to the door by 8 am” (doorstep-by-8)"]
    closed = [line.replace("\u00a0", " ") for line in entry(run, "Close Q2")]
    assert closed == ["~ The period 2026-q2 is closed: paid RUB 200,000.50 "
                      "(reward scheme Couriers' bonus (rs-couriers))"]
    assert "anna" not in run.out.split("Close Q2")[0].split("\n")[-1]  # no one's own pay
    assert [line.replace("\u00a0", " ") for line in entry(run, "Q3 net profit")] == [
        "~ The period 2026-q3: net profit RUB 2,000,000.00"]
    assert entry(run, "A bigger share for the couriers") == [
        "~ The reward scheme Couriers' bonus (rs-couriers): share 20% → 25%"]
    assert entry(run, "Revoke the route authority") == [
        "- The promise “Delivered to the door by 8 am” (doorstep-by-8) is no longer backed by "
        "the authority “choosing the route” (a-route)",
        "- The authority “choosing the route” (a-route) of team Couriers (couriers) is "
        "revoked"]


def test_entity_tells_what_happened_to_kira_and_when(kkctl, history) -> None:
    run = journal(kkctl, history, "--entity", "kira")
    last_day = history.commits["Kira's last day"][:7]
    assert blocks(run.out) == {
        f"2026-01-30  {history.commits['A kitchen team'][:7]}  Anna: A kitchen team":
            ["+ Kira (kira) joins team Kitchen (kitchen)"],
        f"2026-01-22  {last_day}  Anna: Kira's last day":
            ["- Kira (kira) leaves team Couriers (couriers), last day December 31, 2026"],
        f"2026-01-13  {history.commits['Kira joins the couriers'][:7]}  "
        "Anna: Kira joins the couriers":
            ["+ Kira (kira) joins team Couriers (couriers) from August 1, 2026"],
        f"2026-01-12  {history.commits['Hire Kira'][:7]}  Boris: Hire Kira":
            ["+ Kira (kira) joins the organisation"],
    }


def test_entity_of_a_team_has_its_people_and_authorities(kkctl, history) -> None:
    run = journal(kkctl, history, "--entity", "couriers")
    subjects = [header.split(": ", 1)[1] for header in blocks(run.out)]
    assert subjects == ["Revoke the route authority", "Retire doorstep-by-8", "Kira's last day",
                        "Withdraw shelf-fresh", "Refunds move to the couriers",
                        "Boris leads the couriers", "Kira joins the couriers",
                        "Record the organisation"]
    assert entry(run, "Withdraw shelf-fresh") == [
        "- Team Shops (shops) withdraws the promise to team Couriers (couriers): "
        "“Orders packed by 7 am” (shelf-fresh)"]


def test_an_unknown_entity_is_a_usage_error_with_a_suggestion(kkctl, history) -> None:
    run = kkctl("log", str(history.root / "org"), "--entity", "kiraa")
    assert run.code == 2
    assert "no entity 'kiraa'" in run.err and "did you mean 'kira'?" in run.err
    assert "Traceback" not in run.err


def test_since_is_exclusive_like_git_log_range(kkctl, history) -> None:
    run = journal(kkctl, history, "--since", history.commits["Q3 net profit"])
    subjects = [header.split(": ", 1)[1] for header in blocks(run.out)]
    assert subjects[-1] == "Rename the couriers' file"
    assert "Q3 net profit" not in subjects and len(subjects) == 12
    assert journal(kkctl, history, "--since", "HEAD").out == \
        "No commit after HEAD changes the organisation's files.\n"


def test_since_a_branch_shows_its_merge_once(kkctl, history) -> None:
    run = journal(kkctl, history, "--since", "feature")
    assert list(blocks(run.out))[-1].endswith("A bigger share for the couriers")
    assert entry(run, "Merge branch 'feature'") == ["+ Lev (lev) joins the organisation",
                                                    "+ Lev (lev) joins team Shops (shops)"]


def test_since_refuses_an_option_and_an_unknown_revision(kkctl, history, tmp_path) -> None:
    run = kkctl("log", str(history.root / "org"), f"--since=--output={tmp_path / 'x'}")
    assert run.code == 2 and "unknown revision" in run.err
    assert not (tmp_path / "x").exists()
    run = kkctl("log", str(history.root / "org"), "--since", "no-such-branch")
    assert run.code == 2 and "unknown revision 'no-such-branch'" in run.err


def test_a_merge_is_its_changes_against_the_first_parent_once(kkctl, history) -> None:
    run = journal(kkctl, history)
    assert "Branch:" not in run.out  # the branch's own commits: proposals, not states
    assert entry(run, "Merge branch 'feature'") == ["+ Lev (lev) joins the organisation",
                                                    "+ Lev (lev) joins team Shops (shops)"]
    lev = journal(kkctl, history, "--entity", "lev")
    assert [h.split(": ", 1)[1] for h in blocks(lev.out)] == [
        "Lev helps in the kitchen", "Merge branch 'feature' (merge)"]


def test_a_renamed_file_and_a_comment_are_no_change(kkctl, history) -> None:
    run = journal(kkctl, history)
    quiet = ["no change to the organisation (formatting, comments or files moved)"]
    assert entry(run, "Rename the couriers' file") == quiet
    assert entry(run, "A comment only") == quiet
    assert "Team Couriers (couriers) is removed" not in run.out
    assert "is dissolved" not in run.out


def test_a_commit_that_breaks_a_file_is_not_everything_removed(kkctl, history) -> None:
    run = journal(kkctl, history)
    broken = entry(run, "Half-saved kitchen")
    assert len(broken) == 1 and broken[0].startswith(
        "! org/teams/kitchen.yaml cannot be read in this commit (YAML syntax error")
    assert broken[0].endswith("its changes show once it can be read again")
    assert entry(run, "Lev helps in the kitchen") == ["+ Lev (lev) joins team Kitchen (kitchen)"]


def test_russian(kkctl, history) -> None:
    run = journal(kkctl, history, "--lang", "ru")
    assert list(blocks(run.out))[-1] == \
        f"11.01.2026  {history.commits['Record the organisation'][:7]}  Anna: Record the " \
        "organisation"
    lines = [line.replace("\u00a0", " ").replace("\u202f", " ")
             for lines in blocks(run.out).values() for line in lines]
    for expected in (
            "+ Организация Fresh Food внесена в журнал: 3 сотрудника, 2 команды, 2 обещания, "
            "2 полномочия",
            "+ В организацию приходит Kira (kira)",
            "+ Kira (kira) входит в команду Couriers (couriers) с 1 августа 2026 г.",
            "- Kira (kira) выходит из команды Couriers (couriers), последний день — "
            "31 декабря 2026 г.",
            "~ Команда Couriers (couriers): лидер Anna (anna) → Boris (boris)",
            "~ Полномочие «refunds up to 5000» (a-refund) переходит от команды Shops (shops) к "
            "команде Couriers (couriers)",
            "~ Полномочие «choosing the route» (a-route) расширено: бюджет 10 000,00 ₽ → "
            "25 000,00 ₽",
            "- Команда Shops (shops) отзывает обещание команде Couriers (couriers): «Orders "
            "packed by 7 am» (shelf-fresh)",
            "~ Период 2026-q2 закрыт: выплачено 200 000,50 ₽ (система вознаграждения "
            "Couriers' bonus (rs-couriers))",
            "~ Система вознаграждения Couriers' bonus (rs-couriers): доля 20 % → 25 %",
            "+ Создана команда Kitchen (kitchen)",
            "- У команды Couriers (couriers) отменено полномочие «choosing the route» (a-route)",
            "организация не изменилась (форматирование, комментарии или перенос файлов)"):
        assert expected in lines, expected
    assert "(слияние)" in run.out


def test_json_structure(kkctl, history) -> None:
    run = journal(kkctl, history, "-f", "json")
    assert "\x1b" not in run.out and "\r" not in run.out
    payload = json.loads(run.out)
    assert payload["organisation"] == {"id": "fresh", "name": "Fresh Food"}
    assert payload["since"] is None and payload["entity"] is None
    commits = payload["commits"]
    assert len(commits) == 21
    assert all(re.fullmatch(r"[0-9a-f]{40}", c["commit"]) for c in commits)
    assert {tuple(sorted(c)) for c in commits} == {tuple(sorted(
        ("commit", "parents", "merge", "date", "author", "subject", "events", "unreadable")))}
    merge = next(c for c in commits if c["merge"])
    assert len(merge["parents"]) == 2 and merge["subject"] == "Merge branch 'feature'"
    joins = next(c for c in commits if c["subject"] == "Kira joins the couriers")
    assert joins["date"] == "2026-01-13T10:00:00+03:00" and joins["author"] == "Anna"
    assert joins["events"] == [{
        "kind": "team", "id": "couriers", "name": "Couriers", "event": "member_joined",
        "details": {"person": {"kind": "person", "id": "kira", "name": "Kira"},
                    "from": "2026-08-01"},
        "text": "Kira (kira) joins team Couriers (couriers) from August 1, 2026"}]
    closed = next(c for c in commits if c["subject"] == "Close Q2")["events"][0]
    assert closed["event"] == "closed"
    assert closed["details"] == {"paid": [{"scheme": {"kind": "reward_scheme",
                                                      "id": "rs-couriers",
                                                      "name": "Couriers' bonus"},
                                           "amount": "200000.50"}]}
    assert "100000.50" not in run.out  # what one person was paid is not the journal's
    hostile = next(c for c in commits if c["subject"].startswith("Rename Vera"))
    assert hostile["subject"] == HOSTILE_SUBJECT and hostile["author"] == "Mallory\x1b[0m"
    events = {e["event"] for c in commits for e in c["events"]}
    assert {"recorded", "joined", "member_joined", "member_leaving", "member_left",
            "leader_changed", "moved", "widened", "withdrawn", "closed", "net_profit",
            "scheme_changed", "created", "revoked", "unbacked", "changed"} <= events
    broken = next(c for c in commits if c["subject"] == "Half-saved kitchen")
    assert broken["events"] == [] and broken["unreadable"][0]["file"] == \
        "org/teams/kitchen.yaml"


def test_json_with_entity_keeps_only_its_events(kkctl, history) -> None:
    payload = json.loads(journal(kkctl, history, "-f", "json", "--entity", "lev").out)
    assert payload["entity"] == "lev"
    assert [[e["event"] for e in c["events"]] for c in payload["commits"]] == [
        ["member_joined"], ["joined", "member_joined"]]


def test_hostile_message_and_names_cannot_forge_text_output(kkctl, history) -> None:
    run = journal(kkctl, history)
    assert "\x1b" not in run.out and "\r" not in run.out
    assert "Fake event" not in run.out  # only a message's first line is shown
    header = next(h for h in blocks(run.out) if "Rename Vera" in h)
    assert header.endswith("Mallory\\u001b[0m: Rename Vera \\u001b[2J\\u001b[31mred\\rOVERWRITE")


def test_markdown_is_escaped(kkctl, history) -> None:
    run = journal(kkctl, history, "-f", "markdown")
    lines = run.out.splitlines()
    assert lines[0] == "## Journal: Fresh Food"
    first = history.commits["Record the organisation"][:7]
    assert f"### 2026-01-11 · `{first}` · Anna: Record the organisation" in lines
    assert "- **+** Kira (`kira`) joins team Couriers (`couriers`) from August 1, 2026" in lines
    assert "\x1b" not in run.out and "\r" not in run.out and "<b>" not in run.out
    assert any("Vera \\*\\*bold\\*\\* &lt;b&gt;x&lt;/b&gt;" in line for line in lines)
    assert not any(line.lstrip().startswith("+ Fake") for line in lines)


def test_output_never_overwrites_the_organisation(kkctl, history) -> None:
    target = history.root / "org" / "kkctl.yaml"
    before = target.read_bytes()
    run = kkctl("log", str(history.root / "org"), "-o", str(target))
    assert run.code == 2 and target.read_bytes() == before


def test_the_journal_agrees_with_diff(kkctl, history) -> None:
    """Each commit's events are about the entities `kkctl diff` finds changed."""
    payload = json.loads(journal(kkctl, history, "-f", "json").out)
    for subject in ("Hire Kira", "Refunds move to the couriers", "Close Q2",
                    "Merge branch 'feature'"):
        commit = next(c for c in payload["commits"] if c["subject"] == subject)
        diff = kkctl("diff", f"{commit['commit']}^", commit["commit"],
                     str(history.root / "org"), "-f", "json")
        changed = {c["id"] for c in json.loads(diff.out)["changes"]}
        assert {e["id"] for e in commit["events"]} == changed, subject


def test_a_shallow_clone_starts_after_its_boundary(kkctl, history, tmp_path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "4", f"file://{history.root}", str(clone)],
                   check=True, capture_output=True)
    run = kkctl("log", str(clone / "org"))
    assert run.code == 0, run.err
    assert [h.split(": ", 1)[1] for h in blocks(run.out)] == [
        "Revoke the route authority", "Lev helps in the kitchen", "Half-saved kitchen"]
    assert entry(run, "Lev helps in the kitchen") == ["+ Lev (lev) joins team Kitchen (kitchen)"]
    assert "shallow clone" in run.err and "git fetch --unshallow" in run.err


def test_not_a_git_repository(kkctl, tmp_path) -> None:
    write_tree(tmp_path / "org", {"kkctl.yaml": PROJECT})
    run = kkctl("log", str(tmp_path / "org"))
    assert run.code == 2
    assert "is not inside a git repository: kkctl log reads the organisation's git history" \
        in run.err


def test_a_file_over_the_size_limit_is_not_read(kkctl, tmp_path) -> None:
    h = History(tmp_path / "repo")
    write_tree(h.root, {"kkctl.yaml": PROJECT})
    h.git("init", "-q", "-b", "main")
    h.commit("Start")
    people = "people:\n" + "".join(f"  - {{id: p{i}, name: Person {i}}}\n" for i in range(200))
    write_tree(h.root, {"org/people.yaml": people})
    h.commit("Many people")
    run = kkctl("log", str(h.root), "--max-file-size", "2000")
    assert run.code == 0, run.err
    lines = entry(run, "Many people")
    assert len(lines) == 1 and lines[0].startswith("! org/people.yaml cannot be read")


def test_git_config_of_the_repository_runs_nothing(kkctl, tmp_path) -> None:
    """A repository that asks git log to verify signatures with its own program, and names an
    fsmonitor, filters and a pager: kkctl log starts none of them."""
    h = History(tmp_path / "repo")
    write_tree(h.root, {"kkctl.yaml": PROJECT, "org/people.yaml": PEOPLE})
    h.git("init", "-q", "-b", "main")
    h.commit("Start")
    tree = h.git("rev-parse", "HEAD^{tree}").strip()
    parent = h.git("rev-parse", "HEAD").strip()
    signed = (f"tree {tree}\nparent {parent}\nauthor A <a@x> 1767000000 +0300\n"
              "committer A <a@x> 1767000000 +0300\ngpgsig -----BEGIN PGP SIGNATURE-----\n"
              " x\n -----END PGP SIGNATURE-----\n\nSigned, supposedly\n")
    (h.root / "people2.yaml").write_text("people:\n  - {id: kira, name: Kira}\n")
    h.git("add", "people2.yaml")
    tree = h.git("write-tree").strip()
    signed = signed.replace(signed.split("\n")[0], f"tree {tree}")
    (tmp_path / "object").write_text(signed)
    commit = h.git("hash-object", "-t", "commit", "-w", str(tmp_path / "object")).strip()
    h.git("update-ref", "HEAD", commit)
    marker = tmp_path / "ran"
    script = tmp_path / "program.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n")
    script.chmod(0o755)
    for key, value in (("log.showSignature", "true"), ("gpg.program", str(script)),
                       ("core.fsmonitor", str(script)), ("core.pager", str(script)),
                       ("filter.x.clean", str(script)), ("filter.x.smudge", str(script)),
                       ("diff.external", str(script))):
        h.git("config", key, value)
    (h.root / ".gitattributes").write_text("*.yaml filter=x diff=x\n")
    run = kkctl("log", str(h.root), env={"GIT_PAGER": str(script),
                                         "GIT_EXTERNAL_DIFF": str(script)})
    assert run.code == 0, run.err
    assert "Kira (kira) joins the organisation" in run.out
    assert not marker.exists()


def test_what_one_person_is_paid_never_shows(kkctl, tmp_path) -> None:
    h = History(tmp_path / "repo")
    write_tree(h.root, {"kkctl.yaml": PROJECT.replace(
        "end: 2026-09-30}",
        "end: 2026-09-30, net_profit: 10.00,\n"
        "      payouts: {rs-couriers: {anna: 1.11, boris: 2.22}},\n"
        "      paid: {rs-couriers: {anna: 3.33, boris: 4.44}}}")})
    h.git("init", "-q", "-b", "main")
    h.commit("Start")
    h.edit("kkctl.yaml", "{anna: 3.33, boris: 4.44}", "{anna: 4.44, boris: 3.33}")
    h.edit("kkctl.yaml", "{anna: 1.11, boris: 2.22}", "{anna: 2.22, boris: 1.11}")
    h.commit("Who got what")
    for fmt in ("text", "json", "markdown"):
        run = kkctl("log", str(h.root), "-f", fmt)
        assert run.code == 0, run.err
        for amount in ("1.11", "2.22", "3.33", "4.44", "1,11", "2,22", "3,33", "4,44"):
            assert amount not in run.out, (fmt, amount)
    assert entry(kkctl("log", str(h.root)), "Who got what") == [
        "~ The period 2026-q3: who was paid what is corrected (totals unchanged)",
        "~ The period 2026-q3: the payouts the council set change (reward scheme Couriers' "
        "bonus (rs-couriers))"]


def test_a_single_file_organisation_and_a_repository_without_commits(kkctl, tmp_path) -> None:
    h = History(tmp_path / "repo")
    write_tree(h.root, {"sub/org.yaml": PROJECT + PEOPLE})
    h.git("init", "-q", "-b", "main")
    run = kkctl("log", str(h.root / "sub" / "org.yaml"))
    assert run.code == 2 and "the repository has no commits yet" in run.err
    h.commit("Start")
    write_tree(h.root, {"sub/other.yaml": "people:\n  - {id: zed, name: Zed}\n"})
    h.edit("sub/org.yaml", "  - {id: vera, name: Vera}\n",
           "  - {id: vera, name: Vera}\n  - {id: kira, name: kira}\n")
    h.commit("Kira, and a file that is not the organisation")
    run = kkctl("log", str(h.root / "sub" / "org.yaml"))
    assert run.code == 0, run.err
    assert entry(run, "Kira, and a file that is not the organisation") == [
        "+ kira joins the organisation"]  # a name or an id is never capitalised
