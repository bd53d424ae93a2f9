"""Canonical formatting that loses nothing: ruamel.yaml's round trip keeps every comment and
every quote; kkctl only puts keys in the schema's order, indents consistently (mappings by 2,
list items by 4 with the dash at 2) and, with ``fmt: {sort: true}``, sorts collections by id,
each entity taking the comment lines above it along. Text is never re-wrapped, and no
scalar's text is touched: every plain scalar is loaded as a string (dates, ``1.10``,
``0x1F``, ``~`` are written back exactly as they were). Formatting twice gives what
formatting once gave, and every result is checked against the data as kkctl itself reads it.

The round trip costs about 25 ms a file, so it runs only where something may change: a text
already in the form it writes is recognised in one pass over libyaml's events (the fast path
below), a content found canonical before is remembered in the user's cache, and the files of a
project are shared between two processes.
"""

from __future__ import annotations

import functools
import io
import itertools
import marshal
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kkctl.diagnostics import Severity
from kkctl.loader import DEFAULT_MAX_FILE_SIZE
from kkctl.project import UsageError
from kkctl.yamlread import MAX_INT_DIGITS

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
# Bump when what fmt writes changes: contents remembered as canonical are then checked again.
FMT_FORMAT = 1


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
    if not sort and _already_canonical(text, sort):
        return text  # what the round trip would give, without its ~25 ms a file
    before = _kk_data(text)  # what kkctl reads: the yardstick of "loses nothing"
    if sort and _already_canonical(text, sort, before):
        return text
    return _round_trip(text, before, sort)


def _round_trip(text: str, before: Any, sort: bool) -> str:
    """Format through ruamel.yaml's round trip; ``before``: the text as kkctl reads it."""
    from ruamel.yaml.comments import CommentedMap

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

    from kkctl.model import COLLECTIONS

    if isinstance(data.get("organisation"), CommentedMap):
        _reorder(data["organisation"], CANONICAL["organisation"])
    for collection in COLLECTIONS:
        items = data.get(collection)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, CommentedMap):
                _reorder(item, CANONICAL[collection])
                members = item.get("members")  # a number here is the schema's to report
                for member in members if isinstance(members, list) else []:
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
    from kkctl.model import COLLECTIONS  # not at the top: an unchanged run never needs it

    return [name for name in COLLECTIONS
            if isinstance(data.get(name), list) and len(data[name]) > 1
            and all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in data[name])]


def _sorted(data: Any, names: list[str]) -> Any:
    if not names:  # nothing sorted (a file whose root is a list, too)
        return data
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


# -- The fast path: a text already in the form fmt writes ----------------------------------
#
# An unchanged organisation is almost all canonical files, and the round trip costs ~25 ms a
# file (30-60x what validate spends on it). _Layout walks libyaml's events over the text and
# consumes the text alongside them, accepting only what ruamel.yaml, set up as _yaml() sets it
# up, writes back character for character: the indentation fmt uses, one space after ``:``
# and ``,``, every scalar in a style and spelling the emitter keeps, comments and blank lines
# where ruamel.yaml keeps them verbatim, entities' keys in the order _reorder_entities puts
# them. Anything else (anchors, tags, a flow collection over several lines, a long line, a
# tab, ...) is "not known", and the round trip decides. It also leaves to the round trip
# everything kkctl's reader could refuse in such a text (a duplicate key, a number too long),
# so the text need not be read by kkctl first. tests/test_fmt_speed.py holds the claim against
# the round trip and the reader.

