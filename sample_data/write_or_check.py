"""The shared command line of the sample-data generators: write the file, or check it matches (--check)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def write_or_check(output: Path, text: str, description: str, what: str) -> None:
    """`python generate_X.py` writes `output`; `--check` exits 1 when the file differs from what is generated."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()
    if args.check:
        same = output.exists() and output.read_bytes() == text.encode("utf-8")
        print(f"{output.name}: {'matches' if same else 'DIFFERS from'} the generator")
        sys.exit(0 if same else 1)
    output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {output} ({what})")
