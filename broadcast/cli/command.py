"""The click classes every command is built from: library errors become one `Error:` line naming the option.

A library call raises ``BroadcastError`` with ``field`` set to the parameter at fault (``days``, ``starts_on``);
the command that made the call shows it as its own option, e.g. ``Error: … (--from)``. Commands are loaded by
name only when run, so ``broadcast --help`` imports none of them.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click

from broadcast.errors import BroadcastError

DEBUG_VARIABLE = "BROADCAST_DEBUG"  # set to 1 to see the traceback of an unexpected error
REPORT_HINT = f"this is a bug; please report it with the command you ran ({DEBUG_VARIABLE}=1 shows the details)"


def param_label(param: click.Parameter) -> str:
    """How a person types the parameter: `--from`, `--active/--inactive`, or an argument's metavar such as `ID`."""
    if isinstance(param, click.Option):
        longest = [opt for opt in param.opts if opt.startswith("--")] or param.opts
        label = longest[0]
        if param.secondary_opts:
            label += "/" + param.secondary_opts[0]
        return label
    return param.human_readable_name


def explain(exc: BroadcastError, command: click.Command | None) -> str:
    """The error's text with each input it names shown as the command's own option (`--days`); a field the text
    does not name is added at the end, e.g. `… (--from)`."""
    options = {param.name: param_label(param) for param in (command.params if command else ()) if param.name}
    text = exc.render(options.get)
    named = exc.field is not None and f"{{{exc.field}}}" in exc.template
    if exc.field in options and not named:
        return f"{text} ({options[exc.field]})"
    return text


class BroadcastCommand(click.Command):
    """A command whose BroadcastError is one line, exit code 1, naming the option at fault."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BroadcastError as exc:
            raise click.ClickException(explain(exc, self)) from exc


class BroadcastGroup(click.Group):
    """A group whose commands and subgroups are Broadcast ones; errors while reading arguments are one line too."""

    command_class = BroadcastCommand
    group_class = type  # subgroups made with @group.group() are BroadcastGroups as well

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BroadcastError as exc:  # raised by a parameter type (an id out of range) before a command runs
            raise click.ClickException(explain(exc, None)) from exc


@dataclass(frozen=True)
class Entry:
    """A top-level command: where it lives ("module:attribute") and its short help for `broadcast --help`."""

    target: str
    short_help: str


class LazyGroup(BroadcastGroup):
    """The top-level group: loads a command's module only when that command runs or its own help is asked for.

    Anything unexpected becomes one `Error:` line asking for a bug report (exit 1), unless BROADCAST_DEBUG is set.
    """

    def __init__(self, *args: Any, entries: Mapping[str, Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = dict(entries)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.entries, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.entries:
            module_name, attribute = self.entries[cmd_name].target.split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.entries[cmd_name].target} is not a click command")
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List every command with the short help from the registry, importing none of them."""
        rows = [
            (name, self.entries[name].short_help if name in self.entries else self.commands[name].get_short_help_str())
            for name in self.list_commands(ctx)
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            first_line = (str(exc).strip().splitlines() or [""])[0]
            detail = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
            raise click.ClickException(f"unexpected {detail}; {REPORT_HINT}") from exc


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], BroadcastCommand]:
    """`click.command` making a BroadcastCommand."""
    return click.command(*args, cls=BroadcastCommand, **kwargs)


def group(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], BroadcastGroup]:
    """`click.group` making a BroadcastGroup."""
    return click.group(*args, cls=BroadcastGroup, **kwargs)
