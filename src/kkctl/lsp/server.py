"""The language server: pygls over stdio, wired to :mod:`kkctl.lsp.features`.

Every handler is guarded: a broken buffer, a half-typed key or a bug in kkctl is logged to
the client and answered with nothing; the server itself never stops.

The event loop only reads messages and answers from a finished analysis: reading the files
(:meth:`Workspace.rescan`) and analysing them run in one worker thread, in the order asked,
and a request that needs a fresh analysis awaits it. Only the files of the editor's workspace
folders are served; a project opened below a folder is forgotten when its last file closes.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from lsprotocol import types as t
from pygls import uris
from pygls.lsp.server import LanguageServer

from kkctl import __version__
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.loader import DEFAULT_MAX_FILE_SIZE
from kkctl.lsp import features
from kkctl.lsp.workspace import Analysis, Workspace
from kkctl.project import PROJECT_FILES

DEBOUNCE = 0.1  # seconds of quiet typing before the project is analysed again
_TOKEN_END = re.compile(r"[\s,\]}#]")
_ID_CHAR = re.compile(r"[A-Za-z0-9._-]")
_SEVERITY = {Severity.ERROR: t.DiagnosticSeverity.Error,
             Severity.WARNING: t.DiagnosticSeverity.Warning,
             Severity.INFO: t.DiagnosticSeverity.Information}
_KINDS = {"person": t.SymbolKind.Object, "team": t.SymbolKind.Class,
          "council": t.SymbolKind.Class, "promise": t.SymbolKind.Event,
          "authority": t.SymbolKind.Key, "metric": t.SymbolKind.Number,
          "value": t.SymbolKind.Constant, "client": t.SymbolKind.Interface,
          "canvas": t.SymbolKind.Struct, "reward_scheme": t.SymbolKind.Function,
          "period": t.SymbolKind.Enum, "hypothesis": t.SymbolKind.TypeParameter,
          "collection": t.SymbolKind.Namespace}
R = TypeVar("R")


class At(NamedTuple):
    """The place a request points at, and the analysis to answer from."""

    ws: Workspace
    rel: str
    line: int
    column: int
    text: str
    analysis: Analysis


class KkctlServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kkctl", __version__)
        self.projects: dict[Path, Workspace] = {}
        self.lang: str | None = None
        self.max_file_size = DEFAULT_MAX_FILE_SIZE  # kkctl lsp --max-file-size
        self.pending: dict[Path, asyncio.TimerHandle] = {}
        self.dirty: dict[Path, set[str]] = {}  # files edited since the last analysis began
        self.edits: dict[Path, int] = {}  # edits so far, by project
        self.running: dict[Path, asyncio.Future[Analysis]] = {}
        self.rerun: set[Path] = set()  # edited again while its analysis ran
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kkctl-analysis")
        # uri -> what was sent last; files with no problems are left out (sent empty once)
        self.published: dict[str, tuple[Any, ...]] = {}

    # -- projects and files --------------------------------------------------------------
    def folders(self) -> list[Path]:
        """The editor's workspace folders (its root, for a client without folders)."""
        found = [uris.to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not found:
            found = [self.workspace.root_path]
        return [Path(f).absolute() for f in found if f]

    def project_of(self, uri: str) -> tuple[Workspace, str] | None:
        """The project a document belongs to: its nearest folder with kkctl.yaml, inside a
        workspace folder (elsewhere no features: the server would keep every project on the
        disk that an editor ever showed a file of)."""
        fs = uris.to_fs_path(uri)
        if fs is None or not fs.endswith((".yaml", ".yml")):
            return None
        path = Path(fs).absolute()
        tops = [top for top in self.folders() if path.is_relative_to(top)]
        if not tops:
            return None
        top = min(tops, key=lambda f: len(f.parts))
        for folder in path.parents:
            if not folder.is_relative_to(top):
                break
            known = self.projects.get(folder)
            if known is None and any((folder / n).is_file() for n in PROJECT_FILES):
                known = self.add_project(folder)
            if known is not None:
                rel = known.rel(path)
                return (known, rel) if rel is not None else None
        return None

    def add_project(self, root: Path) -> Workspace:
        """A project, its files read in the worker (an analysis asked for waits behind)."""
        ws = self.projects[root] = Workspace(root, self.lang, self.max_file_size, scan=False)
        self.in_worker(ws.rescan)
        return ws

    def closed(self, ws: Workspace) -> None:
        """The last file of a project below a workspace folder closed: forget the project
        and clear what was shown for its files."""
        if ws.buffers or ws.root in self.folders() or self.projects.get(ws.root) is not ws:
            return
        del self.projects[ws.root]
        handle = self.pending.pop(ws.root, None)
        if handle is not None:
            handle.cancel()
        for table in (self.dirty, self.edits):
            table.pop(ws.root, None)
        self.rerun.discard(ws.root)
        for uri in [u for u in self.published if _rel(ws, u) is not None]:
            del self.published[uri]
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri,
                                                                              diagnostics=[]))

    def in_worker(self, fn: Callable[[], R]) -> asyncio.Future[R]:
        """Run ``fn`` in the worker thread, after what was asked before; a failure is logged."""
        future = asyncio.get_running_loop().run_in_executor(self.executor, fn)
        future.add_done_callback(self._log_failure)
        return future

    def _log_failure(self, done: asyncio.Future[Any]) -> None:
        error = None if done.cancelled() else done.exception()
        if error is not None:
            self.window_log_message(t.LogMessageParams(type=t.MessageType.Error, message="".join(
                traceback.format_exception(type(error), error, error.__traceback__))))

    def text(self, ws: Workspace, rel: str) -> str:
        data = ws.buffers.get(rel, ws.disk.get(rel))
        return data.decode("utf-8", "replace") if data is not None else ""

    async def analysis(self, ws: Workspace) -> Analysis:
        """The analysis of what is typed now (a request needs it: rename must see every
        edit). One running in the background is awaited; a pending one is started now. The
        loop stays free meanwhile: edits are read, and the next request waits its turn."""
        handle = self.pending.pop(ws.root, None)
        if handle is not None:
            handle.cancel()
        future = self.running.get(ws.root)
        if handle is not None or self.dirty.get(ws.root) or (ws.analysis is None
                                                             and future is None):
            future = self.start_now(ws)
        if future is not None:
            # wait(), not await: a cancelled request must not cancel the analysis
            await asyncio.wait([future])
            return future.result()
        assert ws.analysis is not None
        return ws.analysis

    def schedule(self, ws: Workspace, delay: float = DEBOUNCE, rel: str | None = None) -> None:
        """Analyse after ``delay`` of quiet; ``rel``: the file edited."""
        handle = self.pending.pop(ws.root, None)
        if handle is not None:
            handle.cancel()
        self.edits[ws.root] = self.edits.get(ws.root, 0) + 1
        self.dirty.setdefault(ws.root, set())
        if rel is not None:
            self.dirty[ws.root].add(rel)
        loop = asyncio.get_running_loop()
        self.pending[ws.root] = loop.call_later(delay, self._timer, ws)

    def _timer(self, ws: Workspace) -> None:
        """First the edited files' own problems (milliseconds), then the whole analysis with
        lint in a worker thread (a 1,000-team organisation: ~0.15 s of CPU), so that the
        next keystroke is read, and answered, while it runs."""
        self.pending.pop(ws.root, None)
        guard(self, None, self.publish_quick, ws)
        guard(self, None, self.start_full, ws)

    def start_full(self, ws: Workspace) -> None:
        if ws.root in self.running:  # one at a time; the next starts when it ends
            self.rerun.add(ws.root)
            return
        self.start_now(ws)

    def start_now(self, ws: Workspace) -> asyncio.Future[Analysis]:
        """Analyse in the worker, after what runs there now; published when it ends."""
        self.rerun.discard(ws.root)  # this one sees every edit so far
        version = self.edits.get(ws.root, 0)
        self.dirty[ws.root] = set()
        future = self.in_worker(ws.analyse)
        self.running[ws.root] = future
        future.add_done_callback(lambda done: guard(self, None, self._finished, ws, done,
                                                    version))
        return future

    def _finished(self, ws: Workspace, done: asyncio.Future[Analysis], version: int) -> None:
        if self.running.get(ws.root) is done:
            del self.running[ws.root]
        if self.projects.get(ws.root) is not ws or done.cancelled():
            return  # closed meanwhile: nothing to show
        if done.exception() is None and version == self.edits.get(ws.root, 0):
            self.publish(ws, done.result())  # else a newer edit's analysis follows
        if ws.root in self.rerun and ws.root not in self.running:
            self.start_now(ws)

    def publish_quick(self, ws: Workspace) -> None:
        """Each edited file's own problems, with its lint findings of the last analysis
        (they are replaced a moment later)."""
        from kkctl.reporters import lint_rule

        last = ws.analysis
        if last is None:
            return
        for rel in sorted(self.dirty.get(ws.root, ())):
            own = ws.quick(rel)
            if own is None:
                continue
            kept = [d for d in last.diagnostics.get(rel, []) if lint_rule(d.code) is not None]
            self.send(ws, rel, sorted([*own, *kept], key=Diagnostic.sort_key), last.lang)

    def publish(self, ws: Workspace, analysis: Analysis) -> None:
        """Send each file's diagnostics, when they differ from the last ones sent."""
        files = set(analysis.diagnostics) | {r for r in map(lambda u: _rel(ws, u), self.published)
                                             if r is not None}
        for rel in sorted(files):
            self.send(ws, rel, analysis.diagnostics.get(rel, []), analysis.lang)

    def send(self, ws: Workspace, rel: str, found: list[Diagnostic], lang: str) -> None:
        uri = uris.from_fs_path(str(ws.root / rel)) or ""
        key = (lang, *((d.code, d.line, d.column, d.message_id, repr(d.args)) for d in found))
        if not found:
            if self.published.pop(uri, None) is None:
                return  # nothing shown there
        elif self.published.get(uri) == key:
            return
        else:
            self.published[uri] = key
        text = self.text(ws, rel).splitlines()
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
            uri=uri, diagnostics=[to_lsp(d, text, lang) for d in found]))


