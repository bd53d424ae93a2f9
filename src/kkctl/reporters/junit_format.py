"""JUnit XML: one test case per file read, one failure per problem in it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

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
        case = ET.SubElement(suite, "testcase", classname=f"kkctl.{report.command}", name=file)
        for i in indexes:
            d = report.diagnostics[i]
            tag = "failure" if d.severity.value == "error" else "system-out"
            text = f"{d.file}:{d.line}:{d.column}: {d.severity.value} {d.code} " \
                   f"{d.message(report.lang)}"
            if tag == "failure":
                element = ET.SubElement(case, "failure", message=d.message(report.lang),
                                        type=d.code)
                element.text = text
            else:
                out = case.find("system-out")
                if out is None:
                    out = ET.SubElement(case, "system-out")
                out.text = (out.text or "") + text + "\n"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
