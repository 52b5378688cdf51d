"""Score parsed directives against hand-written expected records: the corpus that keeps the parser honest.

A corpus folder holds one directive per file (`<name>.txt`, `.md`, `.docx`, `.doc`, `.pdf`, `.png`, `.jpg`) and
beside it `<name>.expected.json`: the kinds of layout or format it covers, the issuer's level, the encoding it is
stored in, and under "record" the fields to score. A field scores 1 when the parsed value equals the expected one
after NFC; accuracy is fields right over fields scored, per field name and overall.
"""

from __future__ import annotations

import json
import math
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.directives.parser import parse_directive
from broadcast.directives.readers import read_text
from broadcast.directives.record import DirectiveRecord
from broadcast.errors import BroadcastError

# The kinds of the issue a corpus file may cover: layouts first, then formats.
LAYOUT_KINDS: tuple[str, ...] = (
    "portal_lines",
    "legal_paste",
    "one_line_header",
    "no_so_prefix",
    "time_before_date",
    "number_spaces",
    "cong_dien_dien",
    "list_markers",
    "short_signer",
    "sentences_whole",
    "inferred_issuer",
)
FORMAT_KINDS: tuple[str, ...] = ("doc_format", "scan", "utf16", "tcvn3", "vni")
KINDS: tuple[str, ...] = LAYOUT_KINDS + FORMAT_KINDS
LEVELS: tuple[str, ...] = ("xa", "huyen", "tinh", "so", "ban_chi_huy", "other")
ENCODINGS: tuple[str | None, ...] = ("utf-8", "utf-16", "tcvn3", "vni", None)
# The fields a record may score, in the order reports list them.
FIELDS: tuple[str, ...] = (
    "doc_type",
    "number",
    "notation",
    "issuer",
    "issuer_parent",
    "issuer_inferred",
    "place",
    "issued_on",
    "urgency",
    "subject",
    "recipients",
    "references",
    "signer",
    "section_titles",
)
SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".doc", ".pdf", ".png", ".jpg")
# Files read by OCR rather than from text: their time is reported apart, it is of another order.
OCR_SUFFIXES: tuple[str, ...] = (".png", ".jpg")
# A typed A4 page of Vietnamese administrative text holds about 3,000 characters.
CHARS_PER_PAGE = 3000
EXPECTED_SUFFIX = ".expected.json"


class CorpusError(BroadcastError):
    """A corpus file or its expected record is missing or malformed."""


@dataclass(frozen=True)
class Expected:
    """One corpus file's hand-written truth: kinds covered, issuer level, stored encoding and the scored fields."""

    name: str
    kinds: tuple[str, ...]
    level: str
    encoding: str | None
    record: Mapping[str, Any]


@dataclass(frozen=True)
class FileScore:
    """How one file fared: which fields were right, the reading error if any, and the seconds spent reading the
    file (Word, PDF, OCR) and parsing its text."""

    path: Path
    expected: Expected
    fields: Mapping[str, bool]
    error: str | None
    read_seconds: float
    parse_seconds: float
    pages: int
    ocr: bool

    @property
    def missed(self) -> list[str]:
        """The fields parsed wrong, in the order of FIELDS."""
        return [name for name, right in self.fields.items() if not right]


@dataclass(frozen=True)
class Tally:
    """Fields right and scored, per field name; accuracy per field and overall as fractions 0–1."""

    right: Mapping[str, int]
    total: Mapping[str, int]

    def accuracy(self, name: str) -> float:
        """Fraction of files whose field `name` was right; 0.0 when no file scores it."""
        total = self.total.get(name, 0)
        return self.right.get(name, 0) / total if total else 0.0

    @property
    def overall(self) -> float:
        """Fields right over fields scored, across every field of every file."""
        total = sum(self.total.values())
        return sum(self.right.values()) / total if total else 0.0

    @property
    def fields_right(self) -> int:
        """Number of fields scored right."""
        return sum(self.right.values())

    @property
    def fields_total(self) -> int:
        """Number of fields scored."""
        return sum(self.total.values())


@dataclass(frozen=True)
class CorpusScore:
    """Every file's score and their tally: what the bench prints and the corpus test asserts."""

    files: tuple[FileScore, ...]
    tally: Tally = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tally", tally(file.fields for file in self.files))

    @property
    def overall(self) -> float:
        """Overall accuracy of the corpus, 0–1."""
        return self.tally.overall

    def worst(self, count: int = 5) -> list[FileScore]:
        """The files with the most fields wrong (failures to read first), at most count of them."""
        ranked = sorted(self.files, key=lambda file: (file.error is None, -len(file.missed), file.path.name))
        return [file for file in ranked if file.missed][:count]


def scored_view(record: DirectiveRecord) -> dict[str, Any]:
    """Return the scored fields of a parsed record, as the expected records write them."""
    data = record.to_json_dict()
    view = {name: data[name] for name in FIELDS if name in data}
    view["references"] = [
        {"number": ref["number"], "issued_on": ref["issued_on"], "issuer": ref["issuer"]} for ref in data["references"]
    ]
    view["section_titles"] = [section.title for section in record.sections]
    return view


