"""`kkctl diff` does the base revision in a forked child and compares only the entities of the
files that differ: the review it prints is the one a single process comparing everything
prints, whatever the change; a child that fails is done again here; no child is left behind.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

Scenario = Callable[[Path], None]


def _realistic(new: Path) -> None:
    """A person joins a team, a promise loses its only authority, a period's figures change."""
    people = new / "org/people.yaml"
    people.write_text(people.read_text().rstrip("\n") + "\n  - id: kira\n    name: Кира\n")
    team = new / "org/teams/logistika.yaml"
    team.write_text(team.read_text().replace(
        "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n",
        "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n"
        "      - {person: kira, from: 2026-08-01}\n"))
    shops = new / "org/teams/magaziny.yaml"
    shops.write_text(shops.read_text().replace("    authorities: [a-spisanie]\n",
                                               "    authorities: []\n", 1))
    finance = new / "finance/2026.yaml"
    finance.write_text(finance.read_text().replace("15730000.00", "15690000.00", 1))


def _duplicate_first(new: Path) -> None:
    """A new file, read before logistika.yaml, defines the team logistika again: its
    definition is the one kept, so an unchanged file's team changes."""
    (new / "org/teams/aa-copy.yaml").write_text(
        "teams:\n  - id: logistika\n    name: Копия\n    type: supporting\n"
        "    leader: romanov\n    members: [romanov, kira-nobody]\n")


def _duplicate_last(new: Path) -> None:
    (new / "org/teams/zz-copy.yaml").write_text(
        "teams:\n  - id: logistika\n    name: Копия\n    type: supporting\n"
        "    leader: romanov\n")


def _moved(new: Path) -> None:
    """A file renamed: every entity in it is the same entity, nothing changed."""
    (new / "org/teams/it.yaml").rename(new / "org/teams/it-and-data.yaml")


def _settings_and_stage(new: Path) -> None:
    """Both revisions lack a team's success indicator (a rule of step 7); the head applies
    the rules up to step 5 only. The base is linted at the head's stage, so the finding is
    not "resolved" (the child learns the stage once the head is built)."""
    project = new / "kkctl.yaml"
    text = project.read_text().replace("name: «Полезная еда»", "name: «Полезная еда 2»", 1)
    project.write_text(text.replace("lint: {profile: recommended}",
                                    "lint: {profile: recommended, stage: 5}", 1))


def _person_removed(new: Path) -> None:
    people = new / "org/people.yaml"
    people.write_text(people.read_text().replace("  - {id: novikova, name: Анна Новикова}\n",
                                                 "", 1))


def _file_removed(new: Path) -> None:
    (new / "org/hypotheses.yaml").unlink()


def _schema_errors(new: Path) -> None:
    """A file both revisions share has a key the schema refuses (an error: no bonus on
    either side); the change adds another in a changed file."""
    _realistic(new)
    team = new / "org/teams/logistika.yaml"
    team.write_text(team.read_text().replace("    type: supporting\n",
                                             "    type: supporting\n    colour: red\n", 1))


SCENARIOS: dict[str, Scenario] = {
    "realistic": _realistic, "duplicate-first": _duplicate_first,
    "duplicate-last": _duplicate_last, "moved": _moved,
    "settings-and-stage": _settings_and_stage, "person-removed": _person_removed,
    "file-removed": _file_removed, "schema-errors": _schema_errors}
# Edits to both revisions, before the change.
BOTH: dict[str, Scenario] = {"schema-errors": lambda old: _add_key(old / "org/teams/it.yaml")}


