"""`broadcast report`: the results report (báo cáo kết quả) of a period as CSV, XLSX or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext
from broadcast.cli.params import DIRECTIVE_ID
from broadcast.errors import ReportError

# As broadcast.reports.writers.FORMATS, which would load openpyxl for `--help` (tests/cli/test_startup.py checks).
FORMATS = ("csv", "xlsx", "json")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def choose_format(fmt: str | None, out: Path | None) -> str:
    """--format when given, else the extension of --out, else csv; a known extension must match --format."""
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    if fmt is None:
        if out is None or suffix == "csv":
            return "csv"
        if suffix not in FORMATS:
            raise ReportError(f"cannot tell the format from {out.name!r}; add --format csv, xlsx or json")
        return suffix
    if suffix in FORMATS and suffix != fmt:
        raise ReportError(f"--out {out} looks like {suffix} but --format is {fmt}; make them agree")
    return fmt


@command(short_help="The results report (báo cáo kết quả).")
@click.option("--from", "start", required=True, metavar="DATE", help="First day (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day, included.")
@click.option("--directive", "directive_id", type=DIRECTIVE_ID, help="Only messages drafted from this directive.")
@click.option("--under", metavar="CODE", help="Only stations of this unit and those below it (e.g. 184, 2025:20).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    help="Output format (default: from --out's extension, else csv).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="File to write, replaced whole (default: stdout; xlsx needs a file or a redirect).",
)
@click.pass_obj
def report(
    app: AppContext,
    start: str,
    end: str,
    directive_id: int | None,
    under: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Planned against played per station and message, with totals per district and province.

    Counts come from the stored plans and the stations' as-run logs; completion is the share of planned items
    that played. CSV is UTF-8 with a byte-order mark so Excel shows the Vietnamese headers.
    """
    from broadcast.files import write_atomic
    from broadcast.reports.results import load_report
    from broadcast.reports.writers import render
    from broadcast.times import parse_day

    first, last = parse_day(start, field="start"), parse_day(end, field="end")
    if out is not None and str(out) == "-":
        out = None
    chosen = choose_format(fmt.lower() if fmt else None, out)
    if chosen == "xlsx" and out is None and stdout_is_terminal():
        raise ReportError("an xlsx report is a binary file; write it with --out FILE.xlsx or redirect stdout")
    with app.transaction() as db:
        result = load_report(db, first, last, directive_id, under)
    data = render(result, chosen)
    if out is None:
        click.echo(data, nl=False)
        return
    write_atomic(out, data)
    total = result.total.tally
    completion = "—" if total.completion is None else f"{total.completion:.1f}%"
    click.echo(
        f"Wrote {out}: {len(result.rows)} rows for {result.total.stations} stations from {first} to {last}; "
        f"planned {total.planned}, played {total.played}, failed {total.failed}, completion {completion}."
    )
