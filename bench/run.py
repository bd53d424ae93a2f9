"""kkctl's benchmark: whole processes, medians, and a peer measured in the same run.

    python bench/run.py                      # S, M and L; 5 runs after a warm-up each
    python bench/run.py --sizes S M --runs 3
    python bench/run.py --write docs/performance.md

Peers: check-jsonschema over the same files against kkctl's own schema (the same schema work,
without references or positions), and libyaml's bare event parse of the same bytes.
Needs the ``bench`` extra: ``pip install '.[bench]'``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORGS = HERE / "orgs"
OUT = HERE / "out"
BIN = Path(sys.executable).parent


@dataclass
class Stats:
    name: str
    times: list[float]
    rss_kib: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024

    def row(self) -> str:
        return (f"| {self.name} | {min(self.times):.3f} | {self.median:.3f} | "
                f"{max(self.times):.3f} | {self.peak_mib:.0f} |")


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])}... exited {proc.returncode}")
    return elapsed, usage.ru_maxrss, output


def measure(name: str, cmd: list[str], runs: int, env: dict[str, str]) -> Stats:
    run_once(cmd, env)  # warm-up: file system cache, and the parse cache where used
    times, rss = [], []
    for _ in range(runs):
        elapsed, peak, _ = run_once(cmd, env)
        times.append(elapsed)
        rss.append(peak)
    stats = Stats(name, times, rss)
    print(stats.row(), flush=True)
    return stats


STARTUP_RUNS = 40  # start-up is milliseconds: many runs, so a median means something
EXAMPLE = HERE.parent / "examples" / "acme-consulting"


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> list[Stats]:
    """Each command ``runs`` times, taking turns, after one warm-up each: a ratio of two
    commands measured so is not moved by the machine's drift between them."""
    measured = {name: Stats(name, [], []) for name in commands}
    for cmd in commands.values():
        run_once(cmd, env)
    for _ in range(runs):
        for name, cmd in commands.items():
            elapsed, peak, _ = run_once(cmd, env)
            measured[name].times.append(elapsed)
            measured[name].rss_kib.append(peak)
    for stats in measured.values():
        print(stats.row(), flush=True)
    return list(measured.values())


def startup(env: dict[str, str]) -> tuple[Stats, Stats]:
    """``kkctl validate`` of the bundled example (4 files, the cache warm as a pre-commit
    hook finds it) and ``python -c pass``, interleaved so the machine's noise falls on both.
    Bytecode is written as an installed package has it (PYTHONDONTWRITEBYTECODE dropped)."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    kkctl_stats, python_stats = interleaved(
        {"kkctl validate of examples/acme-consulting (start-up)":
         [str(BIN / "kkctl"), "validate", str(EXAMPLE)],
         "python -c pass (same interpreter)": [sys.executable, "-c", "pass"]},
        STARTUP_RUNS, env)
    return kkctl_stats, python_stats


def parse_seconds(folder: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds of kkctl's parse and of libyaml's bare event parse of ``folder``, the
    two taking turns so the machine's drift falls on both."""
    commands = [[sys.executable, str(HERE / "parse_only.py"), mode, str(folder)]
                for mode in ("kkctl", "bare")]
    seconds: list[list[float]] = [[], []]
    for cmd in commands:
        run_once(cmd, env)
    for _ in range(runs):
        for taken, cmd in zip(seconds, commands, strict=True):
            taken.append(float(run_once(cmd, env)[2]))
    return statistics.median(seconds[0]), statistics.median(seconds[1])


def first_run(size: str, folder: Path, runs: int, env: dict[str, str]) -> tuple[Stats, Stats]:
    """``validate`` with an empty cache (what a first run, or a CI job without a kept cache,
    pays to fill it) and with ``--no-cache``, interleaved so the machine's noise falls on
    both. Each first run gets a new empty cache folder, made and removed outside the timing."""
    import shutil

    kkctl = str(BIN / "kkctl")
    first = Stats(f"kkctl validate {size}, first run (empty cache)", [], [])
    bare = Stats(f"kkctl validate {size} --no-cache (interleaved)", [], [])
    run_once([kkctl, "validate", str(folder), "--no-cache"], env)  # warm-up: file system cache
    for index in range(runs):
        cache = OUT / f"first-run-cache-{index}"
        shutil.rmtree(cache, ignore_errors=True)
        for stats, cmd, extra in ((first, [kkctl, "validate", str(folder)],
                                   {"KKCTL_CACHE_DIR": str(cache)}),
                                  (bare, [kkctl, "validate", str(folder), "--no-cache"], {})):
            elapsed, peak, _ = run_once(cmd, {**env, **extra})
            stats.times.append(elapsed)
            stats.rss_kib.append(peak)
        shutil.rmtree(cache, ignore_errors=True)
    for stats in (first, bare):
        print(stats.row(), flush=True)
    return first, bare


