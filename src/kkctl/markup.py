"""User text made inert for every place kkctl writes it: Markdown, terminals, XML, JSON.

Names, promise texts, file names and the like come from the organisation's files, so whoever
can edit them could otherwise forge a Markdown table row, plant a link or HTML, or reorder
what a reviewer's terminal shows (ANSI escapes, bidirectional overrides). Every writer
escapes user text with the functions here and nowhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that change how the rest is displayed instead of being displayed: C0 and C1
# controls (ESC among them), zero-width and joiner marks, bidirectional marks, embeddings,
# overrides and isolates, line/paragraph separators, the byte order mark; and what XML or UTF-8
# cannot carry (lone surrogates from undecodable file names, U+FFFE, U+FFFF).
INVISIBLE = (r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e"
             r"\u2060-\u2069\ud800-\udfff\ufeff\ufffe\uffff")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_INVISIBLE_OR_BREAK = re.compile(f"[{INVISIBLE}\t\n\r]")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!~$])")  # $: GitHub's math
_MD_LEADING = re.compile(r"^([-+=]|\d+[.)])")  # a list item or a setext underline
# Any scheme a renderer would turn into a link (GitHub autolinks bare URLs): its colon is
# written as an entity, which shows the same but breaks the link.
_SCRIPT_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*):(?=//|[a-z0-9%])", re.IGNORECASE)
# Bare "www." links and @mentions (a name like "@acme/security" would notify a team).
_AUTOLINK = re.compile(r"\b(www)\.|@(?=[A-Za-z0-9])", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")


def visible(text: object) -> str:
    """Display-changing characters shown as ``\\u001b`` instead of obeyed (terminals, XML)."""
    return _INVISIBLE_OR_BREAK.sub(_codepoint, str(text))


def visible_lines(text: object) -> str:
    """As :func:`visible`, but line breaks and tabs stay (a multi-line message)."""
    return _INVISIBLE.sub(_codepoint, str(text))


def _codepoint(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def _flat(text: object) -> str:
    """One line: display-changing characters dropped, any run of whitespace one space."""
    return " ".join(_INVISIBLE.sub("", str(text)).split())


def md_text(text: object) -> str:
    """A user string as literal Markdown inline text, safe in a table cell and in HTML.

    No row, heading, list item, emphasis, link, image, HTML tag or entity can come out of it.
    """
    return _md_text(text) if type(text) is str else _md_text(str(text))


@lru_cache(maxsize=65536)  # names recur: a team's name in every row about the team
def _md_text(text: str) -> str:
    value = _flat(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = _SCRIPT_SCHEME.sub(r"\1&#58;", value)
    value = _AUTOLINK.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else "&#64;", value)
    return _MD_LEADING.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], value)


def md_code(text: object) -> str:
    """A user string as a Markdown code span (ids, revisions): literal whatever it holds."""
    value = _flat(text).replace("|", "\\|")  # GFM splits table cells before code spans
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def json_safe(document: str) -> str:
    """A JSON document whose strings show, not carry, display-changing characters.

    ``json.dumps(ensure_ascii=False)`` escapes C0 controls but writes bidirectional overrides
    and C1 controls as they are; ``\\uXXXX`` escapes decode to the same strings.
    """
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def github_data(text: str) -> str:
    """A GitHub workflow command's message: visible controls, then its own encoding."""
    value = visible_lines(text)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command property value (``file=``, ``title=``): ``:`` and ``,`` end it."""
    return github_data(visible(text)).replace(":", "%3A").replace(",", "%2C")
