"""Hypotheses form a tree: tactical under strategic, pivots on strategic ones, no cycles.

A strategic hypothesis is a bet on a new value clients will need and pay for; tactical
hypotheses break it down into statements small enough to test. A tactical hypothesis without a
strategic one above it tests nothing in particular, and a pivot (вираж) is by definition a
change of the strategic hypothesis, decided when its metrics did not confirm it: a pivot with no
metrics and no refuted test behind it is a change of mind no one can check. A ``parent`` chain
that comes back to itself has no top: no one can tell which bet it serves.

Source (R-32, guide «О клиентократии», glossary): «Тактическая гипотеза - это раскладывание
стратегической гипотезы на предложения, которые надо проверить для подтверждения или
опровержения стратегической гипотезы»; «Вираж (от английского “pivot”) - решение об изменении
стратегической гипотезы, если на основании анализа метрик предыдущая не подтвердилась».
Meaning: a tactical hypothesis decomposes a strategic hypothesis into statements to test; a
pivot is the decision to change the strategic hypothesis when its metrics did not confirm it.

How it is checked: (1) a hypothesis of ``type: tactical`` has a ``parent`` (reported at the
hypothesis when missing) that is of ``type: strategic`` (reported at ``parent``; a parent that
does not resolve is left to validation); (2) a hypothesis with ``status: pivoted`` is of
``type: strategic`` (reported at ``status``), and the pivot shows what it was decided on: it
lists ``metrics`` (the metrics that did not confirm it), and a refuted hypothesis is linked to
it by ``parent`` — a hypothesis that breaks it down and was refuted (``parent:`` the pivoted
one, the usual record: the old bet gets ``status: pivoted`` and the tactical hypothesis that
failed ``status: refuted``), or the refuted hypothesis it replaces (its own ``parent``); both
reported at ``status``; (3) ``parent`` links form no cycle: one pass of Tarjan's algorithm, each
ring reported once at its first hypothesis's ``parent``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.graph import cycle_in, strongly_connected
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Entity, Hypothesis

DOC_RU = """Дерево гипотез: тактические под стратегическими, виражи у стратегических, без циклов.

Стратегическая гипотеза — это ставка на новую ценность, которая понадобится клиентам и за
которую они будут платить; тактические гипотезы раскладывают её на утверждения, достаточно
мелкие, чтобы их проверить. Тактическая гипотеза без стратегической над ней не проверяет ничего
определённого, а вираж по определению — это изменение стратегической гипотезы, которое решают,
когда её метрики её не подтвердили: вираж без метрик и без опровергнутой проверки — смена мнения,
которую никто не может проверить. Цепочка
``parent``, которая возвращается сама к себе, не имеет вершины: никто не скажет, какой ставке
она служит.

Источник (R-32, руководство «О клиентократии», глоссарий): «Тактическая гипотеза - это
раскладывание стратегической гипотезы на предложения, которые надо проверить для подтверждения
или опровержения стратегической гипотезы»; «Вираж (от английского “pivot”) - решение об
изменении стратегической гипотезы, если на основании анализа метрик предыдущая не
подтвердилась». Смысл: тактическая гипотеза раскладывает стратегическую на утверждения для
проверки; вираж — это решение изменить стратегическую гипотезу, когда её метрики её не
подтвердили.