class _Patterns(NamedTuple):
    """The fast path's regular expressions, compiled on first use (~7 ms): a run that finds
    every file in the cache needs none of them."""

    # Characters outside YAML's printable set, and tab, CR, NEL and BOM: the emitter escapes
    # or respells them, so a file with one goes through the round trip.
    odd: re.Pattern[str]
    head: re.Pattern[str]  # comment and blank lines before the first key
    gap: re.Pattern[str]  # a line's end, then blank and comment lines
    tail: re.Pattern[str]  # the same, to the end of the text
    block_header: re.Pattern[str]
    # The emitter's own test (Emitter.analyze_scalar) of a one-line plain scalar.
    not_block_plain: re.Pattern[str]
    not_flow_plain: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    not_plain = r"\A(?:[#,\[\]{}&*!|>'\"%@` ]|[-?:](?: |\Z)|---|\.\.\.)|: |:\Z| #| \Z"
    return _Patterns(
        odd=re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]"),
        head=re.compile(r"(?:[ ]*#[^\n]*\n|\n)*"),
        gap=re.compile(r"(?: +#[^\n]*)?\n(?:[ ]*#[^\n]*\n|\n)*"),
        tail=re.compile(r"(?: +#[^\n]*)?\n(?:[ ]*#[^\n]*\n|\n)*\Z"),
        block_header=re.compile(r"([|>])(-?)\n"),
        not_block_plain=re.compile(not_plain),
        not_flow_plain=re.compile(not_plain + r"|[,\[\]{}]"))


_NUMERIC_START = frozenset("-+.0123456789")
_MAX_COLUMN = 2000  # far below the emitter's width (4096): it never wraps what it keeps
_MAX_KEY = 128  # the emitter writes a longer key as "? key"
_MAX_DEPTH = 100  # deeper documents go through the round trip (kkctl's reader stops at 256)
_RANKS = {kind: {**{key: i for i, key in enumerate(order)},
                 **{key: len(order) + 1 + i for i, key in enumerate(LAST)}}
          for kind, order in CANONICAL.items()}


class _NotCanonical(Exception):
    """Not (known to be) what fmt writes: the round trip decides."""


def _already_canonical(text: str, sort: bool, data: Any = None) -> bool:
    """True only if :func:`format_text` would give ``text`` back unchanged, with no error.
    ``data`` (the text as kkctl reads it) is needed with ``sort`` only."""
    from yaml import YAMLError

    if not text.endswith("\n") or text.startswith("\n") or _patterns().odd.search(text):
        return False
    try:
        layout = _Layout(text)
        layout.check()
    except (_NotCanonical, YAMLError, ImportError):  # ImportError: no libyaml here
        return False
    return not sort or (isinstance(data, dict) and _sorted_already(text, data, layout))


_BLOCK_MAP, _BLOCK_LIST, _FLOW_MAP, _FLOW_LIST = range(4)
_SPACES = [" " * n for n in range(4 * _MAX_DEPTH + 8)]


class _Frame:
    """An open collection: what it is, where its lines start (``indent``: a block mapping's
    keys, a block list's dashes), and ``kind``, the entity whose keys _reorder_entities
    orders ("teams", "members", "organisation"): of a mapping, or of a list's mappings."""

    __slots__ = ("decorated", "empty_ok", "first", "flow_items", "indent", "key", "keys",
                 "kind", "mode", "want_value")

    def __init__(self, mode: int, indent: int, kind: str | None, first: bool = True,
                 empty_ok: bool = False) -> None:
        self.mode, self.indent, self.kind = mode, indent, kind
        self.first = first  # no entry yet (a block mapping's first key may be on a dash line)
        self.empty_ok = empty_ok  # an empty flow collection is fine (a mapping's value only)
        self.keys: list[str] = []
        self.key = ""
        self.want_value = False  # a mapping's key was read, its value comes next
        self.flow_items = self.decorated = False  # a block list: flow items, comment lines


