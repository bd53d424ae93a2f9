"""A real, non-editable install into a fresh virtual environment, used from another folder.

The JSON Schema and the Jinja2 templates live at the top of the repository (``schemas/``,
``templates/``); pyproject.toml maps them into the package as ``kkctl.schemas`` and
``kkctl.templates``. These tests build the sdist, then the wheel from that sdist (what
``python -m build`` does), and check that both carry them and that the installed console
script finds them from any folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

OFFLINE_SIGNS = ("NewConnectionError", "Could not fetch URL", "No matching distribution",
                 "Temporary failure in name resolution")
MAPPED = {"kkctl.schemas": "schemas", "kkctl.templates": "templates"}


def _files(folder: Path) -> list[str]:
    """Every file below ``folder`` (posix, relative), bytecode caches left out."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def _setuptools_config() -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml needs tomli")
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    config: dict[str, object] = tomllib.loads(text)["tool"]["setuptools"]
    return config


def test_schemas_and_templates_live_at_the_top_of_the_repository() -> None:
    assert (REPO / "schemas" / "kkctl.schema.json").is_file()
    assert (REPO / "templates" / "init" / "kkctl.yaml.j2").is_file()
    assert (REPO / "templates" / "report" / "report.md.j2").is_file()
    # one copy only: none left behind inside the package
    assert not (REPO / "src" / "kkctl" / "schemas").exists()
    assert not (REPO / "src" / "kkctl" / "templates").exists()


def test_pyproject_lists_every_package_and_maps_the_data_folders() -> None:
    """The mapping rules out package discovery, so the list is explicit: it must name every
    folder of src/kkctl that holds Python code, or the wheel would silently lack it."""
    config = _setuptools_config()
    package_dir = config["package-dir"]
    assert package_dir == {"": "src", **MAPPED}
    listed = set(config["packages"])  # type: ignore[call-overload]
    code = {".".join(p.parent.relative_to(REPO / "src").parts)
            for p in (REPO / "src" / "kkctl").rglob("*.py") if "__pycache__" not in p.parts}
    assert code <= listed, f"add to [tool.setuptools] packages: {sorted(code - listed)}"
    data = {".".join([name, *p.relative_to(REPO / folder).parent.parts])
            for name, folder in MAPPED.items() for p in (REPO / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert data <= listed, f"add to [tool.setuptools] packages: {sorted(data - listed)}"
    assert listed <= code | data, f"no such folder: {sorted(listed - code - data)}"


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment's bin folder, with ``build`` in it."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    bin_dir = root / ("Scripts" if os.name == "nt" else "bin")
    _pip(bin_dir, "install", "build")
    return bin_dir


def _pip(bin_dir: Path, *args: str) -> None:
    run = subprocess.run([str(bin_dir / "python"), "-m", "pip", "--disable-pip-version-check",
                          "--quiet", *args], capture_output=True, text=True, timeout=900)
    if run.returncode != 0 and any(s in run.stderr for s in OFFLINE_SIGNS):
        pytest.skip("no package index reachable to build and install kkctl")
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module")
def dists(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist, and the wheel built from it (``python -m build``)."""
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([str(venv / "python"), "-m", "build", "--outdir", str(out), str(REPO)],
                         capture_output=True, text=True, timeout=900)
    if run.returncode != 0 and any(s in run.stdout + run.stderr for s in OFFLINE_SIGNS):
        pytest.skip("no package index reachable to build kkctl")
    assert run.returncode == 0, run.stdout + run.stderr
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return sdist, wheel


@pytest.mark.slow
def test_sdist_carries_schemas_and_templates(dists: tuple[Path, Path]) -> None:
    """A wheel built from the sdist (pip does so for a source install) needs them there."""
    with tarfile.open(dists[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for folder in MAPPED.values():
        missing = {f"{folder}/{f}" for f in _files(REPO / folder)} - names
        assert not missing, f"the sdist lacks {sorted(missing)}"


@pytest.mark.slow
def test_wheel_ships_schemas_templates_and_code_inside_the_package(
        dists: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(dists[1]).namelist())
    for name, folder in MAPPED.items():
        inside = name.replace(".", "/")
        missing = {f"{inside}/{f}" for f in _files(REPO / folder)} - names
        assert not missing, f"the wheel lacks {sorted(missing)}"
    code = {f"kkctl/{f}" for f in _files(REPO / "src" / "kkctl")
            if f.endswith(".py") or f == "py.typed"}
    assert "kkctl/py.typed" in code
    assert not code - names, f"the wheel lacks {sorted(code - names)}"
    assert not [n for n in names if n.startswith(("schemas/", "templates/"))], \
        "schemas and templates belong inside the package, not at the top of site-packages"


@pytest.mark.slow
def test_fresh_venv_install_runs_from_any_folder(venv: Path, dists: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    _pip(venv, "install", str(dists[1]))  # dependencies from the index, as a user gets them

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "KKCTL_CACHE_DIR": str(tmp_path / "cache"), "KKCTL_LANG": "en",
           "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    kkctl = str(venv / "kkctl")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([kkctl, *args], cwd=elsewhere, capture_output=True, text=True,
                              env=env, timeout=300)

    located = subprocess.run(
        [str(venv / "python"), "-c",
         "import kkctl, kkctl.schemas, kkctl.templates, sys;"
         "sys.stdout.write('\\n'.join(m.__file__ for m in (kkctl, kkctl.schemas,"
         " kkctl.templates)))"],
        cwd=elsewhere, capture_output=True, text=True, check=True, env=env)
    venv_root = str(venv.parent)
    for path in located.stdout.splitlines():
        assert path.startswith(venv_root) and str(REPO) not in path, path

    done = run("validate", str(EXAMPLES / "poleznaya-eda"))
    assert done.returncode == 0, done.stdout + done.stderr

    # the schema: the committed file, byte for byte
    done = run("schema", "--out", "schemas")
    assert done.returncode == 0, done.stderr
    written = (elsewhere / "schemas" / "kkctl.schema.json").read_bytes()
    assert written == (REPO / "schemas" / "kkctl.schema.json").read_bytes()
    assert json.loads(written)["$defs"]["projectFile"]["required"] == ["kkctl", "organisation"]

    # the report templates: the committed reports are what the installed kkctl renders
    for example, lang in (("poleznaya-eda", "ru"), ("acme-consulting", "en")):
        folder = EXAMPLES / example
        done = run("report", str(folder), "--lang", lang, "--out", str(folder / "REPORT.md"),
                   "--check")
        assert done.returncode == 0, done.stdout + done.stderr

    # the init templates: a scaffold that names the schema and lints clean
    done = run("init", "company")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (elsewhere / "company" / "schemas" / "kkctl.schema.json").read_bytes() == written
    assert (elsewhere / "company" / "kkctl.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=schemas/kkctl.schema.json")
    done = run("lint", "company")
    assert done.returncode == 0, done.stdout + done.stderr
