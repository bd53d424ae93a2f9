"""A need names the result the client wants: a perfective verb, not a process nor a way to buy.

A need (потребность) is what the client wants to get as a result: «накормить семью»,
«оказаться в нужном месте». Worded as a process («приготовление ужина», «покупать продукты»)
or as a solution («заказать такси»), it hides the result and ties the company to one way of
reaching it — the canvas then compares solutions instead of the ways to close one need.

Source (R-28, guide «О клиентократии», glossary «Потребность» and «Решение»): «Потребность
всегда описывается, как глагол совершенного вида, а не процесс. Потребность ≠ Решение»;
«Решение - способ удовлетворения потребности клиента. Решение ≠ потребность. Например,
“Заказать такси” ≠ “Оказаться в нужном месте”». Meaning: a need is always written as a
perfective verb, not a process; a solution is a way to satisfy a need, and is not the need.

How it is checked (Russian text): the ``text`` of every client need
(``clients[].needs[].text``) and the ``need`` of every canvas, when it contains Cyrillic
letters, is read with the morphological analyser pymorphy3 and its OpenCorpora dictionary
(loaded once, and only when such a text is linted). Leading adverbs, comparatives, particles,
conjunctions, and phrases opened by a preposition or an adverbial participle are skipped
(«быстро оказаться дома», «за час доехать до офиса», «не выходя из дома получить продукты»);
the first word after them must be a perfective infinitive:

* not a verb, or a verb not in the infinitive → ``not_verb`` (``process`` when the word ends
  like a process noun: «-ние», «-ция», «-ство», «-ка»);
* an imperfective infinitive («покупать продукты») → ``imperfective``: it names a process.
  When the dictionary gives a word both aspects, the analyser's first reading decides: most
  verbs of both aspects («организовать», «использовать») come perfective first and pass; «покупать»
  comes first as imperfective "to buy", before its rare perfective namesake "to bathe for a
  while". After «не» the aspect is not checked: Russian words an avoided process with an
  imperfective («не стоять в очереди» is a result the client wants);
* a verb in ``solution_verbs`` («заказать такси») → ``solution``. Heuristic: these verbs name
  the transaction by which a client gets a product or service — ordering, buying, renting,
  hiring, calling out, booking, paying, signing up, downloading — which is the glossary's own
  example of a solution; the need is what the client wants from it. General verbs that also
  name results («получить», «использовать», «установить») are left out. A list of verbs cannot
  catch every solution (a product after a result verb, «получить кредит», passes), and it
  does not try to tell a product from a result in the words that follow.

A word the dictionary does not know (slang, a typo) is judged by its ending only: an
infinitive ending passes. A text whose first word is not Cyrillic is left alone: English
text is not checked, kkctl has no English morphology. If pymorphy3 cannot be imported (a
broken install), the rule falls back to endings: the first word after «не» must end like an
infinitive («-ть», «-ться», «-ти», «-тись», «-чь», «-чься») and not be a solution verb;
adverbs are then not skipped and the aspect is not checked. Skipped when
``organisation.applicability.commodity`` is true (R-27: client development does not apply to
commodity products).

Options: ``solution_verbs`` (default: the list below): infinitives, in lower case, that name
a solution rather than a need; give your own list to fit the trade, ``[]`` turns this check
off.

Fix: reword the need as the result the client wants, starting with a perfective verb:
«приготовление ужина» → «накормить семью ужином», «заказать такси» → «быстро оказаться
дома».
"""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from collections.abc import Iterator
from typing import Any

from kkctl.diagnostics import Severity
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding, Rule
from kkctl.model import Source

