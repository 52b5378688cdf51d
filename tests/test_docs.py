"""README.md documents every command and every option: the click tree is walked, and what is missing is named."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from broadcast.cli import cli

README = Path(__file__).parents[1] / "README.md"


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(walk(cli))


def command_lines() -> dict[tuple[str, ...], str]:
    """The Commands section's code-block lines (backslash continuations joined), keyed by the command they show."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    lines = [line for block in blocks for line in re.sub(r"\\\n\s*", " ", block).splitlines()]
    documented: dict[tuple[str, ...], str] = {}
    for line in lines:
        words = line.split()
        if words[:1] != ["broadcast"]:
            continue
        for path in sorted(COMMANDS, key=len, reverse=True):
            if tuple(words[1 : 1 + len(path)]) == path:
                documented[path] = documented.get(path, "") + " " + line
                break
    return documented


def written(param: click.Parameter) -> list[str]:
    """What README must show of a parameter: each spelling of an option, or an argument's metavar."""
    if isinstance(param, click.Option):
        return [*param.opts, *param.secondary_opts]
    return [param.human_readable_name.strip("[]")]


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p)) for p in COMMANDS])
def test_every_command_and_option_is_in_the_readme(path: tuple[str, ...]) -> None:
    lines = command_lines()
    name = "broadcast " + " ".join(path)
    assert path in lines, f"README.md's Commands section has no line for `{name}`"
    missing = [
        spelling
        for param in COMMANDS[path].params
        if param.name != "help"
        for spelling in written(param)
        if not re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", lines[path])
    ]
    assert missing == [], f"README.md's line for `{name}` does not show {', '.join(missing)}"


def test_the_global_options_are_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [spelling for param in cli.params if param.name != "help" for spelling in written(param)]
    assert [s for s in missing if s not in text] == []
