"""The window keeps missing values filled within the parts its settings split the series into."""

import numpy as np

from tests.conftest import seasonal_table, tiny_config
from tests.gui.conftest import open_data, set_form, settle, train


def test_changing_the_shares_refills_the_gaps_and_training_uses_what_is_shown(make_main_window, qtbot, tmp_path):
    # 240 rows; at shares of 0.15 training ends at row 168, and the gap at rows 165-171 straddles that end.
    frame = seasonal_table()
    frame.loc[165:171, "load"] = np.nan
    path = tmp_path / "load.csv"
    frame.to_csv(path, index=False)
    window = make_main_window()
    workspace = open_data(qtbot, window, path)
    set_form(workspace, tiny_config())
    settle(qtbot, workspace)
    series = workspace.series
    assert series.split == (168, 204)
    assert series.values[165:168, 0].tolist() == [frame.loc[164, "load"]] * 3  # no validation value in training
    assert "The training part ends with 3 missing value(s)" in workspace.data_panel.notes_text()

    config = tiny_config()
    config.data.val_fraction = 0.25  # training now ends at row 144: the whole gap lies inside validation
    set_form(workspace, config)
    settle(qtbot, workspace)  # the settings are checked, and the gaps filled, in the background
    series = workspace.series
    assert series.split == (144, 204)
    assert "(0 in training, 7 in validation, 0 in test)" in workspace.data_panel.notes_text()
    _, shown = workspace.series_view.plot.target_curve.getData()
    np.testing.assert_array_equal(shown, series.values[:, 0])
    assert train(qtbot, workspace) == "finished"
    run = workspace.last_run
    assert run.setup.plan.train_end == 144
    np.testing.assert_array_equal(run.series.values, series.values)
