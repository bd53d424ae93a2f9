"""``exclude:`` patterns with git's .gitignore semantics, matched in linear time.

A pattern is parsed into items and matched by simulating the set of NFA states (Thompson's
construction), so a match costs O(len(path) × len(pattern)) whatever the pattern: no
backtracking, hence no pattern that makes kkctl hang. Python's ``re`` would backtrack.

Supported, as git does: ``*``, ``?``, classes ``[a-z]``, ``[!a]``/``[^a]``, ``[[:alpha:]]``
(a class, ``*`` and ``?`` never match ``/``); ``**/``, ``/**/`` and ``/**``; a pattern without
a slash matches a name at any depth, a leading or middle slash anchors it to the project root,
a trailing slash matches folders only; ``!`` re-includes; a backslash escapes; unescaped
trailing spaces are dropped; ``#`` starts a comment. A file below an excluded folder cannot be
re-included (the folder is not read at all).
"""

from __future__ import annotations

from collections.abc import Callable

CharTest = Callable[[str], bool]
_CACHE_LIMIT = 4096  # remembered state-set transitions per pattern (a lazily built DFA)

_POSIX: dict[str, CharTest] = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127, "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: c.isprintable() and not c.isspace(), "lower": str.islower,
    "print": str.isprintable, "punct": lambda c: c.isascii() and not c.isalnum()
    and c.isprintable() and not c.isspace(), "space": str.isspace, "upper": str.isupper,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class PatternError(ValueError):
    """The pattern is not a valid glob (an unclosed ``[``, a trailing backslash)."""

    def __init__(self, en: str, ru: str) -> None:
        super().__init__(en)
        self.reason = {"en": en, "ru": ru}  # a localised message argument


# Plain classes, no dataclasses: on every start-up (see kkctl.diagnostics).
class _Nfa:
    """Char edges ``(test, target)`` and empty edges per state; the last state accepts."""

    __slots__ = ("edges", "empty")

    def __init__(self) -> None:
        self.edges: list[list[tuple[CharTest, int]]] = []
        self.empty: list[list[int]] = []

    def add(self) -> int:
        self.edges.append([])
        self.empty.append([])
        return len(self.edges) - 1


