"""The sections of the report, in page order.

Each module renders one section from ``results`` (the content of
``results.json``): ``ANCHOR`` (its id in the page), ``TITLE``,
``html(results) -> str`` and ``markdown(results) -> str``. A new section is
a new module here, listed in :data:`SECTIONS`.
"""
from __future__ import annotations

from . import claims, figures, neural, provenance, tables, theory_neural

SECTIONS = (claims, tables, figures, neural, theory_neural, provenance)

__all__ = ["SECTIONS"]
