"""The fast engine (jsonschema-rs) and the message engine (jsonschema) accept and reject the
same documents: random mutations of valid documents, through both."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import node_paths
from kkctl import schema

jsonschema_rs = pytest.importorskip("jsonschema_rs")

VALID_ENTITY_FILE: dict[str, Any] = {
    "people": [{"id": "vera", "name": "Вера"}, {"id": "oleg", "name": "Oleg", "x-tg": "@o"}],
    "teams": [{"id": "delivery", "name": "Delivery", "leader": "vera", "type": "value_creating",
               "members": ["vera", {"person": "oleg", "weight": 2, "from": "2026-01-01",
                                    "represents": ["delivery"]}],
               "economics": {"income": ["sales"], "expenses": ["rent"]}}],
    "promises": [{"id": "fast", "kind": "root", "giver": "delivery", "receiver": "shoppers",
                  "value": "speed", "text": "Within an hour", "metrics": ["m1"],
                  "authorities": ["a1"], "condition": "if ordered by 18:00"}],
    "authorities": [{"id": "a1", "scope": "route", "holder": "delivery", "budget": "1000.50"}],
    "metrics": [{"id": "m1", "name": "On time", "unit": "%", "direction": "up", "target": 95,
                 "bounds": {"min": 0, "max": 100},
                 "readings": [{"period": "2026-q1", "value": 91.5}]}],
    "periods": [{"id": "2026-q1", "start": "2026-01-01", "end": "2026-03-31",
                 "net_profit": 1250000.5, "teams": {"delivery": {"income": 10, "expenses": 5}},
                 "payouts": {"s": {"vera": "10.00"}}}],
    "reward_schemes": [{"id": "s", "unit": "delivery", "share": "0.20", "split": "explicit",
                        "deposit": {"rate": 0.1, "release_after": 2}}],
    "canvases": [{"id": "c", "scale": {"min": 0, "max": 5},
                  "factors": [{"value": "speed", "key": True, "action": "raise"}],
                  "offerings": [{"id": "us", "self": True, "scores": {"speed": 5}}]}],
}
VALID_PROJECT_FILE: dict[str, Any] = {
    "kkctl": 1,
    "organisation": {"id": "org", "name": "Org", "key_value": "speed", "currency": "RUB",
                     "locale": "ru", "applicability": {"zero_sum": False}},
    "exclude": ["drafts/**"], "lint": {"profile": "strict", "rules": {}},
    "values": [{"id": "speed", "name": "Speed"}],
    "clients": [{"id": "shoppers", "name": "Shoppers", "kind": "external",
                 "needs": [{"id": "eat", "text": "поесть", "pains": ["далеко"]}]}],
}

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "vera", "Vera", "vera\n", "a b", "2026-01-01", "2026-1-1", "0.20",
                     "1.5", "-3", "1 000", "x-", "root", "external", "up", "équipe", "12.",
                     "2026-01-01\n", "1.0", "0.2000", "1.01", "RUB", "rub", "ru"]),
    st.text(max_size=6),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["id", "name", "x-a", "kind", "to",
                                                             "value", "zzz"]), inner, max_size=3)),
    max_leaves=6,
)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = node_paths(doc)
        path = draw(st.sampled_from(paths[1:]))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "x-note", "nmae", "leader"]))] = \
                draw(json_values)
        else:
            parent.append(draw(json_values))
    return doc


def _verdicts(doc: dict[str, Any], project_file: bool) -> tuple[bool, bool]:
    fast = schema.fast_validator(project_file).is_valid(doc)
    slow = schema.full_validator(project_file).is_valid(doc)
    return fast, slow


def test_the_valid_documents_are_valid() -> None:
    assert _verdicts(VALID_ENTITY_FILE, False) == (True, True)
    assert _verdicts(VALID_PROJECT_FILE, True) == (True, True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(VALID_ENTITY_FILE))
def test_engines_agree_on_entity_files(doc: dict[str, Any]) -> None:
    fast, slow = _verdicts(doc, False)
    assert fast == slow, doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(VALID_PROJECT_FILE))
def test_engines_agree_on_project_files(doc: dict[str, Any]) -> None:
    fast, slow = _verdicts(doc, True)
    assert fast == slow, doc


@pytest.mark.parametrize("value", ["vera\n", "Vera", "", "a" * 129, "-x", "x y"])
def test_id_pattern_edge_cases_agree(value: str) -> None:
    doc = {"people": [{"id": value, "name": "X"}]}
    assert _verdicts(doc, False) == (False, False)


def test_invalid_documents_always_get_at_least_one_message() -> None:
    """The fast path says 'invalid' only when the message engine has something to say."""
    from kkctl.yamlread import ParsedFile

    doc = {"people": [{"id": "vera\n", "name": "X"}], "teams": "nope"}
    diags = schema.check_file(ParsedFile("f.yaml", doc, {}), False)
    assert {d.code for d in diags} == {"KK100"}
    assert len(diags) == 2


@pytest.mark.parametrize(("doc", "project_file"), [
    ({"kkctl": 1.0, "organisation": {"id": "o", "name": "O"}}, True),
    ({"kkctl": True, "organisation": {"id": "o", "name": "O"}}, True),
    ({"reward_schemes": [{"id": "s", "unit": "u",
                          "deposit": {"rate": 0.1, "release_after": 2.0}}]}, False),
    ({"metrics": [{"id": "m", "name": "n", "unit": "u", "target": 10**30}]}, False),
    ({"reward_schemes": [{"id": "s", "unit": "u", "share": "1.0"}]}, False),
    ({"reward_schemes": [{"id": "s", "unit": "u", "share": 1.5}]}, False),
])
def test_number_edge_cases_agree(doc: dict[str, Any], project_file: bool) -> None:
    fast, slow = _verdicts(doc, project_file)
    assert fast == slow
