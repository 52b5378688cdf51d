"""Benchmark: how well the directive parser reads the corpus, field by field, and how long a page takes.

Reads every file of tests/directives/corpus/ through the real readers (text, Word, PDF, OCR), parses it and scores
the record against the file's hand-written `<name>.expected.json` with broadcast.directives.scoring — the same
function the corpus test asserts on. Prints accuracy per field and overall, the files and kinds covered (each kind
should have two files or more, and every issuer level one), the parse time per page (text files apart from OCR'd
ones) and the worst files with the fields they miss.

    python scripts/bench/directives.py [--corpus DIR] [--worst 8] [--json] [--no-warm-up]

Targets: overall ≥ 97% of fields; text ≤ 200 ms per page. OCR time is reported, not targeted.
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


def per_page_ms(files: list[FileScore]) -> dict[str, float] | None:
    """Median and max milliseconds per page over files, or None when there are none."""
    if not files:
        return None
    values = [1000 * file.seconds / file.pages for file in files]
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
        "text_per_page": per_page_ms([file for file in score.files if not file.ocr]),
        "ocr_per_page": per_page_ms([file for file in score.files if file.ocr]),
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
    print("\nparse time per page (a page is 3,000 characters; reading included):")
    for label, key in (("text", "text_per_page"), ("OCR", "ocr_per_page")):
        timing = figures[key]
        if timing is None:
            print(f"  {label:<5} no files")
        else:
            print(
                f"  {label:<5} {timing['files']:3d} files  median {timing['median_ms']:8.1f} ms"
                f"  max {timing['max_ms']:8.1f} ms" + ("  target ≤ 200 ms" if key == "text_per_page" else "")
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
