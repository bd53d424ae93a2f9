"""`kkctl diff` on real git repositories with real commits."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The Russian example in a git repository, below a subfolder, one commit."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "poleznaya-eda", root / "org-data")
    (root / "README.md").write_text("not YAML\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def realistic_change(repo: Path) -> None:
    """A person joins a team, a promise loses its only authority, a period's figures change."""
    project = repo / "org-data"
    people = project / "org/people.yaml"
    people.write_text(people.read_text().rstrip("\n") + "\n  - id: kira\n    name: Кира\n")
    team = project / "org/teams/logistika.yaml"
    team.write_text(team.read_text().replace(
        "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n",
        "      - {person: makarova, role: диспетчер, from: 2026-02-01}\n"
        "      - {person: kira, from: 2026-08-01}\n"))
    shops = project / "org/teams/magaziny.yaml"
    shops.write_text(shops.read_text().replace("    authorities: [a-spisanie]\n",
                                               "    authorities: []\n", 1))
    finance = project / "finance/2026.yaml"
    finance.write_text(finance.read_text().replace("15730000.00", "15690000.00", 1))


def test_working_tree_against_head(kkctl, repo: Path) -> None:
    realistic_change(repo)
    run = kkctl("diff", "--lang", "en", cwd=repo / "org-data")
    assert run.code == 0, run.err
    assert run.lines[0] == ("HEAD → working tree: 1 person added, 1 team changed, "
                            "1 promise changed, 1 period changed")
    assert "    members: + kira (from: August 1, 2026)" in run.lines
    assert "    authorities: − a-spisanie" in run.lines
    assert "    net_profit: RUB\u00a015,730,000.00 → RUB\u00a015,690,000.00" in run.lines
    assert "Lint — introduced: 1 error, 1 warning; resolved: 0" in run.lines
    assert any("KK204" in line and "p-svezhest-na-polke" in line for line in run.lines)
    assert ("  period 2026-q3, scheme rs-sovet: pool RUB 2,510,000.00 → RUB 2,502,000.00 "
            "(−RUB 8,000.00)") in [line.replace("\u00a0", " ") for line in run.lines]
    assert "kira" not in run.out.split("Bonus:")[1]  # payouts are private by default


def test_json_between_two_commits(kkctl, repo: Path) -> None:
    realistic_change(repo)
    git(repo, "commit", "-qam", "change")
    run = kkctl("diff", "HEAD~1", "HEAD", str(repo / "org-data"), "-f", "json",
                "--include-payouts")
    payload = json.loads(run.out)
    assert payload["summary"] == {
        "added": 1, "removed": 0, "changed": 3,
        "by_kind": {"person": {"added": 1}, "team": {"changed": 1},
                    "promise": {"changed": 1}, "period": {"changed": 1}}}
    team = next(c for c in payload["changes"] if c["id"] == "logistika")
    assert team["fields"] == [{"path": "members", "op": "added", "old": None,
                               "new": {"person": "kira", "from": "2026-08-01"}}]
    assert [d["code"] for d in payload["lint"]["introduced"]] == ["KK204", "KK243"]
    sovet = next(b for b in payload["bonus"] if b["scheme"] == "rs-sovet")
    assert sovet["pool"] == {"old": "2510000.00", "new": "2502000.00"}
    logistics = next(b for b in payload["bonus"] if b["scheme"] == "rs-logistika"
                     and b["period"] == "2026-q3")
    assert {p["person"]: p["new"] for p in logistics["people"]}["kira"] == "8507.42"


def test_markdown_for_a_pull_request(kkctl, repo: Path) -> None:
    realistic_change(repo)
    run = kkctl("diff", "-f", "markdown", "--lang", "en", str(repo / "org-data"))
    assert run.lines[:2] == ["<!-- kkctl-diff -->",
                             "### Organisation change: `HEAD` → `working tree`"]
    assert ("**1 person added, 1 team changed, 1 promise changed, 1 period changed**"
            in run.lines)
    assert "#### Lint — introduced: 🔴 1 error, 🟡 1 warning; resolved: 0" in run.lines
    assert "| `2026-q3` | `rs-sovet` | 2,510,000.00 → 2,502,000.00 (−8,000.00) |" in run.out


def test_moving_an_entity_between_files_is_no_change(kkctl, repo: Path) -> None:
    project = repo / "org-data"
    people = project / "org/people.yaml"
    lines = people.read_text().splitlines(keepends=True)
    moved = next(line for line in lines if "{id: sokolov," in line)
    people.write_text("".join(line for line in lines if line is not moved))
    (project / "org/moved.yaml").write_text("people:\n" + moved)
    run = kkctl("diff", "--exit-code", "--lang", "en", str(project))
    assert (run.code, run.lines) == (0, ["HEAD → working tree: No changes to the organisation."])