class _Layout:
    """One pass over libyaml's events, consuming the text as the emitter would write it."""

    def __init__(self, text: str) -> None:
        from yaml import events
        from yaml._yaml import CParser

        from kkctl.model import COLLECTIONS

        self.text = text
        self.patterns = _patterns()
        self.next_event = CParser(text.encode("utf-8")).get_event
        self.ev = events
        self.collections = COLLECTIONS
        self.block_lists: set[str] = set()  # top-level keys holding a block sequence

    def check(self) -> None:
        ev, get = self.ev, self.next_event
        if type(get()) is not ev.StreamStartEvent:
            raise _NotCanonical
        start = get()
        if type(start) is not ev.DocumentStartEvent or start.explicit:
            raise _NotCanonical  # ruamel.yaml drops "---"
        root = get()
        if type(root) is not ev.MappingStartEvent or root.flow_style or root.anchor or \
                root.tag:
            raise _NotCanonical
        pos = self.walk(self.patterns.head.match(self.text).end())  # type: ignore[union-attr]
        end = get()
        if type(end) is not ev.DocumentEndEvent or end.explicit or \
                type(get()) is not ev.StreamEndEvent or \
                not self.patterns.tail.match(self.text, pos):
            raise _NotCanonical

    def walk(self, pos: int) -> int:  # one loop, on purpose: this is the hot path
        """The root mapping's entries from ``pos``; where they end."""
        text, get, collections = self.text, self.next_event, self.collections
        ev = self.ev
        scalar_event, mapping_end = ev.ScalarEvent, ev.MappingEndEvent
        mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
        patterns = self.patterns
        gap, spaces, numeric_start = patterns.gap.match, _SPACES, _NUMERIC_START
        block_not_plain, flow_not_plain = (patterns.not_block_plain.search,
                                           patterns.not_flow_plain.search)
        top = frame = _Frame(_BLOCK_MAP, 0, None)
        stack: list[_Frame] = []
        while True:
            event = get()
            cls = type(event)
            mode = frame.mode
            if cls is mapping_end or cls is ev.SequenceEndEvent:  # the open collection ends
                pos = self.close(frame, event, pos)
                if not stack:
                    return pos
                frame = stack.pop()
                continue
            if mode == _BLOCK_MAP and not frame.want_value:  # a key on its own line
                if not frame.first:
                    found = gap(text, pos)
                    if found is None or not text.startswith(spaces[frame.indent], found.end()):
                        raise _NotCanonical
                    pos = found.end() + frame.indent
                if cls is not scalar_event or event.style or event.anchor or event.tag:
                    raise _NotCanonical
                key = event.value
                end = event.end_mark
                if not key or len(key) >= _MAX_KEY or key == "<<" or block_not_plain(key) or \
                        event.start_mark.index != pos or end.index != pos + len(key) or \
                        end.column > _MAX_COLUMN or not text.startswith(key, pos) or \
                        not text.startswith(":", end.index):
                    raise _NotCanonical  # "<<" merges in ruamel.yaml, a longer key is "? key"
                frame.keys.append(key)
                frame.key, frame.first, frame.want_value = key, False, True
                pos = end.index + 1
                continue
            if mode == _FLOW_MAP and not frame.want_value:  # a key after "{" or ", "
                if not frame.first:
                    pos = _literal(text, pos, ", ")
                pos = self.key(frame, event, pos, patterns.not_flow_plain, ": ")
                continue
            as_map = items = None  # the kinds of what comes: as a mapping, as a list's items
            if mode == _BLOCK_MAP:
                frame.want_value = False
                if cls is scalar_event:
                    if event.value == "" and not event.style and not event.tag and \
                            not event.anchor:
                        continue  # null: the key alone, as written back
                    pos = _literal(text, pos, " ")
                elif cls is not mapping_start and cls is not sequence_start:
                    raise _NotCanonical
                else:
                    if event.flow_style:
                        pos = _literal(text, pos, " ")
                    if frame is top:
                        as_map = "organisation" if frame.key == "organisation" else None
                        items = frame.key if frame.key in collections else None
                    elif frame.key == "members" and frame.kind in collections:
                        items = "members"
            elif mode == _BLOCK_LIST:
                found = gap(text, pos)
                if found is None or not text.startswith(spaces[frame.indent], found.end()):
                    raise _NotCanonical
                frame.decorated = frame.decorated or found.end() - pos > 1
                pos = _literal(text, found.end() + frame.indent, "- ")
                as_map = frame.kind
            elif mode == _FLOW_MAP:
                frame.want_value = False
            else:
                if not frame.first:
                    pos = _literal(text, pos, ", ")
                frame.first = False
            if cls is scalar_event:
                value = event.value
                if event.style or event.anchor or event.tag:
                    pos = self.scalar(event, pos, mode >= _FLOW_MAP, frame.indent + 2)
                    continue
                end = event.end_mark  # a plain scalar, as scalar() reads it, inline (most are)
                if not value or (flow_not_plain if mode >= _FLOW_MAP else block_not_plain)(
                        value) or (len(value) > MAX_INT_DIGITS and value[0] in numeric_start) or \
                        event.start_mark.index != pos or end.index != pos + len(value) or \
                        end.column > _MAX_COLUMN or not text.startswith(value, pos):
                    raise _NotCanonical
                pos = end.index
                continue
            if (cls is not mapping_start and cls is not sequence_start) or event.anchor or \
                    event.tag or len(stack) >= _MAX_DEPTH:
                raise _NotCanonical
            stack.append(frame)
            frame = self.open(frame, event, pos, as_map if cls is mapping_start else items)
            if frame.mode >= _FLOW_MAP:
                pos += 1  # "{" or "["
            elif frame.mode == _BLOCK_LIST and stack[-1] is top:
                self.block_lists.add(top.key)

    def open(self, parent: _Frame, event: Any, pos: int, kind: str | None) -> _Frame:
        """The frame of a collection starting at ``pos``, in ``parent``."""
        is_map = type(event) is self.ev.MappingStartEvent
        if event.flow_style:
            if parent.mode == _FLOW_LIST and is_map:
                raise _NotCanonical  # ruamel.yaml writes [{k: v}] as [k: v]
            if not self.text.startswith("{" if is_map else "[", pos):
                raise _NotCanonical
            if parent.mode == _BLOCK_LIST:
                parent.flow_items = True
            return _Frame(_FLOW_MAP if is_map else _FLOW_LIST, 0, kind,
                          empty_ok=parent.mode == _BLOCK_MAP)
        if parent.mode == _BLOCK_MAP:  # on the lines below the key
            return _Frame(_BLOCK_MAP if is_map else _BLOCK_LIST, parent.indent + 2, kind,
                          first=False)
        if parent.mode == _BLOCK_LIST and is_map:  # its first key on the dash's line
            return _Frame(_BLOCK_MAP, parent.indent + 2, kind)
        raise _NotCanonical  # "- - x": written with other indentation

    def key(self, frame: _Frame, event: Any, pos: int, not_plain: Any, after: str) -> int:
        """A plain key at ``pos``, written back as it is, then ``after`` (as in walk(), where
        a block mapping's key is read inline)."""
        if type(event) is not self.ev.ScalarEvent or event.style or event.anchor or \
                event.tag:
            raise _NotCanonical
        key = event.value
        end = event.end_mark
        if not key or len(key) >= _MAX_KEY or key == "<<" or not_plain.search(key) or \
                event.start_mark.index != pos or end.index != pos + len(key) or \
                end.column > _MAX_COLUMN or not self.text.startswith(key, pos):
            raise _NotCanonical  # "<<" merges in ruamel.yaml, a longer key is "? key"
        frame.keys.append(key)
        frame.key, frame.first, frame.want_value = key, False, True
        return _literal(self.text, end.index, after)

    def close(self, frame: _Frame, event: Any, pos: int) -> int:
        """The end of ``frame``'s collection at ``pos``; where it ends. Comments and blank
        lines in a block list with a flow collection for an item are left to the round
        trip: ruamel.yaml moves, drops or even garbles some of them (``- id: s n: t``)."""
        mode = frame.mode
        if mode == _BLOCK_LIST and frame.flow_items and \
                (frame.decorated or self.text.startswith(" ", pos)):
            raise _NotCanonical
        if mode >= _FLOW_MAP:
            if frame.first and not frame.empty_ok:
                raise _NotCanonical  # "- {}" and "[[]]": more of ruamel.yaml's surprises
            pos = _literal(self.text, pos, "}" if mode == _FLOW_MAP else "]")
            if event.end_mark.column > _MAX_COLUMN:
                raise _NotCanonical
        if mode in (_BLOCK_MAP, _FLOW_MAP):
            _check_keys(frame.keys, frame.kind)
        return pos

    def scalar(self, event: Any, pos: int, flow: bool, indent: int) -> int:
        """A scalar value at ``pos``; where it ends. ``indent``: a block scalar's lines'."""
        if event.anchor or event.tag:
            raise _NotCanonical
        style, value = event.style, event.value
        if not style:
            plain = self.patterns.not_flow_plain if flow else self.patterns.not_block_plain
            if not value or plain.search(value) or \
                    (len(value) > MAX_INT_DIGITS and value[0] in _NUMERIC_START):
                raise _NotCanonical  # many digits: kkctl's reader may refuse the number
            source = value
        elif style == "'":
            source = "'" + value.replace("'", "''") + "'"
        elif style == '"':
            if '"' in value or "\\" in value:
                raise _NotCanonical  # escapes: the emitter chooses its own
            source = '"' + value + '"'
        elif not flow and event.start_mark.index == pos:
            return self.block_scalar(event, pos, indent)
        else:
            raise _NotCanonical
        end = event.end_mark
        if event.start_mark.index != pos or end.index != pos + len(source) or \
                end.column > _MAX_COLUMN or not self.text.startswith(source, pos):
            raise _NotCanonical
        return int(end.index)

    def block_scalar(self, event: Any, pos: int, indent: int) -> int:
        """``|`` or ``>`` (``-`` allowed): every line at ``indent``, a literal's deeper lines
        kept, no trailing space; the value libyaml read must be what these lines say."""
        header = self.patterns.block_header.match(self.text, pos)
        if header is None:
            raise _NotCanonical
        lines, end = self.block_lines(header.end(), indent)
        folded = header.group(1) == ">"
        if not lines or not lines[0] or lines[0].startswith(" ") or \
                (folded and any(line.startswith(" ") for line in lines)):
            raise _NotCanonical
        value = _fold(lines) if folded else "\n".join(lines)
        if value + ("" if header.group(2) else "\n") != event.value:
            raise _NotCanonical
        return end

    def block_lines(self, start: int, indent: int) -> tuple[list[str], int]:
        """A block scalar's lines from ``start`` (their indentation cut), up to its last line
        that is not empty, and where that line ends."""
        text, margin = self.text, " " * indent
        lines: list[str] = []
        kept, end = 0, start
        while start < len(text):
            stop = text.find("\n", start)
            line = text[start:stop]
            if line:
                if not line.startswith(margin) or line.endswith(" ") or \
                        len(line) > _MAX_COLUMN:
                    break
                kept, end = len(lines) + 1, stop
            lines.append(line[indent:])
            start = stop + 1
        return lines[:kept], end


