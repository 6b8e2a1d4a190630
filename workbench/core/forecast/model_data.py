"""Reading new data for a saved model: the same columns and treatment it was trained with, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.core.data.series import SeriesData, prepare_series
from workbench.core.data.sources import read_table
from workbench.core.errors import BundleError, DataError
from workbench.core.export.forecaster_bundle import ForecasterBundle


def check_schema(bundle: ForecasterBundle, frame: pd.DataFrame, source: str = "this data") -> None:
    """Refuse data that lacks a column the model reads."""
    needed = [bundle.schema["target"], *bundle.schema["inputs"]]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise BundleError(
            f"The model reads the column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}, which "
            f"{source} does not have (it has {', '.join(map(repr, map(str, frame.columns)))}).",
            hint="Open data with the same columns the model was trained on.",
        )


def series_for_frame(bundle: ForecasterBundle, frame: pd.DataFrame, source: str = "") -> SeriesData:
    check_schema(bundle, frame, Path(source).name if source else "this data")
    series = prepare_series(frame, bundle.config.data, source=source)
    lookback = bundle.schema["lookback"]
    if series.n_rows < lookback:
        raise DataError(f"The data has {series.n_rows} usable rows but the model reads windows of {lookback}.",
                        hint="Open a longer stretch of the series.", path=source or None)
    return series


def series_for_bundle(bundle: ForecasterBundle, path: str | Path) -> SeriesData:
    """Read `path` and prepare it with the model's own data settings (target, inputs, time, missing values)."""
    return series_for_frame(bundle, read_table(path).frame, str(path))
