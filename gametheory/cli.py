"""The ``gametheory`` command line.

Each subcommand lives in its own module under :mod:`gametheory.commands`
and provides ``register(subparsers)``, which adds its parser and sets
``func`` to the function that runs it. Modules are discovered, so adding a
command never edits this file.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys

from . import __version__, commands
from .validation import ParameterError


_ROLE = re.compile(r":(?:py:)?(?:func|mod|class|meth|attr|data|obj|exc):`~?([^`<]*?)(?:\s*<[^>]*>)?`")


def plain_text(doc: str) -> str:
    """A reST docstring as plain text for ``--help``: ````code```` and roles unwrapped, paragraphs kept.

    Examples
    --------
    >>> plain_text("``gametheory check``: see :func:`gametheory.paper_checks.run_checks`.")
    'gametheory check: see gametheory.paper_checks.run_checks.'
    >>> plain_text(":mod:`~gametheory.report.parts` and :func:`text <target>`")
    'parts and text'
    """
    text = inspect.cleandoc(doc or "")
    text = _ROLE.sub(lambda m: m.group(1).strip().rsplit(".", 1)[-1] if "`~" in m.group(0) else m.group(1).strip(),
                     text)
    text = re.sub(r"``(.+?)``", r"\1", text, flags=re.S)
    text = re.sub(r"(?<![\w`])`([^`]+)`(?!`)", r"\1", text)  # `default role`
    text = re.sub(r"::\n", ":\n", text)
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gametheory", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"gametheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    for p in sub.choices.values():  # the commands' module docstrings, shown as typed (paragraphs, examples)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        p.description = plain_text(p.description)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # name=value parameters may follow options
        if isinstance(getattr(args, "params", None), list) and all("=" in e for e in extra):
            args.params += extra
        else:
            parser.error("unrecognized arguments: " + " ".join(extra))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ParameterError as exc:
        print(f"gametheory {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gametheory {args.command}: interrupted; finished parts are kept and reused on the next run",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
