"""Read one YAML file into plain data, safely and fast, with source positions on demand.

libyaml's event stream (through PyYAML's C binding; PyYAML's pure-Python parser where
libyaml is missing) is consumed by an iterative composer:

* plain ``dict``/``list``/scalars, ready for JSON Schema, with the YAML 1.2 core schema
  (``yes``/``no``/``on`` stay strings, dates stay strings);
* the source text of every float, so amounts are read as exact decimals;
* no tag is ever constructed: anything but the standard ``!!str``/``!!int``/... is an error;
* duplicate keys name both positions; alias expansion and nesting depth are capped, so a
  "billion laughs" or a 100,000-deep document costs bounded time and memory.

Positions (``path -> (key_line, key_col, value_line, value_col)``, 1-based) are what only a
problem needs, and most files have none: they are computed by a second, lean pass over the
same bytes the first time anything asks (:attr:`ParsedFile.positions`). For the same reason
the bytes are not decoded ahead of the parse: libyaml rejects what is not UTF-8, and only a
file with a problem is decoded, to tell a bad byte from bad YAML.
"""

from __future__ import annotations

import re
import sys

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.foreign import yaml_problem

# No typing at run time: this module is on every start-up (see kkctl.diagnostics).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Path = tuple[Any, ...]
    Position = tuple[int, int, int, int]

MAX_DEPTH = 256
MAX_EXPANDED_NODES = 200_000
MAX_INT_DIGITS = 64
# libyaml 0.2.6+ stops at 1000 levels by itself, with this problem text.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}
_COLLECTION_TAGS = {True: {"!", _CORE + "map"}, False: {"!", _CORE + "seq"}}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# YAML 1.2 core numbers, one pattern: a date or an id like 2025-q1 is ruled out in one match
_NUMBER = re.compile(r"(?P<int>[-+]?[0-9]+)"
                     r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
                     r"|0o(?P<oct>[0-7]+)|0x(?P<hex>[0-9a-fA-F]+)")
_TAG_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int, "float": (int, float), "bool": bool, "null": type(None)}
_NUMERIC_START = frozenset("-+.0123456789")
_INF = float("inf")
_WORDS: dict[str, Any] = {**dict.fromkeys(_NULLS - {""}), **_BOOLS}
_NO_KEY: Any = object()
_RELEASED: Any = object()  # ParsedFile.data dropped, to be read again on demand


class ParsedFile:
    """One file's data, and where everything in it came from."""

    __slots__ = ("_data", "_decimals", "_positions", "_raw", "_reread", "diagnostics", "path",
                 "schema_checked")

    def __init__(self, path: str, data: Any = None, positions: dict[Path, Position] | None = None,
                 decimals: dict[Path, str] | None = None, raw: bytes | None = None) -> None:
        self.path = path  # as shown to the user
        self._data = data
        self._decimals = decimals if decimals is not None else {}  # source text of floats
        self.diagnostics: list[Diagnostic] = []
        self._raw = raw
        self._reread: tuple[Callable[[], bytes | None], int] | None = None  # see release()
        self._positions = positions
        # (checked as kkctl.yaml?, its schema diagnostics): once per file and process
        self.schema_checked: tuple[bool, list[Diagnostic]] | None = None

    @property
    def data(self) -> Any:
        """The file's data; read from its bytes again if :meth:`release` dropped it."""
        data = self._data
        if data is _RELEASED:
            again = read_yaml(self.raw or b"", self.path)
            data = self._data = again._data
            self._decimals = again._decimals
        return data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @property
    def decimals(self) -> dict[Path, str]:
        """The source text of every float, by path (read again with the data)."""
        if self._data is _RELEASED:
            self.data  # noqa: B018 - reads the file again, decimals with it
        return self._decimals

    @property
    def raw(self) -> bytes | None:
        """The file's bytes as read; read again if :meth:`release` let them go (None if
        the file has changed since: its positions would be wrong)."""
        raw = self._raw
        if raw is None and self._reread is not None:
            import zlib

            read, check = self._reread
            raw = read()  # not kept: asked for once a run, if ever (a problem to show)
            if raw is not None and zlib.crc32(raw) != check:
                raw = None
        return raw

    def release(self, read_again: Callable[[], bytes | None] | None = None) -> None:
        """Let the data go, and the bytes too if ``read_again`` can read them again when
        asked for (a position to show); the data is read again from the bytes if asked for.
        ``kkctl validate`` lets each file go once its entities are built: at size L, 54 MB
        of data and 45 MB of bytes."""
        raw = self._raw
        if raw is None:
            return
        self._data = _RELEASED
        self._decimals = {}  # read again with the data
        if read_again is not None:
            import zlib

            self._reread = (read_again, zlib.crc32(raw))  # the check: the same bytes again
            self._raw = None

    @property
    def positions(self) -> dict[Path, Position]:
        if self._positions is None:
            raw = self.raw  # once: it may be read from the file again
            self._positions = positions_of(raw) if raw is not None else {}
        return self._positions

    def position(self, path: Path) -> Position:
        """Position of ``path``, or of its nearest ancestor that has one."""
        positions = self.positions
        while path:
            found = positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return positions.get((), (1, 1, 1, 1))


