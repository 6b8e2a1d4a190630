"""Filling missing values within each part of the split (training, validation, test), never from a later part.

Interpolating over the whole series would fill a gap at the end of the training part from the first
validation values, so the model and its scaling would see validation data before being scored on it. Here
each part is filled from its own known values only: linearly in time between them, a gap at the end of a
part carries the part's last known value forward, and a gap at its start takes the part's first known value.
Only a part with no value of a column at all (a long gap over the whole validation part) repeats the last
value before it: from the past, never from a later part, and the note says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from workbench.core.data.splits import split_rows
from workbench.core.errors import DataError

MIN_LOOKBACK = 2  # DataConfig.lookback's minimum
Split = tuple[int, int]  # (train_end, val_end): rows [0, train_end) train, [train_end, val_end) validate, rest test


@dataclass(frozen=True)
class PartFill:
    """What filling did in one part (counts over all columns)."""

    name: str  # "training", "validation", "test", or "whole series" when the series is too short to split
    inside: int = 0  # interpolated linearly in time between the part's own known values
    head: int = 0  # before the part's first known value: they take that value
    tail: int = 0  # after the part's last known value: it is carried forward
    head_last: int = -1  # row of the last leading value filled (for the note), -1 when none
    tail_first: int = -1  # row of the first trailing value filled, -1 when none
    borrowed: tuple[tuple[str, int], ...] = ()  # (column, count) with no value in this part: the last one before it

    @property
    def total(self) -> int:
        return self.inside + self.head + self.tail + sum(count for _, count in self.borrowed)


def fill_split(n_rows: int, horizon: int, val_fraction: float, test_fraction: float) -> Split | None:
    """The split the filling keeps apart (the same rows plan_windows splits at), or None when the series is too
    short to train at any lookback: then there is nothing to keep apart and the whole series is one part."""
    try:
        horizon = int(horizon)
        train_end, val_end = split_rows(n_rows, horizon, float(val_fraction), float(test_fraction))
    except (TypeError, ValueError):  # a setting the form has not validated yet
        return None
    # plan_windows needs lookback + horizon training rows, and the shortest lookback is 2.
    return (train_end, val_end) if train_end >= MIN_LOOKBACK + horizon and val_end < n_rows else None


def fill_within_parts(values: np.ndarray, missing: np.ndarray, x: np.ndarray, split: Split | None,
                      columns: list[str], describe_row: Callable[[int], str]) -> list[PartFill]:
    """Fill `values` (n, n_columns) in place where `missing`, each part from its own known values only.

    `x` is each row's position in time (int64 nanoseconds or row numbers), so interpolation follows the real
    spacing. The first row must hold a value in every column (prepare_series trims the ends that do not).
    """
    n = len(values)
    parts = ([("whole series", 0, n)] if split is None else
             [("training", 0, split[0]), ("validation", split[0], split[1]), ("test", split[1], n)])
    return [_fill_part(values, missing, x, name, start, end, columns) for name, start, end in parts]


def _fill_part(values: np.ndarray, missing: np.ndarray, x: np.ndarray, name: str, start: int, end: int,
               columns: list[str]) -> PartFill:
    inside = head = tail = 0
    head_last, tail_first = -1, end
    borrowed: list[tuple[str, int]] = []
    for j, column in enumerate(columns):
        gap = missing[start:end, j]
        if not gap.any():
            continue
        known = ~gap
        if not known.any():
            if start == 0:
                raise DataError(f"Column '{column}' has no value to fill its gaps from.", column=column,
                                hint="Pick another column, or set Missing values to drop.")
            values[start:end, j] = values[start - 1, j]  # the past only, never a later part
            borrowed.append((column, end - start))
            continue
        xs, ys = x[start:end], values[start:end, j]
        # np.interp holds the end values beyond the known range: a leading gap takes the part's first known
        # value, a trailing gap carries its last known value forward.
        ys[gap] = np.interp(xs[gap], xs[known], ys[known])  # ys is a view: this fills `values`
        first, last = int(np.argmax(known)), len(known) - 1 - int(np.argmax(known[::-1]))
        trailing = len(known) - 1 - last
        head, tail = head + first, tail + trailing
        inside += int(gap.sum()) - first - trailing
        if first:
            head_last = max(head_last, start + first - 1)
        if trailing:
            tail_first = min(tail_first, start + last + 1)
    return PartFill(name, inside, head, tail, head_last, tail_first if tail else -1, tuple(borrowed))


def fill_note(columns: list[str], missing: np.ndarray, fills: list[PartFill],
              describe_row: Callable[[int], str]) -> str:
    """What was filled where, in words, for the data notes."""
    counts = ", ".join(f"'{c}' {n}" for c, n in zip(columns, missing.sum(axis=0)) if n)
    filled = f"Filled {int(missing.sum())} missing value(s) ({counts})"
    if len(fills) == 1:
        return (f"{filled} by linear interpolation in time over the whole series, which is too short to split into "
                "training, validation and test.")
    where = ", ".join(f"{f.total} in {f.name}" for f in fills)
    edges = []
    for f in fills:
        if f.tail:
            edges.append(f"the {f.name} part ends with {f.tail} missing value(s) (from {describe_row(f.tail_first)}), "
                         "carried forward from its last known value")
        if f.head:
            edges.append(f"the {f.name} part starts with {f.head} missing value(s) (up to "
                         f"{describe_row(f.head_last)}), which take its first known value")
        edges += [f"the {f.name} part has no value of '{column}' at all, so its {count} value(s) repeat the last "
                  "one before the part (scores on that part rest on them; consider dropping such rows)"
                  for column, count in f.borrowed]
    inside = sum(f.inside for f in fills)
    if not edges:
        how = "All lie between known values of their part and were interpolated linearly in time."
    else:
        between = [f"{inside} were interpolated linearly in time between known values of their part"] if inside else []
        how = _capital("; ".join(between + edges)) + "."
    return f"{filled} within each part of the split, never from a later part ({where}). {how}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
