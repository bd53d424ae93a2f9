"""The command line: parse options, call the model's functions, pick an output format.

Heavy modules are imported inside the commands so that ``kkctl --version`` stays instant.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kkctl import __version__

if TYPE_CHECKING:
    from kkctl.diagnostics import Diagnostic
    from kkctl.model import Canvas
    from kkctl.project import UsageError
    from kkctl.report.render import TemplateProblem
    from kkctl.safeio import UnsafeFileError

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
    State.debug = debug or State.debug


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
    from kkctl.diagnostics import Severity
    from kkctl.loader import Options, check

    checked = check(path, Options(use_cache=not no_cache, max_file_size=max_file_size))
    _emit("validate", checked.diagnostics, checked.files, checked.locale, fmt, lang, output)
    failed = any(d.severity is Severity.ERROR for d in checked.diagnostics)
    raise typer.Exit(1 if failed else 0)


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
    no_cache: NoCacheOpt = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
) -> None:
    """Check the organisation against the methodology's rules (validates first)."""
    if list_rules:
        from kkctl.lint.listing import rules_table

        sys.stdout.write(rules_table(fmt.value, lang.value if lang else None))
        return
    from kkctl.diagnostics import Diagnostic, Severity
    from kkctl.lint import config as lint_config
    from kkctl.lint import engine, suppress
    from kkctl.loader import Options, load
    from kkctl.project import UsageError
    from kkctl.textio import write_atomic

    loaded = load(path, Options(use_cache=not no_cache, max_file_size=max_file_size))
    try:
        config, problems = lint_config.resolve(
            loaded.org, profile.value if profile else None, _names(select), _names(ignore))
        baseline = None if write_baseline else suppress.read_baseline(loaded.project.root)
    except (lint_config.ConfigError, suppress.BaselineError) as err:
        raise UsageError(str(err)) from err
    result = engine.run(loaded, config, baseline)
    if write_baseline:
        target = loaded.project.root / suppress.BASELINE_FILE
        write_atomic(target, suppress.baseline_text(result.diagnostics), root=loaded.project.root)
        typer.echo(f"wrote {len(result.diagnostics)} findings to {target}", err=True)
        return
    diagnostics: list[Diagnostic] = sorted([*loaded.diagnostics, *problems,
                                            *result.diagnostics], key=Diagnostic.sort_key)
    _emit("lint", diagnostics, [f.path for f in loaded.files], loaded.org.settings.locale,
          fmt, lang, output, baselined=result.baselined)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    raise typer.Exit(1 if any(d.severity in failing for d in diagnostics) else 0)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A lint rule's slug or code.")],
    lang: LangOpt = None,
) -> None:
    """Explain a lint rule: why it exists, its source, options and examples."""
    from kkctl.lint.listing import explain_rule
    from kkctl.lint.registry import find
    from kkctl.messages import detect_lang
    from kkctl.project import UsageError

    found = find(rule)
    if found is None:
        raise UsageError(f"no lint rule '{rule}'; 'kkctl lint --list-rules' lists them")
    sys.stdout.write(explain_rule(found, detect_lang(lang.value if lang else None, None)))


def _names(values: list[str] | None) -> list[str]:
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


class BonusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command()
def bonus(
    path: PathArg = None,
    period: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="Period id (default: the latest period).")] = None,
    scheme: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        help="Only these reward schemes (repeat or separate with commas).")] = None,
    all_periods: Annotated[bool, typer.Option("--all", help="Every period: carried losses "
                                              "and deposit balances over time.")] = False,
    fmt: Annotated[BonusFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = BonusFormat.table,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", "-o", help="Write to FILE instead of standard output.")] = None,
    decimal_comma: Annotated[bool, typer.Option(
        "--decimal-comma", help="CSV: decimal comma and ';' between cells.")] = False,
    bom: Annotated[bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte order mark "
                                      "(for spreadsheet programs).")] = False,
    verify: Annotated[bool, typer.Option(
        "--verify", help="Recompute every closed period (with 'paid') and fail where the "
                         "history no longer reproduces what was paid.")] = False,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compute bonuses of a period: pool, carried losses, deposit, each person's share."""
    from kkctl.bonus import render
    from kkctl.bonus.compute import compute
    from kkctl.bonus.compute import verify as verify_paid
    from kkctl.diagnostics import Severity
    from kkctl.loader import Options, load
    from kkctl.messages import detect_lang
    from kkctl.messages import render as message
    from kkctl.textio import refuse_inputs, terminal_safe, write_atomic

    loaded = load(path, Options(use_cache=not no_cache))
    language = detect_lang(lang.value if lang else None, loaded.org.settings.locale)
    files = [f.path for f in loaded.files]
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    run = compute(loaded.org) if not errors else None
    problems = errors or (run.diagnostics if run else [])
    if run is not None and verify:
        problems = problems + verify_paid(run, loaded.org)
    if run is None or any(d.severity is Severity.ERROR for d in problems):
        _emit("bonus", problems, files, loaded.org.settings.locale, Format.text, lang, None)
        raise typer.Exit(1)
    for warning in problems:  # shown, but nobody's pay depends on them
        typer.echo(terminal_safe(f"{warning.file}:{warning.line}:{warning.column}: warning "
                                 f"{warning.code} {warning.message(language)}"), err=True)
    if verify:
        closed = sum(1 for p in run.periods if p.paid)
        typer.echo(message("bonus.verified", language, {"count": closed}))
        return
    known = [p.id for p in run.periods]
    if not known:
        typer.echo(message("bonus.no_periods", language, {}), err=True)
        raise typer.Exit(1)
    chosen = period or known[-1]
    if chosen not in known:
        typer.echo("kkctl: " + message("bonus.unknown_period", language,
                                       {"period": chosen, "known": ", ".join(known)}), err=True)
        raise typer.Exit(1)
    schemes = _names(scheme) or None
    ids = known if all_periods else [chosen]
    refuse_inputs(out, files)
    if fmt is BonusFormat.json:
        text = render.as_json(run, ids, schemes)
    elif fmt is BonusFormat.csv:
        text = render.as_csv(run, ids, schemes, decimal_comma, bom)
    elif fmt is BonusFormat.markdown:
        text = "\n".join(render.markdown(run, i, language, schemes) for i in ids)
    elif all_periods:
        text = terminal_safe(render.history(run, language, schemes))
    else:
        text = terminal_safe(render.table(run, chosen, language, schemes))
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


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
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the council meeting report: Markdown with Mermaid charts."""
    from kkctl.bonus.compute import compute
    from kkctl.diagnostics import Severity
    from kkctl.lint import config as lint_config
    from kkctl.lint import engine, suppress
    from kkctl.loader import Options, load
    from kkctl.messages import detect_lang
    from kkctl.messages import render as message
    from kkctl.project import UsageError
    from kkctl.report import data, render
    from kkctl.safeio import read_previous_output
    from kkctl.textio import refuse_inputs, write_atomic

    if check and out is None:
        raise UsageError("--check needs --out FILE: the report to compare with")
    loaded = load(path, Options(use_cache=not no_cache))
    refuse_inputs(out, [f.path for f in loaded.files])
    language = detect_lang(lang.value if lang else None, loaded.org.settings.locale)
    _check_report_paths(out, assets, template, language)
    config, problems = lint_config.resolve(loaded.org)
    try:
        baseline = suppress.read_baseline(loaded.project.root)
    except suppress.BaselineError as err:
        raise UsageError(str(err)) from err
    findings = [*problems, *engine.run(loaded, config, baseline).diagnostics]
    broken = any(d.severity is Severity.ERROR for d in loaded.diagnostics)
    run = None if broken else compute(loaded.org)
    if run is not None and any(d.severity is Severity.ERROR for d in run.diagnostics):
        findings += run.diagnostics  # listed in the report's health section, not paid out
        run = None
    chosen = None
    if run is not None and run.periods:
        known = [p.id for p in run.periods]
        wanted = period or known[-1]
        if wanted not in known:
            typer.echo("kkctl: " + message("bonus.unknown_period", language,
                                           {"period": wanted, "known": ", ".join(known)}),
                       err=True)
            raise typer.Exit(1)
        chosen = next(p for p in run.periods if p.id == wanted)
    # everything is rendered in memory first: a failing template leaves no file behind
    svgs = _render_charts(loaded.org.canvases, assets, out, template, language) \
        if assets is not None and not check else {}
    context = data.build(data.ReportInput(
        loaded, findings, run, chosen, language, include_payouts,
        _git_revision(loaded.project.root) if with_revision else None,
        {name: link for name, (_, link, _) in svgs.items()}))
    previous = read_previous_output(out, loaded.project.root)  # untrusted: kkctl.safeio
    try:
        text = render.keep_custom_blocks(render.render_markdown(context, template), previous)
    except render.TemplateProblem as err:  # the sandbox's SecurityError included
        raise _template_error(err, language) from err
    if check:
        assert out is not None
        if previous == text:
            typer.echo(f"{out}: up to date", err=True)
            return
        sys.stdout.write(render.short_diff(previous or "", text, str(out)))
        typer.echo(f"{out} is out of date: run the same command without --check", err=True)
        raise typer.Exit(1)
    for target, _, svg in svgs.values():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, svg)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


def _check_report_paths(out: Path | None, assets: Path | None, template: Path | None,
                        language: str) -> None:
    """Refuse unusable paths before any work, and before anything is written."""
    from kkctl import outpaths

    if out is not None:
        outpaths.check_output_file("--out", out, language)
    if assets is not None:
        outpaths.check_output_folder("--assets", assets, language)
    if template is not None:
        outpaths.check_template_folder(template, language)


def _render_charts(canvases: list[Canvas], assets: Path, out: Path | None,
                   template: Path | None, language: str) -> dict[str, tuple[Path, str, str]]:
    """``{chart name: (SVG file, link from the report, SVG text)}``, nothing written yet."""
    from kkctl.report import render

    base = (out.parent if out is not None else Path.cwd()).resolve()
    charts = {}
    for canvas in canvases:
        target = assets / _asset_name(canvas.id)
        try:
            svg = render.render_canvas_svg(canvas, template)
        except render.TemplateProblem as err:
            raise _template_error(err, language) from err
        link = os.path.relpath(target.resolve(), base).replace(os.sep, "/")
        charts[f"canvas-{canvas.id}"] = (target, link, svg)
    return charts


def _asset_name(ident: str) -> str:
    """A chart's file name: the canvas id when it is a plain slug, else a hash of it. The
    report runs on organisations that fail validation, so an id such as ``../../x`` must not
    lead the file out of the assets folder."""
    import hashlib
    import re

    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}", ident):
        return f"canvas-{ident}.svg"
    return f"canvas-{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.svg"


def _template_error(err: TemplateProblem, language: str) -> UsageError:
    """``file:line: what went wrong; what to do`` for a report.render.TemplateProblem."""
    from kkctl.messages import render as message
    from kkctl.project import UsageError
    from kkctl.textio import one_line

    text = message(err.message_id, language, err.message_args)
    if err.file:
        where = os.path.relpath(err.file) if err.file.startswith(os.getcwd() + os.sep) \
            else err.file
        text = f"{where}:{err.line}: {text}" if err.line else f"{where}: {text}"
    return UsageError(one_line(text))


def _git_revision(folder: Path) -> str | None:
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


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
    lang: LangOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Review an organisation change between git revisions: entities, lint, bonus."""
    from kkctl import diff as diffing
    from kkctl.diff import render as diff_render
    from kkctl.loader import Options
    from kkctl.messages import detect_lang
    from kkctl.project import UsageError
    from kkctl.textio import terminal_safe, write_atomic

    revisions: list[str] = []
    path: str | None = None
    for arg in args or []:
        if path is None and Path(arg).exists():
            path = arg
        else:
            revisions.append(arg)
    if paths is not None and revisions:
        raise UsageError("--paths compares two folders: give no revisions with it")
    result = diffing.run(revisions, path, Options(use_cache=not no_cache), include_payouts,
                         paths)
    language = detect_lang(lang.value if lang else None, None)
    if fmt is DiffFormat.json:
        text = diff_render.as_json(result)
    elif fmt is DiffFormat.markdown:
        text = diff_render.markdown(result, language)
    else:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = terminal_safe(diff_render.text(result, language, color))
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    raise typer.Exit(1 if exit_code and result.changes else 0)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to create the organisation.")
                      ] = Path("."),
    lang: Annotated[Lang, typer.Option("--lang", help="Language of names and comments.")
                    ] = Lang.en,
) -> None:
    """Start a new organisation: kkctl.yaml and org/ walking the nine steps, plus CI."""
    from kkctl.init import scaffold

    written = scaffold(folder, lang.value)
    for path in written:
        typer.echo(f"created {path}")
    typer.echo(f"next: kkctl lint {folder}", err=True)


