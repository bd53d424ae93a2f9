"""Rules of the strategy canvas, key value, completeness, hypotheses and hygiene (KK224-KK243):
exact messages, positions, options, and the edge cases the PASS/FAIL examples do not show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from harness import lint_file, merged, write_org

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.lint.registry import find

CODES = ["KK224", "KK225", "KK226", "KK227", "KK228", "KK229", "KK230", "KK231", "KK232",
         "KK235", "KK236", "KK237", "KK242", "KK243"]

CANVAS = """
canvases:
  - id: canvas
    client: shoppers
    need: {need}
    scale: {{min: 0, max: 5}}
    factors:
      - {{value: freshness, key: true, action: raise}}
      - {{value: price, action: {price_action}}}
      - {{value: choice, action: reduce}}
    offerings:
      - {{id: us, self: true, scores: {{freshness: {us}, price: 3, choice: 1}}}}
      - {{id: chain, name: Chain A, scores: {{freshness: {chain}, price: 4, choice: 5}}}}
      - {{id: market, scores: {{freshness: 2, price: 1, choice: 3}}}}
"""


def canvas(us: int = 5, chain: int = 2, need: str = "feed the family fresh food",
           price_action: str = "keep") -> str:
    return CANVAS.format(us=us, chain=chain, need=need, price_action=price_action)


def run(tmp_path: Path, data: dict[str, Any], codes: list[str] | None = None,
        profile: str = "strict", valid: bool = True) -> tuple[Path, list[Diagnostic]]:
    path = write_org(tmp_path, data)
    validation, findings = lint_file(path, codes or CODES, profile)
    if valid:
        assert [d.message() for d in validation] == [], "the organisation must be valid"
    return path, findings


def lint(tmp_path: Path, fragment: str, codes: list[str] | None = None,
         profile: str = "strict") -> tuple[Path, list[Diagnostic]]:
    return run(tmp_path, merged(fragment), codes, profile)


def at(path: Path, diag: Diagnostic) -> str:
    """The text of the file from the diagnostic's position to the end of that line."""
    line = path.read_text(encoding="utf-8").splitlines()[diag.line - 1]
    return line[diag.column - 1:]


def line_no(path: Path, text: str, nth: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i for i, line in enumerate(lines, 1) if line.strip() == text]
    return hits[nth - 1]


def only(findings: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in findings if d.code == code]


# -- the rule table ------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "slug", "severity", "profile", "heuristic"), [
    ("KK224", "key-value", Severity.ERROR, "minimal", False),
    ("KK225", "key-value-best", Severity.WARNING, "recommended", False),
    ("KK226", "canvas-focus", Severity.WARNING, "recommended", False),
    ("KK227", "canvas-divergence", Severity.INFO, "strict", True),
    ("KK228", "clientocracy-complete", Severity.ERROR, "recommended", False),
    ("KK229", "evolutionary-goal", Severity.WARNING, "recommended", False),
    ("KK230", "key-resource-duplication", Severity.INFO, "strict", True),
    ("KK231", "applicability", Severity.INFO, "recommended", False),
    ("KK232", "need-wording", Severity.WARNING, "strict", True),
    ("KK235", "nps-why", Severity.INFO, "strict", True),
    ("KK236", "hypothesis-structure", Severity.ERROR, "recommended", False),
    ("KK237", "canvas-scores", Severity.ERROR, "minimal", False),
    ("KK242", "unused-metric", Severity.WARNING, "recommended", False),
    ("KK243", "unused-authority", Severity.WARNING, "recommended", False),
])
def test_rule_table(code: str, slug: str, severity: Severity, profile: str,
                    heuristic: bool) -> None:
    rule = find(code)
    assert rule is not None
    assert (rule.slug, rule.severity, rule.profile, rule.heuristic) == (
        slug, severity, profile, heuristic)


def test_the_base_is_clean_under_every_rule_of_the_group(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, "")
    assert [d.message() for d in findings] == []


# -- KK224 key-value -----------------------------------------------------------------------

