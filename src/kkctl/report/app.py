"""`kkctl report` as a function: everything decided and rendered in memory, nothing written.

The caller writes :attr:`ReportOutcome.text` and the charts, or compares with the previous
report for ``--check``; a failing template therefore never leaves a file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kkctl.bonus.app import money_for
from kkctl.diagnostics import Diagnostic
from kkctl.lint.app import findings_for
from kkctl.loader import Loaded, Options, load
from kkctl.messages import detect_lang
from kkctl.model import Canvas
from kkctl.project import UsageError
from kkctl.report import data, render
from kkctl.safeio import read_previous_output
from kkctl.textio import check_destination, one_line, refuse_inputs


@dataclass
class ReportRequest:
    period: str | None = None  # default: the latest period
    lang: str | None = None
    out: Path | None = None  # the report file: its custom blocks are kept
    check: bool = False  # compare with ``out`` instead of writing it
    template: Path | None = None
    assets: Path | None = None
    include_payouts: bool = False
    with_revision: bool = False
    options: Options = field(default_factory=Options)


@dataclass
class Chart:
    target: Path  # where the SVG goes
    link: str  # how the report links it
    svg: str


@dataclass
class ReportOutcome:
    loaded: Loaded
    language: str
    status: int
    text: str = ""
    previous: str | None = None  # the report file as it was
    charts: list[Chart] = field(default_factory=list)  # to write (none with --check)
    notice: tuple[str, dict[str, object]] | None = None  # an error to print instead

    @property
    def up_to_date(self) -> bool:
        return self.previous == self.text


def report(path: str | None, request: ReportRequest) -> ReportOutcome:
    if request.check and request.out is None:
        raise UsageError("usage.check_needs_out")
    loaded = load(path, request.options)
    refuse_inputs(request.out, [f.path for f in loaded.files])
    language = detect_lang(request.lang, loaded.org.settings.locale)
    _check_paths(request, language)
    findings: list[Diagnostic] = findings_for(loaded)
    money = money_for(loaded)
    findings += money.bonus_findings  # listed in the report's health section, not paid out
    run, chosen = money.run, None
    if run is not None and run.periods:
        known = [p.id for p in run.periods]
        wanted = request.period or known[-1]
        if wanted not in known:
            return ReportOutcome(loaded, language, 1, notice=(
                "bonus.unknown_period", {"period": wanted, "known": ", ".join(known)}))
        chosen = next(p for p in run.periods if p.id == wanted)
    charts = [] if request.assets is None or request.check else \
        _charts(loaded.org.canvases, request.assets, request.out, request.template, language)
    context = data.build(data.ReportInput(
        loaded, findings, run, chosen, language, request.include_payouts,
        git_revision(loaded.project.root) if request.with_revision else None,
        {name: chart.link for name, chart in charts}))
    previous = read_previous_output(request.out, loaded.project.root)  # untrusted: safeio
    try:
        text = render.keep_custom_blocks(render.render_markdown(context, request.template),
                                         previous)
    except render.TemplateProblem as err:  # the sandbox's SecurityError included
        raise template_error(err, language) from err
    status = 1 if request.check and previous != text else 0
    return ReportOutcome(loaded, language, status, text, previous,
                         [chart for _, chart in charts])


def _check_paths(request: ReportRequest, language: str) -> None:
    """Refuse unusable paths before any work, and before anything is written."""
    from kkctl import outpaths

    if request.out is not None:
        outpaths.check_output_file("--out", request.out, language)
    if request.assets is not None:
        outpaths.check_output_folder("--assets", request.assets, language)
    if request.template is not None:
        outpaths.check_template_folder(request.template, language)


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
    """A chart's file name: the canvas id when it is a plain slug, else a hash of it. The
    report runs on organisations that fail validation, so an id such as ``../../x`` must not
    lead the file out of the assets folder."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}", ident):
        return f"canvas-{ident}.svg"
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"canvas-{digest}.svg"


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
