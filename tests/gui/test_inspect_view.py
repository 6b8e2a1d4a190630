"""The Inspect tab shows what the core computes, for every kind of model: the heatmap is the trace's array, the
coloured text has one colour per token, the ranked list starts with the core's best unit, stale refreshes are
dropped, and the export writes the core's arrays."""

import copy

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMainWindow

from tests.conftest import REVIEWS
from workbench.core.export.kinds import load_model
from workbench.core.inspect.inspection import inspection_arrays
from workbench.core.inspect.properties import series_property, text_property
from workbench.core.inspect.states import inspect_states
from workbench.core.inspect.summaries import rank_units
from workbench.gui.job_progress import JobProgress
from workbench.gui.messages import MessageBar
from workbench.gui.panels.inspect.contexts import TextContext
from workbench.gui.panels.inspect.inspect_view import InspectView
from workbench.gui.panels.inspect.preview import context_for
from workbench.gui.runner import Runner
from workbench.gui.services import Services

TIMEOUT_MS = 20000


@pytest.fixture
def make_view(qtbot, isolated_settings):
    """An InspectView on its own runner, shown (a hidden view waits to be shown before it computes)."""
    runners = []

    def factory() -> InspectView:
        window = QMainWindow()
        qtbot.addWidget(window)
        runner = Runner(window)
        runners.append(runner)
        services = Services(runner, MessageBar(window), isolated_settings, window, window.statusBar().showMessage,
                            lambda: None, JobProgress(window), lambda *_: True, window.statusBar().currentMessage)
        view = InspectView(services)
        window.setCentralWidget(view)
        window.resize(1100, 800)
        window.show()
        return view

    yield factory
    for runner in runners:
        runner.wait_all(30)


def settle(qtbot, view):
    """Wait until what the view computes and draws (in parts, one per turn of the event loop) is on screen."""
    qtbot.waitUntil(lambda: view.currentIndex() == 1 and not view.is_working(), timeout=TIMEOUT_MS)


def show(qtbot, view, bundle, data):
    """Set the model and wait until its first inspection is on screen."""
    view.set_model(bundle.kind, bundle.model, context_for(bundle, str(data) if data else None))
    settle(qtbot, view)


def core_trace(view, model):
    return inspect_states(model, view.inspection.sample.network_inputs)


def test_a_forecasters_heatmap_is_the_cores_array_and_follows_the_gate(make_view, qtbot, forecast_bundle, tmp_path):
    bundle = load_model(forecast_bundle)
    view = make_view()
    show(qtbot, view, bundle, forecast_bundle.parent / "load.csv")
    trace = core_trace(view, bundle.model)
    hidden = trace.get(0, "forward", "hidden")  # (time, units)
    assert view.pictures.heatmap.image.image.shape == (trace.units, trace.steps) == hidden.T.shape
    np.testing.assert_allclose(view.pictures.heatmap.image.image, hidden.T, atol=1e-6)
    # The mouse over a cell reads its unit, step (and time) and value.
    heatmap = view.pictures.heatmap
    cell = heatmap.getPlotItem().getViewBox().mapViewToScene(QPointF(4.5, 2.5))  # step 4, unit 2
    assert heatmap.cell_at(cell) == (2, 4)
    heatmap.hovered.emit(2, 4)
    time = view.inspection.sample.labels[4]
    assert view.pictures.readout.text() == f"Unit 2, step 4 ({time}): hidden {hidden[4, 2]:.4g}"
    view.chooser.quantity.setCurrentIndex(view.chooser.quantity.findData("forget_gate"))
    settle(qtbot, view)
    np.testing.assert_allclose(view.pictures.heatmap.image.image, trace.get(0, "forward", "forget_gate").T, atol=1e-6)
    assert view.pictures.heatmap.image.getLevels().tolist() == [0.0, 1.0]  # gates on 0..1
    # The units ranked by the target's level (the series' default property) in the core's order, on the gate shown.
    ranking = rank_units(trace.get(0, "forward", "forget_gate"), series_property(view.inspection.sample, "level"))
    assert view.pictures.units.ranked_units()[0] == int(ranking.units[0])
    # The attribution's bars: one per step of the window, under the window's values.
    bars = view.pictures.attribution_plot
    assert len(bars.bars) == 1 and bars.values.shape == (trace.steps, 1)
    path = tmp_path / "window.npz"
    assert view.export_arrays(str(path))
    with np.load(path, allow_pickle=False) as saved:
        assert list(saved.keys()) == list(inspection_arrays(view.inspection))
        np.testing.assert_array_equal(saved["layer0.forward.hidden"], view.inspection.trace.get(0, "forward", "hidden"))
    assert view.export_picture("states", str(tmp_path / "states.png")) and (tmp_path / "states.png").stat().st_size


