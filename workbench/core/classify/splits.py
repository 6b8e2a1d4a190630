"""A stratified train/validation/test split: every class keeps its share in each part (no torch)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import DataError

PARTS = ("train", "val", "test")


@dataclass(frozen=True)
class ClassSplit:
    """Row indices (into the labelled texts) of each part, sorted."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    def part(self, name: str) -> np.ndarray:
        if name not in PARTS:
            raise ValueError(f"The part must be one of {', '.join(PARTS)} (got {name!r}).")
        return getattr(self, name)

    def counts(self) -> dict[str, int]:
        return {name: len(self.part(name)) for name in PARTS}


def stratified_split(
    labels: np.ndarray, classes: tuple[str, ...], val_fraction: float, test_fraction: float, seed: int
) -> ClassSplit:
    """Shuffle each class with `seed` and deal it out: about `test_fraction` to test, `val_fraction` to validation.

    Every class gets at least one row in each part, so each part can score every class; a class with fewer
    than three rows cannot be split that way and is refused with its name.
    """
    labels = np.asarray(labels, dtype=np.int64)
    counts = np.bincount(labels, minlength=len(classes))
    short = [(classes[i], int(n)) for i, n in enumerate(counts) if n < len(PARTS)]
    if short:
        listed = ", ".join(f"'{name}' ({n} row{'s' if n != 1 else ''})" for name, n in short)
        raise DataError(f"Too few rows to split by class: {listed}. Each class needs at least 3 rows, one each for "
                        "training, validation and test.",
                        hint="Add examples of those classes, merge them into another class, or remove their rows.")
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in PARTS}
    for k, n in enumerate(counts):
        members = np.flatnonzero(labels == k)
        rng.shuffle(members)
        # Half rounds up (Python's round() would send 4.5 to 4 but 5.5 to 6).
        n_test = min(max(1, math.floor(n * test_fraction + 0.5)), n - 2)
        n_val = min(max(1, math.floor(n * val_fraction + 0.5)), n - n_test - 1)
        parts["test"].append(members[:n_test])
        parts["val"].append(members[n_test : n_test + n_val])
        parts["train"].append(members[n_test + n_val :])
    return ClassSplit(**{name: np.sort(np.concatenate(chunks)) for name, chunks in parts.items()})