Как проверяется: (1) у гипотезы с ``type: tactical`` есть ``parent`` (если нет — замечание у
гипотезы), и он имеет ``type: strategic`` (иначе замечание у ``parent``; ``parent``, который не
удаётся разрешить, оставлен валидации); (2) гипотеза со ``status: pivoted`` имеет
``type: strategic`` (иначе замечание у ``status``), и по виражу видно, на чём он основан: у
гипотезы есть ``metrics`` (метрики, которые её не подтвердили), и с ней связана через ``parent``
опровергнутая гипотеза — раскладывающая её и опровергнутая (``parent:`` гипотеза с виражом;
обычная запись: у старой ставки ``status: pivoted``, у не подтвердившейся тактической гипотезы —
``status: refuted``) или опровергнутая гипотеза, которую она заменяет (её собственный
``parent``); оба замечания — у ``status``; (3) ссылки ``parent`` не образуют цикла: один проход
алгоритма Тарьяна, каждое кольцо отмечается один раз у ``parent`` его первой гипотезы.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    hypotheses = {h.id: h for h in ctx.org.hypotheses}
    edges: dict[str, list[str]] = {}
    refuted_below: set[str] | None = None  # parents of refuted hypotheses, built on demand
    for hypothesis in ctx.org.hypotheses:
        parent = hypothesis.parent.target if hypothesis.parent is not None else None
        if isinstance(parent, Hypothesis) and hypotheses.get(parent.id) is parent:
            edges[hypothesis.id] = [parent.id]
        if hypothesis.hypothesis_type == "tactical":
            if hypothesis.parent is None:
                yield Finding(hypothesis.source, (), "tactical_no_parent")
            elif isinstance(parent, Hypothesis) and parent.hypothesis_type != "strategic":
                yield Finding(hypothesis.source, ("parent",), "tactical_parent",
                              {"parent": parent.id, "type": parent.hypothesis_type or "?",
                               "where": ctx.where(parent.source, "type")})
        if hypothesis.status == "pivoted" and hypothesis.hypothesis_type != "strategic":
            yield Finding(hypothesis.source, ("status",), "pivot_not_strategic",
                          {"type": hypothesis.hypothesis_type or "?"})
        elif hypothesis.status == "pivoted":
            if refuted_below is None:
                refuted_below = {h.parent.id for h in ctx.org.hypotheses
                                 if h.status == "refuted" and h.parent is not None}
            yield from _pivot_grounds(hypothesis, parent, refuted_below)
    for component in strongly_connected(hypotheses, edges):
        first = component[0]
        if len(component) == 1 and first not in edges.get(first, ()):
            continue
        cycle = cycle_in(component, edges)
        steps = " → ".join(f"{h} ({ctx.where(hypotheses[h].source, 'parent')})"
                           for h in cycle[:-1])
        yield Finding(hypotheses[cycle[0]].source, ("parent",), "cycle",
                      {"cycle": f"{steps} → {cycle[0]}"})


def _pivot_grounds(hypothesis: Hypothesis, parent: Entity | None,
                  refuted_below: set[str]) -> Iterator[Finding]:
    """A pivot (вираж) is decided «на основании анализа метрик», when the bet «не
    подтвердилась»: the record shows the metrics, and the refuted hypothesis."""
    if not hypothesis.metrics:
        yield Finding(hypothesis.source, ("status",), "pivot_no_metrics")
    replaces_refuted = isinstance(parent, Hypothesis) and parent.status == "refuted"
    if hypothesis.id not in refuted_below and not replaces_refuted:
        yield Finding(hypothesis.source, ("status",), "pivot_not_refuted",
                      {"id": hypothesis.id})


