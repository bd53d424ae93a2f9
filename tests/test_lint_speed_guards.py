"""Lint must stay (near) linear on what a pull request can write: the YAML comes from its
author, and CI lints it. Growth is measured as a ratio (the time for 4N promises against N),
never as a wall-clock budget; in CPU time, so a busy machine does not fail the suite; like
``timeit``, with the garbage collector paused, whose passes over the whole heap are not the
rule's doing."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from conftest import MINIMAL_PROJECT, write_tree
from kkctl import model as m
from kkctl.lint.context import LintContext
from kkctl.lint.rule import Finding
from kkctl.lint.rules import promise_loop
from kkctl.loader import Options, load
from kkctl.yamlread import ParsedFile

N = 2_500  # 4N = 10,000 promises; larger sizes add the memory caches' own growth
LINEAR = 8  # 4N/N: about 4.5 when linear, 16 or more when quadratic


def chain(n: int, receiver_of: Callable[[int], str]) -> m.Organisation:
    """Promises p0 → p1 → … (each requires the next), p{i} given by team t{i}."""
    file = ParsedFile("org.yaml", positions={})
    promises = []
    for i in range(n):
        source = m.Source(file, ("promises", i), "promise", f"p{i}")
        promises.append(m.Promise(
            f"p{i}", source, promise_kind="general",
            giver=m.Ref(f"t{i}", ("team",), source, ("giver",)),
            receiver=m.Ref(receiver_of(i), ("team",), source, ("receiver",))))
    for before, after in pairwise(promises):
        before.requires = [m.Ref(after.id, ("promise",), before.source, ("requires", 0), after)]
    return m.Organisation(settings=m.Settings(), files=[file], promises=promises,
                          by_id={p.id: p for p in promises})


def seconds(org: m.Organisation) -> tuple[float, list[Finding]]:
    """The best of five runs of promise-loop in CPU seconds, and its findings."""
    best = float("inf")
    findings: list[Finding] = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            start = time.process_time()
            findings = list(promise_loop.check(LintContext(org), {}))
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best, findings


def growth(receiver_of: Callable[[int], str]) -> tuple[float, list[Finding]]:
    small, _ = seconds(chain(N, receiver_of))
    large, findings = seconds(chain(4 * N, receiver_of))
    return large / small, findings


def test_a_long_chain_to_different_givers_stays_linear() -> None:
    # Each promise goes to the giver of the one before: nobody receives what they give
    # further down. The givers each promise depends on were sets growing along the chain:
    # O(N²) time and memory (40,000 promises: minutes, gigabytes).
    ratio, findings = growth(lambda i: f"t{i - 1}")
    assert findings == []
    assert ratio < LINEAR, f"4x the promises took {ratio:.1f}x the time"


def test_a_long_chain_of_receiver_loops_stays_linear() -> None:
    # Each promise goes to the giver of the next: every one is a loop, reported.
    ratio, findings = growth(lambda i: f"t{i + 1}")
    assert len(findings) == 4 * N - 1
    assert {f.message for f in findings} == {"receiver_loop"}
    assert findings[-1].args["chain"] == "p0 (org.yaml:1:1) → p1 (org.yaml:1:1)"
    assert ratio < LINEAR, f"4x the promises took {ratio:.1f}x the time"


def test_many_receivers_in_several_passes() -> None:
    # More receivers than one pass follows: every loop is found, in the order of the
    # dependencies (the last promise of the chain first).
    n = 2 * promise_loop.BATCH_BITS + 10
    findings = list(promise_loop.check(LintContext(chain(n, lambda i: f"t{i + 2}")), {}))
    assert [f.source.subject for f in findings] == [
        ("promise", f"p{i}") for i in reversed(range(n - 2))]
    assert [f.args["other"] for f in findings] == [f"p{i}" for i in reversed(range(2, n))]


# -- the findings themselves, on small organisations ---------------------------------------
TEAMS = """
people:
  - {id: vera, name: Vera}
teams:
  - {id: shops, name: Shops, leader: vera, members: [vera]}
  - {id: kitchen, name: Kitchen, leader: vera, members: [vera]}
  - {id: concept, name: Concept, leader: vera, members: [vera]}
"""


def loop_findings(tmp_path: Path, promises: str) -> list[tuple[str, str, dict[str, str]]]:
    root = write_tree(tmp_path / "org", {"kkctl.yaml": MINIMAL_PROJECT + TEAMS,
                                         "promises.yaml": promises})
    loaded = load(str(root), Options(use_cache=False))
    shown = next(f.path for f in loaded.files if f.path.endswith("promises.yaml"))
    return [(f.source.subject[1] if f.source.subject else "", f.message,
             {k: v.replace(shown, "F") for k, v in f.args.items()})  # F: the file, as shown
            for f in promise_loop.check(LintContext(loaded.org), {})]


def promise(ident: str, giver: str, receiver: str, extra: str = "") -> str:
    return (f"  - {{id: {ident}, kind: general, giver: {giver}, receiver: {receiver}, "
            f"text: {ident}{extra}}}\n")


def test_a_receiver_loop_through_a_chain(tmp_path: Path) -> None:
    # pay (shops → concept) needs cook (kitchen), which needs recipe: concept's own promise.
    found = loop_findings(tmp_path, "promises:\n"
                          + promise("pay", "shops", "concept", ", requires: [cook]")
                          + promise("cook", "kitchen", "shops", ", requires: [recipe]")
                          + promise("recipe", "concept", "kitchen"))
    assert found == [("pay", "receiver_loop", {
        "receiver": "concept", "other": "recipe",
        "chain": "pay (F:2:5) → cook (F:3:5) → recipe (F:4:5)"})]


def test_the_shortest_chain_is_shown(tmp_path: Path) -> None:
    # Two ways from pay to concept's promises: the shorter one is printed.
    found = loop_findings(tmp_path, "promises:\n"
                          + promise("pay", "shops", "concept", ", requires: [cook, menu]")
                          + promise("cook", "kitchen", "shops", ", requires: [recipe]")
                          + promise("recipe", "concept", "kitchen")
                          + promise("menu", "concept", "kitchen"))
    assert [(ident, args["other"], args["chain"].count("→")) for ident, _, args in found] \
        == [("pay", "menu", 1)]


def test_a_receiver_loop_into_a_cycle(tmp_path: Path) -> None:
    # pay depends on a cycle that includes a promise of its receiver: both are reported.
    found = loop_findings(tmp_path, "promises:\n"
                          + promise("pay", "shops", "concept", ", requires: [cook]")
                          + promise("cook", "kitchen", "shops", ", requires: [recipe]")
                          + promise("recipe", "concept", "kitchen", ", requires: [cook]"))
    assert [(ident, message) for ident, message, _ in found] == [
        ("cook", "cycle"), ("pay", "receiver_loop")]
    assert found[1][2]["other"] == "recipe"


def test_no_loop_without_dependence_on_the_receiver(tmp_path: Path) -> None:
    # concept's promise depends on pay, not the other way round; kitchen gives nothing
    # recipe depends on; and a conditional promise depends on nothing.
    found = loop_findings(tmp_path, "promises:\n"
                          + promise("pay", "shops", "concept")
                          + promise("cook", "kitchen", "shops")
                          + promise("recipe", "concept", "kitchen", ", requires: [pay]")
                          + promise("later", "shops", "concept",
                                    ", requires: [recipe], condition: if asked"))
    assert found == []
