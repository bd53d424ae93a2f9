"""The words of the report's newer sections (teams, money, people, hypotheses, findings) and
the helpers every section uses to name things: names, never ids, escaped for Markdown.

Plural forms use the catalogue's ``{count#one|other}`` (English) and ``{count#one|few|many}``
(Russian) syntax, filled by :func:`kkctl.messages.fill`.
"""

from __future__ import annotations

from typing import Any

from kkctl import model as m
from kkctl.i18n import number
from kkctl.markup import md_text
from kkctl.report.labels import LABELS

MAX_ROWS = 30  # rows of a table on the main page; the detail pages hold every row

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # teams
        "teams_title": "Teams: success indicators and economics",
        "indicators": "Success indicators", "economics_teams": "Team economics",
        "col_team": "Team", "col_indicator": "Indicator", "col_status": "Status",
        "col_income": "Income", "col_expenses": "Expenses", "col_virtual": "Virtual revenue",
        "col_profit": "Profit", "col_profit_trend": "Profit over periods",
        "no_indicators": "No team has a success indicator with readings yet.",
        "no_team_economics": "No period records team economics (income, expenses, virtual"
                             " revenue).",
        "loss_streak": "loss {count} {count#period|periods} in a row",
        "profit_growing": "growing {count} {count#period|periods}",
        "profit_falling": "falling {count} {count#period|periods}",
        "rows_more": "… and {shown} more {count#row|rows}{where}.",
        "rows_more_pages": ": every row is on the [detail pages]({link})",
        "rows_more_hint": " (`kkctl report --pages DIR` writes every row to detail pages)",
        "diagram_too_large": "The promise system has {shown} {count#promise|promises}: too"
                             " many to read in one picture, so it is not drawn; the tables"
                             " list them.",
        "indicator_chart_title": "Success indicators, % of target",
        "indicator_chart_note": "Lines (% of target: 100 means the target is reached; for a"
                                " metric that should fall, target ÷ value):",
        "structure": "Structure", "structure_note": "The top levels of the structure; a"
                                                    " number is the count of teams inside.",
        "structure_more": "… {count} more",
        # detail pages
        "page_back": "← the report", "page_index": "all detail pages",
        "pages_title": "Detail pages: {name}", "pages_lists": "Full lists",
        "page_risks": "Promises at risk", "page_metrics": "Metrics",
        "page_teams": "Teams: success indicators and economics",
        "page_people": "Memberships starting or ending", "page_hypotheses": "Hypotheses",
        "pages_units": "Units", "pages_loose": "Teams outside units",
        "unit_size": "{count} {count#team|teams} inside", "unit_title": "Unit: {name}",
        "unit_up": "part of {link}", "unit_inside": "Units inside",
        "unit_promises": "Promises given",
        "page_of": "page {number} of {count}", "page_previous": "← previous",
        "page_next": "next →",
        # money
        "money_title": "Money: {period}",
        "col_scheme": "Scheme", "col_recipient": "Paid to", "col_base": "Base",
        "col_pool": "Pool", "col_paid": "To pay", "col_notes": "Losses and deposit",
        "carried_in": "loss carried in {amount}", "carried_out": "loss carried out {amount}",
        "withheld": "to the deposit {amount}", "released": "from the deposit {amount}",
        "deposit": "deposit balance {amount}",
        "money_total": "All schemes pay **{total}**: {share} of the period's net profit of"
                       " {profit} (the methodology's figure is 20% of net profit).",
        "money_total_no_profit": "All schemes pay **{total}**; the period's net profit is"
                                 " {profit}, so no share can be given.",
        "money_over_cap": "⚠ Over the company's cap of {cap} of net profit (bonus.cap).",
        "money_within_cap": "Within the company's cap of {cap} of net profit.",
        "money_losses": "Losses carried into the next period: {total}.",
        "money_deposit": "Held in deposits after the period: {total}.",
        "money_hidden": "Per-person amounts are not shown (use --include-payouts).",
        "money_payouts": "Payouts: {scheme}", "col_person": "Person", "col_amount": "Amount",
        "money_none": "No periods with figures yet: nothing to pay.",
        "money_withheld_by_errors": "Money is not shown: the organisation does not validate or"
                                    " the bonus computation found errors (see open findings).",
        # people
        "people_title": "People and council",
        "people_window": "Memberships that start or end between {start} and {end}:",
        "people_none": "No membership starts or ends between {start} and {end}.",
        "col_person_name": "Person", "col_where": "Team or council", "col_change": "Change",
        "joins": "joins on {date}", "leaves": "leaves after {date}",
        "council_problems": "Council composition",
        "council_ok": "The council's composition meets the methodology: a leader, an"
                      " ambassador and every value-creating team represented.",
        "no_council": "The organisation has no council yet.",
        "council_size": "{name}: {count} {count#member|members}, {teams}"
                        " {teams#team|teams} represented.",
        # hypotheses
        "hypotheses_title": "Hypotheses",
        "hypotheses_none": "No hypotheses yet (step 9 of the methodology: test new values"
                           " with metrics).",
        "hypotheses_counts": "Open: {open}, confirmed: {confirmed}, refuted: {refuted},"
                             " pivoted: {pivoted}.",
        "col_hypothesis": "Hypothesis", "col_type": "Type", "col_metrics": "Metrics",
        "col_age": "Age",
        "age_days": "{count} {count#day|days}", "age_months": "{count} {count#month|months}",
        "age_decided": "{age}, decided {date}",
        "age_unknown": "—", "age_since": "since {date}",
        # findings
        "findings_title": "Open findings",
        "findings_clean": "Validation and lint find no problems.",
        "findings_counts": "Validation and lint: {counts}.",
        "col_code": "Code", "col_rule": "Rule", "col_severity": "Severity",
        "col_count": "Found",
        "findings_listed": "Most important first:",
        "findings_more": "… and {count} more: run `kkctl lint` for the full list.",
    },
    "ru": {
        "teams_title": "Команды: показатели успешности и экономика",
        "indicators": "Показатели успешности", "economics_teams": "Экономика команд",
        "col_team": "Команда", "col_indicator": "Показатель", "col_status": "Статус",
        "col_income": "Доход", "col_expenses": "Расходы", "col_virtual": "Виртуальная выручка",
        "col_profit": "Прибыль", "col_profit_trend": "Прибыль по периодам",
        "no_indicators": "Ни у одной команды пока нет показателя успешности с показаниями.",
        "no_team_economics": "Ни в одном периоде нет экономики команд (доходы, расходы,"
                             " виртуальная выручка).",
        "loss_streak": "убыток {count} {count#период|периода|периодов} подряд",
        "profit_growing": "растёт {count} {count#период|периода|периодов}",
        "profit_falling": "падает {count} {count#период|периода|периодов}",
        "rows_more": "… и ещё {shown} {count#строка|строки|строк}{where}.",
        "rows_more_pages": ": все строки — на [страницах подробностей]({link})",
        "rows_more_hint": " (`kkctl report --pages DIR` запишет все строки на страницы"
                          " подробностей)",
        "diagram_too_large": "В системе {shown} {count#обещание|обещания|обещаний}: на одной"
                             " картинке их не прочесть, поэтому схема не рисуется; их"
                             " перечисляют таблицы.",
        "indicator_chart_title": "Показатели успешности, % от цели",
        "indicator_chart_note": "Линии (% от цели: 100 — цель достигнута; для метрики, которая"
                                " должна снижаться, — цель ÷ значение):",
        "structure": "Структура", "structure_note": "Верхние уровни структуры; число — сколько"
                                                    " команд внутри.",
        "structure_more": "… ещё {count}",
        "page_back": "← к отчёту", "page_index": "все страницы подробностей",
        "pages_title": "Подробности: {name}", "pages_lists": "Полные списки",
        "page_risks": "Обещания под угрозой", "page_metrics": "Метрики",
        "page_teams": "Команды: показатели успешности и экономика",
        "page_people": "Начало и окончание членства", "page_hypotheses": "Гипотезы",
        "pages_units": "Подразделения", "pages_loose": "Команды вне подразделений",
        "unit_size": "внутри {count} {count#команда|команды|команд}",
        "unit_title": "Подразделение: {name}", "unit_up": "входит в {link}",
        "unit_inside": "Подразделения внутри", "unit_promises": "Обещания, которые даёт",
        "page_of": "страница {number} из {count}", "page_previous": "← предыдущая",
        "page_next": "следующая →",
        "money_title": "Деньги: {period}",
        "col_scheme": "Схема", "col_recipient": "Кому", "col_base": "База",
        "col_pool": "Пул", "col_paid": "К выплате", "col_notes": "Убытки и депозит",
        "carried_in": "перенесён убыток {amount}", "carried_out": "убыток на следующий период"
                                                                 " {amount}",
        "withheld": "в депозит {amount}", "released": "из депозита {amount}",
        "deposit": "остаток депозита {amount}",
        "money_total": "Все схемы выплачивают **{total}**: {share} чистой прибыли периода"
                       " ({profit}); по методологии — 20 % чистой прибыли.",
        "money_total_no_profit": "Все схемы выплачивают **{total}**; чистая прибыль периода"
                                 " {profit}, поэтому долю от неё указать нельзя.",
        "money_over_cap": "⚠ Больше предела компании — {cap} чистой прибыли (bonus.cap).",
        "money_within_cap": "В пределах, установленных компанией: {cap} чистой прибыли.",
        "money_losses": "Убытки, перенесённые на следующий период: {total}.",
        "money_deposit": "В депозитах после периода: {total}.",
        "money_hidden": "Суммы по сотрудникам не показаны (--include-payouts).",
        "money_payouts": "Выплаты: {scheme}", "col_person": "Сотрудник", "col_amount": "Сумма",
        "money_none": "Периодов с данными пока нет: выплачивать нечего.",
        "money_withheld_by_errors": "Суммы не показаны: организация не проходит проверку или"
                                    " в расчёте вознаграждения есть ошибки (см. открытые"
                                    " замечания).",
        "people_title": "Люди и совет",
        "people_window": "Членство, которое начинается или заканчивается с {start} по {end}:",
        "people_none": "С {start} по {end} ничьё членство не начинается и не заканчивается.",
        "col_person_name": "Сотрудник", "col_where": "Команда или совет",
        "col_change": "Изменение",
        "joins": "приходит {date}", "leaves": "уходит после {date}",
        "council_problems": "Состав совета",
        "council_ok": "Состав совета соответствует методологии: есть лидер, амбассадор,"
                      " представлены все команды, создающие ценность.",
        "no_council": "Совета управляющих в организации пока нет.",
        "council_size": "{name}: {count} {count#участник|участника|участников},"
                        " {teams#представлена|представлены|представлено} {teams}"
                        " {teams#команда|команды|команд}.",
        "hypotheses_title": "Гипотезы",
        "hypotheses_none": "Гипотез пока нет (шаг 9 методологии: проверять новые ценности"
                           " метриками).",
        "hypotheses_counts": "Открыты: {open}, подтверждены: {confirmed}, опровергнуты:"
                             " {refuted}, пересмотрены (вираж): {pivoted}.",
        "col_hypothesis": "Гипотеза", "col_type": "Тип", "col_metrics": "Метрики",
        "col_age": "Возраст",
        "age_days": "{count} {count#день|дня|дней}",
        "age_months": "{count} {count#месяц|месяца|месяцев}",
        "age_decided": "{age}, решено {date}",
        "age_unknown": "—", "age_since": "с {date}",
        "findings_title": "Открытые замечания",
        "findings_clean": "Проверка и линтер проблем не нашли.",
        "findings_counts": "Проверка и линтер: {counts}.",
        "col_code": "Код", "col_rule": "Правило", "col_severity": "Важность",
        "col_count": "Найдено",
        "findings_listed": "Сначала самые важные:",
        "findings_more": "… и ещё {count}: полный список — `kkctl lint`.",
    },
}