def _literal(text: str, pos: int, expected: str) -> int:
    """``expected`` is at ``pos``; where it ends."""
    if not text.startswith(expected, pos):
        raise _NotCanonical
    return pos + len(expected)


def _check_keys(keys: list[str], kind: str | None) -> None:
    """No duplicate key (kkctl's reader refuses it), and an entity's keys where _reorder
    leaves them."""
    if len(set(keys)) != len(keys):
        raise _NotCanonical
    if kind is None:
        return
    rank, other = _RANKS[kind], len(CANONICAL[kind])
    last = -1
    for key in keys:
        here = rank.get(key, other)
        if here < last:
            raise _NotCanonical
        last = here


def _fold(lines: list[str]) -> str:
    """What a folded scalar's lines (none indented deeper) read as: a line break between
    two lines is a space, an empty line a line break."""
    out: list[str] = []
    empty = 0
    for line in lines:
        if not line:
            empty += 1
            continue
        if out:
            out.append("\n" * empty if empty else " ")
        out.append(line)
        empty = 0
    return "".join(out)


def _sorted_already(text: str, data: dict[str, Any], layout: _Layout) -> bool:
    """``fmt: {sort: true}`` would move nothing: ids in order, and the text of each block
    collection is one :func:`_sort_block` leaves as it is."""
    for name in _sortable(data):
        items = data[name]
        if any(a["id"] > b["id"] for a, b in itertools.pairwise(items)):
            return False
        if name in layout.block_lists:
            try:
                if _sort_block(text, name, items) != text:
                    return False
            except FormatError:
                return False
    return True


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
                   limit: int = DEFAULT_MAX_FILE_SIZE, use_cache: bool = True) -> FmtOutcome:
    """Format every file of the project (with ``check``, only say which would change).

    A file whose exact content this kkctl found canonical before, under the same settings,
    is not formatted again (``use_cache``: the user's cache folder remembers such contents).
    A write that is refused (a read-only file, a link out of the project) stops the run:
    :attr:`FmtOutcome.refused` says why, after the problems found so far."""
    from kkctl.loader import Options, Reader, exclude_of
    from kkctl.project import list_files, locate
    from kkctl.textio import write_atomic

    project = locate(path)
    first = Reader(project, Options(use_cache=use_cache, max_file_size=limit)).read(
        project.project_file)
    sort, locale = _settings(first.data)
    outcome = FmtOutcome([], [], locale, check)
    files = list_files(project, exclude_of(first))
    known = _Known(str(project.root), sort) if use_cache else None
    task = _Task(sort, limit, project.root, known.salt if known else None,
                 known.keys if known else frozenset(), not check)
    results = _outcomes(task, [(file, project.display(file)) for file in files])
    canonical: set[bytes] = set()
    for file, name, (kind, *detail) in zip(files, (project.display(f) for f in files),
                                           results, strict=True):
        if kind == "same":
            canonical.add(detail[0])
        elif kind == "problem":
            outcome.problems.append(FmtProblem(*detail))
        else:
            outcome.changed.append(name)
            if not check:
                try:
                    write_atomic(file, detail[0], root=project.root)
                except UsageError as err:
                    outcome.refused = err
                    break
    if known is not None:
        known.remember(canonical)
    return outcome


