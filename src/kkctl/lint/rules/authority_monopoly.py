"""An authority is monopolistic: one scope, one holder.

An authority is the ability to act or decide without agreeing it with anyone. If two records
grant the same scope, two parties can decide the same thing: each must now agree with the
other, and the authority is no longer an authority at all.

Source (R-04, guide «О клиентократии», glossary): «Полномочия – возможность выполнить действие
или принять решение … без согласования с кем-либо. Эта возможность должна быть монопольна».
Meaning: an authority is the ability to act or decide without agreeing it with anyone, and
this ability must be a monopoly.

How it is checked: authorities' ``scope`` texts are compared without regard to spaces (at
the ends, or several in a row), case, or ё written as е («Закупка  продуктов», «закупка
продуктов» and «Закупка продуктов» are one scope); every authority whose scope an earlier one
(in reading order) already has is reported at its ``scope``, citing the first one's position
and holder. Two records of the same scope with the same holder are reported as a duplicate to
merge. (Having several *suppliers* of a resource is another matter — R-26 — and is not about
decision rights.)

Fix: keep one holder per scope: merge the records, or make the scopes say what differs
(«prices in the north shops» / «prices in the south shops»).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext, scope_key
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Authority

DOC_RU = """Полномочие монопольно: одна область — один держатель.

Полномочие — это возможность выполнить действие или принять решение без согласования с кем-либо.
Если две записи дают одну и ту же область, решать одно и то же могут двое: теперь каждому
приходится согласовывать с другим, и полномочие перестаёт быть полномочием.

Источник (R-04, руководство «О клиентократии», глоссарий): «Полномочия – возможность выполнить
действие или принять решение … без согласования с кем-либо. Эта возможность должна быть
монопольна». Смысл: полномочие — это возможность действовать или решать, ни с кем не
согласовывая, и эта возможность должна быть монопольной.

Как проверяется: тексты ``scope`` полномочий сравниваются без учёта пробелов (по краям или
нескольких подряд), регистра и ё/е («Закупка  продуктов», «закупка продуктов» и «Закупка
продуктов» — одна область); о каждом полномочии, чья область уже есть у более раннего (в
порядке чтения), сообщается у его ``scope`` со ссылкой на место и держателя первого. Две записи
одной области с одним и тем же держателем отмечаются как дубликат, который нужно объединить.
(Несколько *поставщиков* одного ресурса — другое дело, R-26, и к правам на решения это не
относится.)

Исправление: оставьте у каждой области одного держателя: объедините записи или уточните в
областях, чем они различаются («цены в северных магазинах» / «цены в южных магазинах»).
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    first: dict[str, Authority] = {}
    for authority in ctx.org.authorities:
        key = scope_key(authority.scope)
        if not key:
            continue
        earlier = first.setdefault(key, authority)
        if earlier is authority:
            continue
        holder = authority.holder.id if authority.holder is not None else "?"
        other_holder = earlier.holder.id if earlier.holder is not None else "?"
        yield Finding(authority.source, ("scope",),
                      "same_holder" if holder == other_holder else "shared", {
                          "scope": authority.scope.strip(), "holder": holder,
                          "other": earlier.id, "other_holder": other_holder,
                          "where": ctx.where(earlier.source, "scope")})


RULE = Rule(
    code="KK207",
    slug="authority-monopoly",
    severity=Severity.ERROR,
    profile="minimal",
    step=0,
    source="R-04",
    summary={"en": "An authority's scope has exactly one holder (authorities are monopolistic).",
             "ru": "У каждого полномочия (scope) ровно один держатель: полномочия монопольны."},
    messages={
        "shared": {
            "en": "scope «{scope}» is already granted to '{other_holder}' by authority "
                  "'{other}' ({where}); an authority must be a monopoly, or '{holder}' and "
                  "'{other_holder}' must agree every decision: keep one holder, or make the "
                  "scopes say what differs",
            "ru": "полномочие «{scope}» уже есть у '{other_holder}' (полномочие '{other}', "
                  "{where}); полномочия должны быть монопольны, иначе '{holder}' и "
                  "'{other_holder}' придётся согласовывать каждое решение: оставьте одного "
                  "держателя или уточните scope, чтобы полномочия различались",
        },
        "same_holder": {
            "en": "scope «{scope}» of '{holder}' is already defined by authority '{other}' "
                  "({where}); merge the two records into one",
            "ru": "полномочие «{scope}» у '{holder}' уже описано в '{other}' ({where}); "
                  "объедините две записи в одну",
        },
    },
    check=check,
    passing=("""
authorities:
  - {id: a-north-prices, scope: set prices in the north shops, holder: shops}
  - {id: a-south-prices, scope: set prices in the south shops, holder: concept}
""",),
    failing=("""
authorities:
  - {id: a-pricing-shops, scope: Concept.Pricing , holder: shops}
""", """
authorities:
  - {id: a-purchasing, scope: Закупка  продуктов, holder: shops}
  - {id: a-purchasing-2, scope: закупка продуктов, holder: concept}
  - {id: a-purchasing-3, scope: Закупка продуктов, holder: couriers}
""", """
authorities:
  - {id: a-write-off-2, scope: write off stale stock, holder: shops}
"""),
)