@app.command()
def fmt(
    path: PathArg = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Change nothing; exit 1 listing the files that would change.")] = False,
    max_file_size: MaxSizeOpt = 20 * 1024 * 1024,
    lang: LangOpt = None,
) -> None:
    """Format the YAML canonically, keeping every comment (keys in order, even indentation)."""
    from kkctl.fmt import FormatError, format_file
    from kkctl.loader import Options, _exclude_of, _Reader  # one discovery for every command
    from kkctl.messages import detect_lang
    from kkctl.messages import render as message
    from kkctl.project import UsageError, list_files, locate
    from kkctl.safeio import UnsafeFileError
    from kkctl.textio import write_atomic

    project = locate(path)
    first = _Reader(project, Options(use_cache=False, max_file_size=max_file_size)).read(
        project.project_file)
    sort, locale = _fmt_settings(first.data)
    language = detect_lang(lang.value if lang else None, locale)
    changed, failed = [], []
    for file in list_files(project, _exclude_of(first)):
        name = project.display(file)
        try:
            result = format_file(file, sort, max_file_size, project.root, name)
        except UnsafeFileError as err:  # not read at all: where, why, what to do
            failed.append(_unsafe_line(err, language))
            continue
        except (FormatError, OSError) as err:
            failed.append(f"{name}: " + message("fmt.cannot_format", language,
                                                {"reason": str(err)}))
            continue
        if result.changed:
            changed.append(name)
            if not check:
                try:
                    write_atomic(file, result.after, root=project.root)
                except UsageError:
                    _echo_lines(failed)  # what was found so far, then why fmt stops
                    raise
    _echo_lines(failed)
    if check:
        for name in changed:
            typer.echo(f"would reformat {name}")
        typer.echo(f"{len(changed)} files would be reformatted" if changed else
                   "all files are formatted", err=True)
        raise typer.Exit(1 if changed or failed else 0)
    typer.echo(f"reformatted {len(changed)} files", err=True)
    raise typer.Exit(1 if failed else 0)