class _Known:
    """Contents ``kkctl fmt`` found already canonical, by content key (the bytes, fmt's
    settings, this kkctl and its ruamel.yaml): one cache entry for the project, read once."""

    def __init__(self, root: str, sort: bool) -> None:
        from kkctl.cache import ParseCache, canonical_salt

        self.cache = ParseCache()
        self.scope = f"fmt\0{root}\0{sort}"
        self.salt = canonical_salt(f"sort={sort};format={FMT_FORMAT};ruamel={_ruamel_stamp()}")
        self.keys = self.cache.canonical_keys(self.scope)

    def remember(self, canonical: set[bytes]) -> None:
        canonical.discard(b"")
        if canonical != self.keys:  # the project's files only: the entry stays small
            self.cache.put_canonical_keys(self.scope, canonical)


def _ruamel_stamp() -> str:
    """Which ruamel.yaml is installed (it decides what canonical is), without importing it
    (~17 ms): its package file's size and time, new with every install."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("ruamel.yaml")
        origin = spec.origin if spec is not None else None
        info = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return "unknown"
    return f"{info.st_size}:{info.st_mtime_ns}" if info is not None else "unknown"


@dataclass(frozen=True)
class _Task:
    """What formatting one file needs, the same for every file (and for a forked worker).
    Outcomes are plain data (they may come back from the worker): ``("same", content key)``,
    ``("changed", new text or None)``, ``("problem", file, line, column, message id,
    arguments)``, or, read but not formatted yet, ``("read", bytes, content key)``."""

    sort: bool
    limit: int
    root: Path
    salt: Any  # a hasher of the content key's prefix (kkctl.cache.canonical_salt), or None
    known: frozenset[bytes] | set[bytes]  # contents found canonical before
    keep_text: bool  # a changed file's new text is wanted (to write it)
    # real paths of the project's folders, resolved once (kkctl.safeio.read_bytes_safely)
    reals: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def read(self, file: Path, name: str) -> tuple[Any, ...]:
        """The file's bytes and content key; "same" already if the content is known."""
        from kkctl.safeio import UnsafeFileError, read_bytes_safely

        try:
            data = read_bytes_safely(file, self.root, self.limit, name, self.reals)
        except UnsafeFileError as err:  # not read at all: where, why, what to do
            return ("problem", err.display, err.line, err.column, err.limit_message_id,
                    dict(err.message_args))
        except OSError as err:
            return ("problem", name, 0, 0, "fmt.cannot_format",
                    {"reason": err.strerror or str(err)})
        key = b""
        if self.salt is not None:
            hasher = self.salt.copy()
            hasher.update(data)
            key = hasher.digest()
            if key in self.known:
                return ("same", key)
        return ("read", data, key)

    def check(self, file: Path, name: str, data: bytes, key: bytes) -> tuple[Any, ...]:
        """Format the file's ``data``: the outcome."""
        from kkctl.safeio import UnsafeFileError, read_text_safely

        try:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # read again, for the error at its line and column
                text = read_text_safely(file, self.root, self.limit, name)
                key = b""  # (if the file was just fixed, these are other bytes)
            after = format_text(text, self.sort)
        except UnsafeFileError as err:
            return ("problem", err.display, err.line, err.column, err.limit_message_id,
                    dict(err.message_args))
        except FormatError as err:
            return ("problem", name, err.line, err.column, "fmt.cannot_format",
                    {"reason": err.reason()})
        except OSError as err:
            return ("problem", name, 0, 0, "fmt.cannot_format",
                    {"reason": err.strerror or str(err)})
        if after == text:
            return ("same", key)
        return ("changed", after if self.keep_text else None)


    def run(self, file: Path, name: str) -> tuple[Any, ...]:
        """Read and format the file: the outcome."""
        outcome = self.read(file, name)
        return self.check(file, name, *outcome[1:]) if outcome[0] == "read" else outcome