def ensure_org(size: str, defects: bool = False) -> Path:
    folder = ORGS / (f"{size}-defects" if defects else size)
    stamp = folder / ".generated"
    if not stamp.exists():
        extra = ["--defects"] if defects else []
        subprocess.run([sys.executable, str(HERE / "generate.py"), size, str(folder), *extra],
                       check=True, stdout=subprocess.DEVNULL)
        stamp.write_text("ok\n")
    return folder


def ensure_formatted(folder: Path) -> Path:
    """A copy of the organisation as ``kkctl fmt`` writes it (the generator's key order is
    not fmt's): what ``fmt --check`` finds in a project kept formatted. Made once; at size L
    that costs a few minutes."""
    import shutil

    tidy = ORGS / f"{folder.name}-formatted"
    stamp = tidy / ".generated"
    if not stamp.exists():
        if tidy.exists():
            shutil.rmtree(tidy)
        shutil.copytree(folder, tidy, ignore=shutil.ignore_patterns(".generated"))
        subprocess.run([str(BIN / "kkctl"), "fmt", str(tidy), "--no-cache"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stamp.write_text("ok\n")
    return tidy


def git_copy_with_one_team_changed(folder: Path) -> Path:
    """A git repository of the organisation, committed, then one team edited (uncommitted)."""
    import shutil

    repo = OUT / f"git-{folder.name}"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(folder, repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)
    team = repo / "org" / "teams" / "team-00005.yaml"
    team.write_text(team.read_text().replace("weight: 2,", "weight: 3,", 1))
    return repo


def lsp_latency_stats(folder: Path, runs: int) -> tuple[Stats, Stats]:
    """``kkctl lsp``: edit-to-diagnostics latency through a real client over stdio
    (bench/lsp_latency.py): the edited file's own problems, and a finding only lint makes."""
    import lsp_latency  # beside this script

    found = []
    for lint, name in ((False, "kkctl lsp M: edit → the file's diagnostics (s, no RSS)"),
                       (True, "kkctl lsp M: edit → a lint finding (s, no RSS)")):
        stats = Stats(name, lsp_latency.measure(folder, runs, lint=lint), [0])
        print(stats.row(), flush=True)
        found.append(stats)
    return found[0], found[1]


TEAMS = {"S": 100, "M": 1_000, "L": 10_000, "XL": 50_000}  # bench/generate.py's sizes


def measure_xl(folder: Path, runs: int, env: dict[str, str]) -> dict[str, Stats]:
    kkctl = str(BIN / "kkctl")
    found = {
        "cold-XL": measure("kkctl validate XL --no-cache", [kkctl, "validate", str(folder),
                                                           "--no-cache"], runs, env),
        "warm-XL": measure("kkctl validate XL (cache warm)", [kkctl, "validate", str(folder)],
                           runs, env),
        "lint-XL": measure("kkctl lint XL --no-cache", [kkctl, "lint", str(folder),
                                                       "--no-cache"], runs, env),
        "report-XL": measure("kkctl report XL --no-cache", [kkctl, "report", str(folder),
                                                           "--no-cache"], runs, env),
    }
    found["first-XL"], found["bare-XL"] = first_run("XL", folder, runs, env)
    return found


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from kkctl import __version__

    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "kkctl": __version__,
            "date": dt.date.today().isoformat()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L", "XL"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xl-runs", type=int, default=3, help="runs at size XL (50,000 "
                        "teams: half a minute a run)")
    parser.add_argument("--write", type=Path, help="write the results as Markdown to this file")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    cache = OUT / "cache"
    env = {**os.environ, "KKCTL_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    schema_file = OUT / "kkctl.schema.json"
    subprocess.run([str(BIN / "kkctl"), "schema", "--out", str(OUT)], check=True,
                   stderr=subprocess.DEVNULL)
    kkctl = str(BIN / "kkctl")
    print("| command | min s | median s | max s | peak RSS MiB |\n|---|---|---|---|---|")
    results: dict[str, Stats] = {}
    results["version"] = measure("kkctl --version", [kkctl, "--version"], args.runs, env)
    results["startup"], results["python"] = startup(env)
    parse: dict[str, tuple[float, float]] = {}
    sizes: dict[str, float] = {}  # KiB of outputs with a size budget
    for size in args.sizes:
        folder = ensure_org(size)
        if size == "XL":  # time and memory at 50,000 teams; no peer (minutes a run)
            xl = measure_xl(folder, args.xl_runs, env)
            results.update(xl)
            continue
        files = sorted(str(p) for p in folder.rglob("*.yaml"))
        results[f"cold-{size}"] = measure(f"kkctl validate {size} --no-cache",
                                          [kkctl, "validate", str(folder), "--no-cache"],
                                          args.runs, env)
        results[f"warm-{size}"] = measure(f"kkctl validate {size} (cache warm)",
                                          [kkctl, "validate", str(folder)], args.runs, env)
        if size in ("M", "L"):  # an unchanged, formatted organisation: a pre-commit hook's
            tidy = ensure_formatted(folder)
            results[f"fmt-cold-{size}"] = measure(
                f"kkctl fmt --check {size} --no-cache (formatted)",
                [kkctl, "fmt", "--check", str(tidy), "--no-cache"], args.runs, env)
            results[f"fmt-warm-{size}"] = measure(
                f"kkctl fmt --check {size} (formatted, cache warm)",
                [kkctl, "fmt", "--check", str(tidy)], args.runs, env)
        results[f"lint-{size}"] = measure(f"kkctl lint {size} --no-cache",
                                          [kkctl, "lint", str(folder), "--no-cache"],
                                          args.runs, env)
        if size == "M":
            results["bonus-M"] = measure("kkctl bonus M --no-cache (json)",
                                         [kkctl, "bonus", str(folder), "--no-cache", "-f",
                                          "json"], args.runs, env)
            results["report-M"] = measure("kkctl report M --no-cache",
                                          [kkctl, "report", str(folder), "--no-cache"],
                                          args.runs, env)
            repo = git_copy_with_one_team_changed(folder)
            results["diff-M"] = measure("kkctl diff M, one team changed, --no-cache",
                                        [kkctl, "diff", str(repo), "--no-cache"], args.runs, env)
            results["lsp-M"], results["lsp-lint-M"] = lsp_latency_stats(folder, args.runs * 4)
            defects = ensure_org("M", defects=True)
            results["lint-M-defects"] = measure("kkctl lint M with defects --no-cache",
                                                [kkctl, "lint", str(defects), "--no-cache"],
                                                args.runs, env)
        if size == "L":  # the ratios to validate: measured taking turns with it
            results["report-L"], results["cold-L-report"] = interleaved(
                {"kkctl report L --no-cache": [kkctl, "report", str(folder), "--no-cache"],
                 "kkctl validate L --no-cache (taking turns with report)":
                 [kkctl, "validate", str(folder), "--no-cache"]}, args.runs, env)
            pages = OUT / "pages-L"
            results["report-L-pages"] = measure(
                "kkctl report L --no-cache --pages (1,000 unit pages)",
                [kkctl, "report", str(folder), "--no-cache", "--out", str(OUT / "REPORT-L.md"),
                 "--pages", str(pages)], args.runs, env)
            sizes["report-L"] = (OUT / "REPORT-L.md").stat().st_size / 1024
            repo = git_copy_with_one_team_changed(folder)
            results["diff-L"], results["cold-L-diff"] = interleaved(
                {"kkctl diff L, one team changed, --no-cache":
                 [kkctl, "diff", str(repo), "--no-cache"],
                 "kkctl validate L --no-cache (taking turns with diff)":
                 [kkctl, "validate", str(folder), "--no-cache"]}, args.runs, env)
            reruns = {f"kkctl {command} L, unchanged (cache warm)":
                      [kkctl, command, str(folder), *extra]
                      for command, extra in (("lint", []), ("bonus", ["-f", "json"]),
                                             ("report", []))}
            (results["rerun-lint-L"], results["rerun-bonus-L"], results["rerun-report-L"],
             results["warm-L-turns"]) = interleaved(
                {**reruns, "kkctl validate L, cache warm (taking turns with the re-runs)":
                 [kkctl, "validate", str(folder)]}, args.runs, env)
            results["first-L"], results["bare-L"] = first_run("L", folder, args.runs, env)
        if size != "L":  # check-jsonschema on L takes minutes per run
            results[f"peer-{size}"] = measure(
                f"check-jsonschema {size} ({len(files)} files)",
                [str(BIN / "check-jsonschema"), "--schemafile", str(schema_file), *files],
                args.runs, env)
        parse[size] = parse_seconds(folder, args.runs, env)
        print(f"parse {size}: kkctl {parse[size][0]:.3f} s, bare libyaml events "
              f"{parse[size][1]:.3f} s, ratio {parse[size][0] / parse[size][1]:.2f}", flush=True)

    budgets = check_budgets(results, parse, sizes)
    for line in budgets:
        print(line)
    if args.write:
        args.write.write_text(render(results, parse, budgets, machine(), args.runs),
                              encoding="utf-8")
        print(f"wrote {args.write}")
    (OUT / "results.json").write_text(json.dumps(
        {k: {"times": v.times, "rss_kib": v.rss_kib} for k, v in results.items()}, indent=1))


def check_budgets(results: dict[str, Stats], parse: dict[str, tuple[float, float]],
                  sizes: dict[str, float]) -> list[str]:
    lines = []

    def budget(label: str, value: float, limit: float, unit: str = "") -> None:
        verdict = "met" if value <= limit else "MISSED"
        shown = f"{value:.0f}" if unit in (" MiB", " KiB", " ms") else f"{value:.3f}"
        lines.append(f"| {label} | {shown}{unit} | ≤ {limit}{unit} | {verdict} |")

    budget("`kkctl --version`, median", results["version"].median, 0.20, " s")
    if "startup" in results:
        budget(f"validate start-up (4 files), median; `python -c pass`: "
               f"{results['python'].median * 1000:.0f} ms", results["startup"].median * 1000,
               60, " ms")
    if "cold-M" in results and "peer-M" in results:
        budget("validate M / check-jsonschema M", results["cold-M"].median /
               results["peer-M"].median, 0.15)
    for size, (kkctl_parse, bare_parse) in parse.items():
        budget(f"YAML parse of {size} / bare libyaml event parse", kkctl_parse / bare_parse,
               1.5)
    if "warm-M" in results:
        budget("validate M, unchanged, cache warm", results["warm-M"].median, 0.3, " s")
    if "cold-L" in results:
        budget("validate L", results["cold-L"].median, 8, " s")
        budget("peak RSS of validate L", results["cold-L"].peak_mib, 1024, " MiB")
        if "cold-M" in results:
            budget("time(L) / time(M)", results["cold-L"].median / results["cold-M"].median, 12)
    for size, mode in itertools.product(("M", "L"), ("cold", "warm")):
        if f"fmt-{mode}-{size}" in results and f"{mode}-{size}" in results:
            label = "--no-cache" if mode == "cold" else "cache warm"
            budget(f"fmt --check / validate, {size}, {label}",
                   results[f"fmt-{mode}-{size}"].median / results[f"{mode}-{size}"].median, 1.5)
    if "lint-M" in results:
        budget("lint M", results["lint-M"].median, 1.5, " s")
    if "lint-L" in results:
        budget("lint L", results["lint-L"].median, 15, " s")
        if "lint-M" in results:
            budget("lint time(L) / time(M)", results["lint-L"].median / results["lint-M"].median,
                   12)
    if "bonus-M" in results:
        budget("bonus M", results["bonus-M"].median, 1, " s")
    if "report-M" in results:
        budget("report M", results["report-M"].median, 3, " s")
    if "report-L" in results:
        budget("report L / validate L (taking turns)", results["report-L"].median /
               results["cold-L-report"].median, 1.3)
    if "report-L" in sizes:
        budget("report L main page", sizes["report-L"], 100, " KiB")
    if "diff-M" in results and "cold-M" in results:
        budget("diff M (one team) / validate M", results["diff-M"].median /
               results["cold-M"].median, 2)
    if "diff-L" in results:
        budget("diff L (one team) / validate L (taking turns)", results["diff-L"].median /
               results["cold-L-diff"].median, 1.2)
    if "lsp-M" in results:
        budget("lsp, M: edit → the file's fresh diagnostics, median",
               results["lsp-M"].median * 1000, 300, " ms")
        budget("lsp, M: edit → fresh lint findings, median",
               results["lsp-lint-M"].median * 1000, 300, " ms")
    for command in ("lint", "bonus", "report"):
        if f"rerun-{command}-L" in results and "warm-L-turns" in results:
            budget(f"{command} L re-run, unchanged / validate L, cache warm (taking turns)",
                   results[f"rerun-{command}-L"].median / results["warm-L-turns"].median, 1.3)
    for size in ("L", "XL"):
        if f"first-{size}" in results and f"bare-{size}" in results:
            budget(f"validate {size}: first run with an empty cache / --no-cache",
                   results[f"first-{size}"].median / results[f"bare-{size}"].median, 1.1)
        if f"cold-{size}" in results:
            budget(f"peak RSS of validate {size} per team",
                   results[f"cold-{size}"].peak_mib * 1024 / TEAMS[size], 20, " KiB")
    if "cold-XL" in results:
        # linear from L's 8 s budget, as time(L) / time(M) is
        budget("validate XL (50,000 teams)", results["cold-XL"].median, 40, " s")
    return lines


def render(results: dict[str, Stats], parse: dict[str, tuple[float, float]],
           budgets: list[str], info: dict[str, str], runs: int) -> str:
    out = [
        "# Performance", "",
        "Measured by `python bench/run.py --write docs/performance.md` (the `bench` extra "
        "installed). Whole processes, one warm-up then "
        f"{runs} runs each; peak RSS from `wait4`. Organisations from `bench/generate.py`: "
        "S = 100 teams / 600 people / 400 promises, M = 1,000 / 6,000 / 4,000, "
        "L = 10,000 / 60,000 / 40,000, XL = 50,000 / 300,000 / 200,000 (runs at XL: "
        "`--xl-runs`, 3 by default), one file per team, people in files of 300.", "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".", "",
        "## Budgets", "", "| budget | measured | limit | |", "|---|---|---|---|", *budgets, "",
        "## Timings", "", "| command | min s | median s | max s | peak RSS MiB |",
        "|---|---|---|---|---|", *(s.row() for s in results.values()), "",
        "## YAML parse alone", "",
        "In-process, files already in memory, median of the runs, the two taking turns: "
        "kkctl's loader (data and source positions of every node) against PyYAML's libyaml "
        "binding producing bare events of the same bytes.", "",
        "| size | kkctl parse s | bare event parse s | ratio |", "|---|---|---|---|",
        *(f"| {size} | {k:.3f} | {b:.3f} | {k / b:.2f} |" for size, (k, b) in parse.items()),
        "",
        "## How kkctl gets there", "",
        "* libyaml's event stream (PyYAML's C binding) feeds an iterative composer that builds "
        "plain dicts and lists; no round-trip loader, no per-node objects, no path tuple per "
        "node (the open container's path is a list, made a tuple only for a float, a problem "
        "or an anchor). A mapping key is taken as its text without resolving it as a value, "
        "and the bytes are not decoded ahead of the parse (libyaml rejects what is not UTF-8; "
        "only a file with a problem is decoded, to tell a bad byte from bad YAML). Together "
        "about 5% of the parse. A plain scalar that starts like a number but is not a plain "
        "integer (a float, a date, an id like `2025-q1`) is told apart by one regular "
        "expression, and its path is made only if it is a problem: four patterns and a path "
        "each cost 7% of the parse at M. Source positions, which only a "
        "problem needs, come from a second, lean pass over the bytes of a file the first time "
        "anything asks for one: `lint L` asks for none (it used to re-read every file it "
        "referenced, 1.9 s), `lint M` with defects for the 21 files that have findings "
        "(0.02 s of 1.8 s). Recording them in the first pass instead was measured: a table "
        "of every node's position costs about as much as the parse itself (0.40 s against "
        "0.38 s at M) and about 250 entries a file, against the parse and memory budgets "
        "above, for what only files with problems use.",
        "* JSON Schema: `jsonschema-rs` decides validity of each file; only an invalid file goes "
        "through `jsonschema` for its messages (a differential test keeps the two in step).",
        "* A parse cache keyed by content (BLAKE2b) holds each file's data as `marshal` data. "
        "A run that parses many files writes their entries as one pack for the project "
        "instead of a file each (one file per entry made a first run 28% slower than "
        "`--no-cache`), and a later run reads that pack once. The pack is encoded and written "
        "by a child forked onto the second core while the run goes on (to check and build; "
        "`validate`, which builds file by file, encodes its own files as it goes and forks "
        "the writer at the end, while it resolves references and prints), the command "
        "waiting for it before it exits; an empty cache is known empty from "
        "one listing of its folder, not a failed open per file.",
        "* Whole-command results: `validate`, `lint`, `bonus` and `report` key their answer by "
        "every file's name and content, the files skipped, every option, and whatever else "
        "the answer depends on (the lint baseline, the report file whose custom blocks are "
        "kept, today's date for the report, the language and colour environment, whether "
        "output is a terminal); an unchanged re-run reads the files, finds the key and "
        "replays the output without building the model (`kkctl/memo.py`). `report --since`, "
        "`--with-revision`, `--template` and `--pages` are computed every time.",
        "* Mapping keys are interned as they are parsed: a few dozen key names repeat in "
        "every entity of every file (76 MB less at size L).",
        "* `validate` reads, checks and builds one file at a time: each file is read when "
        "its turn comes (read all first, 45 MB of bytes at size L would leave the process a "
        "heap that size, freed but never given back), and its data and bytes go once its "
        "entities are built. A problem found later (an unknown reference, a duplicate id) "
        "reads its file again for the position, if the bytes are unchanged (CRC-32; if not, "
        "it points at the file's start rather than at a wrong line). A forked worker reads "
        "and parses the last files (55% of the bytes: its files cost this process only "
        "decoding and building, so an even split left the worker idle and the run 6% "
        "longer) and hands its entries over deflated, each let go as it is used. The other "
        "commands keep the data, which their rules read.",
        "* The model shares what repeats: one tuple per field path like "
        "`('members', 2, 'person')`, one `Decimal` per amount written, one string per id "
        "(the entity's and every reference's to it) and per value of a field of few values "
        "(a promise's kind, a metric's unit or source); lists of references are tuples, "
        "most of them the one empty tuple (an empty list is 72 bytes, and there were "
        "340,000 at L). Peak memory of `validate L` went from 394 to 271 and then 190 MiB "
        "(XL: 1,869 to 1,197 and then 823 MiB; `lint L` from 404 to 359 and then 339). "
        "What is left is the model itself: about 100 MB of objects at L, a third of them "
        "the ids, names and texts it keeps.",
        "* Reading a file resolves its folder's real path once a run, not its 14 path parts "
        "a file, and asks `read` for the size `fstat` gave rather than a megabyte a file: "
        "20 µs a file instead of 40 (what is opened is still checked on the descriptor).",
        "* `kkctl --version` is answered before any import.",
        "* `fmt --check` runs ruamel.yaml's round trip (about 25 ms a file) only for files "
        "that may change: one pass over libyaml's events, consuming the text alongside, "
        "recognises a file already in the form fmt writes (the emitter's indentation, "
        "spacing and scalar styles, comments where ruamel.yaml keeps them verbatim, keys in "
        "the schema's order), and what it does not know goes through the round trip. A "
        "content found canonical is remembered in the user's cache, keyed by its bytes, fmt's "
        "settings, kkctl and ruamel.yaml (one entry a project); files are checked on two "
        "cores.",
        "* A plain `validate`, `lint` or `fmt` (what pre-commit hooks run) is parsed and run by "
        "`kkctl/fastpath.py` without importing typer and click (about 40 ms of a 100 ms start "
        "before); anything else (help, completion, a mistyped option) goes to the typer app. "
        "Counts are written without loading Babel's locale data (another 25-30 ms), "
        "and what a clean `validate` does not use (JSON, decimal, datetime, the regular "
        "expressions that translate parser messages) loads on first use. The modules a cached "
        "run imports use plain slotted classes and import neither `dataclasses` (which loads "
        "`inspect`, `ast`, `dis` and `tokenize`) nor `typing`: about 15 ms less.",
        "* `report` computes each metric's status once, lists at most 30 rows a table on the "
        "main page (the detail pages, `--pages`, hold the rest), and lints an organisation of "
        "2,000 teams and promises or more in a child forked right after loading, while it "
        "checks paths, computes the money and builds the sections that need no findings. "
        "Those sections read the 40,000 promises of size L in one pass each, skip sorting "
        "readings already in time order, and compare the output file with the inputs by file "
        "identity instead of resolving 10,000 paths. The two processes now finish about "
        "together: after the fork, every page either touches costs a copy (about 90,000 page "
        "faults in the child at size L), which is why computing the statuses before forking "
        "was measured slower and dropped.",
        "* `diff` reads and parses the head revision, then forks: the child reads the base "
        "(taking the head's very bytes for every file that is the same git blob, so those are "
        "neither read, hashed again nor parsed), builds, lints and pays it, while the parent "
        "schema-checks, builds, lints and pays the head and sends the child its adoption stage "
        "and the schema's findings of the files both share. The child sends back only its "
        "findings, the bonus run and light copies of the entities defined in files that "
        "differ: only those are compared (an id defined only in files both revisions share is "
        "the same entity on both sides). With one team of 10,000 changed, diff costs one "
        "validate plus the head's lint and the page copies the fork makes.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main()
