"""Every promise is backed by at least one authority.

Whoever gives a promise must be able to keep it without asking anyone's permission: that is
what an authority (полномочие) is. A promise with no authority behind it leaves the giver
negotiating with others every time, so responsibility for the result cannot be theirs.

Source (R-03, Beyond Taylor's implementation steps and guide «О клиентократии»): «полномочий
должно хватать, чтобы его выполнять»; the system of promises comes «с наделением исполнителей
всеми необходимыми полномочиями для их выполнения»; «если у сотрудника нет полномочий … будет
должен постоянно их со всеми согласовывать». Meaning: a promise needs enough authority to
keep it; the executors are given all the authorities they need; without them an employee has
to agree everything with everyone all the time.

How it is checked: each promise lists at least one authority in ``authorities``. The finding
points at the promise, or at the ``authorities`` key when it is there but empty. Whether the
authorities are held by the giver is rule authority-not-held-by-giver (KK205); whether they
are enough is rule needed-authority-missing (KK206).

Fix: list in ``authorities: [...]`` the authorities that let the giver keep the promise (the
right to decide or act, with a budget where money is needed), defining them, held by the
giver, if they do not exist yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Каждое обещание подкреплено хотя бы одним полномочием.

Тот, кто даёт обещание, должен иметь возможность выполнить его, ни у кого не спрашивая разрешения:
именно это и есть полномочие. Обещание, за которым не стоит ни одного полномочия, заставляет
дающего каждый раз договариваться с другими, и ответственность за результат уже не может лежать на
нём.

Источник (R-03, шаги внедрения «Beyond Taylor» и руководство «О клиентократии»): «полномочий
должно хватать, чтобы его выполнять»; система обещаний строится «с наделением исполнителей всеми
необходимыми полномочиями для их выполнения»; «если у сотрудника нет полномочий … будет должен
постоянно их со всеми согласовывать». Смысл: для обещания нужно достаточно полномочий, чтобы его
выполнить; исполнителей наделяют всеми нужными полномочиями; без них сотруднику приходится
постоянно всё со всеми согласовывать.

Как проверяется: в ``authorities`` каждого обещания указано хотя бы одно полномочие. Замечание
указывает на обещание или на ключ ``authorities``, если он есть, но пуст. Принадлежат ли
полномочия дающему, проверяет правило authority-not-held-by-giver (KK205); хватает ли их — правило
needed-authority-missing (KK206).

Исправление: перечислите в ``authorities: [...]`` полномочия, которые позволяют дающему выполнить
обещание (право решать или действовать, с бюджетом, если нужны деньги); если таких полномочий ещё
нет, определите их и сделайте владельцем дающего.
"""


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    for promise in ctx.org.promises:
        if promise.authorities:
            continue
        giver = promise.giver.id if promise.giver is not None else "?"
        raw = promise.source.mapping()
        if raw is not None and "authorities" in raw:
            if isinstance(raw["authorities"], list) and raw["authorities"]:
                continue  # items of the wrong type: the schema reports them
            yield Finding(promise.source, ("authorities",), "empty", {"giver": giver},
                          at_key=True)
        else:
            yield Finding(promise.source, (), "missing", {"giver": giver})



RULE = Rule(
    code="KK204",
    slug="promise-without-authority",
    severity=Severity.ERROR,
    profile="minimal",
    step=5,
    source="R-03",
    summary={"en": "Every promise is backed by at least one authority.",
             "ru": "Каждое обещание подкреплено хотя бы одним полномочием."},
    messages={
        "missing": {
            "en": "the promise lists no authorities, so '{giver}' would have to ask others "
                  "for permission to keep it; add authorities: [...] held by '{giver}'",
            "ru": "у обещания нет полномочий, и '{giver}' придётся согласовывать его "
                  "выполнение с другими; добавьте authorities: [...] с полномочиями, "
                  "которыми владеет '{giver}'",
        },
        "empty": {
            "en": "authorities is empty, so '{giver}' would have to ask others for "
                  "permission to keep the promise; list the authorities '{giver}' holds for it",
            "ru": "список authorities пуст, и '{giver}' придётся согласовывать выполнение "
                  "обещания с другими; укажите полномочия '{giver}', которые его подкрепляют",
        },
    },
    check=check,
    passing=("""
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
""",),
    failing=("""
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
""", """
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: []
"""),
)
