"""Render the report: sandboxed Jinja2 templates, custom blocks kept, SVG assets, --check.

A user's template is untrusted code: besides the sandbox (no attributes beyond data, no
files outside its folder) its output, its time, its memory and the size of the numbers and
strings it computes are bounded, and every way it can fail becomes a :class:`TemplateProblem`
naming the template file and line.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import signal
import threading
import time
import typing as t
import unicodedata
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

REPORT_TEMPLATE = "report.md.j2"
CANVAS_TEMPLATE = "canvas.svg.j2"
_CUSTOM = re.compile(r"<!-- kkctl:custom:([A-Za-z0-9_-]+) -->\n(.*?)<!-- kkctl:end -->",
                     re.DOTALL)
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d",
           "#4b5563")

OUTPUT_LIMIT = 32 * 1024 * 1024  # characters: twice the shipped report of bench size L
NUMBER_BITS = 100_000  # larger integers take long to compute and cannot be printed anyway
TIMEOUT_SECONDS = 30.0  # the shipped report of bench size L renders in under 2 s
TIMEOUT_VARIABLE = "KKCTL_TEMPLATE_TIMEOUT"
MEMORY_HEADROOM = 512 * 1024 * 1024  # bytes of address space a render may add
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class TemplateProblem(Exception):
    """A template could not be rendered: a catalogue message, and where when known."""

    def __init__(self, message_id: str, args: dict[str, Any], file: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message_id)
        self.message_id, self.message_args = message_id, args
        self.file, self.line = file, line


class _Limit(Exception):
    """Raised inside a render when it passes a bound; becomes a :class:`TemplateProblem`."""

    def __init__(self, message_id: str, args: dict[str, Any]) -> None:
        super().__init__(message_id)
        self.message_id, self.message_args = message_id, args


class _ConfinedLoader(FileSystemLoader):
    """A user's template folder: nothing outside it can be read, symbolic links included."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = os.path.realpath(folder)

    def get_source(self, environment: Any, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not real.startswith(self.root + os.sep):
            raise TemplateNotFound(template)
        return source, filename, uptodate


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, plus operators that refuse to build huge numbers or strings: one
    ``{{ 10**10**10 }}`` or ``{{ "x" * 10**10 }}`` would otherwise compute for minutes or
    exhaust memory. Intercepted operators are also never folded at compile time."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


def _megabytes(size: int) -> str:
    return f"{size // 2**20} MB"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sized(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple))


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator in ("*", "**") and _is_int(left) and _is_int(right):
        bits = (_power_bits(left, right) if operator == "**"
                else left.bit_length() + right.bit_length())
        if bits > NUMBER_BITS:
            raise _Limit("template.number_too_large", {"operator": operator,
                                                       "bits": NUMBER_BITS})
    if _result_length(operator, left, right) > OUTPUT_LIMIT:
        raise _Limit("template.value_too_long", {"operator": operator,
                                                 "limit": _megabytes(OUTPUT_LIMIT)})


def _power_bits(base: int, exponent: int) -> float:
    """The size of ``base ** exponent`` in bits, estimated without computing it."""
    if exponent <= 0 or abs(base) <= 1:
        return 0.0
    return exponent * math.log2(abs(base))


def _result_length(operator: str, left: Any, right: Any) -> int:
    """How long a string or list the operator would build (0: not that kind of operation)."""
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if _sized(seq) and _is_int(count):
                return len(seq) * int(count)
    if operator == "+" and _sized(left) and _sized(right):
        return len(left) + len(right)
    if operator == "%" and isinstance(left, str):
        return _format_width(left, right)
    return 0


def _format_width(spec: str, args: Any) -> int:
    """The widest field a printf-style format asks for (``%0999999999d``); ``*`` takes it
    from the arguments."""
    values = args if isinstance(args, tuple) else (args,)
    from_args = max((abs(v) for v in values if _is_int(v)), default=0)
    widest = 0
    for match in _FORMAT_SPEC.finditer(spec):
        for part in match.groups():
            if part == "*":
                widest = max(widest, from_args)
            elif part:
                widest = max(widest, int(part))
    return widest


def environment(template_dir: Path | None, autoescape: bool = False) -> SandboxedEnvironment:
    loader: BaseLoader = PackageLoader("kkctl.templates", "report")
    if template_dir is not None:
        loader = ChoiceLoader([_ConfinedLoader(template_dir), loader])
    return _BoundedEnvironment(loader=loader, autoescape=autoescape, undefined=StrictUndefined,
                               keep_trailing_newline=True, trim_blocks=False)


