"""`kkctl report --since REV`: what changed in the organisation since a git revision, for the
council before its meeting.

The changes come from `kkctl diff`'s own engine (the revision loaded the same way, the same
comparison, the same lint and bonus consequences). This module only picks what a council
reads, names things by their names rather than ids, and keeps every group short; each string
is localized and escaped here, so a template only lays the section out.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kkctl import diff
from kkctl import model as m
from kkctl.codes import describe
from kkctl.diagnostics import Diagnostic
from kkctl.diff.compare import Change, FieldChange
from kkctl.diff.consequences import BonusDelta, LintDelta
from kkctl.diff.render import DiffResult, summary_line
from kkctl.i18n import money, number, percent
from kkctl.labels import label, scope
from kkctl.loader import Options
from kkctl.markup import md_code, md_text
from kkctl.messages import fill
from kkctl.report.labels import LABELS

MAX_LINES = 15  # per group: on an organisation of thousands of teams the page stays short
TEXT_LIMIT = 80  # characters of a name or a promise's text

Line = tuple[str, str]  # (group, Markdown line)


def since(path: str | None, revision: str, org: m.Organisation, lang: str,
          options: Options) -> dict[str, Any]:
    """The section for ``--since REVISION``: the working tree against the revision, compared
    by ``kkctl diff``; ``org`` is the working tree the report already loaded (for names)."""
    collecting = gc.isenabled()
    try:  # a copy: diff.run keeps its own memo of parsed files in the options it gets
        result = diff.run([revision], path, options.copy(), False)
    finally:
        if collecting:  # diff.run pauses the collector for the rest of its process
            gc.enable()
    return summarise(result, org, lang)


def summarise(result: DiffResult, org: m.Organisation, lang: str) -> dict[str, Any]:
    """Plain data for ``changes.md.j2``: a title, one line when nothing changed, else the
    overall count and the groups, each with its count and at most :data:`MAX_LINES` lines."""
    words = _Words(org, lang, result)
    rev = md_code(result.base)
    section: dict[str, Any] = {"title": words.t("ch_title", rev=rev), "none": None,
                               "summary": None, "groups": [], "other": None, "details": None}
    if not (result.changes or result.lint.introduced or result.lint.resolved or result.bonus):
        section["none"] = words.t("ch_none", rev=rev)
        return section
    groups = [(words.t("ch_group", group=words.t(f"ch_{name}"), count=len(lines)), lines)
              for name, lines in _by_group(result.changes, words).items()]
    lint = result.lint  # findings are counted as found and fixed, not as "changes"
    groups.append((words.t("ch_lint_group", count=len(lint.introduced),
                           fixed=len(lint.resolved)), _lint(lint, words)))
    bonus = _bonus(result.bonus, words)
    groups.append((words.t("ch_group", group=words.t("ch_bonus"), count=len(bonus)), bonus))
    other = [c for c in result.changes if c.kind not in _BY_KIND]
    section.update(
        summary=summary_line(result.changes, lang) if result.changes else None,
        groups=[_group(words, title, lines) for title, lines in groups if lines],
        other=words.t("ch_other", summary=summary_line(other, lang)) if other else None,
        details=words.t("ch_details", command=md_code(f"kkctl diff {result.base}")))
    return section


def _by_group(changes: list[Change], words: _Words) -> dict[str, list[str]]:
    """The lines of each group a council reads, in the order diff sorted the changes."""
    found: dict[str, list[str]] = {g: [] for g in ("people", "teams", "promises",
                                                   "authorities", "metrics", "rewards")}
    for change in changes:
        for group, line in _BY_KIND.get(change.kind, _nothing)(change, words):
            found[group].append(line)
    return found


def _group(words: _Words, title: str, lines: list[str]) -> dict[str, Any]:
    more = len(lines) - MAX_LINES
    return {"title": title, "lines": lines[:MAX_LINES],
            "more": words.t("more", count=more) if more > 0 else None}


class _Words:
    """Labels in the report's language, and entities by name (escaped, shortened)."""

    def __init__(self, org: m.Organisation, lang: str, result: DiffResult) -> None:
        self.org, self.lang, self.currency = org, lang, result.currency
        # Entities gone from the working tree are named as the revision named them.
        self.gone = {c.id: c.name for c in result.changes if c.op == "removed"}

    def t(self, key: str, **args: Any) -> str:
        return fill(LABELS[self.lang][key], self.lang, args)

    def name(self, ident: Any) -> str:
        """The name of what ``ident`` refers to; the id where there is no such entity."""
        if ident is None:
            return self.t("none")
        if not isinstance(ident, str):  # an invalid reference, shown as written
            return md_text(short(str(ident)))
        entity = self.org.get(ident)
        return md_text(short(self.display(entity) if entity else self.gone.get(ident, ident)))

    def display(self, entity: m.Entity) -> str:
        if isinstance(entity, m.Authority):  # no name: its scope says what it allows
            return scope(entity.scope, self.lang) or entity.id
        return str(getattr(entity, "name", None) or getattr(entity, "text", None) or entity.id)

    def names(self, idents: list[Any]) -> str:
        return ", ".join(self.name(i) for i in idents)


