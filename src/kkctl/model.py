"""The one typed organisation every command works on.

Built once per run from the parsed files (:mod:`kkctl.build`). Every entity knows where it
came from (:class:`Source`), every reference is a :class:`Ref` with its own position and, once
resolved, its target. Amounts are :class:`~decimal.Decimal` read from the source text, never
through a float.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from kkctl.diagnostics import Diagnostic, Severity, format_path
from kkctl.yamlread import ParsedFile

DEFAULT_SHARE = Decimal("0.20")


@dataclass(slots=True)
class Source:
    """Where an entity lives: its file and its path in that file (``('teams', 3)``)."""

    file: ParsedFile
    path: tuple[Any, ...]
    # the entity's kind and id, for messages (two fields, not a tuple: 6 MB at 10,000 teams)
    kind: str | None = None
    ident: str | None = None

    @property
    def subject(self) -> tuple[str, str] | None:
        """``(kind, id)`` of the entity, for messages."""
        return None if self.kind is None or self.ident is None else (self.kind, self.ident)

    def position(self, *sub: Any) -> tuple[str, int, int, tuple[Any, ...]]:
        """``(file, line, column, path)`` of the entity or of a field below it.

        A field that is present points at its value; a missing one at the entity.
        """
        path = (*self.path, *sub)
        pos = self.file.position(path)
        exact = path in self.file.positions
        return self.file.path, pos[2] if exact else pos[0], pos[3] if exact else pos[1], path

    def where(self, *sub: Any) -> str:
        """``file:line:col`` of the entity or a field, for messages that point elsewhere."""
        file, line, col, _ = self.position(*sub)
        return f"{file}:{line}:{col}"

    def mapping(self) -> dict[str, Any] | None:
        """The entity's mapping as parsed: tells a key that is missing from one written
        empty, or a setting from a default."""
        node: Any = self.file.data
        for part in self.path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node if isinstance(node, dict) else None

    def key_position(self, *sub: Any) -> tuple[str, int, int, tuple[Any, ...]]:
        """Like :meth:`position`, but at the key (``leader:``) rather than the value."""
        path = (*self.path, *sub)
        pos = self.file.position(path)
        return self.file.path, pos[0], pos[1], path

    def diagnostic(self, code: str, message_id: str, *sub: Any,
                   severity: Severity = Severity.ERROR, args: dict[str, Any] | None = None,
                   subject: tuple[str, str] | None = None, at_key: bool = False) -> Diagnostic:
        """The one way a problem about this entity (or a field below it) becomes a
        :class:`Diagnostic`: positioned at the field's value, or at its key with ``at_key``."""
        file, line, col, path = self.key_position(*sub) if at_key else self.position(*sub)
        return Diagnostic(code, severity, file, line, col, path, message_id, args or {},
                          subject or self.subject)


@dataclass(slots=True)
class Ref:
    """A reference to another entity by id, with its position and its target once resolved."""

    id: str
    allowed: tuple[str, ...]  # entity kinds it may point at; "partner" = client of kind partner
    source: Source
    sub: tuple[Any, ...]  # the field's path below the entity, e.g. ('members', 2, 'person')
    target: Entity | None = None

    @property
    def field(self) -> str:
        return format_path(self.sub)


@dataclass(slots=True)
class Entity:
    kind: ClassVar[str] = "entity"
    id: str
    source: Source
    lint_ignore: tuple[str, ...] = ()  # lint rules accepted on this entity

    def kinds(self) -> tuple[str, ...]:
        """The kinds this entity counts as for references."""
        return (self.kind,)


@dataclass(slots=True)
class Person(Entity):
    kind: ClassVar[str] = "person"
    name: str = ""
    email: str | None = None


@dataclass(slots=True)
class Need:
    id: str
    text: str
    pains: list[str]


@dataclass(slots=True)
class Client(Entity):
    kind: ClassVar[str] = "client"
    name: str = ""
    client_kind: str = "external"  # external | partner | internal
    team: Ref | None = None
    needs: list[Need] = field(default_factory=list)

    def kinds(self) -> tuple[str, ...]:
        return ("client", "partner") if self.client_kind == "partner" else ("client",)


@dataclass(slots=True)
class Value(Entity):
    kind: ClassVar[str] = "value"
    name: str = ""
    description: str | None = None
    client: Ref | None = None


@dataclass(slots=True)
class Member:
    person: Ref
    index: int
    role: str | None = None
    weight: Decimal = Decimal(1)
    start: dt.date | None = None  # ``from``: first day, inclusive
    end: dt.date | None = None  # ``to``: last day, inclusive
    represents: tuple[Ref, ...] = ()


@dataclass(slots=True)
class Team(Entity):
    kind: ClassVar[str] = "team"
    name: str = ""
    leader: Ref | None = None
    type: str | None = None  # value_creating | supporting | concept
    members: list[Member] = field(default_factory=list)
    parent: Ref | None = None
    clients: tuple[Ref, ...] = ()
    success_indicator: Ref | None = None
    economics: dict[str, list[str]] | None = None
    reward: Ref | None = None
    description: str | None = None


@dataclass(slots=True)
class Council(Entity):
    kind: ClassVar[str] = "council"
    name: str = ""
    council_kind: str = "company"  # company | unit
    members: list[Member] = field(default_factory=list)
    unit: Ref | None = None
    reward: Ref | None = None
    sponsor: Ref | None = None