class _Abort(Exception):
    """The document cannot be read further (a limit was hit)."""


# (libyaml's parser class or None, the event classes' module), imported on first use
_EVENT_SOURCE: tuple[Any, Any] | None = None


def _events(data: bytes) -> tuple[Any, Any]:
    """The parser's ``get_event`` and the module of its event classes.

    PyYAML's binding of libyaml is the fastest event source measured (bench/); PyYAML's
    pure-Python parser stands in where libyaml is missing.
    """
    global _EVENT_SOURCE
    if _EVENT_SOURCE is None:  # imported once, not per file (one assignment: thread-safe)
        from yaml import events

        try:
            from yaml._yaml import CParser
        except ImportError:  # pragma: no cover - exercised only without libyaml
            CParser = None
        _EVENT_SOURCE = (CParser, events)
    parser, events = _EVENT_SOURCE
    if parser is None:  # pragma: no cover - exercised only without libyaml
        import yaml

        stream = yaml.parse(data, Loader=yaml.SafeLoader)
        return lambda: next(stream), events
    return parser(data).get_event, events


def read_yaml(data: bytes, path: str) -> ParsedFile:
    """Parse ``data`` (the bytes of file ``path``) into a :class:`ParsedFile`."""
    result = ParsedFile(path, raw=data)
    too_deep = _compose(data, result)
    if result.diagnostics or too_deep is not None:
        # libyaml rejects every byte that is not UTF-8 (or UTF-16 after a BOM), so a file
        # read without a problem needs no decoding of its own; one with a problem is checked,
        # and bad encoding is the one problem reported, where its byte is.
        problem = _check_encoding(data)
        if problem is not None:
            line, col, message_id, args = problem
            failed = ParsedFile(path, raw=data, positions={})
            failed.diagnostics.append(_diag("KK005", path, line, col, (), message_id, args))
            return failed
    if too_deep is not None:
        return _read_too_deep(data, result, too_deep)
    return result


def _compose(source: bytes, result: ParsedFile) -> Any:
    """Compose ``source`` into ``result`` and report what stopped it, except libyaml's own
    nesting limit: that error is returned, unreported, for :func:`_read_too_deep`."""
    from yaml.error import MarkedYAMLError, YAMLError

    composer = _Composer(source, result)
    too_deep = None
    try:
        composer.run()
    except _Abort:
        result.data = None
    except MarkedYAMLError as err:
        result.data = None
        if err.problem == _LIBYAML_TOO_DEEP and err.problem_mark is not None:
            too_deep = err
        else:
            result.diagnostics.append(_syntax_error(source, result.path, err))
    except YAMLError as err:  # reader errors: a position, not a mark
        result.data = None
        result.diagnostics.append(_reader_error(source, result.path, err))
    composer.place_duplicates()
    return too_deep