RULE = Rule(
    code="KK236",
    slug="hypothesis-structure",
    severity=Severity.ERROR,
    profile="recommended",
    step=9,
    source="R-32",
    summary={"en": "Tactical hypotheses decompose a strategic one; a pivot is of a strategic "
                   "one, refuted by metrics; no parent cycles.",
             "ru": "Тактическая гипотеза раскладывает стратегическую; вираж — у стратегической, "
                   "опровергнутой метриками; без циклов parent."},
    messages={
        "tactical_no_parent": {
            "en": "a tactical hypothesis without a parent: it breaks down a strategic "
                  "hypothesis, so name it (parent: <strategic hypothesis id>)",
            "ru": "тактическая гипотеза без parent: она раскладывает стратегическую "
                  "гипотезу — укажите её (parent: <id стратегической гипотезы>)",
        },
        "tactical_parent": {
            "en": "a tactical hypothesis breaks down a strategic one, but its parent "
                  "'{parent}' is of type '{type}' ({where}); point parent at a strategic "
                  "hypothesis, or change this one's type",
            "ru": "тактическая гипотеза раскладывает стратегическую, а её parent '{parent}' "
                  "имеет тип '{type}' ({where}); укажите в parent стратегическую гипотезу или "
                  "измените тип этой",
        },
        "pivot_not_strategic": {
            "en": "status: pivoted, but the type is '{type}': a pivot (вираж) is a change of a "
                  "strategic hypothesis; mark a disproved hypothesis of another type refuted, "
                  "or make this one strategic",
            "ru": "status: pivoted, но тип гипотезы — '{type}': вираж — это изменение "
                  "стратегической гипотезы; неподтвердившуюся гипотезу другого типа отметьте "
                  "refuted или сделайте эту стратегической",
        },
        "pivot_no_metrics": {
            "en": "status: pivoted, but the hypothesis lists no metrics: a pivot is decided "
                  "on the analysis of metrics; list those that did not confirm it "
                  "(metrics: [...])",
            "ru": "status: pivoted, но у гипотезы нет метрик: вираж решают на основании "
                  "анализа метрик; перечислите те, что её не подтвердили (metrics: [...])",
        },
        "pivot_not_refuted": {
            "en": "status: pivoted, but no refuted hypothesis is linked to it by parent: a "
                  "pivot follows a bet the metrics did not confirm; record the tactical "
                  "hypothesis that failed, with status: refuted and parent: {id}",
            "ru": "status: pivoted, но ни одна опровергнутая гипотеза не связана с ней через "
                  "parent: вираж делают, когда метрики не подтвердили ставку; запишите не "
                  "подтвердившуюся тактическую гипотезу со status: refuted и parent: {id}",
        },
        "cycle": {
            "en": "hypotheses' parent links form a cycle: {cycle}; a hypothesis cannot break "
                  "down itself: remove parent from the strategic hypothesis at the top",
            "ru": "ссылки parent между гипотезами образуют цикл: {cycle}; гипотеза не может "
                  "раскладывать саму себя: уберите parent у стратегической гипотезы верхнего "
                  "уровня",
        },
    },
    check=check,
    passing=("""
hypotheses:
  - id: h-lunch
    type: strategic
    text: Office workers near our shops will order fresh lunches and pay all their costs
    metrics: [m-customers]
    status: open
  - id: h-lunch-by-one
    type: tactical
    parent: h-lunch
    text: With pre-orders by 10 a.m., 15% of a business centre orders lunch within 8 weeks
    metrics: [m-fresh-sales]
    status: open
""", """
hypotheses:
  - id: h-lunch
    type: strategic
    text: Office workers near our shops will order fresh lunches and pay all their costs
    metrics: [m-customers]
    status: pivoted
  - id: h-lunch-by-one
    type: tactical
    parent: h-lunch
    text: With pre-orders by 10 a.m., 15% of a business centre orders lunch within 8 weeks
    metrics: [m-fresh-sales]
    status: refuted
"""),
    failing=("""
hypotheses:
  - id: h-lunch
    type: value
    text: Office workers near our shops want fresh lunches
    metrics: [m-customers]
    status: open
  - id: h-lunch-by-one
    type: tactical
    parent: h-lunch
    text: With pre-orders by 10 a.m., 15% of a business centre orders lunch within 8 weeks
    metrics: [m-fresh-sales]
    status: open
""", """
hypotheses:
  - id: h-lunch
    type: strategic
    parent: h-lunch-by-one
    text: Office workers near our shops will order fresh lunches and pay all their costs
    metrics: [m-customers]
    status: open
  - id: h-lunch-by-one
    type: tactical
    parent: h-lunch
    text: With pre-orders by 10 a.m., 15% of a business centre orders lunch within 8 weeks
    metrics: [m-fresh-sales]
    status: open
""", """
hypotheses:
  - id: h-small-shop
    type: economics
    text: A 60 m² shop pays back its opening costs in nine months
    metrics: [m-fresh-sales]
    status: pivoted
""", """
hypotheses:
  - id: h-lunch
    type: strategic
    text: Office workers near our shops will order fresh lunches and pay all their costs
    status: pivoted
  - id: h-lunch-by-one
    type: tactical
    parent: h-lunch
    text: With pre-orders by 10 a.m., 15% of a business centre orders lunch within 8 weeks
    metrics: [m-fresh-sales]
    status: refuted
""", """
hypotheses:
  - id: h-lunch
    type: strategic
    text: Office workers near our shops will order fresh lunches and pay all their costs
    metrics: [m-customers]
    status: pivoted
"""),
)
