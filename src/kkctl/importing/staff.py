"""A staff table (штатное расписание / список сотрудников) from an HR or accounting system,
CSV or XLSX, with headers in Russian or English.

Each row is a person; the department column names their team, written as a path
(``Производство / Цех 1``) or with a parent-department column. The leader of a department is
the member its members most often name as manager (the head reports outside the department,
its staff report to the head); failing that, the most common manager of its members, or a
member whose role says head. People who left (дата увольнения) keep their membership, ended.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kkctl.importing.core import (
    SourcePerson,
    SourceTeam,
    Structure,
    Where,
    fail,
    looks_binary,
    read_input,
)
from kkctl.project import UsageError

# Guards on a workbook (a staff table of 100,000 people fits them all many times over).
MAX_ROWS = 500_000
MAX_COLUMNS = 256  # cells right of this are not read: no staff table has 256 columns
MAX_EMPTY_ROWS = 10_000  # this many empty rows in a row end the table
MAX_UNZIPPED = 200 * 1024 * 1024  # the declared size of all members of the .xlsx together
MAX_ZIP_MEMBERS = 10_000
MAX_TEAM_DEPTH = 64  # departments nested deeper are cut here (with a warning)

FIELDS = ("name", "id", "email", "department", "parent", "role", "manager", "from", "to")
REQUIRED = ("name", "department")
# Header spellings, compared lower-case with ё as е, dots, № and extra spaces dropped.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("фио", "сотрудник", "работник", "фамилия имя отчество", "name", "full name",
             "employee", "employee name", "person"),
    "id": ("табельный номер", "таб номер", "табельный", "таб", "id", "employee id",
           "personnel number", "staff id", "number"),
    "email": ("email", "e-mail", "эл почта", "электронная почта", "почта", "mail"),
    "department": ("подразделение", "отдел", "департамент", "структурное подразделение",
                   "department", "team", "unit", "division"),
    "parent": ("вышестоящее подразделение", "родительское подразделение", "входит в",
               "parent", "parent department", "parent team", "parent unit"),
    "role": ("должность", "роль", "role", "position", "title", "job title"),
    "manager": ("руководитель", "непосредственный руководитель", "начальник", "manager",
                "reports to", "supervisor", "line manager"),
    "from": ("дата приема", "принят", "дата начала", "from", "start date", "hire date",
             "hired", "start"),
    "to": ("дата увольнения", "уволен", "дата окончания", "to", "end date",
           "termination date", "left", "end"),
}
_HEAD_WORDS = re.compile(r"начальник|руководител|директор|заведующ|\bhead\b|\blead|"
                         r"\bchief\b|\bdirector\b|\bmanager\b", re.IGNORECASE)
_PATH_SEP = re.compile(r"\s*(?:/|\\|>|→)\s*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def normal_header(text: str) -> str:
    text = text.replace("\ufeff", "").lower().replace("ё", "е").replace("№", " ")
    text = re.sub(r"[.:_*]", " ", text)
    return " ".join(text.split())


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "").strip()


@dataclass
class Table:
    shown: str
    headers: dict[str, int]  # field -> column index
    rows: list[Row] = field(default_factory=list)
    russian: bool = False


def read(path: Path, shown: str, overrides: dict[str, str]) -> Structure:
    """The staff table at ``path`` as a structure (a :class:`UsageError` for bad input)."""
    data = read_input(path, shown)
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        raw_rows = _xlsx_rows(path, data, shown)
    else:
        if looks_binary(data):
            raise fail("import.binary", shown)
        raw_rows = _csv_rows(data, shown)
    table = _table(raw_rows, shown, overrides)
    return build(table, shown, path.stem)


# --- reading the cells ------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else cp1251: what Excel and 1C save in Russia."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _csv_rows(data: bytes, shown: str) -> Iterator[tuple[int, list[str]]]:
    text = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as err:
        raise fail("import.csv_broken", Where(shown, reader.line_num), problem=str(err)) from err


def _xlsx_rows(path: Path, data: bytes, shown: str) -> Iterator[tuple[int, list[str]]]:
    try:
        # only for .xlsx: a CSV import never loads it
        from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
    except ImportError as err:  # pragma: no cover - a runtime dependency
        raise fail("import.no_openpyxl", shown) from err
    _check_unzipped_sizes(data, shown)
    rows: list[tuple[int, list[str]]] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # the declared dimension (A1:XFD1048576 in 5 KB) would make openpyxl pad every row
            # to 16,384 cells and yield a million rows: the cells present are what counts
            sheet.reset_dimensions()
            empty = 0
            for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS,
                                                            values_only=True), start=1):
                cells = ["" if v is None else _cell(v) for v in values]  # most are None
                empty = 0 if any(c.strip() for c in cells) else empty + 1
                if empty > MAX_EMPTY_ROWS:
                    break  # the table has ended; a stray cell a million rows down is no row
                if number > MAX_ROWS:
                    raise fail("import.xlsx_too_big", shown, limit=MAX_ROWS)
                rows.append((number, cells))
        finally:
            book.close()
    except UsageError:
        raise
    except Exception as err:  # openpyxl raises many kinds, while loading or reading the rows
        raise fail("import.bad_xlsx", shown, problem=type(err).__name__) from err
    yield from rows


def _check_unzipped_sizes(data: bytes, shown: str) -> None:
    """A workbook is a zip: its members' declared sizes (which Python's zipfile never reads
    past) are checked before openpyxl inflates any, so a 50 KB zip bomb is refused at once."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise fail("import.bad_xlsx", shown, problem=type(err).__name__) from err
    total = sum(m.file_size for m in members)
    if len(members) > MAX_ZIP_MEMBERS or total > MAX_UNZIPPED:
        raise fail("import.xlsx_unzipped", shown, size=total, limit=MAX_UNZIPPED)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a table number typed as a number: 1024, not 1024.0
    return str(value)


