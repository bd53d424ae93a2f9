"""Limits of applicability declared for the organisation.

Clientocracy is not for every business. The organisation says where it stands in
``organisation.applicability``; when a flag is set, kkctl says what it means, so the reader of
a lint report knows why some rules are silent and where the model will strain.

Source (R-27, guide «О клиентократии», «Границы применимости»): «Клиентократия не применяется
или применяется с ограничением … Если компания не заинтересована в увеличении ценности для
клиента … Табачная компания - это игра с нулевой суммой, когда нельзя получить пользу
организации, не навредив клиенту - тогда клиентократию применить невозможно»; «Если компания
производит биржевой продукт, то инструменты клиентократии, связанные с разработкой клиента и
стратканвой - не применимы, но остальные инструменты могут быть успешно реализованы»; «Если
компания имеет высокую долговую нагрузку, то клиентократия может быть трудно реализуема».
Meaning: clientocracy cannot be applied when the business gains only by harming the client
(zero-sum); for a commodity product the client-development and strategy-canvas tools do not
apply, the rest do; a high debt load makes clientocracy hard to implement.

How it is checked: an info for each flag of ``organisation.applicability`` that is ``true``
(``zero_sum``, ``commodity``, ``high_debt``), at that flag. With ``commodity: true`` the
strategy-canvas rules (key-value, key-value-best, canvas-focus, canvas-divergence,
canvas-scores) and need-wording are skipped, and the message says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Объявленные границы применимости клиентократии в организации.

Клиентократия подходит не для всякого бизнеса. Организация указывает, где она находится, в
``organisation.applicability``; когда флаг установлен, kkctl поясняет, что он означает, чтобы
читатель отчёта понимал, почему часть правил молчит и где модели придётся тяжело.

Источник (R-27, руководство «О клиентократии», «Границы применимости»): «Клиентократия не
применяется или применяется с ограничением … Если компания не заинтересована в увеличении
ценности для клиента … Табачная компания - это игра с нулевой суммой, когда нельзя получить
пользу организации, не навредив клиенту - тогда клиентократию применить невозможно»; «Если
компания производит биржевой продукт, то инструменты клиентократии, связанные с разработкой
клиента и стратканвой - не применимы, но остальные инструменты могут быть успешно реализованы»;
«Если компания имеет высокую долговую нагрузку, то клиентократия может быть трудно реализуема».
Смысл: клиентократию применить нельзя, если бизнес выигрывает, только нанося вред клиенту (игра
с нулевой суммой); для биржевого продукта не применимы инструменты разработки клиента и
стратегической канвы, остальные применимы; высокая долговая нагрузка затрудняет внедрение
клиентократии.

Как проверяется: для каждого флага ``organisation.applicability`` со значением ``true``
(``zero_sum``, ``commodity``, ``high_debt``) выдаётся информационное замечание у этого флага.
При ``commodity: true`` правила стратегической канвы (key-value, key-value-best, canvas-focus,
canvas-divergence, canvas-scores) и need-wording пропускаются, о чём и говорится в сообщении.
"""

FLAGS = ("zero_sum", "commodity", "high_debt")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    settings = ctx.org.settings
    if settings.source is None:
        return
    for flag in FLAGS:
        if settings.applicability.get(flag) is True:
            yield Finding(settings.source, ("organisation", "applicability", flag), flag)


RULE = Rule(
    code="KK231",
    slug="applicability",
    severity=Severity.INFO,
    profile="recommended",
    step=1,
    source="R-27",
    summary={"en": "What the organisation's applicability flags mean for clientocracy.",
             "ru": "Что означают для клиентократии флаги границ применимости."},
    messages={
        "zero_sum": {
            "en": "zero_sum: true — clientocracy does not apply to a business that is not "
                  "interested in more value for the client (it gains only by harming the "
                  "client); only separate tools can be used",
            "ru": "zero_sum: true — клиентократия неприменима, если компания не "
                  "заинтересована в увеличении ценности для клиента (игра с нулевой суммой: "
                  "польза организации только во вред клиенту); можно внедрять лишь отдельные "
                  "инструменты",
        },
        "commodity": {
            "en": "commodity: true — for a commodity product the client-development and "
                  "strategy-canvas tools do not apply: the canvas and need-wording rules are "
                  "skipped; the other tools still do, e.g. through lower cost",
            "ru": "commodity: true — для биржевого продукта инструменты, связанные с "
                  "разработкой клиента и стратегической канвой, неприменимы: правила канвы и "
                  "формулировки потребностей пропускаются; остальные инструменты работают, "
                  "например через снижение себестоимости",
        },
        "high_debt": {
            "en": "high_debt: true — a high debt load makes clientocracy hard to implement: "
                  "creditors' terms come first, experiments look risky, and handing "
                  "authorities and responsibility to teams is hard",
            "ru": "high_debt: true — при высокой долговой нагрузке клиентократия трудно "
                  "реализуема: на первом месте условия кредиторов, эксперименты кажутся "
                  "рискованными, передать полномочия и ответственность командам сложно",
        },
    },
    check=check,
    passing=("""
organisation:
  applicability: {zero_sum: false, commodity: false, high_debt: false}
""",),
    failing=("""
organisation:
  applicability: {zero_sum: false, commodity: false, high_debt: true}
""",),
)