@dataclass(slots=True)
class Promise(Entity):
    kind: ClassVar[str] = "promise"
    promise_kind: str = "root"  # root | supporting | general
    giver: Ref | None = None
    receiver: Ref | None = None
    text: str = ""
    value: Ref | None = None
    supports: tuple[Ref, ...] = ()
    requires: tuple[Ref, ...] = ()
    condition: str | None = None
    metrics: tuple[Ref, ...] = ()
    authorities: tuple[Ref, ...] = ()
    needs_authorities: tuple[str, ...] = ()
    status: str | None = None

    @property
    def conditional(self) -> bool:
        """A conditional promise (условное обещание) creates no dependency edge."""
        return self.condition is not None


@dataclass(slots=True)
class Authority(Entity):
    kind: ClassVar[str] = "authority"
    scope: str = ""
    holder: Ref | None = None
    granted_by: Ref | None = None
    budget: Decimal | None = None


@dataclass(slots=True)
class Reading:
    period: str
    value: Decimal
    index: int


@dataclass(slots=True)
class Metric(Entity):
    kind: ClassVar[str] = "metric"
    name: str = ""
    unit: str = ""
    metric_type: str | None = None
    direction: str | None = None
    target: Decimal | None = None
    bounds_min: Decimal | None = None
    bounds_max: Decimal | None = None
    source_text: str | None = None
    source_owner: Ref | None = None
    readings: tuple[Reading, ...] = ()


@dataclass(slots=True)
class Factor:
    value: Ref
    index: int
    key: bool = False
    action: str | None = None  # eliminate | reduce | raise | create | keep


@dataclass(slots=True)
class Offering:
    id: str
    index: int
    name: str | None
    is_self: bool
    scores: dict[str, Decimal]


@dataclass(slots=True)
class Canvas(Entity):
    kind: ClassVar[str] = "canvas"
    client: Ref | None = None
    need: str | None = None
    scale_min: Decimal = Decimal(0)
    scale_max: Decimal = Decimal(5)
    factors: list[Factor] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)
    tagline: str | None = None


@dataclass(slots=True)
class RewardScheme(Entity):
    kind: ClassVar[str] = "reward_scheme"
    name: str | None = None
    unit: Ref | None = None
    base: str = "net_profit"
    share: Decimal = DEFAULT_SHARE
    split: str = "equal"
    losses: str = "carry_forward"
    deposit_rate: Decimal | None = None
    deposit_release_after: int | None = None


@dataclass(slots=True)
class TeamFigures:
    income: Decimal = Decimal(0)
    expenses: Decimal = Decimal(0)
    virtual_revenue: Decimal = Decimal(0)


@dataclass(slots=True)
class Period(Entity):
    kind: ClassVar[str] = "period"
    name: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    net_profit: Decimal | None = None
    teams: dict[str, TeamFigures] = field(default_factory=dict)
    payouts: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    paid: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # recorded at close


@dataclass(slots=True)
class Hypothesis(Entity):
    kind: ClassVar[str] = "hypothesis"
    hypothesis_type: str = ""
    text: str = ""
    parent: Ref | None = None
    metrics: tuple[Ref, ...] = ()
    status: str | None = None
    since: dt.date | None = None  # put forward
    decided: dt.date | None = None  # confirmed, refuted or pivoted


@dataclass(slots=True)
class Settings:
    """``kkctl.yaml``'s own keys."""

    id: str | None = None
    name: str | None = None
    evolutionary_goal: str | None = None
    key_value: Ref | None = None
    currency: str = "RUB"
    locale: str | None = None
    ceo: Ref | None = None
    applicability: dict[str, bool] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    lint: dict[str, Any] = field(default_factory=dict)
    fmt: dict[str, Any] = field(default_factory=dict)
    bonus: dict[str, Any] = field(default_factory=dict)  # cap, over_cap
    source: Source | None = None


COLLECTIONS: dict[str, type[Entity]] = {
    "people": Person,
    "clients": Client,
    "values": Value,
    "teams": Team,
    "councils": Council,
    "promises": Promise,
    "authorities": Authority,
    "metrics": Metric,
    "canvases": Canvas,
    "reward_schemes": RewardScheme,
    "periods": Period,
    "hypotheses": Hypothesis,
}


@dataclass
class Organisation:
    settings: Settings
    files: list[ParsedFile]
    people: list[Person] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    councils: list[Council] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    authorities: list[Authority] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    canvases: list[Canvas] = field(default_factory=list)
    reward_schemes: list[RewardScheme] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    hypotheses: list[Hypothesis] = field(default_factory=list)
    by_id: dict[str, Entity] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)

    def get(self, ident: str) -> Entity | None:
        return self.by_id.get(ident)

    def subteams(self) -> dict[str, list[Team]]:
        """Team id -> the teams whose ``parent`` is that team, in file order (a team that
        names itself is nobody's subteam; a longer parent cycle is the walker's to cut)."""
        children: dict[str, list[Team]] = {}
        for team in self.teams:
            parent = team.parent.target if team.parent is not None else None
            if isinstance(parent, Team) and parent is not team:
                children.setdefault(parent.id, []).append(team)
        return children

    def entities(self) -> list[Entity]:
        out: list[Entity] = []
        for name in COLLECTIONS:
            out.extend(getattr(self, name))
        return out