def _table(raw: Iterator[tuple[int, list[str]]], shown: str, overrides: dict[str, str]) -> Table:
    header: tuple[int, list[str]] | None = None
    for line, cells in raw:
        if any(c.strip() for c in cells):
            header = (line, cells)
            break
    if header is None:
        raise fail("import.empty", shown)
    line, cells = header
    columns = _columns(cells, overrides)
    if not columns:
        raise fail("import.no_header", Where(shown, line), first=", ".join(
            c.strip() for c in cells[:6] if c.strip())[:200])
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise fail("import.missing_column", Where(shown, line), column=missing[0],
                   spellings=", ".join(ALIASES[missing[0]][:4]))
    table = Table(shown, columns, russian=any(_CYRILLIC.search(c) for c in cells))
    for number, values in raw:
        if any(v.strip() for v in values):
            table.rows.append(Row(number, {f: values[i] if i < len(values) else ""
                                           for f, i in columns.items()}))
    return table


def _columns(cells: list[str], overrides: dict[str, str]) -> dict[str, int]:
    """Which column holds each field: ``--column FIELD=HEADER`` first, then known headers."""
    headers = [normal_header(c) for c in cells]
    found: dict[str, int] = {}
    for name, header in overrides.items():
        if normal_header(header) in headers:
            found[name] = headers.index(normal_header(header))
    for name in FIELDS:
        if name in found:
            continue
        for i, header in enumerate(headers):
            if header in ALIASES[name] and i not in found.values():
                found[name] = i
                break
    return found if "name" in found or len(found) >= 2 else {}


# --- from rows to a structure -------------------------------------------------------------------

def build(table: Table, shown: str, stem: str) -> Structure:
    out = Structure("staff", shown, stem, lang="ru" if table.russian else "en")
    people = [_person(row, table, out) for row in table.rows]
    out.people = _unique([p for p in people if p is not None], out)
    resolve = _resolver(out.people)
    managers = _managers(table, out, resolve)
    _check_cycles(managers, out)
    rows_by_key = dict(zip((p.key for p in out.people), _rows_of(out.people, table),
                           strict=True))
    paths = _department_paths(table, out)
    _teams(out, paths, managers, rows_by_key)
    return out


def _rows_of(people: list[SourcePerson], table: Table) -> list[Row]:
    by_line = {row.line: row for row in table.rows}
    return [by_line[p.where.line] for p in people]


def _person(row: Row, table: Table, out: Structure) -> SourcePerson | None:
    where = Where(table.shown, row.line)
    name = " ".join(row.get("name").split())
    if not name:
        out.warn(where, "import.row_no_name")
        return None
    staff_id, email = row.get("id") or None, row.get("email") or None
    key = (staff_id or email or name).casefold()
    words = name.split()
    hint = " ".join(words[:2]) if len(words) >= 3 else name  # Иванов Иван, not the patronymic
    return SourcePerson(key, name, where, email=email, staff_id=staff_id, hint=hint,
                        start=_date(row.get("from"), where, out),
                        end=_date(row.get("to"), where, out))


