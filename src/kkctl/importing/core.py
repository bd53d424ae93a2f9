"""What every source kind shares: the structure a reader returns, ids made from names,
problems found in the source, and the fatal errors that stop an import before it writes."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.project import UsageError
from kkctl.yamlread import MAX_DEPTH, MAX_EXPANDED_NODES

IMPORT_CODE = "KK060"  # a problem in the imported source (codes.py)
MAX_INPUT = 50 * 1024 * 1024  # far above any staff table or catalog; a guard, not a limit
MAX_FOLDER_DEPTH = 32  # an input folder's nesting: Backstage and Peribolos use two or three

# ГОСТ 7.79-2000, system B (the ISO 9 family), reduced to what an ASCII id can hold: the hard
# and soft signs and the apostrophes of ы, э vanish. ц is "cz" before е, и, ы, й, else "c".
_GOST = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh",
    "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",  # Ukrainian, Belarusian
}
_CZ_BEFORE = frozenset("еиыйєі")
_NOT_ID = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """Cyrillic to Latin after ГОСТ 7.79-2000 system B; other letters lose their accents."""
    lower = text.lower()
    out: list[str] = []
    for i, char in enumerate(lower):
        if char == "ц":
            following = lower[i + 1] if i + 1 < len(lower) else ""
            out.append("cz" if following in _CZ_BEFORE else "c")
        elif char in _GOST:
            out.append(_GOST[char])
        else:
            out.append(char)
    plain = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in plain if not unicodedata.combining(c))


def slug(text: str, fallback: str) -> str:
    """An id (``^[a-z0-9][a-z0-9._-]*$``) made from ``text``: transliterated, lower-case,
    words joined by hyphens; ``fallback`` when nothing of it is left."""
    made = _NOT_ID.sub("-", transliterate(text)).strip("-")
    return made[:80].rstrip("-") or fallback


class Ids:
    """Hands out ids unique organisation-wide: a taken id gets -2, -3 ... in the order asked,
    so the same source gives the same ids on every run."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        # the next suffix to try per wanted id: 20,000 namesakes cost 20,000 tries, not 2e8
        self._next: dict[str, int] = {}

    def claim(self, wanted: str) -> str:
        ident, n = wanted, self._next.get(wanted, 1)
        while ident in self.taken:
            n += 1
            ident = f"{wanted}-{n}"
        self.taken.add(ident)
        self._next[wanted] = n
        return ident


