"""Sphinx configuration: the API reference is built from the docstrings (autodoc + numpydoc).

Build: ``python -m sphinx -W --keep-going -b html docs out/docs`` (warnings are errors, as in CI:
``tests/test_docs.py`` runs this build).
"""
import warnings

import gametheory

# numpydoc warns about sections of SymPy's own docstrings (objects our annotations mention); not ours
warnings.filterwarnings("ignore", message="Unknown section Explanation", category=UserWarning)

project = "gametheory"
author = "the gametheory authors"
copyright = "the gametheory authors (MIT licence)"
version = release = gametheory.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinx.ext.mathjax", "numpydoc"]
exclude_patterns = ["_build"]
root_doc = "index"

autodoc_default_options = {}
autodoc_member_order = "bysource"
autodoc_typehints = "none"          # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False  # members are listed by autodoc itself
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
suppress_warnings = ["ref.python"]  # one name re-exported in several modules (e.g. ParameterError)

html_theme = "alabaster"
html_title = f"gametheory {release}"
html_static_path = []
