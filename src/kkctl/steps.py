"""The nine steps of adopting clientocracy, and how far an organisation is along them.

The methodology (seed 001, «9 шагов для создания клиентократии») says the steps cannot be taken
at once: «внедрить все девять шагов разом невозможно — трансформация компании ... происходит
постепенно». A company that has just described its structure should hear about the next step,
not about all nine. Each step is judged from what the YAML holds: *done*, *partly done* (with
the numbers) or *not started*, and what the next step needs. Lint applies the rules of the
steps up to the organisation's *stage* (``lint: {stage: N}`` in kkctl.yaml, else the last step
started, see :func:`inferred_stage`); ``kkctl status`` and the report show the checklist.

A step counts as started only when the organisation holds that step's own artefact (clients,
needs, values, a canvas, root promises, internal promises, success indicators or economics,
reward schemes, a goal or hypotheses): teams, people and authorities exist in every company
and start no step by themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kkctl import model as m
from kkctl.i18n import number
from kkctl.messages import fill

DONE, PARTIAL, NOT_STARTED = "done", "partial", "not_started"
STEPS = 9
PROFIT_BASES = frozenset({"net_profit", "team_profit"})  # «финансовая мотивация ... от прибыли»

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "step1": "Identify the client", "step2": "The client's pains and needs",
        "step3": "Client values", "step4": "Key value and strategy canvas",
        "step5": "Root promises with metrics and authorities",
        "step6": "Internal promises and the council",
        "step7": "Success indicators and team economics",
        "step8": "Reward from profit", "step9": "Evolutionary goal and experiments",
        "done": "done", "partial": "partly done", "not_started": "not started",
        "external_clients": "external clients: {count}",
        "internal_only": "only internal clients: {count}",
        "clients_with_needs": "clients with needs: {done} of {count}",
        "values": "values: {count}",
        "clients_with_values": "clients with a value: {done} of {count}",
        "key_value": "key value: {name}", "no_key_value": "no key value",
        "canvases": "strategy canvases: {count}",
        "values_covered": "root promises: {done} of {count} {count#value|values} covered",
        "root_backed": "root promises with a metric and an authority: {done} of {count}",
        "internal_backed": "internal promises with a metric and an authority: {done} of {count}",
        "councils": "councils: {count}",
        "teams_indicator": "teams with a success indicator: {done} of {count}",
        "teams_economics": "teams with economics: {done} of {count}",
        "schemes": "reward schemes: {count}, on profit: {done}",
        "goal": "evolutionary goal: {state}", "goal_set": "stated", "goal_unset": "not stated",
        "hypotheses": "hypotheses: {count}",
        "next1": "name the company's external clients (`clients:`, `kind: external`); the "
                 "owner is not the client",
        "next2": "write down each client's needs (`needs:` of the client), as results wanted",
        "next3": "define the values clients choose by (`values:`, each naming its client)",
        "next4": "choose one key value (`organisation.key_value`) and draw a strategy canvas "
                 "(`canvases:`)",
        "next5": "give each value a root promise to the client, with a metric and the "
                 "authorities that back it",
        "next6": "agree the internal promises that support the root ones, and form the "
                 "council of managers",
        "next7": "give every team a success indicator and record its economics (income, "
                 "expenses) per period",
        "next8": "pay teams from profit (`reward_schemes:`, base `net_profit` or "
                 "`team_profit`)",
        "next9": "state the evolutionary goal and run experiments (`hypotheses:`)",
        "next_none": "all nine steps are in place: keep experimenting and improving",
        "stage_note": "Stage {stage} of 9 applied ({why}): {count} {count#rule|rules} of later "
                      "steps not run; all of them: 'kkctl lint --stage 9'; where the "
                      "organisation stands: 'kkctl status'.",
        "why_option": "--stage", "why_config": "lint.stage in kkctl.yaml",
        "why_inferred": "inferred: the last step started",
        "status_title": "{name}: the nine steps of clientocracy",
        "status_next": "Next: step {number}, {text}.",
        "status_stage": "Lint applies the rules of steps 1–{stage} ({why}).",
    },
    "ru": {
        "step1": "Выявить клиента", "step2": "Боли и потребности клиента",
        "step3": "Ценности для клиента", "step4": "Ключевая ценность и стратегическая канва",
        "step5": "Корневые обещания с метриками и полномочиями",
        "step6": "Внутренние обещания и совет управляющих",
        "step7": "Метрики успешности и экономика команд",
        "step8": "Вознаграждение от прибыли", "step9": "Эволюционная цель и эксперименты",
        "done": "сделан", "partial": "сделан частично", "not_started": "не начат",
        "external_clients": "внешних клиентов: {count}",
        "internal_only": "только внутренние клиенты: {count}",
        "clients_with_needs": "клиентов с потребностями: {done} из {count}",
        "values": "ценностей: {count}",
        "clients_with_values": "клиентов с ценностью: {done} из {count}",
        "key_value": "ключевая ценность: {name}", "no_key_value": "ключевая ценность не выбрана",
        "canvases": "стратегических канв: {count}",
        "values_covered": "корневые обещания покрывают {done} из {count} "
                          "{count#ценности|ценностей|ценностей}",
        "root_backed": "корневых обещаний с метрикой и полномочием: {done} из {count}",
        "internal_backed": "внутренних обещаний с метрикой и полномочием: {done} из {count}",
        "councils": "советов: {count}",
        "teams_indicator": "команд с метрикой успешности: {done} из {count}",
        "teams_economics": "команд с экономикой: {done} из {count}",
        "schemes": "схем вознаграждения: {count}, от прибыли: {done}",
        "goal": "эволюционная цель: {state}", "goal_set": "сформулирована",
        "goal_unset": "не сформулирована",
        "hypotheses": "гипотез: {count}",
        "next1": "назовите внешних клиентов компании (`clients:`, `kind: external`); "
                 "собственник — не клиент",
        "next2": "запишите потребности каждого клиента (`needs:` клиента) как желаемый "
                 "результат",
        "next3": "определите ценности, по которым клиенты выбирают (`values:`, у каждой — её "
                 "клиент)",
        "next4": "выберите одну ключевую ценность (`organisation.key_value`) и постройте "
                 "стратегическую канву (`canvases:`)",
        "next5": "дайте клиенту по каждой ценности корневое обещание с метрикой и "
                 "полномочиями, которые его обеспечивают",
        "next6": "договоритесь о внутренних обещаниях, поддерживающих корневые, и сформируйте "
                 "совет управляющих",
        "next7": "дайте каждой команде метрику успешности и ведите её экономику (доходы, "
                 "расходы) по периодам",
        "next8": "платите командам от прибыли (`reward_schemes:`, база `net_profit` или "
                 "`team_profit`)",
        "next9": "сформулируйте эволюционную цель и ставьте эксперименты (`hypotheses:`)",
        "next_none": "все девять шагов на месте: продолжайте экспериментировать и улучшать",
        "stage_note": "Применён этап {stage} из 9 ({why}): не проверялись {count} "
                      "{count#правило|правила|правил} следующих шагов; все правила: "
                      "'kkctl lint --stage 9'; где находится организация: 'kkctl status'.",
        "why_option": "--stage", "why_config": "lint.stage в kkctl.yaml",
        "why_inferred": "определён по данным: последний начатый шаг",
        "status_title": "{name}: девять шагов клиентократии",
        "status_next": "Дальше: шаг {number} — {text}.",
        "status_stage": "Lint применяет правила шагов 1–{stage} ({why}).",
    },
}


@dataclass
class Step:
    number: int  # 1..9
    state: str  # DONE, PARTIAL or NOT_STARTED
    facts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # word, args

    @property
    def started(self) -> bool:
        return self.state != NOT_STARTED


@dataclass
class Progress:
    steps: list[Step]

    @property
    def last_started(self) -> int:
        """The last step started, 0 when none is."""
        return max((s.number for s in self.steps if s.started), default=0)

    @property
    def next_step(self) -> Step | None:
        """The first step not done, None when all nine are."""
        return next((s for s in self.steps if s.state != DONE), None)


def word(key: str, lang: str, **args: Any) -> str:
    """A sentence in ``lang``; numbers other than the count that picks a plural form are
    written the language's way (2,551 / 2 551)."""
    words = WORDS.get(lang, WORDS["en"])
    template = words.get(key, WORDS["en"][key])
    shown = {k: number(v, lang) if isinstance(v, int) and not isinstance(v, bool)
             and f"{{{k}#" not in template else v for k, v in args.items()}
    return fill(template, lang, shown)


