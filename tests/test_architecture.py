"""The rooms of docs/architecture.md, kept true: who may import whom, no import circles, and a
command line that only parses options and renders what the command functions return."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "kkctl"

# Room of each top-level module or subpackage of kkctl (see docs/architecture.md).
CORE = {"__init__", "i18n", "labels", "currency", "foreign", "project", "wildmatch", "safeio",
        "textio", "markup", "outpaths", "diagnostics", "messages", "codes", "yamlread", "cache",
        "model", "build", "references", "schema", "loader", "schemas", "templates", "steps",
        "background", "memo"}
# The command line: typer's app, and the fast path __main__ takes for a plain validate or lint.
CLI = {"cli", "fastpath"}
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "lint": {"core", "lint"},
    "bonus": {"core", "bonus"},
    "diff": {"core", "lint", "bonus", "diff"},
    "report": {"core", "lint", "bonus", "diff", "report"},
    "reporters": {"core", "lint", "reporters"},  # a rule's slug, severity and help text
    "fmt": {"core", "fmt"},
    "init": {"core", "init"},
    "ci_comment": {"core", "diff", "ci_comment"},  # the Action's pull-request comment
    "docgen": {"core", "lint", "docgen"},
    "importing": {"core", "fmt", "diff", "importing"},  # fmt's writer, diff's review
    "lsp": {"core", "lint", "reporters", "lsp"},  # the CLI's findings, codes and help links
    "cli": {"core", "lint", "bonus", "diff", "report", "reporters", "fmt", "init", "importing",
            "lsp", "cli"},
    "__main__": {"core", "cli", "__main__"},
}
# codes.describe() looks up a lint rule's metadata for a KK2xx code (SARIF, explain).
EXCEPTIONS = {("kkctl.codes", "kkctl.lint.registry")}
# What the command line may call: the command functions and the renderers, nothing that
# decides about the organisation (engine, compute, config, build, yamlread ...).
CLI_MAY_IMPORT = {"kkctl", "kkctl.loader", "kkctl.lint.app", "kkctl.lint.listing",
                  "kkctl.bonus.app", "kkctl.bonus.render", "kkctl.report.app",
                  "kkctl.report.render", "kkctl.diff", "kkctl.diff.render", "kkctl.fmt",
                  "kkctl.init", "kkctl.schema", "kkctl.messages", "kkctl.i18n", "kkctl.textio",
                  "kkctl.reporters", "kkctl.diagnostics", "kkctl.steps", "kkctl.diff.journal",
                  "kkctl.diff.journal_render", "kkctl.fastpath", "kkctl.lsp.server", "kkctl.memo",
                  "kkctl.bonus.request", "kkctl.report.request",
                  "kkctl.importing.app"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every kkctl import of every module, the ones inside functions included
    (``from kkctl.diff import render`` imports the module ``kkctl.diff.render``)."""
    modules = {_module(path) for path in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.split(".")[0] == "kkctl":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    edges[module].add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                edges[module].update(a.name for a in node.names if a.name.startswith("kkctl."))
        edges[module].discard(module)
    return edges


def _room(module: str) -> str:
    part = module.split(".")[1] if "." in module else "__init__"
    return "core" if part in CORE else "cli" if part in CLI else part


def test_every_module_has_a_room() -> None:
    rooms = {_room(m) for m in _imports()}
    assert rooms <= set(ALLOWED), f"modules in no room of docs/architecture.md: {rooms}"


def test_rooms_import_only_what_they_may() -> None:
    wrong = sorted(f"{a} -> {b}" for a, targets in _imports().items() for b in targets
                   if _room(b) not in ALLOWED[_room(a)] and (a, b) not in EXCEPTIONS)
    assert wrong == [], "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_no_import_circles() -> None:
    edges = _imports()
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> list[str] | None:
        seen[module] = 1
        for target in sorted(edges.get(module, ())):
            if seen.get(target) == 1:
                return [*path[path.index(target):], target] if target in path else \
                    [*path, target]
            if target not in seen:
                found = visit(target, [*path, target])
                if found:
                    return found
        seen[module] = 2
        return None

    for start in sorted(edges):
        if start not in seen:
            circle = visit(start, [start])
            assert circle is None, " -> ".join(circle)


def test_the_command_line_only_calls_command_functions_and_renderers() -> None:
    for module in ("kkctl.cli", "kkctl.fastpath"):
        extra = sorted(_imports()[module] - CLI_MAY_IMPORT)
        assert extra == [], f"{module} reaches into the domain directly: {extra}"


def test_architecture_page_names_every_room() -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for room in ALLOWED:
        assert f"`{room}`" in page, room
