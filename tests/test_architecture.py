"""The layout is the architecture: layers without back-references, no import cycle, one import name.

Layers, from the bottom:

1. ``core``: the library (games, methods, backends, derive, exact, spectral,
   sweep, simulate, dynamics, msv, plotting, io, provenance, validation, the
   claims' types, neural);
2. ``analyses``: convergence tables, regions, optimal hyperparameters;
3. ``checks``: ``figures`` and ``paper_checks`` (siblings: neither imports the other);
4. ``app``: the report, the command line and its commands.

A module may import its own layer and the layers below it, never above. Every
import counts, also those inside functions (a lazy import is still a
dependency). The three top-level folders install as ``gametheory.analyses``,
``gametheory.figures`` and ``gametheory.paper_checks``; nothing imports them
by their bare folder names.
"""
import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gametheory.provenance import source_files, source_modules

ROOT = Path(__file__).resolve().parent.parent
APP = ("gametheory.report", "gametheory.cli", "gametheory.__main__", "gametheory.commands")
LAYERS = {"core": 0, "analyses": 1, "figures": 2, "paper_checks": 2, "app": 3}


def layer(mod: str) -> str:
    if mod == "gametheory.analyses" or mod.startswith("gametheory.analyses."):
        return "analyses"
    for sib in ("figures", "paper_checks"):
        if mod == f"gametheory.{sib}" or mod.startswith(f"gametheory.{sib}."):
            return sib
    if any(mod == a or mod.startswith(a + ".") for a in APP):
        return "app"
    return "core"


def _imports(path: Path, mod: str, is_package: bool, known: set) -> set:
    """Every toolkit module that ``mod`` imports explicitly (at any depth of the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = mod if is_package else mod.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # "from package import submodule" depends on the submodule
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # "import gametheory.sweep.roots as r" -> that module
                t = t.rpartition(".")[0]
            if t and t != mod:
                out.add(t)
    return out


@pytest.fixture(scope="module")
def graph():
    files = source_modules()
    known = set(files)
    return {m: _imports(p, m, p.name == "__init__.py", known) for m, p in files.items()}


def test_the_graph_sees_the_whole_toolkit(graph):
    assert {"gametheory.spectral", "gametheory.sweep.engine", "gametheory.analyses.conditions",
            "gametheory.figures", "gametheory.paper_checks.icr2019", "gametheory.report",
            "gametheory.commands.check"} <= set(graph)
    assert "gametheory.sweep.general" in graph["gametheory.spectral"]  # the parser sees imports


def test_no_module_imports_a_higher_layer(graph):
    bad = []
    for mod, deps in graph.items():
        for dep in deps:
            a, b = layer(mod), layer(dep)
            if LAYERS[b] > LAYERS[a] or (LAYERS[a] == LAYERS[b] and a != b):
                bad.append(f"{mod} ({a}) imports {dep} ({b})")
    assert not bad, "layer violations:\n" + "\n".join(sorted(bad))


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle(graph):
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


BARE = ("analyses", "figures", "paper_checks")


def _bare_imports(path: Path) -> list:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hits = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        hits += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names if n.split(".")[0] in BARE]
    return hits


def test_no_bare_imports_of_the_top_level_folders():
    """``import analyses`` would load a second copy of the module under another name."""
    files = [p for _, p in source_files()]
    files += sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py"))
    files += sorted((ROOT / "examples").rglob("*.py")) if (ROOT / "examples").exists() else []
    hits = [h for f in files for h in _bare_imports(f)]
    assert not hits, "import these as gametheory.<name>:\n" + "\n".join(hits)


@pytest.mark.slow
def test_a_built_wheel_holds_one_top_level_name_and_works_from_anywhere(tmp_path):
    """A non-editable install: only ``gametheory`` at the top, and its subpackages import from any folder."""
    src = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "out", "build", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(src)], check=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("gametheory-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        tops = {n.split("/")[0] for n in z.namelist() if not n.split("/")[0].endswith(".dist-info")}
        assert tops == {"gametheory"}
        assert "gametheory/py.typed" in z.namelist()  # PEP 561: type checkers use the package's hints
        in_wheel = {n for n in z.namelist() if n.endswith(".py")}
    # every source file is in the wheel (pyproject lists the packages: a new subpackage must be added there)
    assert {name.replace("gametheory.analyses/", "gametheory/analyses/")
            .replace("gametheory.figures/", "gametheory/figures/")
            .replace("gametheory.paper_checks/", "gametheory/paper_checks/") for name, _ in source_files()} == in_wheel
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True)
    probe = ("import gametheory, gametheory.analyses.conditions as c, gametheory.figures as f;"
             "from gametheory.paper_checks import registry;"
             "assert gametheory.__file__.startswith(%r), gametheory.__file__;"
             "assert c.__file__.startswith(%r);"
             "print(len(registry()), len(f.registry()))") % (str(target), str(target))
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    n_claims, n_figures = map(int, out.stdout.split())
    assert n_claims >= 37 and n_figures >= 12


# ---- the tests are a map of the code ---------------------------------------------------------------------------
#: modules tested as a group, by one test module named here (each entry says why)
TESTED_TOGETHER = {
    "gametheory.figures.": "tests/test_figures.py",      # every figure through the registry's contract tests
    "gametheory.commands.": "tests/test_cli.py",         # the command line's contract, command by command
    "gametheory.report.": "tests/test_report.py",        # sections, markup and pages through the built report
}


def expected_test_module(mod: str) -> str:
    """``gametheory.a.b`` -> ``tests/a/test_b.py`` (a private ``_b`` too); a package's ``__init__`` ->
    ``tests/<parent>/test_<name>.py``."""
    for prefix, path in TESTED_TOGETHER.items():
        if mod.startswith(prefix):
            return path
    parts = mod.split(".")[1:]
    return str(Path("tests", *parts[:-1], f"test_{parts[-1].lstrip('_')}.py"))


def _defines_something(path: Path) -> bool:
    """A module with a function or class of its own (not only re-exports, constants and a docstring)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body)


def test_every_module_has_its_test_module():
    missing = {}
    for mod, path in source_modules().items():
        if mod in ("gametheory", "gametheory.__main__") or not _defines_something(path):
            continue
        want = expected_test_module(mod)
        if not (ROOT / want).exists():
            missing[mod] = want
    assert not missing, f"tests mirror the package: write these test modules: {missing}"


def test_every_test_module_names_a_module_or_a_topic():
    """A test file under a package folder tests a module of that package (no orphans after a rename)."""
    modules = set(source_modules())
    orphans = []
    for f in sorted((ROOT / "tests").rglob("test_*.py")):
        rel = f.relative_to(ROOT / "tests")
        if len(rel.parts) == 1:
            continue  # top-level test modules: a module of gametheory or a cross-cutting topic (docs, examples)
        package, name = ".".join(("gametheory",) + rel.parts[:-1]), rel.stem[len("test_"):]
        if f"{package}.{name}" not in modules and f"{package}._{name}" not in modules:
            orphans.append(str(rel))
    assert not orphans, f"these test modules test no module (rename them after the module): {orphans}"
