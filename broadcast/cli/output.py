"""Printing for people (aligned tables) and for scripts (JSON), shared by every command."""

from __future__ import annotations

import functools
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
PROGRESS_AFTER_SECONDS = 1.0
PROGRESS_LINE_SECONDS = 10.0  # without a terminal: one line this often
# A listing writes this many lines at once: a pipe, or a stdout left unbuffered (PYTHONUNBUFFERED), then sees a
# few large writes instead of one per row, which made its reader wake 10,000 times for a national list.
JSON_LINES_AT_ONCE = 1000


def json_option(func: F) -> F:
    """The shared `--json` flag."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")(func)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_json_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print rows as a JSON array of objects with these keys, one object a line, written as the rows come: a
    national list is never held whole, and json's C encoder does the work (indent would turn it off)."""
    out = click.get_text_stream("stdout")
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    separator = "[\n"
    lines: list[str] = []
    for row in rows:
        lines.append(separator + encode(dict(zip(columns, row, strict=True))))
        separator = ",\n"
        if len(lines) == JSON_LINES_AT_ONCE:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines) + ("[]\n" if separator == "[\n" else "\n]\n"))
    out.flush()


@functools.cache
def _char_width(ch: str) -> int:
    # Combining marks take no column; NFC text rarely has them, but NFD input must still line up.
    return 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_char_width, text))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as left-aligned columns under a header line."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    sizes = [[_width(cell) for cell in row] for row in cells]  # measured once: a national list has 75,000 cells
    widths = [max(column) for column in zip(*sizes, strict=True)]

    def line(row: list[str], size: list[int]) -> str:
        return "  ".join(cell + " " * (widths[i] - size[i]) for i, cell in enumerate(row)).rstrip()

    lines = [line(cells[0], sizes[0]), "  ".join("-" * w for w in widths)]
    lines += [line(row, size) for row, size in zip(cells[1:], sizes[1:], strict=True)]
    click.echo("\n".join(lines))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Yield items; once the work has taken more than a second, show how far it is: a bar with the count and an
    ETA on a terminal's stderr, else a plain line on stderr every PROGRESS_LINE_SECONDS (for logs and cron mail)."""
    started = time.monotonic()
    total = len(items)
    bar: Any = None
    said = started
    try:
        for done, item in enumerate(items):
            now = time.monotonic()
            if bar is None and now - started > PROGRESS_AFTER_SECONDS:
                if sys.stderr.isatty():
                    bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True)
                    bar.__enter__()
                    bar.update(done)
                elif done and now - said >= PROGRESS_LINE_SECONDS:
                    left = (now - started) / done * (total - done)
                    click.echo(f"{label}: {done:,} of {total:,}, about {_duration(left)} left", err=True)
                    said = now
            yield item
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
