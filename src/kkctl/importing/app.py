"""`kkctl import KIND INPUT --out DIR`: the command's function (cli.py only renders it).

Everything is read, checked and planned before the first byte is written: a bad input (no
header row, a missing column, managers in a circle, an empty or binary file) raises a
:class:`UsageError` and leaves the folder as it was. The files are then written one by one,
each atomically (:func:`kkctl.textio.write_atomic`), never outside ``--out``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from kkctl.diagnostics import Diagnostic
from kkctl.importing import writer
from kkctl.importing.core import IMPORT_CODE, Structure, shown_path, slug
from kkctl.importing.words import word
from kkctl.project import Project, UsageError

KINDS = ("staff", "backstage", "peribolos")


@dataclass
class ImportRequest:
    kind: str
    source: Path
    out: Path
    columns: dict[str, str] = field(default_factory=dict)  # --column FIELD=HEADER
    admins_team: str | None = None
    name: str | None = None  # the organisation's name, when the source does not say
    lang: str | None = None
    dry_run: bool = False
    as_of: dt.date | None = None  # the date leavers' memberships end (default today)


@dataclass
class ImportOutcome:
    status: int
    lang: str
    written: list[str]  # paths relative to --out
    diagnostics: list[Diagnostic]
    counts: writer.Counts
    people: int = 0
    teams: int = 0
    reimport: bool = False
    preview: str = ""  # --dry-run: the change, as kkctl diff shows it
    dry_run: bool = False

    def report(self) -> list[str]:
        """The source's problems as ``kkctl lint`` prints findings: file:line:col first."""
        from kkctl.codes import CODES

        slug_of = CODES[IMPORT_CODE].slug if IMPORT_CODE in CODES else ""
        return [f"{d.file}:{d.line}:{d.column}: {d.severity.value} {d.code} {slug_of}: "
                f"{d.message(self.lang)}" for d in self.diagnostics]

    @property
    def summary_id(self) -> str:
        if self.dry_run:
            return "import.dry_run"
        return "import.updated" if self.reimport else "import.done"

    def summary_args(self, out: str) -> dict[str, object]:
        c = self.counts
        return {"out": out, "people": self.people, "teams": self.teams,
                "added": c.people_added, "updated": c.people_updated,
                "teams_added": c.teams_added, "teams_updated": c.teams_updated,
                "joined": c.memberships_added, "ended": c.memberships_ended,
                "files": ", ".join(self.written) or "—"}