def short(text: str) -> str:
    """One line of at most :data:`TEXT_LIMIT` characters, cut at a word where one is near."""
    flat = " ".join(text.split())
    if len(flat) <= TEXT_LIMIT:
        return flat
    cut = flat[:TEXT_LIMIT - 1]
    if " " in cut[TEXT_LIMIT * 3 // 4:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:—-") + "…"


def _field(change: Change, name: str) -> FieldChange | None:
    return next((f for f in change.fields if f.path == name), None)


def _list_delta(change: Change, name: str) -> tuple[list[Any], list[Any]]:
    """Items that joined and left the list field ``name``: item by item, or the whole list
    where diff found no identity to match items by."""
    added: list[Any] = []
    removed: list[Any] = []
    for f in change.fields:
        if f.path != name:
            continue
        if f.op == "added":
            added.append(f.new)
        elif f.op == "removed":
            removed.append(f.old)
        else:
            before = f.old if isinstance(f.old, list) else []
            after = f.new if isinstance(f.new, list) else []
            added += [x for x in after if x not in before]
            removed += [x for x in before if x not in after]
    return added, removed


def _person_of(member: Any) -> Any:
    return member.get("person") if isinstance(member, dict) else member


def _nothing(change: Change, words: _Words) -> list[Line]:
    return []


def _person(change: Change, words: _Words) -> list[Line]:
    if change.op != "changed":
        return [("people", words.t(f"ch_person_{change.op}", name=words.name(change.id)))]
    renamed = _field(change, "name")
    if renamed is None:
        return []
    return [("people", words.t("ch_person_renamed", old=md_text(short(str(renamed.old))),
                               new=words.name(change.id)))]


def _members(change: Change, words: _Words, unit: str) -> list[Line]:
    """People who joined or left a team's or a council's members."""
    added, removed = _list_delta(change, "members")
    name = words.name(change.id)
    return [*(("people", words.t(f"ch_joined_{unit}", name=words.name(_person_of(p)),
                                 unit=name)) for p in added),
            *(("people", words.t(f"ch_left_{unit}", name=words.name(_person_of(p)), unit=name))
              for p in removed)]


def _team(change: Change, words: _Words) -> list[Line]:
    name = words.name(change.id)
    if change.op == "added":
        team = words.org.get(change.id)
        parent = team.parent if isinstance(team, m.Team) else None
        if parent is not None:
            return [("teams", words.t("ch_team_added_under", name=name,
                                      parent=words.name(parent.id)))]
        return [("teams", words.t("ch_team_added", name=name))]
    if change.op == "removed":
        return [("teams", words.t("ch_team_removed", name=name))]
    out: list[Line] = []
    renamed, moved, leader = (_field(change, f) for f in ("name", "parent", "leader"))
    if renamed is not None:
        out.append(("teams", words.t("ch_team_renamed", old=md_text(short(str(renamed.old))),
                                     new=name)))
    if moved is not None:
        out.append(("teams", words.t("ch_team_moved", name=name, old=_parent(moved.old, words),
                                     new=_parent(moved.new, words))))
    if leader is not None:
        out.append(("teams", words.t("ch_team_leader", name=name, old=words.name(leader.old),
                                     new=words.name(leader.new))))
    return out + _members(change, words, "team")


def _parent(ident: Any, words: _Words) -> str:
    return words.t("ch_top_level") if ident is None else words.name(ident)


def _council(change: Change, words: _Words) -> list[Line]:
    if change.op != "changed":
        return [("teams", words.t(f"ch_council_{change.op}", name=words.name(change.id)))]
    return _members(change, words, "council")


_PROMISE_OWN = {"giver", "receiver", "text", "metrics", "authorities"}


def _promise(change: Change, words: _Words) -> list[Line]:
    text = words.name(change.id)
    if change.op == "removed":
        return [("promises", words.t("ch_promise_removed", text=text))]
    if change.op == "added":
        promise = words.org.get(change.id)
        giver = promise.giver if isinstance(promise, m.Promise) else None
        receiver = promise.receiver if isinstance(promise, m.Promise) else None
        return [("promises", words.t("ch_promise_added", text=text,
                                     giver=words.name(giver.id if giver else None),
                                     receiver=words.name(receiver.id if receiver else None)))]
    what = "; ".join(_promise_parts(change, words))
    return [("promises", words.t("ch_promise_changed", text=text, what=what))]


def _promise_parts(change: Change, words: _Words) -> list[str]:
    """What changed in a promise: its sides, wording, metrics and authorities by name; any
    other field by its name only (``kkctl diff`` has the values)."""
    parts = [words.t(f"ch_{side}", old=words.name(f.old), new=words.name(f.new))
             for side in ("giver", "receiver") if (f := _field(change, side)) is not None]
    if (wording := _field(change, "text")) is not None:
        parts.append(words.t("ch_wording", old=md_text(short(str(wording.old or "")))))
    for field in ("metrics", "authorities"):
        added, removed = _list_delta(change, field)
        for op, items in (("added", added), ("removed", removed)):
            if items:
                parts.append(words.t(f"ch_{field}_{op}", count=len(items),
                                     names=words.names(items)))
    rest = dict.fromkeys(_top(f.path) for f in change.fields if _top(f.path) not in _PROMISE_OWN)
    if rest:
        parts.append(words.t("ch_fields", fields=", ".join(md_text(k) for k in rest)))
    return parts


def _top(path: str) -> str:
    """The entity's own field a change is in: ``members[2].role`` -> ``members``."""
    return path.split(".")[0].split("[")[0]


def _authority(change: Change, words: _Words) -> list[Line]:
    name = words.name(change.id)
    if change.op == "removed":
        return [("authorities", words.t("ch_authority_removed", scope=name))]
    if change.op == "added":
        authority = words.org.get(change.id)
        holder = authority.holder if isinstance(authority, m.Authority) else None
        return [("authorities", words.t("ch_authority_added", scope=name,
                                        holder=words.name(holder.id if holder else None)))]
    moved = _field(change, "holder")
    if moved is None:
        return []
    return [("authorities", words.t("ch_authority_moved", scope=name,
                                    old=words.name(moved.old), new=words.name(moved.new)))]


def _metric(change: Change, words: _Words) -> list[Line]:
    name = words.name(change.id)
    if change.op != "changed":
        return [("metrics", words.t(f"ch_metric_{change.op}", name=name))]
    target = _field(change, "target")
    if target is None:
        return []
    return [("metrics", words.t("ch_metric_target", name=name,
                                old=_number(target.old, words), new=_number(target.new, words)))]


def _number(value: Any, words: _Words) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return number(value, words.lang)
    return words.t("none") if value is None else md_text(value)


def _scheme(change: Change, words: _Words) -> list[Line]:
    name = words.name(change.id)
    if change.op != "changed":
        return [("rewards", words.t(f"ch_scheme_{change.op}", name=name))]
    parts = []
    for f in change.fields:
        key = f"ch_f_{f.path}"
        title = words.t(key) if key in LABELS[words.lang] else md_text(f.path)
        parts.append(f"{title} {_setting(f.path, f.old, words)} → "
                     f"{_setting(f.path, f.new, words)}")
    return [("rewards", words.t("ch_scheme_changed", name=name, what="; ".join(parts)))]


def _setting(field: str, value: Any, words: _Words) -> str:
    """A reward scheme's setting as people read it: a share in percent, an option by its
    label, the unit by its name."""
    if value is None:
        return words.t("none")
    if field in ("share", "deposit_rate") and isinstance(value, Decimal | int) \
            and not isinstance(value, bool):
        return percent(value, words.lang)
    if field in ("base", "split", "losses"):
        return md_text(label(field, value, words.lang))
    if field == "unit":
        return words.name(value)
    return _number(value, words)


_BY_KIND: dict[str, Callable[[Change, _Words], list[Line]]] = {
    "person": _person, "team": _team, "council": _council, "promise": _promise,
    "authority": _authority, "metric": _metric, "reward_scheme": _scheme}


def _lint(delta: LintDelta, words: _Words) -> list[str]:
    return [*_findings("ch_finding_new", delta.introduced, words),
            *_findings("ch_finding_fixed", delta.resolved, words)]


def _findings(key: str, found: list[Diagnostic], words: _Words) -> list[str]:
    """One line per rule, errors first: a finding by its message, many by the rule's summary
    and a count (a new rule can flag hundreds of teams at once)."""
    by_code: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    lines = []
    for code, same in sorted(by_code.items(), key=lambda item: item[1][0].severity.rank):
        if len(same) == 1:
            message = md_text(same[0].message(words.lang))
        else:
            rule = describe(code)
            message = words.t("ch_places", count=len(same), rule=md_text(
                rule.summary_ru if words.lang == "ru" else rule.summary))
        lines.append(words.t(key, code=md_code(code), message=message))
    return lines


def _bonus(deltas: list[BonusDelta], words: _Words) -> list[str]:
    """Pools only: what each person gets is private (``--include-payouts`` shows the
    period's payouts in the economics section)."""
    lines = []
    for item in deltas:
        where = {"period": words.name(item.period), "scheme": words.name(item.scheme)}
        if item.old_pool != item.new_pool:
            lines.append(words.t("ch_pool", **where,
                                 old=money(item.old_pool, words.currency, words.lang),
                                 new=money(item.new_pool, words.currency, words.lang)))
        else:
            lines.append(words.t("ch_pool_shares", **where, count=len(item.people),
                                 pool=money(item.new_pool, words.currency, words.lang)))
    return lines