def state_of(done: int, total: int, started: bool | None = None) -> str:
    """DONE when ``done`` reaches a positive ``total``, PARTIAL when something is there."""
    if total > 0 and done >= total:
        return DONE
    return PARTIAL if (started if started is not None else done > 0) else NOT_STARTED


# The last organisation assessed and its progress: lint's stage, its note in each language and
# the report's checklist all ask about one organisation (the model is not changed after load).
_last: tuple[m.Organisation, Progress] | None = None


def assess(org: m.Organisation) -> Progress:
    """Where the organisation stands on each of the nine steps."""
    global _last
    if _last is not None and _last[0] is org:
        return _last[1]
    progress = _assess(org)
    _last = (org, progress)
    return progress


def _assess(org: m.Organisation) -> Progress:
    # a partner gives and receives promises, but the steps are about the paying client
    externals = [c for c in org.clients if c.client_kind == "external"]
    return Progress([_clients(org, externals), _needs(externals), _values(org, externals),
                     _canvas(org), _root_promises(org), _internal(org), _economics(org),
                     _reward(org), _evolution(org)])


def inferred_stage(org: m.Organisation) -> int:
    """The stage lint applies when kkctl.yaml names none: the last step started, at least 1
    (the first step's rules always apply)."""
    return max(1, assess(org).last_started)


