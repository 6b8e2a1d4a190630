"""Work the reader process (gui/reader.py) does on the data it read: the series for the columns the user picks, a
forecaster's forecasts from every origin, a text's token counts and a labelled table's summary. No Qt: this runs
in the reader process.

The process keeps the last data it read, so the window asks for this work by file (and read options), never
sending the data back. On a thread of the window the same work held the window's GIL for long stretches, since
each of these spends them in single calls to compiled code: pandas parses a million date strings in one call
(250 ms), counting the characters of a 5 MB text is one call (0.5 s), and the exponential-smoothing baseline
smoothed a million rows in one call (9 s). In this process they hold nothing the window needs, and only the
result travels back (a million-row series unpickles in about 10 ms).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import DataError

if TYPE_CHECKING:
    from workbench.core.classify.config import ClassifyConfig
    from workbench.core.classify.dataset import ClassifySummary
    from workbench.core.data.config import DataConfig
    from workbench.core.data.series import SeriesData
    from workbench.core.data.sources import Table
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.core.text.config import TextConfig
    from workbench.core.text.source import TextSource
    from workbench.core.text.summary import TextSummary

KEPT = 2  # the data most recently read: what is on screen, and one more (another workspace's, a preview)
_kept: dict[tuple[str, str], Any] = {}  # (path, read options or "text") -> Table or TextSource


def remember(data: Table | TextSource) -> None:
    """Keep a table or a text for later work, forgetting the oldest kept beyond KEPT."""
    key = _key(data.path, getattr(data, "options", None))
    _kept.pop(key, None)
    _kept[key] = data
    while len(_kept) > KEPT:
        _kept.pop(next(iter(_kept)))


def series_for_columns(path: str, options: Any, shape: tuple[int, int], config: DataConfig,
                       step: Any = None) -> SeriesData:
    """The series `config` picks from the table at `path`, read with `options` (`shape`: as the window shows it)."""
    from workbench.core.data.series import prepare_series

    return prepare_series(kept_table(path, options, shape).frame, config, source=path)


def bundle_bytes(bundle: ForecasterBundle) -> bytes:
    """`bundle` as `forecasts_on_table` takes it. Pickled here with the plain pickler: the connection's own
    (multiprocessing's) sends torch tensors as shared-memory handles, which only a process multiprocessing
    started can take. Only the window's own objects travel this way, never a file's."""
    return pickle.dumps(bundle, protocol=pickle.HIGHEST_PROTOCOL)


def forecasts_on_table(path: str, options: Any, shape: tuple[int, int], bundle: bytes,
                       step: Any = None) -> tuple[SeriesData, ForecastInspection]:
    """The series the forecaster in `bundle` (from `bundle_bytes`) reads from the table at `path` and its
    forecasts from every origin; the core's error when the table lacks the model's columns or rows."""
    from workbench.core.forecast.inspection import inspect_bundle
    from workbench.core.forecast.model_data import series_for_frame

    forecaster = pickle.loads(bundle)  # noqa: S301 - the window's own bundle, pickled by bundle_bytes
    series = series_for_frame(forecaster, kept_table(path, options, shape).frame, path)
    return series, inspect_bundle(forecaster, series)


def text_summary(path: str, length: int, config: TextConfig, step: Any = None) -> TextSummary:
    """The token counts of the text at `path` (`length` characters, as the window shows it) with `config`."""
    from workbench.core.text.summary import summarize_text

    source = _kept.get(_key(path, None))
    if source is None:
        from workbench.core.text.source import read_text

        source = read_text(path)
        remember(source)
    if len(source.text) != length:
        raise _changed(path, f"{len(source.text):,} characters, not {length:,}")
    return summarize_text(source, config)


def classify_summary(path: str, options: Any, shape: tuple[int, int], config: ClassifyConfig, seed: int,
                     step: Any = None) -> ClassifySummary:
    """The classes, split and tokens of the labelled table at `path` with `config` (core/classify/dataset.py)."""
    from workbench.core.classify.dataset import summarize_classification

    return summarize_classification(kept_table(path, options, shape).frame, config, seed, path)


def kept_table(path: str, options: Any, shape: tuple[int, int]) -> Table:
    """The table as the window shows it: the one kept from reading it, or read again (when the table came from a
    project, or Cancel ended the process that had it), provided the file still holds a table of that shape."""
    table = _kept.get(_key(path, options))
    if table is None:
        from workbench.core.data.sources import read_table

        table = read_table(path, options)
        remember(table)
    if tuple(table.frame.shape) != tuple(shape):
        rows, columns = table.frame.shape
        raise _changed(path, f"{rows:,} rows and {columns:,} columns, not {shape[0]:,} and {shape[1]:,}")
    return table


def _key(path: str, options: Any) -> tuple[str, str]:
    return str(path), "text" if options is None else repr(options)


def _changed(path: str, what: str) -> DataError:
    return DataError(f"{Path(path).name} has changed since it was opened: it now holds {what}.",
                     hint="Open the file again to use it as it is now.", path=str(path))
