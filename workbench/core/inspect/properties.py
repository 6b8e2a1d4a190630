"""What a unit may be following, one value per step of a sample: a text's quotes, brackets, line position or a
pattern; a series' seasonal phase, level or a column.

Each text property describes the moment after the model has read the step's token (what its state can know):
after an opening quote the text is inside quotes, after the closing one it is not; after a newline the
position in the line is 0. Karpathy, Johnson & Fei-Fei (2015) found units for exactly these in character models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:  # samples loads torch; the names of the properties must not
    from workbench.core.inspect.samples import Sample

# Name -> what the user reads in the list of properties.
TEXT_PROPERTIES = {
    "inside_quotes": "inside quotes",
    "inside_brackets": "inside brackets",
    "position_in_line": "position in the line",
    "regex": "inside a match of a regular expression",
}
SERIES_PROPERTIES = {"seasonal_phase": "the seasonal phase", "level": "the level of the target",
                     "column": "a column's value"}
_OPENING, _CLOSING = "([{", ")]}"


def inside_quotes(tokens: Sequence[str]) -> np.ndarray:
    """1.0 after reading an opening quote, 0.0 again after its closing one: straight double quotes pair up,
    typographic ones (“ ”) open and close. Single quotes are left out: they are apostrophes as often."""
    straight = np.cumsum([token.count('"') for token in tokens]) % 2
    curly = np.cumsum([token.count("\u201c") - token.count("\u201d") for token in tokens])
    return ((straight == 1) | (curly > 0)).astype(np.float64)


def inside_brackets(tokens: Sequence[str]) -> np.ndarray:
    """1.0 while more (, [ or { have been read than closed, else 0.0 (a stray closing bracket is ignored)."""
    depth, out = 0, np.zeros(len(tokens))
    for t, token in enumerate(tokens):
        for char in token:
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING:
                depth = max(depth - 1, 0)
        out[t] = depth > 0
    return out


def position_in_line(tokens: Sequence[str]) -> np.ndarray:
    """Characters read since the last newline, after each token (0 right after a newline)."""
    position, out = 0, np.zeros(len(tokens))
    for t, token in enumerate(tokens):
        cut = token.rfind("\n")
        position = len(token) - cut - 1 if cut >= 0 else position + len(token)
        out[t] = position
    return out


def regex_match(tokens: Sequence[str], pattern: str) -> np.ndarray:
    """1.0 for each token with a character inside a match of `pattern` in the joined text, else 0.0."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise WorkbenchError(f"'{pattern}' is not a regular expression: {error}.",
                             hint="Check the brackets and escapes, e.g. \\d+ for a number.") from None
    text = "".join(tokens)
    covered = np.zeros(len(text) + 1, dtype=np.int64)
    for match in compiled.finditer(text):
        covered[match.start()] += 1
        covered[match.end()] -= 1
    inside = np.cumsum(covered)[:-1] > 0  # (characters,)
    ends = np.cumsum([len(token) for token in tokens])
    starts = ends - [len(token) for token in tokens]
    return np.array([inside[s:e].any() for s, e in zip(starts, ends)], dtype=np.float64)


def text_property(tokens: Sequence[str], name: str, pattern: str | None = None) -> np.ndarray:
    """The property `name` (a key of TEXT_PROPERTIES) of each token: (time,)."""
    if name == "regex":
        if not pattern:
            raise WorkbenchError("Give a regular expression to look for.", hint="For example \\d+ for numbers.")
        return regex_match(tokens, pattern)
    found = {"inside_quotes": inside_quotes, "inside_brackets": inside_brackets,
             "position_in_line": position_in_line}.get(name)
    if found is None:
        raise ValueError(f"No text property {name!r}; there are {', '.join(TEXT_PROPERTIES)}.")
    return found(tokens)


def seasonal_phase(rows: np.ndarray, season: int) -> np.ndarray:
    """Where each row lies in the season, as a point on a circle: (time, 2) cosine and sine of 2 pi row / season.

    Two columns, because a phase wraps around: a unit that peaks on Wednesdays follows the weekly phase though it
    correlates with neither Monday=0..Sunday=6 nor any one curve; ranking uses the best phase shift (summaries)."""
    angle = 2 * np.pi * (np.asarray(rows) % season) / season
    return np.column_stack([np.cos(angle), np.sin(angle)])


def series_property(sample: Sample, name: str, column: str | None = None, season: int | None = None) -> np.ndarray:
    """The property `name` (a key of SERIES_PROPERTIES) at each step of a series window: (time,), or (time, 2)
    for the seasonal phase. "level" is the target's value; "column" the value of `column`, in the data's units."""
    if sample.rows is None:
        raise ValueError("Series properties need a series window (this sample is a text).")
    if name == "seasonal_phase":
        if not season or season < 2:
            raise WorkbenchError("The series has no season (none was detected from its time steps), so there is no "
                                 "seasonal phase to follow.", hint="Pick the level or a column instead.")
        return seasonal_phase(sample.rows, season)
    if name == "level":
        return np.asarray(sample.inputs[:, 0], dtype=np.float64)
    if name == "column":
        if column not in sample.feature_names:
            raise WorkbenchError(f"The model reads no column {column!r}; it reads "
                                 f"{', '.join(map(repr, sample.feature_names))}.", hint="Pick one of those.")
        return np.asarray(sample.inputs[:, sample.feature_names.index(column)], dtype=np.float64)
    raise ValueError(f"No series property {name!r}; there are {', '.join(SERIES_PROPERTIES)}.")
