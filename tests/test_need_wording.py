"""need-wording (KK232) reads Russian needs with a morphological analyser: a need is a
perfective verb (a result), not an imperfective one (a process) nor a solution such as the
seed's «заказать такси»; leading adverbs are read past («быстро оказаться дома»). Without the
analyser the rule falls back to endings and never crashes; the analyser is loaded only when
the rule reads Russian text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, assert_no_traceback

ORG = """\
kkctl: 1
organisation:
  id: tiny
  name: Tiny
  locale: {locale}
{lint}clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
{needs}"""

CANVAS = """\
values:
  - {id: speed, name: Скорость, client: shoppers}
  - {id: price, name: Цена, client: shoppers}
  - {id: comfort, name: Комфорт, client: shoppers}
canvases:
  - id: canvas
    client: shoppers
    need: заказать такси до дома
    factors:
      - {value: speed, key: true, action: raise}
      - {value: price, action: keep}
      - {value: comfort, action: reduce}
    offerings:
      - {id: us, self: true, scores: {speed: 5, price: 3, comfort: 1}}
      - {id: metro, scores: {speed: 2, price: 5, comfort: 2}}
"""


def write_org(tmp_path: Path, *needs: str, locale: str = "ru", lint: str = "",
              extra: str = "") -> Path:
    lines = "".join(f"      - {{id: n{i}, text: {text}, pains: [долго]}}\n"
                    for i, text in enumerate(needs))
    path = tmp_path / "kkctl.yaml"
    path.write_text(ORG.format(locale=locale, lint=lint, needs=lines) + extra,
                    encoding="utf-8")
    return path


def lint(kkctl: Any, path: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    run: Run = kkctl("lint", str(path), "--profile", "strict", "--select", "need-wording",
                     "--stage", "9", "--no-cache", *args, env=env)
    assert_no_traceback(run)
    assert run.code == 0, run.err  # warnings only
    return run


def findings(kkctl: Any, path: Path, lang: str = "en",
             env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    run = lint(kkctl, path, "--format", "json", "--lang", lang, env=env)
    diagnostics: list[dict[str, Any]] = json.loads(run.out)["diagnostics"]
    assert {d["code"] for d in diagnostics} <= {"KK232"}
    return diagnostics


@pytest.mark.parametrize("text", [
    "быстро оказаться дома",  # the seed's need: an adverb, then a perfective verb
    "оказаться в нужном месте",
    "накормить семью свежей полезной едой без долгой готовки",
    "за 15 минут доехать до офиса",  # a prepositional phrase first
    "не выходя из дома получить продукты",  # an adverbial-participle phrase first
    "дешевле добраться до дачи",  # a comparative first
    "не стоять в очереди",  # a negated process is a result: imperfective after «не»
    "организовать праздник для детей",  # a verb of both aspects
    "загуглить рецепт на ужин",  # not in the dictionary: an infinitive ending passes
])
def test_results_worded_with_a_perfective_verb_pass(kkctl, tmp_path: Path, text: str) -> None:
    assert findings(kkctl, write_org(tmp_path, text)) == []


def test_the_seeds_solution_is_not_a_need(kkctl, tmp_path: Path) -> None:
    path = write_org(tmp_path, "оказаться дома", "заказать такси")
    [en] = findings(kkctl, path, "en")
    line = path.read_text(encoding="utf-8").splitlines()[en["line"] - 1]
    assert line[en["column"] - 1:].startswith("заказать такси, pains")
    assert en["path"] == "clients[0].needs[1].text"
    assert en["message"] == (
        "client 'shoppers': the need «заказать такси» starts with «заказать», which names a "
        "solution — a way to get a product or service, like «заказать такси» — not the need: "
        "write the result the client wants from it (e.g. «оказаться в нужном месте»); the "
        "ways to get it are the offerings of the canvas")
    [ru] = findings(kkctl, path, "ru")
    assert ru["message"] == (
        "клиент 'shoppers': потребность «заказать такси» начинается с глагола «заказать», "
        "который называет решение — способ получить товар или услугу, как «заказать такси», — "
        "а не потребность: запишите результат, которого клиент хочет этим добиться (например, "
        "«оказаться в нужном месте»); способы его получить — это предложения на канве")


def test_an_imperfective_verb_is_a_process(kkctl, tmp_path: Path) -> None:
    path = write_org(tmp_path, "Покупать продукты рядом с домом")
    [en] = findings(kkctl, path, "en")
    assert en["message"] == (
        "client 'shoppers': the need «Покупать продукты рядом с домом» starts with «Покупать», "
        "an imperfective verb: it names a process, not a result; word the need as the result "
        "the client wants, with a perfective verb (e.g. «накормить семью», not «кормить "
        "семью»)")
    [ru] = findings(kkctl, path, "ru")
    assert ru["message"] == (
        "клиент 'shoppers': потребность «Покупать продукты рядом с домом» начинается с глагола "
        "несовершенного вида «Покупать»: он называет процесс, а не результат; сформулируйте "
        "потребность как результат, который хочет получить клиент, глаголом совершенного вида "
        "(например, «накормить семью», а не «кормить семью»)")


@pytest.mark.parametrize(("text", "name", "word"), [
    ("в срок заказать доставку", "solution", "заказать"),  # read past «в срок»
    ("быстро ездить на работу", "imperfective", "ездить"),
    ("свежие продукты рядом с домом", "not_verb", "свежие"),
    ("хочу поесть", "not_verb", "хочу"),  # a finite verb, not the infinitive
    ("доставка еды на дом", "process", "доставка"),
    ("быстро и дёшево", "not_verb", "быстро"),  # no verb at all
])
def test_the_word_that_is_not_a_need_is_named(kkctl, tmp_path: Path, text: str, name: str,
                                               word: str) -> None:
    [diag] = findings(kkctl, write_org(tmp_path, text))
    assert f"«{word}»" in diag["message"]
    marker = {"solution": "names a solution", "imperfective": "an imperfective verb",
              "not_verb": "does not start with a verb in the infinitive",
              "process": "looks like a process noun"}[name]
    assert marker in diag["message"]


def test_a_canvas_need_that_names_a_solution(kkctl, tmp_path: Path) -> None:
    path = write_org(tmp_path, "оказаться дома", extra=CANVAS)
    [diag] = findings(kkctl, path, "ru")
    assert diag["path"] == "canvases[0].need"
    assert diag["message"].startswith(
        "канва 'canvas': потребность «заказать такси до дома» начинается с глагола «заказать»")


def test_the_list_of_solution_verbs_is_an_option(kkctl, tmp_path: Path) -> None:
    own = "lint:\n  rules:\n    need-wording: {options: {solution_verbs: [доставить]}}\n"
    path = write_org(tmp_path, "заказать такси", "доставить посылку", lint=own)
    [diag] = findings(kkctl, path)
    assert (diag["path"], "starts with «доставить», which names a solution" in diag["message"]) \
        == ("clients[0].needs[1].text", True)
    off = "lint:\n  rules:\n    need-wording: {options: {solution_verbs: []}}\n"
    assert findings(kkctl, write_org(tmp_path, "заказать такси", lint=off)) == []


def test_english_needs_are_not_read(kkctl, tmp_path: Path) -> None:
    path = write_org(tmp_path, "order a taxi", "feed the family", locale="en")
    assert findings(kkctl, path) == []


BROKEN = "raise ImportError('a broken pymorphy3 install')\n"


def test_without_the_analyser_the_rule_falls_back_to_endings(kkctl, tmp_path: Path) -> None:
    fake = tmp_path / "site"
    (fake / "pymorphy3").mkdir(parents=True)
    (fake / "pymorphy3" / "__init__.py").write_text(BROKEN, encoding="utf-8")
    org = tmp_path / "org"
    org.mkdir()
    path = write_org(org, "заказать такси", "покупать продукты", "быстро оказаться дома")
    shadow = os.pathsep.join(filter(None, [str(fake), os.environ.get("PYTHONPATH")]))
    diagnostics = findings(kkctl, path, env={"PYTHONPATH": shadow})
    # the first word's ending: no aspect (покупать passes), no adverbs read past
    solution, adverb = diagnostics
    assert solution["path"] == "clients[0].needs[0].text"
    assert "starts with «заказать», which names a solution" in solution["message"]
    assert adverb["path"] == "clients[0].needs[2].text"
    assert "does not start with a verb in the infinitive («быстро»)" in adverb["message"]


def _imported(run: Run) -> bool:
    """Whether ``python -X importtime`` (PYTHONPROFILEIMPORTTIME) saw pymorphy3 imported."""
    return re.search(r"\|\s+pymorphy3\b", run.err) is not None


def test_the_analyser_is_imported_only_to_read_russian_needs(kkctl, tmp_path: Path) -> None:
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    (tmp_path / "ru").mkdir()
    russian = write_org(tmp_path / "ru", "быстро оказаться дома")
    validate = kkctl("validate", str(russian), "--no-cache", env=env)
    assert validate.code == 0, validate.err
    assert not _imported(validate)
    assert _imported(lint(kkctl, russian, env=env))
    (tmp_path / "en").mkdir()
    english = write_org(tmp_path / "en", "feed the family", locale="en")
    assert not _imported(lint(kkctl, english, env=env))
