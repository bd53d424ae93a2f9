"""What the editor asks, answered over an :class:`~kkctl.lsp.workspace.Analysis`.

Positions here are the loader's: 1-based lines, 1-based columns in characters. Every answer
names files relative to the project root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkctl.diagnostics import Diagnostic
from kkctl.lsp.index import Occurrence
from kkctl.lsp.workspace import Analysis
from kkctl.messages import kind_name

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")  # the schema's id pattern
_WORD = re.compile(r"[A-Za-z0-9._-]+")

# The kinds each reference field may name (format.md's table), for completion, where the
# text being typed is no reference yet. (collection, field); collection None: any.
PEOPLE, TEAMS = ("person",), ("team",)
ACTORS = ("team", "council", "person", "partner")
FIELD_KINDS: dict[tuple[str | None, str], tuple[str, ...]] = {
    (None, "leader"): PEOPLE, (None, "members"): PEOPLE, (None, "person"): PEOPLE,
    (None, "sponsor"): PEOPLE, (None, "ceo"): PEOPLE, (None, "represents"): TEAMS,
    (None, "giver"): ACTORS, (None, "holder"): ACTORS,
    (None, "receiver"): ("client", "team", "council", "person"),
    (None, "granted_by"): ("team", "council", "person"), (None, "value"): ("value",),
    (None, "key_value"): ("value",), (None, "supports"): ("promise",),
    (None, "requires"): ("promise",), (None, "metrics"): ("metric",),
    (None, "success_indicator"): ("metric",), (None, "authorities"): ("authority",),
    (None, "reward"): ("reward_scheme",), (None, "client"): ("client",),
    (None, "clients"): ("client",), (None, "team"): TEAMS, (None, "parent"): TEAMS,
    (None, "owner"): ACTORS, ("hypotheses", "parent"): ("hypothesis",),
    ("councils", "unit"): TEAMS, ("reward_schemes", "unit"): ("team", "council"),
}

WORDS = {
    "defined": {"en": "defined at", "ru": "определён в"},
    "used": {"en": "used {n} times", "ru": "использований: {n}"},
    "unused": {"en": "not referred to anywhere", "ru": "нигде не упоминается"},
    "more": {"en": "and {n} more", "ru": "и ещё {n}"},
    "replace": {"en": "Replace '{old}' with '{new}'", "ru": "Заменить '{old}' на '{new}'"},
    "suppress": {"en": "Accept this finding here: # kkctl: ignore[{slug}]",
                 "ru": "Принять это замечание здесь: # kkctl: ignore[{slug}]"},
    "reason": {"en": "<why this is accepted>", "ru": "<почему это допустимо>"},
    "bad_id": {"en": "'{new}' is not an id: lowercase letters, digits, '.', '_' and '-', "
                     "starting with a letter or digit",
               "ru": "'{new}' не годится как id: строчные латинские буквы, цифры, '.', '_' "
                     "и '-', в начале буква или цифра"},
    "taken": {"en": "'{new}' is already the id of {what}; choose another",
              "ru": "'{new}' уже id: {what}; выберите другой"},
    "escaped": {"en": "'{old}' is written with escapes at {where}; rename it there by hand",
                "ru": "'{old}' записан с экранированием в {where}; переименуйте его вручную"},
}


def word(key: str, lang: str, **args: object) -> str:
    table = WORDS[key]
    return table.get(lang, table["en"]).format(**args)


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int
    end: int


@dataclass(frozen=True)
class Edit:
    file: str
    line: int
    column: int
    end: int  # on the same line
    text: str


def _loc(found: Occurrence) -> Location:
    return Location(found.file, found.line, found.column, found.end)


def definition(analysis: Analysis, file: str, line: int, column: int) -> Location | None:
    found = analysis.index.at(file, line, column)
    target = analysis.index.definition(found.id) if found is not None else None
    return _loc(target) if target is not None else None


def references(analysis: Analysis, file: str, line: int, column: int,
               include_declaration: bool = True) -> list[Location]:
    found = analysis.index.at(file, line, column)
    if found is None:
        return []
    return [_loc(o) for o in analysis.index.by_id.get(found.id, ())
            if include_declaration or not o.defines]


def hover(analysis: Analysis, file: str, line: int, column: int, text: str) -> str | None:
    """Markdown: an id's entity (kind, name, where defined, where used), or a rule's
    summary for a rule code or slug in a suppression."""
    lang = analysis.lang
    found = analysis.index.at(file, line, column)
    if found is None:
        return _rule_hover(text, line, column, lang)
    entity = analysis.loaded.org.by_id.get(found.id) if analysis.loaded else None
    where = analysis.index.definition(found.id)
    if entity is None or where is None:
        return None
    name = getattr(entity, "name", None) or ""
    head = f"**{kind_name(entity.kind, lang)}** `{entity.id}`" + (f" — {name}" if name else "")
    lines = [head, "", f"{word('defined', lang)} {where.file}:{where.line}:{where.column}"]
    uses = analysis.index.uses(found.id)
    lines += ["", word("used", lang, n=len(uses)) if uses else word("unused", lang)]
    lines += [f"- {u.file}:{u.line}:{u.column} `{u.field}`" for u in uses[:10]]
    if len(uses) > 10:
        lines.append(f"- {word('more', lang, n=len(uses) - 10)}")
    return "\n".join(lines)


def _rule_hover(text: str, line: int, column: int, lang: str) -> str | None:
    rows = text.splitlines()
    if not 0 < line <= len(rows):
        return None
    token = _word_at(rows[line - 1], column)
    if token is None:
        return None
    from kkctl.codes import CODES
    from kkctl.lint.listing import explain
    from kkctl.lint.registry import find

    if find(token) is None and token.upper() not in CODES:
        return None
    try:
        explained = explain(token, lang)
    except Exception:  # an unknown name: no hover
        return None
    summary = explained.split("\n\n", 1)[0]
    return "\n\n".join(summary.splitlines()) + f"\n\n`kkctl explain {token}`"


def _word_at(row: str, column: int) -> str | None:
    for match in _WORD.finditer(row):
        if match.start() < column <= match.end() + 1:
            return match.group(0)
    return None


@dataclass(frozen=True)
class Candidate:
    id: str
    kind: str
    name: str
    where: str


def completion(analysis: Analysis, file: str, line: int, column: int,
               text: str) -> list[Candidate]:
    """Ids of the kinds the field at the cursor allows, with their names."""
    if analysis.loaded is None:
        return []
    allowed = field_kinds(text, line, column)
    if allowed is None:
        return []
    out = []
    for entity in analysis.loaded.org.by_id.values():
        if set(entity.kinds()).isdisjoint(allowed):
            continue
        where = entity.source.where("id")
        out.append(Candidate(entity.id, kind_name(entity.kind, analysis.lang),
                             getattr(entity, "name", None) or "", where))
    return out


_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]+):\s*(?:\[|\{)?")
_FLOW_KEY = re.compile(r"([A-Za-z_]+):\s*(?:\[[^\]]*)?[^,{}\[\]:]*$")
_COLLECTION = re.compile(r"^([a-z_]+):\s*$")


def field_kinds(text: str, line: int, column: int) -> tuple[str, ...] | None:
    """The kinds allowed where the cursor is: after ``leader:``, in ``members: [..`` or in a
    ``- `` item under ``supports:``; None anywhere else."""
    rows = text.splitlines()
    if not 0 < line <= len(rows) + 1:
        return None
    row = rows[line - 1] if line <= len(rows) else ""
    before = row[:column - 1]
    key = _key_before(before)
    if key is None and (before.strip() in ("-", "") or re.fullmatch(r"\s*-\s+[\w.-]*", before)):
        key = _parent_key(rows, line, len(before) - len(before.lstrip()))
    if key is None:
        return None
    collection = _collection(rows, line)
    return FIELD_KINDS.get((collection, key)) or FIELD_KINDS.get((None, key))


def _key_before(before: str) -> str | None:
    match = _FLOW_KEY.search(before)
    if match is None:
        return None
    tail = before[match.end(1) + 1:]
    return match.group(1) if ":" not in tail else None


def _parent_key(rows: list[str], line: int, indent: int) -> str | None:
    """The key a ``- item`` line belongs to: the nearest line above with less indent (or
    the same indent, in YAML's compact ``key:\\n- item`` form)."""
    for number in range(line - 2, -1, -1):
        row = rows[number]
        stripped = row.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        here = len(row) - len(stripped)
        if stripped.startswith("- ") and here == indent:
            continue
        if here <= indent:
            match = re.match(r"(?:-\s+)?([A-Za-z_]+):\s*$", stripped)
            return match.group(1) if match else None
    return None


def _collection(rows: list[str], line: int) -> str | None:
    for number in range(line - 1, -1, -1):
        match = _COLLECTION.match(rows[number]) if number < len(rows) else None
        if match:
            return match.group(1)
    return None


class RenameError(Exception):
    """Why an id cannot be renamed (a sentence in the analysis' language)."""


def rename(analysis: Analysis, file: str, line: int, column: int, new: str) -> list[Edit]:
    """Edits that rename the id at the cursor everywhere, touching only the id's text."""
    lang = analysis.lang
    found = analysis.index.at(file, line, column)
    if found is None:
        return []
    if not ID_PATTERN.match(new):
        raise RenameError(word("bad_id", lang, new=new))
    other = analysis.loaded.org.by_id.get(new) if analysis.loaded else None
    if other is not None and new != found.id:
        raise RenameError(word("taken", lang, new=new,
                               what=f"{kind_name(other.kind, lang)} '{other.id}'"))
    edits = []
    for occurrence in analysis.index.by_id.get(found.id, ()):
        if not occurrence.exact:
            raise RenameError(word("escaped", lang, old=found.id, where=(
                f"{occurrence.file}:{occurrence.line}:{occurrence.column}")))
        edits.append(Edit(occurrence.file, occurrence.line, occurrence.column, occurrence.end,
                          new))
    return edits


def rename_range(analysis: Analysis, file: str, line: int, column: int) -> Location | None:
    found = analysis.index.at(file, line, column)
    return _loc(found) if found is not None else None


@dataclass
class Symbol:
    name: str
    detail: str
    kind: str  # an entity kind, or "collection"
    line: int
    column: int
    end: int
    last_line: int
    children: list[Symbol]


def symbols(analysis: Analysis, file: str) -> list[Symbol]:
    """The file's entities, under their collections, in file order."""
    if analysis.loaded is None:
        return []
    groups: dict[str, Symbol] = {}
    for found in analysis.index.by_file.get(file, ()):
        entity = found.holder
        if not found.defines or entity is None:
            continue
        collection = str(entity.source.path[0])
        name = getattr(entity, "name", None) or ""
        symbol = Symbol(entity.id, name, entity.kind, found.line, found.column, found.end,
                        found.line, [])
        group = groups.get(collection)
        if group is None:
            key = entity.source.file.position((collection,))
            group = groups[collection] = Symbol(collection, "", "collection", key[0], key[1],
                                                key[1] + len(collection), key[0], [])
        group.children.append(symbol)
        group.last_line = max(group.last_line, found.line)
    return list(groups.values())


@dataclass(frozen=True)
class Fix:
    title: str
    edits: list[Edit]
    preferred: bool = False


def fixes(analysis: Analysis, file: str, diagnostic: Diagnostic, text: str) -> list[Fix]:
    """Certain fixes for one finding: the id "did you mean" names; a suppression comment."""
    lang = analysis.lang
    out: list[Fix] = []
    if diagnostic.code == "KK102":
        suggestion = _did_you_mean(analysis, file, diagnostic)
        if suggestion is not None:
            found, new = suggestion
            out.append(Fix(word("replace", lang, old=found.id, new=new),
                           [Edit(file, found.line, found.column, found.end, new)], True))
    from kkctl.reporters import lint_rule

    rule = lint_rule(diagnostic.code)
    if rule is not None:
        rows = text.splitlines()
        row = rows[diagnostic.line - 1] if 0 < diagnostic.line <= len(rows) else ""
        indent = row[:len(row) - len(row.lstrip())]
        comment = f"{indent}# kkctl: ignore[{rule.slug}] {word('reason', lang)}\n"
        out.append(Fix(word("suppress", lang, slug=rule.slug),
                       [Edit(file, diagnostic.line, 1, 1, comment)]))
    return out


def _did_you_mean(analysis: Analysis, file: str,
                  diagnostic: Diagnostic) -> tuple[Occurrence, str] | None:
    from kkctl.messages import closest

    found = analysis.index.at(file, diagnostic.line, diagnostic.column)
    if found is None or found.defines or analysis.loaded is None:
        return None
    allowed = set(found.allowed)
    candidates = [e.id for e in analysis.loaded.org.by_id.values()
                  if not allowed.isdisjoint(e.kinds())]
    new = closest(found.id, candidates, strict=True)
    return (found, new) if new else None