def parse_columns(items: list[str]) -> dict[str, str]:
    """``--column manager=Начальник`` (repeatable) as {field: header}."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise UsageError("import.bad_column", item=item)
        out[name.strip().lower()] = header.strip()
    from kkctl.importing.staff import FIELDS

    unknown = [name for name in out if name not in FIELDS]
    if unknown:
        raise UsageError("import.bad_field", field=unknown[0], fields=", ".join(FIELDS))
    return out


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise UsageError("import.bad_as_of", value=text) from err


def read_source(request: ImportRequest) -> Structure:
    shown = shown_path(request.source)
    if request.kind == "staff":
        from kkctl.importing import staff

        return staff.read(request.source, shown, request.columns)
    if request.kind == "backstage":
        from kkctl.importing import backstage

        return backstage.read(request.source, shown)
    if request.kind == "peribolos":
        from kkctl.importing import peribolos

        return peribolos.read(request.source, shown, request.admins_team)
    raise UsageError("import.bad_kind", kind=request.kind, kinds=", ".join(KINDS))


def run(request: ImportRequest) -> ImportOutcome:
    from kkctl.messages import detect_lang

    out = request.out
    reimport = _check_destination(out)
    structure = read_source(request)
    if request.name:
        structure.org_name = request.name
    writer.prune(structure)
    kept = {t.key for t in structure.teams}
    if any(a.holder_team is not None and a.holder_team not in kept
           for a in structure.authorities):
        raise UsageError("import.no_admins_team", team=request.admins_team or "")
    locale = _project_locale(out) if reimport else None
    lang = detect_lang(request.lang, locale or structure.lang)
    as_of = request.as_of or dt.date.today()
    plan, outcome = _plan(structure, request, reimport, lang, as_of)
    if request.dry_run:
        outcome.dry_run = True
        outcome.preview = _preview(plan, out, lang)
        return outcome
    _check_targets(out, plan.texts)  # all or nothing: every target checked before any write
    out.mkdir(parents=True, exist_ok=True)
    for rel, text in plan.texts.items():
        _write(out, rel, text)
        outcome.written.append(rel)
    return outcome


def _check_targets(out: Path, texts: dict[str, str]) -> None:
    """Refuse the import before its first write if any file it would write cannot be: a
    link out of ``--out`` (in the name or a folder above), a folder or a device where the
    file goes, a read-only file, a file where a folder goes, a folder that cannot be written.
    What is left (a full disk) is what no check can promise."""
    from kkctl.textio import _check_writable, _folder_problem, check_destination

    for rel in texts:
        target = out / rel
        check_destination(target, out)
        folder = target.parent
        while not folder.exists() and folder != out.parent and folder.parent != folder:
            folder = folder.parent  # the nearest folder that exists: mkdir will work in it
        if not folder.exists():
            continue
        problem = _folder_problem(folder)
        if problem is not None:
            raise UsageError("write.failed", path=str(target), reason=problem)
        if target.exists() or target.is_symlink():
            _check_writable(target, Path(os.path.realpath(target)), os.stat(target))


def _check_destination(out: Path) -> bool:
    """True for an existing project (a re-import); a folder holding anything else is
    refused, so an import never mixes a project into unrelated files."""
    if out.exists() and not out.is_dir():
        raise UsageError("import.out_not_folder", path=str(out))
    if (out / "kkctl.yaml").is_file():
        return True
    if out.exists() and any(not p.name.startswith(".") for p in out.iterdir()):
        raise UsageError("import.out_not_empty", path=str(out))
    return False


def _project_locale(out: Path) -> str | None:
    from kkctl.loader import declared_locale
    from kkctl.safeio import DEFAULT_LIMIT, read_bytes_safely

    # a kkctl.yaml that is a link out of --out, a FIFO or huge: refused by name, never read
    raw = read_bytes_safely(out / "kkctl.yaml", out, DEFAULT_LIMIT, str(out / "kkctl.yaml"))
    try:
        data = writer.yaml().load(raw.decode("utf-8"))
    except Exception:  # an unparsable kkctl.yaml: the loader reports it below
        return None
    return declared_locale(dict(data) if isinstance(data, dict) else None)


def _taken_ids(out: Path) -> set[str]:
    from kkctl.loader import load

    loaded = load(str(out))
    return set(loaded.org.by_id)


def _plan(structure: Structure, request: ImportRequest, reimport: bool, lang: str,
          as_of: dt.date) -> tuple[writer.Plan, ImportOutcome]:
    project = writer.Project(request.out, _taken_ids(request.out) if reimport else set())
    if not reimport:
        project.ids.claim(slug(structure.org_name, "organisation"))
    planner = writer.Planner(structure, project, as_of, reimport)
    counts = planner.run()
    plan = writer.Plan(request.out, project.texts(), counts, reimport)
    files = [writer.PEOPLE_FILE, writer.TEAMS_FILE]
    if not reimport:
        org_id = slug(structure.org_name, "organisation")
        plan.texts["kkctl.yaml"] = writer.project_file(structure, org_id, lang, as_of)
        council = writer.council_file(structure, planner.team_id, planner.person_id,
                                      project.ids.claim("council"), lang)
        if council is not None:
            plan.texts[writer.COUNCIL_FILE] = council
            files.append(writer.COUNCIL_FILE)
    plan.texts["IMPORTED.md"] = _imported(structure, lang, as_of, files)
    outcome = ImportOutcome(0, lang, [], [p.diagnostic() for p in structure.problems], counts,
                            len(structure.people), len(structure.teams), reimport)
    return plan, outcome


def _imported(structure: Structure, lang: str, today: dt.date, files: list[str]) -> str:
    """IMPORTED.md: what came from where, the source's problems, what to add by hand."""
    from kkctl.messages import render

    lines = [word("title", lang), "",
             word("intro", lang, kind=structure.kind, source=structure.source,
                  date=today.isoformat(), people=len(structure.people),
                  teams=len(structure.teams)), "",
             word("where_title", lang), "",
             word("people_line", lang, file=files[0]), word("teams_line", lang, file=files[1])]
    if len(files) > 2:
        lines.append(word("council_line", lang, file=files[2]))
    lines += ["", word(f"leaders_{structure.kind}", lang, file=files[1]), "",
              word("again", lang), "", word("problems_title", lang), ""]
    lines += [f"* `{p.where}`: {render(p.message_id, lang, dict(p.args))}"
              for p in structure.problems] or [word("no_problems", lang)]
    lines += ["", word("todo_title", lang), "", word("todo", lang)]
    return "\n".join(lines) + "\n"


def _write(root: Path, rel: str, text: str) -> None:
    from kkctl.textio import write_atomic

    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text, root=root)


def _preview(plan: writer.Plan, out: Path, lang: str) -> str:
    """The change as ``kkctl diff --paths`` shows it (a first import: the files it writes).

    The "after" side is built in memory, as ``kkctl diff`` holds a git revision: the
    project's files as on disk, the planned texts laid over them. Nothing is copied or
    written, so no link in the project can lead a write anywhere."""
    if not plan.reimport:
        return "".join(f"+ {rel}\n" for rel in plan.texts)
    from kkctl import diff as diffing
    from kkctl.diff import render
    from kkctl.loader import Options
    from kkctl.project import locate

    before = locate(os.fspath(out))
    files = writer.project_files(out)
    files.update((rel, text.encode("utf-8")) for rel, text in plan.texts.items())
    after = Project(root=before.root, project_file=before.project_file, files=files)
    result = diffing.compare_projects(before, after, os.fspath(out), word("after_import", lang),
                                      Options(use_cache=False))
    return render.text(result, lang)
