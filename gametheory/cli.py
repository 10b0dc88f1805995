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
import os
import signal
import sys
import threading

from . import __version__, commands
from .commands._common import OneLineParser, check_output_paths
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
    parser = OneLineParser(prog="gametheory", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"gametheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    for p in sub.choices.values():  # the commands' module docstrings, shown as typed (paragraphs, examples)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        p.description = plain_text(p.description)
    return parser


def _interrupt(signum, frame):
    """SIGTERM (``kill``, ``timeout``) ends a run like Ctrl-C: finally-blocks run, temporary files go."""
    raise KeyboardInterrupt


def main(argv=None) -> int:
    """Run one command; returns its exit status (2: bad arguments, 130: interrupted)."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # name=value parameters may follow options
            if isinstance(getattr(args, "params", None), list) and all("=" in e for e in extra):
                args.params += extra
            else:
                parser.error("unrecognized arguments: " + " ".join(extra))
    except SystemExit as exc:  # --help, --version, parser errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        check_output_paths(args)
        return int(args.func(args) or 0)
    except ParameterError as exc:
        print(f"gametheory {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gametheory {args.command}: interrupted; finished parts are kept and reused on the next run",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``gametheory figures --list | head -1``): stop quietly; send what is still
        # buffered to /dev/null so that the interpreter's final flush does not raise again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
