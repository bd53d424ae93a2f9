"""`kkctl lint` as a function, and the findings other commands show (report, diff)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint import config as lint_config
from kkctl.lint import engine, suppress
from kkctl.loader import Loaded, Options, load
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
    loaded: Loaded
    diagnostics: list[Diagnostic]  # validation's, configuration's and the rules', sorted
    status: int
    baselined: int = 0  # findings the baseline accepted
    baseline: Path | None = None  # the baseline written, with --write-baseline
    written: int = 0  # findings it holds
    config: lint_config.LintConfig | None = None  # the rules run, the stage applied

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.loaded.files]

    def notes(self, lang: str) -> list[str]:
        """Sentences under the summary: the adoption stage applied when rules of later steps
        were left out, with the next step (:func:`kkctl.steps.stage_note`)."""
        from kkctl.steps import stage_note

        config = self.config
        note = None if config is None else stage_note(
            self.loaded.org, config.stage, config.stage_source, config.later, lang)
        return [note] if note else []


def lint(path: str | None, request: LintRequest) -> LintOutcome:
    loaded = load(path, request.options)
    try:
        config, problems = lint_config.resolve(loaded.org, request.profile, request.select,
                                               request.ignore, request.stage)
        baseline = None if request.write_baseline else suppress.read_baseline(
            loaded.project.root)
    except (lint_config.ConfigError, suppress.BaselineError) as err:
        raise UsageError(str(err)) from err
    result = engine.run(loaded, config, baseline)
    if request.write_baseline:
        target = loaded.project.root / suppress.BASELINE_FILE
        write_atomic(target, suppress.baseline_text(result.diagnostics), root=loaded.project.root)
        return LintOutcome(loaded, [], 0, baseline=target, written=len(result.diagnostics))
    diagnostics = sorted([*loaded.diagnostics, *problems, *result.diagnostics],
                         key=Diagnostic.sort_key)
    failing = {Severity.ERROR, Severity.WARNING} if request.strict else {Severity.ERROR}
    status = 1 if any(d.severity in failing for d in diagnostics) else 0
    return LintOutcome(loaded, diagnostics, status, baselined=result.baselined, config=config)


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
