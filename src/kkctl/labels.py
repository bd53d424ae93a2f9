"""Human labels of the format's enum values and well-known scopes, in both languages.

An id stays an id; a value a person reads in a sentence or a table (``split: equal``,
``base: net_profit``, ``kind: root``, ``scope: concept.pricing``) is shown by its label:
``распределение поровну``, ``чистая прибыль``, ``корневое``, ``ценовая политика``.
"""

from __future__ import annotations

# field -> value -> (English, Russian)
ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "split": {"equal": ("equally", "поровну"), "weights": ("by weight", "по весам"),
              "days": ("by days worked", "по отработанным дням"),
              "explicit": ("as set by the council", "по решению совета")},
    "base": {"net_profit": ("net profit", "чистая прибыль"),
             "team_profit": ("team profit", "прибыль команды")},
    "losses": {"carry_forward": ("carried forward", "переносится на следующие периоды"),
               "reset": ("written off", "списывается")},
    "promise_kind": {"root": ("root", "корневое"), "supporting": ("supporting", "поддерживающее"),
                     "general": ("general", "общее")},
    "promise_status": {"draft": ("draft", "черновик"), "agreed": ("agreed", "согласовано"),
                       "active": ("active", "действует"), "retired": ("retired", "отменено")},
    "team_type": {"value_creating": ("value-creating", "ценностеобразующая"),
                  "supporting": ("supporting", "поддерживающая"),
                  "concept": ("unified concept", "управление единой концепцией")},
    "council_kind": {"company": ("company council", "совет компании"),
                     "unit": ("unit council", "совет подразделения")},
    "role": {"leader": ("leader", "лидер"), "ambassador": ("ambassador", "амбассадор"),
             "representative": ("representative", "представитель"),
             "facilitator": ("facilitator", "фасилитатор"), "member": ("member", "участник")},
    "client_kind": {"external": ("external", "внешний"), "partner": ("partner", "партнёр"),
                    "internal": ("internal", "внутренний")},
    "action": {"eliminate": ("eliminate", "упразднить"), "reduce": ("reduce", "снизить"),
               "raise": ("raise", "повысить"), "create": ("create", "создать"),
               "keep": ("keep", "сохранить")},
    "offering_kind": {"self": ("we", "мы"), "competitor": ("competitor", "конкурент"),
                      "alternative": ("alternative", "альтернатива")},
    "hypothesis_status": {"open": ("open", "открыта"), "confirmed": ("confirmed", "подтверждена"),
                          "refuted": ("refuted", "опровергнута"),
                          "pivoted": ("pivoted", "пересмотрена")},
    "hypothesis_type": {"value": ("value", "ценность"), "problem": ("problem", "проблема"),
                        "solution": ("solution", "решение"),
                        "technology": ("technology", "технология"),
                        "sales": ("sales", "продажи"), "economics": ("economics", "экономика"),
                        "growth": ("growth", "рост"), "strategic": ("strategic", "стратегическая"),
                        "tactical": ("tactical", "тактическая")},
    "direction": {"up": ("the more the better", "чем больше, тем лучше"),
                  "down": ("the less the better", "чем меньше, тем лучше")},
    "metric_type": {"nps": ("NPS", "NPS"), "count": ("count", "количество"),
                    "ratio": ("share", "доля"), "money": ("money", "деньги"),
                    "time": ("time", "время"), "other": ("other", "другое")},
    "severity": {"error": ("error", "ошибка"), "warning": ("warning", "предупреждение"),
                 "info": ("note", "замечание"), "off": ("off", "выключено")},
}

# Scopes the methodology names: the concept team's and the council's own.
SCOPES: dict[str, tuple[str, str]] = {
    "concept.pricing": ("pricing policy", "ценовая политика"),
    "concept.communication": ("internal and external communication",
                              "внутренние и внешние коммуникации"),
    "council.membership": ("council membership", "состав совета"),
    "council.reward": ("reward of the council", "вознаграждение совета"),
    "team.membership": ("team membership", "состав команды"),
    "team.leader": ("choosing the team leader", "выбор лидера команды"),
    "team.dissolve": ("dissolving a team", "роспуск команды"),
    "reward.define": ("defining reward schemes", "определение систем вознаграждения"),
}


def label(field: str, value: object, lang: str) -> str:
    """The label of ``value`` of ``field`` (see :data:`ENUMS`), or the value as it is."""
    names = ENUMS.get(field, {}).get(str(value))
    if names is None:
        return str(value)
    return names[1] if lang == "ru" else names[0]


def scope(text: str, lang: str) -> str:
    """A well-known scope by its name (``concept.pricing`` -> ``ценовая политика``); any
    other scope is the company's own words and stays as written."""
    names = SCOPES.get(text)
    if names is None:
        return text
    return names[1] if lang == "ru" else names[0]