DOC_RU = """Потребность называет результат, которого хочет клиент: глагол совершенного вида, а не
процесс и не способ купить.

Потребность — то, что клиент хочет получить в результате: «накормить семью», «оказаться в нужном
месте». Сформулированная как процесс («приготовление ужина», «покупать продукты») или как
решение («заказать такси»), она скрывает результат и привязывает компанию к одному способу его
достичь — и тогда канва сравнивает решения, а не способы закрыть одну потребность.

Источник (R-28, руководство «О клиентократии», глоссарий, статьи «Потребность» и «Решение»):
«Потребность всегда описывается, как глагол совершенного вида, а не процесс. Потребность ≠
Решение»; «Решение - способ удовлетворения потребности клиента. Решение ≠ потребность.
Например, “Заказать такси” ≠ “Оказаться в нужном месте”». Смысл: потребность всегда
записывается глаголом совершенного вида, а не процессом; решение — способ удовлетворить
потребность, и это не сама потребность.

Как проверяется (русский текст): ``text`` каждой потребности клиента
(``clients[].needs[].text``) и ``need`` каждой канвы, если в них есть кириллица, разбирает
морфологический анализатор ``pymorphy3`` со словарём ``OpenCorpora`` (загружается один раз и
только тогда, когда такой текст проверяется). Начальные наречия, сравнительные степени,
частицы, союзы и обороты, которые открывает предлог или деепричастие, пропускаются («быстро
оказаться дома», «за час доехать до офиса», «не выходя из дома получить продукты»); первое
слово после них должно быть глаголом совершенного вида в неопределённой форме:

* не глагол или глагол не в неопределённой форме → ``not_verb`` (``process``, если слово
  оканчивается как название процесса: «-ние», «-ция», «-ство», «-ка»);
* глагол несовершенного вида («покупать продукты») → ``imperfective``: он называет процесс.
  Если словарь даёт слову оба вида, решает первый разбор анализатора: большинство двувидовых
  глаголов («организовать», «использовать») идут первыми как совершенные и проходят; «покупать»
  идёт первым как несовершенный «покупать в магазине», раньше редкого совершенного
  «покупать ребёнка» (немного искупать). После «не» вид не проверяется: избегаемый процесс
  по-русски называют несовершенным видом («не стоять в очереди» — результат, которого хочет
  клиент);
* глагол из ``solution_verbs`` («заказать такси») → ``solution``. Эвристика: эти глаголы
  называют сделку, которой клиент получает товар или услугу, — заказать, купить,
  арендовать, нанять, вызвать, забронировать, оплатить, записаться, скачать; это и есть
  пример решения из глоссария, а потребность — то, чего клиент хочет этим добиться. Общие
  глаголы, которые называют и результат («получить», «использовать», «установить»), в список
  не входят. Список глаголов ловит не каждое решение (продукт после глагола результата —
  «получить кредит» — проходит) и не пытается отличить продукт от результата в следующих
  словах.

Слово, которого нет в словаре (жаргон, опечатка), оценивается только по окончанию:
окончание неопределённой формы проходит. Текст, который начинается не с кириллицы, не
проверяется: английский текст не проверяется, морфологии английского в kkctl нет. Если
``pymorphy3`` не импортируется (повреждённая установка), правило возвращается к окончаниям:
первое слово после «не» должно оканчиваться как неопределённая форма («-ть», «-ться», «-ти»,
«-тись», «-чь», «-чься») и не быть глаголом решения; наречия тогда не пропускаются, вид не
проверяется. Правило пропускается, если ``organisation.applicability.commodity`` истинно
(R-27: развитие клиента неприменимо к биржевым товарам).

Настройки: ``solution_verbs`` (по умолчанию — список ниже): глаголы в неопределённой форме,
строчными буквами, которые называют решение, а не потребность; задайте свой список под свою
отрасль, ``[]`` отключает эту проверку.

Исправление: переформулируйте потребность как результат, который хочет получить клиент,
начиная с глагола совершенного вида: «приготовление ужина» → «накормить семью ужином»,
«заказать такси» → «быстро оказаться дома».
"""