def _rel(ws: Workspace, uri: str) -> str | None:
    fs = uris.to_fs_path(uri)
    return ws.rel(Path(fs)) if fs is not None else None


def guard(ls: LanguageServer, default: R, fn: Callable[..., R], *args: Any) -> R:
    """Run ``fn``; on any failure log it to the client and answer ``default``."""
    try:
        return fn(*args)
    except Exception:  # the editor keeps its server whatever happens
        ls.window_log_message(t.LogMessageParams(type=t.MessageType.Error,
                                                 message=traceback.format_exc()))
        return default


# -- positions ---------------------------------------------------------------------------
def utf16(row: str, column: int) -> int:
    """A 1-based character column -> the 0-based UTF-16 offset LSP counts in."""
    head = row[:column - 1]
    return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)


def column_of(row: str, character: int) -> int:
    """A 0-based UTF-16 offset -> the 1-based character column."""
    units = 0
    for index, ch in enumerate(row):
        if units >= character:
            return index + 1
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(row) + 1


def _row(text: list[str], line: int) -> str:
    return text[line - 1] if 0 < line <= len(text) else ""


def lsp_range(text: list[str], line: int, column: int, end: int) -> t.Range:
    row = _row(text, line)
    return t.Range(t.Position(max(line - 1, 0), utf16(row, column)),
                   t.Position(max(line - 1, 0), utf16(row, end)))


