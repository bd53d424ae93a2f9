"""Russian first: every command on the Russian example, and on a broken copy of it, answers
in Russian. Any Latin word in the output fails the test unless it is an id, a code, a file
path, a unit, a format or a name that is Latin in Russian text too (the allow-list below)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, node_paths
from kkctl.i18n import plural_form
from kkctl.messages import MESSAGES, render

EXAMPLE = EXAMPLES / "poleznaya-eda"
# Latin words a Russian text keeps: names of tools, formats, units and the methodology's
# own Latin terms.
ALLOWED = {"kkctl", "yaml", "json", "csv", "git", "mermaid", "nps", "markdown", "sarif",
           "junit", "github", "head", "base", "id", "ids", "utf", "bom", "url", "svg", "errc",
           "lint", "debug", "lang", "out", "check", "format", "all", "period", "scheme",
           "verify", "stage", "strict", "baseline", "write", "include", "payouts", "assets",
           "template", "max", "file", "size", "paths", "no", "cache", "exclude", "list",
           "rules", "profile", "select", "ignore", "minimal", "recommended", "rub", "eur",
           "usd", "pdf", "xlsx", "api", "ok", "q", "x", "beyond", "taylor", "kpi", "cldr",
           "tab", "chmod", "w", "u", "e", "g", "p", "s", "k", "m", "n", "d", "c", "b", "a", "t",
           "r", "f", "h", "i", "l", "o", "v", "y", "z", "kk", "ru", "en"}
TOKEN = re.compile(r"[A-Za-z][A-Za-z]*")
# Quoted values, code spans, paths, options, ids and codes are not words of a sentence.
NOT_WORDS = re.compile(r"``[^`\n]*``|'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|«[^»\n]*»"
                       r"|\S*[/\\\\]\S*|--?[\w-]+"
                       r"|\bKK\d+\b|https?://\S+|\b[\w.-]+\.(?:ya?ml|json|md|svg|csv)\b"
                       r"|\b\w+(?:[-_.]\w+)+\b|\$\{[^}]*\}|<!--.*?-->|</?\w+>|\]\([^)]*\)"
                       r"|\b[IVX]+\b")  # roman numerals: «IV квартал»


def _ids(root: Path) -> set[str]:
    """Every scalar of the organisation's YAML that looks like an id or a key."""
    from ruamel.yaml import YAML

    found: set[str] = set()
    for path in root.rglob("*.yaml"):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for route in node_paths(data):
            found.update(str(part) for part in route if isinstance(part, str))
            node = data
            for part in route:
                node = node[part]
            if isinstance(node, str) and re.fullmatch(r"[\w.-]+", node):
                found.add(node)
    return found


FENCED = re.compile(r"```.*?```", re.DOTALL)  # Mermaid and YAML blocks: code, not prose


def latin_words(text: str, allowed: set[str]) -> list[str]:
    cleaned = NOT_WORDS.sub(" ", FENCED.sub(" ", text))
    return sorted({w for w in TOKEN.findall(cleaned)
                   if w.lower() not in ALLOWED and w not in allowed})


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(EXAMPLE, target)
    teams = target / "org" / "teams" / "kuhnya.yaml"
    text = teams.read_text(encoding="utf-8")
    text = text.replace("leader:", "leader: nikto  #", 1)  # a reference to nobody
    teams.write_text(text, encoding="utf-8")
    people = target / "org" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "  - {id: bad, name: [}\n",
                      encoding="utf-8")  # YAML that does not parse
    finance = target / "finance" / "2026.yaml"
    finance.write_text(finance.read_text(encoding="utf-8").replace("2026-03-31", "2026-02-30",
                                                                  1), encoding="utf-8")
    (target / "org" / "extra.yaml").write_text("komandy: []\nteams:\n  - {id: x, nam: X}\n",
                                               encoding="utf-8")  # unknown collection, field
    return target


