"""`kkctl init`: a new organisation that walks the methodology's nine steps.

The scaffold is a small but complete clientocratic organisation (it validates and lints clean
as generated), each part commented with the step it belongs to, in Russian or English; plus a
pre-commit configuration and a CI workflow that run kkctl. Existing files are never
overwritten.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from kkctl import __version__

# (template, target path); schema paths are relative to each target
FILES = [
    ("kkctl.yaml.j2", "kkctl.yaml"),
    ("people.yaml.j2", "org/people.yaml"),
    ("team.yaml.j2", "org/teams/{team}.yaml"),
    ("concept.yaml.j2", "org/teams/concept.yaml"),
    ("hypotheses.yaml.j2", "org/hypotheses.yaml"),
    ("pre-commit-config.yaml.j2", ".pre-commit-config.yaml"),
    ("workflow.yml.j2", ".github/workflows/kkctl.yml"),
]

TEXT = {
    "en": {
        "intro": "A new clientocratic organisation, scaffolded by `kkctl init`.",
        "intro2": "Replace the placeholders with your own; `kkctl lint` says what is missing.",
        "goal": "Evolutionary goal: the change in the world the company exists for, in one "
                "short sentence.",
        "key_value": "Key value: the one client value the market does not serve well and we "
                     "deliver better than anyone (the canvas factor with key: true).",
        "step1": "Step 1. Find your client: whoever receives and uses what you make.",
        "step2": "Step 2. Find the client's pains: what gets in the way of the need.",
        "step3": "Step 3. Client values: what the client gains; each is a factor of the canvas.",
        "step4": "Step 4. Strategy canvas: how every way to close the need scores on each "
                 "value; raise the key value, give something up.",
        "step5": "Step 5. Promises to the client, each with a metric and the authorities to "
                 "keep it.",
        "step6": "Step 6. Internal promises: a supporting promise helps keep a root promise; "
                 "its receiver is that promise's giver.",
        "step7": "Step 7. Success indicator (one metric that can grow many-fold) and the "
                 "team's economics.",
        "step8": "Step 8. Reward: the standard is 20% of net profit as the team's bonus.",
        "step9": "Step 9. Experiment: state hypotheses, measure, learn, improve.",
        "council": "The council of managers: a leader, an ambassador of clientocracy, and "
                   "representatives of every value-creating team.",
        "council_authorities": "The council decides its own membership and reward "
                               "(council.membership, council.reward).",
        "periods": "Periods with their figures: kkctl bonus computes the bonuses from them.",
        "people": "People. Which teams and councils they are in is said by members.",
        "team_intro": "A value-creating team: it gives root promises to the client.",
        "authorities": "Authorities: decide without asking anyone; exactly one holder each.",
        "concept_intro": "Unified-concept management: the key value, the brand, internal and "
                         "external communication, and price accessibility.",
        "price_promise": "The concept team answers for price accessibility.",
        "precommit": "kkctl checks the organisation before every commit (pre-commit.com).",
        "workflow": "kkctl checks every push and pull request; findings appear as "
                    "annotations and in code scanning.",
        "workflow_permissions": "No permission for the token unless a job asks for it; the "
                                "job asks only for what it uses (pull requests from forks "
                                "always get a read-only token).",
        "workflow_checkout": "Full history: kkctl diff compares commits of the pull request.",
        "workflow_action": "kkctl's own action at the kkctl version that wrote this file: "
                           "it installs that release in a virtual environment and lints once; "
                           "on a pull request it posts the organisation change as one "
                           "comment, updated on every push.",
        "workflow_diff": "A pull request fails when its change introduces an error (from "
                         "where it branched off to its head).",
        "workflow_bonus": "On the main branch: the bonuses already paid still follow from "
                          "the history.",
    },
    "ru": {
        "intro": "Новая клиентократическая организация, созданная командой `kkctl init`.",
        "intro2": "Замените заготовки своими данными; `kkctl lint` подскажет, чего не хватает.",
        "goal": "Эволюционная цель: изменение в мире, ради которого существует компания, одной "
                "короткой фразой.",
        "key_value": "Ключевая ценность: одна ценность для клиента, которую рынок сейчас не "
                     "даёт достойно, а мы даём лучше всех (фактор канвы с key: true).",
        "step1": "Шаг 1. Выявить клиента: того, кто получает и потребляет ваш продукт.",
        "step2": "Шаг 2. Найти боли клиента: что мешает удовлетворить потребность.",
        "step3": "Шаг 3. Ценности для клиента: польза, которую он получает; каждая — фактор "
                 "канвы.",
        "step4": "Шаг 4. Стратегическая канва: как каждый способ закрыть потребность даёт "
                 "каждую ценность; ключевую — повышаем, от чего-то — отказываемся.",
        "step5": "Шаг 5. Обещания клиенту, у каждого — метрика и полномочия для выполнения.",
        "step6": "Шаг 6. Внутренние обещания: поддерживающее обещание помогает выполнить "
                 "корневое; получатель — тот, кто дал корневое.",
        "step7": "Шаг 7. Показатель успешности (одна метрика, способная вырасти в разы) и "
                 "экономика команды.",
        "step8": "Шаг 8. Вознаграждение: стандарт — 20% от чистой прибыли в виде бонуса "
                 "команде.",
        "step9": "Шаг 9. Экспериментировать: формулировать гипотезы, измерять, учиться, "
                 "улучшать.",
        "council": "Совет управляющих: лидер, амбассадор клиентократии и представители всех "
                   "команд, создающих ценность.",
        "council_authorities": "Совет сам решает о своём составе и вознаграждении "
                               "(council.membership, council.reward).",
        "periods": "Периоды и их цифры: по ним kkctl bonus считает вознаграждение.",
        "people": "Сотрудники. В какие команды и советы они входят, видно из members.",
        "team_intro": "Команда, создающая ценность: даёт корневые обещания клиенту.",
        "authorities": "Полномочия: решать без согласования с кем-либо; у каждого — ровно один "
                       "держатель.",
        "concept_intro": "Управление единой концепцией: ключевая ценность, бренд, внутренняя и "
                         "внешняя коммуникация, доступность по цене.",
        "price_promise": "Команда единой концепции отвечает за доступность по цене.",
        "precommit": "kkctl проверяет организацию перед каждым коммитом (pre-commit.com).",
        "workflow": "kkctl проверяет каждый push и pull request; замечания видны в аннотациях "
                    "и в code scanning.",
        "workflow_permissions": "У токена нет прав, пока задание их не попросит; задание "
                                "просит только то, чем пользуется (pull request из форка "
                                "всегда получает токен только для чтения).",
        "workflow_checkout": "Вся история: kkctl diff сравнивает коммиты pull request.",
        "workflow_action": "Собственный action kkctl той версии, что создала этот файл: ставит "
                           "этот выпуск в отдельное виртуальное окружение и проверяет один раз; "
                           "в pull request публикует изменение организации одним "
                           "комментарием и обновляет его при каждом push.",
        "workflow_diff": "Pull request не проходит, если его изменение вносит ошибку (от "
                         "точки ответвления до последнего коммита).",
        "workflow_bonus": "В основной ветке: уже выплаченные бонусы по-прежнему следуют из "
                          "истории.",
    },
}

NAMES = {
    "en": {
        "org_id": "our-company", "org_name": "Our Company", "currency": "EUR",
        "goal": "Healthy food within everyone's reach.",
        "client": "customers", "client_name": "Our customers", "need_id": "eat-well",
        "need": "eat well without a long trip", "pain1": "fresh food is far away",
        "pain2": "labels are hard to read",
        "v1": "freshness", "v1_name": "Freshness", "v2": "price", "v2_name": "Fair price",
        "v3": "choice", "v3_name": "Everyday choice",
        "us": "Us", "competitor": "A chain", "alternative": "The market",
        "council": "Council of managers", "council_scope": "answer team requests",
        "council_promise": "The council answers a team's request within a week",
        "council_condition": "if the request is in writing",
        "m_answer": "Days to answer a team", "days": "days", "request_log": "request log",
        "period": "2026-q1", "period_start": "2026-01-01", "period_end": "2026-03-31",
        "profit": "1000000.00",
        "p1": "leader", "p1_name": "Council leader", "p2": "ambassador",
        "p2_name": "Ambassador of clientocracy", "p3": "concept-lead",
        "p3_name": "Concept team leader", "p4": "shop-member", "p4_name": "Shop team member",
        "p5": "concept-member", "p5_name": "Concept team member",
        "team": "shops", "team_name": "Shops", "income": "sales",
        "expense1": "rent", "expense2": "stock",
        "promise1": "Dairy on the shelf is never older than two days",
        "promise3": "The everyday basket is always in stock",
        "scope1": "write off stale stock", "scope3": "choose the everyday basket",
        "metric1": "Share of checked items within the freshness standard",
        "metric3": "Share of days the basket is complete", "audit": "store audit",
        "m_customers": "Customers a week", "people_unit": "people", "till": "till data",
        "concept_name": "Unified concept", "brand_income": "brand fee",
        "marketing": "marketing",
        "promise2": "Our everyday basket costs no more than the city average",
        "labels_promise": "Shelf labels show the production date in large print",
        "m_price": "Basket price against the city average", "price_check": "weekly price check",
        "m_labels": "Shelves with new labels", "m_members": "Loyalty card holders",
        "hypothesis": "Customers choose us for freshness over a wider choice",
    },
    "ru": {
        "org_id": "nasha-kompaniya", "org_name": "«Наша компания»", "currency": "RUB",
        "goal": "Полезная еда доступна каждому.",
        "client": "pokupateli", "client_name": "Наши покупатели", "need_id": "poest",
        "need": "поесть полезно без долгой дороги", "pain1": "за свежим далеко ехать",
        "pain2": "состав трудно прочитать",
        "v1": "svezhest", "v1_name": "Свежесть", "v2": "cena", "v2_name": "Доступная цена",
        "v3": "vybor", "v3_name": "Выбор на каждый день",
        "us": "Мы", "competitor": "Сеть", "alternative": "Рынок",
        "council": "Совет управляющих", "council_scope": "ответ на запросы команд",
        "council_promise": "Совет отвечает на запрос команды в течение недели",
        "council_condition": "если запрос подан письменно",
        "m_answer": "Дней до ответа команде", "days": "дней", "request_log": "журнал запросов",
        "period": "2026-q1", "period_start": "2026-01-01", "period_end": "2026-03-31",
        "profit": "1000000.00",
        "p1": "lider", "p1_name": "Лидер совета", "p2": "ambassador",
        "p2_name": "Амбассадор клиентократии", "p3": "lider-ek",
        "p3_name": "Лидер команды единой концепции", "p4": "uchastnik-magazinov",
        "p4_name": "Участник команды магазинов", "p5": "uchastnik-ek",
        "p5_name": "Участник команды единой концепции",
        "team": "magaziny", "team_name": "Магазины", "income": "выручка",
        "expense1": "аренда", "expense2": "закупка",
        "promise1": "Молочные продукты на полке не старше двух дней",
        "promise3": "Базовая корзина всегда в наличии",
        "scope1": "списание несвежих продуктов", "scope3": "состав базовой корзины",
        "metric1": "Доля проверенных позиций в пределах стандарта свежести",
        "metric3": "Доля дней с полной базовой корзиной", "audit": "проверка магазина",
        "m_customers": "Покупатели в неделю", "people_unit": "человек", "till": "данные касс",
        "concept_name": "Единая концепция", "brand_income": "плата за бренд",
        "marketing": "маркетинг",
        "promise2": "Базовая корзина стоит не дороже, чем в среднем по городу",
        "labels_promise": "На ценниках крупно указана дата производства",
        "m_price": "Цена корзины к средней по городу", "price_check": "еженедельный мониторинг цен",
        "m_labels": "Полки с новыми ценниками", "m_members": "Держатели карты лояльности",
        "hypothesis": "Покупатели выбирают нас за свежесть, а не за широкий выбор",
    },
}

_PLAIN = re.compile(r"^[^\s:#{}\[\],&*!|>'\"%@`?-][^:#{}\[\],]*$")


def _q(text: Any) -> str:
    """A YAML scalar: as is when plain is safe, else double-quoted."""
    value = str(text)
    if _PLAIN.match(value) and not value.endswith(" ") and value.lower() not in (
            "yes", "no", "on", "off", "true", "false", "null", "~"):
        return value
    return json.dumps(value, ensure_ascii=False)


def plan(folder: Path, lang: str) -> list[tuple[Path, str]]:
    """Every file the scaffold writes, with its text."""
    from jinja2 import PackageLoader
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(loader=PackageLoader("kkctl.templates", "init"),
                               keep_trailing_newline=True)
    names = {key: _q(value) for key, value in NAMES[lang].items()}
    out = []
    for template, target in FILES:
        rel = target.format(team=NAMES[lang]["team"])
        path = folder / rel
        depth = len(Path(rel).parts) - 1
        schema = "/".join([".."] * depth + ["schemas", "kkctl.schema.json"])
        text = env.get_template(template).render(t=TEXT[lang], n=names, lang=lang,
                                                 schema_path=schema, version=__version__)
        out.append((path, text))
    return out


def scaffold(folder: Path, lang: str) -> list[Path]:
    """Write the scaffold; refuse (before writing anything) if any file already exists."""
    from kkctl.project import UsageError
    from kkctl.schema import SCHEMA_FILE, bundle
    from kkctl.textio import dump_json, write_atomic

    _check_folders(folder, folder, lang)
    files = plan(folder, lang)
    files.append((folder / "schemas" / SCHEMA_FILE, dump_json(bundle())))
    for path, _ in files:
        _check_folders(path.parent, folder, lang)
    existing = [p for p, _ in files if os.path.lexists(p)]
    if existing:
        names = ", ".join(os.path.relpath(p, folder) for p in existing)
        raise UsageError("usage.init_exists", names=names)
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    return [p for p, _ in files]


def _check_folders(needed: Path, folder: Path, lang: str) -> None:
    """A file standing where the scaffold needs a folder is refused before anything is
    written (``mkdir`` would fail half-way through)."""
    from kkctl.messages import render
    from kkctl.outpaths import blocking_file
    from kkctl.project import UsageError

    blocker = blocking_file(needed)
    if blocker is None:
        return
    args = {"option": "kkctl init", "path": str(folder), "blocker": str(blocker)}
    raise UsageError(render("output.not_folder" if blocker == folder else "output.blocked",
                            lang, args))
