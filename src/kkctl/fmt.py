"""Canonical formatting that loses nothing: ruamel.yaml's round trip keeps every comment and
every quote; kkctl only puts keys in the schema's order, indents consistently (mappings by 2,
list items by 4 with the dash at 2) and, with ``fmt: {sort: true}``, sorts collections by id.
Text is never re-wrapped. Formatting twice gives what formatting once gave.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kkctl.model import COLLECTIONS

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
    """The file cannot be formatted (it does not parse); validate says why."""


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap: a reflowed sentence is a change nobody asked for
    yaml.allow_duplicate_keys = False
    return yaml


def format_text(text: str, sort: bool = False) -> str:
    from ruamel.yaml.comments import CommentedMap

    yaml = _yaml()
    try:
        data = yaml.load(text)
    except Exception as err:  # ruamel raises many kinds; all mean "does not parse"
        raise FormatError(str(err).splitlines()[0] if str(err) else type(err).__name__) from err
    _block_if_wrapped(data)
    if isinstance(data, CommentedMap):
        orders = CANONICAL
        if isinstance(data.get("organisation"), CommentedMap):
            _reorder(data["organisation"], orders["organisation"])
        for collection in COLLECTIONS:
            items = data.get(collection)
            if not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, CommentedMap):
                    _reorder(item, orders[collection])
                    for member in item.get("members") or []:
                        if isinstance(member, CommentedMap):
                            _reorder(member, orders["members"])
            if sort:
                _sort_by_id(items)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue().lstrip("\n")  # ruamel keeps a leading blank line only once
    if result != text:
        _ensure_lossless(text, result, sort)
    return result


def _ensure_lossless(before: str, after: str, sort: bool) -> None:
    """The promise, checked every time: same data (numbers to the digit), every comment."""
    if _data(before, sort) != _data(after, sort) or _numbers(before) != _numbers(after):
        raise FormatError("formatting would change the data (a YAML construct ruamel.yaml "
                          "cannot round-trip); the file is left as it is")
    if comments(before) != comments(after):
        raise FormatError("formatting would lose a comment (one attached to a directive or "
                          "a lone scalar); the file is left as it is")


def _data(text: str, sort: bool = False) -> Any:
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except Exception:  # tags the safe loader does not know: compare round-trip data
        try:
            data = YAML().load(text)
        except Exception as err:
            raise FormatError("cannot check that formatting loses nothing; the file is left "
                              "as it is") from err
    if sort and isinstance(data, dict):  # sorting by id is the one change asked for
        for collection in COLLECTIONS:
            items = data.get(collection)
            if isinstance(items, list) and all(isinstance(i, dict) and
                                               isinstance(i.get("id"), str) for i in items):
                items.sort(key=lambda item: item["id"])
    return data


def _numbers(text: str) -> list[str]:
    """The source text of every non-integer number, as kkctl reads amounts: a float that
    ruamel.yaml would print with other digits is a change."""
    from kkctl.yamlread import read_yaml

    return sorted(read_yaml(text.encode("utf-8"), "fmt").decimals.values())


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
        for key in wanted:
            mapping.move_to_end(key)


def _sort_by_id(items: Any) -> None:
    ids = [item.get("id") if hasattr(item, "get") else None for item in items]
    if any(not isinstance(i, str) for i in ids):
        return
    keys = [str(i) for i in ids]
    order = sorted(range(len(items)), key=lambda i: keys[i])
    if order == list(range(len(items))):
        return
    comments = getattr(items, "ca", None)
    old_items = dict(comments.items) if comments is not None else {}
    values = [items[i] for i in order]
    for position, value in enumerate(values):
        items[position] = value
    if comments is not None:
        comments.items.clear()
        for position, old in enumerate(order):
            if old in old_items:
                comments.items[position] = old_items[old]


def format_file(path: Path, sort: bool = False) -> Formatted:
    before = path.read_text(encoding="utf-8")
    return Formatted(path, before, format_text(before, sort))