def _fmt_settings(data: object) -> tuple[bool, str | None]:
    """``fmt: {sort: true}`` and the organisation's locale, from kkctl.yaml's data."""
    if not isinstance(data, dict):
        return False, None
    settings, organisation = data.get("fmt"), data.get("organisation")
    sort = bool(settings.get("sort")) if isinstance(settings, dict) else False
    locale = organisation.get("locale") if isinstance(organisation, dict) else None
    return sort, locale if isinstance(locale, str) else None


def _unsafe_line(err: UnsafeFileError, language: str) -> str:
    """``file:line:col: message``; over the size limit, say how to raise it (--max-file-size)."""
    from kkctl.messages import render

    message_id = "file.too_large" if err.message_id == "file.over_limit" else err.message_id
    return f"{err.display}:{err.line}:{err.column}: " \
           f"{render(message_id, language, err.message_args)}"


def _echo_lines(lines: list[str]) -> None:
    from kkctl.textio import terminal_safe

    for line in lines:
        typer.echo(terminal_safe(line), err=True)


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
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / SCHEMA_FILE, text)
    typer.echo(f"wrote {out / SCHEMA_FILE}", err=True)


def _emit(command: str, diagnostics: list[Diagnostic], files: list[str], locale: str | None,
          fmt: Format, lang: Lang | None, output: Path | None, baselined: int = 0) -> None:
    from kkctl.diagnostics import Summary
    from kkctl.messages import detect_lang
    from kkctl.reporters import Report, render
    from kkctl.textio import refuse_inputs, write_atomic

    language = detect_lang(lang.value if lang else None, locale)
    color = (fmt is Format.text and output is None and sys.stdout.isatty()
             and "NO_COLOR" not in os.environ)
    summary = Summary.of(diagnostics, len(files))
    summary.baselined = baselined
    report = Report(command, diagnostics, summary, files, language, color)
    text = render(fmt.value, report)
    refuse_inputs(output, files)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
