"""Three ways to accept a finding: an inline comment, an entity's ``lint_ignore``, a baseline.

* ``# kkctl: ignore[promise-loop, KK203] reason`` on the finding's line, the line above it, the
  entity's first line, or the line above that;
* ``lint_ignore: [promise-loop]`` on the entity;
* ``.kkctl-baseline.json`` (``kkctl lint --write-baseline``): findings that existed when it
  was written; later runs report only new ones.

An inline comment or ``lint_ignore`` entry that suppresses nothing is reported itself (KK245);
one that names no rule at all is an error of validation (KK011, :mod:`kkctl.schema`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.codes import SUPPRESSION
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint.registry import find
from kkctl.model import Entity, Organisation, Source
from kkctl.yamlread import ParsedFile

BASELINE_FILE = ".kkctl-baseline.json"
_COMMENT = SUPPRESSION


@dataclass
class _Inline:
    file: str
    line: int
    column: int
    name: str
    used: bool = False


@dataclass
class Suppressor:
    org: Organisation
    files: dict[str, ParsedFile]
    inline: dict[str, dict[int, list[_Inline]]] = field(default_factory=dict)
    entity_used: set[tuple[str, str]] = field(default_factory=set)
    names_of: dict[str, frozenset[str]] = field(default_factory=dict)  # code -> code, slug

    def comments(self, file: str) -> dict[int, list[_Inline]]:
        found = self.inline.get(file)
        if found is None:
            found = {}
            parsed = self.files.get(file)
            raw = parsed.raw if parsed is not None else None
            # memchr finds (or rules out) a "#" far faster than a search for "kkctl:"
            if raw and b"#" in raw and b"kkctl:" in raw:
                text = raw.decode("utf-8", "replace")
                for number, line in enumerate(text.splitlines(), start=1):
                    match = _COMMENT.search(line)
                    if match:
                        column = line.index("#", match.start()) + 1
                        found[number] = [_Inline(file, number, column, name.strip())
                                         for name in match.group(1).split(",") if name.strip()]
            self.inline[file] = found
        return found

    def suppressed(self, diag: Diagnostic, entity: Entity | None, source: Source) -> bool:
        """Does a comment or ``lint_ignore`` accept the finding? ``source``: the entity (or
        settings) the finding is about, whose first line a comment may also be on."""
        comments = self.comments(diag.file)
        if not comments and (entity is None or not entity.lint_ignore):
            return False  # nearly every finding: nothing could suppress it
        names = self.names(diag.code)
        entity_line = source.key_position()[1]
        for line in dict.fromkeys((diag.line, diag.line - 1, entity_line, entity_line - 1)):
            for item in comments.get(line, ()):
                if item.name in names:
                    item.used = True
                    return True
        if entity is not None and names & set(entity.lint_ignore):
            for name in names & set(entity.lint_ignore):
                self.entity_used.add((entity.id, name))
            return True
        return False

    def names(self, code: str) -> frozenset[str]:
        """What a suppression may call the rule of ``code``: its code and slug (looked up
        once per rule, not once per finding)."""
        names = self.names_of.get(code)
        if names is None:
            rule = find(code)
            names = frozenset((code, rule.slug)) if rule is not None else frozenset((code,))
            self.names_of[code] = names
        return names

    def unused(self, active_codes: set[str]) -> list[Diagnostic]:
        """Suppressions of active rules that matched nothing. One naming no rule is left to
        validation's KK011 (an error, with the closest rule): one diagnostic per problem."""
        out = []
        for file in self.files:
            self.comments(file)
        for per_line in self.inline.values():
            for items in per_line.values():
                for item in items:
                    rule = find(item.name)
                    if not item.used and rule is not None and rule.code in active_codes:
                        out.append(Diagnostic("KK245", Severity.INFO, item.file, item.line,
                                              item.column, (), "unused-suppression.inline",
                                              {"name": item.name}))
        for entity in self.org.entities():
            if not entity.lint_ignore:  # nearly all of them: no enumerate() to build
                continue
            for i, name in enumerate(entity.lint_ignore):
                rule = find(name)
                if (entity.id, name) not in self.entity_used and \
                        rule is not None and rule.code in active_codes:
                    file, line, col, path = entity.source.position("lint_ignore", i)
                    out.append(Diagnostic("KK245", Severity.INFO, file, line, col, path,
                                          "unused-suppression.entity", {"name": name},
                                          entity.source.subject))
        return out


# -- baseline ------------------------------------------------------------------------------
_POSITIONAL = ("first_line", "first_col", "where", "line", "col")
_PLACE = re.compile(r"[^\s(]+:\d+:\d+")


def fingerprint(diag: Diagnostic) -> str:
    """Stable across moved lines and reordered entities: code, subject, field, message
    (without the positions some messages quote)."""
    from kkctl.messages import render

    where: Any = list(diag.subject) + [str(p) for p in diag.path[2:]] if diag.subject \
        else [diag.file, diag.path_text]
    args = {k: v for k, v in diag.args.items() if k not in _POSITIONAL}
    message = _PLACE.sub("", render(diag.message_id, "en", args))  # e.g. a loop's steps
    text = json.dumps([diag.code, where, message], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def read_baseline(root: Path) -> Counter[str] | None:
    """The accepted findings, or None without a baseline file. The file comes with the pull
    request: it is read like any untrusted file (:mod:`kkctl.safeio`)."""
    from kkctl.safeio import UnsafeFileError, read_text_if_exists

    path = root / BASELINE_FILE
    try:
        text = read_text_if_exists(path, root)
    except UnsafeFileError as err:
        raise BaselineError(str(err)) from err
    if text is None:
        return None
    try:
        payload = json.loads(text)
        return Counter(item["fingerprint"] for item in payload["findings"])
    except json.JSONDecodeError as err:
        raise _not_a_baseline(f"{path}:{err.lineno}:{err.colno}", err.msg) from err
    except RecursionError as err:  # json's parser recurses once per nesting level
        raise _not_a_baseline(f"{path}:1:1", "nested too deeply") from err
    except (ValueError, KeyError, TypeError) as err:
        raise _not_a_baseline(f"{path}:1:1", f"{type(err).__name__}: {err}") from err


def _not_a_baseline(where: str, why: str) -> BaselineError:
    return BaselineError(f"{where}: not a kkctl baseline ({why}); delete it or rewrite it "
                         "with --write-baseline")


class BaselineError(Exception):
    """The baseline file cannot be read (exit code 2)."""


def baseline_text(diagnostics: list[Diagnostic]) -> str:
    findings = [{"fingerprint": fingerprint(d), "code": d.code, "file": d.file,
                 "message": d.message("en")} for d in diagnostics]
    findings.sort(key=lambda f: (f["file"], f["code"], f["fingerprint"]))
    return json.dumps({"kkctl_baseline": 1, "findings": findings}, ensure_ascii=False,
                      indent=2) + "\n"
