"""Checks shared by every command, run by :func:`gametheory.cli.main` before a command starts its work.

* Output paths: ``--out DIR`` (a folder) and ``--json FILE`` (when it names a
  file rather than switching JSON output on) must be writable, checked before
  any work is done, so an hour of training never ends on "cannot write". The
  check creates nothing: it finds the nearest existing folder on the path and
  asks whether it is a writable folder (a file in the way is refused).
* Parser errors are one line (``gametheory CMD: error: ...``) with exit status 2,
  like every :class:`~gametheory.validation.ParameterError`.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..validation import fail

__all__ = ["OneLineParser", "check_output_paths", "writable_folder", "writable_file"]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _existing_ancestor(path: Path) -> Path:
    p = path
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    return p


def writable_folder(name: str, path) -> Path:
    """``path`` if it is, or can be created as, a writable folder (nothing is created here)."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        fail(name, "a folder (it is an existing file)", str(path))
    base = _existing_ancestor(path)
    if not base.is_dir():
        fail(name, f"a folder that can be created ({base} is a file)", str(path))
    if not os.access(base, os.W_OK | os.X_OK):
        fail(name, f"a folder that can be written ({base} is not writable)", str(path))
    return path


def writable_file(name: str, path) -> Path:
    """``path`` if a file can be written there (its folder exists or can be created)."""
    path = Path(path).expanduser()
    if path.is_dir():
        fail(name, "a file name (it is an existing folder)", str(path))
    if path.exists() and not os.access(path, os.W_OK):
        fail(name, "a file that can be written (it is read-only)", str(path))
    writable_folder(name, path.parent if str(path.parent) else Path("."))
    return path


def check_output_paths(args):
    """Check every output path a command was given (``--out`` folders, ``--json`` files) before it starts."""
    out = getattr(args, "out", None)
    if isinstance(out, (str, os.PathLike)):
        writable_folder("out", out)
    target = getattr(args, "json", None)
    if isinstance(target, (str, os.PathLike)) and not isinstance(target, bool):
        writable_file("json", target)
