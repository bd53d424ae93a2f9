"""What rules look things up in: indexes over the model, built once per run on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from functools import cached_property
from typing import Any

from kkctl import model as m

_GROUPS = (m.Team, m.Council)  # a tuple: ``m.Team | m.Council`` is built anew each call


def scope_key(scope: str) -> str:
    """What makes two authority scopes the same: compared without regard to spaces (at the
    ends, or several for one), case, or ё written as е — «Закупка  продуктов» and «закупка
    продуктов» are one decision."""
    return " ".join(scope.split()).casefold().replace("ё", "е")


class LintContext:
    def __init__(self, org: m.Organisation) -> None:
        self.org = org
        self._sides: dict[str, AbstractSet[str]] = {}

    # -- people and teams ------------------------------------------------------------------
    def member_ids(self, group: m.Team | m.Council) -> set[str]:
        """People in a team or council: its members, and a team's leader."""
        ids = {member.person.id for member in group.members}
        if isinstance(group, m.Team) and group.leader is not None:
            ids.add(group.leader.id)
        return ids

    @cached_property
    def teams_of_person(self) -> dict[str, list[m.Team]]:
        """Person id -> the teams they are a member or the leader of, each once, in order."""
        table: dict[str, list[m.Team]] = {}
        for team in self.org.teams:
            people = [member.person.id for member in team.members]
            if team.leader is not None:
                people.append(team.leader.id)
            for person in people:
                teams = table.get(person)
                if teams is None:
                    table[person] = [team]
                elif teams[-1] is not team:  # listed twice, or the leader is a member too
                    teams.append(team)
        return table

    @cached_property
    def company_councils(self) -> list[m.Council]:
        return [c for c in self.org.councils if c.council_kind == "company"]

    @cached_property
    def unit_councils(self) -> list[m.Council]:
        return [c for c in self.org.councils if c.council_kind == "unit"]

    # -- promises and authorities ----------------------------------------------------------
    @cached_property
    def promise_by_id(self) -> dict[str, m.Promise]:
        """Promise id -> promise; of promises sharing an id (a validation error), the last."""
        return {promise.id: promise for promise in self.org.promises}

    @cached_property
    def authorities_by_holder(self) -> dict[str, list[m.Authority]]:
        table: dict[str, list[m.Authority]] = defaultdict(list)
        for authority in self.org.authorities:
            if authority.holder is not None:
                table[authority.holder.id].append(authority)
        return table

    @cached_property
    def schemes_by_unit(self) -> dict[str, list[m.RewardScheme]]:
        table: dict[str, list[m.RewardScheme]] = defaultdict(list)
        for scheme in self.org.reward_schemes:
            if scheme.unit is not None:
                table[scheme.unit.id].append(scheme)
        return table

    # -- canvas ----------------------------------------------------------------------------
    @cached_property
    def root_values(self) -> set[str]:
        """Values that some root promise delivers."""
        return {p.value.id for p in self.org.promises
                if p.promise_kind == "root" and p.value is not None}

    # -- helpers ---------------------------------------------------------------------------
    def target(self, ref: m.Ref | None) -> m.Entity | None:
        return ref.target if ref is not None else None

    def where(self, source: m.Source, *sub: Any) -> str:
        """``file:line:col`` of an entity or field, for messages that point elsewhere."""
        return source.where(*sub)

    def giver_side(self, actor_id: str) -> AbstractSet[str]:
        """The actor and everyone it stands for: a team's members, a person's teams.
        Computed once per actor and shared (read only): several rules ask for the giver of
        each of many promises."""
        side = self._sides.get(actor_id)
        if side is None:
            entity = self.org.by_id.get(actor_id)
            if isinstance(entity, _GROUPS):
                ids = self.member_ids(entity)  # a new set: adding to it changes nothing else
                ids.add(actor_id)
            elif isinstance(entity, m.Person):
                ids = {actor_id, *(t.id for t in self.teams_of_person.get(actor_id, ()))}
            else:
                ids = {actor_id}
            side = self._sides[actor_id] = ids
        return side
