"""Whole-command result caches (lint, bonus, report): an unchanged re-run gives the same
answer without loading the organisation, and any change to what the answer depends on (a
file, an option, the baseline, the report file, the language) gives a fresh one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES

# Modules only a computed answer imports: a replay from the cache builds no model.
LOADING = ("kkctl.build", "kkctl.references")  # imported when the model is built


@pytest.fixture
def org(tmp_path: Path) -> Path:
    target = tmp_path / "org"
    shutil.copytree(EXAMPLES / "acme-consulting", target)
    return target


def _loaded(kkctl, *args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> tuple[object, set[str]]:
    """Run kkctl under ``-X importtime``: the run, and which LOADING modules it imported."""
    run = kkctl(*args, cwd=cwd, env={"PYTHONPROFILEIMPORTTIME": "1", **(env or {})})
    imported = {name for name in LOADING if f" {name}\n" in run.err}
    return run, imported


def _without_import_times(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith("import time:"))


@pytest.mark.parametrize("args", [
    ("lint",), ("lint", "-f", "json"), ("lint", "--stage", "9", "-f", "sarif"),
    ("lint", "--stage", "9", "--profile", "strict"),
    ("bonus",), ("bonus", "-f", "json"), ("bonus", "-f", "csv", "--all"),
    ("report",), ("report", "--lang", "ru"),
])
def test_a_rerun_gives_the_same_answer_without_loading(kkctl, org: Path, args) -> None:
    first, loaded_first = _loaded(kkctl, *args, str(org))
    again, loaded_again = _loaded(kkctl, *args, str(org))
    uncached = kkctl(*args, str(org), "--no-cache")
    assert loaded_first and not loaded_again
    assert first.out == again.out == uncached.out and first.out
    assert first.code == again.code == uncached.code
    assert _without_import_times(again.err) == uncached.err


def test_lint_answer_follows_an_edit_and_the_baseline(kkctl, org: Path) -> None:
    every = ("--stage", "9", "--profile", "strict")  # acme has findings at this strictness
    before = kkctl("lint", str(org), *every, "-f", "json")
    assert '"KK248"' in before.out
    team = org / "org" / "teams.yaml"
    text = team.read_text(encoding="utf-8")
    team.write_text(text.replace("leader: okafor", "leader: nobody-such", 1), encoding="utf-8")
    broken = kkctl("lint", str(org), *every, "-f", "json")
    assert broken.code == 1 and '"KK102"' in broken.out
    team.write_text(text, encoding="utf-8")
    assert kkctl("lint", str(org), *every, "-f", "json").out == before.out

    assert kkctl("lint", str(org), *every, "--write-baseline").code == 0
    accepted = kkctl("lint", str(org), *every, "-f", "json")
    assert '"KK248"' not in accepted.out
    assert accepted.out == kkctl("lint", str(org), *every, "-f", "json", "--no-cache").out
    (org / ".kkctl-baseline.json").unlink()
    assert kkctl("lint", str(org), *every, "-f", "json").out == before.out


def test_every_option_and_the_language_are_part_of_the_key(kkctl, org: Path) -> None:
    settings = org / "kkctl.yaml"  # no locale of its own: the environment picks the language
    settings.write_text(settings.read_text(encoding="utf-8").replace("  locale: en\n", ""),
                        encoding="utf-8")
    english = kkctl("bonus", str(org))
    russian = kkctl("bonus", str(org), env={"KKCTL_LANG": "ru"})
    assert english.out != russian.out
    assert kkctl("bonus", str(org), env={"KKCTL_LANG": "ru"}, ).out == russian.out
    assert kkctl("bonus", str(org), "-f", "csv").out != english.out
    strict = kkctl("lint", str(org), "--strict")
    lenient = kkctl("lint", str(org))
    assert (strict.code, lenient.code) == (kkctl("lint", str(org), "--strict",
                                                 "--no-cache").code,
                                           kkctl("lint", str(org), "--no-cache").code)


def test_a_replayed_bonus_file_is_written_again(kkctl, org: Path, tmp_path: Path) -> None:
    book = tmp_path / "out" / "bonus.xlsx"
    book.parent.mkdir()
    assert kkctl("bonus", str(org), "-f", "xlsx", "--out", str(book)).code == 0
    first = book.read_bytes()
    book.unlink()
    run, loaded = _loaded(kkctl, "bonus", str(org), "-f", "xlsx", "--out", str(book))
    assert run.code == 0 and not loaded
    assert book.read_bytes() == first


def test_a_replay_never_writes_onto_an_input(kkctl, org: Path) -> None:
    """A statement cached for ``--out x.csv`` is not replayed once x.csv has become a link
    to one of the organisation's files: the replay checks the target again."""
    target = org / "pay.csv"
    assert kkctl("bonus", str(org), "-f", "csv", "--out", str(target)).code == 0
    target.unlink()
    os.link(org / "kkctl.yaml", target)
    before = (org / "kkctl.yaml").read_bytes()
    run = kkctl("bonus", str(org), "-f", "csv", "--out", str(target))
    assert run.code == 2 and "kkctl.yaml" not in run.out
    assert (org / "kkctl.yaml").read_bytes() == before


