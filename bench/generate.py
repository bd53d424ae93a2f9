"""Deterministic generator of synthetic kkctl organisations (format 1).

Laid out like a real repository: ``kkctl.yaml`` with values, canvas, council, reward schemes
and periods; one file per team under ``org/teams/`` holding the team with its promises,
authorities and metrics; people under ``org/people/`` in files of 300.

    python bench/generate.py M bench/orgs/M            # 1,000 teams / 6,000 people / 4,000 promises
    python bench/generate.py S out --defects           # with realistic lint defects

The same size and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

SIZES = {  # teams, people, promises
    "XS": (10, 60, 40),
    "S": (100, 600, 400),
    "M": (1_000, 6_000, 4_000),
    "L": (10_000, 60_000, 40_000),
    "XL": (50_000, 300_000, 200_000),
}
PEOPLE_PER_FILE = 300
VALUES = ["freshness", "assortment", "price", "speed", "convenience", "service", "eco", "trust"]
PERIODS = [("2026-q1", "2026-01-01", "2026-03-31"), ("2026-q2", "2026-04-01", "2026-06-30"),
           ("2026-q3", "2026-07-01", "2026-09-30"), ("2026-q4", "2026-10-01", "2026-12-31")]
FIRST = ["Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Илья", "Кира", "Лев"]
LAST = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def generate(size: str, out: Path, seed: int = 1, defects: bool = False) -> dict[str, int]:
    n_teams, n_people, n_promises = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    if out.exists():
        shutil.rmtree(out)
    (out / "org" / "teams").mkdir(parents=True)
    (out / "org" / "people").mkdir(parents=True)

    people = [f"p{i:06d}" for i in range(n_people)]
    teams = [f"team-{i:05d}" for i in range(n_teams)]
    per_team_people = n_people // n_teams
    per_team_promises = n_promises // n_teams
    council_members = teams[: min(12, n_teams)]

    _write_people(out, people, rng)
    _write_project(out, teams, people, per_team_people, council_members)
    for t, team in enumerate(teams):
        _write_team(out, t, team, teams, people, per_team_people, per_team_promises, rng, defects)
    files = sum(1 for _ in out.rglob("*.yaml"))
    size_bytes = sum(p.stat().st_size for p in out.rglob("*.yaml"))
    return {"files": files, "bytes": size_bytes, "teams": n_teams, "people": n_people,
            "promises": per_team_promises * n_teams}


def _write_people(out: Path, people: list[str], rng: random.Random) -> None:
    for start in range(0, len(people), PEOPLE_PER_FILE):
        lines = ["people:"]
        for pid in people[start : start + PEOPLE_PER_FILE]:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            lines += [f"  - id: {pid}", f"    name: {q(name)}", f"    email: {pid}@example.org"]
        (out / "org" / "people" / f"people-{start // PEOPLE_PER_FILE:04d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")


def _write_project(out: Path, teams: list[str], people: list[str], per_team: int,
                   council_teams: list[str]) -> None:
    lines = [
        "kkctl: 1",
        "organisation:",
        "  id: synthetic",
        f"  name: {q('Синтетическая компания')}",
        f"  evolutionary_goal: {q('Полезная еда доступна каждому')}",
        "  key_value: freshness",
        "  currency: RUB",
        "  locale: ru",
        "clients:",
        "  - {id: shoppers, name: Покупатели, kind: external}",
        "values:",
    ]
    lines += [f"  - {{id: {v}, name: {v.title()}, client: shoppers}}" for v in VALUES]
    lines += ["canvases:", "  - id: main-canvas", "    client: shoppers",
              f"    need: {q('купить свежую еду рядом с домом')}", "    factors:"]
    actions = ["raise", "reduce", "keep", "raise", "create", "keep", "eliminate", "keep"]
    for i, v in enumerate(VALUES):
        key = ", key: true" if v == "freshness" else ""
        lines.append(f"      - {{value: {v}{key}, action: {actions[i]}}}")
    lines.append("    offerings:")
    for oid, self_, scores in (("us", True, [5, 2, 3, 3, 4, 3, 0, 4]),
                                ("chain-a", False, [2, 5, 3, 2, 3, 3, 3, 3]),
                                ("market", False, [2, 3, 4, 1, 1, 2, 2, 3])):
        pairs = ", ".join(f"{v}: {s}" for v, s in zip(VALUES, scores, strict=True))
        lines.append(f"      - {{id: {oid}, self: {str(self_).lower()}, scores: {{{pairs}}}}}")
    lines += ["councils:", "  - id: council", f"    name: {q('Совет управляющих')}",
              "    kind: company", "    reward: council-bonus", "    members:",
              f"      - {{person: {people[0]}, role: leader, represents: [{council_teams[0]}]}}"]
    for i, team in enumerate(council_teams[1:], start=1):
        role = "ambassador" if i == 1 else "representative"
        person = people[i * per_team]
        lines.append(f"      - {{person: {person}, role: {role}, represents: [{team}]}}")
    lines += ["authorities:",
              "  - {id: council-membership, scope: council.membership, holder: council}",
              "  - {id: council-reward, scope: council.reward, holder: council}",
              "reward_schemes:",
              "  - {id: council-bonus, unit: council, base: net_profit, share: 0.20, split: equal}",
              "periods:"]
    profits = ["12000000.00", "-3000000.00", "5000000.50", "7300000.25"]
    for (pid, start, end), profit in zip(PERIODS, profits, strict=True):
        lines.append(f"  - {{id: {pid}, start: {start}, end: {end}, net_profit: {profit}}}")
    (out / "kkctl.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_team(out: Path, t: int, team: str, teams: list[str], people: list[str], per_team: int,
                n_promises: int, rng: random.Random, defects: bool) -> None:
    members = people[t * per_team : (t + 1) * per_team]
    kind = "value_creating" if t % 3 == 0 else "concept" if t == 1 else "supporting"
    lines = ["teams:", f"  - id: {team}", f"    name: {q(f'Команда {t}')}", f"    type: {kind}",
             f"    leader: {members[0]}"]
    if t:
        lines.append(f"    parent: {teams[(t - 1) // 10]}")
    lines.append(f"    success_indicator: {team}-m0")
    lines.append("    members:")
    for i, pid in enumerate(members):
        if i % 2:
            lines.append(f"      - {{person: {pid}, weight: {1 + i % 3}, from: 2026-01-01}}")
        else:
            lines.append(f"      - {pid}")
    lines += ["    economics:", f"      income: [{q('выручка магазинов')}]",
              f"      expenses: [{q('закупка')}, {q('аренда')}]", "promises:"]
    for k in range(n_promises):
        pid = f"{team}-p{k}"
        lines += [f"  - id: {pid}"]
        if k == 0 or (kind == "value_creating" and k == 1):
            lines += ["    kind: root", f"    giver: {team}", "    receiver: shoppers",
                      f"    value: {VALUES[(t + k) % len(VALUES)]}"]
        elif k == n_promises - 1:
            lines += ["    kind: general", f"    giver: {team}",
                      f"    receiver: {teams[(t + 1) % len(teams)]}"]
        else:
            target = (t // 3) * 3  # supports a root promise of a value-creating team
            if target == t:  # not its own: the next value-creating team's
                target = (t + 3) % len(teams) // 3 * 3
            lines += ["    kind: supporting", f"    giver: {team}",
                      f"    receiver: {teams[target]}", f"    supports: [{teams[target]}-p0]"]
            if k % 2:
                lines.append(f"    condition: {q('если заявка пришла до 18:00')}")
        lines += [f"    text: {q(f'Обещание {k} команды {t}: доставим вовремя и свежим')}",
                  f"    metrics: [{team}-m{k % 2}]", f"    authorities: [{team}-a{k}]"]
    lines.append("authorities:")
    if kind == "concept":  # the unified-concept team answers for price and communication
        lines += [f"  - {{id: {team}-pricing, scope: concept.pricing, holder: {team}}}",
                  f"  - {{id: {team}-communication, scope: concept.communication, "
                  f"holder: {team}}}"]
    for k in range(n_promises):
        budget = f"{rng.randint(1, 999)}000.{rng.randint(0, 99):02d}"
        lines.append(f"  - {{id: {team}-a{k}, scope: {q(f'{team}: решение {k}')}, holder: {team},"
                     f" budget: {budget}}}")
    lines.append("metrics:")
    # m0, the success indicator, counts something that can grow many-fold; m1 is a share.
    for k, (unit, target, low, high) in enumerate((("заказов", 50_000, 8_000, 30_000),
                                                  ("%", 95, 50, 99))):
        lines += [f"  - id: {team}-m{k}", f"    name: {q(f'Метрика {k} команды {t}')}",
                  f"    unit: {q(unit)}", "    direction: up", f"    target: {target}",
                  f"    source: {{owner: {teams[(t + 1) % len(teams)]}, "
                  f"description: {q('учётная система')}}}",
                  "    readings:"]
        lines += [f"      - {{period: {p[0]}, value: {rng.randint(low, high)}}}"
                  for p in PERIODS]
    if defects and t % 50 == 7:
        lines = _inject_defect(lines, t, team, teams)
    (out / "org" / "teams" / f"{team}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _inject_defect(lines: list[str], t: int, team: str, teams: list[str]) -> list[str]:
    """Realistic mistakes: a dangling leader, a promise loop, a shared authority scope."""
    variant = (t // 50) % 3
    if variant == 0:
        return [ln.replace("    leader: p", "    leader: ghost-p") for ln in lines]
    if variant == 1:
        at = lines.index("authorities:")
        loop = [f"  - id: {team}-loop", "    kind: supporting", f"    giver: {team}",
                f"    receiver: {team}", f"    supports: [{team}-loop]", "    text: loop"]
        return lines[:at] + loop + lines[at:]
    at = lines.index("metrics:")
    dup = f"  - {{id: {team}-dup, scope: {q(f'{teams[0]}: решение 0')}, holder: {team}}}"
    return [*lines[:at], dup, *lines[at:]]

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", action="store_true", help="inject realistic lint defects")
    args = parser.parse_args()
    stats = generate(args.size, args.out, args.seed, args.defects)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
