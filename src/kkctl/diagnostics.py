"""The one shape every problem kkctl finds takes, whatever found it."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Diagnostic:
    """One problem: ``code``, ``severity``, message, ``file:line:column`` and document ``path``.

    The message is kept as an id plus arguments so it can be rendered in Russian or English
    once the language is known (it may come from the organisation itself).
    """

    code: str
    severity: Severity
    file: str
    line: int
    column: int
    path: tuple[Any, ...]
    message_id: str
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    subject: tuple[str, str] | None = None  # (entity kind, id) the problem is about

    def message(self, lang: str = "en") -> str:
        from kkctl.messages import render

        text = render(self.message_id, lang, self.args)
        if self.subject is not None:
            text = f"{render_subject(self.subject, lang)}: {text}"
        return text

    @property
    def path_text(self) -> str:
        return format_path(self.path)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.code, self.message_id)


def render_subject(subject: tuple[str, str], lang: str) -> str:
    from kkctl.messages import kind_name

    kind, ident = subject
    return f"{kind_name(kind, lang)} '{ident}'"


def format_path(path: tuple[Any, ...]) -> str:
    """``('teams', 3, 'leader')`` -> ``teams[3].leader``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(str(part)):
            out.append(f".{part}" if out else str(part))
        else:
            out.append(f"[{str(part)!r}]")
    return "".join(out)


@dataclass
class Summary:
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files: int = 0
    baselined: int = 0  # lint findings accepted by the baseline

    @classmethod
    def of(cls, diagnostics: list[Diagnostic], files: int) -> Summary:
        summary = cls(files=files)
        for diag in diagnostics:
            if diag.severity is Severity.ERROR:
                summary.errors += 1
            elif diag.severity is Severity.WARNING:
                summary.warnings += 1
            else:
                summary.infos += 1
        return summary

    def as_dict(self) -> dict[str, int]:
        out = {"errors": self.errors, "warnings": self.warnings, "infos": self.infos,
               "files": self.files}
        if self.baselined:
            out["baselined"] = self.baselined
        return out