def test_report_keeps_custom_blocks_written_since_the_last_run(kkctl, org: Path) -> None:
    out = org.parent / "REPORT.md"
    assert kkctl("report", str(org), "--out", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    start = text.index("<!-- kkctl:custom")
    end = text.index("-->", start) + 3
    edited = text[:end] + "\nOur own words.\n" + text[end:]
    out.write_text(edited, encoding="utf-8")
    assert kkctl("report", str(org), "--out", str(out), "--check").code == 0
    assert kkctl("report", str(org), "--out", str(out)).code == 0
    assert "Our own words." in out.read_text(encoding="utf-8")

    out.write_text(edited.replace("Our own words.\n", "") + "stray line\n", encoding="utf-8")
    stale = kkctl("report", str(org), "--out", str(out), "--check")
    assert stale.code == 1 and "stray line" in stale.out


def test_corrupt_result_entries_are_recomputed(kkctl, org: Path, cache_dir: Path) -> None:
    first = kkctl("report", str(org))
    for entry in (cache_dir / "parse").glob("r*/*"):  # results: keys start with "r"
        entry.write_bytes(entry.read_bytes()[:40])
    again, loaded = _loaded(kkctl, "report", str(org))
    assert loaded and again.out == first.out


def test_no_cache_computes_every_time(kkctl, org: Path) -> None:
    kkctl("lint", str(org))
    _, loaded = _loaded(kkctl, "lint", str(org), "--no-cache")
    assert loaded


def test_report_follows_the_lint_baseline(kkctl, org: Path) -> None:
    """The report lists the findings the baseline does not accept: a new baseline is a new
    answer, not a replay of the old one."""
    settings = org / "kkctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") +
                        "lint: {profile: strict, stage: 9}\n", encoding="utf-8")
    before = kkctl("report", str(org))
    assert "KK248" in before.out
    assert kkctl("lint", str(org), "--write-baseline").code == 0
    after = kkctl("report", str(org))
    assert "KK248" not in after.out
    assert after.out == kkctl("report", str(org), "--no-cache").out


def test_a_replay_checks_its_paths_again(kkctl, org: Path, tmp_path: Path) -> None:
    """An assets folder that has become a file since the answer was cached gets the same
    clear refusal as a fresh run, not a crash."""
    assets = tmp_path / "charts"
    out = tmp_path / "REPORT.md"
    assert kkctl("report", str(org), "--out", str(out), "--assets", str(assets)).code == 0
    shutil.rmtree(assets)
    assets.write_text("not a folder\n")
    replay = kkctl("report", str(org), "--out", str(out), "--assets", str(assets))
    fresh = kkctl("report", str(org), "--out", str(out), "--assets", str(assets),
                  "--no-cache")
    assert replay.code == fresh.code == 2
    assert replay.err == fresh.err and "--assets" in replay.err
    assert "Traceback" not in replay.err + replay.out
