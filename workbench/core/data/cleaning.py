"""Clean a freshly read table: name its columns, drop a saved row index and empty unnamed columns, and turn
number-like text columns into numbers, with a note on each thing done (docs/decisions.md, "Hostile files")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from workbench.core.data.sniff import MISSING_TOKENS, OPTIONS_HINT, ReadOptions
from workbench.core.errors import DataError


def clean_frame(frame: pd.DataFrame, o: ReadOptions, p: Path, texts: bool = False,
                names: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Name columns, drop empty unnamed ones and a row index, and turn mostly-numeric text columns into numbers.

    `names` are the header's cells as written (None: take pandas' names). Columns are handled by position until
    their names are made unique, and checks run on whole blocks of columns, so 5,000 columns stay fast."""
    notes: list[str] = []
    if names is None or len(names) != frame.shape[1]:
        # pandas names header-less columns 0, 1, ... and blank header cells "Unnamed: 2".
        names = ["" if not o.header or str(c).startswith("Unnamed: ") else str(c).strip() for c in frame.columns]
    # A copy puts columns of one type into one block: pandas' readers give one block per column, which makes
    # every later check on 5,000 columns take tenths of a second instead of milliseconds.
    frame = frame.copy()
    frame.columns = pd.RangeIndex(frame.shape[1])
    empty = frame.isna().all().to_numpy()
    blank = [i for i, n in enumerate(names) if not n and empty[i]]
    if blank and frame.shape[1] > len(blank):
        notes.append(f"Ignored {len(blank)} empty column(s) without a name (often a delimiter at the end of lines).")
    keep = [i for i in range(frame.shape[1]) if i not in set(blank) or len(blank) == frame.shape[1]]
    if o.header and len(keep) > 1 and not names[keep[0]] and any(names[i] for i in keep[1:]):
        note = _index_note(frame[keep[0]])
        if note:
            keep, notes = keep[1:], notes + [note]
    if len(keep) < frame.shape[1]:
        frame = frame[keep]
        frame.columns = pd.RangeIndex(len(keep))
    frame = _numbers(frame, o, [names[i] for i in keep], notes)
    unique, renamed = unique_names([names[i] for i in keep])
    frame.columns = unique
    notes += renamed
    empty_named = [n for n, is_empty in zip(unique, frame.isna().all().to_numpy()) if is_empty]
    if empty_named and len(empty_named) < frame.shape[1]:
        listed = ", ".join(f"'{n}'" for n in empty_named[:5]) + (" and more" if len(empty_named) > 5 else "")
        notes.append(f"Column{'s' if len(empty_named) > 1 else ''} {listed} "
                     f"{'have' if len(empty_named) > 1 else 'has'} no value in any row, so "
                     f"{'they are' if len(empty_named) > 1 else 'it is'} not offered as a column to use.")
    if frame.shape[0] == 0:
        raise DataError(f"{p.name} has column names but no rows of data.", hint="Pick a file with rows of numbers.",
                        path=str(p))
    if frame.shape[1] == 1 and not is_numeric_dtype(frame.iloc[:, 0]) and not texts:
        first = frame.columns[0] if o.header else frame.iloc[0, 0]
        raise DataError(f"{p.name} has one column and no numbers in it (its first line reads '{str(first)[:40]}').",
                        hint=f"Pick a table with a numeric column, or {OPTIONS_HINT} if the columns are split by "
                        "something unusual.", path=str(p))
    return frame, notes


def _index_note(col: pd.Series) -> str:
    """A note when an unnamed first column numbers the rows 0..n-1 or 1..n: a row index saved with the table."""
    if not is_numeric_dtype(col) or is_bool_dtype(col) or col.isna().any() or len(col) < 2:
        return ""
    values = col.to_numpy(dtype=float)
    first = values[0]
    if first not in (0, 1) or not np.array_equal(values, first + np.arange(len(values))):
        return ""
    return (f"Dropped the first column: it has no name and numbers the rows {int(first)} to {int(values[-1])}, "
            "so it is a row index saved with the table, not data.")