COMMANDS = [
    ["validate"], ["lint"], ["lint", "--profile", "strict"],
    ["bonus"], ["bonus", "--all"], ["bonus", "-f", "markdown"], ["bonus", "-f", "csv"],
    ["bonus", "-f", "json"], ["bonus", "--verify"],
    ["report"], ["fmt", "--check"],
]


def _human(args: list[str], out: str) -> str:
    """The text a person reads: for JSON, only its messages."""
    if "json" in args:
        try:
            data = json.loads(out)
        except json.JSONDecodeError:  # a run that refused prints its problems as text
            return out
        return "\n".join(str(d.get("message", "")) for d in data.get("diagnostics", []))
    return out


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("broken", [False, True], ids=["example", "broken"])
def test_every_command_answers_in_russian(kkctl, tmp_path: Path, args: list[str],
                                          broken: bool) -> None:
    project = _broken_copy(tmp_path) if broken else EXAMPLE
    allowed = _ids(EXAMPLE) | {"nikto", "nam"}  # the broken copy's own ids
    run = kkctl(*args, str(project), env={"KKCTL_LANG": ""}, cwd=tmp_path)
    assert run.code in (0, 1), run.err
    words = latin_words(_human(args, run.out) + "\n" + run.err, allowed)
    assert words == [], f"English in `kkctl {' '.join(args)}`: {words}"


@pytest.mark.parametrize("rule", ["promise-loop", "KK219", "need-wording"])
def test_explain_answers_in_russian(kkctl, rule: str) -> None:
    run = kkctl("explain", rule, "--lang", "ru")
    assert run.code == 0
    # examples are YAML, kept as they are; the prose around them must be Russian
    prose = re.sub(r"(?m)^    .*$", "", run.out)
    assert latin_words(prose, set()) == []


def test_init_answers_in_russian(kkctl, tmp_path: Path) -> None:
    run = kkctl("init", str(tmp_path / "co"), "--lang", "ru")
    assert run.code == 0
    assert latin_words(run.out + run.err, set()) == []


def test_diff_answers_in_russian(kkctl, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=repo, check=True)
    people = repo / "org" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "  - {id: kira, name: Кира}\n",
                      encoding="utf-8")
    allowed = _ids(EXAMPLE) | {"kira"}
    for fmt in ("text", "markdown", "json"):
        run = kkctl("diff", str(repo), "-f", fmt, env={"KKCTL_LANG": ""}, cwd=repo)
        assert run.code == 0, run.err
        human = run.out if fmt != "json" else "\n".join(
            d["message"] for d in json.loads(run.out)["lint"]["introduced"])
        assert latin_words(human + run.err, allowed) == [], fmt


# CLDR's categories of these counts in Russian: 1, 21 one; 2, 22 few; 0, 5, 11 many.
RUSSIAN = {0: 2, 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1}
ENGLISH = {0: 1, 1: 0, 2: 1, 5: 1, 11: 1, 21: 1, 22: 1}
PLURAL = re.compile(r"\{(\w+)#([^{}]*)\}")


@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_every_message_renders_in_both_languages(message_id: str) -> None:
    """Every message, with every count, in both languages: word forms as CLDR says."""
    for lang in ("en", "ru"):
        template = MESSAGES[message_id][lang]
        names = set(re.findall(r"\{(\w+)", template))
        for count, form in (RUSSIAN if lang == "ru" else ENGLISH).items():
            args: dict[str, object] = {name: count for name in names}
            text = render(message_id, lang, args)
            assert not re.search(r"\{\w+(#[^{}]*)?\}", text), (message_id, lang, text)
            for match in PLURAL.finditer(template):
                expected = match.group(2).split("|")[form]
                assert expected in text, (message_id, lang, count, text)


def test_plural_forms_follow_cldr() -> None:
    forms = ("файл", "файла", "файлов")
    assert [plural_form(n, forms, "ru") for n in RUSSIAN] == [forms[i] for i in RUSSIAN.values()]
    assert [plural_form(n, ("file", "files"), "en") for n in ENGLISH] == \
        [("file", "files")[i] for i in ENGLISH.values()]
