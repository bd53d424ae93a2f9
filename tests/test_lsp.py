"""``kkctl lsp`` end to end: the real server over stdio, driven by a real LSP client
(pytest-lsp), on a copy of the examples."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import EXAMPLES, kkctl_command

pytestmark = pytest.mark.asyncio

SERVER = ClientServerConfig(server_command=[*kkctl_command(), "lsp"],
                            server_env={**os.environ, "KKCTL_LANG": "en", "NO_COLOR": "1"})


@pytest.fixture
def org(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    example = getattr(request, "param", "acme-consulting")
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, org: Path):  # type: ignore[no-untyped-def]
    registered: list[t.Registration] = []

    @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(params: t.RegistrationParams) -> None:  # as an editor does
        registered.extend(params.registrations)

    lsp_client.registered = registered  # type: ignore[attr-defined]
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=org.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=org.as_uri(), name="acme")]))
    yield
    await lsp_client.shutdown_session()


def uri(org: Path, rel: str) -> str:
    return (org / rel).as_uri()


async def settle(client: LanguageClient, ready, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``ready()`` holds for the diagnostics received (or fail)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not ready():
        assert loop.time() < end, \
            f"diagnostics never settled: {client.diagnostics} {client.log_messages}"
        await asyncio.sleep(0.05)


def open_doc(client: LanguageClient, org: Path, rel: str) -> str:
    text = (org / rel).read_text(encoding="utf-8")
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri(org, rel), language_id="yaml", version=1, text=text)))
    return text


def change(client: LanguageClient, org: Path, rel: str, text: str, version: int) -> None:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri(org, rel), version=version),
        [t.TextDocumentContentChangeWholeDocument(text=text)]))


def codes(client: LanguageClient, org: Path, rel: str) -> list[tuple[str, int]]:
    return [(str(d.code), d.range.start.line + 1) for d in client.diagnostics.get(uri(org, rel),
                                                                                  [])]


def position(text: str, line: int, needle: str) -> t.Position:
    """The position of ``needle`` on 1-based ``line`` (ASCII lines: UTF-16 = characters)."""
    return t.Position(line - 1, text.splitlines()[line - 1].index(needle))


async def test_diagnostics_are_the_clis(client: LanguageClient, org: Path, kkctl) -> None:  # type: ignore[no-untyped-def]
    teams = (org / "org/teams.yaml").read_text(encoding="utf-8")
    teams = teams.replace("    leader: okafor", "    leader: okafr").replace(
        "    success_indicator: m-savings-delivered\n", "", 1)
    (org / "org/teams.yaml").write_text(teams, encoding="utf-8")
    cli = json.loads(kkctl("lint", "-f", "json", "--no-cache", cwd=org).out)["diagnostics"]
    assert {d["code"] for d in cli} == {"KK102", "KK220"}
    open_doc(client, org, "org/teams.yaml")
    await settle(client, lambda: len(codes(client, org, "org/teams.yaml")) == len(cli))
    shown = sorted((d.range.start.line + 1, d.range.start.character + 1, str(d.code), d.message,
                    d.severity) for d in client.diagnostics[uri(org, "org/teams.yaml")])
    severity = {"error": t.DiagnosticSeverity.Error, "warning": t.DiagnosticSeverity.Warning,
                "info": t.DiagnosticSeverity.Information}
    assert shown == sorted((d["line"], d["column"], d["code"], d["message"],
                            severity[d["severity"]]) for d in cli)
    leader = next(d for d in client.diagnostics[uri(org, "org/teams.yaml")] if d.code == "KK102")
    assert leader.range.end.character - leader.range.start.character == len("okafr")


@pytest.mark.parametrize("org", ["poleznaya-eda"], indirect=True)
async def test_a_russian_organisation_gets_the_clis_russian(client: LanguageClient, org: Path,
                                                            kkctl) -> None:  # type: ignore[no-untyped-def]
    rel = "org/teams/it.yaml"
    text = (org / rel).read_text(encoding="utf-8").replace("leader: zaytsev", "leader: zaytsevv")
    (org / rel).write_text(text, encoding="utf-8")
    cli = json.loads(kkctl("lint", "-f", "json", "--no-cache", cwd=org).out)["diagnostics"]
    assert cli and all(d["file"] == rel for d in cli)
    await settle(client, lambda: len(codes(client, org, rel)) == len(cli))
    shown = [(d.range.start.line + 1, d.range.start.character + 1, str(d.code), d.message)
             for d in client.diagnostics[uri(org, rel)]]
    assert shown == [(d["line"], d["column"], d["code"], d["message"]) for d in cli]
    assert any("не является сотрудником" in message for *_, message in shown)


async def test_diagnostics_follow_edits_before_saving(client: LanguageClient, org: Path) -> None:
    text = open_doc(client, org, "org/teams.yaml")
    await asyncio.sleep(0.3)
    assert codes(client, org, "org/teams.yaml") == []
    at = position(text, 30, "silva")  # an incremental change, as VS Code sends them
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri(org, "org/teams.yaml"), version=2),
        [t.TextDocumentContentChangePartial(
            range=t.Range(at, t.Position(at.line, at.character + len("silva"))),
            text="ghost")]))
    await settle(client, lambda: codes(client, org, "org/teams.yaml") == [("KK102", 30)])
    message = client.diagnostics[uri(org, "org/teams.yaml")][0].message
    assert "leader 'ghost' is not a person" in message
    change(client, org, "org/teams.yaml", text, 3)  # fixed again
    await settle(client, lambda: codes(client, org, "org/teams.yaml") == [])


async def test_a_change_in_one_file_reaches_another(client: LanguageClient, org: Path) -> None:
    """Renaming a person in people.yaml (unsaved) breaks the references in teams.yaml."""
    people = open_doc(client, org, "org/people.yaml")
    change(client, org, "org/people.yaml", people.replace("{id: silva,", "{id: silva2,"), 2)
    await settle(client, lambda: ("KK102", 30) in codes(client, org, "org/teams.yaml"))


async def test_a_broken_buffer_gets_its_syntax_error_and_the_rest_keeps_working(
        client: LanguageClient, org: Path) -> None:
    text = open_doc(client, org, "org/teams.yaml")
    broken = text.replace("    leader: silva", "    leader: [silva", 1)
    change(client, org, "org/teams.yaml", broken, 2)
    await settle(client, lambda: bool(codes(client, org, "org/teams.yaml")))
    (diag,) = client.diagnostics[uri(org, "org/teams.yaml")]
    assert diag.code == "KK001" and diag.severity == t.DiagnosticSeverity.Error
    assert diag.range.start.line > 25  # at the broken line, not the top of the file
    kkctl_yaml = (org / "kkctl.yaml").read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(kkctl_yaml.splitlines(), 1) if "ceo: keller" in row)
    found = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri(org, "kkctl.yaml")), position(kkctl_yaml, line, "keller")))
    assert isinstance(found, t.Location) and found.uri == uri(org, "org/people.yaml")


async def test_definition_and_references_across_files(client: LanguageClient, org: Path) -> None:
    teams = (org / "org/teams.yaml").read_text(encoding="utf-8")
    found = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), position(teams, 11, "okafor")))
    assert isinstance(found, t.Location)
    assert (found.uri, found.range.start.line, found.range.start.character,
            found.range.end.character) == (uri(org, "org/people.yaml"), 4, 9, 15)
    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=t.TextDocumentIdentifier(uri(org, "org/people.yaml")),
        position=t.Position(4, 12), context=t.ReferenceContext(include_declaration=False)))
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line + 1) for r in refs or []) == [
        ("kkctl.yaml", 116), ("teams.yaml", 11), ("teams.yaml", 15)]


async def test_canvas_values_and_score_keys_are_references(client: LanguageClient,
                                                           org: Path) -> None:
    text = (org / "kkctl.yaml").read_text(encoding="utf-8")
    rows = text.splitlines()
    score = next(i for i, r in enumerate(rows, 1) if r.strip() == "predictable-fee: 4")
    found = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri(org, "kkctl.yaml")), position(text, score, "predictable")))
    defined = next(i for i, r in enumerate(rows, 1) if "{id: predictable-fee" in r)
    assert isinstance(found, t.Location) and found.range.start.line + 1 == defined


async def test_hover_on_an_id_and_on_a_rule_code(client: LanguageClient, org: Path) -> None:
    teams = (org / "org/teams.yaml").read_text(encoding="utf-8")
    shown = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), position(teams, 11, "okafor")))
    assert shown is not None and isinstance(shown.contents, t.MarkupContent)
    assert "**person** `okafor` — Daniel Okafor" in shown.contents.value
    assert "org/people.yaml:5:10" in shown.contents.value
    assert "used 3 times" in shown.contents.value
    edited = teams.replace("    leader: okafor",
                           "    leader: okafor  # kkctl: ignore[promise-loop]")
    open_doc(client, org, "org/teams.yaml")
    change(client, org, "org/teams.yaml", edited, 2)
    shown = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), position(edited, 11, "loop")))
    assert shown is not None and isinstance(shown.contents, t.MarkupContent)
    assert shown.contents.value.startswith("KK2")
    assert "promise-loop" in shown.contents.value


async def test_completion_offers_the_kinds_the_field_allows(client: LanguageClient,
                                                            org: Path) -> None:
    text = open_doc(client, org, "org/teams.yaml")
    edited = text.replace("    leader: silva", "    leader: ", 1)
    change(client, org, "org/teams.yaml", edited, 2)
    line = next(i for i, r in enumerate(edited.splitlines(), 1) if r == "    leader: ")
    found = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), t.Position(line - 1, 12)))
    assert isinstance(found, t.CompletionList)
    labels = {item.label: item for item in found.items}
    assert {"okafor", "silva", "keller"} <= set(labels)
    assert "delivery" not in labels and "measured-savings" not in labels  # a team, a value
    assert labels["okafor"].label_details and \
        labels["okafor"].label_details.description == "Daniel Okafor"
    edit = labels["okafor"].text_edit
    assert isinstance(edit, t.TextEdit) and edit.range.start.character == 12
    supports = next(i for i, r in enumerate(edited.splitlines(), 1) if "clients: [" in r)
    column = edited.splitlines()[supports - 1].index("[") + 1
    found = await client.text_document_completion_async(t.CompletionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), t.Position(supports - 1, column)))
    assert isinstance(found, t.CompletionList)
    assert [item.label for item in found.items] == ["plant-managers"]


def apply(text: str, edits: list[t.TextEdit]) -> str:
    rows = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        row = rows[start.line]
        rows[start.line] = row[:start.character] + edit.new_text + row[end.character:]
    return "".join(rows)


async def test_rename_across_files_byte_for_byte(client: LanguageClient, org: Path,
                                                 kkctl) -> None:  # type: ignore[no-untyped-def]
    before = {rel: (org / rel).read_text(encoding="utf-8") for rel in
              ("kkctl.yaml", "org/people.yaml", "org/teams.yaml", "org/promises.yaml")}
    people = before["org/people.yaml"]
    edit = await client.text_document_rename_async(t.RenameParams(
        t.TextDocumentIdentifier(uri(org, "org/people.yaml")), position(people, 5, "okafor"),
        "okafor-d"))
    assert edit is not None and edit.changes is not None
    for file_uri, edits in edit.changes.items():
        path = Path(file_uri.removeprefix("file://"))
        path.write_text(apply(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
    after = {rel: (org / rel).read_text(encoding="utf-8") for rel in before}
    expected = {
        "kkctl.yaml": before["kkctl.yaml"].replace("{person: okafor,", "{person: okafor-d,"),
        "org/people.yaml": people.replace("{id: okafor,", "{id: okafor-d,"),
        "org/teams.yaml": before["org/teams.yaml"].replace("leader: okafor\n",
                                                           "leader: okafor-d\n").replace(
            "      - okafor\n", "      - okafor-d\n"),
        "org/promises.yaml": before["org/promises.yaml"]}
    assert after == expected
    assert "# CEO, council leader" in after["org/people.yaml"]  # comments kept
    assert kkctl("validate", cwd=org).code == 0
    refused = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(uri(org, "org/people.yaml")), t.Position(0, 0)))
    assert refused is None  # not an id


async def test_rename_refuses_an_id_that_is_taken(client: LanguageClient, org: Path) -> None:
    people = (org / "org/people.yaml").read_text(encoding="utf-8")
    with pytest.raises(Exception, match="already the id of person 'silva'"):
        await client.text_document_rename_async(t.RenameParams(
            t.TextDocumentIdentifier(uri(org, "org/people.yaml")),
            position(people, 5, "okafor"), "silva"))


async def test_document_symbols_by_collection(client: LanguageClient, org: Path) -> None:
    found = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml"))))
    assert found is not None
    groups = {s.name: [c.name for c in s.children or []] for s in found
              if isinstance(s, t.DocumentSymbol)}
    assert groups["teams"][:2] == ["delivery", "energy-lab"]
    assert "rs-energy-lab" in groups["reward_schemes"]


async def test_code_actions_did_you_mean_and_suppression(client: LanguageClient,
                                                         org: Path) -> None:
    text = open_doc(client, org, "org/teams.yaml")
    edited = text.replace("    leader: okafor", "    leader: okafr").replace(
        "    success_indicator: m-savings-delivered\n", "", 1)
    change(client, org, "org/teams.yaml", edited, 2)
    await settle(client, lambda: len(codes(client, org, "org/teams.yaml")) == 2)
    shown = client.diagnostics[uri(org, "org/teams.yaml")]
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), shown[0].range,
        t.CodeActionContext(diagnostics=list(shown))))
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, t.CodeAction)]
    assert "Replace 'okafr' with 'okafor'" in titles
    assert any("# kkctl: ignore[team-success-indicator]" in title for title in titles)
    edits = []
    for action in actions:  # both at once: each action's edit is against the shown text
        assert isinstance(action, t.CodeAction) and action.edit and action.edit.changes
        edits += action.edit.changes[uri(org, "org/teams.yaml")]
    fixed = apply(edited, edits)
    assert "    leader: okafor\n" in fixed
    assert "  # kkctl: ignore[team-success-indicator] <why this is accepted>\n  - id: delivery" \
        in fixed
    change(client, org, "org/teams.yaml", fixed, 3)
    await settle(client, lambda: codes(client, org, "org/teams.yaml") == [])


async def test_random_edits_never_stop_the_server(client: LanguageClient, org: Path) -> None:
    """Three hundred random edits (cuts, pasted fragments, stray characters), then the server
    still answers and the original text is clean again."""
    text = open_doc(client, org, "org/teams.yaml")
    rng = random.Random(21)
    pieces = ["- ", ": ", "[", "]", "{", "}", "\t", "'", '"', "&a ", "*a", "!!int ", "#",
              "\n", "leader: ", "  ", "---\n", "é", "😀", "ghost", "okafor"]
    current = text
    for version in range(2, 302):
        at = rng.randrange(len(current) + 1)
        if rng.random() < 0.4 and current:
            current = current[:at] + current[at + rng.randrange(1, 20):]
        else:
            current = current[:at] + rng.choice(pieces) + current[at:]
        if rng.random() < 0.1:
            current = text
        change(client, org, "org/teams.yaml", current, version)
        if version % 50 == 0:
            await client.text_document_hover_async(t.HoverParams(
                t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), t.Position(10, 14)))
    change(client, org, "org/teams.yaml", text, 400)
    found = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), position(text, 11, "okafor")))
    assert isinstance(found, t.Location)
    await settle(client, lambda: codes(client, org, "org/teams.yaml") == [])
    errors = [m.message for m in client.log_messages if m.type == t.MessageType.Error]
    assert errors == []


async def test_files_changed_outside_the_editor_are_seen(client: LanguageClient,
                                                         org: Path) -> None:
    """A file a git pull brings: the server asked to be told, and reads it when told."""
    await settle(client, lambda: bool(client.registered))  # type: ignore[attr-defined]
    (watch,) = client.registered  # type: ignore[attr-defined]
    assert watch.method == t.WORKSPACE_DID_CHANGE_WATCHED_FILES
    (org / "org" / "pulled.yaml").write_text(
        "teams:\n  - id: pulled\n    name: Pulled\n    type: supporting\n"
        "    leader: nobody-here\n    parent: delivery\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=uri(org, "org/pulled.yaml"), type=t.FileChangeType.Created)]))
    await settle(client, lambda: ("KK102", 5) in codes(client, org, "org/pulled.yaml"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
async def test_a_fifo_a_pull_brings_gets_the_clis_kk006(client: LanguageClient, org: Path,
                                                        kkctl) -> None:  # type: ignore[no-untyped-def]
    """A FIFO named *.yaml is refused with the CLI's error; the server keeps answering."""
    os.mkfifo(org / "org" / "pipe.yaml")  # nobody writes to it: reading it would wait forever
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=uri(org, "org/pipe.yaml"), type=t.FileChangeType.Created)]))
    await settle(client, lambda: bool(codes(client, org, "org/pipe.yaml")))
    (shown,) = client.diagnostics[uri(org, "org/pipe.yaml")]
    (cli,) = json.loads(kkctl("lint", "-f", "json", "--no-cache", cwd=org).out)["diagnostics"]
    assert (str(shown.code), shown.message) == (cli["code"], cli["message"]) == \
        ("KK006", cli["message"])
    teams = (org / "org/teams.yaml").read_text(encoding="utf-8")
    found = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml")), position(teams, 11, "okafor")))
    assert isinstance(found, t.Location)


