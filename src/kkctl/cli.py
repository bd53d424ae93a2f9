"""The command line: parse options, call the command's function, render its outcome.

No decision about the organisation is made here: each command's function lives in the
package that owns the job (``kkctl.loader.check``, ``kkctl.lint.app.lint``,
``kkctl.bonus.app.bonus``, ``kkctl.report.app.report``, ``kkctl.diff.run``,
``kkctl.fmt.format_project``, ``kkctl.init.scaffold``) and returns a result with its exit
status. Heavy modules are imported inside the commands so that ``kkctl --version`` stays
instant.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kkctl import __version__, fastpath
from kkctl.fastpath import color as _color
from kkctl.fastpath import deliver as _deliver
from kkctl.fastpath import names as _names

if TYPE_CHECKING:
    from collections.abc import Callable

    from kkctl.bonus.request import BonusRequest
    from kkctl.diagnostics import Diagnostic
    from kkctl.loader import Loaded
    from kkctl.memo import Effects
    from kkctl.report.request import ReportRequest

app = typer.Typer(
    name="kkctl",
    help="Clientocracy (Клиентократия) organisation as code: validate, lint, pay and report "
         "an organisation kept in YAML.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


class Lang(str, Enum):
    en = "en"
    ru = "ru"


class State:
    debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kkctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal "
                                        "errors.")] = False,
) -> None:
    """kkctl keeps a clientocratic organisation in version-controlled YAML."""
    from kkctl.i18n import remember

    State.debug = debug or State.debug
    remember(None)  # a new command: no organisation's locale yet


PathArg = Annotated[Optional[str], typer.Argument(  # noqa: UP045 - typer needs Optional
    help="Project folder, its kkctl.yaml, or one self-contained YAML file. "
         "Default: search upward from the current folder.", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[Optional[Lang], typer.Option(  # noqa: UP045
    "--lang", help="Language of messages (default: the organisation's locale).")]
OutputOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--output", "-o", help="Write the report to FILE instead of standard output.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the parse "
                                          "cache.")]
MaxSizeOpt = Annotated[int, typer.Option("--max-file-size", help="Largest YAML file read, in "
                                         "bytes.", min=1)]


@app.command()
def validate(
    path: PathArg = None,
    fmt: FormatOpt = Format.text,
    lang: LangOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
) -> None:
    """Check the YAML against the format: schema, references, unique ids."""
    # the body is shared with the fast path kkctl.__main__ takes without typer
    raise typer.Exit(fastpath.validate(
        path=path, fmt=fmt.value, lang=lang.value if lang else None, output=output,
        no_cache=no_cache, max_file_size=max_file_size))


class Profile(str, Enum):
    minimal = "minimal"
    recommended = "recommended"
    strict = "strict"


@app.command()
def lint(
    path: PathArg = None,
    fmt: FormatOpt = Format.text,
    lang: LangOpt = None,
    output: OutputOpt = None,
    profile: Annotated[Optional[Profile], typer.Option(  # noqa: UP045
        help="Rule set (default: kkctl.yaml's lint.profile, else recommended).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    select: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        help="Run only these rules (slugs or codes; repeat or separate with commas).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        help="Do not run these rules (slugs or codes).")] = None,
    write_baseline: Annotated[bool, typer.Option(
        "--write-baseline", help="Accept today's findings: write .kkctl-baseline.json.")] = False,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List the rules and "
                                             "exit.")] = False,
    stage: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--stage", min=1, max=9, help="Apply the rules of adoption steps 1..N (default: "
        "kkctl.yaml's lint.stage, else the last step the organisation has started; "
        "9: every rule).")] = None,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="Print how many findings each rule has instead of the "
        "findings (text or json).")] = False,
    max_per_rule: Annotated[int, typer.Option(
        "--max-per-rule", min=0, help="Text output: list at most N findings of a rule, then "
        "count the rest (0: list all).")] = 10,
    no_cache: NoCacheOpt = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
) -> None:
    """Check the organisation against the methodology's rules (validates first)."""
    # the body is shared with the fast path kkctl.__main__ takes without typer
    status, notice = fastpath.lint(
        path=path, fmt=fmt.value, lang=lang.value if lang else None, output=output,
        profile=profile.value if profile else None, strict=strict, select=select,
        ignore=ignore, write_baseline=write_baseline, list_rules=list_rules, stage=stage,
        statistics=statistics, max_per_rule=max_per_rule, no_cache=no_cache,
        max_file_size=max_file_size)
    if notice is not None:
        typer.echo(notice, err=True)
    raise typer.Exit(status)