def stage_of(org: m.Organisation, option: int | None = None) -> tuple[int, str]:
    """The adoption stage whose rules apply: ``--stage``, else kkctl.yaml's ``lint.stage``,
    else the last step the organisation has started (:func:`inferred_stage`)."""
    if option is not None:
        return min(max(option, 1), STEPS), "option"
    configured = org.settings.lint.get("stage")
    if isinstance(configured, int) and not isinstance(configured, bool) \
            and 1 <= configured <= STEPS:  # anything else: the schema has reported it
        return configured, "config"
    return inferred_stage(org), "inferred"


def _clients(org: m.Organisation, externals: list[m.Client]) -> Step:
    if externals:
        return Step(1, DONE, [("external_clients", {"count": len(externals)})])
    if org.clients:
        return Step(1, PARTIAL, [("internal_only", {"count": len(org.clients)})])
    return Step(1, NOT_STARTED, [("external_clients", {"count": 0})])


def _needs(externals: list[m.Client]) -> Step:
    done = sum(1 for c in externals if c.needs)
    return Step(2, state_of(done, len(externals)),
                [("clients_with_needs", {"done": done, "count": len(externals)})])


def _values(org: m.Organisation, externals: list[m.Client]) -> Step:
    valued = {v.client.id for v in org.values if v.client is not None}
    done = sum(1 for c in externals if c.id in valued)
    facts: list[tuple[str, dict[str, Any]]] = [("values", {"count": len(org.values)})]
    if not valued:  # values that name no client: nothing to count them against
        return Step(3, DONE if org.values else NOT_STARTED, facts)
    facts.append(("clients_with_values", {"done": done, "count": len(externals)}))
    return Step(3, state_of(done, len(externals), bool(org.values)), facts)


def _canvas(org: m.Organisation) -> Step:
    key = org.settings.key_value
    name = key.target.name if key is not None and isinstance(key.target, m.Value) else None
    facts: list[tuple[str, dict[str, Any]]] = [
        ("key_value", {"name": name or key.id}) if key is not None else ("no_key_value", {}),
        ("canvases", {"count": len(org.canvases)})]
    parts = (key is not None) + bool(org.canvases)
    return Step(4, state_of(parts, 2), facts)


def _backed(promise: m.Promise) -> bool:
    return bool(promise.metrics) and bool(promise.authorities)


def _root_promises(org: m.Organisation) -> Step:
    roots = [p for p in org.promises if p.promise_kind == "root"]
    wanted = {f.value.id for c in org.canvases for f in c.factors if f.action != "eliminate"} \
        or {v.id for v in org.values}
    covered = {p.value.id for p in roots if p.value is not None} & wanted
    backed = sum(1 for p in roots if _backed(p))
    facts: list[tuple[str, dict[str, Any]]] = [
        ("values_covered", {"done": len(covered), "count": len(wanted)}),
        ("root_backed", {"done": backed, "count": len(roots)})]
    if not roots:
        return Step(5, NOT_STARTED, facts)
    complete = len(covered) == len(wanted) and backed == len(roots)
    return Step(5, DONE if complete else PARTIAL, facts)


def _internal(org: m.Organisation) -> Step:
    internal = [p for p in org.promises if p.promise_kind in ("supporting", "general")]
    backed = sum(1 for p in internal if _backed(p))
    facts: list[tuple[str, dict[str, Any]]] = [
        ("internal_backed", {"done": backed, "count": len(internal)}),
        ("councils", {"count": len(org.councils)})]
    if not internal:  # a council alone is a board: the step starts with the promises
        return Step(6, NOT_STARTED, facts)
    complete = backed == len(internal) and bool(org.councils)
    return Step(6, DONE if complete else PARTIAL, facts)


def _economics(org: m.Organisation) -> Step:
    teams = org.teams
    indicated = sum(1 for t in teams if t.success_indicator is not None)
    recorded = {team_id for p in org.periods for team_id in p.teams}
    with_economics = sum(1 for t in teams if t.economics or t.id in recorded)
    facts: list[tuple[str, dict[str, Any]]] = [
        ("teams_indicator", {"done": indicated, "count": len(teams)}),
        ("teams_economics", {"done": with_economics, "count": len(teams)})]
    return Step(7, state_of(indicated + with_economics, 2 * len(teams)), facts)


