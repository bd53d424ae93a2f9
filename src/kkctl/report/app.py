"""`kkctl report` as a function: everything decided and rendered in memory, nothing written.

The caller writes :attr:`ReportOutcome.text` and the charts, or compares with the previous
report for ``--check``; a failing template therefore never leaves a file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kkctl.background import Background, in_background
from kkctl.bonus.app import Money, money_for
from kkctl.diagnostics import Diagnostic
from kkctl.lint.app import findings_for
from kkctl.loader import Loaded, load
from kkctl.memo import Effects
from kkctl.messages import detect_lang
from kkctl.model import Canvas, Period
from kkctl.project import UsageError
from kkctl.report import data, render
from kkctl.report.request import ReportRequest, check_paths
from kkctl.safeio import read_previous_output
from kkctl.textio import check_destination, one_line, refuse_inputs

BACKGROUND_LINT = 2_000  # teams + promises: below this, a second process costs more than it saves


@dataclass
class Chart:
    target: Path  # where the SVG goes
    link: str  # how the report links it
    svg: str


@dataclass
class PageFile:
    target: Path  # where the detail page goes
    text: str
    previous: str | None = None  # the file as it was (read for --check)

    @property
    def up_to_date(self) -> bool:
        return self.previous == self.text


@dataclass
class ReportOutcome:
    loaded: Loaded
    language: str
    status: int
    text: str = ""
    previous: str | None = None  # the report file as it was
    charts: list[Chart] = field(default_factory=list)  # to write (none with --check)
    notice: tuple[str, dict[str, object]] | None = None  # an error to print instead
    pages: list[PageFile] = field(default_factory=list)  # the detail pages (--pages)
    obsolete: list[Path] = field(default_factory=list)  # pages of units that are gone

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.loaded.files]

    @property
    def up_to_date(self) -> bool:
        return self.previous == self.text and not self.obsolete \
            and all(page.up_to_date for page in self.pages)


def report_effects(path: str | None, request: ReportRequest,
                   load_org: Callable[[], Loaded] | None = None) -> Effects:
    """What ``kkctl report`` prints and writes: the report (standard output or ``--out``),
    its charts and detail pages; with ``--check``, whether they are up to date."""
    from kkctl.messages import render as message

    outcome = report(path, request, load_org)
    effects = Effects(outcome.files)
    language = outcome.language
    if outcome.notice is not None:
        effects.err("kkctl: " + message(outcome.notice[0], language, outcome.notice[1]))
        effects.status = outcome.status
        return effects
    if request.check:
        if outcome.up_to_date:
            effects.err(message("report.up_to_date", language, {"path": str(request.out)}))
        else:
            _stale(outcome, request.out, effects)
            effects.status = outcome.status
        return effects
    for chart in outcome.charts:
        effects.write(chart.target, chart.svg, make_parents=True)
    for page in outcome.pages:
        if not page.up_to_date:  # an unchanged page keeps its time stamp
            effects.write(page.target, page.text, make_parents=True)
    for gone in outcome.obsolete:
        effects.unlink(gone)
    if request.out is None:
        effects.out(outcome.text)
    else:
        effects.write(request.out, outcome.text)
    return effects


def _stale(outcome: ReportOutcome, out: Path | None, effects: Effects) -> None:
    """``report --check``: a short diff of the report, and each detail page out of date."""
    from kkctl.messages import render as message
    from kkctl.report.render import short_diff

    language = outcome.language
    if outcome.previous != outcome.text:
        effects.out(short_diff(outcome.previous or "", outcome.text, str(out)))
        effects.err(message("report.out_of_date", language, {"path": str(out)}))
    for page in outcome.pages:
        if not page.up_to_date:
            effects.err(message("report.out_of_date", language, {"path": str(page.target)}))
    for gone in outcome.obsolete:
        effects.err(message("report.page_obsolete", language, {"path": str(gone)}))


def report(path: str | None, request: ReportRequest,
           load_org: Callable[[], Loaded] | None = None) -> ReportOutcome:
    """The report of the organisation at ``path``; ``load_org``: the loader of files already
    read (:mod:`kkctl.memo`)."""
    if request.check and request.out is None:
        raise UsageError("usage.check_needs_out")
    loaded = load_org() if load_org is not None else load(path, request.options)
    large = len(loaded.org.teams) + len(loaded.org.promises) >= BACKGROUND_LINT
    # forked at once: everything below runs while the child lints
    linting = _in_background(lambda: findings_for(loaded)) if large else None
    try:
        return _report(loaded, path, request, linting)
    finally:
        if linting is not None:
            linting.cancel()  # never leave a child behind: a refusal or a template error


def _report(loaded: Loaded, path: str | None, request: ReportRequest,
            linting: Background[list[Diagnostic]] | None) -> ReportOutcome:
    refuse_inputs(request.out, [f.path for f in loaded.files])
    language = detect_lang(request.lang, loaded.org.settings.locale)
    check_paths(request, language)
    money = money_for(loaded)
    run, chosen = money.run, None
    if run is not None and run.periods:
        known = [p.id for p in run.periods]
        wanted = request.period or known[-1]
        if wanted not in known:
            return ReportOutcome(loaded, language, 1, notice=(
                "bonus.unknown_period", {"period": wanted, "known": ", ".join(known)}))
        chosen = next(p for p in run.periods if p.id == wanted)
    return _compose(loaded, language, money, chosen, request, path, linting)


def _compose(loaded: Loaded, language: str, money: Money, chosen: Period | None,
             request: ReportRequest, path: str | None,
             linting: Background[list[Diagnostic]] | None) -> ReportOutcome:
    """The report of the chosen period; ``linting``: the findings being computed meanwhile."""
    def findings() -> list[Diagnostic]:  # the bonus's own are listed too, not paid out
        return (linting() if linting else findings_for(loaded)) + money.bonus_findings

    changes = None
    if request.since is not None:  # imported here: kkctl diff is not needed otherwise
        from kkctl.report.changes import since as changes_since

        changes = changes_since(path, request.since, loaded.org, language, request.options)
    charts = [] if request.assets is None or request.check else \
        _charts(loaded.org.canvases, request.assets, request.out, request.template, language)
    inp = data.ReportInput(
        loaded, findings if linting else findings(), money.run, chosen, language,
        request.include_payouts,
        git_revision(loaded.project.root) if request.with_revision else None,
        {name: chart.link for name, chart in charts},
        withheld_money=money.run is None and bool(money.blocking), changes=changes,
        pages=_link(request.pages, _base(request.out)) if request.pages else None)
    context = data.build(inp)
    previous = read_previous_output(request.out, loaded.project.root)  # untrusted: safeio
    try:
        text = render.keep_custom_blocks(render.render_markdown(context, request.template),
                                         previous)
    except render.TemplateProblem as err:  # the sandbox's SecurityError included
        raise template_error(err, language) from err
    outcome = ReportOutcome(loaded, language, 0, text, previous,
                            [chart for _, chart in charts])
    if request.pages is not None:
        outcome.pages, outcome.obsolete = _pages(inp, request, loaded.project.root)
    outcome.status = 1 if request.check and not outcome.up_to_date else 0
    return outcome


def _base(out: Path | None) -> Path:
    """The folder links of the report are relative to."""
    return (out.parent if out is not None else Path.cwd()).resolve()


def _link(target: Path, base: Path) -> str:
    """A relative link from ``base`` to ``target`` that stays one link whatever it holds."""
    from urllib.parse import quote

    return quote(os.path.relpath(target.resolve(), base).replace(os.sep, "/"), safe="/._-~")


def _pages(inp: data.ReportInput, request: ReportRequest, root: Path
           ) -> tuple[list[PageFile], list[Path]]:
    """The detail pages, each with what its file holds now (for --check), and the pages an
    earlier run wrote that no unit needs any more."""
    from kkctl.report.pages import MARKER, pages

    assert request.pages is not None
    folder = request.pages
    report = request.out if request.out is not None else Path.cwd() / "REPORT.md"
    files = []
    for page in pages(inp, _link(report, folder.resolve())):
        target = folder / page.name
        check_destination(target)  # the folder may hold a planted link
        files.append(PageFile(target, page.text, read_previous_output(target, root)))
    made = {f.target.name for f in files}
    obsolete = []
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.name in made or entry.suffix != ".md" or entry.is_symlink() \
                    or not entry.is_file():
                continue
            old = read_previous_output(entry, root)
            if old is not None and old.startswith(MARKER):  # ours: nothing else is touched
                obsolete.append(entry)
    return files, obsolete


def _in_background(work: Callable[[], list[Diagnostic]]) -> Background[list[Diagnostic]]:
    return in_background(work)


def _charts(canvases: list[Canvas], assets: Path, out: Path | None, template: Path | None,
            language: str) -> list[tuple[str, Chart]]:
    """``(chart name, chart)`` of every canvas, rendered, nothing written yet."""
    base = (out.parent if out is not None else Path.cwd()).resolve()
    charts = []
    for canvas in canvases:
        target = assets / asset_name(canvas.id)
        check_destination(target)  # before any folder is made: assets may be a planted link
        try:
            svg = render.render_canvas_svg(canvas, template)
        except render.TemplateProblem as err:
            raise template_error(err, language) from err
        link = os.path.relpath(target.resolve(), base).replace(os.sep, "/")
        charts.append((f"canvas-{canvas.id}", Chart(target, link, svg)))
    return charts


def asset_name(ident: str) -> str:
    """A chart's file name: named like a detail page (:func:`pages.file_name`), so an id
    such as ``../../x`` cannot lead the file out of the assets folder."""
    from kkctl.report.pages import file_name

    return f"{file_name('canvas', ident)}.svg"


def template_error(err: render.TemplateProblem, language: str) -> UsageError:
    """``file:line: what went wrong; what to do`` for a failing user template."""
    from kkctl.messages import render as message

    text = message(err.message_id, language, err.message_args)
    if err.file:
        where = os.path.relpath(err.file) if err.file.startswith(os.getcwd() + os.sep) \
            else err.file
        text = f"{where}:{err.line}: {text}" if err.line else f"{where}: {text}"
    return UsageError(one_line(text))


def git_revision(folder: Path) -> str | None:
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