def _unique(people: list[SourcePerson], out: Structure) -> list[SourcePerson]:
    seen: dict[str, SourcePerson] = {}
    suffix: dict[str, int] = {}
    for person in people:
        if person.key in seen and (person.staff_id or person.email):
            out.warn(person.where, "import.duplicate_person", name=person.name,
                     first=str(seen[person.key].where))
            continue
        base, n = person.key, suffix.get(person.key, 1)
        while person.key in seen:  # namesakes in a table without numbers: two people
            n += 1
            person.key = f"{base}#{n}"
        suffix[base] = n  # the next namesake starts here, not at #2 again
        seen[person.key] = person
    return list(seen.values())


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y.%m.%d")


def _date(text: str, where: Where, out: Structure) -> dt.date | None:
    text = text.strip().split(" ")[0].split("T")[0]
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    out.warn(where, "import.bad_date", text=text)
    return None


def _resolver(people: list[SourcePerson]) -> dict[str, str]:
    """A manager cell may hold a table number, an e-mail or a name: each leads to a key."""
    names = Counter(p.name.casefold() for p in people)
    short = Counter(" ".join(p.name.split()[:2]).casefold() for p in people
                    if len(p.name.split()) >= 3)
    index: dict[str, str] = {}
    for person in people:
        if names[person.name.casefold()] == 1:
            index[person.name.casefold()] = person.key
            brief = " ".join(person.name.split()[:2]).casefold()
            if short.get(brief) == 1 and names[brief] == 0:  # «Иванов Иван», if only one
                index[brief] = person.key
        for other in (person.email, person.staff_id):
            if other:
                index[other.casefold()] = person.key
    return index


def _managers(table: Table, out: Structure, resolve: dict[str, str]) -> dict[str, str]:
    """Person key -> their manager's key, for the managers found in the table."""
    if "manager" not in table.headers:
        return {}
    found: dict[str, str] = {}
    for person, row in zip(out.people, _rows_of(out.people, table), strict=True):
        cell = " ".join(row.get("manager").split())
        if not cell:
            continue
        manager = resolve.get(cell.casefold())
        if manager is None:
            out.warn(person.where, "import.unknown_manager", manager=cell, name=person.name)
        elif manager != person.key:
            found[person.key] = manager
    return found


def _check_cycles(managers: dict[str, str], out: Structure) -> None:
    """People managing each other in a circle cannot be made into a hierarchy: an error."""
    where = {p.key: p.where for p in out.people}
    names = {p.key: p.name for p in out.people}
    done: set[str] = set()
    for start in managers:
        path: list[str] = []
        on_path: set[str] = set()  # the chain as a set: a long chain is not quadratic
        at: str | None = start
        while at is not None and at not in done:
            if at in on_path:
                loop = path[path.index(at):]
                raise fail("import.manager_cycle", where[loop[0]], names=" → ".join(
                    f"{names[k]} ({where[k].line})" for k in [*loop, loop[0]]))
            path.append(at)
            on_path.add(at)
            at = managers.get(at)
        done.update(path)


def _department_paths(table: Table, out: Structure) -> dict[str, tuple[str, ...]]:
    """Person key -> their department's path (``('Производство', 'Цех 1')``): written as a
    path, or a name and its parent's name (resolved up through the parent's own rows)."""
    rows = _rows_of(out.people, table)
    own = {p.key: tuple(s for s in _PATH_SEP.split(row.get("department")) if s)
           for p, row in zip(out.people, rows, strict=True)}
    if "parent" not in table.headers:
        return own
    known = {d[-1] for d in own.values() if d}
    parent_of: dict[str, tuple[str, Where]] = {}
    for person, row in zip(out.people, rows, strict=True):
        dept, parent = own[person.key], row.get("parent")
        if len(dept) == 1 and parent:
            parent_of.setdefault(dept[0], (parent, person.where))
    full: dict[str, tuple[str, ...]] = {}
    too_deep: list[str] = []  # warned once: a chain of 3,000 would say it 3,000 times

    def path_of(name: str, seen: tuple[str, ...]) -> tuple[str, ...]:
        """The department's path, walked up iteratively (a chain of 3,000 parents neither
        recurses nor rebuilds 3,000 tuples per step). Below MAX_TEAM_DEPTH a department
        joins the one at that depth (said once)."""
        chain: list[str] = []  # from ``name`` upwards, none of them known yet
        on_chain: set[str] = set(seen)
        at: str | None = name
        while at is not None and at not in full:
            chain.append(at)
            on_chain.add(at)
            parent = parent_of.get(at)
            up = parent[0] if parent is not None and parent[0] in known else None
            if parent is not None and parent[0] in on_chain:
                out.warn(parent[1], "import.parent_cycle", team=at)
                up = None
            at = up
        above = full[at] if at is not None else ()
        for step in reversed(chain):
            if len(above) < MAX_TEAM_DEPTH:
                above = (*above, step)
            elif not too_deep:
                too_deep.append(step)
                out.warn(parent_of[step][1], "import.too_deep", team=step,
                         limit=MAX_TEAM_DEPTH)
            full[step] = above
        return full[name]

    paths: dict[str, tuple[str, ...]] = {}
    warned: set[str] = set()
    for person, row in zip(out.people, rows, strict=True):
        dept, parent = own[person.key], row.get("parent")
        if len(dept) != 1:
            paths[person.key] = dept
        elif parent and parent in known and parent != dept[0]:
            paths[person.key] = (*path_of(parent, (dept[0],)), dept[0])
        else:
            if parent and parent not in known and parent not in warned:
                warned.add(parent)
                out.warn(person.where, "import.unknown_parent_dept", team=dept[0],
                         parent=parent)
            paths[person.key] = (dept[0],) if parent else path_of(dept[0], ())
    return paths


