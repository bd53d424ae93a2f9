"""Canonical formatting that loses nothing: ruamel.yaml's round trip keeps every comment and
every quote; kkctl only puts keys in the schema's order, indents consistently (mappings by 2,
list items by 4 with the dash at 2) and, with ``fmt: {sort: true}``, sorts collections by id,
each entity taking the comment lines above it along. Text is never re-wrapped, and no
scalar's text is touched: every plain scalar is loaded as a string (dates, ``1.10``,
``0x1F``, ``~`` are written back exactly as they were). Formatting twice gives what
formatting once gave, and every result is checked against the data as kkctl itself reads it.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.loader import DEFAULT_MAX_FILE_SIZE
from kkctl.model import COLLECTIONS
from kkctl.project import UsageError

# Keys of each kind of entity in reading order (what it is, who, to whom, what, how measured);
# any other key (x- extensions) keeps its place after these. Top-level collections are left
# in the author's order: a file reads like the story its author tells.
CANONICAL: dict[str, list[str]] = {
    "people": ["id", "name", "email", "description"],
    "clients": ["id", "name", "kind", "team", "description", "needs"],
    "values": ["id", "name", "description", "client"],
    "teams": ["id", "name", "type", "parent", "leader", "members", "clients", "success_indicator",
              "reward", "economics", "description"],
    "councils": ["id", "name", "kind", "unit", "sponsor", "reward", "members", "description"],
    "promises": ["id", "kind", "giver", "receiver", "value", "supports", "requires", "text",
                 "condition", "conditional", "metrics", "authorities", "needs_authorities",
                 "status", "agreed_on", "description"],
    "authorities": ["id", "scope", "holder", "granted_by", "budget", "description"],
    "metrics": ["id", "name", "unit", "type", "direction", "target", "bounds", "description",
                "source", "links_to_evolutionary_goal", "readings"],
    "canvases": ["id", "client", "need", "tagline", "description", "scale", "factors",
                 "offerings"],
    "reward_schemes": ["id", "name", "unit", "base", "share", "split", "losses", "deposit",
                       "description"],
    "periods": ["id", "name", "start", "end", "net_profit", "teams", "payouts", "paid"],
    "hypotheses": ["id", "type", "parent", "text", "metrics", "status"],
    "members": ["person", "role", "weight", "from", "to", "represents"],
    "organisation": ["id", "name", "evolutionary_goal", "key_value", "currency", "locale", "ceo",
                     "applicability"],
}
LAST = ["lint_ignore"]


@dataclass
class Formatted:
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


class FormatError(Exception):
    """The file cannot be formatted (it does not parse, or formatting would lose something):
    a catalogue message, at a place in the file when there is one."""

    def __init__(self, message_id: str, line: int = 0, column: int = 0, **args: Any) -> None:
        from kkctl.messages import render

        self.message_id, self.line, self.column, self.message_args = message_id, line, column, args
        super().__init__(render(message_id, "en", args))

    def reason(self) -> dict[str, str]:
        """The reason in every language (an argument of ``fmt.cannot_format``)."""
        from kkctl.messages import LANGS, render

        return {lang: render(self.message_id, lang, self.message_args) for lang in LANGS}


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    class TextResolver(VersionedResolver):
        """Every plain scalar but the empty one (null, written back empty) is a string:
        dumped, it is its own source text again, so no date, float or ``~`` is ever
        respelled (kkctl reads the types itself, YAML 1.2)."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0] and value != "":
                return self.DEFAULT_SCALAR_TAG
            return super().resolve(kind, value, implicit)

    yaml = YAML()  # round trip
    yaml.Resolver = TextResolver
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap: a reflowed sentence is a change nobody asked for
    yaml.allow_duplicate_keys = False
    return yaml


