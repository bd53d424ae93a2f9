"""Edit-to-diagnostics latency of ``kkctl lsp``, measured through a real LSP client over stdio.

    python bench/lsp_latency.py bench/orgs/M --runs 20

Each run changes one team's ``leader`` in an open, unsaved buffer, alternately to an id that
does not exist and back, and times the ``didChange`` until the server publishes that file's
new diagnostics (the KK102 appearing, then gone). The time includes the server's debounce:
it is what a person typing sees. ``measure`` is what bench/run.py calls. With ``lint=True``
(``--lint``) the edit removes the team's ``success_indicator`` instead, a finding of lint
(KK220) that only the whole analysis finds: the latency of fresh lint findings.

On Linux it also prints the server's CPU time per edit (from /proc): on a machine busy with
other work the latency grows, the CPU time does not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

BUDGET = 0.300  # seconds, issue 21: fresh diagnostics after an edit in a 1,000-team org


def measure(org_dir: Path, runs: int, lint: bool = False) -> list[float]:
    """Latencies in seconds of ``runs`` edits (after one warm-up edit) in ``org_dir``."""
    return asyncio.run(_measure(org_dir.absolute(), runs, lint))[0]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` (all its threads), where /proc tells."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(root: Path, runs: int, lint: bool) -> tuple[list[float], float | None]:
    """Latencies, and the server's CPU seconds per timed edit (None: not known here)."""
    client = LanguageClient("kkctl-bench", "1")
    seen: dict[str, asyncio.Event] = {}
    latest: dict[str, list[t.Diagnostic]] = {}

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: t.PublishDiagnosticsParams) -> None:
        latest[params.uri] = list(params.diagnostics)
        event = seen.get(params.uri)
        if event is not None:
            event.set()

    env = {**os.environ, "KKCTL_LANG": "en"}
    await client.start_io(sys.executable, "-m", "kkctl", "lsp", env=env)
    try:
        await client.initialize_async(t.InitializeParams(
            capabilities=t.ClientCapabilities(), root_uri=root.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name=root.name)]))
        client.initialized(t.InitializedParams())
        path = _team_file(root)
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8")
        field = "    success_indicator: " if lint else "    leader: "
        code = "KK220" if lint else "KK102"
        line = next(line for line in text.splitlines() if line.startswith(field))
        broken = text.replace(line + "\n", "", 1) if lint else \
            text.replace(line, "    leader: nobody-at-all", 1)
        client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
            uri=uri, language_id="yaml", version=1, text=text)))
        times: list[float] = []
        pid = client._server.pid if client._server is not None else 0
        cpu_before: float | None = None
        for run in range(runs + 1):  # the first edit warms the caches up: not counted
            want_error = run % 2 == 0
            event = seen[uri] = asyncio.Event()
            started = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=uri, version=run + 2),
                [t.TextDocumentContentChangeWholeDocument(
                    text=broken if want_error else text)]))
            while True:
                await asyncio.wait_for(event.wait(), timeout=120)
                event.clear()
                has_error = any(d.code == code for d in latest.get(uri, []))
                if has_error == want_error:
                    break
            if run:
                times.append(time.perf_counter() - started)
            else:
                cpu_before = _cpu_seconds(pid)
        cpu_after = _cpu_seconds(pid)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    cpu = cpu_after - cpu_before if cpu_after is not None and cpu_before is not None else None
    return times, cpu / runs if cpu is not None and runs else None


def _team_file(root: Path) -> Path:
    """A file with a team whose leader can be broken: the generator's teams folder, else the
    first file with a ``leader:`` line."""
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\n    leader: " in text and "\n    success_indicator: " in text:
            return path
    raise SystemExit(f"{root}: no team with a leader and a success indicator to edit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("org", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lint", action="store_true", help="time a lint finding (KK220)")
    args = parser.parse_args()
    times, cpu = asyncio.run(_measure(args.org.absolute(), args.runs, args.lint))
    median = statistics.median(times)
    what = "lint findings" if args.lint else "diagnostics"
    spent = f"; server CPU {cpu * 1000:.0f} ms per edit" if cpu is not None else ""
    print(f"edit -> {what}: median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"over {len(times)} edits (budget {BUDGET * 1000:.0f} ms){spent}")


if __name__ == "__main__":
    main()
