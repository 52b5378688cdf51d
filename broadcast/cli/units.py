"""`broadcast units`: import and list administrative units."""

from __future__ import annotations

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json_rows, print_table
from broadcast.vocabulary import SCHEMES, UNIT_KINDS


@group(short_help="Administrative units: provinces, districts, communes.")
def units() -> None:
    """Administrative units: provinces, districts and communes, with official codes and names."""


@units.command("import")
@click.option("--scheme", type=click.Choice(SCHEMES), required=True, help="legacy: until 30 June 2025; 2025: after.")
@click.option("--province", metavar="NAME", help='Only this province, e.g. "Lạng Sơn", "lang son" or 20.')
@click.pass_obj
def import_command(app: AppContext, scheme: str, province: str | None) -> None:
    """Load units with official codes and names, and one station per district and commune."""
    from broadcast.units.importer import import_units

    with app.transaction() as db:
        result = import_units(db, scheme, province, app.settings.default_sessions, app.settings.timezone)
    parts = []
    for kind in UNIT_KINDS:
        if result.units_total[kind] or kind != "district":
            created, updated = result.units_created[kind], result.units_updated[kind]
            total = result.units_total[kind]
            parts.append(f"{total} {kind}{'' if total == 1 else 's'} ({created} new, {updated} updated)")
    click.echo(f"Imported {scheme} scheme: " + ", ".join(parts) + ".")
    click.echo(f"Stations created: {result.stations_created}; default sessions created: {result.sessions_created}.")


@units.command("list")
@click.option("--under", metavar="CODE", help="Only this unit and those below it (e.g. 20 or 2025:20).")
@json_option
@click.pass_obj
def list_command(app: AppContext, under: str | None, as_json: bool) -> None:
    """List units with their official codes."""
    from broadcast.units.listing import UNIT_COLUMNS, list_units

    with app.reading() as connection:
        rows = list_units(connection, under)
        if as_json:
            print_json_rows(UNIT_COLUMNS, rows)
            return
        table = [[code, name, kind, parent or "", scheme] for code, name, kind, parent, scheme in rows]
    print_table(list(UNIT_COLUMNS), table)