def t(lang: str, key: str, **args: Any) -> str:
    """A word of the report in ``lang``, filled; the newer sections' words first."""
    from kkctl.messages import fill

    words = WORDS[lang]
    return fill(words[key] if key in words else LABELS[lang][key], lang, args)


def name(entity: object, fallback: str = "—") -> str:
    """An entity's name (or text), escaped; its id only when it has no name."""
    if entity is None:
        return fallback
    shown = getattr(entity, "name", None) or getattr(entity, "text", None) \
        or getattr(entity, "id", None) or fallback
    return md_text(shown)


def ref_name(ref: m.Ref | None) -> str:
    """What a reference points at, by name; an unresolved one as ``id (?)``."""
    if ref is None:
        return "—"
    if ref.target is None:
        return f"{md_text(ref.id)} (?)"
    return name(ref.target, md_text(ref.id))


def short(text: str, limit: int = 80) -> str:
    """A long text (a promise, a hypothesis) cut at a word for a table cell, escaped."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        cut = flat[: limit - 1]
        flat = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(",.;:—-") \
            + "…"
    return md_text(flat)


def more_rows(lang: str, count: int, pages_link: str | None = None) -> str | None:
    """``… and 12 more rows.`` under a table cut to its limit (None when nothing was cut)."""
    if count <= 0:
        return None
    where = t(lang, "rows_more_pages", link=pages_link) if pages_link \
        else t(lang, "rows_more_hint")
    return t(lang, "rows_more", count=count, shown=number(count, lang), where=where)
