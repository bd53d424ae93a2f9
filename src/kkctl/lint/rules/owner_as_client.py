"""The client is not the owner (heuristic).

Step 1 of the methodology is to find the client, and its commonest mistake is to name the
owner. The owner sees a drop in quality last, in a sales report; the client sees it first, and
"votes with the rouble" by buying no more. Promises, values and the strategy canvas built for
the owner serve the owner's view of the business, not the people who pay for it. Shareholders
and investors are outside the clientocratic structure altogether.

Source (seed ``001``, «9 шагов для создания клиентократии», step 1 «Выявить клиента или
заказчика»): «Распространённая ошибка — считать, что «клиент» — это собственник бизнеса … первым
изменение качества работы или продукта заметит потребитель, который «проголосует рублём»»;
guide «О клиентократии», «Границы применимости»: «Акционеры, компании входящие в холдинг и
партнёры - не рассматривается в рамках клиентократии». Meaning: a common mistake is to think
the client is the business's owner; it is the consumer who first notices a change in quality
and "votes with the rouble"; shareholders are not part of the clientocratic structure.

How it is checked (a heuristic: the format has no field that marks an owner): a client whose
``name`` or ``id``, read as words, consists only of words for an owner or investor
(собственник, владелец, акционер, инвестор, учредитель, пайщик, бенефициар; owner,
shareholder, stockholder, investor, founder, proprietor; and their transliterations in ids such
as ``sobstvennik``, ``aktsionery``) and words that point at this company (компании, наш, our,
company, the organisation's own name) → one warning per client, at the client, naming the root
promises given to it. «Собственник», "Owners", «Акционеры компании» are reported; «Владельцы
малого бизнеса» or "Small business owners" (other businesses' owners, who may well be your
clients) are not.

Fix: name as the client those who receive and use what the company makes (the consumer, or a
partner who passes it on unchanged), and give the root promises to them. If the people named
really are your clients (a broker's investors, a management company's flat owners), accept the
finding: ``lint_ignore: [owner-as-client]`` on the client.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule

DOC_RU = """Клиент — не собственник (эвристика).

Первый шаг методологии — выявить клиента, и самая частая ошибка на нём — назвать клиентом
собственника. Собственник узнаёт о падении качества последним, из отчёта о продажах; клиент —
первым, и «голосует рублём», переставая покупать. Обещания, ценности и стратегическая канва,
построенные для собственника, обслуживают его взгляд на бизнес, а не тех, кто за него платит.
Акционеры и инвесторы вообще не входят в клиентократическую структуру.

Источник (seed ``001``, «9 шагов для создания клиентократии», шаг 1 «Выявить клиента или
заказчика»): «Распространённая ошибка — считать, что «клиент» — это собственник бизнеса …
первым изменение качества работы или продукта заметит потребитель, который «проголосует
рублём»»; руководство «О клиентократии», «Границы применимости»: «Акционеры, компании входящие
в холдинг и партнёры - не рассматривается в рамках клиентократии». Смысл: частая ошибка —
считать клиентом собственника бизнеса; первым изменение качества замечает потребитель, который
«голосует рублём»; акционеры не входят в клиентократическую структуру.

Как проверяется (эвристика: в формате нет поля, которое отмечало бы собственника): клиент, у
которого ``name`` или ``id``, разобранные на слова, состоят только из слов, означающих
собственника или инвестора (собственник, владелец, акционер, инвестор, учредитель, пайщик,
бенефициар; owner, shareholder, stockholder, investor, founder, proprietor; и их транслитерации
в id, например ``sobstvennik``, ``aktsionery``), и слов, указывающих на саму компанию (компании,
наш, our, company, собственное название организации), → одно предупреждение на клиента, у самого
клиента, с перечнем данных ему корневых обещаний. «Собственник», «Owners», «Акционеры компании»
отмечаются; «Владельцы малого бизнеса» или «Small business owners» (владельцы других бизнесов,
которые вполне могут быть вашими клиентами) — нет.

