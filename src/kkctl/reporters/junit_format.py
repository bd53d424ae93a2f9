"""JUnit XML: one test case per file read, one failure per problem in it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kkctl.markup import visible
from kkctl.reporters import Report


def render(report: Report) -> str:
    by_file: dict[str, list[int]] = {f: [] for f in report.files}
    for i, d in enumerate(report.diagnostics):
        by_file.setdefault(d.file, []).append(i)
    failures = sum(1 for d in report.diagnostics if d.severity.value == "error")
    suites = ET.Element("testsuites", name="kkctl", tests=str(len(by_file)),
                        failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name=f"kkctl {report.command}",
                          tests=str(len(by_file)), failures=str(failures), errors="0",
                          skipped="0")
    for file, indexes in by_file.items():
        # XML 1.0 cannot hold most control characters at all: every user string is shown
        # escaped (``visible``), or the document would not parse
        case = ET.SubElement(suite, "testcase", classname=f"kkctl.{report.command}",
                             name=visible(file))
        for i in indexes:
            d = report.diagnostics[i]
            tag = "failure" if d.severity.value == "error" else "system-out"
            message = visible(d.message(report.lang))
            text = f"{visible(d.file)}:{d.line}:{d.column}: {d.severity.value} {d.code} {message}"
            if tag == "failure":
                element = ET.SubElement(case, "failure", message=message, type=d.code)
                element.text = text
            else:
                out = case.find("system-out")
                if out is None:
                    out = ET.SubElement(case, "system-out")
                out.text = (out.text or "") + text + "\n"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