@app.command()
def explain(
    code: Annotated[str, typer.Argument(
        help="A diagnostic code (KK001, KK102, KK219, KK308) or its name "
             "(duplicate-id, promise-loop).")],
    lang: LangOpt = None,
) -> None:
    """Explain any diagnostic code: a lint rule (why it exists, its source, options and
    examples), or a validation or bonus code (a typical cause, the fix, an example)."""
    from kkctl.lint.listing import explain
    from kkctl.messages import detect_lang

    sys.stdout.write(explain(code, detect_lang(lang.value if lang else None, None)))


class StatusFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def status(
    path: PathArg = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", "-f", help="Output format.")]
    = StatusFormat.text,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show how far the organisation is along the nine steps of clientocracy, and the next."""
    from kkctl.loader import Options
    from kkctl.steps import status as checklist

    sys.stdout.write(checklist(path, Options(use_cache=not no_cache),
                               fmt is StatusFormat.json, lang.value if lang else None))


class BonusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    csv_pools = "csv-pools"
    csv_totals = "csv-totals"
    markdown = "markdown"
    xlsx = "xlsx"


@app.command()
def bonus(
    path: PathArg = None,
    period: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="Period id (default: the latest period).")] = None,
    scheme: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        help="Only these reward schemes (repeat or separate with commas).")] = None,
    all_periods: Annotated[bool, typer.Option("--all", help="Every period: the loss carried "
                                              "into and out of each, deposit balances.")
                           ] = False,
    fmt: Annotated[BonusFormat, typer.Option(
        "--format", "-f", help="Output format: csv is one row per person, csv-pools one per "
                               "scheme, csv-totals one per period; xlsx is a workbook of all "
                               "three (needs --out).")] = BonusFormat.table,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", "-o", help="Write to FILE instead of standard output.")] = None,
    csv_dialect: Annotated[Optional[Lang], typer.Option(  # noqa: UP045
        "--csv-dialect", help="CSV for a spreadsheet in this language: ru is ';', decimal "
                              "comma, UTF-8 with BOM, Russian headers; en is ',', decimal "
                              "point, no BOM, English headers (default: the statement's "
                              "language).")] = None,
    decimal_comma: Annotated[bool, typer.Option(
        "--decimal-comma", help="CSV: decimal comma and ';' between cells (whatever the "
                                "dialect).")] = False,
    bom: Annotated[bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte order mark "
                                      "(whatever the dialect).")] = False,
    verify: Annotated[bool, typer.Option(
        "--verify", help="Recompute every closed period (with 'paid') and fail where the "
                         "history no longer reproduces what was paid.")] = False,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compute bonuses of a period: pool, carried losses, deposit, each person's share."""
    from kkctl.bonus.request import BonusRequest
    from kkctl.loader import Options, snapshot
    from kkctl.memo import cached_effects

    request = BonusRequest(
        period, _names(scheme) or None, all_periods, verify, lang.value if lang else None,
        Options(use_cache=not no_cache), fmt.value, csv_dialect.value if csv_dialect else None,
        decimal_comma, bom, out)
    snap = snapshot(path, request.options)
    effects = cached_effects(snap, "bonus", request.key(),
                             lambda load: _bonus_effects(path, request, load))
    raise typer.Exit(effects.apply())


def _bonus_effects(path: str | None, request: BonusRequest,
                   load_org: Callable[[], Loaded] | None) -> Effects:
    """What ``kkctl bonus`` prints and writes: the problems that block the payout as a
    report, else the warnings and notices on standard error and the statement on standard
    output or in ``--out``."""
    from kkctl.bonus.app import bonus
    from kkctl.bonus.render import document as statement_text
    from kkctl.bonus.render import warning_line
    from kkctl.fastpath import render_diagnostics
    from kkctl.memo import Effects
    from kkctl.messages import render as message
    from kkctl.textio import terminal_safe

    outcome = bonus(path, request, load_org)
    effects = Effects(outcome.files)
    if outcome.problems:
        effects.out(render_diagnostics("bonus", outcome.problems, outcome.files,
                                       outcome.loaded.org.settings.locale, "text",
                                       request.lang, None))
        effects.status = outcome.status
        return effects
    for warning in outcome.warnings:  # shown, but nobody's pay depends on them
        effects.err(terminal_safe(warning_line(warning, outcome.language)))
    if outcome.notice is not None:
        message_id, args, to_stderr = outcome.notice
        text = message(message_id, outcome.language, args)
        effects.err(text) if to_stderr else effects.out(text + "\n")
    if outcome.run is None or outcome.chosen is None:
        effects.status = outcome.status
        return effects
    document = statement_text(outcome)  # never onto an input: Effects.apply refuses it
    if request.out is None:
        effects.out(document)
    else:
        effects.write(request.out, document)
    return effects


def _report_effects(path: str | None, request: ReportRequest,
                    load_org: Callable[[], Loaded] | None) -> Effects:
    from kkctl.report.app import report_effects  # the report's machinery: only on a miss

    return report_effects(path, request, load_org)


@app.command()
def report(
    path: PathArg = None,
    period: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="Period id (default: the latest period).")] = None,
    lang: LangOpt = None,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", "-o", help="Write the report to FILE (custom blocks in it are kept).")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 1 with a short diff if --out is not up to date.")] = False,
    template: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        help="Folder of Jinja2 templates overriding the shipped ones (sandboxed).")] = None,
    assets: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        help="Also write the charts as SVG files into this folder and link them.")] = None,
    include_payouts: Annotated[bool, typer.Option(
        "--include-payouts", help="Show each person's bonus (hidden by default).")] = False,
    with_revision: Annotated[bool, typer.Option(
        "--with-revision", help="Name the git revision in the header (not for --check: it "
                                "changes with every commit).")] = False,
    since: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--since", metavar="REV", help="Add what changed in the organisation since git "
                                       "revision REV (as 'kkctl diff REV').")] = None,
    pages: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--pages", metavar="DIR", help="Also write detail pages (every unit, every row the "
                                       "main page leaves out) into DIR and link them.")] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the council meeting report: Markdown with Mermaid charts."""
    from kkctl.loader import Options, snapshot
    from kkctl.memo import cached_effects
    from kkctl.messages import detect_lang
    from kkctl.report.request import ReportRequest, cache_parts, check_paths

    request = ReportRequest(
        period, lang.value if lang else None, out, check, template, assets, include_payouts,
        with_revision, Options(use_cache=not no_cache), since=since, pages=pages)
    snap = snapshot(path, request.options)
    parts = None
    if snap is not None:
        check_paths(request, detect_lang(request.lang, snap.locale))
        parts = cache_parts(request, snap.project.root)
    effects = cached_effects(snap, "report", parts,
                             lambda load: _report_effects(path, request, load))
    raise typer.Exit(effects.apply())


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command()
def diff(
    args: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="[BASE [HEAD]] [PATH]",
        help="Git revisions (BASE default HEAD, HEAD default the working tree) and the "
             "project.", show_default=False)] = None,
    paths: Annotated[Optional[tuple[str, str]], typer.Option(  # noqa: UP045
        "--paths", help="Compare two folders or files instead of git revisions.")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = DiffFormat.text,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit 1 when there are changes, like git diff.")] = False,
    include_payouts: Annotated[bool, typer.Option(
        "--include-payouts", help="Show each person's bonus change.")] = False,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when the change introduces findings of this severity or "
                          "worse (warning: errors too).")] = FailOn.never,
    lang: LangOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Review an organisation change between git revisions: what changed, the findings it
    introduces, people and bonus pools it moves, then the details."""
    from kkctl import diff as diffing
    from kkctl.diagnostics import Severity
    from kkctl.diff import render as diff_render
    from kkctl.loader import Options
    from kkctl.messages import detect_lang
    from kkctl.messages import render as message
    from kkctl.textio import refuse_inputs, terminal_safe

    revisions, path = diffing.split_arguments(args or [], paths)
    result = diffing.run(revisions, path, Options(use_cache=not no_cache), include_payouts,
                         paths)
    language = detect_lang(lang.value if lang else None, result.locale)
    if fmt is DiffFormat.json:
        text = diff_render.as_json(result, language)
    elif fmt is DiffFormat.markdown:
        text = diff_render.markdown(result, language)
    else:
        text = terminal_safe(diff_render.text(result, language, _color(output)))
    refuse_inputs(output, result.files)
    _deliver(text, output)
    failed = False
    if fail_on is not FailOn.never:
        level = Severity(fail_on.value)
        failed = any(d.severity.rank <= level.rank for d in result.lint.introduced)
        if failed:  # said on stderr: the exit code alone does not say which check failed
            what = diff_render.introduced_phrase(result.lint, language, at_least=level)
            typer.echo("kkctl: " + message("diff.fail_on", language,
                                           {"what": what, "level": fail_on.value}), err=True)
    raise typer.Exit(1 if failed or (exit_code and result.changes) else 0)