def score_record(record: DirectiveRecord | None, expected: Mapping[str, Any]) -> dict[str, bool]:
    """Return field name → right for each field under expected; every field is wrong when record is None."""
    view = scored_view(record) if record is not None else {}
    return {
        name: record is not None and _nfc(view.get(name)) == _nfc(value) for name, value in _in_order(expected).items()
    }


def tally(results: Iterable[Mapping[str, bool]]) -> Tally:
    """Sum per-file field results into fields right and scored per field name."""
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for result in results:
        for name, ok in result.items():
            total[name] = total.get(name, 0) + 1
            right[name] = right.get(name, 0) + int(ok)
    return Tally(right=right, total=total)


def corpus_files(folder: Path) -> list[Path]:
    """Return the directive files of a corpus folder, sorted by name; raise CorpusError if one lacks its truth."""
    if not folder.is_dir():
        raise CorpusError(f"no corpus folder at {folder}; give the folder that holds the corpus files")
    files = sorted(
        path for path in folder.iterdir() if path.suffix.lower() in SUFFIXES and not path.name.endswith(".json")
    )
    for path in files:
        if not expected_path(path).is_file():
            raise CorpusError(f"{path.name} has no {expected_path(path).name}; write its expected record by hand")
    return files


def expected_path(path: Path) -> Path:
    """The expected record beside a corpus file: `<name>.expected.json`."""
    return path.with_name(path.stem + EXPECTED_SUFFIX)


def load_expected(path: Path) -> Expected:
    """Read and check one `<name>.expected.json`; raise CorpusError naming the file and what is wrong."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorpusError(f"cannot read {name}: {error}; write it as UTF-8 JSON") from error
    if not isinstance(data, dict) or set(data) != {"kinds", "level", "encoding", "record"}:
        raise CorpusError(f"{name} must hold exactly the keys kinds, level, encoding and record")
    kinds, level, encoding, record = data["kinds"], data["level"], data["encoding"], data["record"]
    if not isinstance(kinds, list) or not kinds or any(kind not in KINDS for kind in kinds):
        raise CorpusError(f"{name}: kinds must be a non-empty list of {', '.join(KINDS)}")
    if level not in LEVELS:
        raise CorpusError(f"{name}: level must be one of {', '.join(LEVELS)}, not {level!r}")
    if encoding not in ENCODINGS:
        raise CorpusError(f"{name}: encoding must be utf-8, utf-16, tcvn3, vni or null, not {encoding!r}")
    if not isinstance(record, dict) or not record or any(key not in FIELDS for key in record):
        raise CorpusError(f"{name}: record must hold some of the fields {', '.join(FIELDS)} and no others")
    if _nfc(data) != data:
        raise CorpusError(f"{name} is not in Unicode NFC; save it normalised")
    return Expected(
        name=path.name.removesuffix(EXPECTED_SUFFIX), kinds=tuple(kinds), level=level, encoding=encoding, record=record
    )


def score_file(path: Path, reader: Callable[[Path], str] = read_text) -> FileScore:
    """Read and parse one corpus file and score it; a file that cannot be read or parsed scores 0 on every field."""
    expected = load_expected(expected_path(path))
    record: DirectiveRecord | None = None
    error: str | None = None
    text = ""
    started = time.perf_counter()
    read = started
    try:
        text = reader(path)
        read = time.perf_counter()
        record = parse_directive(text)
    except BroadcastError as failure:
        error = str(failure)
    ended = time.perf_counter()
    if not text:
        read = ended
    return FileScore(
        path=path,
        expected=expected,
        fields=score_record(record, expected.record),
        error=error,
        read_seconds=read - started,
        parse_seconds=ended - read,
        pages=max(1, math.ceil(len(text) / CHARS_PER_PAGE)),
        ocr=is_ocr(path, expected),
    )


def score_corpus(folder: Path, reader: Callable[[Path], str] = read_text) -> CorpusScore:
    """Score every file of a corpus folder: the one function the bench prints and the corpus test asserts on."""
    return CorpusScore(files=tuple(score_file(path, reader) for path in corpus_files(folder)))


def is_ocr(path: Path, expected: Expected) -> bool:
    """True when the file is read by OCR: an image, or a scan kept as PDF."""
    return path.suffix.lower() in OCR_SUFFIXES or "scan" in expected.kinds


def coverage(expected: Sequence[Expected]) -> tuple[dict[str, int], dict[str, int]]:
    """Return files per kind (every kind listed, 0 when none) and files per level."""
    kinds = {kind: 0 for kind in KINDS}
    levels = {level: 0 for level in LEVELS}
    for item in expected:
        for kind in set(item.kinds):
            kinds[kind] += 1
        levels[item.level] += 1
    return kinds, levels


def _in_order(expected: Mapping[str, Any]) -> dict[str, Any]:
    return {name: expected[name] for name in FIELDS if name in expected}


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list | tuple):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value
