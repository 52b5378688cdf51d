"""Parameter types shared by commands."""

from __future__ import annotations

from typing import Any

import click

from broadcast.db import storable_id
from broadcast.errors import NotFoundError


class IdParamType(click.ParamType):
    """A record's id: any integer text (else a usage error, exit 2).

    An id beyond the database's 64-bit range names nothing, so it fails as the lookup would: "no message with id …"
    (NotFoundError, exit 1), instead of reaching the database driver.
    """

    name = "id"

    def get_metavar(self, param: click.Parameter) -> str:
        return "ID"

    def __init__(self, noun: str, listing: str) -> None:
        self.noun = noun
        self.listing = listing

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not an id; give a whole number such as 12", param, ctx)
        if not storable_id(number):
            raise NotFoundError(f"no {self.noun} with id {number}; see `{self.listing}`")
        return number


MESSAGE_ID = IdParamType("message", "broadcast message list")
DIRECTIVE_ID = IdParamType("directive", "broadcast directive list")
