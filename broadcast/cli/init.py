"""`broadcast init`: create or upgrade the database schema."""

from __future__ import annotations

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext

FIRST_ADMIN = 'broadcast users add admin --name "Quản trị" --role admin --scope all --generate'


@command(short_help="Create or upgrade the database.")
@click.pass_obj
def init(app: AppContext) -> None:
    """Create the database, or upgrade it to the newest schema. Safe to run again.

    While there is no office account yet, it also says how to make the first admin.
    """
    from sqlalchemy.engine import make_url

    from broadcast.accounts.users import has_users
    from broadcast.db import migrate

    settings = app.settings
    settings.home.mkdir(parents=True, exist_ok=True)
    before, after = migrate(settings.database_url)
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    if before == after:
        click.echo(f"Database {shown} is up to date (schema {after}).")
    elif before is None:
        click.echo(f"Created database {shown} (schema {after}).")
    else:
        click.echo(f"Upgraded database {shown} from schema {before} to {after}.")
    with app.transaction() as db:
        first = not has_users(db)
    if first:
        click.echo(f"No office account yet; make the first admin with: {FIRST_ADMIN}")