def test_a_passage_is_coloured_token_by_token_by_the_chosen_unit(make_view, qtbot, language_model_bundle):
    bundle = load_model(language_model_bundle)
    view = make_view()
    view.set_model(bundle.kind, bundle.model, TextContext(bundle.vocabulary, text='He said "hold fast" and went.\n'))
    settle(qtbot, view)
    sample = view.inspection.sample
    n = sample.steps
    shown = view.pictures.token_text.token_backgrounds()
    assert len(shown) == n == 30 and all(shown)
    # The unit followed is the core's best for the property (position in the line), and its values give the colours.
    trace = core_trace(view, bundle.model)
    hidden = trace.get(0, "forward", "hidden")
    best = int(rank_units(hidden, text_property(sample.tokens, "position_in_line")).units[0])
    assert view.pictures.units.ranked_units()[0] == best and view.chooser.unit.value() == best
    expected = view.pictures.scale.names(hidden[:, best])
    assert shown == expected
    view.pictures.color_by.setCurrentIndex(view.pictures.color_by.findData("attribution"))
    assert view.pictures.token_text.token_backgrounds() != shown
    # Another property ranks again: inside quotes.
    view.pictures.units.property.setCurrentIndex(view.pictures.units.property.findData("inside_quotes"))
    quotes = rank_units(hidden, text_property(sample.tokens, "inside_quotes"))
    assert view.pictures.units.ranked_units()[0] == int(quotes.units[0])
    # An empty passage is refused in words, beside the pictures it leaves as they were.
    view.picker.passage.setPlainText("")
    view.picker.inspect_passage.click()
    qtbot.waitUntil(lambda: view.error.isVisible(), timeout=TIMEOUT_MS)
    assert view.error.text().startswith("The passage is empty.") and view.inspection.sample is sample


def test_a_classifiers_row_and_direction_are_chosen(make_view, qtbot, classifier_bundle):
    bundle = load_model(classifier_bundle)
    view = make_view()
    show(qtbot, view, bundle, REVIEWS)
    assert not view.chooser.direction.isHidden()  # bidirectional: both directions offered
    view.chooser.direction.setCurrentIndex(view.chooser.direction.findData("backward"))
    settle(qtbot, view)
    backward = core_trace(view, bundle.model).get(0, "backward", "hidden")
    np.testing.assert_allclose(view.pictures.heatmap.image.image, backward.T, atol=1e-6)
    first = view.inspection.sample.description
    with qtbot.waitSignal(view.shown, timeout=TIMEOUT_MS):
        view.picker.row.setValue(3)
    assert view.inspection.sample.tokens != () and view.inspection.sample.description != first
    assert view.pictures.token_text.token_count() == view.inspection.sample.steps


def test_refreshes_wait_for_the_tab_to_be_shown_and_a_stale_one_is_dropped(make_view, qtbot, forecast_bundle):
    bundle = load_model(forecast_bundle)
    context = context_for(bundle, str(forecast_bundle.parent / "load.csv"))
    older, newer = copy.deepcopy(bundle.model), copy.deepcopy(bundle.model)
    with torch.no_grad():
        for parameter in newer.net.rnn.parameters():
            parameter.mul_(0.5)
    view = make_view()
    shown = []
    view.shown.connect(lambda: shown.append(view._model))
    view.hide()  # another tab is on screen: an epoch's refresh only keeps the weights
    view.refresh_from(older, context, "epoch 1")
    assert not view.is_working() and view.inspection is None
    with qtbot.waitSignal(view.shown, timeout=TIMEOUT_MS):
        view.show()
    # Two epochs in quick succession: the first one's inspection, finished or not, never reaches the screen.
    view.refresh_from(older, weights="epoch 2")
    view.refresh_from(newer, weights="epoch 3")
    settle(qtbot, view)
    assert shown == [older, newer]
    np.testing.assert_allclose(view.pictures.heatmap.image.image, core_trace(view, newer).get(0, "forward", "hidden").T,
                               atol=1e-6)
    # During training the attribution is the quick one, and the description says so.
    assert "epoch 3" in view.description.text() and "(gradient x input)" in view.description.text()
    view.clear()
    assert view.currentIndex() == 0 and view.inspection is None and not view.is_working()
