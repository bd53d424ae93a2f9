"""A client need is worded as a verb: a result, not a process (heuristic, Russian text).

A need (потребность) is what the client wants to get as a result: «накормить семью»,
«оказаться в нужном месте». Worded as a process («приготовление ужина») or as a solution
(«заказ такси»), it hides the result and ties the company to one way of reaching it — the
canvas then compares solutions instead of the ways to close one need.

Source (R-28, guide «О клиентократии», glossary «Потребность» and «Решение»): «Потребность
всегда описывается, как глагол совершенного вида, а не процесс. Потребность ≠ Решение»;
«Например, “Заказать такси” ≠ “Оказаться в нужном месте”». Meaning: a need is always written
as a perfective verb, not a process; a need is not a solution.

How it is checked (a heuristic for Russian text only; kkctl has no morphological analyser):
the ``text`` of every client need (``clients[].needs[].text``) and the ``need`` of every
canvas, when it contains Cyrillic letters, must start with a verb in the infinitive — its
first word (after a leading «не») ends in «ть», «ться», «ти», «тись», «чь» or «чься». A first
word that is not Cyrillic is left alone; English text is not checked. The aspect (perfective
or not) and "need ≠ solution" cannot be told from the ending and are not checked. A first
word ending like a process noun («-ние», «-ция», «-ство», «-ка») gets a message saying so.
Skipped when ``organisation.applicability.commodity`` is true (R-27: client development does
not apply to commodity products).

Fix: reword the need as the result the client wants, starting with a perfective verb:
«приготовление ужина» → «накормить семью ужином».
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Source

DOC_RU = """Потребность клиента — глагол: результат, а не процесс (эвристика, русский текст).

Потребность — то, что клиент хочет получить в результате: «накормить семью», «оказаться в нужном
месте». Сформулированная как процесс («приготовление ужина») или как решение («заказ такси»), она
скрывает результат и привязывает компанию к одному способу его достичь — и тогда канва сравнивает
решения, а не способы закрыть одну потребность.

Источник (R-28, руководство «О клиентократии», глоссарий, статьи «Потребность» и «Решение»):
«Потребность всегда описывается, как глагол совершенного вида, а не процесс. Потребность ≠
Решение»; «Например, “Заказать такси” ≠ “Оказаться в нужном месте”». Смысл: потребность всегда
записывается глаголом совершенного вида, а не процессом; потребность — это не решение.

Как проверяется (эвристика только для русского текста; морфологического анализатора в kkctl нет):
``text`` каждой потребности клиента (``clients[].needs[].text``) и ``need`` каждой канвы, если в
них есть кириллица, должны начинаться с глагола в неопределённой форме — первое слово (после
начального «не») оканчивается на «ть», «ться», «ти», «тись», «чь» или «чься». Первое слово не на
кириллице не проверяется, как и английский текст. Вид глагола (совершенный или нет) и правило
«потребность ≠ решение» по окончанию не определить, поэтому они не проверяются. Если первое слово
оканчивается как существительное, обозначающее процесс («-ние», «-ция», «-ство», «-ка»), сообщение
говорит об этом. Правило пропускается, если ``organisation.applicability.commodity`` истинно
(R-27: развитие клиента неприменимо к биржевым товарам).

Исправление: переформулируйте потребность как результат, который хочет получить клиент, начиная с
глагола совершенного вида: «приготовление ужина» → «накормить семью ужином».
"""

INFINITIVE = ("ть", "ться", "ти", "тись", "чь", "чься")
PROCESS_NOUN = ("ние", "ция", "ство", "ка")
NEGATIONS = frozenset({"не", "ни"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    for client in ctx.org.clients:
        raw = _raw(client.source)
        needs = raw.get("needs") if isinstance(raw, dict) else None
        if not isinstance(needs, list):
            continue
        for i, need in enumerate(needs):
            if isinstance(need, dict) and isinstance(need.get("text"), str):
                yield from _check_text(client.source, ("needs", i, "text"), need["text"])
    for canvas in ctx.org.canvases:
        if canvas.need is not None:
            yield from _check_text(canvas.source, ("need",), canvas.need)


def _check_text(source: Source, sub: tuple[Any, ...], text: str) -> Iterator[Finding]:
    if not _CYRILLIC.search(text):
        return
    words = _WORD.findall(text)
    while words and words[0].lower() in NEGATIONS:
        words = words[1:]
    if not words:
        return
    word = words[0].lower()
    if not _CYRILLIC.search(word) or word.endswith(INFINITIVE):
        return
    name = "process" if word.endswith(PROCESS_NOUN) else "not_verb"
    yield Finding(source, sub, name, {"text": _short(text), "word": words[0]})


def _raw(source: Source) -> Any:
    data: Any = source.file.data
    for part in source.path:
        if not isinstance(data, dict | list):
            return None
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


RULE = Rule(
    code="KK232",
    slug="need-wording",
    severity=Severity.WARNING,
    profile="strict",
    source="R-28",
    summary={"en": "A client need starts with a verb: the result wanted, not a process.",
             "ru": "Потребность начинается с глагола: результат, а не процесс."},
    messages={
        "process": {
            "en": "the need «{text}» starts with «{word}», which looks like a process noun: a "
                  "need is the result the client wants, worded as a perfective verb (e.g. "
                  "«накормить семью»), not a process or a solution",
            "ru": "потребность «{text}» начинается со слова «{word}», похожего на название "
                  "процесса: потребность — результат, который хочет получить клиент, и "
                  "описывается глаголом совершенного вида (например, «накормить семью»), а не "
                  "процессом или решением",
        },
        "not_verb": {
            "en": "the need «{text}» does not start with a verb in the infinitive («{word}»): "
                  "a need is the result the client wants, worded as a perfective verb (e.g. "
                  "«накормить семью»)",
            "ru": "потребность «{text}» начинается не с глагола в неопределённой форме "
                  "(«{word}»): потребность — результат, который хочет получить клиент, и "
                  "описывается глаголом совершенного вида (например, «накормить семью»)",
        },
    },
    check=check,
    heuristic=True,
    passing=("""
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: накормить семью свежей едой, pains: [long trips to the market]}
""",),
    failing=("""
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: приготовление ужина для семьи, pains: [long trips to the market]}
""", """
canvases:
  - id: canvas
    client: shoppers
    need: свежие продукты рядом с домом
    scale: {min: 0, max: 5}
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: price, action: keep}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, price: 3, choice: 1}}
      - {id: chain, scores: {freshness: 2, price: 4, choice: 5}}
      - {id: market, scores: {freshness: 2, price: 1, choice: 3}}
"""),
)
