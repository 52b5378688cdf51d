"""Printing for people (aligned tables) and for scripts (JSON), shared by every command."""

from __future__ import annotations

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
    for row in rows:
        out.write(separator + encode(dict(zip(columns, row, strict=True))))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")
    out.flush()


def _width(text: str) -> int:
    # Combining marks take no column; NFC text rarely has them, but NFD input must still line up.
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as left-aligned columns under a header line."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()

    click.echo(line(cells[0]))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        click.echo(line(row))


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Yield items; once the work has taken more than a second, show a progress bar on a terminal's stderr."""
    started = time.monotonic()
    bar: Any = None
    try:
        for done, item in enumerate(items):
            if bar is None and sys.stderr.isatty() and time.monotonic() - started > PROGRESS_AFTER_SECONDS:
                bar = click.progressbar(length=len(items), label=label, file=sys.stderr, show_pos=True)
                bar.__enter__()
                bar.update(done)
            yield item
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
