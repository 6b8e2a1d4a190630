"""One input to look inside the model with, made as each kind of model reads its data.

- a forecaster: the window of `lookback` rows ending at an origin row, scaled and differenced by the model's own
  `encode` (what its recurrent layers read), beside the same rows in the data's units;
- a language model: a passage, encoded by the model's vocabulary and embedded;
- a text classifier: a text, tokenised, encoded and cut to the maximum length as `predict` does, and embedded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from workbench.core.classify.config import ClassifyConfig
from workbench.core.classify.encoding import padded_example
from workbench.core.classify.model import TextClassifier
from workbench.core.data.series import SeriesData
from workbench.core.errors import DataError, WorkbenchError
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.formatting import readable_time
from workbench.core.models.recurrent import ForecastModel
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.vocab import Vocabulary, tokenize

# A passage longer than this is cut: a heatmap of more steps is unreadable, and attribution costs grow with it.
PASSAGE_TOKENS = 500


@dataclass(frozen=True)
class Sample:
    """One sequence as the model reads it, step by step."""

    kind: str  # the kind of model it is for: FORECASTER, LANGUAGE_MODEL or CLASSIFIER (core/export/kinds.py)
    network_inputs: np.ndarray  # (time, n_in) float32: what the recurrent layers read (scaled window, embeddings)
    inputs: np.ndarray  # (time, features) in the data's units: the rows' values (float64), or the tokens (str)
    feature_names: tuple[str, ...]  # a series' columns (target first), or ("token",)
    labels: tuple[str, ...]  # (time,) each step as a person reads it: its time, or its token
    description: str  # which window or text this is, in words
    ids: np.ndarray | None = None  # (time,) int64 model ids of a text's tokens; None for a series
    rows: np.ndarray | None = None  # (time,) int64 row of the series at each step; None for a text

    @property
    def steps(self) -> int:
        return len(self.labels)

    @property
    def tokens(self) -> tuple[str, ...]:
        """A text's tokens (the labels); empty for a series."""
        return self.labels if self.ids is not None else ()


@torch.no_grad()
def series_sample(model: ForecastModel, series: SeriesData, origin: int, lookback: int) -> Sample:
    """The window of `lookback` rows ending at row `origin` (0 = the series' first row): the window the
    forecast made at that row reads."""
    first = lookback - 1
    if not first <= origin < series.n_rows:
        raise DataError(f"Row {origin} has no full window: the model reads {lookback} rows, so the window's last row "
                        f"must be between {first} and {series.n_rows - 1}.", hint="Choose a later row.")
    rows = np.arange(origin - first, origin + 1, dtype=np.int64)
    window = series.values[rows]  # (lookback, features) in the data's units
    device = next(model.parameters()).device
    encoded, _ = model.encode(torch.as_tensor(window, dtype=torch.float32, device=device)[None])  # (1, L, F)
    labels = tuple(readable_time(str(t)) for t in series.times[rows])
    description = (f"the window of {lookback} rows ending at row {origin} ({labels[-1]}), where the forecast of "
                   f"'{series.target}' is made")
    return Sample(FORECASTER, encoded[0].cpu().numpy().astype(np.float32), window.astype(np.float64),
                  tuple(series.columns), labels, description, rows=rows)


def origin_for_time(series: SeriesData, when: str) -> int:
    """The row of the series at time `when`, or the last row before it; DataError outside the series."""
    times = series.times
    if series.time_axis.kind == "index":
        try:
            stamp = np.int64(int(str(when).strip()))
        except ValueError:
            raise DataError(f"'{when}' is not a row number, and the series has no time column.",
                            hint="Give the origin as a row number, e.g. --row 120.") from None
    else:
        try:
            parsed = pd.Timestamp(str(when).strip())
            if pd.isna(parsed):
                raise ValueError(when)
            stamp = np.datetime64(parsed.tz_localize(None), "ns")
        except (ValueError, TypeError):
            raise DataError(f"'{when}' is not a time.",
                            hint=f"Write it like {readable_time(str(times[-1]))}.") from None
    row = int(np.searchsorted(times, stamp, side="right")) - 1
    if row < 0 or stamp > times[-1]:
        raise DataError(f"{when} lies outside the series, which runs from {readable_time(str(times[0]))} to "
                        f"{readable_time(str(times[-1]))}.", hint="Choose a time inside it.")
    return row


@torch.no_grad()
def text_sample(model: LanguageModel, vocabulary: Vocabulary, passage: str) -> Sample:
    """A passage as a language model reads it: its tokens, their ids and their embeddings."""
    tokens = tokenize(passage, vocabulary.level)
    if not tokens:
        raise WorkbenchError("The passage is empty.", hint="Give some text to read.")
    ids = vocabulary.encode_tokens(tokens)
    unknown = int((ids == 0).sum())
    note = f", {unknown} of them outside the vocabulary" if unknown else ""
    description = f"a passage of {len(tokens)} {_unit(vocabulary.level, len(tokens))}{note}"
    return _text(LANGUAGE_MODEL, model.embed, ids, tuple(tokens), description)


@torch.no_grad()
def classifier_sample(model: TextClassifier, vocabulary: Vocabulary, settings: ClassifyConfig, text: str) -> Sample:
    """A text as the classifier reads it: tokenised, lowercased and cut to its maximum length as in `predict`
    (padding is left off: it never enters the recurrent state)."""
    if settings.max_len is None:
        raise ValueError("The settings have no maximum length; pass a finished run's or a bundle's.")
    example = padded_example(text, vocabulary, settings.max_len, settings.truncate, settings.lowercase)
    real = example.real
    tokens = tuple(token for token, keep in zip(example.tokens, real) if keep)
    n = len(tokens)
    description = f"a text of {n} {_unit(vocabulary.level, n)}"
    if example.truncated:
        kept = "first" if settings.truncate == "head" else "last"
        description += f" (the {kept} {settings.max_len} of {example.n_tokens}, as the model reads it)"
    return _text(CLASSIFIER, model.embed, example.ids[real], tokens, description)


def passage(text: str, line: int | None = None, max_tokens: int = PASSAGE_TOKENS, level: str = "char") -> str:
    """Line `line` of `text` (from 0, with its newline), or the start of the text, cut to `max_tokens` tokens."""
    if line is not None:
        lines = text.splitlines(keepends=True)
        if not 0 <= line < len(lines):
            raise DataError(f"The text has {len(lines)} lines (0 to {len(lines) - 1}); there is no line {line}.",
                            hint="Choose a line inside the text.")
        text = lines[line]
    return "".join(tokenize(text, level)[:max_tokens])


def _text(kind: str, embed: torch.nn.Embedding, ids: np.ndarray, tokens: tuple[str, ...], description: str) -> Sample:
    ids = np.asarray(ids, dtype=np.int64)
    embedded = embed(torch.as_tensor(ids, device=embed.weight.device))  # (time, embedding)
    return Sample(kind, embedded.cpu().numpy().astype(np.float32), np.array(tokens, dtype=str).reshape(-1, 1),
                  ("token",), tokens, description, ids=ids)


def _unit(level: str, n: int) -> str:
    word = "character" if level == "char" else "token"
    return word if n == 1 else word + "s"