async def test_a_project_outside_the_workspace_folders_is_not_served(
        client: LanguageClient, org: Path) -> None:
    other = org.parent / "elsewhere"
    shutil.copytree(EXAMPLES / "acme-consulting", other)
    for root in (other, org):  # the second answer comes after the first's would have
        open_doc(client, root, "org/teams.yaml")
    found = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        t.TextDocumentIdentifier(uri(other, "org/teams.yaml"))))
    assert found == []
    found = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml"))))
    assert found
    assert not any(u.startswith(other.as_uri() + "/") for u in client.diagnostics)


@pytest_lsp.fixture(config=SERVER)
async def parent_client(lsp_client: LanguageClient, org: Path):  # type: ignore[no-untyped-def]
    """An editor whose workspace folder holds the organisation in a sub-folder."""
    lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)(lambda params: None)
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=org.parent.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=org.parent.as_uri(), name="work")]))
    yield
    await lsp_client.shutdown_session()


async def test_a_project_below_the_folder_is_forgotten_when_its_last_file_closes(
        parent_client: LanguageClient, org: Path) -> None:
    client = parent_client
    teams = (org / "org/teams.yaml").read_text(encoding="utf-8")
    (org / "org/teams.yaml").write_text(teams.replace("leader: silva", "leader: ghost"),
                                        encoding="utf-8")
    open_doc(client, org, "org/teams.yaml")
    await settle(client, lambda: ("KK102", 30) in codes(client, org, "org/teams.yaml"))
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri(org, "org/teams.yaml"))))
    await settle(client, lambda: codes(client, org, "org/teams.yaml") == [])
    open_doc(client, org, "org/teams.yaml")  # opened again: served again
    await settle(client, lambda: ("KK102", 30) in codes(client, org, "org/teams.yaml"))