Исправление: назовите клиентом тех, кто получает и использует то, что делает компания
(потребителя или партнёра, который передаёт результат без изменений), и дайте корневые обещания
им. Если названные люди действительно ваши клиенты (инвесторы у брокера, собственники квартир у
управляющей компании), примите замечание: ``lint_ignore: [owner-as-client]`` у клиента.
"""

# Word beginnings: «владел» covers владелец, владельцы, владельца; "owner" covers owners.
_OWNER_STEMS = (
    "собственник", "владел", "акционер", "инвестор", "учредител", "пайщик", "бенефициар",
    "owner", "shareholder", "stockholder", "investor", "founder", "proprietor",
    "sobstvennik", "vladel", "aktsioner", "akcioner", "uchreditel", "paishchik", "pajshhik",
)
# Words that only point at this company: "the owner of our company" is still the owner.
_THIS_COMPANY = frozenset((
    "компании", "компаний", "фирмы", "организации", "наш", "наша", "наши", "нашей", "нашего",
    "наших", "и", "или", "the", "our", "company", "companys", "firm", "organisation",
    "organization", "of", "and", "or", "s", "kompanii",
))
_WORD = re.compile(r"[a-zа-яё0-9]+")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    own_name = set(_words(ctx.org.settings.name or ""))
    promised: dict[str, list[str]] | None = None
    for client in ctx.org.clients:
        if not (_is_owner(client.name, own_name) or _is_owner(client.id, own_name)):
            continue
        if promised is None:
            promised = _root_promises_by_receiver(ctx)
        shown = client.name or client.id
        roots = promised.get(client.id, [])
        if roots:
            yield Finding(client.source, (), "owner_promised",
                          {"name": shown, "promises": ", ".join(roots)})
        else:
            yield Finding(client.source, (), "owner", {"name": shown})


def _words(text: str) -> list[str]:
    # "Company's" → "companys"; ids split at - _ . like any other separator
    return _WORD.findall(text.casefold().replace("'", "").replace("’", ""))


def _is_owner(text: str, own_name: set[str]) -> bool:
    words = _words(text)
    owners = [w for w in words if w.startswith(_OWNER_STEMS)]
    return bool(owners) and all(
        w in owners or w in _THIS_COMPANY or w in own_name or w.isdigit() for w in words)


def _root_promises_by_receiver(ctx: LintContext) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for promise in ctx.org.promises:
        if promise.promise_kind == "root" and promise.receiver is not None:
            table.setdefault(promise.receiver.id, []).append(promise.id)
    return table


RULE = Rule(
    code="KK247",
    slug="owner-as-client",
    severity=Severity.WARNING,
    profile="recommended",
    step=1,
    source="001 step 1",
    summary={"en": "The client is not the company's owner or investor.",
             "ru": "Клиент — не собственник и не инвестор компании."},
    messages={
        "owner": {
            "en": "«{name}» looks like the company's owner or investor, not its client: the "
                  "client is whoever receives and uses what you make and is first to notice a "
                  "drop in quality; name those people as the client (if these really are your "
                  "buyers, add lint_ignore: [owner-as-client] to this client)",
            "ru": "«{name}» — похоже, собственник или инвестор компании, а не клиент: клиент — "
                  "тот, кто получает и использует то, что вы делаете, и первым замечает "
                  "падение качества; назовите клиентом этих людей (если это действительно "
                  "ваши покупатели, добавьте этому клиенту lint_ignore: [owner-as-client])",
        },
        "owner_promised": {
            "en": "«{name}» looks like the company's owner or investor, not its client, yet "
                  "root promises go to it ({promises}): the client is whoever receives and "
                  "uses what you make and is first to notice a drop in quality; name those "
                  "people as the client and give them these promises (if these really are "
                  "your buyers, add lint_ignore: [owner-as-client] to this client)",
            "ru": "«{name}» — похоже, собственник или инвестор компании, а не клиент, но ему "
                  "даны корневые обещания ({promises}): клиент — тот, кто получает и "
                  "использует то, что вы делаете, и первым замечает падение качества; "
                  "назовите клиентом этих людей и дайте эти обещания им (если это "
                  "действительно ваши покупатели, добавьте этому клиенту lint_ignore: "
                  "[owner-as-client])",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
clients:
  - {id: small-business-owners, name: Small business owners, kind: external}
""", """
clients:
  - {id: vladelcy-kvartir, name: Владельцы квартир в наших домах, kind: external}
"""),
    failing=("""
clients:
  - {id: sobstvennik, name: Собственник компании, kind: external}
""", """
clients:
  - id: shoppers
    name: Shareholders
    kind: external
    needs:
      - {id: feed, text: feed the family fresh food, pains: [long trips to the market]}
"""),
)
