"""`broadcast users`: office accounts — add, list, change, disable, set a password."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_table

ROLES = ("admin", "approver", "editor", "operator")  # as broadcast.vocabulary.Role, without importing it here


def by_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option("--by", metavar="NAME", help="Who makes the change, for the audit trail (default: OS user).")(
        func
    )


def _password(password_file: Path | None, generate: bool) -> tuple[str, bool]:
    """The new password: from a file's first line ('-' for stdin), generated (then shown once), or typed twice."""
    if password_file is not None and generate:
        raise click.UsageError("give --password-file or --generate, not both")
    if generate:
        return secrets.token_urlsafe(12), True
    if password_file is not None:
        try:
            text = sys.stdin.readline() if str(password_file) == "-" else password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"cannot read a password from {password_file}: {exc}") from exc
        return (text.splitlines() or [""])[0], False
    return click.prompt("Password", hide_input=True, confirmation_prompt=True), False


def password_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--generate", is_flag=True, help="Make a random password and print it once.")(func)
    return click.option(
        "--password-file",
        type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
        help="Read the password from the file's first line; - reads it from stdin.",
    )(func)


@group(short_help="Office accounts: add, list, set, disable, passwd.")
def users() -> None:
    """Office accounts, each with a role (admin, approver, editor, operator) and a scope (a unit, or one station)."""


@users.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, e.g. 'Trần Thị Hoa'.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
@click.option(
    "--scope", required=True, metavar="CODE", help="A unit code (its subtree), 'all', or an operator's station code."
)
@password_options
@by_option
@click.pass_obj
def add_command(
    app: AppContext,
    username: str,
    full_name: str,
    role: str,
    scope: str,
    password_file: Path | None,
    generate: bool,
    by: str | None,
) -> None:
    """Make an office account."""
    from broadcast.accounts.users import add_user
    from broadcast.audit import Actor
    from broadcast.times import utc_now

    password, show = _password(password_file, generate)
    with app.transaction() as db:
        user = add_user(db, username, full_name, role, scope, password, actor=Actor.cli(by), now=utc_now())
        line = f"User {user.username} ({user.full_name}) added: {user.role.value} of {scope}."
    click.echo(line)
    if show:
        click.echo(f"Password (shown once): {password}")


@users.command("list")
@json_option
@click.pass_obj
def list_command(app: AppContext, as_json: bool) -> None:
    """List office accounts."""
    from broadcast.accounts.users import list_users, user_json

    with app.transaction() as db:
        rows = [user_json(user) for user in list_users(db)]
    if as_json:
        print_json(rows)
        return
    print_table(
        ["username", "name", "role", "scope", "active"],
        [[u["username"], u["full_name"], u["role"], f"{u['scope_name']} ({u['scope']})", u["active"]] for u in rows],
    )


@users.command("set")
@click.argument("username")
@click.option("--name", "full_name", help="New full name.")
@click.option("--role", type=click.Choice(ROLES), help="New role.")
@click.option("--scope", metavar="CODE", help="New scope: a unit code, 'all', or an operator's station code.")
@click.option("--active/--inactive", default=None, help="Whether the account may sign in.")
@by_option
@click.pass_obj
def set_command(
    app: AppContext,
    username: str,
    full_name: str | None,
    role: str | None,
    scope: str | None,
    active: bool | None,
    by: str | None,
) -> None:
    """Change an account's name, role, scope or whether it may sign in."""
    from broadcast.accounts.users import UserChanges, set_user, user_json
    from broadcast.audit import Actor
    from broadcast.times import utc_now

    changes = UserChanges(full_name=full_name, role=role, scope=scope, active=active)
    with app.transaction() as db:
        shown = user_json(set_user(db, username, changes, actor=Actor.cli(by), now=utc_now()))
    state = "active" if shown["active"] else "disabled"
    click.echo(f"User {shown['username']}: {shown['role']} of {shown['scope']}, {state}.")


@users.command("disable")
@click.argument("username")
@by_option
@click.pass_obj
def disable_command(app: AppContext, username: str, by: str | None) -> None:
    """Stop an account from signing in and end its sessions; it stays in the audit trail."""
    from broadcast.accounts.users import UserChanges, set_user
    from broadcast.audit import Actor
    from broadcast.times import utc_now

    with app.transaction() as db:
        set_user(db, username, UserChanges(active=False), actor=Actor.cli(by), now=utc_now())
    click.echo(f"User {username} disabled.")


@users.command("passwd")
@click.argument("username")
@password_options
@by_option
@click.pass_obj
def passwd_command(app: AppContext, username: str, password_file: Path | None, generate: bool, by: str | None) -> None:
    """Set a new password for an account (its browser sessions end)."""
    from broadcast.accounts.users import set_password
    from broadcast.audit import Actor
    from broadcast.times import utc_now

    password, show = _password(password_file, generate)
    with app.transaction() as db:
        set_password(db, username, password, actor=Actor.cli(by), now=utc_now())
    click.echo(f"Password of {username} changed.")
    if show:
        click.echo(f"Password (shown once): {password}")