def _outcomes(task: _Task, jobs: list[tuple[Path, str]]) -> list[tuple[Any, ...]]:
    """Each file's outcome, in order, on two cores where it pays. With contents known from
    the cache, every file is read here first (an unchanged one needs nothing more) and only
    the rest are shared; with none known, each process reads its own half too."""
    if not task.known and len(jobs) >= PARALLEL_MIN_FILES:
        return _in_two(task.run, jobs)
    out = [task.read(file, name) for file, name in jobs]
    pending = [(index, *jobs[index], entry[1], entry[2]) for index, entry in enumerate(out)
               if entry[0] == "read"]
    work = [item[1:] for item in pending]
    if sum(len(item[2]) for item in work) < PARALLEL_MIN_BYTES:
        done = [task.check(*item) for item in work]
    else:
        done = _in_two(task.check, work)
    for (index, *_), outcome in zip(pending, done, strict=True):
        out[index] = outcome
    return out


# Below this much YAML still to check (about 50 ms of work), or this many files to read and
# check, a second process costs more than it saves.
PARALLEL_MIN_BYTES = 300_000
PARALLEL_MIN_FILES = 64


def _in_two(work: Any, items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``work(*item)`` for every item, the odd ones in a forked worker (Linux, 2+ cores)."""
    if len(items) < 2 or not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return [work(*item) for item in items]
    theirs = items[1::2]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: its half, sent back as marshal data, then leave at once
        status = 0
        try:
            os.close(read_end)
            payload = marshal.dumps([work(*item) for item in theirs])
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        ours = [work(*item) for item in items[0::2]]
        payload = pipe.read()
    finally:
        pipe.close()  # first: a worker still writing (this side failed) then stops at once
        _, status = os.waitpid(pid, 0)
    try:
        others = marshal.loads(payload) if status == 0 else None
    except (EOFError, ValueError, TypeError):
        others = None
    if not isinstance(others, list) or len(others) != len(theirs):  # the worker failed
        others = [work(*item) for item in theirs]
    return [tuple(ours[i // 2] if i % 2 == 0 else others[i // 2]) for i in range(len(items))]


def _settings(data: object) -> tuple[bool, str | None]:
    """``fmt: {sort: true}`` and the organisation's locale, from kkctl.yaml's data."""
    if not isinstance(data, dict):
        return False, None
    from kkctl.loader import declared_locale

    settings = data.get("fmt")
    sort = bool(settings.get("sort")) if isinstance(settings, dict) else False
    return sort, declared_locale(data)
