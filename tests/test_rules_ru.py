"""Every lint rule is documented in Russian as fully as in English (`kkctl explain --lang
ru`, docs/rules.ru.md): the same paragraphs, in the same order, with the same headings."""

from __future__ import annotations

import inspect
import re

import pytest

from kkctl.lint.listing import explain_rule, rule_doc
from kkctl.lint.registry import all_rules

HEADINGS = {"Source": "Источник", "How it is checked": "Как проверяется", "Fix": "Исправление"}
RULES = all_rules()


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_rule_has_a_russian_doc_with_the_same_paragraphs(rule) -> None:  # type: ignore[no-untyped-def]
    module = inspect.getmodule(rule.check)
    assert getattr(module, "DOC_RU", None), f"{rule.slug}: add DOC_RU beside the docstring"
    english, russian = _paragraphs(rule_doc(rule, "en")), _paragraphs(rule_doc(rule, "ru"))
    assert len(russian) == len(english), rule.slug
    for en, ru in zip(english, russian, strict=True):
        for heading, translation in HEADINGS.items():
            if en.startswith(heading):
                assert ru.startswith(translation), (rule.slug, ru[:60])
    letters = re.findall(r"[A-Za-zА-Яа-яЁё]", re.sub(r"``[^`]*``|«[^»]*»|`[^`]*`", "",
                                                       rule_doc(rule, "ru")))
    cyrillic = sum(1 for c in letters if not c.isascii())
    assert cyrillic > 0.8 * len(letters), f"{rule.slug}: mostly not Russian"


@pytest.mark.parametrize("rule", RULES[:3], ids=lambda r: r.slug)
def test_explain_in_russian_has_no_english_headings(rule) -> None:  # type: ignore[no-untyped-def]
    text = explain_rule(rule, "ru")
    for english in ("severity:", "profiles:", "source:", "PASS:", "FAIL:", "Options"):
        assert english not in text, english
