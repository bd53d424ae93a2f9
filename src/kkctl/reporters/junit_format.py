"""JUnit XML: one test case per file read; a file with errors is a failing case with one
``<failure>`` that holds every problem of the file, other problems go to ``<system-out>``.

A case per file keeps the number of tests the number of files, so a CI test viewer's history
compares like with like from run to run, and ``failures`` counts failing cases, as every
viewer expects (never more failures than tests).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kkctl.diagnostics import Diagnostic, Severity
from kkctl.markup import visible
from kkctl.reporters import Report, severity_word, slug
from kkctl.reporters.text_format import count


def render(report: Report) -> str:
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in report.files}
    for d in report.diagnostics:
        by_file.setdefault(d.file, []).append(d)
    failing = sum(1 for found in by_file.values() if _errors(found))
    counts = {"tests": str(len(by_file)), "failures": str(failing), "errors": "0",
              "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "kkctl", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": f"kkctl {report.command}", **counts})
    for file, found in by_file.items():
        # XML 1.0 cannot hold most control characters at all: every user string is shown
        # escaped (``visible``), or the document would not parse
        case = ET.SubElement(suite, "testcase", classname=f"kkctl.{report.command}",
                             name=visible(file))
        if not found:
            continue
        text = "\n".join(_line(d, report.lang) for d in found) + "\n"
        errors = _errors(found)
        if errors:
            codes = list(dict.fromkeys(d.code for d in errors))
            failure = ET.SubElement(case, "failure", message=_headline(errors, report.lang),
                                    type=" ".join(codes))
            failure.text = text
        else:  # warnings and notes do not fail the file, but a reader still sees them
            ET.SubElement(case, "system-out").text = text
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _errors(found: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.severity is Severity.ERROR]


def _headline(errors: list[Diagnostic], lang: str) -> str:
    """What a viewer shows first: the error itself, or how many there are and of what."""
    if len(errors) == 1:
        d = errors[0]
        return f"{d.code} {slug(d.code)}: {visible(d.message(lang))}"
    codes = ", ".join(dict.fromkeys(f"{d.code} {slug(d.code)}" for d in errors))
    return f"{count('error', len(errors), lang)}: {codes}"


def _line(d: Diagnostic, lang: str) -> str:
    return (f"{visible(d.file)}:{d.line}:{d.column}: {severity_word(d.severity.value, lang)} "
            f"{d.code} "
            f"{slug(d.code)}: {visible(d.message(lang))}")