def test_missing_key_value_is_reported_at_organisation(tmp_path: Path) -> None:
    data = merged("")
    del data["organisation"]["key_value"]
    path, findings = run(tmp_path, data, ["KK224"])
    [diag] = findings
    assert (diag.line, diag.column) == (line_no(path, "organisation:"), 1)
    assert diag.message() == (
        "the organisation names no key value (organisation.key_value), one of the five "
        "elements of a clientocracy: choose the one client value the market does not serve "
        "well and that you will deliver better than anyone, and set key_value to its id")
    assert diag.message("ru").startswith(
        "у организации не выделена ключевая ценность (organisation.key_value)")


def test_second_key_factor_is_the_extra_one(tmp_path: Path) -> None:
    fragment = canvas().replace("{value: price, action: keep}",
                                "{value: price, key: true, action: keep}")
    path, findings = lint(tmp_path, fragment, ["KK224"])
    [diag] = findings
    assert diag.line == line_no(path, "key: true", 2)
    assert at(path, diag) == "true"
    first = line_no(path, "- value: freshness")
    assert diag.message() == (
        f"canvas 'canvas': factor 'price' is marked key: true, but 'freshness' "
        f"({path}:{first}:5) already is: there is one key value; remove key: true here")
    assert diag.message("ru") == (
        f"канва 'canvas': фактор 'price' отмечен key: true, но так уже отмечен 'freshness' "
        f"({path}:{first}:5): ключевая ценность одна; уберите key: true здесь")


def test_the_organisations_key_value_wins_among_several_key_factors(tmp_path: Path) -> None:
    fragment = canvas().replace(
        "{value: freshness, key: true, action: raise}",
        "{value: price, key: true, action: raise}").replace(
        "{value: price, action: keep}", "{value: freshness, key: true, action: keep}")
    path, findings = lint(tmp_path, fragment, ["KK224"])
    [diag] = findings
    assert diag.message_id == "key-value.extra_key"
    assert diag.args["value"] == "price" and diag.args["key"] == "freshness"
    assert diag.line == line_no(path, "key: true", 1)


def test_key_factor_other_than_the_organisations(tmp_path: Path) -> None:
    fragment = canvas().replace("{value: freshness, key: true, action: raise}",
                                "{value: freshness, action: raise}").replace(
        "{value: price, action: keep}", "{value: price, key: true, action: keep}")
    path, findings = lint(tmp_path, fragment, ["KK224"])
    [diag] = findings
    assert at(path, diag) == "price"
    assert diag.message().startswith(
        "canvas 'canvas': the key factor is 'price', but the organisation's key value is "
        "'freshness' (")


def test_no_key_factor_suggests_the_key_value(tmp_path: Path) -> None:
    fragment = canvas().replace("{value: freshness, key: true, action: raise}",
                                "{value: freshness, action: raise}")
    path, findings = lint(tmp_path, fragment, ["KK224"])
    [diag] = findings
    assert diag.line == line_no(path, "factors:") + 1
    assert diag.message() == ("canvas 'canvas': no factor of this canvas is marked key: true; "
                              "mark the factor 'freshness' (the organisation's key value) "
                              "key: true")


def test_unresolved_key_value_is_left_to_validation(tmp_path: Path) -> None:
    data = merged("")
    data["organisation"]["key_value"] = "freshnes"
    _, findings = run(tmp_path, data, ["KK224"], valid=False)
    assert findings == []


def test_commodity_skips_canvases_not_the_key_value(tmp_path: Path) -> None:
    data = merged(canvas().replace("key: true, ", ""))
    data["organisation"]["applicability"]["commodity"] = True
    del data["organisation"]["key_value"]
    _, findings = run(tmp_path, data, ["KK224", "KK225", "KK226", "KK227", "KK237", "KK232"])
    assert [d.message_id for d in findings] == ["key-value.no_org_key_value"]


# -- KK225 key-value-best ------------------------------------------------------------------

def test_own_key_score_must_be_strictly_best(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, canvas(us=2, chain=2), ["KK225"])
    [diag] = findings
    assert diag.line == line_no(path, "freshness: 2", 1)
    assert at(path, diag) == "2"
    chain_line = line_no(path, "freshness: 2", 2)
    assert diag.message() == (
        f"canvas 'canvas': the own offering scores 2 on the key value 'freshness', but "
        f"'Chain A' scores 2 ({path}:{chain_line}:18): the key value must be delivered better "
        f"than anyone on the market; raise the own score or rethink the key value")


