"""Where the command line's tables go: a CSV file when --out names one, else standard output."""

from __future__ import annotations

import sys

import pandas as pd


def emit_table(frame: pd.DataFrame, out: str | None) -> None:
    """Write `frame` as CSV (formula-escaped, atomically) to `out`, or print it; the count goes to stderr."""
    from workbench.core.export.tables import csv_text, write_csv

    if out:
        write_csv(frame, out)
        print(f"Wrote {len(frame)} rows to {out}", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(frame))