def to_lsp(diag: Diagnostic, text: list[str], lang: str) -> t.Diagnostic:
    """One kkctl finding as the editor shows it: the CLI's code, severity and message."""
    from kkctl.reporters import help_uri, lint_rule

    row = _row(text, diag.line)
    stop = _TOKEN_END.search(row, diag.column) if row[diag.column - 1:diag.column] else None
    end = stop.start() + 1 if stop else len(row) + 1
    if end <= diag.column:
        end = len(row) + 1
    rule = lint_rule(diag.code)
    link = help_uri(diag.code, lang)
    return t.Diagnostic(
        range=lsp_range(text, diag.line, diag.column, end),
        message=diag.message(lang), severity=_SEVERITY[diag.severity], code=diag.code,
        source="kkctl" + (f" {rule.slug}" if rule is not None else ""),
        code_description=t.CodeDescription(href=link) if link else None)


def make_server() -> KkctlServer:
    server = KkctlServer()

    async def where(uri: str, position: t.Position) -> At | None:
        """Where a request points, in the text its analysis read (the files of a project
        just opened are being read in the worker: the analysis comes after)."""
        found = server.project_of(uri)
        if found is None:
            return None
        ws, rel = found
        analysis = await server.analysis(ws)
        text = server.text(ws, rel)
        line = position.line + 1
        return At(ws, rel, line, column_of(_row(text.splitlines(), line), position.character),
                  text, analysis)

    def handler(method: str, options: Any = None, default: Any = None) -> Callable[..., Any]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            if not asyncio.iscoroutinefunction(fn):
                def safe(ls: KkctlServer, params: Any) -> Any:
                    return guard(ls, default, fn, params)
                server.feature(method, options)(safe)
                return fn

            async def safe_async(ls: KkctlServer, params: Any) -> Any:
                try:
                    return await fn(params)
                except Exception:  # the editor keeps its server whatever happens
                    ls.window_log_message(t.LogMessageParams(
                        type=t.MessageType.Error, message=traceback.format_exc()))
                    return default
            server.feature(method, options)(safe_async)
            return fn
        return register

    @handler(t.INITIALIZED)
    def initialized(params: t.InitializedParams) -> None:
        watch_files()
        for path in server.folders():
            if path not in server.projects and any((path / n).is_file() for n in PROJECT_FILES):
                server.start_now(server.add_project(path))

    def watch_files() -> None:
        """Ask the editor to tell about YAML files created, changed or deleted outside it
        (a git pull, a branch switch), where it can."""
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        server.client_register_capability(t.RegistrationParams(registrations=[t.Registration(
            id="kkctl-yaml-files", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=[
                t.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}")]))]))

    @handler(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        found = server.project_of(params.text_document.uri)
        if found is not None:
            ws, rel = found
            ws.set_buffer(rel, params.text_document.text)
            server.schedule(ws, 0)

    @handler(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        found = server.project_of(params.text_document.uri)
        if found is not None:
            ws, rel = found
            document = server.workspace.get_text_document(params.text_document.uri)
            ws.set_buffer(rel, document.source)
            server.schedule(ws, rel=rel)

    @handler(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: t.DidSaveTextDocumentParams) -> None:
        found = server.project_of(params.text_document.uri)
        if found is not None:
            server.in_worker(found[0].rescan)
            server.schedule(found[0], 0)

    @handler(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        found = server.project_of(params.text_document.uri)
        if found is not None:
            ws, rel = found
            ws.set_buffer(rel, None)
            server.in_worker(ws.rescan)
            server.schedule(ws, 0)
            server.closed(ws)

    @handler(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(params: t.DidChangeWatchedFilesParams) -> None:
        for ws in server.projects.values():
            server.in_worker(ws.rescan)
            server.schedule(ws, 0)

    @handler(t.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: t.DefinitionParams) -> t.Location | None:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return None
        ws, rel, line, column, _, analysis = at
        found = features.definition(analysis, rel, line, column)
        return location(ws, found) if found else None

    @handler(t.TEXT_DOCUMENT_REFERENCES, default=[])
    async def references(params: t.ReferenceParams) -> list[t.Location]:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return []
        ws, rel, line, column, _, analysis = at
        return [location(ws, f) for f in features.references(
            analysis, rel, line, column, params.context.include_declaration)]

    def location(ws: Workspace, found: features.Location) -> t.Location:
        text = server.text(ws, found.file).splitlines()
        return t.Location(uri=uris.from_fs_path(str(ws.root / found.file)) or "",
                          range=lsp_range(text, found.line, found.column, found.end))

    @handler(t.TEXT_DOCUMENT_HOVER)
    async def hover(params: t.HoverParams) -> t.Hover | None:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return None
        _, rel, line, column, text, analysis = at
        shown = features.hover(analysis, rel, line, column, text)
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=shown)) \
            if shown else None

    @handler(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[":", " ", "["]))
    async def completion(params: t.CompletionParams) -> t.CompletionList | None:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return None
        _, rel, line, column, text, analysis = at
        found = features.completion(analysis, rel, line, column, text)
        row = _row(text.splitlines(), line)
        start, end = column, column  # the id being typed is replaced whole ('-' included)
        while start > 1 and _ID_CHAR.match(row[start - 2]):
            start -= 1
        while end <= len(row) and _ID_CHAR.match(row[end - 1]):
            end += 1
        span = lsp_range(text.splitlines(), line, start, end)
        items = [t.CompletionItem(label=c.id, kind=t.CompletionItemKind.Reference,
                                  text_edit=t.TextEdit(range=span, new_text=c.id),
                                  detail=f"{c.kind}: {c.name}" if c.name else c.kind,
                                  label_details=t.CompletionItemLabelDetails(
                                      description=c.name or None),
                                  documentation=c.where, filter_text=f"{c.id} {c.name}")
                 for c in found]
        return t.CompletionList(is_incomplete=False, items=items)

    @handler(t.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(params: t.PrepareRenameParams) -> t.Range | None:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return None
        _, rel, line, column, text, analysis = at
        found = features.rename_range(analysis, rel, line, column)
        return lsp_range(text.splitlines(), found.line, found.column, found.end) \
            if found else None

    @server.feature(t.TEXT_DOCUMENT_RENAME, t.RenameOptions(prepare_provider=True))
    async def rename(ls: KkctlServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
        at = await where(params.text_document.uri, params.position)
        if at is None:
            return None
        ws, rel, line, column, _, analysis = at
        try:
            edits = features.rename(analysis, rel, line, column, params.new_name)
        except features.RenameError as err:  # shown to the user as the request's error
            from pygls.exceptions import JsonRpcInvalidParams

            raise JsonRpcInvalidParams(str(err)) from err
        return workspace_edit(ws, edits)

    def workspace_edit(ws: Workspace, edits: list[features.Edit]) -> t.WorkspaceEdit:
        changes: dict[str, list[t.TextEdit]] = {}
        for edit in edits:
            text = server.text(ws, edit.file).splitlines()
            uri = uris.from_fs_path(str(ws.root / edit.file)) or ""
            changes.setdefault(uri, []).append(t.TextEdit(
                range=lsp_range(text, edit.line, edit.column, edit.end), new_text=edit.text))
        return t.WorkspaceEdit(changes=changes)

    @handler(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL, default=[])
    async def document_symbols(params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
        found = server.project_of(params.text_document.uri)
        if found is None:
            return []
        ws, rel = found
        analysis = await server.analysis(ws)
        text = server.text(ws, rel).splitlines()

        def convert(symbol: features.Symbol) -> t.DocumentSymbol:
            selection = lsp_range(text, symbol.line, symbol.column, symbol.end)
            last = _row(text, symbol.last_line)
            whole = t.Range(selection.start, t.Position(symbol.last_line - 1,
                                                        utf16(last, len(last) + 1)))
            return t.DocumentSymbol(name=symbol.name, detail=symbol.detail or None,
                                    kind=_KINDS.get(symbol.kind, t.SymbolKind.Object),
                                    range=whole, selection_range=selection,
                                    children=[convert(c) for c in symbol.children] or None)

        return [convert(s) for s in features.symbols(analysis, rel)]

    @handler(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
        code_action_kinds=[t.CodeActionKind.QuickFix]), default=[])
    async def code_actions(params: t.CodeActionParams) -> list[t.CodeAction]:
        found = server.project_of(params.text_document.uri)
        if found is None:
            return []
        ws, rel = found
        analysis = await server.analysis(ws)
        text = server.text(ws, rel)
        rows = text.splitlines()
        out: list[t.CodeAction] = []
        for shown in params.context.diagnostics:
            line = shown.range.start.line + 1
            column = column_of(_row(rows, line), shown.range.start.character)
            for diag in analysis.diagnostics.get(rel, []):
                if diag.code == shown.code and diag.line == line and diag.column == column:
                    for fix in features.fixes(analysis, rel, diag, text):
                        out.append(t.CodeAction(
                            title=fix.title, kind=t.CodeActionKind.QuickFix,
                            diagnostics=[shown], is_preferred=fix.preferred or None,
                            edit=workspace_edit(ws, fix.edits)))
                    break
        return out

    return server


def serve(lang: str | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
    """``kkctl lsp``: serve over stdio until the client says exit."""
    server = make_server()
    server.lang = lang
    server.max_file_size = max_file_size
    try:
        server.start_io()
    finally:  # pygls closed standard output: the exit's flush must find an open one
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