def format_text(text: str, sort: bool = False) -> str:
    from ruamel.yaml.comments import CommentedMap

    before = _kk_data(text)  # what kkctl reads: the yardstick of "loses nothing"
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except Exception as err:  # ruamel raises many kinds; all mean "does not parse"
        raise FormatError("fmt.unreadable", problem=str(err).splitlines()[0] if str(err)
                          else type(err).__name__) from err
    if not isinstance(data, (dict, list)):  # empty, only comments, a lone scalar
        return text
    _block_if_wrapped(data)
    sorted_blocks: list[tuple[str, Any]] = []
    if isinstance(data, CommentedMap):
        _reorder_entities(data)
        if sort:
            sorted_blocks = _sort_flow_collections(data, _sortable(before))
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue().lstrip("\n")  # ruamel keeps a leading blank line only once
    for name, items in sorted_blocks:
        result = _sort_block(result, name, items)
    if result != text:
        _ensure_lossless(text, before, result, sort)
    return result


def _reorder_entities(data: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    if isinstance(data.get("organisation"), CommentedMap):
        _reorder(data["organisation"], CANONICAL["organisation"])
    for collection in COLLECTIONS:
        items = data.get(collection)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, CommentedMap):
                _reorder(item, CANONICAL[collection])
                for member in item.get("members") or []:
                    if isinstance(member, CommentedMap):
                        _reorder(member, CANONICAL["members"])


def _ensure_lossless(before_text: str, before: Any, after: str, sort: bool) -> None:
    """The promise, checked every time: the same data as kkctl reads it (every scalar, floats
    to their source text), and every comment."""
    expected = _sorted(before, _sortable(before)) if sort else before
    if _kk_data(after) != expected:
        raise FormatError("fmt.would_change_data")
    if comments(before_text) != comments(after):
        raise FormatError("fmt.would_lose_comment")


def _kk_data(text: str) -> Any:
    """The document as kkctl reads it, each float replaced by its source text: ``1.10`` and
    ``1.1`` are different texts, and an amount is read from its text."""
    from kkctl.yamlread import read_yaml

    parsed = read_yaml(text.encode("utf-8"), "fmt")
    for diag in parsed.diagnostics:
        if diag.severity is Severity.ERROR:
            raise FormatError("fmt.does_not_parse", diag.line, diag.column,
                              problem={lang: diag.message(lang) for lang in ("en", "ru")})
    data = parsed.data
    for path, source in parsed.decimals.items():
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = ("float", source)
    return data


def _sortable(data: Any) -> list[str]:
    """Top-level collections sorted by ``fmt: {sort: true}``: every item has a string id."""
    if not isinstance(data, dict):
        return []
    return [name for name in COLLECTIONS
            if isinstance(data.get(name), list) and len(data[name]) > 1
            and all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in data[name])]


def _sorted(data: Any, names: list[str]) -> Any:
    data = dict(data)
    for name in names:
        data[name] = sorted(data[name], key=lambda item: item["id"])
    return data


def comments(text: str) -> list[str]:
    """Full-line comments, and end-of-line comments outside quotes, sorted."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append(stripped)
            continue
        for match in re.finditer(r"\s#", line):
            before = line[: match.start()]
            if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
                found.append(line[match.start():].strip())
                break
    return sorted(found)


def _block_if_wrapped(node: Any) -> None:
    """A flow collection its author wrapped over several lines becomes a block: joined, it
    would be one very long line (text is never re-wrapped)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CommentedMap):
            children = list(item.values())
            lines = [item.lc.value(k)[0] for k in item if item.lc.data and k in item.lc.data]
        elif isinstance(item, CommentedSeq):
            children = list(item)
            lines = [item.lc.item(i)[0] for i in range(len(item))
                     if item.lc.data and i in item.lc.data]
        else:
            continue
        if item.fa.flow_style() and lines and item.lc.line is not None and \
                max(lines) > item.lc.line:
            item.fa.set_block_style()
        stack.extend(children)


def _reorder(mapping: Any, order: list[str]) -> None:
    """Known keys in ``order``, then the others as they were; comments travel with keys."""
    rank = {key: i for i, key in enumerate(order)}
    rank.update({key: len(order) + 1 + i for i, key in enumerate(LAST)})
    keys = list(mapping)
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted != keys:
        # ruamel.yaml keeps the comment lines after a mapping (above the next item or key)
        # on its last scalar: they stay at the end, not with the key that moves
        following = _detach_following(mapping, keys[-1])
        for key in wanted:
            mapping.move_to_end(key)
        if following and not _attach_following(mapping, wanted[-1], following):
            _attach_following(mapping, keys[-1], following)