@app.command()
def log(
    path: PathArg = None,
    since: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--since", metavar="REV", help="Only the commits after git revision REV (as 'git log "
                                       "REV..HEAD').")] = None,
    entity: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--entity", metavar="ID", help="Only what happened to this person, team, promise "
                                       "... (its id).")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = DiffFormat.text,
    lang: LangOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
) -> None:
    """The organisation's journal: what each commit changed, as events (joins and leaves,
    promises given and withdrawn, authorities moved, periods closed)."""
    from kkctl.diff import journal
    from kkctl.diff import journal_render as words
    from kkctl.loader import Options
    from kkctl.messages import detect_lang
    from kkctl.textio import refuse_inputs, terminal_safe

    found = journal.run(path, since, entity, Options(use_cache=not no_cache,
                                                     max_file_size=max_file_size))
    language = detect_lang(lang.value if lang else None, found.locale)
    if fmt is DiffFormat.json:
        text = words.as_json(found, language)
    elif fmt is DiffFormat.markdown:
        text = words.markdown(found, language)
    else:
        text = terminal_safe(words.text(found, language))
    note = words.shallow_note(found, language)
    if note is not None:
        typer.echo("kkctl: " + note, err=True)
    refuse_inputs(output, found.files)
    _deliver(text, output)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to create the organisation.")
                      ] = Path("."),
    lang: Annotated[Lang, typer.Option("--lang", help="Language of names and comments.")
                    ] = Lang.en,
) -> None:
    """Start a new organisation: kkctl.yaml and org/ walking the nine steps, plus CI."""
    from kkctl.init import scaffold
    from kkctl.messages import render

    written = scaffold(folder, lang.value)
    for path in written:
        typer.echo(render("init.created", lang.value, {"path": str(path)}))
    typer.echo(render("init.next", lang.value, {"folder": str(folder)}), err=True)


