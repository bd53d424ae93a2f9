"""The one shape every problem kkctl finds takes, whatever found it."""

from __future__ import annotations

import enum
import re

# No dataclasses or typing at run time: this module is on the path of every start-up, and
# those two imports (with inspect, ast, dis, tokenize) were a fifth of a cached validate.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Diagnostic:
    """One problem: ``code``, ``severity``, message, ``file:line:column`` and document ``path``.

    The message is kept as an id plus arguments so it can be rendered in Russian or English
    once the language is known (it may come from the organisation itself). A value: never
    changed once made; equal (and hashed) by everything but ``args``.
    """

    __slots__ = ("args", "code", "column", "file", "line", "message_id", "path", "severity",
                 "subject")

    def __init__(self, code: str, severity: Severity, file: str, line: int, column: int,
                 path: tuple[Any, ...], message_id: str, args: dict[str, Any] | None = None,
                 subject: tuple[str, str] | None = None) -> None:
        self.code = code
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message_id = message_id
        self.args: dict[str, Any] = {} if args is None else args
        self.subject = subject  # (entity kind, id) the problem is about

    def _identity(self) -> tuple[Any, ...]:
        return (self.code, self.severity, self.file, self.line, self.column, self.path,
                self.message_id, self.subject)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Diagnostic)
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        return (f"Diagnostic({self.code!r}, {self.severity.value!r}, {self.file!r}, {self.line}, "
                f"{self.column}, {self.path!r}, {self.message_id!r}, {self.args!r}, "
                f"{self.subject!r})")

    def but(self, severity: Severity | None = None, file: str | None = None) -> Diagnostic:
        """The same problem with another severity or in another file."""
        return Diagnostic(self.code, severity or self.severity, file or self.file, self.line,
                          self.column, self.path, self.message_id, self.args, self.subject)

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


class Summary:
    __slots__ = ("baselined", "errors", "files", "infos", "warnings")

    def __init__(self, errors: int = 0, warnings: int = 0, infos: int = 0, files: int = 0,
                 baselined: int = 0) -> None:
        self.errors = errors
        self.warnings = warnings
        self.infos = infos
        self.files = files
        self.baselined = baselined  # lint findings accepted by the baseline

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Summary):
            return NotImplemented
        return self.as_dict() == other.as_dict() and self.baselined == other.baselined

    __hash__ = None  # type: ignore[assignment]  # mutable, as before

    def __repr__(self) -> str:
        return f"Summary({self.as_dict()!r})"

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