def _post_slot(node: Any, key: Any) -> tuple[list[Any], int] | None:
    """Where the comment after ``node[key]``'s last line is kept: on the deepest last scalar
    of a block collection, else on the key itself; None after a block scalar (``|``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    value = node[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and \
            not value.fa.flow_style():
        return _post_slot(value, list(value)[-1] if isinstance(value, CommentedMap)
                          else len(value) - 1)
    if isinstance(value, (LiteralScalarString, FoldedScalarString)):
        return None
    slot = node.ca.items.setdefault(key, [None, None, None, None])
    return slot, (0 if isinstance(node, CommentedSeq) else 2)


def _detach_following(mapping: Any, key: Any) -> str:
    """Take the full comment lines after ``mapping[key]``'s own line out of its comment."""
    where = _post_slot(mapping, key)
    token = where[0][where[1]] if where is not None else None
    if where is None or token is None or not isinstance(token.value, str):
        return ""
    own, _, following = token.value.partition("\n")
    if own.strip():
        token.value = own + "\n"
    else:
        where[0][where[1]] = None
    return following


def _attach_following(mapping: Any, key: Any, following: str) -> bool:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    where = _post_slot(mapping, key)
    if where is None:
        return False
    token = where[0][where[1]]
    if token is None:
        where[0][where[1]] = CommentToken("\n" + following, CommentMark(0))
    else:
        token.value = token.value + following
    return True


def _sort_flow_collections(data: Any, names: list[str]) -> list[tuple[str, Any]]:
    """Sort the flow collections (``[{id: b}, {id: a}]``) in place; return the block ones,
    which are sorted in the written text, where the comment lines above each item are."""
    blocks = []
    for name in names:
        items = data[name]
        if items.fa.flow_style():
            items[:] = [items[i] for i in _order(items)]
        else:
            blocks.append((name, items))
    return blocks


def _order(items: Any) -> list[int]:
    return sorted(range(len(items)), key=lambda i: str(items[i]["id"]))


_ITEM = "  - "


def _sort_block(text: str, name: str, items: Any) -> str:
    """Sort the items of top-level block collection ``name`` in ``text`` (as dumped: dashes
    at column 2) by id. The comment lines just above an item (indented no deeper than its
    dash) travel with it; blank lines before them stay where they are, as do comments after
    the last item (they precede the next key). ruamel.yaml stores such a comment wherever
    the parser met it (the previous item's last scalar, deep inside it, or the parent key),
    so the text is where "above" is certain."""
    lines = text.splitlines(keepends=True)
    pattern = re.compile(re.escape(name) + r":(\s+#.*)?\n?\Z")
    heads = [i for i, line in enumerate(lines) if pattern.match(line)]
    if len(heads) != 1:
        raise _cannot_sort(name)
    head = heads[0]
    end = next((i for i in range(head + 1, len(lines))
                if lines[i][:1] not in ("", " ", "#", "\n")), len(lines))
    starts = [i for i in range(head + 1, end)
              if lines[i].startswith(_ITEM) or lines[i].rstrip("\n") == _ITEM.rstrip()]
    if len(starts) != len(items) or not all(_loose(line, 1 << 30)
                                            for line in lines[head + 1:starts[0]]):
        raise _cannot_sort(name)
    cuts = [head + 1] + [_run_start(lines, s, low) for low, s in itertools.pairwise(starts)]
    tail = _run_start(lines, end, starts[-1])
    units = [lines[a:b] for a, b in zip(cuts, [*cuts[1:], tail], strict=True)]
    gaps = [_blank_prefix(unit) for unit in units]
    moved = [unit[len(gap):] for unit, gap in zip(units, gaps, strict=True)]
    body = [line for gap, i in zip(gaps, _order(items), strict=True) for line in gap + moved[i]]
    return "".join(lines[:head + 1] + body + lines[tail:])