class Pattern:
    __slots__ = ("_steps", "accept", "dir_only", "negated", "nfa", "start", "text")

    def __init__(self, text: str, negated: bool, dir_only: bool, nfa: _Nfa,
                 start: frozenset[int], accept: int) -> None:
        self.text = text  # as written
        self.negated = negated
        self.dir_only = dir_only
        self.nfa = nfa
        self.start = start
        self.accept = accept
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether the pattern matches ``path`` (relative to the root, ``/``-separated)."""
        if self.dir_only and not is_dir:
            return False
        states = self.start
        for char in path:
            states = self._step(states, char)
            if not states:
                return False
        return self.accept in states

    def _step(self, states: frozenset[int], char: str) -> frozenset[int]:
        key = (states, char)
        found = self._steps.get(key)
        if found is None:
            moved = {target for s in states for test, target in self.nfa.edges[s] if test(char)}
            found = _closure(self.nfa, moved)
            if len(self._steps) >= _CACHE_LIMIT:
                self._steps.clear()
            self._steps[key] = found
        return found


def _closure(nfa: _Nfa, states: set[int]) -> frozenset[int]:
    todo = list(states)
    while todo:
        for target in nfa.empty[todo.pop()]:
            if target not in states:
                states.add(target)
                todo.append(target)
    return frozenset(states)


def parse(text: str) -> Pattern | None:
    """A pattern, or None for one that matches nothing (empty, a ``#`` comment)."""
    body = _trim_trailing_spaces(text)
    if not body or body.startswith("#"):
        return None
    negated = body.startswith("!")
    body = body[1:] if negated else body
    dir_only = body.endswith("/")
    body = body[:-1] if dir_only else body
    anchored = "/" in body
    body = body[1:] if body.startswith("/") else body
    if not body:
        return None
    nfa = _Nfa()
    first = nfa.add()
    state = first if anchored else _any_folders(nfa, first)
    for item in _items(body):
        state = _compile(nfa, state, item)
    return Pattern(text, negated, dir_only, nfa, _closure(nfa, {first}), state)


def climbs_out(text: str) -> bool:
    """``..`` as a path segment, or a Windows drive: not a path inside the project."""
    body = text.lstrip("!").replace("\\", "/")
    return ".." in body.split("/") or (len(body) > 1 and body[1] == ":" and body[0].isalpha())


def _trim_trailing_spaces(text: str) -> str:
    keep = 0
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            keep = i
            continue
        if text[i] != " ":
            keep = i + 1
        i += 1
    return text[:keep]


# Items: ("char", test) one character; ("star",) a run within a name; ("all",) anything;
# ("folders",) zero or more whole folders, i.e. ``(.*/)?``.
_Item = tuple[str, CharTest | None]
_NOT_SLASH: CharTest = "/".__ne__


def _any_char(char: str) -> bool:
    return True


def _items(body: str) -> list[_Item]:
    out: list[_Item] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "*":
            i = _star(body, i, out)
        elif char == "?":
            out.append(("char", _NOT_SLASH))
            i += 1
        elif char == "[":
            test, i = _class(body, i + 1)
            out.append(("char", test))
        else:
            if char == "\\":
                i += 1
                if i == len(body):
                    raise PatternError("a backslash at the end escapes nothing",
                                       "обратная косая черта в конце ничего не экранирует")
                char = body[i]
            out.append(("char", _literal(char)))
            i += 1
    return out


def _literal(char: str) -> CharTest:
    return char.__eq__


def _star(body: str, i: int, out: list[_Item]) -> int:
    """``*``; a run of two or more between slashes (or the ends) is git's ``**``."""
    end = i
    while end < len(body) and body[end] == "*":
        end += 1
    whole = (i == 0 or body[i - 1] == "/") and (end == len(body) or body[end] == "/")
    if end - i >= 2 and whole:
        if end == len(body):
            out.append(("all", None))
            return end
        out.append(("folders", None))
        return end + 1  # the slash belongs to ``**/``
    out.append(("star", None))
    return end


def _class(body: str, i: int) -> tuple[CharTest, int]:
    """``[...]`` from just after the ``[``: a test (never true for ``/``) and where it ends."""
    negated = i < len(body) and body[i] in "!^"
    i += 1 if negated else 0
    tests: list[CharTest] = []
    first = True
    while True:
        if i >= len(body):
            raise _unclosed()
        char = body[i]
        if char == "]" and not first:
            break
        first = False
        if body.startswith("[:", i):
            close = body.find(":]", i + 2)
            name = body[i + 2:close] if close >= 0 else ""
            if name not in _POSIX:
                raise PatternError(f"unknown character class '[:{name}:]'",
                                   f"неизвестный класс символов '[:{name}:]'")
            tests.append(_POSIX[name])
            i = close + 2
            continue
        low, i = _class_char(body, i)
        if body.startswith("-", i) and i + 1 < len(body) and body[i + 1] != "]":
            high, i = _class_char(body, i + 1)
            tests.append(_range(low, high))
        else:
            tests.append(_literal(low))
    return _class_test(tuple(tests), negated), i + 1


def _unclosed() -> PatternError:
    return PatternError("'[' is not closed by ']'", "'[' не закрыта скобкой ']'")


def _class_char(body: str, i: int) -> tuple[str, int]:
    if body[i] == "\\":
        if i + 1 >= len(body):
            raise _unclosed()
        return body[i + 1], i + 2
    return body[i], i + 1


def _range(low: str, high: str) -> CharTest:
    return lambda c: low <= c <= high


def _class_test(tests: tuple[CharTest, ...], negated: bool) -> CharTest:
    return lambda c: c != "/" and any(t(c) for t in tests) != negated


def _any_folders(nfa: _Nfa, state: int) -> int:
    """``(.*/)?`` from ``state``; returns the state after it."""
    inner, after = nfa.add(), nfa.add()
    nfa.empty[state] += [inner, after]
    nfa.edges[inner] += [(_any_char, inner), ("/".__eq__, after)]
    return after


def _compile(nfa: _Nfa, state: int, item: _Item) -> int:
    kind, test = item
    if kind == "folders":
        return _any_folders(nfa, state)
    after = nfa.add()
    if kind == "char":
        assert test is not None
        nfa.edges[state].append((test, after))
    else:  # a loop on the state itself, then leave it without consuming anything
        nfa.edges[state].append((_NOT_SLASH if kind == "star" else _any_char, state))
        nfa.empty[state].append(after)
    return after


class Excludes:
    """The ``exclude:`` list: the last pattern that matches a path decides, as in git."""

    __slots__ = ("patterns",)

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns

    def excluded(self, path: str, is_dir: bool) -> bool:
        """``path`` itself (its folders are the caller's business: a walk prunes them)."""
        verdict = False
        for pattern in self.patterns:
            if verdict != (not pattern.negated) and pattern.matches(path, is_dir):
                verdict = not pattern.negated
        return verdict

    def excluded_with_folders(self, path: str) -> bool:
        """A file, or any folder above it, is excluded (for file lists that are not walked)."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            if self.excluded("/".join(parts[:depth]), True):
                return True
        return self.excluded(path, False)
