"""Start-up: a plain ``validate``, ``lint`` or ``fmt`` (what pre-commit hooks run) starts
without typer (:mod:`kkctl.fastpath`), and means exactly what it means through typer: every
option, every spelling, every output and exit code. No timings here: bench/run.py measures the
start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, Run, kkctl_command
from kkctl import fastpath

ACME = EXAMPLES / "acme-consulting"
# The real entry point with the fast path switched off: every invocation goes to typer.
TYPER_ONLY = ("import sys\nfrom kkctl import fastpath\nfastpath.parse = lambda argv: None\n"
              "from kkctl.__main__ import main\nmain()\n")


def _typer_command(name: str) -> Any:
    import typer

    from kkctl.cli import app

    return typer.main.get_command(app).commands[name]


# -- the options: the fast path knows each one as typer declares it ----------------------------

def _declared(param: Any) -> tuple[Any, ...]:
    """What typer makes of an option: names, kind, default, choices, range."""
    kind, low, high, choices = "str", None, None, ()
    # typer's own types, or click's in the oldest typer pyproject.toml allows
    kinds = {"TyperChoice": "choice", "Choice": "choice", "IntRange": "int",
             "TyperPath": "path", "Path": "path"}
    kind = kinds.get(type(param.type).__name__, kind)
    if param.is_flag:
        kind = "flag"
    elif param.multiple:
        kind = "multi"
    if kind == "choice":
        choices = tuple(param.type.choices)
        assert param.type.case_sensitive, param.name  # the fast path compares exactly
    if kind == "int":
        low, high = param.type.min, param.type.max
        assert not (param.type.min_open or param.type.max_open or param.type.clamp), param.name
    if kind == "path":  # what fastpath._path checks: an existing file must be readable
        path = param.type
        assert (path.exists, path.readable, path.writable, path.file_okay, path.dir_okay,
                path.allow_dash, path.resolve_path, path.type) == \
            (False, True, False, True, True, False, False, None), param.name
    default = getattr(param.default, "value", param.default)
    assert param.envvar is None and param.nargs == 1, param.name
    return (tuple(param.opts) + tuple(param.secondary_opts), kind, default, choices, low, high)


def _known(opt: fastpath.Opt) -> tuple[Any, ...]:
    return (opt.names, opt.kind, opt.default, opt.choices, opt.low, opt.high)


@pytest.mark.parametrize("command", sorted(fastpath.OPTIONS))
def test_every_option_is_declared_alike_on_both_paths(command: str) -> None:
    params = _typer_command(command).params
    path = params[0]
    assert (path.name, type(path).__name__, path.required, path.default, path.nargs,
            type(path.type).__name__) == ("path", "TyperArgument", False, None, 1,
                                          "StringParamType")
    declared = {param.name: _declared(param) for param in params[1:]}
    assert {opt.dest: _known(opt) for opt in fastpath.OPTIONS[command]} == declared


def test_the_fast_path_leaves_help_and_root_options_to_typer() -> None:
    import typer

    from kkctl.cli import app

    group = typer.main.get_command(app)
    help_names = set(group.context_settings["help_option_names"])
    root = {name: param for param in group.params for name in param.opts}
    assert root["--debug"].is_flag  # the only root option the fast path reads
    for command, options in fastpath.OPTIONS.items():
        names = {name for opt in options for name in opt.names}
        assert not names & (help_names | set(root)), command


# -- the values: what each path hands the command's function ------------------------------------

def _values(opt: fastpath.Opt) -> list[str | None]:
    """Values typer accepts for the option (None: a flag takes none)."""
    if opt.kind == "flag":
        return [None]
    if opt.kind == "choice":
        return list(opt.choices)
    if opt.kind == "int":
        low = opt.low or 0
        return [str(low), str(opt.high if opt.high is not None else low + 1_048_576), "007"]
    if opt.kind == "path":
        return ["report.out", "sub dir/ünïcode.txt"]
    return ["KK201", "promise-loop,KK230", "x=y"]


def _spellings(opt: fastpath.Opt, value: str | None) -> Iterator[list[str]]:
    for name in opt.names:
        if value is None:
            yield [name]
            continue
        yield [name, value]
        if name.startswith("--"):
            yield [f"{name}={value}"]


def _accepted(command: str) -> Iterator[list[str]]:
    """Every option of ``command`` spelled every way, before and after the folder; all at
    once; repeated (the last wins, lists add up); ``--debug`` before the command."""
    yield [command]
    yield [command, "org"]
    yield ["--debug", command, "org"]
    yield ["--debug", "--debug", command]
    everything: list[list[str]] = []
    for opt in fastpath.OPTIONS[command]:
        if opt.declined:
            continue
        for value in _values(opt):
            for spelled in _spellings(opt, value):
                yield [command, *spelled]
                yield [command, *spelled, "my org"]
                yield [command, "org", *spelled]
                yield [command, *spelled, *spelled, "org"]
        if opt.kind != "flag":  # the last one wins; a list takes both
            first, *_, last = (next(_spellings(opt, value)) for value in _values(opt))
            yield [command, *first, "org", *last]
        everything.append(next(_spellings(opt, _values(opt)[-1])))
    yield [command, *(arg for spelled in everything for arg in spelled), "org"]
    yield [command, "org", *(arg for spelled in everything[::-1] for arg in spelled)]


@pytest.fixture
def through_typer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                  ) -> Callable[[list[str]], tuple[str, dict[str, Any]]]:
    """Run argv through the typer app; what it passed to the command's function."""
    from kkctl.cli import app

    monkeypatch.chdir(tmp_path)
    calls: list[tuple[str, dict[str, Any]]] = []

    def recorder(command: str, result: object) -> Callable[..., object]:
        def function(**values: Any) -> object:
            calls.append((command, values))
            return result
        return function

    monkeypatch.setattr(fastpath, "validate", recorder("validate", 0))
    monkeypatch.setattr(fastpath, "lint", recorder("lint", (0, None)))
    monkeypatch.setattr(fastpath, "fmt", recorder("fmt", 0))

    def run(argv: list[str]) -> tuple[str, dict[str, Any]]:
        calls.clear()
        assert app(argv, prog_name="kkctl", standalone_mode=False) == 0, argv
        assert len(calls) == 1, argv
        return calls[0]

    return run


