"""Diagnostic reporters: one module per output format, shared by every command."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from kkctl.diagnostics import Diagnostic, Summary

FORMATS = ("text", "json", "github", "sarif", "junit")


@dataclass
class Report:
    command: str  # "validate", "lint", ...
    diagnostics: list[Diagnostic]
    summary: Summary
    files: list[str]  # every file read, for formats that list passing files too
    lang: str = "en"
    color: bool = False


def render(fmt: str, report: Report) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"kkctl.reporters.{fmt}_format")
    text: str = module.render(report)
    return text
