"""At any size the main page stays short and the detail pages (``--pages DIR``) hold every
row: every team, authority and promise is on a page, and ``--check`` covers the pages too."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

MAIN_PAGE_LIMIT = 100 * 1024  # bytes: what a council member can read before a meeting


def _generate(size: str, folder: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), size, str(folder)],
                   check=True, stdout=subprocess.DEVNULL)
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate("L", tmp_path_factory.mktemp("big") / "org")


def _ids(folder: Path, key: str) -> set[str]:
    """Every ``- id: ...`` under ``key:`` in the generated files (names are ``Команда N``)."""
    found = set()
    for path in folder.rglob("*.yaml"):
        found.update(re.findall(rf"^\s*{key}: (.+)$", path.read_text(encoding="utf-8"),
                                re.MULTILINE))
    return found


def test_ten_thousand_teams_give_a_short_main_page_and_complete_detail_pages(
        kkctl, big: Path, tmp_path: Path) -> None:
    out, pages = tmp_path / "REPORT.md", tmp_path / "pages"
    run = kkctl("report", str(big), "--out", str(out), "--pages", str(pages), "--no-cache")
    assert run.code == 0, run.err
    main = out.read_text(encoding="utf-8")
    assert len(main.encode()) <= MAIN_PAGE_LIMIT
    main = main.replace("\u00a0", " ")  # Babel groups digits with a no-break space
    assert sum(1 for line in main.splitlines() if line.startswith("| ")) <= 400
    # the cut tables say how much is left out, and link the page that has it
    assert re.search(r"… и ещё 9 970 строк: все строки — на \[страницах подробностей\]"
                     r"\(pages/index\.md\)", main), main[-3000:]
    assert "](pages/metrics.md)" in main
    texts = {p.name: p.read_text(encoding="utf-8") for p in pages.glob("*.md")}
    assert "index.md" in texts and len(texts) > 900  # one page per unit
    every_page = "\n".join(texts.values())
    names = {f"Команда {n}" for n in range(10_000)}
    shown = set(re.findall(r"\| \[?(Команда \d+)\]?", every_page))
    assert names <= shown  # every team is in a table of some page
    # each unit page links back to the report and to the index
    unit = next(text for name, text in texts.items() if name.startswith("unit-"))
    assert "[← к отчёту](../REPORT.md)" in unit and "(index.md)" in unit
    assert max(len(t.encode()) for t in texts.values()) < 1024 * 1024  # no page is a dump


def test_pages_are_checked_and_pages_of_removed_units_removed(kkctl, tmp_path: Path) -> None:
    root = _generate("XS", tmp_path / "org")
    out, pages = tmp_path / "REPORT.md", tmp_path / "pages"
    args = ["report", str(root), "--out", str(out), "--pages", str(pages)]
    assert kkctl(*args).code == 0
    assert kkctl(*args, "--check").code == 0
    mine = pages / "notes.md"
    mine.write_text("my own notes\n", encoding="utf-8")
    unit = sorted(pages.glob("unit-*.md"))[0]
    unit.write_text(unit.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    stale = kkctl(*args, "--check")
    assert stale.code == 1 and str(unit) in stale.err
    # a unit that is gone: its page is obsolete; a file kkctl did not write is never touched
    parent_free = root / "org" / "teams"
    for path in parent_free.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\n\s*parent: \S+", "", text), encoding="utf-8")
    gone = kkctl(*args, "--check")
    assert gone.code == 1 and "которого больше нет" in gone.err
    assert kkctl(*args).code == 0
    assert not list(pages.glob("unit-*.md")) and mine.exists()
    assert kkctl(*args, "--check").code == 0


def test_a_planted_link_in_the_pages_folder_is_refused(kkctl, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generate("XS", tmp_path / "org")
    secret = tmp_path / "outside.txt"
    secret.write_text("secret\n", encoding="utf-8")
    work = tmp_path / "work"
    (work / "pages").mkdir(parents=True)
    (work / "pages" / "index.md").symlink_to(secret)
    monkeypatch.chdir(work)
    run = kkctl("report", str(root), "--out", "REPORT.md", "--pages", "pages")
    assert run.code == 2 and "Traceback" not in run.err
    assert secret.read_text(encoding="utf-8") == "secret\n"


@pytest.fixture(scope="module")
def defects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("defects") / "org"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "S", str(folder),
                    "--defects"], check=True, stdout=subprocess.DEVNULL)
    return folder


def _report_text(folder: Path) -> str:
    from kkctl.loader import Options
    from kkctl.report.app import ReportRequest, report

    return report(str(folder), ReportRequest(lang="en", options=Options(use_cache=False))).text


def test_linting_in_a_child_process_gives_the_same_report(
        defects: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading

    from kkctl.report import app

    if not hasattr(os, "fork") or threading.active_count() > 1:
        pytest.skip("the report lints in a child process only where it can fork safely")
    alone = _report_text(defects)
    assert "## Open findings" in alone and "- **error** `KK" in alone  # findings to carry
    forks: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(app, "BACKGROUND_LINT", 0)
    assert _report_text(defects) == alone
    assert forks == [1]
    # a child that fails (here: linting raises in the child only) is done again in the parent
    parent, real_findings = os.getpid(), app.findings_for

    def failing_in_child(loaded):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("lost in the child")
        return real_findings(loaded)

    monkeypatch.setattr(app, "findings_for", failing_in_child)
    assert _report_text(defects) == alone
    assert len(forks) == 2


def test_a_report_that_stops_early_leaves_no_child_behind(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown period ends the report before the findings are needed: the linting child
    is stopped and reaped, not left running or as a zombie."""
    import os
    import threading

    from kkctl.loader import Options
    from kkctl.report import app

    if not hasattr(os, "fork") or threading.active_count() > 1:
        pytest.skip("the report lints in a child process only where it can fork safely")
    children: list[int] = []
    real_fork = os.fork

    def recorded() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    monkeypatch.setattr(app, "BACKGROUND_LINT", 0)
    outcome = app.report(str(REPO / "examples" / "poleznaya-eda"), app.ReportRequest(
        period="no-such-period", lang="en", options=Options(use_cache=False)))
    assert outcome.status == 1 and outcome.notice is not None
    assert outcome.notice[0] == "bonus.unknown_period"
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # reaped already: nothing of ours left to wait for
        os.waitpid(children[0], os.WNOHANG)
