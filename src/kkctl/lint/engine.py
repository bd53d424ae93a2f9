"""Run the active rules over the model and turn findings into diagnostics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint.config import LintConfig
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.lint.suppress import Suppressor, fingerprint
from kkctl.loader import Loaded
from kkctl.model import Entity


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    baselined: int = 0


def run(loaded: Loaded, config: LintConfig, baseline: Counter[str] | None = None) -> LintResult:
    ctx = LintContext(loaded.org)
    files = {f.path: f for f in loaded.files}
    suppressor = Suppressor(loaded.org, files)
    result = LintResult()
    remaining = Counter(baseline) if baseline else Counter()
    for active in config.active:
        for finding in active.rule.check(ctx, active.options):
            diag = _diagnostic(active.rule, active.severity, finding)
            if suppressor.suppressed(diag, _entity(loaded, finding), finding.source):
                continue
            if remaining and _in_baseline(diag, remaining):
                result.baselined += 1
                continue
            result.diagnostics.append(diag)
    active_codes = {a.rule.code for a in config.active}
    for active in config.active:
        if active.rule.slug == "unused-suppression":
            result.diagnostics.extend(d.but(severity=active.severity)
                                      for d in suppressor.unused(active_codes))
    return result


def _in_baseline(diag: Diagnostic, remaining: Counter[str]) -> bool:
    """Is the finding one the baseline accepted (and not yet used up)? Takes it off."""
    key = fingerprint(diag)
    if remaining[key] > 0:
        remaining[key] -= 1
        return True
    return False


def _diagnostic(rule: Rule, severity: Severity, finding: Finding) -> Diagnostic:
    return finding.source.diagnostic(rule.code, rule.message_id(finding.message),
                                     *finding.sub, severity=severity, args=finding.args,
                                     at_key=finding.at_key)


def _entity(loaded: Loaded, finding: Finding) -> Entity | None:
    subject = finding.source.subject
    if subject is None:
        return None
    entity = loaded.org.by_id.get(subject[1])
    return entity if entity is not None and entity.source is finding.source else None
