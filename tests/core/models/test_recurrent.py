"""The recurrent networks: parameter counts against torch, the summary line, and predicting the change."""

import pytest
import torch

from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import ForecastModel, RecurrentNet
from workbench.core.models.summary import describe, parameter_count


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("layers,bidirectional", [(1, False), (2, True), (3, False)])
def test_parameter_count_matches_torch(cell, layers, bidirectional):
    config = ModelConfig(cell=cell, layers=layers, hidden=9, bidirectional=bidirectional)
    net = RecurrentNet(config, n_features=3, n_outputs=4)
    assert parameter_count(config, 3, 4) == sum(p.numel() for p in net.parameters())
    assert net(torch.zeros(5, 7, 3)).shape == (5, 4)


def test_summary_line():
    assert describe(ModelConfig(layers=2, hidden=64), 1, 52, 4) == (
        "2-layer LSTM, 64 units, reads 52 steps of 1 feature, predicts 4 steps: 50,692 parameters"
    )


def test_difference_mode_predicts_relative_to_the_last_value():
    model = ForecastModel(ModelConfig(hidden=4), n_features=1, horizon=2)
    model.set_scaling(torch.tensor([50.0]), torch.tensor([10.0]), target_scale=2.0, difference=True)
    with torch.no_grad():
        low = model(torch.full((1, 6, 1), 10.0))
        high = model(torch.full((1, 6, 1), 1010.0))
    # A level shift of the whole window shifts the forecast by the same amount.
    assert torch.allclose(high - low, torch.full((1, 2), 1000.0))