def _read_too_deep(data: bytes, result: ParsedFile, err: Any) -> ParsedFile:
    """libyaml 0.2.6+ (PyYAML 6.0.3+) refuses nesting past its own limit (1000 levels) while it
    scans ahead, before the composer has seen level MAX_DEPTH. Composing the text before that
    point again gives what every other parser gives: the same diagnostics, then KK004 where
    the nesting passes MAX_DEPTH."""
    mark = err.problem_mark
    again = ParsedFile(result.path, raw=data)
    _compose(_text_before(data, mark.index), again)
    if any(d.message_id == "yaml.too_deep" for d in again.diagnostics):
        return again
    # Not expected (libyaml counts no more levels than the composer), but KK004 it is.
    result.diagnostics.append(_diag("KK004", result.path, mark.line + 1, mark.column + 1, (),
                                    "yaml.too_deep", {"limit": MAX_DEPTH}))
    return result


def _text_before(data: bytes, index: int) -> bytes:
    """The UTF-8 text before character ``index`` of ``data`` (libyaml's marks count
    characters; a cut a character early or late is harmless here)."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    return data.decode("utf-16" if utf16 else "utf-8")[:index].encode("utf-8")


def _syntax_error(data: bytes, path: str, err: Any) -> Diagnostic:
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem_text = str(err.problem or err.context or "invalid YAML").strip()
    hint = "tab" if _char_at(data, line, col) == "\t" else "syntax"
    return _diag("KK001", path, line, col, (), f"yaml.{hint}",
                 {"problem": yaml_problem(problem_text)})


def _reader_error(data: bytes, path: str, err: Any) -> Diagnostic:
    line, col = _line_col(data, getattr(err, "position", 0) or 0)
    character = getattr(err, "character", None)
    reason = str(getattr(err, "reason", "") or err).splitlines()[0].strip()
    if isinstance(character, int):
        reason = f"character #x{character:04X}: {reason}"
    elif isinstance(character, str) and character:
        reason = f"character #x{ord(character[0]):04X}: {reason}"
    return _diag("KK001", path, line, col, (), "yaml.syntax", {"problem": yaml_problem(reason)})


def _line_col(data: bytes, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset into ``data`` (UTF-8)."""
    text = data.decode("utf-8", "replace")[:position]
    return text.count("\n") + 1, position - (text.rfind("\n") + 1) + 1


def _char_at(data: bytes, line: int, col: int) -> str:
    lines = data.split(b"\n", line)
    if len(lines) < line:
        return ""
    text = lines[line - 1].decode("utf-8", "replace")
    return text[col - 1] if 0 < col <= len(text) else ""


