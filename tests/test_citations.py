"""What users read names real sources (authors, title, venue), never the project's internal file names.

The toolkit was written from local copies of blog posts and slides filed as
"seed 000" ... "seed 004" and from notes on the papers' settings; those names
mean nothing to a reader. This test scans everything a user reads: the claim
registry (citations, statements), the figures' sources and captions, every
string in the package's source (docstrings become the API reference; other
strings reach the CLI, the JSON and the report), the command-line help, the
README, the project files, the docs and the examples.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INTERNAL = re.compile(r"\bseeds? \d{3}\b|\bseeds \d{3}(, \d{3})+|reference[- ]settings|design\.md|shared/seeds",
                      re.IGNORECASE)
SOURCE_DIRS = ("gametheory", "analyses", "figures", "paper_checks", "examples", "docs")
TEXT_FILES = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "CITATION.cff")


def _strings(path: Path):
    """Every string literal of a Python file (docstrings and the parts of f-strings included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_pattern_catches_the_internal_names():
    for bad in ("(seed 002)", "seeds 000, 002", "rates from reference-settings", "see design.md"):
        assert INTERNAL.search(bad), bad
    for fine in ("seed 0", "(seed 2020)", "Seeds and versions are recorded", "20 GAN seeds"):
        assert not INTERNAL.search(fine), fine


def test_claims_and_figures_cite_real_sources():
    from gametheory import figures
    from gametheory.paper_checks import registry

    bad = [(c.id, t) for c in registry().values() for t in (c.citation, c.statement, c.math) if INTERNAL.search(t)]
    bad += [(m.ID, t) for m in figures.registry() for t in (m.SOURCE, m.CAPTION) if INTERNAL.search(t)]
    assert not bad, bad
    # every citation names a source: an author and a year or venue
    for c in registry().values():
        assert re.search(r"[A-Z][a-zäé]+", c.citation) and re.search(r"\b(19|20)\d\d\b|ICML|NeurIPS|ICLR|[Ss]lides",
                                                                     c.citation), c.id


def test_no_internal_names_in_source_strings_docs_and_project_files():
    bad = []
    for d in SOURCE_DIRS:
        for path in sorted((ROOT / d).rglob("*.py")) if (ROOT / d).exists() else []:
            bad += [f"{path.relative_to(ROOT)}:{line}" for line, s in _strings(path) if INTERNAL.search(s)]
        for path in sorted((ROOT / d).rglob("*")) if (ROOT / d).exists() else []:
            if path.suffix in (".rst", ".md", ".txt") and "_build" not in path.parts:
                bad += [f"{path.relative_to(ROOT)}" for m in INTERNAL.finditer(path.read_text(encoding="utf-8"))]
    for name in TEXT_FILES:
        path = ROOT / name
        if path.exists():
            bad += [f"{name}: {m.group(0)!r}" for m in INTERNAL.finditer(path.read_text(encoding="utf-8"))]
    assert not bad, bad


@pytest.mark.parametrize("command", ["analyze", "check", "figures", "gan", "glgd", "reproduce", "table"])
def test_cli_help_names_no_internal_files(command, capsys):
    from gametheory.cli import main

    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert not INTERNAL.search(capsys.readouterr().out)
