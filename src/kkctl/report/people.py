"""People and council: memberships that start or end around the meeting, and what the
methodology's rules say about the council's composition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kkctl import model as m
from kkctl.diagnostics import Diagnostic
from kkctl.i18n import date
from kkctl.report.words import MAX_ROWS, more_rows, name, ref_name, t


def window(org: m.Organisation, period: m.Period | None, today: dt.date
           ) -> tuple[dt.date, dt.date]:
    """The chosen period and the next one: a meeting prepares both. The next period is the one
    recorded after the chosen one, else one as long (in whole months when the chosen period
    is whole months: a quarter is followed by a quarter). Without periods, 91 days from
    ``today``."""
    if period is None or period.start is None or period.end is None:
        return today, today + dt.timedelta(days=91)
    later = sorted((p for p in org.periods if p.start is not None and p.end is not None
                    and p.start > period.end), key=lambda p: p.start)  # type: ignore
    if later and later[0].end is not None:
        return period.start, later[0].end
    return period.start, _next_end(period.start, period.end)


def _next_end(start: dt.date, end: dt.date) -> dt.date:
    """The last day of a period as long as ``start``–``end`` that follows it."""
    after = end + dt.timedelta(days=1)
    if start.day != 1 or after.day != 1:
        return end + (end - start) + dt.timedelta(days=1)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    index = after.year * 12 + after.month - 1 + months  # the first month after the next period
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def changes(org: m.Organisation, start: dt.date, end: dt.date
            ) -> list[tuple[dt.date, m.Member, m.Team | m.Council, str]]:
    """``(date, member, team or council, "joins" | "leaves")`` within the window, by date."""
    found = []
    groups: list[m.Team | m.Council] = [*org.teams, *org.councils]
    for group in groups:
        for member in group.members:
            if member.start is not None and start <= member.start <= end:
                found.append((member.start, member, group, "joins"))
            if member.end is not None and start <= member.end <= end:
                found.append((member.end, member, group, "leaves"))
    found.sort(key=lambda item: item[0])
    return found


def section(org: m.Organisation, period: m.Period | None, findings: list[Diagnostic],
            lang: str, today: dt.date, pages_link: str | None,
            limit: int | None = MAX_ROWS) -> dict[str, Any]:
    start, end = window(org, period, today)
    moves = changes(org, start, end)
    rows = [{"person": ref_name(member.person), "where": name(group),
             "change": t(lang, kind, date=date(when, lang))}
            for when, member, group, kind in moves[:limit]]
    bounds = {"start": date(start, lang), "end": date(end, lang)}
    council_findings = [d for d in findings if d.code in council_codes()]
    return {
        "title": t(lang, "people_title"),
        "intro": t(lang, "people_window" if rows else "people_none", **bounds),
        "head": [t(lang, k) for k in ("col_person_name", "col_where", "col_change")],
        "rows": rows, "more": more_rows(lang, len(moves) - len(rows), pages_link),
        "council_title": t(lang, "council_problems"),
        "councils": [_council_size(c, period.end if period and period.end else today, lang)
                     for c in org.councils],
        "council_findings": [f"`{d.code}` {_message(d, lang)}" for d in council_findings],
        "council_note": (t(lang, "no_council") if not org.councils else
                         None if council_findings else t(lang, "council_ok")),
    }


def _council_size(council: m.Council, day: dt.date, lang: str) -> str:
    """``Council: 6 members, 4 teams represented`` on ``day`` (the end of the chosen period):
    a member who leaves and the one who replaces them are not counted twice."""
    members = [mb for mb in council.members if (mb.start is None or mb.start <= day)
               and (mb.end is None or mb.end >= day)]
    return t(lang, "council_size", name=name(council), count=len(members),
             teams=len({r.id for mb in members for r in mb.represents}))


def council_codes() -> set[str]:
    """The codes of the rules about councils (``council-composition``, ``council-reward``...)."""
    from kkctl.lint.registry import all_rules

    return {rule.code for rule in all_rules() if rule.slug.startswith("council-")}


def _message(diagnostic: Diagnostic, lang: str) -> str:
    from kkctl.markup import md_text

    return md_text(diagnostic.message(lang))