@dataclass
class Where:
    """A place in the source: a file and its line (a CSV row is the line it starts on)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class SourcePerson:
    key: str  # the source's own identity: a table number, an e-mail, a login, an entity name
    name: str
    where: Where
    email: str | None = None
    staff_id: str | None = None  # табельный номер: how a re-import finds the person again
    hint: str = ""  # what the id is made from
    start: dt.date | None = None
    end: dt.date | None = None  # left the company (дата увольнения)


@dataclass
class SourceTeam:
    key: str  # unique in the source: a department path, a group's name, org/team
    name: str
    where: Where
    parent: str | None = None  # key of the parent team
    leader: str | None = None  # key of a person
    members: list[str] = field(default_factory=list)  # keys of people, in source order
    hint: str = ""
    description: str | None = None


@dataclass
class Problem:
    """Something wrong in the source that the import works around; a warning at its place."""

    where: Where
    message_id: str
    args: dict[str, object] = field(default_factory=dict)

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(IMPORT_CODE, Severity.WARNING, self.where.file, self.where.line or 1,
                          1, (), self.message_id, dict(self.args))


@dataclass
class Authority:
    """An authority the source grants (a GitHub organisation's admin rights)."""

    id: str
    scope: str
    holder_team: str | None  # a team key, or None for the council of managers
    people: list[str] = field(default_factory=list)  # who holds it in the source


@dataclass
class Structure:
    kind: str  # staff | backstage | peribolos
    source: str  # the input as the user named it
    org_name: str
    people: list[SourcePerson] = field(default_factory=list)
    teams: list[SourceTeam] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    authorities: list[Authority] = field(default_factory=list)
    lang: str | None = None  # the language the source is written in, when it says

    def warn(self, where: Where, message_id: str, **args: object) -> None:
        self.problems.append(Problem(where, message_id, args))


def fail(message_id: str, where: Where | str, **args: object) -> UsageError:
    """A fatal problem of the input (exit 2, nothing written), naming its place."""
    return UsageError(message_id, where=str(where), **args)


def read_input(path: Path, shown: str, root: Path | None = None) -> bytes:
    """The bytes of one input file; a folder, a missing or unreadable file, an empty or
    oversized one is a clear error. A file found in an input folder (``root``) is read only
    if it is a regular file inside that folder: a planted ``x.yaml -> /proc/self/environ``
    is refused by name, never read; a file the user names is read where its name leads."""
    from kkctl.safeio import UnsafeFileError, read_bytes_safely

    if not path.exists() and not path.is_symlink():
        raise UsageError("import.no_input", path=shown)
    if path.is_dir():
        raise fail("import.not_a_file", shown)
    base = root if root is not None else Path(os.path.realpath(path)).parent
    try:
        data = read_bytes_safely(path, base, MAX_INPUT, shown)
    except FileNotFoundError as err:  # a link to nothing
        raise fail("import.unreadable", shown, reason=err.strerror or str(err)) from err
    except UnsafeFileError as err:
        if err.message_id == "file.over_limit":
            raise fail("import.too_large", shown, limit=MAX_INPUT) from err
        raise
    if not data.strip():
        raise fail("import.empty", shown)
    return data


def yaml_files(folder: Path) -> list[Path]:
    """The ``*.yaml``/``*.yml`` files below an input folder, sorted; links to folders are not
    followed and nesting stops at :data:`MAX_FOLDER_DEPTH` (each file is checked on reading)."""
    found: list[Path] = []
    for here, dirs, files in os.walk(folder):  # followlinks=False: a linked folder stays out
        depth = len(Path(here).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) \
            if depth < MAX_FOLDER_DEPTH else []
        found += [Path(here) / f for f in files
                  if f.endswith((".yaml", ".yml")) and not f.startswith(".")]
    return sorted(found)


def looks_binary(data: bytes) -> bool:
    """A NUL byte or many control characters early on: not text (an image, an archive)."""
    head = data[:8192]
    if b"\0" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls > len(head) // 100 + 2


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def yaml_documents(data: bytes, shown: str) -> list[Any]:
    """The documents of a YAML file as plain data whose mappings remember their line
    (:class:`Node`); a syntax error is a fatal error at its line. Nesting and alias
    expansion are capped like kkctl's own reader (:mod:`kkctl.yamlread`): a 600-byte alias
    bomb or 900 nested brackets is a clear error, not a hang or a crash."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("import.not_utf8", shown) from err
    budget = [MAX_EXPANDED_NODES]
    try:
        return [_plain(node, shown, budget)
                for node in yaml.compose_all(text, Loader=loader_class) if node is not None]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise fail("import.yaml", Where(shown, mark.line + 1 if mark else 0),
                   problem=err.problem or err.context or "") from err
    except yaml.YAMLError as err:
        raise fail("import.yaml", shown, problem=str(err).splitlines()[0]) from err
    except RecursionError as err:  # the composer itself, on nesting below libyaml's limit
        raise fail("import.yaml_too_deep", shown, limit=MAX_DEPTH) from err


class Node(dict):  # type: ignore[type-arg]
    """A mapping of the source that knows the line it starts on and each key's line."""

    line: int = 0
    lines: dict[str, int]


def _plain(root: Any, shown: str, budget: list[int]) -> Any:
    """The node as plain data, built without recursion. Every node placed counts against
    ``budget`` (an alias counts again each time it is placed), and nesting beyond
    :data:`MAX_DEPTH` is an error at the line where it goes too deep."""
    import yaml

    holder: list[Any] = [None]
    # (node, depth, container, slot): the value goes to container[slot]
    stack: list[tuple[Any, int, Any, Any]] = [(root, 0, holder, 0)]
    while stack:
        node, depth, container, slot = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise fail("import.yaml_too_big", Where(shown, node.start_mark.line + 1),
                       limit=MAX_EXPANDED_NODES)
        if depth > MAX_DEPTH:
            raise fail("import.yaml_too_deep", Where(shown, node.start_mark.line + 1),
                       limit=MAX_DEPTH)
        if isinstance(node, yaml.MappingNode):
            out = Node()
            out.line, out.lines = node.start_mark.line + 1, {}
            pending = []
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
                out[name] = None  # the key's place now: the value comes later, in order
                out.lines[name] = key.start_mark.line + 1
                pending.append((value, depth + 1, out, name))
            stack.extend(reversed(pending))  # popped in file order: a repeated key's last wins
            container[slot] = out
        elif isinstance(node, yaml.SequenceNode):
            items: list[Any] = [None] * len(node.value)
            stack.extend((item, depth + 1, items, i) for i, item in enumerate(node.value))
            container[slot] = items
        elif node.tag.endswith(":null") or (node.value in ("", "~", "null")
                                            and node.style is None):
            container[slot] = None
        else:
            container[slot] = str(node.value)
    return holder[0]


def text_of(value: object) -> str | None:
    """A text field of the source (a name, an e-mail, a description): only a string counts;
    a mapping or a list where text belongs is left out, never written as text."""
    return value if isinstance(value, str) else None


def line_of(mapping: object, key: str) -> int:
    """The line of ``key`` in a :class:`Node` (its start if the key is absent), else 0."""
    if isinstance(mapping, Node):
        return mapping.lines.get(key, mapping.line)
    return 0
