"""The results a window shows, computed in the core: step views, fans, the metrics table, a saved model re-scored."""

import math

import numpy as np
import pytest

from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
from workbench.core.forecast.frames import forecast_frame
from workbench.core.forecast.inspection import ForecastInspection, MetricRow, inspect_bundle, inspect_run

HORIZON = 3


@pytest.fixture
def run(forecast_run):
    """The shared tiny forecaster (tests/conftest.py): horizon 3, read-only."""
    assert forecast_run.config.data.horizon == HORIZON
    return forecast_run


@pytest.fixture(scope="module")
def inspection(forecast_run) -> ForecastInspection:
    return inspect_run(forecast_run)


def test_the_test_step_view_is_exactly_what_the_metrics_score(inspection, run):
    ev, val_end = run.evaluation, run.setup.plan.val_end
    for k in range(1, HORIZON + 1):
        view = inspection.step(k, "test")
        scored = np.isfinite(ev.actual[:, k - 1])
        np.testing.assert_array_equal(view.forecast, ev.forecast[scored, k - 1])
        np.testing.assert_array_equal(view.actual, ev.actual[scored, k - 1])
        # Every step covers the whole test part: the same targets, forecast k rows before each.
        np.testing.assert_array_equal(view.times, run.series.times[val_end:])
        assert np.mean(np.abs(view.error)) == pytest.approx(ev.per_step[k - 1]["mae"])
    with pytest.raises(ValueError, match="between 1 and 3"):
        inspection.step(4)


def test_the_whole_series_view_matches_the_forecast_table(inspection, run):
    table = forecast_frame(run.model, run.series, run.setup.plan.lookback)
    view = inspection.step(2, "all")
    expected = table["forecast_2"].to_numpy()[: run.series.n_rows]
    expected = expected[np.isfinite(expected)]
    np.testing.assert_allclose(view.forecast, expected, rtol=1e-6)


def test_the_fan_starts_at_the_actual_value_and_runs_past_the_end(inspection, run):
    origin = run.setup.plan.val_end - 1  # the first fan: its targets are the first test rows
    assert inspection.fan_origins()[0] == origin
    times, values = inspection.fan(origin)
    assert len(values) == HORIZON + 1 and values[0] == run.series.values[origin, 0]
    row = int(np.flatnonzero(inspection.evaluation.origins == origin)[0])
    np.testing.assert_array_equal(values[1:], inspection.evaluation.forecast[row])
    last = run.series.n_rows - 1
    assert inspection.fan_origins()[-1] == last
    times, values = inspection.fan(last)
    np.testing.assert_array_equal(times[1:], inspection.future_times)
    np.testing.assert_array_equal(values[1:], inspection.future)
    with pytest.raises(ValueError, match="no full lookback"):
        inspection.fan(0)


def test_metric_rows_mark_the_lowest_and_whatever_ties_it():
    evaluation = type("E", (), {"metrics": {"mae": 2.0, "mase": 1.0, "smape": 10.0}, "baselines": {
        "naive": {"mae": 2.0, "mase": 0.5, "smape": 10.04}, "seasonal_naive": {"mae": 3.0, "mase": math.nan}}})()
    fake = ForecastInspection.__new__(ForecastInspection)
    fake.evaluation = evaluation
    rows = {r.key: r for r in fake.metric_rows()}
    assert rows["mae"].best == ("model", "naive")  # a tie marks both
    assert rows["smape"].best == ("model", "naive")  # within half a percent: the verdict's tie too
    assert rows["mase"].best == ("naive",)  # NaN never wins
    assert rows["rmse"].best == ()  # nothing finite to compare
    assert isinstance(rows["mae"], MetricRow)


def test_a_saved_model_rescored_on_its_own_data_gives_the_same_results(inspection, run):
    again = inspect_bundle(bundle_from_forecast_run(run), run.series)
    np.testing.assert_allclose(again.forecasts, inspection.forecasts)
    assert again.evaluation.metrics == pytest.approx(inspection.evaluation.metrics, nan_ok=True)
    assert again.evaluation.verdict == inspection.evaluation.verdict
    assert again.curve_reading() == inspection.curve_reading()


def test_residual_diagnostics_use_the_test_errors_of_each_step(inspection):
    for k in (1, HORIZON):
        diagnostics = inspection.residuals(k)
        np.testing.assert_allclose(diagnostics.residuals, inspection.step(k).error)
        assert diagnostics.summary
