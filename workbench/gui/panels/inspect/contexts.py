"""What a workspace hands the Inspect tab besides the model: the data its samples are taken from.

One small frozen record per kind of model, each naming its kind, so the tab dispatches on it and never guesses
from attributes. The records hold references (the series, the vocabulary), not copies: they are read on the
inspection job's thread and must not be changed while a workspace shows them (the workspaces replace, never
change, their series and vocabularies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL

if TYPE_CHECKING:
    import pandas as pd

    from workbench.core.classify.config import ClassifyConfig
    from workbench.core.data.series import SeriesData
    from workbench.core.text.vocab import Vocabulary


@dataclass(frozen=True)
class SeriesContext:
    """A forecaster's windows: the series (with the model's columns) and the window's length."""

    kind: ClassVar[str] = FORECASTER
    series: SeriesData
    lookback: int
    horizon: int = 1  # the steps ahead the model forecasts: the attribution explains one of them
    season: int | None = None  # the season length, for the "seasonal phase" property (None: no season)

    @property
    def first_origin(self) -> int:
        """The first row with a full window before it."""
        return self.lookback - 1


@dataclass(frozen=True)
class TextContext:
    """A language model's passages: its vocabulary, and where the default passage comes from."""

    kind: ClassVar[str] = LANGUAGE_MODEL
    vocabulary: Vocabulary
    text: str = ""  # the open text: the default passage is its start
    prompt: str = ""  # the generation prompt: the default passage when no text is open


@dataclass(frozen=True)
class ClassifyContext:
    """A classifier's texts: how it reads them, its classes, and the table's texts by row."""

    kind: ClassVar[str] = CLASSIFIER
    vocabulary: Vocabulary
    settings: ClassifyConfig  # resolved: max_len is set (a bundle's, or the summary's while training)
    classes: tuple[str, ...]
    texts: Sequence[Any] = ()  # the table's text column, one entry per row (None or NaN where it is empty)
    try_text: str = ""  # the text on the Try it tab, offered when the table has none


InspectContext = SeriesContext | TextContext | ClassifyContext


def table_texts(frame: pd.DataFrame, column: str) -> tuple[Any, ...]:
    """The texts of `column` by row, for ClassifyContext.texts (empty when the table lacks the column)."""
    return tuple(frame[column].tolist()) if column in frame.columns else ()


def series_context(bundle: Any, series: SeriesData) -> SeriesContext:
    """A forecaster bundle's windows on `series` (which has the model's columns)."""
    schema = bundle.schema
    return SeriesContext(series, int(schema["lookback"]), int(schema["horizon"]),
                         schema.get("season_length") or series.season_length)


def classify_context(bundle: Any, frame: pd.DataFrame | None = None, try_text: str = "") -> ClassifyContext:
    """A classifier bundle's texts: the rows of `frame` (its text column), and the Try it text."""
    settings = bundle.config.classify
    texts = table_texts(frame, settings.text) if frame is not None else ()
    return ClassifyContext(bundle.vocabulary, settings, tuple(bundle.classes), texts, try_text)
