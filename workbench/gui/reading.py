"""What reading a data file for the window does, with no Qt: run in the reader process (gui/reader.py).

Everything that takes time on a large file happens here: reading, finding the time and numeric columns,
preparing the series; and later, on the tables read, the work of gui/kept_data.py. The window only shows the
result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.text.source import TEXT_SUFFIXES
from workbench.gui.kept_data import classify_summary, forecasts_on_table, remember, series_for_columns, text_summary

Step = Callable[[str], None]  # told each stage as it begins, in words


@dataclass(frozen=True)
class ColumnChoices:
    """What the data panel offers for a table, worked out once, off the GUI thread: on a table of thousands of
    columns it takes seconds (docs/decisions.md, "Reading large files")."""

    names: tuple[str, ...]  # every column, in table order
    time: str | None  # the detected time column
    numeric: tuple[str, ...]  # the columns holding numbers, in table order (the time column among them if numeric)

    def targets(self, time: str | None) -> list[str]:
        """The columns that can be the target (or inputs) when `time` is the time column."""
        return [name for name in self.numeric if name != time]

    def default_target(self, time: str | None) -> str | None:
        """The last numeric column other than the time column, as `core.data.series.default_target` picks."""
        targets = self.targets(time)
        return targets[-1] if targets else None


def column_choices(frame: Any) -> ColumnChoices:
    """The detected time column and the numeric columns of `frame` (a pandas DataFrame)."""
    from workbench.core.data.columns import detect_time_column, numeric_columns

    time = detect_time_column(frame)
    return ColumnChoices(tuple(str(name) for name in frame.columns), None if time is None else str(time),
                         tuple(str(name) for name in numeric_columns(frame)))


@dataclass
class ReadData:
    kind: str  # "series", "text" or "classify"
    path: str
    data: Any  # a TextSource or a Table
    series: Any = None  # the series prepared with the detected columns ("series" only)
    columns: ColumnChoices | None = None  # the table's columns for the data panel ("series" only)
    needs_confirmation: bool = False  # sniffing had to guess: let the user check the import options


def read_data(path: str, options: Any = None, step: Step | None = None) -> ReadData:
    """Read `path` (with the user's read `options`, when they chose them) and work out what it is for; raises
    the core's errors."""
    step = step or (lambda _text: None)
    name = Path(path).name
    if options is None and Path(path).suffix.lower() in TEXT_SUFFIXES:
        from workbench.core.text.source import read_text

        step(f"Reading {name}...")
        source = read_text(path)
        remember(source)
        return ReadData("text", path, source)
    from workbench.core.classify.report import looks_like_labelled_texts
    from workbench.core.data.config import DataConfig
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table

    step(f"Reading {name}...")
    table = read_table(path, options)
    remember(table)
    if table.ambiguous and options is None:
        return ReadData("series", path, table, needs_confirmation=True)
    step(f"Looking at the columns of {name}...")
    if looks_like_labelled_texts(table.frame):
        return ReadData("classify", path, table)
    choices = column_choices(table.frame)
    step(f"Preparing the series of {name}...")
    config = DataConfig(time=choices.time or "", target=choices.default_target(choices.time))
    return ReadData("series", path, table, prepare_series(table.frame, config, source=path), choices)


def read_table_with(path: str, options: Any, step: Step | None = None) -> Any:
    """The table at `path` read with `options` (the import dialog's preview)."""
    from workbench.core.data.sources import read_table

    if step is not None:
        step(f"Reading {Path(path).name}...")
    table = read_table(path, options)
    remember(table)
    return table


def preload() -> None:
    """Import what reading needs (pandas above all), so the first file opens as fast as the next."""
    import workbench.core.classify.report  # noqa: F401
    import workbench.core.data.series  # noqa: F401
    import workbench.core.data.sources  # noqa: F401
    import workbench.core.text.source  # noqa: F401


# What the reader process may be asked to run, by name.
FUNCTIONS: dict[str, Callable[..., Any]] = {"read_data": read_data, "read_table": read_table_with,
                                            "series_for_columns": series_for_columns,
                                            "forecasts_on_table": forecasts_on_table, "text_summary": text_summary,
                                            "classify_summary": classify_summary}