class ImportKind(str, Enum):
    staff = "staff"
    backstage = "backstage"
    peribolos = "peribolos"


@app.command("import")
def import_(
    kind: Annotated[ImportKind, typer.Argument(
        metavar="KIND", help="What the source is: staff (a staff table, CSV or XLSX), "
                             "backstage (a catalog), peribolos (a GitHub organisation).")],
    source: Annotated[Path, typer.Argument(metavar="INPUT", help="The file or folder to read.")],
    out: Annotated[Path, typer.Option("--out", help="The project folder to create or update.")
                   ] = Path("."),
    column: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--column", help="staff: FIELD=HEADER for a column whose header kkctl does not know "
                         "(fields: name, id, email, department, parent, role, manager, from, "
                         "to).")] = None,
    admins_team: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--admins-team", help="peribolos: the team that holds the organisation's admin "
                              "rights (default: the council of managers).")] = None,
    name: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--name", help="The organisation's name (default: from the source).")] = None,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--as-of", help="The date memberships of people who left end (YYYY-MM-DD; default "
                        "today).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; show the change "
                                          "as kkctl diff does.")] = False,
    lang: Annotated[Optional[Lang], typer.Option(  # noqa: UP045
        "--lang", help="Language of IMPORTED.md and messages (default: the project's, the "
                       "source's headers', the environment's).")] = None,
) -> None:
    """Create or update a project from a staff table, a Backstage catalog or Peribolos."""
    from kkctl.importing.app import ImportRequest, parse_columns, parse_date, run
    from kkctl.messages import render as message
    from kkctl.textio import terminal_safe

    outcome = run(ImportRequest(kind.value, source, out, parse_columns(column or []),
                                admins_team, name, lang.value if lang else None, dry_run,
                                parse_date(as_of)))
    for line in outcome.report():
        typer.echo(terminal_safe(line), err=True)
    if outcome.preview:
        sys.stdout.write(terminal_safe(outcome.preview))
    typer.echo(message(outcome.summary_id, outcome.lang, outcome.summary_args(str(out))),
               err=True)
    raise typer.Exit(outcome.status)


