"""DataConfig: which columns to use, how to treat gaps, how to window and split the series."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.fields import setting


@dataclass
class DataConfig:
    target: str | None = setting(
        None, label="Target column", help="The column to forecast. Empty means the last numeric column.",
        optional=True, kind=str)
    time: str | None = setting(
        None, label="Time column", help="Not set: detected automatically (dates, years or epoch seconds). "
        "An empty name: no time column, the rows are used in file order.",
        optional=True, kind=str)
    inputs: list[str] = setting(
        [], label="Input columns", help="Extra columns fed to the model beside the target's own past.")
    missing: str = setting(
        "interpolate", label="Missing values", help="interpolate fills gaps linearly in time; drop removes "
        "the rows; refuse stops with a list of where they are.", choices=("interpolate", "drop", "refuse"))
    lookback: int | None = setting(
        None, label="Lookback window", help="How many past steps the model sees. Empty means the season length "
        "(e.g. 52 for weekly data), two seasons when the target is predicted as its change over a season, else 24. "
        "Longer windows see more context but train slower.",
        minimum=2, maximum=100000, optional=True, kind=int)
    horizon: int = setting(
        1, label="Horizon", help="How many steps ahead to forecast at once.", minimum=1, maximum=10000)
    val_fraction: float = setting(
        0.15, label="Validation share", help="Part of the series after the training part, used for early "
        "stopping.", minimum=0.0, maximum=0.5, exclusive_min=True)
    test_fraction: float = setting(
        0.15, label="Test share", help="Last part of the series, held out and used only to score the model "
        "and the baselines.", minimum=0.0, maximum=0.5, exclusive_min=True)
    transform: str = setting(
        "auto", label="Target transform", help="difference predicts the change from the last value, which "
        "lets the model follow trends beyond the training range; seasonal predicts the change from the same point "
        "one season earlier (it needs a season and a lookback of two seasons); none predicts the standardised "
        "value; auto picks seasonal or difference when the training part trends, whichever of the two "
        "references forecasts it better.", choices=("auto", "none", "difference", "seasonal"))

    def cross_check(self) -> dict[str, str]:
        if isinstance(self.val_fraction, float) and isinstance(self.test_fraction, float):
            if self.val_fraction + self.test_fraction >= 0.8:
                return {"data.test_fraction": "validation and test together leave less than 20% for training; "
                        "lower one of them."}
        return {}
