"""Build the typed :class:`~kkctl.model.Organisation` from parsed files.

The builder is tolerant: JSON Schema has already reported every wrongly shaped value, so a
field of the wrong type is simply left out here. What only the model can see (impossible
dates, reversed ranges, duplicate ids across files) is reported by the builder itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from kkctl import model as m
from kkctl.diagnostics import Diagnostic, Severity
from kkctl.foreign import date_reason
from kkctl.yamlread import ParsedFile

PEOPLE = ("person",)
TEAMS = ("team",)
ACTORS = ("team", "council", "person", "partner")  # who may give a promise or hold authority


class Builder:
    def __init__(self, files: list[ParsedFile]) -> None:
        self.files = files
        self.diagnostics: list[Diagnostic] = []
        self.org = m.Organisation(settings=m.Settings(), files=files)
        # Paths like ('teams', 0) and ('members', 2, 'person') repeat in every file: one
        # tuple each, shared (about 20 MB less at 10,000 teams).
        self.paths: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.amounts: dict[int | str, Decimal] = {}
        # An id named by many references (a person in teams, a period in every reading):
        # one string, not one per mention (15 MB less at 10,000 teams).
        self.names: dict[str, str] = {}

    def path(self, *parts: Any) -> tuple[Any, ...]:
        return self.paths.setdefault(parts, parts)

    # -- small readers -------------------------------------------------------------------
    def ref(self, src: m.Source, raw: dict[str, Any], key: str, allowed: tuple[str, ...],
            sub: tuple[Any, ...] | None = None) -> m.Ref | None:
        """The reference in ``raw[key]``, at ``sub`` below the entity (default: ``key``)."""
        value = raw.get(key)
        if type(value) is not str:
            return None
        ref = m.Ref(self.names.setdefault(value, value), allowed, src,
                    self.path(*(sub or (key,))))
        self.org.refs.append(ref)
        return ref

    def refs(self, src: m.Source, raw: dict[str, Any], key: str, allowed: tuple[str, ...],
             prefix: tuple[Any, ...] = ()) -> tuple[m.Ref, ...]:
        # a tuple: most of these are empty or hold one, and () is shared (an empty list
        # is 72 bytes; 20 MB at 10,000 teams)
        value = raw.get(key)
        if type(value) is not list:
            return ()
        out = []
        for i, item in enumerate(value):
            if type(item) is str:
                ref = m.Ref(self.names.setdefault(item, item), allowed, src,
                            self.path(*prefix, key, i))
                self.org.refs.append(ref)
                out.append(ref)
        return tuple(out)

    def word(self, raw: dict[str, Any], key: str) -> str | None:
        """A string field of few values (``kind``, ``unit``...): one string per value."""
        value = raw.get(key)
        return self.names.setdefault(value, value) if type(value) is str else None

    def money(self, file: ParsedFile, path: tuple[Any, ...], value: Any) -> Decimal | None:
        """An exact amount: ints as they are, floats from their source text, decimal strings."""
        if type(value) is int or type(value) is float:
            # one Decimal per amount written (readings repeat the same few): a Decimal is
            # immutable, and 100 bytes
            written = value if type(value) is int else file.decimals.get(path) or repr(value)
            amount = self.amounts.get(written)
            if amount is None:
                amount = self.amounts[written] = Decimal(written)
            return amount
        if type(value) is str:
            try:
                amount = Decimal(value)
            except InvalidOperation:
                return None
            return amount if amount.is_finite() else None
        return None

    def date(self, src: m.Source, raw: dict[str, Any], key: str,
             prefix: tuple[Any, ...] = ()) -> dt.date | None:
        value = raw.get(key)
        if type(value) is not str or len(value) != 10:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as err:
            self.report(src, (*prefix, key), "KK106", "date.invalid", value=value,
                        reason=date_reason(str(err)))
            return None

    def report(self, src: m.Source, sub: tuple[Any, ...], code: str, message_id: str,
               severity: Severity = Severity.ERROR, subject: tuple[str, str] | None = None,
               **args: Any) -> None:
        self.diagnostics.append(src.diagnostic(code, message_id, *sub, severity=severity,
                                               args=args, subject=subject))

    # -- entities ------------------------------------------------------------------------
    def build(self) -> m.Organisation:
        for index, file in enumerate(self.files):
            self.add(file, index == 0)
        return self.org

    def add(self, file: ParsedFile, first: bool) -> None:
        """The entities of one file (``first``: the project file, with the settings)."""
        data = file.data
        if type(data) is not dict:
            return
        if first:
            self.settings(file, data)
        for collection, entity in self.entities(file, data):
            self.register(entity)
            getattr(self.org, collection).append(entity)

    def entities(self, file: ParsedFile, data: dict[str, Any]
                 ) -> Iterator[tuple[str, m.Entity]]:
        """Each entity ``data`` defines, made, with the collection it is listed in."""
        for collection, cls in m.COLLECTIONS.items():
            items = data.get(collection)
            if type(items) is not list:
                continue
            make = getattr(self, "make_" + cls.kind)
            for i, raw in enumerate(items):
                if type(raw) is dict and type(raw.get("id")) is str:
                    # the id as one string with every reference to it (8 MB at 10,000 teams)
                    ident = raw["id"] = self.names.setdefault(raw["id"], raw["id"])
                    entity = make(m.Source(file, self.path(collection, i), cls.kind, ident),
                                  raw)
                    ignore = raw.get("lint_ignore")
                    if type(ignore) is list:
                        entity.lint_ignore = tuple(n for n in ignore if type(n) is str)
                    yield collection, entity

    def register(self, entity: m.Entity) -> None:
        other = self.org.by_id.get(entity.id)
        if other is None:
            self.org.by_id[entity.id] = entity
            return
        where_file, where_line, where_col, _ = other.source.position("id")
        self.report(entity.source, ("id",), "KK104", "id.duplicate",
                    subject=(entity.kind, entity.id), id=entity.id,
                    other=f"{other.kind} '{other.id}'",
                    where=f"{where_file}:{where_line}:{where_col}")

    def settings(self, file: ParsedFile, data: dict[str, Any]) -> None:
        settings = self.org.settings
        settings.source = m.Source(file, ())
        exclude = data.get("exclude")
        if type(exclude) is list:
            settings.exclude = [p for p in exclude if type(p) is str]
        for key in ("lint", "fmt", "bonus"):
            if type(data.get(key)) is dict:
                setattr(settings, key, data[key])
        org = data.get("organisation")
        if type(org) is not dict:
            return
        src = m.Source(file, ("organisation",), "organisation", _str(org, "id") or "?")
        settings.id = _str(org, "id")
        settings.name = _str(org, "name")
        settings.evolutionary_goal = _str(org, "evolutionary_goal")
        settings.key_value = self.ref(src, org, "key_value", ("value",))
        settings.currency = _str(org, "currency") or "RUB"
        settings.locale = _str(org, "locale")
        settings.ceo = self.ref(src, org, "ceo", PEOPLE)
        applicability = org.get("applicability")
        if type(applicability) is dict:
            settings.applicability = {k: v for k, v in applicability.items() if type(v) is bool}

    def make_person(self, src: m.Source, raw: dict[str, Any]) -> m.Person:
        return m.Person(raw["id"], src, name=_str(raw, "name") or "", email=_str(raw, "email"))

    def make_client(self, src: m.Source, raw: dict[str, Any]) -> m.Client:
        needs = []
        seen: dict[str, int] = {}
        for i, need in enumerate(_list(raw, "needs")):
            if type(need) is dict and type(need.get("id")) is str:
                self.local_unique(src, seen, need["id"], ("needs", i, "id"), "client")
                pains = [p for p in _list(need, "pains") if type(p) is str]
                needs.append(m.Need(need["id"], _str(need, "text") or "", pains))
        return m.Client(raw["id"], src, name=_str(raw, "name") or "",
                        client_kind=self.word(raw, "kind") or "external",
                        team=self.ref(src, raw, "team", TEAMS), needs=needs)

    def make_value(self, src: m.Source, raw: dict[str, Any]) -> m.Value:
        return m.Value(raw["id"], src, name=_str(raw, "name") or "",
                       description=_str(raw, "description"),
                       client=self.ref(src, raw, "client", ("client",)))

    def members(self, src: m.Source, raw: dict[str, Any]) -> list[m.Member]:
        out = []
        for i, item in enumerate(_list(raw, "members")):
            if type(item) is str:
                ref = m.Ref(self.names.setdefault(item, item), PEOPLE, src,
                            self.path("members", i))
                self.org.refs.append(ref)
                out.append(m.Member(ref, i))
            elif type(item) is dict and type(item.get("person")) is str:
                person = self.names.setdefault(item["person"], item["person"])
                ref = m.Ref(person, PEOPLE, src, self.path("members", i, "person"))
                self.org.refs.append(ref)
                member = m.Member(ref, i, role=_str(item, "role"),
                                  start=self.date(src, item, "from", ("members", i)),
                                  end=self.date(src, item, "to", ("members", i)),
                                  represents=self.refs(src, item, "represents", TEAMS,
                                                       ("members", i)))
                weight = item.get("weight")
                if type(weight) in (int, float):
                    member.weight = self.money(src.file, (*src.path, "members", i, "weight"),
                                               weight) or Decimal(0)
                if member.start and member.end and member.start > member.end:
                    self.report(src, ("members", i, "from"), "KK106", "membership.reversed",
                                start=member.start.isoformat(), end=member.end.isoformat())
                out.append(member)
        return out

    def make_team(self, src: m.Source, raw: dict[str, Any]) -> m.Team:
        economics = raw.get("economics")
        econ = None
        if type(economics) is dict:
            econ = {k: [self.names.setdefault(x, x) for x in v if type(x) is str]
                    for k, v in economics.items() if type(v) is list}
        return m.Team(raw["id"], src, name=_str(raw, "name") or "",
                      leader=self.ref(src, raw, "leader", PEOPLE), type=self.word(raw, "type"),
                      members=self.members(src, raw), parent=self.ref(src, raw, "parent", TEAMS),
                      clients=self.refs(src, raw, "clients", ("client",)),
                      success_indicator=self.ref(src, raw, "success_indicator", ("metric",)),
                      economics=econ, reward=self.ref(src, raw, "reward", ("reward_scheme",)),
                      description=_str(raw, "description"))

    def make_council(self, src: m.Source, raw: dict[str, Any]) -> m.Council:
        return m.Council(raw["id"], src, name=_str(raw, "name") or "",
                         council_kind=self.word(raw, "kind") or "company",
                         members=self.members(src, raw), unit=self.ref(src, raw, "unit", TEAMS),
                         reward=self.ref(src, raw, "reward", ("reward_scheme",)),
                         sponsor=self.ref(src, raw, "sponsor", PEOPLE))

    def make_promise(self, src: m.Source, raw: dict[str, Any]) -> m.Promise:
        return m.Promise(
            raw["id"], src, promise_kind=self.word(raw, "kind") or "",
            giver=self.ref(src, raw, "giver", ACTORS),
            receiver=self.ref(src, raw, "receiver", ("client", "team", "council", "person")),
            text=_str(raw, "text") or "", value=self.ref(src, raw, "value", ("value",)),
            supports=self.refs(src, raw, "supports", ("promise",)),
            requires=self.refs(src, raw, "requires", ("promise",)),
            condition=_str(raw, "condition") or ("" if raw.get("conditional") is True else None),
            metrics=self.refs(src, raw, "metrics", ("metric",)),
            authorities=self.refs(src, raw, "authorities", ("authority",)),
            needs_authorities=tuple(s for s in _list(raw, "needs_authorities") if type(s) is str),
            status=self.word(raw, "status"))

    def make_authority(self, src: m.Source, raw: dict[str, Any]) -> m.Authority:
        return m.Authority(raw["id"], src, scope=_str(raw, "scope") or "",
                           holder=self.ref(src, raw, "holder", ACTORS),
                           granted_by=self.ref(src, raw, "granted_by",
                                               ("team", "council", "person")),
                           budget=self.money(src.file, (*src.path, "budget"), raw.get("budget")))

    def make_metric(self, src: m.Source, raw: dict[str, Any]) -> m.Metric:
        metric = m.Metric(raw["id"], src, name=_str(raw, "name") or "",
                          unit=self.word(raw, "unit") or "", metric_type=self.word(raw, "type"),
                          direction=self.word(raw, "direction"),
                          target=self.number(src, raw, ("target",)))
        bounds = raw.get("bounds")
        if type(bounds) is dict:
            metric.bounds_min = self.number(src, bounds, ("bounds", "min"), "min")
            metric.bounds_max = self.number(src, bounds, ("bounds", "max"), "max")
        source = raw.get("source")
        # a metric's source is one of a few systems, kept by one of a few teams
        if type(source) is str:
            metric.source_text = self.names.setdefault(source, source)
        elif type(source) is dict:
            metric.source_text = self.word(source, "description")
            metric.source_owner = self.ref(src, source, "owner",
                                           ("team", "council", "person", "client"),
                                           ("source", "owner"))
        readings = []
        for i, reading in enumerate(_list(raw, "readings")):
            if type(reading) is dict and type(reading.get("period")) is str:
                value = self.number(src, reading, ("readings", i, "value"), "value")
                if value is not None:
                    period = self.names.setdefault(reading["period"], reading["period"])
                    readings.append(m.Reading(period, value, i))
        metric.readings = tuple(readings)  # a tuple is 40 bytes smaller than a list
        return metric

    def number(self, src: m.Source, raw: dict[str, Any], sub: tuple[Any, ...],
               key: str | None = None) -> Decimal | None:
        value = raw.get(key or sub[-1])
        if type(value) not in (int, float):
            return None
        return self.money(src.file, (*src.path, *sub), value)

    def make_canvas(self, src: m.Source, raw: dict[str, Any]) -> m.Canvas:
        canvas = m.Canvas(raw["id"], src, client=self.ref(src, raw, "client", ("client",)),
                          need=_str(raw, "need"), tagline=_str(raw, "tagline"))
        scale = raw.get("scale")
        if type(scale) is dict:
            low = self.number(src, scale, ("scale", "min"), "min")
            high = self.number(src, scale, ("scale", "max"), "max")
            canvas.scale_min = low if low is not None else Decimal(0)
            canvas.scale_max = high if high is not None else Decimal(5)
        for i, factor in enumerate(_list(raw, "factors")):
            if type(factor) is dict and type(factor.get("value")) is str:
                ref = m.Ref(factor["value"], ("value",), src, ("factors", i, "value"))
                self.org.refs.append(ref)
                canvas.factors.append(m.Factor(ref, i, key=factor.get("key") is True,
                                               action=_str(factor, "action")))
        factor_ids = {f.value.id for f in canvas.factors}
        seen: dict[str, int] = {}
        for i, offering in enumerate(_list(raw, "offerings")):
            if type(offering) is not dict or type(offering.get("id")) is not str:
                continue
            self.local_unique(src, seen, offering["id"], ("offerings", i, "id"), "canvas")
            scores: dict[str, Decimal] = {}
            raw_scores = offering.get("scores")
            if type(raw_scores) is not dict:
                raw_scores = {}
            for value_id in raw_scores:
                amount = self.number(src, raw_scores, ("offerings", i, "scores", value_id),
                                     value_id)
                if value_id not in factor_ids:
                    self.report(src, ("offerings", i, "scores", value_id), "KK107",
                                "canvas.unknown_factor", subject=("canvas", canvas.id),
                                offering=offering["id"], value=value_id)
                elif amount is not None:
                    scores[value_id] = amount
            kind = _str(offering, "kind")
            canvas.offerings.append(m.Offering(offering["id"], i, _str(offering, "name"),
                                               offering.get("self") is True or kind == "self",
                                               scores))
        return canvas

    def make_reward_scheme(self, src: m.Source, raw: dict[str, Any]) -> m.RewardScheme:
        scheme = m.RewardScheme(raw["id"], src, name=_str(raw, "name"),
                                unit=self.ref(src, raw, "unit", ("team", "council")),
                                base=_str(raw, "base") or "net_profit",
                                split=_str(raw, "split") or "equal",
                                losses=_str(raw, "losses") or "carry_forward")
        share = self.money(src.file, (*src.path, "share"), raw.get("share"))
        if share is not None:
            scheme.share = share
        deposit = raw.get("deposit")
        if type(deposit) is dict:
            scheme.deposit_rate = self.money(src.file, (*src.path, "deposit", "rate"),
                                             deposit.get("rate"))
            release = deposit.get("release_after")
            scheme.deposit_release_after = release if type(release) is int else None
        return scheme

    def make_period(self, src: m.Source, raw: dict[str, Any]) -> m.Period:
        period = m.Period(raw["id"], src, name=_str(raw, "name"),
                          start=self.date(src, raw, "start"), end=self.date(src, raw, "end"),
                          net_profit=self.money(src.file, (*src.path, "net_profit"),
                                                raw.get("net_profit")))
        if period.start and period.end and period.start > period.end:
            self.report(src, ("start",), "KK106", "period.reversed",
                        subject=("period", period.id), start=period.start.isoformat(),
                        end=period.end.isoformat())
        teams = raw.get("teams")
        for team_id, figures in (teams.items() if type(teams) is dict else ()):
            if type(figures) is not dict:
                continue
            ref = m.Ref(team_id, TEAMS, src, ("teams", team_id))
            self.org.refs.append(ref)
            values = {}
            for key in ("income", "expenses", "virtual_revenue"):
                amount = self.money(src.file, (*src.path, "teams", team_id, key), figures.get(key))
                values[key] = amount if amount is not None else Decimal(0)
            period.teams[team_id] = m.TeamFigures(**values)
        period.payouts = self.amounts_by_scheme(src, raw, "payouts")
        period.paid = self.amounts_by_scheme(src, raw, "paid")
        return period

    def amounts_by_scheme(self, src: m.Source, raw: dict[str, Any],
                          key: str) -> dict[str, dict[str, Decimal]]:
        """``{scheme: {person: amount}}`` of a period's ``payouts`` or ``paid``."""
        out: dict[str, dict[str, Decimal]] = {}
        tables = raw.get(key)
        for scheme_id, amounts in (tables.items() if type(tables) is dict else ()):
            if type(amounts) is not dict:
                continue
            self.org.refs.append(m.Ref(scheme_id, ("reward_scheme",), src, (key, scheme_id)))
            table: dict[str, Decimal] = {}
            for person_id, amount in amounts.items():
                self.org.refs.append(m.Ref(person_id, PEOPLE, src, (key, scheme_id, person_id)))
                value = self.money(src.file, (*src.path, key, scheme_id, person_id), amount)
                if value is not None:
                    table[person_id] = value
            out[scheme_id] = table
        return out

    def make_hypothesis(self, src: m.Source, raw: dict[str, Any]) -> m.Hypothesis:
        return m.Hypothesis(raw["id"], src, hypothesis_type=self.word(raw, "type") or "",
                            text=_str(raw, "text") or "",
                            parent=self.ref(src, raw, "parent", ("hypothesis",)),
                            metrics=self.refs(src, raw, "metrics", ("metric",)),
                            status=self.word(raw, "status"), since=self.date(src, raw, "since"),
                            decided=self.date(src, raw, "decided"))

    def local_unique(self, src: m.Source, seen: dict[str, int], ident: str,
                     sub: tuple[Any, ...], scope: str) -> None:
        if ident in seen:
            first = src.position(*sub[:-2], seen[ident], "id")
            self.report(src, sub, "KK104", "id.duplicate_local", id=ident, scope=scope,
                        where=f"{first[1]}:{first[2]}")
        else:
            seen[ident] = sub[-2]


def _str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if type(value) is str else None


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key)
    return value if type(value) is list else []


def build(files: list[ParsedFile]) -> tuple[m.Organisation, list[Diagnostic]]:
    builder = Builder(files)
    org = builder.build()
    return org, builder.diagnostics