@pytest.mark.parametrize("command", sorted(fastpath.OPTIONS))
def test_every_spelling_typer_accepts_means_the_same_on_the_fast_path(
        command: str, through_typer: Callable[[list[str]], tuple[str, dict[str, Any]]]
) -> None:
    cases = list(_accepted(command))
    assert len(cases) > 50
    for argv in cases:
        fast = fastpath.parse(argv)
        assert fast is not None, f"the fast path declined {argv}"
        assert fast == through_typer(argv), argv


DECLINED = [
    [], ["--version"], ["--help"], ["status"], ["bonus", "org"], ["lint", "--write-baseline"],
    ["validate", "--help"], ["validate", "-h"], ["lint", "org", "--help"],
    ["validate", "a", "b"], ["validate", "--", "org"], ["validate", "-"], ["validate", ""],
    ["validate", "--debug"], ["--lang", "ru", "validate"], ["validate", "--formt", "json"],
    ["validate", "--format", "xml"], ["validate", "--format", "JSON"], ["validate", "--lang"],
    ["validate", "--lang", "EN"], ["validate", "-fjson"], ["validate", "-f=json"],
    ["validate", "--format="], ["validate", "--output", "--no-cache"], ["validate", "-o", "-"],
    ["validate", "--output", "a\0b"], ["validate", "--no-cache=yes"],
    ["validate", "--max-file-size", "0"], ["validate", "--max-file-size", "+5"],
    ["validate", "--max-file-size", "1_0"], ["validate", "--max-file-size", "1e3"],
    ["validate", "--max-file-size", "٣"], ["validate", "--max-file-size", "9" * 5000],
    ["lint", "--stage", "0"], ["lint", "--stage", "10"], ["lint", "--max-per-rule", "-1"],
    ["lint", "--profile", "lenient"], ["lint", "--select"], ["lint", "--strict=true"],
    ["fmt", "--check=yes"], ["fmt", "-f", "json"], ["fmt", "--output", "x"], ["fmt", "-c"],
    ["fmt", "org", "--help"], ["fmt", "--lang", "de"],
]


@pytest.mark.parametrize("argv", DECLINED, ids=repr)
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_KKCTL_COMPLETE", "complete_bash")
    assert fastpath.parse(["validate"]) is None


# -- the whole program: the same output and exit code either way --------------------------------

