"""ModelConfig: the shape of the recurrent network."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.fields import setting


@dataclass
class ModelConfig:
    cell: str = setting(
        "lstm",
        label="Cell",
        help="The recurrent cell. LSTM is the safe default; GRU is a little faster with similar accuracy; "
        "a plain RNN forgets quickly and suits only short windows.",
        choices=("lstm", "gru", "rnn"),
    )
    layers: int = setting(
        1,
        label="Layers",
        help="Stacked recurrent layers. Add a second layer when one underfits; more than 3 rarely helps "
        "and trains slower.",
        minimum=1,
        maximum=8,
    )
    hidden: int = setting(
        64,
        label="Hidden units",
        help="Size of each layer's state. Raise it when the model underfits (training loss stays high); "
        "lower it when the training loss falls far below the validation loss.",
        minimum=1,
        maximum=4096,
    )
    dropout: float = setting(
        0.0,
        label="Dropout",
        help="Share of units dropped between stacked layers during training (needs 2+ layers). "
        "0.1-0.3 helps when the model overfits.",
        minimum=0.0,
        maximum=0.9,
    )
    bidirectional: bool = setting(
        False,
        label="Bidirectional",
        help="Also read each window backwards. Sometimes helps on short windows; doubles the cost.",
    )

    def cross_check(self) -> dict[str, str]:
        if self.dropout and isinstance(self.layers, int) and self.layers == 1:
            return {"model.dropout": "dropout acts between layers, so it needs at least 2 layers; set it to 0 "
                    "or add a layer."}
        return {}
