"""What rules look things up in: indexes over the model, built once per run on first use."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

from kkctl import model as m


class LintContext:
    def __init__(self, org: m.Organisation) -> None:
        self.org = org

    # -- people and teams ------------------------------------------------------------------
    def member_ids(self, group: m.Team | m.Council) -> set[str]:
        """People in a team or council: its members, and a team's leader."""
        ids = {member.person.id for member in group.members}
        if isinstance(group, m.Team) and group.leader is not None:
            ids.add(group.leader.id)
        return ids

    @cached_property
    def teams_of_person(self) -> dict[str, list[m.Team]]:
        table: dict[str, list[m.Team]] = defaultdict(list)
        for team in self.org.teams:
            for person in self.member_ids(team):
                table[person].append(team)
        return table

    @cached_property
    def company_councils(self) -> list[m.Council]:
        return [c for c in self.org.councils if c.council_kind == "company"]

    @cached_property
    def unit_councils(self) -> list[m.Council]:
        return [c for c in self.org.councils if c.council_kind == "unit"]

    # -- promises and authorities ----------------------------------------------------------
    @cached_property
    def promises_by_giver(self) -> dict[str, list[m.Promise]]:
        table: dict[str, list[m.Promise]] = defaultdict(list)
        for promise in self.org.promises:
            if promise.giver is not None:
                table[promise.giver.id].append(promise)
        return table

    @cached_property
    def authorities_by_holder(self) -> dict[str, list[m.Authority]]:
        table: dict[str, list[m.Authority]] = defaultdict(list)
        for authority in self.org.authorities:
            if authority.holder is not None:
                table[authority.holder.id].append(authority)
        return table

    @cached_property
    def used_ids(self) -> set[str]:
        """Every id some reference resolves to."""
        return {ref.id for ref in self.org.refs if ref.target is not None}

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

    def giver_side(self, actor_id: str) -> set[str]:
        """The actor and everyone it stands for: a team's members, a person's teams."""
        ids = {actor_id}
        entity = self.org.get(actor_id)
        if isinstance(entity, m.Team | m.Council):
            ids |= self.member_ids(entity)
        elif isinstance(entity, m.Person):
            ids |= {t.id for t in self.teams_of_person.get(actor_id, [])}
        return ids