def _reward(org: m.Organisation) -> Step:
    on_profit = sum(1 for s in org.reward_schemes if s.base in PROFIT_BASES)
    facts: list[tuple[str, dict[str, Any]]] = [
        ("schemes", {"count": len(org.reward_schemes), "done": on_profit})]
    if on_profit:
        return Step(8, DONE, facts)
    return Step(8, PARTIAL if org.reward_schemes else NOT_STARTED, facts)


def _evolution(org: m.Organisation) -> Step:
    goal = bool(org.settings.evolutionary_goal)
    facts: list[tuple[str, dict[str, Any]]] = [
        ("goal", {"state": {lang: WORDS[lang]["goal_set" if goal else "goal_unset"]
                            for lang in WORDS}}),
        ("hypotheses", {"count": len(org.hypotheses)})]
    return Step(9, state_of(goal + bool(org.hypotheses), 2), facts)


def describe(progress: Progress, lang: str,
             escape: Callable[[str], str] = lambda text: text) -> dict[str, Any]:
    """The checklist as plain data in ``lang``: for ``kkctl status`` (text, JSON) and the
    report (``escape``: applied to the user's own strings, such as the key value's name)."""
    following = progress.next_step

    def fact(key: str, args: dict[str, Any]) -> str:
        return word(key, lang, **{k: escape(v) if k == "name" else v for k, v in args.items()})

    return {
        "steps": [{"number": s.number, "title": word(f"step{s.number}", lang),
                   "state": s.state, "state_text": word(s.state, lang),
                   "facts": [fact(key, args) for key, args in s.facts]}
                  for s in progress.steps],
        "done": sum(1 for s in progress.steps if s.state == DONE),
        "last_started": progress.last_started,
        "stage": max(1, progress.last_started),
        "next": {"number": following.number,
                 "text": word(f"next{following.number}", lang)} if following else None,
        "next_text": word(f"next{following.number}", lang) if following
        else word("next_none", lang),
    }


def stage_note(org: m.Organisation, stage: int, source: str, later: int,
               lang: str) -> str | None:
    """The sentences under lint's summary when rules of later steps were left out: the stage
    applied, how to see everything, and the next step of adoption."""
    if later <= 0:
        return None
    note = word("stage_note", lang, stage=stage, why=word(f"why_{source}", lang), count=later)
    following = assess(org).next_step
    if following is not None:
        note += " " + word("status_next", lang, number=following.number,
                           text=word(f"next{following.number}", lang))
    return note


def stage_notes(org: m.Organisation, stage: int, source: str, later: int) -> dict[str, str]:
    """:func:`stage_note` in every language (none when no rule was left out)."""
    if later <= 0:
        return {}
    return {lang: note for lang in ("en", "ru")
            if (note := stage_note(org, stage, source, later, lang)) is not None}


MARKS = {DONE: "✅", PARTIAL: "◐", NOT_STARTED: "○"}


def status_text(org: m.Organisation, lang: str, stage: tuple[int, str]) -> str:
    """``kkctl status``: the checklist, one step a line with its numbers, then the next step
    and the stage lint applies (``stage``: the stage and where it comes from)."""
    described = describe(assess(org), lang)
    name = org.settings.name or org.settings.id or "?"
    lines = [word("status_title", lang, name=name), ""]
    for step in described["steps"]:
        facts = "; ".join(step["facts"])
        lines.append(f"{MARKS[step['state']]} {step['number']}. {step['title']}: "
                     f"{step['state_text']}" + (f" ({facts})" if facts else ""))
    lines.append("")
    following = described["next"]
    lines.append(word("status_next", lang, **following) if following
                 else described["next_text"][:1].upper() + described["next_text"][1:] + ".")
    lines.append(word("status_stage", lang, stage=stage[0], why=word(f"why_{stage[1]}", lang)))
    return "\n".join(lines) + "\n"


def status(path: str | None, options: Any, as_json: bool, lang: str | None) -> str:
    """``kkctl status``: load the organisation, and its checklist as text or JSON in ``lang``
    (default: the organisation's locale). ``options``: :class:`kkctl.loader.Options`."""
    from kkctl.loader import load
    from kkctl.messages import detect_lang
    from kkctl.textio import dump_json, terminal_safe

    org = load(path, options).org
    language = detect_lang(lang, org.settings.locale)
    stage = stage_of(org)
    if as_json:
        return dump_json({**describe(assess(org), language),
                          "stage": stage[0], "stage_source": stage[1]})
    return terminal_safe(status_text(org, language, stage))