def render_markdown(context: dict[str, Any], template_dir: Path | None) -> str:
    text = render_bounded(environment(template_dir), REPORT_TEMPLATE, context)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def render_canvas_svg(canvas: Any, template_dir: Path | None) -> str:
    from decimal import Decimal

    from kkctl import model as m

    low, high = float(canvas.scale_min), float(canvas.scale_max)
    factors = [{"name": (f.value.target.name if isinstance(f.value.target, m.Value)
                         else f.value.id), "key": f.key} for f in canvas.factors]
    curves = [{"name": o.name or o.id, "is_self": o.is_self,
               "color": PALETTE[i % len(PALETTE)],
               "scores": [float(o.scores.get(f.value.id, Decimal(low))) for f in canvas.factors]}
              for i, o in enumerate(canvas.offerings)]
    ticks = list(range(int(low), int(high) + 1)) if high - low <= 20 else [low, high]
    # The template draws key factors and the own offering bold: the layout sizes them so.
    layout = canvas_layout([(f["name"], f["key"]) for f in factors],
                           [(c["name"], c["is_self"]) for c in curves],
                           [_tick(t) for t in ticks])
    return render_bounded(environment(template_dir, autoescape=True), CANVAS_TEMPLATE, {
        "title": canvas.id, "factors": factors, "curves": curves, "ticks": ticks,
        "scale_min": low, "scale_max": high, **layout})


FONT_SIZE = 12
LABEL_ANGLE = 45  # degrees the factor names are turned (counter-clockwise, ending at the tick)
BOLD = 1.1  # bold glyphs run up to 10% wider than regular ones
# Advance widths in ems. The SVG names only `sans-serif`, so the reader's system picks the font;
# these are DejaVu Sans's (the widest one likely: many Linux desktops; Arial and Helvetica run
# 10-15% narrower), per class of character, rounded up from its averages as measured in
# Chromium: Cyrillic lower case 0.66, upper case 0.67-0.76, digits 0.64, Latin lower case 0.56.
_SPACE, _LATIN, _CYRILLIC, _UPPER, _WIDE = 0.35, 0.64, 0.7, 0.8, 1.0
_WIDE_CHARS = frozenset("mwMWжмшщыюфЖМШЩЫЮФ%@—…")


def char_width(char: str) -> float:
    """An estimate, in ems, of the advance of ``char`` in a wide sans-serif font."""
    if char.isspace():
        return _SPACE
    if char in _WIDE_CHARS or unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE
    if char.isupper():
        return _UPPER
    return _CYRILLIC if "\u0400" <= char <= "\u04ff" else _LATIN


def text_width(text: str, bold: bool = False, font_size: float = FONT_SIZE) -> float:
    """An estimate of the text's width in px: at least what a wide sans-serif font needs."""
    return sum(char_width(c) for c in text) * font_size * (BOLD if bold else 1.0)


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def canvas_layout(factors: list[tuple[str, bool]], curves: list[tuple[str, bool]],
                  ticks: list[str]) -> dict[str, float]:
    """The canvas SVG's size and margins, from its text (each ``(text, bold)``), so that no
    text leaves the viewBox.

    The factor names are turned by :data:`LABEL_ANGLE` and end at their tick: the left margin
    holds the part of each name that reaches left of the plot, the bottom margin the longest
    name's drop; the right margin holds the legend. Ticks are 80 px apart or more, so turned
    names (14 px high) stay 56 px apart across and never touch.
    """
    pad, gap = 8.0, 18.0  # gap: from the plot's bottom to the factor names' baseline
    n = len(factors)
    plot_w = max(360.0, 80.0 * (n - 1))
    step = plot_w / (n - 1 if n > 1 else 1)
    cos, sin = math.cos(math.radians(LABEL_ANGLE)), math.sin(math.radians(LABEL_ANGLE))
    left = max([text_width(t) + 8 + pad for t in ticks]
               + [text_width(*f) * cos + FONT_SIZE * sin - i * step + pad
                  for i, f in enumerate(factors)] + [48.0])
    bottom = gap + max([text_width(*f) * sin + FONT_SIZE * cos for f in factors]
                       + [0.0]) + pad
    right = 36 + max([text_width(*c) for c in curves] + [0.0]) + pad
    top = 24.0
    plot_h = max(256.0, 20.0 * len(curves))
    return {"width": round(left + plot_w + right, 1), "height": round(top + plot_h + bottom, 1),
            "left": round(left, 1), "right": round(right, 1), "top": top,
            "plot_w": plot_w, "plot_h": plot_h, "step": step, "gap": gap,
            "label_angle": LABEL_ANGLE, "font_size": FONT_SIZE}


