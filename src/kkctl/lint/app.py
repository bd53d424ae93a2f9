"""`kkctl lint` as a function, and the findings other commands show (report, diff)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint import config as lint_config
from kkctl.lint import engine, suppress
from kkctl.loader import Loaded, Options, load, snapshot
from kkctl.memo import cached, file_state
from kkctl.project import UsageError
from kkctl.textio import write_atomic


@dataclass
class LintRequest:
    profile: str | None = None  # default: kkctl.yaml's lint.profile, else recommended
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    strict: bool = False  # warnings fail the run too
    write_baseline: bool = False
    options: Options = field(default_factory=Options)
    stage: int | None = None  # default: kkctl.yaml's lint.stage, else inferred from the data


@dataclass
class LintOutcome:
    loaded: Loaded | None  # None when answered from the result cache
    diagnostics: list[Diagnostic]  # validation's, configuration's and the rules', sorted
    status: int
    files: list[str] = field(default_factory=list)
    locale: str | None = None  # the organisation's
    baselined: int = 0  # findings the baseline accepted
    baseline: Path | None = None  # the baseline written, with --write-baseline
    written: int = 0  # findings it holds
    # The sentences under the summary in each language: the adoption stage applied when rules
    # of later steps were left out, with the next step (:func:`kkctl.steps.stage_notes`).
    stage_notes: dict[str, str] = field(default_factory=dict)

    def notes(self, lang: str) -> list[str]:
        note = self.stage_notes.get(lang)
        return [note] if note else []

    def to_data(self) -> tuple[object, ...]:
        from kkctl.cache import diagnostics_data

        return (diagnostics_data(self.diagnostics), self.status, self.files, self.locale,
                self.baselined, self.stage_notes)

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> LintOutcome:
        from kkctl.cache import diagnostics_from_data

        diagnostics, status, files, locale, baselined, notes = data
        found = diagnostics_from_data(diagnostics)
        if any(d.code.startswith("KK2") for d in found):
            from kkctl.lint.registry import all_rules

            all_rules()  # the rules' own messages join the catalogue, as when they run
        return cls(None, found, status, files, locale, baselined, stage_notes=dict(notes))


def lint(path: str | None, request: LintRequest) -> LintOutcome:
    """Lint the organisation at ``path``; an unchanged one is answered from the result cache
    (keyed by every file, the options and the baseline)."""
    snap = None if request.write_baseline else snapshot(path, request.options)
    if snap is None:
        return _lint(load(path, request.options), request)
    root = snap.project.root
    key = snap.key("lint", request.profile, request.select, request.ignore, request.strict,
                   request.stage, file_state(root / suppress.BASELINE_FILE, root))
    return cached(snap, key, lambda: _lint(snap.load(), request), LintOutcome.to_data,
                  LintOutcome.from_data)


def _lint(loaded: Loaded, request: LintRequest) -> LintOutcome:
    from kkctl.steps import stage_notes

    try:
        config, problems = lint_config.resolve(loaded.org, request.profile, request.select,
                                               request.ignore, request.stage)
        baseline = None if request.write_baseline else suppress.read_baseline(
            loaded.project.root)
    except (lint_config.ConfigError, suppress.BaselineError) as err:
        raise UsageError(str(err)) from err
    result = engine.run(loaded, config, baseline)
    files, locale = [f.path for f in loaded.files], loaded.org.settings.locale
    if request.write_baseline:
        target = loaded.project.root / suppress.BASELINE_FILE
        write_atomic(target, suppress.baseline_text(result.diagnostics), root=loaded.project.root)
        return LintOutcome(loaded, [], 0, files, locale, baseline=target,
                           written=len(result.diagnostics))
    diagnostics = sorted([*loaded.diagnostics, *problems, *result.diagnostics],
                         key=Diagnostic.sort_key)
    failing = {Severity.ERROR, Severity.WARNING} if request.strict else {Severity.ERROR}
    status = 1 if any(d.severity in failing for d in diagnostics) else 0
    return LintOutcome(loaded, diagnostics, status, files, locale, baselined=result.baselined,
                       stage_notes=stage_notes(loaded.org, config.stage, config.stage_source,
                                               config.later))


def findings_for(loaded: Loaded, use_baseline: bool = True,
                 stage: int | None = None) -> list[Diagnostic]:
    """The rules' findings under the organisation's own configuration (and its baseline,
    unless ``use_baseline`` is off; at ``stage``, else its own), configuration problems
    included: what the report lists and what diff compares."""
    try:
        config, problems = lint_config.resolve(loaded.org, stage=stage)
        baseline = suppress.read_baseline(loaded.project.root) if use_baseline else None
    except (lint_config.ConfigError, suppress.BaselineError) as err:
        raise UsageError(str(err)) from err
    return [*problems, *engine.run(loaded, config, baseline).diagnostics]
