"""References resolve to an entity of an allowed kind (format.md's table)."""

from __future__ import annotations

from collections import defaultdict

from kkctl.diagnostics import Diagnostic
from kkctl.messages import closest, did_you_mean, kinds_phrase
from kkctl.model import Organisation, Ref

MAX_SUGGESTIONS = 200  # "did you mean" costs a scan of the ids; bound it on huge broken orgs


def check_references(org: Organisation) -> list[Diagnostic]:
    """Resolve every reference in place (``ref.target``); report the ones that do not."""
    out: list[Diagnostic] = []
    by_id = org.by_id
    ids_by_kind: dict[str, list[str]] | None = None
    suggestions = 0
    for ref in org.refs:
        target = by_id.get(ref.id)
        if target is not None and not set(target.kinds()).isdisjoint(ref.allowed):
            ref.target = target
            continue
        if target is None:
            hint: dict[str, str] = {}
            if suggestions < MAX_SUGGESTIONS:
                suggestions += 1
                if ids_by_kind is None:
                    ids_by_kind = _ids_by_kind(org)
                hint = _did_you_mean(ref, ids_by_kind)
            out.append(_diag(ref, "KK102", "ref.missing", hint=hint))
        else:
            actual = {lang: f"{kinds_phrase((target.kind,), lang, instrumental=False)} "
                            f"'{target.id}'" for lang in ("en", "ru")}
            out.append(_diag(ref, "KK103", "ref.wrong_kind", actual=actual))
    return out


def _diag(ref: Ref, code: str, message_id: str, **args: object) -> Diagnostic:
    expected = {lang: kinds_phrase(ref.allowed, lang) for lang in ("en", "ru")}
    return ref.source.diagnostic(code, message_id, *ref.sub, args={
        "field": ref.field, "ref": ref.id, "expected": expected, **args})


def _ids_by_kind(org: Organisation) -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    for ident, entity in org.by_id.items():
        for kind in entity.kinds():
            table[kind].append(ident)
    return table


def _did_you_mean(ref: Ref, ids_by_kind: dict[str, list[str]]) -> dict[str, str]:
    """A suggestion only when the id is one typo away from exactly one id of an allowed
    kind: a looser guess (on a real org, one in five) names another person who exists, and
    a user may accept it without noticing."""
    candidates = [i for kind in ref.allowed for i in ids_by_kind.get(kind, ())]
    return did_you_mean(closest(ref.id, candidates, strict=True))