@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with two broken references: errors with their positions."""
    folder = tmp_path_factory.mktemp("startup") / "broken"
    shutil.copytree(ACME, folder)
    teams = folder / "org" / "teams.yaml"
    text = teams.read_text(encoding="utf-8")
    text = text.replace("success_indicator: m-savings-delivered", "success_indicator: m-no", 1)
    teams.write_text(text.replace("    leader: silva", "    leader: ghost", 1), encoding="utf-8")
    return folder


UNTIDY = {"kkctl.yaml": "kkctl: 1\norganisation: {name: Сеть, id: o, locale: ru}\n",
          "org/p.yaml": "people:\n- name: Ann\n  id: ann\n",
          "org/bad.yaml": "people: [\n"}


@pytest.fixture
def untidy(tmp_path: Path) -> Path:
    """Files fmt would change, one it cannot read, and a Russian organisation."""
    folder = tmp_path / "untidy"
    for name, text in UNTIDY.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _run(launcher: list[str], args: list[str], cwd: Path, cache: Path,
         env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "KKCTL_CACHE_DIR": str(cache), "NO_COLOR": "1",
                "KKCTL_LANG": "en", **(env or {})}
    full_env.pop("KKCTL_DEBUG", None)
    proc = subprocess.run([*launcher, *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def _both_ways(args: list[str], tmp_path: Path) -> tuple[Run, Run]:
    """The installed ``kkctl``, and the same program with every invocation sent to typer;
    each with a cache of its own, so neither answers from the other's results."""
    fast = _run(kkctl_command(), args, tmp_path, tmp_path / "cache-fast")
    typed = _run([sys.executable, "-c", TYPER_ONLY], args, tmp_path, tmp_path / "cache-typer")
    return fast, typed


