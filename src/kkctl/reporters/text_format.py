"""Compiler-style lines, then a one-line summary:

``org/teams/delivery.yaml:12:13: error KK102 unresolved-reference: team 'delivery': leader
'ghost' is not a person``

A big organisation has thousands of findings, most of them of a few rules: each lint rule
lists its first ``max_per_rule`` findings and counts the rest on one line that says how to
list them all. Validation problems are always listed whole: every broken reference needs
fixing, and lint's own findings may be wrong until they are.
"""

from __future__ import annotations

from collections import Counter

from kkctl.diagnostics import Diagnostic, render_subject
from kkctl.i18n import number
from kkctl.markup import visible
from kkctl.messages import plural
from kkctl.messages import render as message
from kkctl.reporters import Report, lint_rule, severity_word, slug

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"
_EXAMPLES = 3  # entities named on a rule's "more" line


def render(report: Report) -> str:
    shown, hidden = _split(report)
    lines = [_line(diag, report) for diag in shown]
    # the rule with the most findings not listed first: the likeliest to fix or configure
    lines += [_more(code, rest, report.lang)
              for code, rest in sorted(hidden.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    lines.append(summary_line(report))
    lines += [visible(note) for note in report.notes]
    hint = explain_hint(report)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def _split(report: Report) -> tuple[list[Diagnostic], dict[str, list[Diagnostic]]]:
    """The findings listed, in the given order, and each lint rule's rest by code."""
    limit = report.max_per_rule
    if limit <= 0:
        return report.diagnostics, {}
    shown: list[Diagnostic] = []
    hidden: dict[str, list[Diagnostic]] = {}
    seen: Counter[str] = Counter()
    for diag in report.diagnostics:
        seen[diag.code] += 1
        if seen[diag.code] > limit and lint_rule(diag.code) is not None:
            hidden.setdefault(diag.code, []).append(diag)
        else:
            shown.append(diag)
    return shown, hidden


def _line(diag: Diagnostic, report: Report) -> str:
    severity = diag.severity.value
    shown = severity_word(severity, report.lang)
    if report.color:
        shown = f"{_COLORS[severity]}{shown}{_RESET}"
    # a lint rule is named by its slug too (what --select, --ignore and kkctl.yaml take);
    # validation codes keep the compiler-style line their messages were written for
    rule = lint_rule(diag.code)
    named = f"{diag.code} {rule.slug}:" if rule is not None else diag.code
    # user text escaped piece by piece, so the colour codes kkctl adds still work
    return (f"{visible(diag.file)}:{diag.line}:{diag.column}: {shown} {named} "
            f"{visible(diag.message(report.lang))}")


def _more(code: str, rest: list[Diagnostic], lang: str) -> str:
    """``KK219 team-economics: 2,541 more (e.g. team 'a', …); all of them: …``"""
    return message("output.more", lang, {
        "code": code, "slug": slug(code), "count": number(len(rest), lang),
        "examples": _examples(rest, lang)})


def _examples(rest: list[Diagnostic], lang: str) -> str:
    """The first few entities the hidden findings are about (or where they are)."""
    names: list[str] = []
    for diag in rest:
        name = (render_subject(diag.subject, lang) if diag.subject is not None
                else f"{diag.file}:{diag.line}")
        if name not in names:
            names.append(name)
            if len(names) > _EXAMPLES:
                break
    if len(names) == 1:  # one entity has them all: say so rather than "e.g."
        return visible(message("output.all_about", lang, {"name": names[0]}))
    return visible(message("output.examples", lang, {"names": ", ".join(names[:_EXAMPLES])}))


def explain_hint(report: Report) -> str | None:
    """How to read a rule's explanation, naming the rule found most often (None: no lint
    findings, nothing to explain)."""
    counts = Counter(d.code for d in report.diagnostics if lint_rule(d.code) is not None)
    if not counts:
        return None
    code = counts.most_common(1)[0][0]  # ties: the first found, as Counter keeps order
    return message("output.explain", report.lang, {"code": code})


def count(word: str, n: int, lang: str) -> str:
    """``9,013 warnings`` / ``9 013 предупреждений``: :func:`plural` with the number written
    as the language writes it."""
    return number(n, lang) + plural(word, n, lang)[len(str(n)):]


def summary_line(report: Report) -> str:
    s, lang = report.summary, report.lang
    files = count("file", s.files, lang)
    if not (s.errors or s.warnings or s.infos):
        line = message("summary.clean", lang, {"files": files})
    else:
        counts = [count(word, n, lang) for word, n in
                  (("error", s.errors), ("warning", s.warnings), ("info", s.infos)) if n]
        line = message("summary.found", lang, {"counts": ", ".join(counts), "files": files})
    if s.baselined:
        line += message("summary.baselined", lang, {"count": number(s.baselined, lang)})
    return line