def _check_encoding(data: bytes) -> tuple[int, int, str, dict[str, Any]] | None:
    """Invalid UTF-8 (or UTF-16 with a BOM) is reported at the offending byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError as err:
            return 1, 1, "encoding.utf16", {"reason": err.reason}
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        start = err.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", "replace")) + 1
        return line, col, "encoding.utf8", {"byte": f"0x{data[start]:02x}"}
    return None


def _diag(code: str, file: str, line: int, col: int, path: Path, message_id: str,
          args: dict[str, Any], severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code=code, severity=severity, file=file, line=line, column=col,
                      path=path, message_id=message_id, args=args)


class _Composer:
    """Turns the event stream into data; one pass, no recursion, no per-node bookkeeping."""

    def __init__(self, data: bytes, result: ParsedFile) -> None:
        self.get, self.ev = _events(data)
        self.result = result
        # anchor -> (value, expanded size, scalar source text or a collection's
        # (path, its first float, float after its last) in self.floats)
        self.anchors: dict[str, tuple[Any, int, Any]] = {}
        self.expanded = 0
        # Every float placed, in order: an anchored collection's floats are one slice of it,
        # so an alias copies its own floats and no others.
        self.floats: list[tuple[Path, str]] = []
        # (index into diagnostics, key, path, mark of the later key): KK002 needs the first
        # key's position too, found for all of them in one pass at the end.
        self.duplicates: list[tuple[int, str, Path, Any]] = []

    def error(self, code: str, mark: Any, path: Path, message_id: str, **args: Any) -> None:
        self.result.diagnostics.append(
            _diag(code, self.result.path, mark.line + 1, mark.column + 1, path, message_id, args))

    def run(self) -> None:
        get, ev = self.get, self.ev
        get()  # StreamStart
        documents = 0
        while True:
            event = get()
            if isinstance(event, ev.StreamEndEvent):
                break
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error("KK007", event.start_mark, (), "yaml.multi_document")
                    raise _Abort
                self.result.data = self.document()

    def document(self) -> Any:  # one tight loop, on purpose: this is the hot path
        get, ev = self.get, self.ev
        scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
        mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
        mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
        numeric_start = _NUMERIC_START
        words = _WORDS
        no_key = _NO_KEY
        intern = sys.intern
        decimals = self.result._decimals
        log_float = self.floats.append
        floats = self.floats
        anchors = self.anchors
        # The open container's state lives in locals; the stack keeps its parents':
        # (container, is_list, (anchor, floats before it, node count at open) or None).
        # ``trail`` is the open container's path as a list (a tuple only when one is needed:
        # a float, a problem, an anchor).
        stack: list[tuple[Any, bool, Any]] = []
        container: Any = None
        trail: list[Any] = []
        trail_append, trail_pop = trail.append, trail.pop
        is_list = False
        key: Any = no_key
        key_event: Any = None
        anchor: Any = None
        nodes = 0  # nodes so far, aliases counted as expanded
        root: Any = None
        depth = 0
        while True:
            event = get()
            cls = type(event)
            if cls is scalar_event:
                nodes += 1
                text = event.value
                if key is no_key and not is_list and depth and event.tag is None \
                        and event.anchor is None and (not text or text[0] not in numeric_start):
                    # the common key: kept as its source text, nothing to resolve
                    # (interned: a few dozen key names repeat in every entity of every file)
                    key, key_event = intern(text), event
                    continue
                if event.tag is not None:
                    value = self.tagged_scalar(event, self.path_here(tuple(trail), is_list, key,
                                                                     container))
                elif event.style:  # quoted or block scalar: always a string
                    value = text
                elif not text:
                    value = None
                elif text[0] in numeric_start:
                    if text.isascii() and text.isdigit() and len(text) <= MAX_INT_DIGITS:
                        value = int(text)  # the common number: a plain decimal integer
                    else:  # a float, a date, an id like 2025-q1
                        value = _number(text)
                        if value is None:
                            self.too_many_digits(
                                text, event.start_mark,
                                self.path_here(tuple(trail), is_list, key, container))
                            value = text
                else:  # null, true, false, or just text
                    value = words.get(text, text)
                if event.anchor:
                    anchors[event.anchor] = (value, 1, text)
            elif cls is mapping_start or cls is sequence_start:
                nodes += 1
                if depth >= MAX_DEPTH:
                    self.error("KK004", event.start_mark, tuple(trail), "yaml.too_deep",
                               limit=MAX_DEPTH)
                    raise _Abort
                if event.tag is not None and \
                        event.tag not in _COLLECTION_TAGS[cls is mapping_start]:
                    self.error("KK003", event.start_mark,
                               self.path_here(tuple(trail), is_list, key, container),
                               "yaml.tag" if event.tag not in _ALLOWED_TAGS else
                               "yaml.tag_mismatch", tag=event.tag, text="…")
                new: Any = {} if cls is mapping_start else []
                if depth == 0:
                    root = new
                elif is_list:
                    trail_append(len(container))
                    container.append(new)
                elif key is no_key:
                    self.error("KK008", event.start_mark, tuple(trail), "yaml.complex_key")
                    raise _Abort
                else:
                    trail_append(key)
                    if key in container:
                        self.duplicate(key, tuple(trail), key_event.start_mark)
                    container[key] = new
                    key = no_key
                if depth:
                    stack.append((container, is_list, anchor))
                depth += 1
                container, is_list = new, cls is sequence_start
                anchor = event.anchor
                if anchor:
                    anchor = (anchor, len(floats), nodes)
                continue
            elif cls is mapping_end or cls is sequence_end:
                if anchor:
                    anchors[anchor[0]] = (container, nodes - anchor[2] + 1,
                                          (tuple(trail), anchor[1], len(floats)))
                depth -= 1
                if depth:
                    container, is_list, anchor = stack.pop()
                    trail_pop()
                key = no_key
                continue
            elif cls is alias_event:
                here = self.path_here(tuple(trail), is_list, key, container)
                value, size, origin = self.alias(event, here)
                nodes += size
                if isinstance(origin, str):  # an aliased scalar: its own source text
                    text = origin
                elif depth and not is_list and key is no_key:  # a collection as a key
                    self.error("KK008", event.start_mark, tuple(trail), "yaml.complex_key")
                    raise _Abort
                else:  # an aliased collection: the source texts of the floats inside it
                    text = ""
                    self.copy_decimals(origin, event, here)
            else:  # DocumentEndEvent
                return root
            # a scalar or an alias: place it
            if key is not no_key:  # a mapping's value
                if key in container:
                    self.duplicate(key, (*trail, key), key_event.start_mark)
                container[key] = value
                if value.__class__ is float:
                    float_path = (*trail, key)
                    decimals[float_path] = text
                    log_float((float_path, text))
                key = no_key
            elif is_list:
                if value.__class__ is float:
                    float_path = (*trail, len(container))
                    decimals[float_path] = text
                    log_float((float_path, text))
                container.append(value)
            elif depth == 0:
                root = value
            else:  # any other key: always its source text, as in JSON
                key, key_event = intern(text), event

    @staticmethod
    def path_here(path: Path, is_list: bool, key: Any, container: Any) -> Path:
        """Where the next node goes (for messages about it)."""
        if is_list:
            return (*path, len(container))
        return path if key is _NO_KEY else (*path, key)

    def duplicate(self, key: str, path: Path, mark: Any) -> None:
        self.duplicates.append((len(self.result.diagnostics), key, path, mark))

    def place_duplicates(self) -> None:
        """KK002 at the later key, naming the first: one positions pass for all of them (a
        pass each made 4,000 duplicate keys cost a minute), kept in the order found."""
        if not self.duplicates:
            return
        result = self.result
        positions = result.positions  # computed once here, and kept for later questions
        found = result.diagnostics
        merged: list[Diagnostic] = []
        done = 0
        for index, key, path, mark in self.duplicates:
            first = positions.get(path, (1, 1, 1, 1))
            merged += found[done:index]
            done = index
            merged.append(_diag("KK002", result.path, mark.line + 1, mark.column + 1, path,
                                "yaml.duplicate_key",
                                {"key": key, "first_line": first[0], "first_col": first[1]}))
        result.diagnostics = merged + found[done:]

    def copy_decimals(self, origin: tuple[Path, int, int], event: Any, here: Path) -> None:
        """The floats inside an aliased collection, at their new paths. These copies are the
        one part of an alias that is not shared, so each is charged the length of its path
        to the expansion budget: deep paths cost their depth, and the cap bounds the work."""
        anchored, start, end = origin
        cut = len(anchored)
        decimals, log_float = self.result._decimals, self.floats.append
        left = MAX_EXPANDED_NODES - self.expanded
        for found, text in self.floats[start:end]:
            copy = here + found[cut:]
            left -= len(copy)
            if left < 0:  # over the cap: stop before copying more
                self.expanded = MAX_EXPANDED_NODES - left
                self.charge(0, event, here)
            decimals[copy] = text
            log_float((copy, text))
        self.expanded = MAX_EXPANDED_NODES - left

    def alias(self, event: Any, path: Path) -> tuple[Any, int, Any]:
        found = self.anchors.get(event.anchor)
        if found is None:
            self.error("KK001", event.start_mark, path, "yaml.unknown_alias",
                       anchor=event.anchor)
            raise _Abort
        value, size, origin = found
        self.charge(size, event, path)
        return value, size, origin

    def charge(self, nodes: int, event: Any, path: Path) -> None:
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            self.error("KK004", event.start_mark, path, "yaml.alias_bomb",
                       limit=MAX_EXPANDED_NODES)
            raise _Abort

    def tagged_scalar(self, event: Any, path: Path) -> Any:
        text: str = event.value
        tag = event.tag
        if tag not in _ALLOWED_TAGS:
            self.error("KK003", event.start_mark, path, "yaml.tag", tag=tag)
            return None
        if tag == "!" or tag == _CORE + "str":
            return text
        if tag in (_CORE + "map", _CORE + "seq"):  # a collection's tag on a scalar
            self.error("KK003", event.start_mark, path, "yaml.tag_mismatch", tag=tag, text=text)
            return None
        resolved = self.resolve_plain(text, event.start_mark, path)
        kind = tag[len(_CORE):]
        expected = _TAG_TYPES.get(kind)
        if expected is not None and (not isinstance(resolved, expected) or
                                     (kind == "int" and isinstance(resolved, bool))):
            self.error("KK003", event.start_mark, path, "yaml.tag_mismatch",
                       tag=tag, text=text)
            return None
        return float(resolved) if kind == "float" else resolved

    def resolve_plain(self, text: str, mark: Any, path: Path) -> Any:
        if text in _NULLS:
            return None
        boolean = _BOOLS.get(text)
        if boolean is not None:
            return boolean
        value = _number(text)
        if value is None:
            self.too_many_digits(text, mark, path)
            return text
        return value

    def too_many_digits(self, text: str, mark: Any, path: Path) -> None:
        self.error("KK009", mark, path, "yaml.big_int", digits=_digits(text),
                   limit=MAX_INT_DIGITS)


def _number(text: str) -> Any:
    """The number a plain scalar means, or its text if it is none; None for an integer over
    MAX_INT_DIGITS digits (0x with 6,000 digits made every later command fail converting it
    to text). .inf/.nan and floats too large stay text: no kkctl field takes them."""
    found = _NUMBER.fullmatch(text)
    if found is None:
        return text
    kind = found.lastgroup
    if kind == "float":
        value = float(text)
        return text if value in (_INF, -_INF) else value
    if _digits(text) > MAX_INT_DIGITS:
        return None
    if kind == "int":
        return int(text)
    return int(text[2:], 8 if kind == "oct" else 16)


def _digits(text: str) -> int:
    """How many digits an integer's text has (an octal or hexadecimal one: significant)."""
    if text[1:2] in ("o", "x"):
        return len(text[2:].lstrip("0"))
    return len(text.lstrip("+-"))


