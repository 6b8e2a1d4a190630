"""The series workspace's files: what a project of it reads besides itself, its forecasts as a CSV table and its
ONNX export. Plain functions of what they need, so the workspace passes its state explicitly."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.data.series import SeriesData
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.export.onnx import ParityCheck
    from workbench.core.project import OpenedProject


def read_series_project(opened: OpenedProject) -> tuple[Any, ...]:
    """The project's table, its columns and series, and the model's forecasts on it (on a reading job's
    thread; may raise the core's error)."""
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.forecast.inspection import inspect_bundle
    from workbench.core.forecast.model_data import series_for_frame
    from workbench.gui.panels.data_panel import column_choices

    project, bundle = opened.project, opened.bundle
    if not project.data_path:
        return None, None, None, None, None
    table = read_table(project.data_path, project.read_options)
    series = prepare_series(table.frame, project.config.data, source=project.data_path)
    model_series = inspection = None
    if bundle is not None:
        model_series = series_for_frame(bundle, table.frame, project.data_path)
        inspection = inspect_bundle(bundle, model_series)
    return table, column_choices(table.frame), series, model_series, inspection


def write_forecasts(bundle: ForecasterBundle, series: SeriesData, path: str) -> str:
    """Every forecast of `bundle` over `series` and past its end, as CSV; returns what was written, in words."""
    from workbench.core.export.tables import write_csv
    from workbench.core.forecast.frames import forecast_frame

    frame = forecast_frame(bundle.model, series, bundle.schema["lookback"], residuals=True)
    write_csv(frame, path)
    return f"Wrote {len(frame):,} rows of forecasts to {path}."


def forecaster_onnx_export(bundle: ForecasterBundle, series: SeriesData | None,
                           path: str) -> tuple[Callable[[], ParityCheck], str]:
    """The export call (run in the background; returns its ParityCheck) and the graph in words. The export is
    checked on windows of `series` (the data the model's forecasts are on), when there is one."""
    model, lookback = bundle.model, bundle.schema["lookback"]
    columns, horizon = len(bundle.schema["columns"]), bundle.schema["horizon"]
    values = series.values if series is not None else None

    def export() -> ParityCheck:
        from workbench.core.export.onnx import export_onnx

        return export_onnx(model, path, lookback, check_against=values)

    return export, (f"input 'window' (batch, {lookback}, {columns}) raw values, output 'forecast' "
                    f"(batch, {horizon})")