def test_order_only_changes_are_ignored_where_order_means_nothing(kkctl, repo: Path) -> None:
    project = repo / "org-data"
    team = project / "org/teams/logistika.yaml"
    text = team.read_text()
    team.write_text(text.replace(
        "      - romanov\n      - {person: alekseev, role: водитель-экспедитор, to: 2026-10-15}\n",
        "      - {person: alekseev, role: водитель-экспедитор, to: 2026-10-15}\n      - romanov\n"))
    assert team.read_text() != text
    assert kkctl("diff", "--exit-code", str(project)).code == 0


def test_exit_code_and_removed_entities(kkctl, repo: Path) -> None:
    project = repo / "org-data"
    hypotheses = project / "org/hypotheses.yaml"
    hypotheses.unlink()
    run = kkctl("diff", "--exit-code", "--lang", "en", str(project))
    assert run.code == 1
    assert run.lines[0] == "HEAD → working tree: 8 hypotheses removed"


def test_unknown_revision_exits_2(kkctl, repo: Path) -> None:
    run = kkctl("diff", "no-such-branch", str(repo / "org-data"))
    assert run.code == 2
    assert "ревизии 'no-such-branch' нет" in run.err and "Traceback" not in run.err


def test_not_a_git_repository_exits_2(kkctl, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "acme-consulting", tmp_path / "acme")
    run = kkctl("diff", str(tmp_path / "acme"))
    assert run.code == 2
    assert "is not inside a git repository" in run.err and "--paths" in run.err


def test_shallow_clone_missing_base_says_how_to_fetch(kkctl, repo: Path, tmp_path: Path) -> None:
    realistic_change(repo)
    git(repo, "commit", "-qam", "change")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    run = kkctl("diff", "HEAD~1", str(clone / "org-data"))
    assert run.code == 2
    assert "неполном клоне" in run.err and "git fetch" in run.err


def test_paths_compares_two_folders(kkctl, tmp_path: Path) -> None:
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(EXAMPLES / "acme-consulting", old)
    shutil.copytree(EXAMPLES / "acme-consulting", new)
    people = new / "org/people.yaml"
    people.write_text(people.read_text().replace("Maria Keller", "Maria Keller-Ortiz"))
    run = kkctl("diff", "--paths", str(old), str(new), "--exit-code", "--lang", "en")
    assert run.code == 1
    assert "    name: Maria Keller → Maria Keller-Ortiz" in run.lines


def test_canvas_factor_order_is_a_change(kkctl, repo: Path) -> None:
    project = repo / "org-data" / "kkctl.yaml"
    lines = project.read_text().splitlines(keepends=True)
    factors = [i for i, line in enumerate(lines) if line.lstrip().startswith("- {value:")]
    lines[factors[0]], lines[factors[1]] = lines[factors[1]], lines[factors[0]]
    project.write_text("".join(lines))
    run = kkctl("diff", "-f", "json", str(repo / "org-data"))
    (change,) = json.loads(run.out)["changes"]
    assert change["kind"] == "canvas" and change["fields"][0]["op"] == "reordered"


def test_a_new_scheme_shows_its_money(kkctl, repo: Path) -> None:
    project = repo / "org-data"
    finance = project / "finance" / "2026.yaml"
    team = project / "org" / "teams" / "finansy.yaml"
    team.write_text(team.read_text() + "reward_schemes:\n  - {id: rs-finansy, unit: finansy}\n")
    assert finance.exists()
    run = kkctl("diff", "-f", "json", str(project))
    bonus = json.loads(run.out)["bonus"]
    new = [b for b in bonus if b["scheme"] == "rs-finansy"]
    assert new and all(b["pool"]["old"] == "0.00" for b in new)
    assert any(b["pool"]["new"] != "0.00" for b in new)


def test_an_unchanged_broken_file_is_no_change(kkctl, repo: Path) -> None:
    project = repo / "org-data"
    (project / "org" / "list.yaml").write_text("- a\n- b\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "broken file")
    run = kkctl("diff", "-f", "json", str(project))
    assert json.loads(run.out)["lint"] == {"introduced": [], "resolved": []}


def test_a_change_of_type_is_a_change(tmp_path: Path) -> None:
    from kkctl.diff.compare import diff_values

    assert diff_values({"x": 1}, {"x": True}, ()) != []
    assert diff_values({"x": [1, 2]}, {"x": [1.0, 2]}, ()) != []
    assert diff_values({"x": {"a": "b"}}, {"x": {"a": "b"}}, ()) == []