def test_market_serving_the_key_value_well(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, canvas(chain=3), ["KK225"])
    [diag] = findings
    assert diag.line == line_no(path, "freshness: 3")
    assert diag.message() == (
        "canvas 'canvas': 'Chain A' already scores 3 of 5 on the key value 'freshness' (at or "
        "above 3, 60% of the scale): a key value is one the market does not serve well today; "
        "choose a value that is still poorly served, or check the scores")
    assert diag.message("ru") == (
        "канва 'canvas': 'Chain A' уже даёт ключевую ценность 'freshness' на 3 из 5 (не ниже "
        "3, 60% шкалы): ключевая ценность — та, что сейчас не представлена достойно на рынке; "
        "выберите ценность, которую рынок даёт слабо, или проверьте оценки")


def test_competitor_ceiling_option(tmp_path: Path) -> None:
    data = merged("")
    data["lint"]["rules"] = {"key-value-best": {"options": {"competitor_ceiling": 0.3}}}
    _, findings = run(tmp_path, data, ["KK225"])
    [diag] = findings
    assert diag.args["limit"] == "1.5" and diag.args["percent"] == "30"


# -- KK226 canvas-focus --------------------------------------------------------------------

def test_excelling_at_everything(tmp_path: Path) -> None:
    fragment = canvas().replace("freshness: 5, price: 3, choice: 1",
                                "freshness: 5, price: 4, choice: 5")
    path, findings = lint(tmp_path, fragment, ["KK226"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: us")
    assert diag.message().startswith(
        "canvas 'canvas': the own offering 'us' scores at least as high as every other "
        "offering on every factor: trying to excel at everything")


def test_nothing_given_up(tmp_path: Path) -> None:
    fragment = canvas().replace("{value: choice, action: reduce}", "{value: choice}")
    path, findings = lint(tmp_path, fragment, ["KK226"])
    [diag] = findings
    assert diag.line == line_no(path, "factors:") + 1
    assert diag.message("ru").startswith(
        "канва 'canvas': ни у одного фактора нет action: reduce или action: eliminate: "
        "стратегия — это определение того хорошего, от чего надо отказаться")


def test_a_lone_own_offering_is_not_excelling(tmp_path: Path) -> None:
    fragment = """
canvases:
  - id: canvas
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, choice: 1}}
"""
    _, findings = lint(tmp_path, fragment, ["KK226"])
    assert findings == []


# -- KK227 canvas-divergence ---------------------------------------------------------------

def test_similar_curve_names_offering_and_correlation(tmp_path: Path) -> None:
    fragment = canvas().replace("freshness: 2, price: 1, choice: 3",
                                "freshness: 4, price: 3, choice: 1")
    path, findings = lint(tmp_path, fragment, ["KK227"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: market")
    assert diag.severity is Severity.INFO
    assert diag.args["correlation"] == "0.98"
    assert diag.message() == (
        "canvas 'canvas': the own value curve follows the curve of 'market' (correlation "
        "0.98, above 0.9): similar curves are a sign of a red ocean; look for a value to drop "
        "or to create that sets the offer apart")


def test_flat_curves_and_option(tmp_path: Path) -> None:
    fragment = canvas().replace("freshness: 2, price: 1, choice: 3",
                                "freshness: 3, price: 3, choice: 3").replace(
        "freshness: 2, price: 4, choice: 5", "freshness: 4, price: 3, choice: 1")
    data = merged(fragment)
    _, findings = run(tmp_path, data, ["KK227"])
    assert [d.args["offering"] for d in findings] == ["Chain A"]  # flat 'market' skipped
    data["lint"]["rules"] = {"canvas-divergence": {"options": {"max_correlation": 0.99}}}
    _, findings = run(tmp_path, data, ["KK227"])
    assert findings == []


def test_two_factors_are_too_few_for_a_correlation(tmp_path: Path) -> None:
    fragment = """
canvases:
  - id: canvas
    factors:
      - {value: freshness, key: true, action: raise}
      - {value: choice, action: reduce}
    offerings:
      - {id: us, self: true, scores: {freshness: 5, choice: 1}}
      - {id: chain, scores: {freshness: 2, choice: 0}}
"""
    _, findings = lint(tmp_path, fragment, ["KK227"])
    assert findings == []


# -- KK228 clientocracy-complete -----------------------------------------------------------

def test_an_empty_organisation_misses_the_elements_each_reported_once(tmp_path: Path) -> None:
    # The key value is key-value's (KK224) to report, the council council-composition's
    # (KK214, once there are teams for it to represent): clientocracy-complete leaves them.
    data = {"kkctl": 1, "organisation": {"id": "empty", "name": "Empty", "locale": "en"}}
    path, findings = run(tmp_path, data, ["KK228", "KK224", "KK214"])
    assert [(d.code, d.message_id.split(".")[1]) for d in findings] == [
        ("KK224", "no_org_key_value"), ("KK228", "no_promise_system"),
        ("KK228", "no_reward"), ("KK228", "no_concept_team")]
    assert {(d.line, d.column) for d in findings} == {(line_no(path, "organisation:"), 1)}
    assert findings[2].message() == (
        "no reward scheme: a clientocracy needs a reward system aimed at ever more value for "
        "the client; add reward_schemes (20% of net profit is the usual standard)")


def test_no_council_and_no_key_value_are_each_reported_once(tmp_path: Path) -> None:
    data = merged("""
councils: null
promises:
  - {id: p-council, delete: true}
authorities:
  - {id: a-council-answers, delete: true}
  - {id: a-council-members, delete: true}
  - {id: a-council-reward, delete: true}
reward_schemes:
  - {id: council-bonus, unit: shops}
""")
    del data["organisation"]["key_value"]
    _, findings = run(tmp_path, data, ["KK214", "KK224", "KK228"])
    assert sorted((d.code, d.message_id) for d in findings) == [
        ("KK214", "council-composition.no_council"), ("KK224", "key-value.no_org_key_value")]
    council, key_value = sorted(findings, key=lambda d: d.code)
    assert "one of the five elements of a clientocracy" in council.message()
    assert "один из пяти элементов клиентократии" in key_value.message("ru")


def test_concept_team_missing_a_scope(tmp_path: Path) -> None:
    fragment = """
authorities:
  - {id: a-communication, scope: tell shoppers about the labels, holder: concept}
"""
    _, findings = lint(tmp_path, fragment, ["KK228"])
    [diag] = findings
    assert diag.message() == (
        "unified-concept management is incomplete: team 'concept' (type: concept) holds no "
        "authority with scope concept.communication; give it that authority (holder: concept)")


def test_a_unit_council_counts_as_a_council(tmp_path: Path) -> None:
    fragment = """
councils:
  - id: council
    name: Shops council
    kind: unit
    unit: shops
    sponsor: ann
    reward: council-bonus
    members:
      - {person: ann, role: leader, represents: [shops]}
"""
    _, findings = lint(tmp_path, fragment, ["KK228"])
    assert findings == []


# -- KK229 evolutionary-goal ---------------------------------------------------------------

def test_missing_goal(tmp_path: Path) -> None:
    data = merged("")
    del data["organisation"]["evolutionary_goal"]
    path, findings = run(tmp_path, data, ["KK229"])
    [diag] = findings
    assert diag.line == line_no(path, "organisation:")
    assert diag.message("ru").startswith("у организации нет эволюционной цели")


@pytest.mark.parametrize(("goal", "sentences"), [
    ("Полезная еда для здорового питания доступна каждому.", 1),
    ("Как завещал Ю. Кривенко, полезная еда доступна каждому", 1),
    ("Еда, т. е. полезная еда, доступна каждому!", 1),
    ("Версия 2.0 цели: еда доступна каждому", 1),
    ("Полезная еда доступна каждому. Всегда.", 2),
    ("Why eat badly? «Good food» for all! 3 shops a year.", 3),
])
def test_sentence_count(tmp_path: Path, goal: str, sentences: int) -> None:
    data = merged("")
    data["organisation"]["evolutionary_goal"] = goal
    _, findings = run(tmp_path, data, ["KK229"])
    if sentences == 1:
        assert findings == []
    else:
        [diag] = findings
        assert diag.args["count"] == sentences
        assert diag.message() == (f"the evolutionary goal has {sentences} sentences: state it "
                                  "as one short sentence, and move explanations to a comment")


def test_max_length_option(tmp_path: Path) -> None:
    data = merged("")
    data["lint"]["rules"] = {"KK229": {"options": {"max_length": 20}}}
    path, findings = run(tmp_path, data, ["KK229"])
    [diag] = findings
    assert at(path, diag) == "Healthy food within everyone's reach."
    assert diag.message() == (
        "the evolutionary goal is 37 characters long (at most 20): it is a short statement "
        "every team can repeat from memory; shorten it")


# -- KK230 key-resource-duplication --------------------------------------------------------

def test_all_support_from_one_giver(tmp_path: Path) -> None:
    fragment = """
promises:
  - id: p-couriers
    kind: supporting
    giver: concept
    receiver: shops
    supports: [p-fresh]
    text: Shelf talkers explain how fresh our dairy is
    metrics: [m-on-time]
    authorities: [a-communication]
"""
    path, findings = lint(tmp_path, fragment, ["KK230"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: p-fresh")
    assert diag.message() == (
        "promise 'p-fresh': all 2 supporting promises this root promise relies on are given "
        "by 'concept': a single provider of a key resource; by the principle of optionality, "
        "consider a second provider (задвоение)")


def test_unresolved_giver_is_ignored(tmp_path: Path) -> None:
    data = merged("")
    for promise in data["promises"]:
        if promise["id"] == "p-couriers":
            promise["giver"] = "courier"
    _, findings = run(tmp_path, data, ["KK230"], valid=False)
    assert [d.args["giver"] for d in findings] == ["concept"]


# -- KK231 applicability -------------------------------------------------------------------

def test_each_flag_is_an_info_at_the_flag(tmp_path: Path) -> None:
    data = merged("")
    data["organisation"]["applicability"] = {"zero_sum": True, "commodity": True,
                                             "high_debt": False}
    path, findings = run(tmp_path, data, ["KK231"])
    assert [d.message_id for d in findings] == ["applicability.zero_sum",
                                                "applicability.commodity"]
    assert [at(path, d) for d in findings] == ["true", "true"]
    assert findings[1].line == line_no(path, "commodity: true")
    assert findings[1].message("ru").startswith(
        "commodity: true — для биржевого продукта инструменты, связанные с разработкой "
        "клиента и стратегической канвой, неприменимы")


# -- KK232 need-wording --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "накормить семью", "найти свежий хлеб рядом с домом", "выспаться перед работой",
    "не стоять в очереди", "«Успеть» на обед", "order lunch", "Wi-Fi найти в кафе",
])
def test_needs_that_pass(tmp_path: Path, text: str) -> None:
    _, findings = lint(tmp_path, canvas(need=text), ["KK232"])
    assert findings == []


def test_process_noun_in_a_client_need(tmp_path: Path) -> None:
    fragment = """
clients:
  - id: shoppers
    name: Shoppers
    kind: external
    needs:
      - {id: other, text: накормить семью, pains: [no time]}
      - {id: feed, text: приготовление ужина для семьи, pains: [long trips to the market]}
"""
    path, findings = lint(tmp_path, fragment, ["KK232"])
    [diag] = findings
    assert at(path, diag) == "приготовление ужина для семьи"
    assert diag.message("ru") == (
        "клиент 'shoppers': потребность «приготовление ужина для семьи» начинается со слова "
        "«приготовление», похожего на название процесса: потребность — результат, который "
        "хочет получить клиент, и описывается глаголом совершенного вида (например, "
        "«накормить семью»), а не процессом или решением")


def test_canvas_need_not_a_verb(tmp_path: Path) -> None:
    path, findings = lint(tmp_path, canvas(need="свежие продукты рядом с домом"), ["KK232"])
    [diag] = findings
    assert diag.message_id == "need-wording.not_verb"
    assert at(path, diag) == "свежие продукты рядом с домом"


# -- KK235 nps-why -------------------------------------------------------------------------

NPS = """
metrics:
  - id: m-nps
    name: {name}
    unit: points
    type: nps
    source: {{owner: concept, description: "{source}"}}
"""


@pytest.mark.parametrize(("name", "source", "fires"), [
    ("Loyalty (NPS)", "survey at the till", True),
    ("Loyalty (NPS)", "опрос и вопрос «ПОЧЕМУ?»", False),
    ("NPS and Why", "survey", False),
])
def test_nps_why(tmp_path: Path, name: str, source: str, fires: bool) -> None:
    path, findings = lint(tmp_path, NPS.format(name=name, source=source), ["KK235"])
    assert len(findings) == int(fires)
    if fires:
        assert findings[0].line == line_no(path, "- id: m-nps")
        assert findings[0].message("ru").startswith(
            "метрика 'm-nps': метрика NPS, но ни в названии, ни в описании, ни в источнике "
            "нет второго вопроса «А почему?»")


# -- KK236 hypothesis-structure ------------------------------------------------------------

def test_tactical_without_parent(tmp_path: Path) -> None:
    fragment = """
hypotheses:
  - {id: h-lunch, type: tactical, text: 15% of a business centre orders lunch}
"""
    path, findings = lint(tmp_path, fragment, ["KK236"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: h-lunch")
    assert diag.message() == (
        "hypothesis 'h-lunch': a tactical hypothesis without a parent: it breaks down a "
        "strategic hypothesis, so name it (parent: <strategic hypothesis id>)")


def test_tactical_under_a_non_strategic_parent(tmp_path: Path) -> None:
    fragment = """
hypotheses:
  - {id: h-want, type: value, text: Office workers want fresh lunches}
  - {id: h-lunch, type: tactical, parent: h-want, text: 15% of a business centre orders}
"""
    path, findings = lint(tmp_path, fragment, ["KK236"])
    [diag] = findings
    assert at(path, diag) == "h-want"
    type_line = line_no(path, "type: value")
    assert diag.message("ru") == (
        f"гипотеза 'h-lunch': тактическая гипотеза раскладывает стратегическую, а её parent "
        f"'h-want' имеет тип 'value' ({path}:{type_line}:9); укажите в parent стратегическую "
        f"гипотезу или измените тип этой")


def test_unresolved_parent_is_left_to_validation(tmp_path: Path) -> None:
    data = merged("""
hypotheses:
  - {id: h-lunch, type: tactical, parent: h-nowhere, text: 15% of a business centre orders}
""")
    _, findings = run(tmp_path, data, ["KK236"], valid=False)
    assert findings == []


def test_parent_cycles(tmp_path: Path) -> None:
    fragment = """
hypotheses:
  - {id: h-a, type: strategic, parent: h-c, text: A}
  - {id: h-b, type: strategic, parent: h-a, text: B}
  - {id: h-c, type: strategic, parent: h-b, text: C}
  - {id: h-self, type: strategic, parent: h-self, text: Self}
"""
    path, findings = lint(tmp_path, fragment, ["KK236"])
    assert [d.message_id for d in findings] == ["hypothesis-structure.cycle"] * 2
    ring = findings[0].args["cycle"]
    assert ring.startswith("h-a (") and ring.count("→") == 3 and ring.endswith("→ h-a")
    assert findings[1].args["cycle"] == (
        f"h-self ({path}:{line_no(path, 'parent: h-self')}:11) → h-self")


def test_pivot_of_a_non_strategic_hypothesis(tmp_path: Path) -> None:
    fragment = """
hypotheses:
  - {id: h-shop, type: economics, status: pivoted, text: A small shop pays back in 9 months}
  - {id: h-new, type: strategic, status: pivoted, text: Shops become pick-up points,
     metrics: [m-customers]}
  - {id: h-new-test, type: tactical, parent: h-new, status: refuted, metrics: [m-customers],
     text: A third of shoppers collect an online order in the shop}
"""
    path, findings = lint(tmp_path, fragment, ["KK236"])
    [diag] = findings
    assert at(path, diag) == "pivoted"
    assert diag.message().startswith("hypothesis 'h-shop': status: pivoted, but the type is "
                                     "'economics': a pivot (вираж) is a change of a strategic")


# -- KK237 canvas-scores -------------------------------------------------------------------

def test_missing_scores_one_per_factor(tmp_path: Path) -> None:
    fragment = canvas().replace("{freshness: 2, price: 1, choice: 3}", "{price: 1}")
    path, findings = lint(tmp_path, fragment, ["KK237"])
    assert [d.args["value"] for d in findings] == ["freshness", "choice"]
    scores = line_no(path, "- id: market") + 2  # the first line of market's scores
    assert {(d.line, at(path, d)) for d in findings} == {(scores, "price: 1")}
    assert findings[0].message() == (
        "canvas 'canvas': offering 'market' has no score for factor 'freshness'; score every "
        "factor, or the curves cannot be compared")


def test_score_off_the_scale_and_kind_self(tmp_path: Path) -> None:
    fragment = canvas(us=7).replace("self: true", "kind: self")
    path, findings = lint(tmp_path, fragment, ["KK237"])
    [diag] = findings
    assert at(path, diag) == "7"
    assert diag.message("ru") == (
        "канва 'canvas': предложение 'us' оценено по 'freshness' на 7 — вне шкалы 0–5")


def test_non_numeric_score_is_left_to_validation(tmp_path: Path) -> None:
    data = merged(canvas())
    data["canvases"][0]["offerings"][2]["scores"]["choice"] = "three"
    _, findings = run(tmp_path, data, ["KK237"], valid=False)
    assert findings == []


def test_scale_max_zero_is_not_read_as_five(tmp_path: Path) -> None:
    data = merged(canvas())
    data["canvases"][0]["scale"] = {"min": 0, "max": 0}
    _, findings = run(tmp_path, data, ["KK237"])
    [diag] = findings
    assert diag.message() == ("canvas 'canvas': the scale's min (0) must be below its max "
                              "(0); write e.g. scale: {min: 0, max: 5}")


def test_own_offering_none_or_two(tmp_path: Path) -> None:
    two = canvas().replace("{id: market,", "{id: market, kind: self,")
    path, findings = lint(tmp_path, two, ["KK237"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: market")
    assert diag.message_id == "canvas-scores.two_selves"
    none = canvas().replace("self: true, ", "")
    path, findings = lint(tmp_path, none, ["KK237"])
    [diag] = findings
    assert diag.message_id == "canvas-scores.no_self"
    assert diag.line == line_no(path, "offerings:") + 1


# -- KK242 unused-metric, KK243 unused-authority -------------------------------------------

def test_unused_metric_position_and_text(tmp_path: Path) -> None:
    fragment = """
metrics:
  - {id: m-basket, name: Average basket, unit: RUB}
hypotheses:
  - {id: h-basket, type: sales, text: Shoppers buy more, metrics: [m-on-time]}
"""
    path, findings = lint(tmp_path, fragment, ["KK242"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: m-basket")
    assert diag.message() == (
        "metric 'm-basket': no promise, team (success_indicator) or hypothesis uses this "
        "metric; list it in the metrics of the promise it measures, or remove it")


def test_metric_used_only_by_a_hypothesis_or_a_team(tmp_path: Path) -> None:
    fragment = """
metrics:
  - {id: m-basket, name: Average basket, unit: RUB}
hypotheses:
  - {id: h-basket, type: sales, text: Shoppers buy more, metrics: [m-basket]}
"""
    _, findings = lint(tmp_path, fragment, ["KK242"])
    assert findings == []


def test_structural_scopes_are_exempt(tmp_path: Path) -> None:
    data = merged("""
authorities:
  - {id: a-open-shops, scope: open new shops, holder: shops}
  - {id: a-returns, scope: refund without a receipt, holder: shops}
promises:
  - id: p-choice
    kind: root
    giver: shops
    receiver: shoppers
    value: choice
    text: The everyday basket is always in stock
    metrics: [m-fresh-sales]
    authorities: [a-assortment]
    needs_authorities: [refund without a receipt]
""")
    # the base's council.membership / council.reward / concept.* are listed by no promise
    path, findings = run(tmp_path, data, ["KK243"])
    [diag] = findings
    assert diag.line == line_no(path, "- id: a-open-shops")
    assert diag.message("ru") == (
        "полномочие 'a-open-shops': ни одно обещание не ссылается на это полномочие "
        "('open new shops'): полномочия нужны для выполнения обещаний; укажите его в "
        "authorities обещания, которое оно подкрепляет, или удалите")
