"""Benchmark: how well the directive parser reads the corpus, field by field, and how long a page takes.

Reads every file of tests/directives/corpus/ through the real readers (text, Word, PDF, OCR), parses it and scores
the record against the file's hand-written `<name>.expected.json` with broadcast.directives.scoring — the same
function the corpus test asserts on. Prints accuracy per field and overall, the files and kinds covered (each kind
should have two files or more, and every issuer level one), the parse time per page (text files apart from OCR'd
ones; reading — Word, PDF, OCR, LibreOffice for old fonts — timed apart) and the worst files with the fields
they miss.

    python scripts/bench/directives.py [--corpus DIR] [--worst 8] [--json] [--no-warm-up]

Targets: overall ≥ 97% of fields; parsing a text page ≤ 200 ms. Reading and OCR times are reported, not targeted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from broadcast.directives.scoring import (
    FIELDS,
    KINDS,
    LEVELS,
    CorpusScore,
    FileScore,
    corpus_files,
    coverage,
    score_corpus,
    score_file,
)

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "directives" / "corpus"
# Each kind needs this many files; VNI and UTF-16 are rarer in offices, one file each.
MINIMUM_FILES = {kind: 2 for kind in KINDS} | {"scan": 3, "vni": 1, "utf16": 1}


def per_page_ms(files: list[FileScore], kind: str) -> dict[str, float] | None:
    """Median and max milliseconds per page spent reading ("read") or parsing ("parse"), or None for no files."""
    if not files:
        return None
    values = [1000 * (file.read_seconds if kind == "read" else file.parse_seconds) / file.pages for file in files]
    return {"files": len(files), "median_ms": statistics.median(values), "max_ms": max(values)}


def warm_up(folder: Path) -> None:
    """Read one file of each type first, so one-time imports (python-docx, pypdf, OCR) are not timed as parsing."""
    seen: set[str] = set()
    for path in corpus_files(folder):
        if path.suffix.lower() not in seen:
            seen.add(path.suffix.lower())
            score_file(path)


def summary(score: CorpusScore, worst: int) -> dict[str, Any]:
    """The bench's figures as plain data: what --json prints and the text report shows."""
    kinds, levels = coverage([file.expected for file in score.files])
    return {
        "files": len(score.files),
        "fields": {"right": score.tally.fields_right, "total": score.tally.fields_total},
        "overall": score.overall,
        "per_field": {name: score.tally.accuracy(name) for name in FIELDS if name in score.tally.total},
        "kinds": kinds,
        "kinds_short": [kind for kind in KINDS if kinds[kind] < MINIMUM_FILES[kind]],
        "levels": levels,
        "levels_missing": [level for level in LEVELS if not levels[level]],
        "parse_per_page": {
            "text": per_page_ms([file for file in score.files if not file.ocr], "parse"),
            "ocr": per_page_ms([file for file in score.files if file.ocr], "parse"),
        },
        "read_per_page": {
            "text": per_page_ms([file for file in score.files if not file.ocr], "read"),
            "ocr": per_page_ms([file for file in score.files if file.ocr], "read"),
        },
        "worst": [{"file": file.path.name, "missed": file.missed, "error": file.error} for file in score.worst(worst)],
    }


def print_report(figures: dict[str, Any]) -> None:
    """Print the figures for a person."""
    print(f"corpus: {figures['files']} files, {figures['fields']['total']} fields scored")
    print("\naccuracy per field:")
    for name, accuracy in figures["per_field"].items():
        print(f"  {name:<16} {100 * accuracy:6.1f}%")
    right, total = figures["fields"]["right"], figures["fields"]["total"]
    print(f"  {'overall':<16} {100 * figures['overall']:6.1f}%  ({right}/{total})  target ≥ 97%")
    print("\nfiles per kind (needs " + ", ".join(f"{k} {v}" for k, v in MINIMUM_FILES.items() if v != 2) + ", else 2):")
    print("  " + ", ".join(f"{kind} {count}" for kind, count in figures["kinds"].items()))
    print("files per level: " + ", ".join(f"{level} {count}" for level, count in figures["levels"].items()))
    if figures["kinds_short"]:
        print("kinds short of files: " + ", ".join(figures["kinds_short"]))
    if figures["levels_missing"]:
        print("levels without a file: " + ", ".join(figures["levels_missing"]))
    print("\ntime per page (a page is 3,000 characters of text), median and max:")
    for step, key in (("parse", "parse_per_page"), ("read", "read_per_page")):
        for label in ("text", "ocr"):
            timing = figures[key][label]
            name = f"{step} {'text files' if label == 'text' else 'OCR files'}"
            if timing is None:
                print(f"  {name:<16} no files")
                continue
            target = "  target ≤ 200 ms" if (step, label) == ("parse", "text") else ""
            print(
                f"  {name:<16} {timing['files']:3d} files  {timing['median_ms']:8.1f} ms  {timing['max_ms']:8.1f} ms"
                + target
            )
    if figures["worst"]:
        print("\nworst files:")
        for file in figures["worst"]:
            reason = f"failed: {file['error']}" if file["error"] else ", ".join(file["missed"])
            print(f"  {file['file']}: {reason}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    parser.add_argument("--worst", type=int, default=8, help="how many of the worst files to list")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-warm-up", action="store_true", help="time the first file of each type cold")
    args = parser.parse_args()
    if not args.no_warm_up:
        warm_up(args.corpus)
    figures = summary(score_corpus(args.corpus), args.worst)
    if args.json:
        json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
