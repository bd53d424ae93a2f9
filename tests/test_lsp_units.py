"""The language server's parts without a client: the model built file by file equals the
loader's, an edit re-reads one file, the edited file's quick answer agrees with the full one,
and completion knows which kinds a field takes."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLES
from kkctl import loader
from kkctl.lint.app import findings_for
from kkctl.loader import Options, finish, prepare
from kkctl.lsp.build_cache import BuildCache
from kkctl.lsp.features import field_kinds
from kkctl.lsp.server import KkctlServer
from kkctl.lsp.workspace import Workspace
from kkctl.project import Project

DUPLICATE = """\
people:
  - {id: okafor, name: Another Okafor}
teams:
  - id: tiny
    name: Tiny
    type: supporting
    leader: nobody
    parent: delivery
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme-consulting", root)
    return root


def _same(root: Path) -> None:
    project = Project(root, root / "kkctl.yaml", display_root=root)
    expected = finish(prepare(project, Options(use_cache=False)))
    project = Project(root, root / "kkctl.yaml", display_root=root)
    cache = BuildCache()
    cache.finish(prepare(project, Options(use_cache=False)))  # a first time, then reused
    project = Project(root, root / "kkctl.yaml", display_root=root)
    got = cache.finish(prepare(project, Options(use_cache=False)))
    assert [(d.code, d.file, d.line, d.column, d.message()) for d in got.diagnostics] == \
        [(d.code, d.file, d.line, d.column, d.message()) for d in expected.diagnostics]
    assert [e.id for e in got.org.entities()] == [e.id for e in expected.org.entities()]
    assert [(r.id, r.field, r.target is not None) for r in got.org.refs] == \
        [(r.id, r.field, r.target is not None) for r in expected.org.refs]
    assert [d.message() for d in findings_for(got)] == \
        [d.message() for d in findings_for(expected)]


@pytest.mark.parametrize("example", ["acme-consulting", "poleznaya-eda"])
def test_the_model_built_file_by_file_is_the_loaders(example: str) -> None:
    _same(EXAMPLES / example)


def test_duplicates_across_files_and_broken_references_too(org: Path) -> None:
    (org / "org" / "extra.yaml").write_text(DUPLICATE, encoding="utf-8")
    _same(org)


def test_an_edit_parses_only_the_edited_buffer(org: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = loader.read_yaml

    def counting(data: bytes, path: str):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return real(data, path)

    monkeypatch.setattr(loader, "read_yaml", counting)
    ws = Workspace(org)
    ws.analyse()
    assert len(parsed) == 6
    parsed.clear()
    text = (org / "org/teams.yaml").read_text(encoding="utf-8")
    ws.set_buffer("org/teams.yaml", text.replace("leader: silva", "leader: ghost"))
    analysis = ws.analyse()
    assert parsed == ["org/teams.yaml"]
    assert [d.code for d in analysis.diagnostics["org/teams.yaml"]] == ["KK102"]
    ws.set_buffer("org/teams.yaml", None)  # closed unsaved: the file on disk again
    assert ws.analyse().diagnostics == {}


def test_the_quick_answer_is_the_full_ones_validation(org: Path) -> None:
    ws = Workspace(org)
    ws.analyse()
    text = (org / "org/teams.yaml").read_text(encoding="utf-8")
    ws.set_buffer("org/teams.yaml", text.replace("leader: silva", "leader: silvaa").replace(
        "type: supporting", "type: helping", 1))
    quick = ws.quick("org/teams.yaml")
    assert quick is not None
    full = ws.analyse().diagnostics["org/teams.yaml"]
    assert [(d.code, d.line, d.message()) for d in quick] == \
        [(d.code, d.line, d.message()) for d in full if d.code.startswith("KK1")]
    assert {d.code for d in quick} == {"KK100", "KK102"}
    assert "did you mean 'silva'" in next(d for d in quick if d.code == "KK102").message()


@pytest.mark.parametrize(("text", "line", "column", "kinds"), [
    ("teams:\n  - id: a\n    leader: ", 3, 13, ("person",)),
    ("teams:\n  - id: a\n    leader: ok", 3, 15, ("person",)),
    ("teams:\n  - id: a\n    lea", 3, 8, None),
    ("teams:\n  - id: a\n    members:\n      - ", 4, 9, ("person",)),
    ("teams:\n  - id: a\n    members:\n      - {person: ok", 4, 19, ("person",)),
    ("promises:\n  - id: p\n    supports: [a, ", 3, 19, ("promise",)),
    ("promises:\n  - id: p\n    giver: ", 3, 12, ("team", "council", "person", "partner")),
    ("hypotheses:\n  - id: h\n    parent: ", 3, 13, ("hypothesis",)),
    ("teams:\n  - id: a\n    parent: ", 3, 13, ("team",)),
    ("teams:\n  - id: a\n    name: ", 3, 11, None),
])
def test_completion_knows_the_kinds_of_a_field(text: str, line: int, column: int,
                                               kinds: tuple[str, ...] | None) -> None:
    assert field_kinds(text, line, column) == kinds


def test_a_russian_organisation_is_answered_in_russian(tmp_path: Path) -> None:
    from kkctl.lsp.features import RenameError, hover, rename

    root = tmp_path / "eda"
    shutil.copytree(EXAMPLES / "poleznaya-eda", root)
    ws = Workspace(root)
    text = (root / "org/teams/it.yaml").read_text(encoding="utf-8")
    ws.set_buffer("org/teams/it.yaml", text.replace("leader: zaytsev", "leader: zaytsevv"))
    analysis = ws.analyse()
    (broken,) = [d for d in analysis.diagnostics["org/teams/it.yaml"] if d.code == "KK102"]
    assert "(может быть, 'zaytsev'?)" in broken.message(analysis.lang)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "leader: zaytsev" in row)
    shown = hover(analysis, "org/teams/it.yaml", line, 14, text)
    assert shown is None  # zaytsevv is nobody
    ws.set_buffer("org/teams/it.yaml", None)
    analysis = ws.analyse()
    shown = hover(analysis, "org/teams/it.yaml", line, 14, text)
    assert shown is not None and shown.startswith("**сотрудник** `zaytsev`")
    with pytest.raises(RenameError, match="не годится как id"):
        rename(analysis, "org/teams/it.yaml", line, 14, "Зайцев")


