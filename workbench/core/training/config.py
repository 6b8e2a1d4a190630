"""TrainConfig: how the network is fitted."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.fields import setting


@dataclass
class TrainConfig:
    epochs: int = setting(
        100, label="Max epochs", help="Upper limit on passes over the training windows; early stopping "
        "usually ends the run sooner.", minimum=1, maximum=100000)
    batch_size: int = setting(
        64, label="Batch size", help="Windows per optimisation step. Larger is faster per epoch but needs more "
        "epochs; 32-128 suits most series.", minimum=1, maximum=65536)
    lr: float = setting(
        1e-3, label="Learning rate", help="Step size of the optimiser. Lower it (e.g. 3e-4) when the loss jumps "
        "or becomes NaN; raise it when the loss falls very slowly.", minimum=0.0, maximum=10.0, exclusive_min=True)
    optimizer: str = setting(
        "adam", label="Optimiser", help="Adam is the usual choice; AdamW applies weight decay correctly.",
        choices=("adam", "adamw"))
    weight_decay: float = setting(
        0.0, label="Weight decay", help="Pulls weights toward zero to fight overfitting; try 1e-4 with AdamW.",
        minimum=0.0, maximum=1.0)
    patience: int = setting(
        10, label="Early-stopping patience", help="Stop after this many epochs without a better validation "
        "loss, and restore the best weights. 0 turns early stopping off.", minimum=0, maximum=100000)
    reduce_lr_patience: int = setting(
        0, label="Reduce LR after", help="Halve the learning rate after this many epochs without improvement. "
        "0 turns it off.", minimum=0, maximum=100000)
    grad_clip: float = setting(
        1.0, label="Gradient clipping", help="Largest allowed gradient norm; keeps recurrent training stable. "
        "0 turns it off.", minimum=0.0, maximum=1e6)
    seed: int = setting(
        0, label="Seed", help="Same seed, data and settings give the same loss curve on the CPU.",
        minimum=0, maximum=2**31 - 1)
    device: str = setting(
        "auto", label="Device", help="auto uses a CUDA GPU when one is present, else the CPU.",
        choices=("auto", "cpu", "cuda"))
    threads: int | None = setting(
        None, label="CPU threads", help="torch compute threads. Empty means the CPUs this program may use minus "
        "one, at least 1 and at most 8: threads that must share a busy core collapse, and a small network gains "
        "little from more.", minimum=1, maximum=256,
        optional=True, kind=int)
