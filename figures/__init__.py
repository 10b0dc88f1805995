"""One module per regenerated figure, and the registry that renders them all.

Each module ``figures/figNN_*.py`` states in its docstring which source and
figure it regenerates, and exposes

* ``ID`` (``"fig01"`` ...), ``CAPTION``, ``SOURCE``;
* ``make(out_dir, formats=("png",), dpi=None) -> list[Path]``.

:func:`registry` lists them in order; :func:`generate` renders a selection
and writes an index (``index.md`` and ``index.json``) listing every file with
its caption and source. The command line is ``gametheory figures``.

Examples
--------
>>> [m.ID for m in registry()][:3]
['fig01', 'fig02', 'fig03']
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time
from pathlib import Path

__all__ = ["registry", "generate", "resolve", "write_index"]

_PATTERN = re.compile(r"^fig(\d\d)_\w+$")


def registry() -> list:
    """The figure modules, ordered by number."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if _PATTERN.match(info.name))
    return [importlib.import_module(f"{__name__}.{n}") for n in names]


def resolve(ids=None) -> list:
    """Figure modules selected by id: ``"fig03"``, ``"3"``, ``"03"`` or the module name; None selects all."""
    from gametheory.validation import fail

    mods = registry()
    if ids is None:
        return mods
    if isinstance(ids, str):
        ids = [i for i in re.split(r"[,\s]+", ids) if i]
    chosen = []
    for i in ids:
        key = str(i).strip().lower()
        if key.isdigit():
            key = f"fig{int(key):02d}"
        match = [m for m in mods if m.ID == key or m.__name__.rsplit(".", 1)[-1] == key]
        if not match:
            fail("only", "figure ids among " + ", ".join(m.ID for m in mods), i)
        for m in match:
            if m not in chosen:
                chosen.append(m)
    return chosen


def write_index(entries, out: Path) -> list:
    """Write ``index.json`` and ``index.md`` listing each figure's files with its caption."""
    from gametheory.io import atomic_write_json, atomic_write_text

    out = Path(out)
    lines = ["# Regenerated figures", ""]
    for e in entries:
        lines += [f"## {e['id']}", "", e["caption"], "", f"Source: {e['source']}", ""]
        for f in e["files"]:
            rel = Path(f).relative_to(out) if Path(f).is_relative_to(out) else Path(f)
            if rel.suffix == ".png":
                lines.append(f"![{e['id']}]({rel.as_posix()})")
            lines.append(f"- [{rel.as_posix()}]({rel.as_posix()})")
        lines.append("")
    listing = [{**e, "files": [str(Path(f).relative_to(out)) if Path(f).is_relative_to(out) else str(f)
                               for f in e["files"]]} for e in entries]
    return [atomic_write_json(out / "index.json", listing),
            atomic_write_text(out / "index.md", "\n".join(lines))]


def generate(ids=None, out="out/figures", formats=("png",), progress: bool = True, dpi=None) -> list:
    """Render the selected figures into ``out`` and write the index.

    Parameters
    ----------
    ids : list of str, optional
        Figure ids (see :func:`resolve`); all when None.
    out : path
        Output folder (created).
    formats : sequence or comma-separated str of "png", "pdf", "svg"
    progress : bool
        Show a tqdm progress bar.
    dpi : int, optional
        Raster resolution.

    Returns
    -------
    list of dict
        ``{"id", "caption", "source", "files", "seconds"}`` per figure, in order.
    """
    from gametheory.plotting import _formats

    formats = _formats(formats)
    mods = resolve(ids)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    it = mods
    bar = None
    if progress:
        from tqdm.auto import tqdm

        it = bar = tqdm(mods, desc="figures", unit="fig")
    entries = []
    for m in it:
        if bar is not None:
            bar.set_postfix_str(m.ID)
        t0 = time.perf_counter()
        files = m.make(out, formats=formats, dpi=dpi)
        entries.append({"id": m.ID, "caption": m.CAPTION, "source": m.SOURCE, "files": [Path(f) for f in files],
                        "seconds": round(time.perf_counter() - t0, 2)})
    write_index([{k: v for k, v in e.items() if k != "seconds"} for e in entries], out)
    return entries