def _add_key(path: Path) -> None:
    text = path.read_text()
    at = text.index("    name: ")
    path.write_text(text[:at] + "    mood: calm\n" + text[at:])


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The children forked (their pids); none of them may be left to reap at the end."""
    if threading.active_count() > 1:
        pytest.skip("kkctl forks only where it can do so safely")
    pids: list[int] = []
    real_fork = os.fork

    def recorded() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    yield pids
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped already: nothing of ours left
            os.waitpid(pid, os.WNOHANG)


def _pair(tmp_path: Path, scenario: Scenario, both: Scenario | None = None
          ) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(EXAMPLES / "poleznaya-eda", old)
    team = old / "org/teams/logistika.yaml"  # a finding of step 7 on both sides
    team.write_text(team.read_text().replace("    success_indicator: m-reysy-v-holode\n", ""))
    if both is not None:
        both(old)
    shutil.copytree(old, new)
    scenario(new)
    return old, new


def _rendered(result: object) -> tuple[str, str, str]:
    from kkctl.diff import render

    assert isinstance(result, render.DiffResult)
    return (render.text(result, "en"), render.markdown(result, "en"),
            render.as_json(result, "en"))


def _review(old: Path, new: Path) -> tuple[str, str, str]:
    """``kkctl diff --paths OLD NEW`` as the command computes it."""
    from kkctl import diff
    from kkctl.loader import Options

    try:
        return _rendered(diff.run([], None, Options(use_cache=False), False,
                                  (str(old), str(new))))
    finally:
        gc.enable()  # diff pauses the collector for the rest of its process


def _plain_review(old: Path, new: Path) -> tuple[str, str, str]:
    """The same review computed the plain way: both revisions loaded whole in this process,
    every entity compared, the whole lint and bonus of each side."""
    from kkctl.bonus.app import money_for
    from kkctl.diff import consequences
    from kkctl.diff.compare import compare
    from kkctl.diff.render import DiffResult
    from kkctl.loader import Loaded, Options, load_project
    from kkctl.project import locate

    def loaded(path: Path) -> Loaded:
        project = locate(str(path))
        project.display_root = project.root
        return load_project(project, Options(use_cache=False))

    before, after = loaded(old), loaded(new)
    try:
        bonus, currency = consequences.bonus_delta(before, after)
        withheld = tuple(side for side, one in (("base", before), ("head", after))
                         if money_for(one).run is None)  # errors: no figures to compare
        return _rendered(DiffResult(
            str(old), str(new), compare(before.org, after.org),
            consequences.lint_delta(before, after), bonus, currency,
            locale=after.org.settings.locale, withheld=withheld))
    finally:
        gc.enable()


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_child_and_the_comparison_of_changed_files_give_the_plain_review(
        name: str, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    from kkctl import diff

    old, new = _pair(tmp_path, SCENARIOS[name], BOTH.get(name))
    plain = _plain_review(old, new)
    monkeypatch.setattr(diff, "BACKGROUND_BYTES", 10**12)
    alone = _review(old, new)
    assert forks == []
    monkeypatch.setattr(diff, "BACKGROUND_BYTES", 0)
    forked = _review(old, new)
    assert len(forks) == 1
    assert forked == alone == plain
    text = forked[0].replace("\u00a0", " ")
    assert all(snippet in text for snippet in EXPECTED[name]), text
    assert not any(snippet in text for snippet in UNSAID.get(name, [])), text


# What each review says (so that three equal reviews are also right ones).
EXPECTED: dict[str, list[str]] = {
    "realistic": ["1 person added, 1 team changed, 1 promise changed, 1 period changed",
                  "Lint — introduced: 1 error, 1 warning; resolved: 0",
                  "period 2026-q3, scheme rs-sovet: pool RUB 2,510,000.00 → RUB 2,502,000.00"],
    # an unchanged file's team, now defined by the new file read before it
    "duplicate-first": ["1 team changed", "~ team logistika", "KK104"],
    "duplicate-last": ["No changes to the organisation", "KK104"],
    "moved": ["No changes to the organisation"],
    "settings-and-stage": ["~ organisation poleznaya-eda", "lint.stage: + 5"],
    "person-removed": ["1 person removed", "KK102"],
    "file-removed": ["hypotheses removed"],
    # the shared file's error is on both sides (neither introduced nor resolved)
    "schema-errors": ["Lint — introduced: 2 errors, 1 warning; resolved: 0", "colour",
                      "Bonus: not compared: both revisions have errors"],
}
UNSAID: dict[str, list[str]] = {"moved": ["Lint"], "settings-and-stage": ["KK220", "Lint"],
                                "schema-errors": ["mood", "pool"]}


def test_a_child_that_fails_or_vanishes_is_done_again_here(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    from kkctl import diff

    old, new = _pair(tmp_path, _realistic)
    expected = _plain_review(old, new)
    monkeypatch.setattr(diff, "BACKGROUND_BYTES", 0)
    parent, real_base_side = os.getpid(), diff.base_side

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("lost in the child")
        return real_base_side(*args, **kwargs)

    monkeypatch.setattr(diff, "base_side", failing)
    assert _review(old, new) == expected
    assert len(forks) == 1

    def vanishing(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(0)  # "success", and nothing sent
        return real_base_side(*args, **kwargs)

    monkeypatch.setattr(diff, "base_side", vanishing)
    assert _review(old, new) == expected
    assert len(forks) == 2


def test_a_diff_that_fails_here_leaves_no_child_behind(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The head side fails while the child builds the base: the error reaches the caller,
    and the child (still waiting for the head's stage) is stopped and reaped."""
    from kkctl import diff
    from kkctl.diff import consequences

    old, new = _pair(tmp_path, _realistic)
    monkeypatch.setattr(diff, "BACKGROUND_BYTES", 0)
    parent = os.getpid()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            raise RuntimeError("the head's lint failed")
        return real_findings(*args, **kwargs)

    real_findings = consequences.findings
    monkeypatch.setattr(consequences, "findings", broken)
    with pytest.raises(RuntimeError, match="the head's lint failed"):
        _review(old, new)
    assert len(forks) == 1  # and the fixture checks it was reaped


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                                           "GIT_COMMITTER_NAME": "t",
                                           "GIT_COMMITTER_EMAIL": "t@x",
                                           "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                           "HOME": str(repo)}).stdout


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
@pytest.mark.parametrize("head", ["working tree", "commit"])
def test_a_revision_against_the_working_tree_or_a_commit_in_two_processes(
        object_format: str, head: str, tmp_path: Path, forks: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The base takes the head's bytes of every file that is the same blob (git's object
    id, SHA-1 or SHA-256), and the others from git: the review is the plain one."""
    from kkctl import diff
    from kkctl.loader import Options

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "poleznaya-eda", repo / "org-data")
    try:
        _git(tmp_path, "init", "-q", f"--object-format={object_format}", str(repo))
    except subprocess.CalledProcessError:
        pytest.skip(f"this git cannot make a {object_format} repository")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    old = tmp_path / "old"
    shutil.copytree(repo / "org-data", old)
    _realistic(repo / "org-data")
    revisions = ["HEAD"]
    if head == "commit":
        _git(repo, "commit", "-qam", "change")
        (repo / "org-data" / "org/people.yaml").write_text("people: []\n")  # not compared
        revisions = ["HEAD~1", "HEAD"]
    monkeypatch.setattr(diff, "BACKGROUND_BYTES", 0)
    try:
        result = diff.run(revisions, str(repo / "org-data"), Options(use_cache=False), False)
    finally:
        gc.enable()
    assert len(forks) == 1
    text = _rendered(result)[0]
    assert text.splitlines()[0].endswith(": 1 person added, 1 team changed, "
                                         "1 promise changed, 1 period changed")
    if head == "commit":
        (repo / "org-data" / "org/people.yaml").unlink()
        _git(repo, "checkout", "-q", "--", ".")
    plain = _plain_review(old, repo / "org-data")[0]
    assert text.splitlines()[1:] == plain.splitlines()[1:]


def test_kkctl_diff_of_a_thousand_teams_with_one_changed(kkctl, tmp_path: Path) -> None:
    """The real command on an organisation large enough to fork: the one change, nothing
    else, and nothing on stderr."""
    repo = tmp_path / "org"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "M", str(repo)],
                   check=True, stdout=subprocess.DEVNULL)
    _git(tmp_path, "init", "-q", str(repo))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    team = repo / "org" / "teams" / "team-00005.yaml"
    team.write_text(team.read_text().replace("weight: 2,", "weight: 3,", 1))
    run = kkctl("diff", str(repo), "--no-cache", "--lang", "en")
    assert run.code == 0 and run.err == ""
    assert run.lines[0] == "HEAD → working tree: 1 team changed"
    assert len([line for line in run.lines if line.startswith("~ ")]) == 1
    assert "weight: 2 → 3" in run.out