def _teams(out: Structure, paths: dict[str, tuple[str, ...]], managers: dict[str, str],
           rows: dict[str, Row]) -> None:
    members: dict[tuple[str, ...], list[str]] = {}
    where: dict[tuple[str, ...], Where] = {}
    for person in out.people:
        path = paths[person.key]
        if not path:
            out.warn(person.where, "import.no_department", name=person.name)
            continue
        if len(path) > MAX_TEAM_DEPTH:
            out.warn(person.where, "import.too_deep", team=path[-1], limit=MAX_TEAM_DEPTH)
            path = path[:MAX_TEAM_DEPTH]
        if path not in members:  # a path seen before has all its departments above it too
            for depth in range(1, len(path) + 1):
                where.setdefault(path[:depth], person.where)
                members.setdefault(path[:depth], [])
        members[path].append(person.key)
    people = {p.key: p for p in out.people}
    order = {path: i for i, path in enumerate(members)}
    for path in sorted(members, key=lambda p: (len(p), order[p])):
        team = SourceTeam(" / ".join(path), path[-1], where[path],
                          parent=" / ".join(path[:-1]) or None, members=members[path],
                          hint=path[-1])
        team.leader = _leader(team, managers, people, rows, out)
        out.teams.append(team)
    _lead_empty(out, managers)


def _leader(team: SourceTeam, managers: dict[str, str], people: dict[str, SourcePerson],
            rows: dict[str, Row], out: Structure) -> str | None:
    """The department head: the one member nobody in the department manages; else the
    member its staff name as manager most often; else the one head they all report to
    elsewhere (who joins); else a member whose role says head; else the first member."""
    current = [k for k in team.members if people[k].end is None] or team.members
    if not current:
        return None
    inside = set(team.members)
    tops = [k for k in current if managers.get(k) not in inside]
    if len(tops) == 1:  # the one nobody here manages: the head, whoever they report to
        return tops[0]
    named = Counter(managers[k] for k in current if k in managers)
    heads = [k for k, _ in named.most_common() if k in inside]
    if heads:
        return heads[0]
    if named and len(named) == 1 and len(current) > 1:
        # all report to one head who sits elsewhere (in the parent department): they lead
        # this one too, and join it
        head = next(iter(named))
        team.members.append(head)
        return head
    by_role = [k for k in current if _HEAD_WORDS.search(rows[k].get("role"))]
    if by_role:
        return by_role[0]
    if len(current) > 1:
        out.warn(team.where, "import.leader_guessed", team=team.name,
                 leader=people[current[0]].name)
    return current[0]


def _lead_empty(out: Structure, managers: dict[str, str]) -> None:
    """A department with nobody of its own (``Производство`` above its shops) is led by the
    one its sub-departments' leaders report to, else by its first sub-department's leader."""
    below: dict[str, list[SourceTeam]] = {}
    for team in out.teams:
        if team.parent is not None:
            below.setdefault(team.parent, []).append(team)
    for team in reversed(out.teams):  # children before parents: deepest first
        if team.leader is not None:
            continue
        children = [t for t in below.get(team.key, []) if t.leader]
        bosses = Counter(managers[t.leader] for t in children if t.leader in managers)
        team.leader = bosses.most_common(1)[0][0] if bosses else \
            (children[0].leader if children else None)
        if team.leader is not None:
            team.members.append(team.leader)
