"""Printing for scripts: a JSON listing is one valid array, one object a line, however many rows it has."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from broadcast.cli.output import JSON_LINES_AT_ONCE, print_json_rows

COLUMNS = ("code", "name", "active")


def printed(count: int) -> str:
    @click.command()
    def listing() -> None:
        print_json_rows(COLUMNS, ((f"{n:05d}", f"Xã Số {n}", n % 2 == 0) for n in range(count)))

    result = CliRunner().invoke(listing, catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize("count", [0, 1, JSON_LINES_AT_ONCE, 2 * JSON_LINES_AT_ONCE + 7])
def test_rows_print_as_one_array_one_object_a_line(count: int) -> None:
    text = printed(count)
    rows = [{"code": f"{n:05d}", "name": f"Xã Số {n}", "active": n % 2 == 0} for n in range(count)]
    assert json.loads(text) == rows
    if count == 0:
        assert text == "[]\n"
    else:
        lines = text.splitlines()
        assert lines[0] == "[" and lines[-1] == "]" and len(lines) == count + 2
        assert lines[1] == '{"code": "00000", "name": "Xã Số 0", "active": true},'[: None if count > 1 else -1]