INFINITIVE = ("ть", "ться", "ти", "тись", "чь", "чься")
PROCESS_NOUN = ("ние", "ция", "ство", "ка")
NEGATIONS = frozenset({"не", "ни"})
# Verbs of getting a product or service: the way, not the result (see the docstring).
# Perfective (or two-aspect) infinitives: their imperfective partners already fail as a process.
SOLUTION_VERBS = ("заказать", "купить", "приобрести", "арендовать", "нанять", "вызвать",
                  "забронировать", "оплатить", "оформить", "подключить", "подписаться",
                  "записаться", "скачать", "воспользоваться")
# Parts of speech (OpenCorpora tags) read past before the verb: «быстро», «дешевле», «не», «и».
_MODIFIERS = frozenset({"ADVB", "COMP", "PRCL", "CONJ"})
# A preposition or an adverbial participle opens a phrase whose words are read past too:
# «за час доехать», «не выходя из дома получить».
_PHRASE_OPENERS = frozenset({"PREP", "GRND"})
_IN_PHRASE = _MODIFIERS | _PHRASE_OPENERS | frozenset(
    {"NOUN", "ADJF", "ADJS", "NPRO", "NUMR", "PRTF", "LATN"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def check(ctx: LintContext, options: dict[str, Any]) -> Iterator[Finding]:
    if ctx.org.settings.applicability.get("commodity") is True:
        return
    solutions = _solution_verbs(options)
    for client in ctx.org.clients:
        raw = _raw(client.source)
        needs = raw.get("needs") if isinstance(raw, dict) else None
        if not isinstance(needs, list):
            continue
        for i, need in enumerate(needs):
            if isinstance(need, dict) and isinstance(need.get("text"), str):
                yield from _check_text(client.source, ("needs", i, "text"), need["text"],
                                       solutions)
    for canvas in ctx.org.canvases:
        if canvas.need is not None:
            yield from _check_text(canvas.source, ("need",), canvas.need, solutions)


def _check_text(source: Source, sub: tuple[Any, ...], text: str,
                solutions: frozenset[str]) -> Iterator[Finding]:
    if not _CYRILLIC.search(text):
        return
    words = _WORD.findall(text)
    if not words or not _CYRILLIC.search(words[0]):
        return  # «Wi-Fi найти в кафе»: a Latin first word is left alone
    morph = _analyser()
    found = _by_morphology(morph, words, solutions) if morph is not None \
        else _by_ending(words, solutions)
    if found is not None:
        name, word = found
        yield Finding(source, sub, name, {"text": _short(text), "word": word})


def _by_morphology(morph: Any, words: list[str],
                   solutions: frozenset[str]) -> tuple[str, str] | None:
    """The problem with the first verb (message name, word as written), or None."""
    in_phrase = False
    for i, word in enumerate(words):
        lower = word.lower()
        if not _CYRILLIC.search(lower) and in_phrase:
            continue
        if not morph.word_is_known(lower):  # no dictionary reading to trust: the ending
            if in_phrase and not lower.endswith(INFINITIVE):
                continue  # a name inside a phrase: «в Пятёрочке»
            return _judge_ending(word, solutions)
        parses = morph.parse(lower)
        pos = parses[0].tag.POS
        if in_phrase and pos in _IN_PHRASE:
            continue  # «в печь» stays a noun inside a phrase
        infinitives = [p for p in parses if p.tag.POS == "INFN"]
        if infinitives:
            negated = i > 0 and words[i - 1].lower() in NEGATIONS
            return _judge_verb(word, infinitives[0], negated, solutions)
        if pos in _MODIFIERS:
            continue
        if pos in _PHRASE_OPENERS:
            in_phrase = True
            continue
        return _not_verb(word)
    return _not_verb(words[0])  # nothing but modifiers: «быстро и дёшево»


def _judge_verb(word: str, parse: Any, negated: bool,
                solutions: frozenset[str]) -> tuple[str, str] | None:
    if parse.tag.aspect == "impf" and not negated:
        return "imperfective", word
    if _plain(parse.normal_form) in solutions:
        return "solution", word
    return None


def _by_ending(words: list[str], solutions: frozenset[str]) -> tuple[str, str] | None:
    """Without the analyser: the first word after a negation, by its ending (heuristic)."""
    rest = words
    while rest and rest[0].lower() in NEGATIONS:
        rest = rest[1:]
    if not rest or not _CYRILLIC.search(rest[0]):
        return None
    return _judge_ending(rest[0], solutions)


def _judge_ending(word: str, solutions: frozenset[str]) -> tuple[str, str] | None:
    lower = word.lower()
    if not lower.endswith(INFINITIVE):
        return _not_verb(word)
    return ("solution", word) if _plain(lower) in solutions else None


def _not_verb(word: str) -> tuple[str, str]:
    return ("process" if word.lower().endswith(PROCESS_NOUN) else "not_verb"), word


@functools.cache
def _analyser() -> Any:
    """pymorphy3's Russian analyser, built once per process on first use (~0.12 s, ~26 MB);
    None when it cannot be loaded, so that a broken install never stops a lint run."""
    try:
        with warnings.catch_warnings():  # a library's deprecation notice is no user's concern
            warnings.simplefilter("ignore")
            pymorphy3 = importlib.import_module("pymorphy3")
            return pymorphy3.MorphAnalyzer(lang="ru")
    except Exception:  # any failure of a third-party import: fall back to endings
        return None


def _solution_verbs(options: dict[str, Any]) -> frozenset[str]:
    value = options.get("solution_verbs", SOLUTION_VERBS)
    if not isinstance(value, list | tuple):
        value = SOLUTION_VERBS
    return frozenset(_plain(v) for v in value if isinstance(v, str) and v.strip())


def _plain(word: str) -> str:
    return word.strip().lower().replace("ё", "е")


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
    step=2,
    source="R-28",
    summary={"en": "A client need is a perfective verb: the result wanted, not a process or "
                   "a solution.",
             "ru": "Потребность — глагол совершенного вида: результат, а не процесс и не "
                   "решение."},
    messages={
        "imperfective": {
            "en": "the need «{text}» starts with «{word}», an imperfective verb: it names a "
                  "process, not a result; word the need as the result the client wants, with a "
                  "perfective verb (e.g. «накормить семью», not «кормить семью»)",
            "ru": "потребность «{text}» начинается с глагола несовершенного вида «{word}»: он "
                  "называет процесс, а не результат; сформулируйте потребность как результат, "
                  "который хочет получить клиент, глаголом совершенного вида (например, "
                  "«накормить семью», а не «кормить семью»)",
        },
        "solution": {
            "en": "the need «{text}» starts with «{word}», which names a solution — a way to get "
                  "a product or service, like «заказать такси» — not the need: write the result "
                  "the client wants from it (e.g. «оказаться в нужном месте»); the ways to get "
                  "it are the offerings of the canvas",
            "ru": "потребность «{text}» начинается с глагола «{word}», который называет решение "
                  "— способ получить товар или услугу, как «заказать такси», — а не "
                  "потребность: запишите результат, которого клиент хочет этим добиться "
                  "(например, «оказаться в нужном месте»); способы его получить — это "
                  "предложения на канве",
        },
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
    options={"solution_verbs": list(SOLUTION_VERBS)},
    heuristic=True,
    passing=("""
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: накормить семью свежей едой, pains: [long trips to the market]}
""", """
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: быстро получить свежие продукты, pains: [long trips to the market]}
      - {id: queue, text: не стоять в очереди на кассе, pains: [long queues]}
""",),
    failing=("""
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: покупать продукты рядом с домом, pains: [long trips to the market]}
""", """
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: feed, text: заказать доставку продуктов, pains: [long trips to the market]}
""", """
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