CASES = [
    ["validate", "{acme}"],
    ["validate", "{broken}"],
    *(["validate", "{broken}", "-f", fmt] for fmt in fastpath.FORMATS if fmt != "text"),
    ["validate", "--lang", "ru", "{broken}"],
    ["validate", "{broken}", "--no-cache", "--max-file-size=100000"],
    ["validate", "{broken}", "--max-file-size", "1000"],
    ["validate", "{nowhere}"],
    ["validate", "{acme}", "-o", "{acme}/org/people.yaml"],
    ["--debug", "validate", "{broken}", "--format=github"],
    ["lint", "{acme}"],
    ["lint", "{broken}", "--strict"],
    ["lint", "{acme}", "--profile", "strict", "--stage", "9", "--max-per-rule", "1"],
    ["lint", "{acme}", "--profile=strict", "--stage=9", "--statistics", "--lang", "ru"],
    ["lint", "{acme}", "--profile", "strict", "--stage", "9", "--ignore", "KK248", "-f", "json"],
    ["lint", "{acme}", "--select", "member-without-reward", "--stage", "9", "-f", "sarif"],
    ["lint", "--list-rules", "--lang", "ru"],
    ["lint", "--list-rules", "-f", "json"],
    ["fmt", "--check", "{acme}"],
    ["fmt", "{untidy}", "--check"],
    ["fmt", "--check", "--lang=en", "{untidy}", "--no-cache", "--max-file-size", "5"],
    ["fmt", "--check", "{untidy}/org/p.yaml"],
    ["fmt", "--check", "{nowhere}"],
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_the_same_output_and_exit_code_either_way(args: list[str], tmp_path: Path,
                                                  broken: Path, untidy: Path) -> None:
    places = {"acme": str(ACME), "broken": str(broken), "nowhere": str(tmp_path / "nowhere"),
              "untidy": str(untidy)}
    filled = [arg.format(**places) for arg in args]
    fast, typed = _both_ways(filled, tmp_path)
    assert (fast.code, fast.out, fast.err) == (typed.code, typed.out, typed.err)
    assert "Traceback" not in fast.err and (fast.out or fast.err)


def test_a_report_written_to_a_file_is_the_same_either_way(tmp_path: Path, broken: Path
                                                           ) -> None:
    fast = _run(kkctl_command(), ["validate", str(broken), "-f", "sarif", "-o", "fast.sarif"],
                tmp_path, tmp_path / "cache-fast")
    typed = _run([sys.executable, "-c", TYPER_ONLY],
                 ["validate", str(broken), "-f", "sarif", "-o", "typer.sarif"], tmp_path,
                 tmp_path / "cache-typer")
    assert (fast.code, fast.out, fast.err) == (typed.code, typed.out, typed.err) == (1, "", "")
    assert (tmp_path / "fast.sarif").read_text() == (tmp_path / "typer.sarif").read_text()


def test_fmt_writes_the_same_files_and_says_the_same_either_way(tmp_path: Path) -> None:
    runs, trees = [], []
    for launcher in (kkctl_command(), [sys.executable, "-c", TYPER_ONLY]):
        place = tmp_path / str(len(runs))
        for name, text in UNTIDY.items():
            (place / name).parent.mkdir(parents=True, exist_ok=True)
            (place / name).write_text(text, encoding="utf-8")
        runs.append(_run(launcher, ["fmt"], place, place / ".cache"))
        trees.append({name: (place / name).read_text(encoding="utf-8") for name in UNTIDY})
    fast, typed = runs
    assert (fast.code, fast.out, fast.err) == (typed.code, typed.out, typed.err)
    assert fast.code == 1 and "bad.yaml:2:1" in fast.err  # one file could not be read
    assert trees[0] == trees[1]
    assert trees[0]["org/p.yaml"] == "people:\n  - id: ann\n    name: Ann\n"


def test_errors_in_the_options_are_typer_s(kkctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = kkctl("validate", str(ACME), "--format", "xml", cwd=tmp_path)
    assert run.code == 2 and "'xml' is not one of" in run.err
    run = kkctl("lint", "--stage", "10", cwd=tmp_path)
    assert run.code == 2 and "--stage" in run.err
    assert kkctl("validate", "--help", cwd=tmp_path).out.startswith("Usage: kkctl validate")


@pytest.mark.parametrize("args", [["validate", "{acme}"], ["validate", "{broken}", "--lang", "ru"],
                                  ["validate", "{broken}", "-f", "sarif", "--no-cache"],
                                  ["lint", "{acme}", "--profile", "strict", "--stage", "9"],
                                  ["fmt", "--check", "{acme}"], ["fmt", "{broken}"]],
                         ids=" ".join)
def test_validate_lint_and_fmt_never_load_typer_click_rich_or_babel(
        args: list[str], tmp_path: Path, broken: Path) -> None:
    filled = [arg.format(acme=ACME, broken=broken) for arg in args]
    run = _run(kkctl_command(), filled, tmp_path, tmp_path / "cache",
               env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert run.code in (0, 1), run.err
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in run.err.splitlines()
              if line.startswith("import time:")}
    assert "kkctl" in loaded  # the import log is there to read
    assert not loaded & {"typer", "click", "rich", "babel"}


# -- whole numbers and plurals written without Babel, as Babel writes them ----------------------

def _samples() -> list[int]:
    return [*range(0, 2500), 9_999, 10_000, 11_111, 12_345_678, 1_000_000_001, 10**18 + 7]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_counts_read_as_cldr_says(lang: str) -> None:
    from babel import Locale
    from babel.numbers import format_decimal

    from kkctl import i18n

    locale = Locale.parse(lang)
    for n in _samples():
        assert i18n.plural_category(n, lang) == locale.plural_form(n), n
        assert i18n.plural_category(-n, lang) == locale.plural_form(n), -n
        for value in (n, -n):
            assert i18n.number(value, lang) == format_decimal(value, format="#,##0",
                                                              locale=locale), value


def test_the_plain_classes_on_the_start_up_path_keep_their_value_behaviour() -> None:
    """Diagnostic and Skipped were a frozen dataclass and a NamedTuple before start-up lost
    those imports: a diagnostic is still equal and hashed by everything but its arguments,
    and both survive pickling (the report's child sends them back) and copying."""
    import copy
    import pickle
    from pathlib import Path

    from kkctl.diagnostics import Diagnostic, Severity
    from kkctl.project import Skipped

    one = Diagnostic("KK101", Severity.ERROR, "org/t.yaml", 3, 7, ("teams", 0, "leader"),
                     "ref.unknown", {"id": "x"}, ("team", "t"))
    same = Diagnostic("KK101", Severity.ERROR, "org/t.yaml", 3, 7, ("teams", 0, "leader"),
                      "ref.unknown", {"id": "other words"}, ("team", "t"))
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    assert one != one.but(severity=Severity.WARNING) and one.but(file="b.yaml").file == "b.yaml"
    back = pickle.loads(pickle.dumps(one))
    assert back == one and back.args == one.args and back.subject == one.subject

    skipped = Skipped(Path("org/x.yaml"), "file.symlink_outside", {"target": "/etc"})
    for twin in (pickle.loads(pickle.dumps(skipped)), copy.copy(skipped),
                 copy.deepcopy(skipped)):
        assert twin == skipped and twin.path == Path("org/x.yaml") and twin.args == skipped.args
    path, message_id, args = skipped
    assert (path, message_id, args) == (skipped.path, "file.symlink_outside", skipped.args)
