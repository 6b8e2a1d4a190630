"""Gate saturation per unit, units ranked by a property, and the properties themselves."""

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.inspect.properties import (
    inside_brackets,
    inside_quotes,
    position_in_line,
    regex_match,
    seasonal_phase,
    series_property,
    text_property,
)
from workbench.core.inspect.samples import Sample
from workbench.core.inspect.states import StateTrace
from workbench.core.inspect.summaries import gate_saturation, rank_units


def _gru_trace(reset, update, batched=False):
    arrays = {"layer0.forward.reset_gate": reset, "layer0.forward.update_gate": update,
              "layer0.forward.candidate": np.zeros_like(reset), "layer0.forward.hidden": np.zeros_like(reset)}
    return StateTrace("gru", 1, ("forward",), reset.shape[-1], np.array([reset.shape[-2]]), batched, arrays)


def test_saturation_counts_the_steps_below_and_above_the_thresholds_per_unit():
    reset = np.array([[0.05, 0.5], [0.5, 0.5], [0.95, 0.5], [0.99, 0.5]])  # (time, units)
    update = np.array([[[0.0, 1.0], [0.0, 1.0]], [[1.0, 1.0], [np.nan, np.nan]]])  # (batch, time, units), padded
    result = gate_saturation(_gru_trace(reset, reset), 0)
    assert [s.gate for s in result] == ["reset_gate", "update_gate"]
    assert result[0].left.tolist() == [0.25, 0.0] and result[0].right.tolist() == [0.5, 0.0]
    padded = gate_saturation(_gru_trace(update, update, batched=True), 0)[1]
    assert padded.left.tolist() == pytest.approx([2 / 3, 0.0]) and padded.right.tolist() == pytest.approx([1 / 3, 1.0])


def test_units_are_ranked_by_absolute_correlation_and_flat_units_go_last():
    prop = np.arange(10.0)
    rng = np.random.default_rng(0)
    units = np.column_stack([0.1 * rng.standard_normal(10), 1 - 2 * prop, np.full(10, 0.3), prop**2])
    ranking = rank_units(units, prop)
    assert ranking.units.tolist() == [1, 3, 0, 2]
    assert ranking.scores[0] == pytest.approx(1.0) and ranking.signs[:2].tolist() == [-1.0, 1.0]
    assert np.isnan(ranking.scores[-1]) and ranking.signs[-1] == 0.0
    with pytest.raises(WorkbenchError) as error:
        rank_units(units, np.ones(10))
    assert error.value.message == "The property is the same at every step of this sample, so no unit can follow it."


def test_a_seasonal_phase_is_followed_at_any_shift_and_padding_is_left_out():
    rows = np.arange(28)
    phase = seasonal_phase(rows, 7)  # (time, 2)
    angle = 2 * np.pi * (rows % 7) / 7
    units = np.column_stack([np.sin(2 * angle), 3 * np.cos(angle - 1.0)])
    ranking = rank_units(units, phase)
    assert ranking.units.tolist() == [1, 0] and ranking.scores[0] == pytest.approx(1.0)
    assert ranking.signs.tolist() == [0.0, 0.0]
    padded = np.stack([units, units])  # (batch, time, units)
    padded[1, 20:] = np.nan
    assert rank_units(padded, np.stack([phase, phase])).scores[0] == pytest.approx(1.0)


def test_text_properties_describe_the_moment_after_each_token():
    assert inside_quotes(list('say "hi" ok')).tolist() == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]
    assert inside_quotes(["\u201c", "a", "\u201d"]).tolist() == [1, 1, 0]
    assert inside_brackets(list(")f(a[b])c")).tolist() == [0, 0, 1, 1, 1, 1, 1, 0, 0]
    assert position_in_line(list("ab\ncd")).tolist() == [1, 2, 0, 1, 2]
    assert position_in_line(["ab", " \n  ", "cd"]).tolist() == [2, 2, 4]  # word tokens count their characters
    assert regex_match(list("ab12cd3"), r"\d+").tolist() == [0, 0, 1, 1, 0, 0, 1]
    assert text_property(["room", " ", "101", "."], "regex", r"\d").tolist() == [0, 0, 1, 0]


def test_text_properties_refuse_a_bad_pattern_in_words():
    with pytest.raises(WorkbenchError) as error:
        text_property(list("abc"), "regex", "(")
    assert error.value.message.startswith("'(' is not a regular expression: missing )")
    with pytest.raises(WorkbenchError, match="Give a regular expression"):
        text_property(list("abc"), "regex")
    with pytest.raises(ValueError, match="No text property 'vowels'"):
        text_property(list("abc"), "vowels")


def test_series_properties_read_the_window():
    values = np.column_stack([np.arange(5.0), 10 + np.arange(5.0)])
    sample = Sample("forecaster", values.astype(np.float32), values, ("load", "temp"), tuple("abcde"), "a window",
                    rows=np.arange(3, 8))
    assert series_property(sample, "level").tolist() == [0, 1, 2, 3, 4]
    assert series_property(sample, "column", "temp").tolist() == [10, 11, 12, 13, 14]
    np.testing.assert_allclose(series_property(sample, "seasonal_phase", season=4), seasonal_phase(np.arange(3, 8), 4))
    with pytest.raises(WorkbenchError, match="The model reads no column 'rain'; it reads 'load', 'temp'"):
        series_property(sample, "column", "rain")
    with pytest.raises(WorkbenchError, match="The series has no season"):
        series_property(sample, "seasonal_phase", season=None)
