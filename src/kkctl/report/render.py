"""Render the report: sandboxed Jinja2 templates, custom blocks kept, SVG assets, --check."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, PackageLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

REPORT_TEMPLATE = "report.md.j2"
CANVAS_TEMPLATE = "canvas.svg.j2"
_CUSTOM = re.compile(r"<!-- kkctl:custom:([A-Za-z0-9_-]+) -->\n(.*?)<!-- kkctl:end -->",
                     re.DOTALL)
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d",
           "#4b5563")


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


def environment(template_dir: Path | None, autoescape: bool = False) -> SandboxedEnvironment:
    loader: BaseLoader
    if template_dir is not None:
        from jinja2 import ChoiceLoader

        loader = ChoiceLoader([_ConfinedLoader(template_dir),
                               PackageLoader("kkctl", "templates/report")])
    else:
        loader = PackageLoader("kkctl", "templates/report")
    return SandboxedEnvironment(loader=loader, autoescape=autoescape, undefined=StrictUndefined,
                                keep_trailing_newline=True, trim_blocks=False)


def render_markdown(context: dict[str, Any], template_dir: Path | None) -> str:
    text = environment(template_dir).get_template(REPORT_TEMPLATE).render(**context)
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
    env = environment(template_dir, autoescape=True)
    return env.get_template(CANVAS_TEMPLATE).render(
        title=canvas.id, factors=factors, curves=curves, ticks=ticks, scale_min=low,
        scale_max=high)


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