def positions_of(data: bytes, keep_last: bool = False) -> dict[Path, Position]:
    """Every node's position, by document path: the lean second pass.

    Paths are made exactly as the composer makes them (keys as their text, list indexes), so
    a path from the data finds its position here. The first occurrence of a duplicate key
    wins unless ``keep_last``. Stops quietly where the document stops being readable.
    """
    from yaml.error import YAMLError

    positions: dict[Path, Position] = {}
    try:
        get, ev = _events(data)
        _walk_positions(get, ev, positions, keep_last)
    except (YAMLError, StopIteration, _Abort):
        pass
    return positions


def _walk_positions(get: Any, ev: Any, positions: dict[Path, Position], keep_last: bool) -> None:
    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    # A frame: [path, is_list, next index, pending key or _NO_KEY, key position]
    stack: list[list[Any]] = []
    texts: dict[str, str] = {}  # anchor -> source text of the scalar it names (a key's text)
    while True:
        event = get()
        cls = type(event)
        if cls is ev.StreamEndEvent or cls is ev.DocumentEndEvent:
            return
        if cls is mapping_end or cls is sequence_end:
            stack.pop()
            continue
        if cls is not scalar_event and cls is not alias_event and cls is not mapping_start \
                and cls is not sequence_start:
            continue
        mark = event.start_mark
        here = (mark.line + 1, mark.column + 1)
        opens = cls is mapping_start or cls is sequence_start
        if event.anchor:
            if cls is scalar_event:
                texts[event.anchor] = event.value
            elif opens:
                texts.pop(event.anchor, None)
        if not stack:
            path: Path = ()
            positions[()] = (*here, *here)
        else:
            frame = stack[-1]
            if frame[1]:
                path = (*frame[0], frame[2])
                frame[2] += 1
                positions[path] = (*here, *here)
            elif frame[3] is _NO_KEY:
                key = event.value if cls is scalar_event else texts.get(event.anchor)
                if opens or key is None:
                    raise _Abort  # complex key: the composer reported it
                frame[3] = key
                frame[4] = here
                continue
            else:
                path = (*frame[0], frame[3])
                if keep_last or path not in positions:
                    positions[path] = (*frame[4], *here)
                frame[3] = _NO_KEY
        if opens:
            if len(stack) >= MAX_DEPTH:
                raise _Abort
            stack.append([path, cls is sequence_start, 0, _NO_KEY, None])
