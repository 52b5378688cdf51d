"""Bulletin text templates (station call, greeting, intro, close) and jingles, as editable files."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import AudioError
from broadcast.text import nfc

TEXTS = ("call", "greeting", "intro", "close")
JINGLES = ("opening", "closing")
# Only the call names the station: the other parts are shared by every station, so they are rendered once per
# voice instead of once per station (ten thousand stations would otherwise mean ten thousand greetings a day).
PLACEHOLDERS = {
    "call": {"station"},
    "greeting": {"session", "date"},
    "intro": {"title"},
    "close": {"session"},
}
BUNDLED = Path(__file__).resolve().parents[2] / "audio_templates"


@dataclass(frozen=True)
class Templates:
    """The bulletin's words and jingles, read from one folder."""

    folder: Path
    texts: dict[str, str]

    def fill(self, name: str, **values: str) -> str:
        """A template with its placeholders filled in."""
        return self.texts[name].format_map(values)

    def jingle(self, name: str) -> Path:
        path = self.folder / "jingles" / f"{name}.mp3"
        if not path.is_file():
            raise AudioError(f"jingle {path} is missing; run `python scripts/make_jingles.py` to make it")
        return path


def find_folder(configured: Path | None, home: Path) -> Path:
    """The configured folder, else $BROADCAST_HOME/audio_templates, else the one that ships with broadcast."""
    for folder in (configured, home / "audio_templates", BUNDLED):
        if folder is not None and folder.is_dir():
            return folder
    raise AudioError(f"no bulletin templates at {configured or BUNDLED}; set audio_templates in broadcast.toml")


def load_templates(folder: Path) -> Templates:
    """Read and check every text template: present, UTF-8, and using only its own placeholders."""
    texts = {}
    for name in TEXTS:
        path = folder / f"{name}.txt"
        try:
            text = nfc(path.read_text(encoding="utf-8-sig")).strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise AudioError(f"cannot read template {path}; it must exist as UTF-8 text") from exc
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError as exc:
            raise AudioError(f"template {path} has an unmatched brace; write {{{{ and }}}} for literal braces") from exc
        unknown = used - PLACEHOLDERS[name]
        if unknown:
            allowed = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS[name]))
            raise AudioError(f"template {path} uses {{{sorted(unknown)[0]}}}; it may use only {allowed}")
        if not text:
            raise AudioError(f"template {path} is empty; write what listeners should hear")
        texts[name] = text
    return Templates(folder, texts)