def _loose(line: str, deepest: int) -> bool:
    """A blank line, or a comment line indented no deeper than ``deepest``."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (stripped.startswith("#")
                                    and len(line) - len(stripped) <= deepest)


def _run_start(lines: list[str], index: int, low: int) -> int:
    """Where the run of blank and comment lines (at the dash's depth) ending before
    ``index`` starts; it stops at line ``low``, the previous item's dash."""
    while index - 1 > low and _loose(lines[index - 1], len(_ITEM) - 2):
        index -= 1
    return index


def _blank_prefix(unit: list[str]) -> list[str]:
    count = 0
    while count < len(unit) and not unit[count].strip():
        count += 1
    return unit[:count]


def _cannot_sort(name: str) -> FormatError:
    return FormatError("fmt.cannot_sort", name=name)


def format_file(path: Path, sort: bool = False, limit: int = DEFAULT_MAX_FILE_SIZE,
                root: Path | None = None, display: str | None = None) -> Formatted:
    """Format one file, read through :mod:`kkctl.safeio`: a FIFO or device named ``x.yaml``
    cannot hang fmt, a link may not lead out of ``root``, and a file over ``limit`` bytes is
    not read (ruamel.yaml's round trip of 19 MB took minutes and gigabytes). Those raise
    :class:`kkctl.safeio.UnsafeFileError`."""
    from kkctl.safeio import read_text_safely

    before = read_text_safely(path, root if root is not None else path.parent, limit, display)
    return Formatted(path, before, format_text(before, sort))


@dataclass
class FmtProblem:
    """A file fmt left alone: where, and why (a catalogue message)."""

    file: str
    line: int
    column: int
    message_id: str
    args: dict[str, Any]


@dataclass
class FmtOutcome:
    changed: list[str]  # files reformatted (or, with check, that would be)
    problems: list[FmtProblem]
    locale: str | None  # the organisation's, for the language of messages
    check: bool
    refused: UsageError | None = None  # why a write was refused: the run stopped there

    @property
    def status(self) -> int:
        if self.refused is not None:
            return 2
        return 1 if self.problems or (self.check and self.changed) else 0


def format_project(path: str | None, check: bool = False,
                   limit: int = DEFAULT_MAX_FILE_SIZE) -> FmtOutcome:
    """Format every file of the project (with ``check``, only say which would change).

    A write that is refused (a read-only file, a link out of the project) stops the run:
    :attr:`FmtOutcome.refused` says why, after the problems found so far."""
    from kkctl.loader import Options, Reader, exclude_of
    from kkctl.project import list_files, locate
    from kkctl.safeio import UnsafeFileError
    from kkctl.textio import write_atomic

    project = locate(path)
    first = Reader(project, Options(use_cache=False, max_file_size=limit)).read(
        project.project_file)
    sort, locale = _settings(first.data)
    outcome = FmtOutcome([], [], locale, check)
    for file in list_files(project, exclude_of(first)):
        name = project.display(file)
        try:
            result = format_file(file, sort, limit, project.root, name)
        except UnsafeFileError as err:  # not read at all: where, why, what to do
            outcome.problems.append(FmtProblem(err.display, err.line, err.column,
                                               err.limit_message_id, err.message_args))
            continue
        except FormatError as err:
            outcome.problems.append(FmtProblem(name, err.line, err.column, "fmt.cannot_format",
                                               {"reason": err.reason()}))
            continue
        except OSError as err:
            outcome.problems.append(FmtProblem(name, 0, 0, "fmt.cannot_format",
                                               {"reason": err.strerror or str(err)}))
            continue
        if result.changed:
            outcome.changed.append(name)
            if not check:
                try:
                    write_atomic(file, result.after, root=project.root)
                except UsageError as err:
                    outcome.refused = err
                    return outcome
    return outcome


def _settings(data: object) -> tuple[bool, str | None]:
    """``fmt: {sort: true}`` and the organisation's locale, from kkctl.yaml's data."""
    if not isinstance(data, dict):
        return False, None
    from kkctl.loader import declared_locale

    settings = data.get("fmt")
    sort = bool(settings.get("sort")) if isinstance(settings, dict) else False
    return sort, declared_locale(data)