def _in_time(fn, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    """``fn()``'s result, or fail if it has not returned after ``seconds`` (a thread of its
    own: a blocked open of a FIFO cannot be interrupted)."""
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"still blocked after {seconds} s"
    return done[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_gets_the_clis_kk006_and_blocks_nothing(org: Path, kkctl) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(org / "org" / "pipe.yaml")  # nobody writes to it: reading it would wait forever
    ws = _in_time(lambda: Workspace(org))
    found = _in_time(ws.analyse).diagnostics
    cli = json.loads(kkctl("lint", "-f", "json", "--no-cache", cwd=org).out)["diagnostics"]
    assert [(d["file"], d["line"], d["code"], d["message"]) for d in cli] == \
        [(d.file, d.line, d.code, d.message()) for d in found["org/pipe.yaml"]]
    assert "FIFO" in cli[0]["message"]


def test_a_file_over_the_size_limit_is_refused_not_read(org: Path) -> None:
    limit = max(p.stat().st_size for p in org.rglob("*.yaml")) + 1
    (org / "org" / "huge.yaml").write_text("people:\n" + "#" * limit + "\n", encoding="utf-8")
    ws = Workspace(org, max_file_size=limit)
    assert "org/huge.yaml" not in ws.disk
    (refused,) = ws.analyse().diagnostics["org/huge.yaml"]
    assert refused.code == "KK006" and "over the limit" in refused.message()
    ws.set_buffer("org/huge.yaml", "people:\n  - {id: small, name: Small}\n")  # cut down
    after = ws.analyse().diagnostics["org/huge.yaml"]  # read as typed: a lonely person
    assert [d.code for d in after if d.code == "KK006"] == [] and after[0].line == 2


def test_the_quick_answer_leaves_the_workers_memo_alone(org: Path) -> None:
    """quick() runs on the event loop while an analysis may run in the worker: it must not
    add to the dicts the analysis reads and replaces."""
    ws = Workspace(org)
    ws.analyse()
    memo, keys = dict(ws._memo), dict(ws._keys)
    text = (org / "org/teams.yaml").read_text(encoding="utf-8")
    ws.set_buffer("org/teams.yaml", text.replace("leader: silva", "leader: ghost"))
    quick = ws.quick("org/teams.yaml")
    assert quick is not None and [d.code for d in quick] == ["KK102"]
    assert ws._memo == memo and ws._keys == keys


@pytest.mark.asyncio
async def test_a_request_awaits_the_analysis_and_the_loop_stays_free(org: Path) -> None:
    server = KkctlServer()
    ws = server.projects[org] = Workspace(org)
    release = threading.Event()
    real = ws.analyse

    def slow() -> object:  # an analysis of a big organisation, held until released
        release.wait(10)
        return real()

    ws.analyse = slow  # type: ignore[method-assign]
    server.publish = lambda ws, analysis: None  # type: ignore[method-assign]  # no client
    try:
        asked = asyncio.ensure_future(server.analysis(ws))
        ticks = 0
        while ticks < 5:  # the loop runs while the analysis waits in the worker
            await asyncio.sleep(0.01)
            ticks += 1
        assert not asked.done()
        release.set()
        analysis = await asyncio.wait_for(asked, 10)
        assert analysis is ws.analysis and analysis.diagnostics == {}
    finally:
        release.set()
        server.executor.shutdown(wait=True)