def unique_names(names: list[str]) -> tuple[list[str], list[str]]:
    """(names, notes): blank names become column_<i>; a repeated name x becomes x (2), x (3), ..., so every
    column can be picked by name, and the note says so."""
    out: list[str] = []
    used: set[str] = set()
    taken = set(names)
    repeats: dict[str, list[str]] = {}
    for i, name in enumerate(names):
        base = candidate = name or f"column_{i + 1}"
        k = 2
        while candidate in used or (candidate != base and candidate in taken):
            candidate, k = f"{base} ({k})", k + 1
        if candidate != base and name:
            repeats.setdefault(base, [base]).append(candidate)
        out.append(candidate)
        used.add(candidate)
    notes = [f"{len(renamed)} columns are named '{base}'; they are called "
             f"{', '.join(repr(n) for n in renamed)} here, so each can be picked." for base, renamed in repeats.items()]
    return out, notes


def _numbers(frame: pd.DataFrame, o: ReadOptions, names: list[str], notes: list[str]) -> pd.DataFrame:
    """`frame` (columns by position) with infinities missing and number-like text columns as numbers; a note per
    column changed. Numeric columns are checked as one block; only text columns are looked at one by one."""
    dtypes = list(frame.dtypes)
    numeric = [j for j, d in enumerate(dtypes) if is_numeric_dtype(d) and not is_bool_dtype(d)]
    changed: dict[int, pd.Series] = {}
    if numeric:
        block = frame.iloc[:, numeric].to_numpy(dtype=float, na_value=np.nan)  # (rows, numeric columns)
        infinite = np.isinf(block).sum(axis=0)
        for k in np.flatnonzero(infinite):
            j = numeric[k]
            col = frame.iloc[:, j]
            changed[j] = col.astype(float).where(~col.isin([np.inf, -np.inf]))
            notes.append(f"Column '{names[j] or f'column_{j + 1}'}': {int(infinite[k])} infinite value(s) read as "
                         "missing.")
    numeric_set = set(numeric)
    for j, d in enumerate(dtypes):
        if j in numeric_set or is_bool_dtype(d) or is_datetime64_any_dtype(d):
            continue
        values, note = _to_numbers(frame.iloc[:, j], o)
        if values is not None:
            changed[j] = values
        if note:
            notes.append(f"Column '{names[j] or f'column_{j + 1}'}': {note}")
    if not changed:
        return frame
    if len(changed) < 50:
        for j, values in changed.items():
            frame[j] = values
        return frame
    parts = {j: changed.get(j, frame.iloc[:, j]) for j in range(frame.shape[1])}
    return pd.DataFrame(parts, index=frame.index).copy()  # the copy joins the columns into blocks again


def _to_numbers(col: pd.Series, o: ReadOptions) -> tuple[pd.Series | None, str]:
    """A numeric version of a text column and a note on cells that became missing, or None when it stays text."""
    text = col.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.all():
        return None, ""
    # A quick look at ~200 cells spread over the column spares parsing a million dates as numbers.
    spread = text[~empty].iloc[:: max(1, int((~empty).sum()) // 200)]
    if _parse_numbers(spread, o).isna().all():
        if spread.str.lower().isin(MISSING_TOKENS).all() and text[~empty].str.lower().isin(MISSING_TOKENS).all():
            return pd.Series(np.nan, index=col.index), ""  # only markers such as "n/a": an empty column
        return None, ""
    values = _parse_numbers(text.where(~empty), o)
    bad = ~empty & values.isna()
    known = text[bad].str.lower().isin(MISSING_TOKENS).all()
    # Convert only a column that is numbers apart from missing markers or a few stray entries.
    if values.notna().sum() == 0 or not (known or values.notna().sum() >= 0.8 * (~empty).sum()):
        return None, ""
    if not bad.any():
        return values, ""
    examples = ", ".join(f"'{t}'" for t in text[bad].unique()[:3])
    return values, f"{int(bad.sum())} cell(s) held no number ({examples}) and are treated as missing."


def _parse_numbers(text: pd.Series, o: ReadOptions) -> pd.Series:
    """Numbers from text cells using the file's decimal mark and thousands separator; NaN where none (or inf)."""
    number = text.str.replace(o.thousands, "", regex=False) if o.thousands else text
    values = pd.to_numeric(number.str.replace(o.decimal, ".", regex=False), errors="coerce").astype(float)
    return values.where(np.isfinite(values))
