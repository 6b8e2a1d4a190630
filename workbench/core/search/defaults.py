"""A sensible search space for each kind of model, when the user names none (`workbench sweep` without --space).

The ranges bracket each kind's defaults: cell and depth, a factor of about three either way in width and
learning rate, and for a forecaster the lookback from half to twice what the data suggests.
"""

from __future__ import annotations

from typing import Any

from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.search.space import SearchSpace, parse_space
from workbench.core.search.stages import LoadedData

_NETWORK: dict[str, Any] = {"cell": ["lstm", "gru", "rnn"], "layers": [1, 2], "dropout": {"low": 0.0, "high": 0.3}}

DEFAULT_SPACES: dict[str, dict[str, dict[str, Any]]] = {
    FORECASTER: {
        "model": {**_NETWORK, "hidden": {"low": 16, "high": 128, "log": True}},
        "train": {"lr": {"low": 3e-4, "high": 1e-2, "log": True}, "batch_size": [16, 32, 64, 128]},
    },
    LANGUAGE_MODEL: {
        "model": {**_NETWORK, "hidden": {"low": 64, "high": 512, "log": True}},
        "text": {"seq_len": [50, 100, 200], "embedding": [32, 64, 128]},
        "train": {"lr": {"low": 5e-4, "high": 5e-3, "log": True}, "batch_size": [16, 32, 64]},
    },
    CLASSIFIER: {
        "model": {**_NETWORK, "hidden": {"low": 16, "high": 128, "log": True}, "bidirectional": [True, False]},
        "classify": {"embedding": [32, 64, 128], "pooling": ["max", "mean", "last"],
                     "dropout": {"low": 0.0, "high": 0.5}},
        "train": {"lr": {"low": 5e-4, "high": 5e-3, "log": True}, "batch_size": [16, 32, 64]},
    },
}


def default_space(loaded: LoadedData, config: Any) -> SearchSpace:
    """The kind's default space; a forecaster's also varies the lookback over what this series allows."""
    mapping = {section: dict(values) for section, values in DEFAULT_SPACES[loaded.kind].items()}
    if loaded.kind == FORECASTER:
        lookbacks = lookback_range(loaded, config)
        if lookbacks:
            mapping["data"] = {"lookback": {"low": lookbacks[0], "high": lookbacks[1]}}
    return parse_space(mapping, loaded.kind)


def lookback_range(loaded: LoadedData, config: Any) -> tuple[int, int] | None:
    """Half to twice the lookback the data suggests (its season, else 24), within a quarter of the training rows."""
    from workbench.core.data.series import prepare_series
    from workbench.core.forecast.setup import resolve_setup

    series = prepare_series(loaded.content, config.data, source=loaded.path)
    suggested = resolve_setup(series, config.data).data.lookback
    train_rows = int(series.n_rows * (1 - config.data.val_fraction - config.data.test_fraction))
    low, high = max(2, suggested // 2), min(2 * suggested, max(2, train_rows // 4))
    return (low, high) if low < high else None
