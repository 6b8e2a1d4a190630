"""The Inspect tab of each workspace: during a run it looks inside the best weights so far, each epoch they
improve, and when the run ends, inside the model on screen."""

import re
import threading

import numpy as np
import pytest

from tests.gui.conftest import settle
from tests.gui.test_truth import open_kind
from workbench.core.inspect.states import inspect_states
from workbench.gui.runner import JobContext

TIMEOUT_MS = 30000


def gate_after_first_epoch(workspace, release: threading.Event) -> None:
    """The run waits at the end of its second epoch until `release` is set: an inspection of the best weights so
    far is on screen by then, whatever the speed of the machine."""
    make = workspace.new_snapshot

    def gated():
        snapshot = make()
        keep = snapshot.on_epoch_end

        def on_epoch_end(epoch, logs):
            keep(epoch, logs)
            if epoch == 2:
                release.wait(TIMEOUT_MS / 1000)

        snapshot.on_epoch_end = on_epoch_end
        return snapshot

    workspace.new_snapshot = gated


def heatmap_is_the_cores(view, model) -> None:
    trace = inspect_states(model, view.inspection.sample.network_inputs)
    first = trace.quantities[0] if "hidden" not in trace.quantities else "hidden"
    view.chooser.quantity.setCurrentIndex(view.chooser.quantity.findData(first))
    np.testing.assert_allclose(view.pictures.heatmap.image.image, trace.get(0, "forward", first).T, atol=1e-5)


@pytest.mark.parametrize("kind", ["series", "text", "classify"])
def test_the_inspect_tab_follows_the_best_weights_then_the_trained_model(make_main_window, qtbot, tmp_path, kind,
                                                                         monkeypatch):
    # Every report reaches the window at once (no batching), so the first epoch is heard before the gate.
    monkeypatch.setattr(JobContext, "_flush_if_due", lambda context, now: context.flush())
    window = make_main_window()
    workspace = open_kind(qtbot, window, kind, str(tmp_path))
    assert not workspace.inspect_tab.page.built  # built when first shown: most sessions never open it
    release = threading.Event()
    gate_after_first_epoch(workspace, release)
    shown = []
    settle(qtbot, workspace)
    with qtbot.waitSignal(workspace.run_ended, timeout=TIMEOUT_MS * 2) as ended:
        assert workspace.start_training()
        workspace.right_tabs.setCurrentWidget(workspace.inspect_tab.page)  # the user looks: the view is made
        view = workspace.inspect_view
        view.shown.connect(lambda: shown.append(view.description.text()))
        try:
            # The best weights when the window hears of epoch 1: epoch 1's, or epoch 2's if the run got there first
            # (the run waits at the end of epoch 2).
            qtbot.waitUntil(lambda: any(re.search(r"Weights: best so far \(epoch [12]\)\.", text) for text in shown),
                            timeout=TIMEOUT_MS)
            # Train waits for the run in words that speak of this run, not of "another model".
            assert window.actions_.train.toolTip() == "Wait for the training to end."
        finally:
            release.set()
    assert ended.args[0] == "finished"
    # The run's own model follows: inspected again, its description names no "best so far".
    qtbot.waitUntil(lambda: "best so far" not in view.description.text() and not view.is_working()
                    and view.inspection is not None, timeout=TIMEOUT_MS)
    heatmap_is_the_cores(view, workspace.model.model)