def render_bounded(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name`` within the bounds, or raise :class:`TemplateProblem`."""
    seconds = _timeout()
    try:
        with _memory_cap(MEMORY_HEADROOM), _alarm(seconds):
            template = env.get_template(name)
            return _collect(template, context, time.monotonic() + seconds, seconds)
    except TemplateProblem:
        raise
    except Exception as err:  # anything a template does wrong is the template's error
        raise _problem(err) from err


def _collect(template: Template, context: dict[str, Any], deadline: float,
             seconds: float) -> str:
    """Stream the output, stopping it (inside the template, so the error names the line)
    past the size or the time limit."""
    chunks = t.cast(Generator[str, None, None], template.generate(**context))
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        parts.append(chunk)
        if size > OUTPUT_LIMIT:
            chunks.throw(_Limit("template.output_too_large", {"limit": _megabytes(OUTPUT_LIMIT)}))
        if time.monotonic() > deadline:
            chunks.throw(_too_slow(seconds))
    return "".join(parts)


def _too_slow(seconds: float) -> _Limit:
    return _Limit("template.too_slow", {"seconds": f"{seconds:g}",
                                        "variable": TIMEOUT_VARIABLE})


def _timeout() -> float:
    from kkctl.project import UsageError

    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 1e6:
        raise UsageError(f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds; set it to "
                         f"a positive number such as {TIMEOUT_SECONDS:g}, or unset it")
    return seconds


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt a render that runs too long even when it writes nothing (a loop with an
    empty body). Signals need the main thread and a Unix; elsewhere the streaming check in
    :func:`_collect` is the bound."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise _too_slow(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _memory_cap(headroom: int) -> Iterator[None]:
    """Cap the address space while rendering (Linux), so a filter that builds a huge string
    (``"x"|center(10**10)``) fails with MemoryError instead of exhausting the machine."""
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    used = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = None if used is None else used + headroom
    if cap is None or (soft != resource.RLIM_INFINITY and soft <= cap) \
            or (hard != resource.RLIM_INFINITY and hard <= cap):
        yield  # no /proc, or an existing limit is already tighter
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _problem(err: Exception) -> TemplateProblem:
    """What went wrong, in the catalogue's words, and the innermost template line."""
    file, line = _where(err)
    if isinstance(err, _Limit):
        return TemplateProblem(err.message_id, err.message_args, file, line)
    if isinstance(err, RecursionError):
        return TemplateProblem("template.recursion", {}, file, line)
    if isinstance(err, MemoryError):
        return TemplateProblem("template.memory", {"limit": _megabytes(MEMORY_HEADROOM)},
                               file, line)
    text = str(err.message if isinstance(err, TemplateSyntaxError) else err)
    return TemplateProblem("template.error", {"error": f"{type(err).__name__}: "
                                                        f"{text.rstrip('.')}"},
                           file, line)


def _where(err: Exception) -> tuple[str | None, int | None]:
    if isinstance(err, TemplateSyntaxError):
        return err.filename, err.lineno
    found: tuple[str | None, int | None] = (None, None)
    tb = err.__traceback__
    while tb is not None:  # jinja rewrites template frames: they hold __jinja_exception__
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def keep_custom_blocks(new: str, old: str | None) -> str:
    """Text between ``<!-- kkctl:custom:NAME -->`` and ``<!-- kkctl:end -->`` in the previous
    report replaces the same-named (empty) block of the new one; blocks the new report no
    longer has are kept at its end, so nothing written by hand is lost."""
    if not old:
        return new
    kept = {name: body for name, body in _CUSTOM.findall(old)}
    used: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in kept:
            used.add(name)
            return f"<!-- kkctl:custom:{name} -->\n{kept[name]}<!-- kkctl:end -->"
        return match.group(0)

    merged = _CUSTOM.sub(fill, new)
    orphans = [f"<!-- kkctl:custom:{n} -->\n{b}<!-- kkctl:end -->" for n, b in kept.items()
               if n not in used and b.strip()]
    if orphans:
        merged = merged.rstrip("\n") + "\n\n" + "\n".join(orphans) + "\n"
    return merged


def short_diff(old: str, new: str, name: str, limit: int = 40) -> str:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"{name} (committed)",
                                      f"{name} (now)", lineterm="", n=1))
    if len(lines) > limit:
        lines = [*lines[:limit], f"... {len(lines) - limit} more lines of difference"]
    return "\n".join(lines) + "\n"
