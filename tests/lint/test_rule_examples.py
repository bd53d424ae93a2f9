"""Every rule's PASS and FAIL examples, merged into a clean organisation, behave as documented;
and the clean organisation itself passes every rule under the strict profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import lint_file, merged, write_org

from kkctl.lint.registry import all_rules
from kkctl.lint.rule import Rule

RULES = all_rules()


def test_the_base_organisation_is_clean(tmp_path: Path) -> None:
    validation, findings = lint_file(write_org(tmp_path, merged("")))
    assert validation == []
    assert [(d.code, d.message()) for d in findings] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_every_rule_has_examples_and_docs(rule: Rule) -> None:
    assert rule.passing and rule.failing, f"{rule.slug}: PASS and FAIL examples"
    from kkctl.lint.listing import rule_doc

    doc = rule_doc(rule)
    assert "Source" in doc and len(doc) > 200, f"{rule.slug}: docstring with rationale, source"
    for name, texts in rule.messages.items():
        assert set(texts) == {"en", "ru"}, f"{rule.slug}.{name}: both languages"


def _cases() -> list[tuple[Rule, str, int]]:
    return [(rule, kind, i) for rule in RULES for kind in ("passing", "failing")
            for i in range(len(getattr(rule, kind)))]


@pytest.mark.parametrize(("rule", "kind", "index"), _cases(),
                         ids=lambda v: v.slug if isinstance(v, Rule) else str(v))
def test_example(rule: Rule, kind: str, index: int, tmp_path: Path) -> None:
    fragment = getattr(rule, kind)[index]
    validation, findings = lint_file(write_org(tmp_path, merged(fragment)))
    assert [d.message() for d in validation] == [], "examples must be valid organisations"
    codes = [d.code for d in findings]
    if kind == "passing":
        assert rule.code not in codes, [d.message() for d in findings]
    else:
        assert rule.code in codes, f"{rule.slug} did not fire"
