"""`broadcast speech` and `broadcast preview`: what listeners will hear."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click

from broadcast.cli.command import command, group
from broadcast.cli.context import AppContext
from broadcast.cli.output import progress
from broadcast.cli.params import MESSAGE_ID
from broadcast.errors import SpeechError

PLAYERS = (["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"], ["mpv", "--no-video", "--really-quiet"])


@group(short_help="Vietnamese speech: text as it is read aloud.")
def speech() -> None:
    """Vietnamese speech: text normalisation for reading aloud."""


@speech.command("normalize")
@click.argument("text")
@click.option("--lexicon", type=click.Path(path_type=Path, dir_okay=False), help="Extra abbreviations (TSV).")
@click.pass_obj
def normalize_command(app: AppContext, text: str, lexicon: Path | None) -> None:
    """Print TEXT as it should be read aloud; with "-", read stdin and print one line per input line."""
    from broadcast.speech.normalize import normalizer_for

    normalizer = normalizer_for(lexicon or app.settings.lexicon)
    if text != "-":
        click.echo(normalizer.normalize(text).replace("\n", " "))
        return
    for line in sys.stdin:
        click.echo(normalizer.normalize(line.rstrip("\n")).replace("\n", " "))


@command(short_help="Render what a listener hears for a message.")
@click.argument("message_id", metavar="[MESSAGE_ID]", type=MESSAGE_ID, required=False)
@click.option("--text", help="Preview this text instead of a stored message.")
@click.option("--station", "station_code", metavar="CODE", help="Use this station's name, voice region and engine.")
@click.option("--engine", help="espeak, gtts or piper (default: the station's, else the configured one).")
@click.option("--voice", help="The engine's voice: north, central, south for espeak; a .onnx file for piper.")
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the MP3.")
@click.option("--play", is_flag=True, help="Play it with ffplay or mpv when one is installed.")
@click.pass_obj
def preview(
    app: AppContext,
    message_id: int | None,
    text: str | None,
    station_code: str | None,
    engine: str | None,
    voice: str | None,
    out: Path | None,
    play: bool,
) -> None:
    """Render what a listener hears for a message: call, jingle, greeting, message, close."""
    from broadcast.preview import render_preview

    if (message_id is None) == (text is None):
        raise SpeechError("give a MESSAGE_ID or --text (one of them)")
    with app.transaction() as db:
        result = render_preview(
            db,
            app.settings,
            message_id=message_id,
            text=text,
            station_code=station_code,
            engine_name=engine,
            voice=voice,
            out=out,
            progress=progress,
        )
    click.echo(f"Wrote {result.path}")
    click.echo(
        f"  duration {result.duration:.1f} s; loudness {result.loudness:.1f} LUFS, "
        f"true peak {result.true_peak:.1f} dBTP; engine {result.engine}, voice {result.voice}"
    )
    reasons = [part.fallback_reason for part in result.parts if part.fallback_reason]
    if reasons:
        click.echo(f"  note: espeak-ng spoke instead of {result.engine}, which failed: {reasons[0]}")
    if play:
        _play(result.path)


def _play(path: Path) -> None:
    for player in PLAYERS:
        if shutil.which(player[0]):
            click.echo(f"Playing with {player[0]} (Ctrl+C stops)…")
            subprocess.run([*player, str(path)], check=False)
            return
    click.echo("No player found (install ffmpeg for ffplay, or mpv); the file is ready to open.")