@app.command()
def fmt(
    path: PathArg = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Change nothing; exit 1 listing the files that would change.")] = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
    no_cache: NoCacheOpt = False,
    lang: LangOpt = None,
) -> None:
    """Format the YAML canonically, keeping every comment (keys in order, even indentation)."""
    # the body is shared with the fast path kkctl.__main__ takes without typer
    raise typer.Exit(fastpath.fmt(path=path, check=check, max_file_size=max_file_size,
                                  no_cache=no_cache, lang=lang.value if lang else None))


@app.command()
def lsp(lang: LangOpt = None, max_file_size: MaxSizeOpt = 20 * 1024 * 1024) -> None:
    """Language server for editors: lint as you type, rename ids.

    Diagnostics of kkctl lint for unsaved buffers, go to definition and references of ids
    across files, hover, completion, rename, quick fixes; set-up in docs/editors.md."""
    from kkctl.lsp.server import serve

    serve(lang.value if lang else None, max_file_size)


@app.command()
def schema(
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", help="Write kkctl.schema.json into this folder (created if missing).")] = None,
) -> None:
    """Print or write the JSON Schema of the format, for editors and other tools."""
    from kkctl.schema import SCHEMA_FILE, bundle
    from kkctl.textio import dump_json, write_atomic

    text = dump_json(bundle())
    if out is None:
        sys.stdout.write(text)
        return
    from kkctl.messages import detect_lang, render

    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / SCHEMA_FILE, text)
    typer.echo(render("schema.written", detect_lang(None, None), {"path": str(out / SCHEMA_FILE)}),
               err=True)


def _emit(command: str, diagnostics: list[Diagnostic], files: list[str], locale: str | None,
          fmt: Format, lang: Lang | None, output: Path | None) -> None:
    """Print or write the diagnostics in ``fmt`` (:func:`kkctl.fastpath.emit`)."""
    fastpath.emit(command, diagnostics, files, locale, fmt.value, lang.value if lang else None,
                  output)
