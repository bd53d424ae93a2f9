"""Which rules run, at what severity and with what options.

From kkctl.yaml ``lint: {profile, stage, rules: {slug-or-code: off|info|warning|error or
{severity, options}}}`` and the command line (``--profile``, ``--stage``, ``--select``,
``--ignore``): the profile picks rules, the stage keeps those of the adoption steps reached
(:mod:`kkctl.steps`), ``rules`` tunes or switches them, ``--select`` runs only the named rules
(whatever the profile and the stage), ``--ignore`` drops rules.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint.registry import all_rules, find
from kkctl.lint.rule import PROFILES, Rule
from kkctl.messages import did_you_mean
from kkctl.model import Organisation
from kkctl.steps import STEPS, stage_of

SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


@dataclass
class Active:
    rule: Rule
    severity: Severity
    options: dict[str, Any]


@dataclass
class LintConfig:
    profile: str = "recommended"
    active: list[Active] = field(default_factory=list)
    stage: int = STEPS  # the rules of steps 1..stage run (and the structural ones, step 0)
    stage_source: str = "inferred"  # "option" (--stage), "config" (kkctl.yaml) or "inferred"
    later: int = 0  # rules the profile has that were left out as later steps'


class ConfigError(Exception):
    """A command-line selection names no rule (exit code 2)."""


def resolve(org: Organisation, profile: str | None = None, select: list[str] | None = None,
            ignore: list[str] | None = None, stage: int | None = None
            ) -> tuple[LintConfig, list[Diagnostic]]:
    settings = org.settings.lint
    problems: list[Diagnostic] = []
    chosen = profile or settings.get("profile") or "recommended"
    if chosen not in PROFILES:
        chosen = "recommended"  # the schema has already reported it
    overrides = _overrides(org, settings.get("rules"), problems)
    selected = {_cli_rule(n).code for n in select or []}
    ignored = {_cli_rule(n).code for n in ignore or []}
    config = LintConfig(profile=chosen)
    config.stage, config.stage_source = stage_of(org, stage)
    for rule in all_rules():
        severity, options, switched = rule.severity, dict(rule.options), None
        if rule.code in overrides:
            switched, severity_override, options_override = overrides[rule.code]
            severity = severity_override or severity
            options.update(options_override)
        if selected:  # named on the command line: whatever the profile and the stage
            enabled = rule.code in selected
        else:
            enabled = switched if switched is not None else rule.in_profile(chosen)
            if enabled and rule.step > config.stage:
                enabled = False
                config.later += 1
        if enabled and rule.code not in ignored:
            config.active.append(Active(rule, severity, options))
    return config, problems


def _cli_rule(name: str) -> Rule:
    rule = find(name.strip())
    if rule is None:
        close = difflib.get_close_matches(name, [r.slug for r in all_rules()], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"no lint rule '{name}'{hint}; 'kkctl lint --list-rules' lists them")
    return rule


def _overrides(org: Organisation, rules: Any, problems: list[Diagnostic]
               ) -> dict[str, tuple[bool, Severity | None, dict[str, Any]]]:
    """``{code: (enabled, severity or None, options)}`` from kkctl.yaml's ``lint.rules``."""
    out: dict[str, tuple[bool, Severity | None, dict[str, Any]]] = {}
    if not isinstance(rules, dict):
        return out
    source = org.settings.source
    for name, value in rules.items():
        rule = find(str(name))
        if rule is None:
            if source is not None:
                close = difflib.get_close_matches(str(name), [r.slug for r in all_rules()], n=1)
                file, line, col, path = source.key_position("lint", "rules", name)
                problems.append(Diagnostic(
                    "KK011", Severity.ERROR, file, line, col, path, "lint.unknown_rule",
                    {"name": name, "hint": did_you_mean(close[0] if close else None)}))
            continue
        if isinstance(value, str):
            out[rule.code] = (value != "off", SEVERITIES.get(value), {})
        elif isinstance(value, dict):
            severity = value.get("severity")
            options = value.get("options")
            out[rule.code] = (severity != "off", SEVERITIES.get(str(severity)),
                              options if isinstance(options, dict) else {})
    return out
