"""Every gate and state of a recurrent stack at every step, recomputed from the layers' own weights.

torch's nn.LSTM/GRU/RNN return only the hidden states (and the last cell state); the gates never leave the
kernel. So each layer and direction is run again here, one step at a time in numpy (float32, no autograd), with
the same weights and PyTorch's own equations and gate order:

- LSTM (weights i, f, g, o): i = s(W_ii x + b_ii + W_hi h + b_hi), f and o alike, g = tanh(...),
  c' = f * c + i * g, h' = o * tanh(c')
- GRU (weights r, z, n): r = s(W_ir x + b_ir + W_hr h + b_hr), z alike, n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
  h' = (1 - z) * n + z * h
- RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu when the module's nonlinearity is "relu"

The state before the first step is zero. Layer l > 0 reads the hidden states of layer l-1, both directions
side by side (forward first), as torch does; dropout between layers is off, as in eval mode. The backward
direction reads a sequence from its last real step back to the first, so padding never enters a state (what
packed sequences give). Tests hold the hidden and cell states equal to torch's to 1e-5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
from threadpoolctl import ThreadpoolController
from torch import nn

DIRECTIONS = ("forward", "backward")
# What each cell computes at every step, in the order the window lists them.
QUANTITIES = {
    "lstm": ("input_gate", "forget_gate", "cell_candidate", "output_gate", "cell", "hidden"),
    "gru": ("reset_gate", "update_gate", "candidate", "hidden"),
    "rnn": ("hidden",),
}
# The quantities that are sigmoids, so lie in (0, 1): the ones a saturation plot is about.
GATES = {"lstm": ("input_gate", "forget_gate", "output_gate"), "gru": ("reset_gate", "update_gate"), "rnn": ()}
_CELLS = ((nn.LSTM, "lstm"), (nn.GRU, "gru"), (nn.RNN, "rnn"))


def state_key(layer: int, direction: str, name: str) -> str:
    """The name of one array: "layer0.forward.input_gate" (layers count from 0, as torch's weight_ih_l0)."""
    return f"layer{layer}.{direction}.{name}"


@dataclass(frozen=True)
class StateTrace:
    """The gates and states of every layer and direction at every step of one sequence (or a padded batch).

    `arrays` maps `state_key(layer, direction, name)` to a float32 array (time, units) for a sequence, or
    (batch, time, units) for a batch, NaN at the padding after each sequence's length.
    """

    cell: str  # "lstm", "gru" or "rnn"
    layers: int
    directions: tuple[str, ...]  # ("forward",) or ("forward", "backward")
    units: int
    lengths: np.ndarray  # (batch,) real steps of each sequence; (1,) for a single sequence
    batched: bool  # the arrays have a leading batch axis
    arrays: dict[str, np.ndarray]

    @property
    def quantities(self) -> tuple[str, ...]:
        """The names this cell has, in order: QUANTITIES[cell]."""
        return QUANTITIES[self.cell]

    @property
    def gates(self) -> tuple[str, ...]:
        """The sigmoid gates among them (none for a plain RNN)."""
        return GATES[self.cell]

    @property
    def steps(self) -> int:
        return int(next(iter(self.arrays.values())).shape[-2])

    def get(self, layer: int, direction: str, name: str) -> np.ndarray:
        """One quantity of one layer and direction; KeyError names what exists when it does not."""
        key = state_key(layer, direction, name)
        if key not in self.arrays:
            raise KeyError(f"No array {key!r}: layers 0..{self.layers - 1}, directions {', '.join(self.directions)}, "
                           f"quantities {', '.join(self.quantities)}.")
        return self.arrays[key]

    def layer_output(self, layer: int) -> np.ndarray:
        """What layer `layer` hands on: its hidden states, forward then backward: (..., time, directions * units)."""
        return np.concatenate([self.get(layer, d, "hidden") for d in self.directions], axis=-1)


def recurrent_module(model: nn.Module) -> nn.RNNBase:
    """The LSTM/GRU/RNN stack inside one of the workbench's models (or the stack itself)."""
    # Imported here: the model modules import this package's neighbours, never the other way round.
    from workbench.core.classify.model import TextClassifier
    from workbench.core.models.recurrent import ForecastModel, RecurrentNet
    from workbench.core.text.lm_model import LanguageModel

    if isinstance(model, nn.RNNBase):
        return model
    if isinstance(model, ForecastModel):
        return model.net.rnn
    if isinstance(model, RecurrentNet | LanguageModel | TextClassifier):
        return model.rnn
    raise TypeError(f"{type(model).__name__} is not a recurrent stack or a model of the workbench.")


def cell_name(rnn: nn.RNNBase) -> str:
    """"lstm", "gru" or "rnn" for a torch recurrent module."""
    for kind, name in _CELLS:
        if isinstance(rnn, kind):
            return name
    raise TypeError(f"{type(rnn).__name__} is not an LSTM, GRU or RNN.")


@torch.no_grad()
def inspect_states(model: nn.Module, inputs: np.ndarray | torch.Tensor,
                   lengths: np.ndarray | torch.Tensor | None = None) -> StateTrace:
    """Recompute every gate and state of `model`'s recurrent layers over `inputs`.

    `inputs` is what the recurrent layers read (a forecaster's scaled window, a text model's embeddings):
    (time, features) for one sequence, or (batch, time, features) with optional `lengths` (batch,) for
    right-padded sequences. The model is not changed, and its training mode does not matter (no dropout here).
    """
    rnn = recurrent_module(model)
    cell = cell_name(rnn)
    if rnn.proj_size:
        raise ValueError("LSTMs with projections (proj_size > 0) are not supported.")
    x = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else np.asarray(inputs)
    batched = x.ndim == 3
    x = (x if batched else x[None]).astype(np.float32, copy=False)  # (batch, time, features)
    if x.ndim != 3 or x.shape[2] != rnn.input_size:
        raise ValueError(f"The recurrent layers read {rnn.input_size} features per step; the inputs have shape "
                         f"{tuple(np.shape(inputs))}.")
    sizes = _lengths(lengths, x.shape[0], x.shape[1])
    directions = DIRECTIONS if rnn.bidirectional else DIRECTIONS[:1]
    runners = [[_Direction(rnn, cell, k, d == "backward") for d in directions] for k in range(rnn.num_layers)]
    names = QUANTITIES[cell]
    arrays = {state_key(k, d, n): np.full((*x.shape[:2], rnn.hidden_size), np.nan, dtype=np.float32)
              for k in range(rnn.num_layers) for d in directions for n in names}
    # One BLAS thread: each step's matrix-vector product is too small to share. With numpy's default of two on the
    # 2-core machine, under load, a 2x256 LSTM over 1,000 steps took 0.46-0.53 s against 0.25-0.35 s with one.
    with _blas().limit(limits=1, user_api="blas"):
        for b, size in enumerate(sizes):
            layer_in = x[b, :size]  # (size, features): the padding is never read
            for k, layer in enumerate(runners):
                outputs = [runner.run(layer_in) for runner in layer]
                for direction, result in zip(directions, outputs):
                    for name in names:
                        arrays[state_key(k, direction, name)][b, :size] = result[name]
                layer_in = np.concatenate([result["hidden"] for result in outputs], axis=1)  # (size, dirs * hidden)
    if not batched:
        arrays = {key: value[0] for key, value in arrays.items()}
    return StateTrace(cell, rnn.num_layers, directions, rnn.hidden_size, sizes, batched, arrays)


@cache
def _blas() -> ThreadpoolController:
    """The thread pools of the loaded BLAS libraries, found once (finding them costs about 15 ms)."""
    return ThreadpoolController()


def _lengths(lengths: np.ndarray | torch.Tensor | None, batch: int, time: int) -> np.ndarray:
    if lengths is None:
        return np.full(batch, time, dtype=np.int64)
    sizes = np.asarray(lengths.cpu() if isinstance(lengths, torch.Tensor) else lengths, dtype=np.int64).reshape(-1)
    if sizes.shape != (batch,) or (sizes < 1).any() or (sizes > time).any():
        raise ValueError(f"lengths must hold one length between 1 and {time} per sequence ({batch}); got {sizes}.")
    return sizes


class _Direction:
    """One layer and direction's weights, laid out for stepping: float32, transposed, biases folded in."""

    def __init__(self, rnn: nn.RNNBase, cell: str, layer: int, reverse: bool) -> None:
        suffix = f"_l{layer}" + ("_reverse" if reverse else "")
        self.cell, self.reverse, self.units = cell, reverse, rnn.hidden_size

        def weight(name: str) -> np.ndarray:
            return getattr(rnn, name + suffix).detach().cpu().numpy().astype(np.float32)

        rows = rnn.hidden_size * {"lstm": 4, "gru": 3, "rnn": 1}[cell]
        self.w_ih_t = np.ascontiguousarray(weight("weight_ih").T)  # (in, rows)
        self.w_hh_t = np.ascontiguousarray(weight("weight_hh").T)  # (hidden, rows)
        zeros = np.zeros(rows, dtype=np.float32)
        self.b_ih = weight("bias_ih") if rnn.bias else zeros
        self.b_hh = weight("bias_hh") if rnn.bias else zeros
        self.relu = cell == "rnn" and rnn.nonlinearity == "relu"

    def run(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Every quantity over `x` (time, in), each (time, hidden), in the order of `x`'s steps."""
        if self.reverse:
            x = x[::-1]
        projected = x @ self.w_ih_t + self.b_ih  # (time, rows): the input's part of every step at once
        step = {"lstm": _run_lstm, "gru": _run_gru, "rnn": _run_rnn}[self.cell]
        result = step(projected, self)
        return {name: value[::-1] for name, value in result.items()} if self.reverse else result


def _run_lstm(projected: np.ndarray, w: _Direction) -> dict[str, np.ndarray]:
    h_size, time = w.units, projected.shape[0]
    # One tanh for all four blocks: s(z) = (1 + tanh(z / 2)) / 2, so the i, f, o columns are halved up front and
    # the result is mapped back with `scale` and `shift`.
    half = np.ones(4 * h_size, dtype=np.float32)
    half[: 2 * h_size] = half[3 * h_size :] = 0.5
    shift = np.where(half == 0.5, np.float32(0.5), np.float32(0.0)).astype(np.float32)
    inputs = (projected + w.b_hh) * half  # (time, 4 * hidden)
    recurrent = w.w_hh_t * half  # (hidden, 4 * hidden)
    gates = np.empty((time, 4 * h_size), dtype=np.float32)
    cell = np.empty((time, h_size), dtype=np.float32)
    hidden = np.empty((time, h_size), dtype=np.float32)
    h = np.zeros(h_size, dtype=np.float32)
    c = np.zeros(h_size, dtype=np.float32)
    written = np.empty(h_size, dtype=np.float32)
    for t in range(time):
        z = gates[t]
        np.dot(h, recurrent, out=z)
        z += inputs[t]
        np.tanh(z, out=z)
        z *= half
        z += shift
        i, f, g, o = z[:h_size], z[h_size : 2 * h_size], z[2 * h_size : 3 * h_size], z[3 * h_size :]
        c_t, h_t = cell[t], hidden[t]
        np.multiply(f, c, out=c_t)
        np.multiply(i, g, out=written)
        c_t += written
        np.tanh(c_t, out=h_t)
        h_t *= o
        h, c = h_t, c_t
    blocks = [gates[:, k * h_size : (k + 1) * h_size] for k in range(4)]
    return dict(zip(QUANTITIES["lstm"], [*blocks, cell, hidden]))


def _run_gru(projected: np.ndarray, w: _Direction) -> dict[str, np.ndarray]:
    h_size, time = w.units, projected.shape[0]
    two = 2 * h_size
    # r and z as halved tanh, like the LSTM's gates; the candidate's b_hn stays inside r * (W_hn h + b_hn).
    inputs = projected.copy()  # (time, 3 * hidden)
    inputs[:, :two] = (inputs[:, :two] + w.b_hh[:two]) * 0.5
    recurrent = w.w_hh_t.copy()  # (hidden, 3 * hidden)
    recurrent[:, :two] *= 0.5
    b_hn = w.b_hh[two:]
    gates = np.empty((time, two), dtype=np.float32)
    candidate = np.empty((time, h_size), dtype=np.float32)
    hidden = np.empty((time, h_size), dtype=np.float32)
    h = np.zeros(h_size, dtype=np.float32)
    hh = np.empty(3 * h_size, dtype=np.float32)
    for t in range(time):
        np.dot(h, recurrent, out=hh)
        rz = gates[t]
        np.add(inputs[t, :two], hh[:two], out=rz)
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5
        n, h_t = candidate[t], hidden[t]
        np.add(hh[two:], b_hn, out=n)
        n *= rz[:h_size]
        n += inputs[t, two:]
        np.tanh(n, out=n)
        np.subtract(h, n, out=h_t)
        h_t *= rz[h_size:]
        h_t += n
        h = h_t
    return {"reset_gate": gates[:, :h_size], "update_gate": gates[:, h_size:], "candidate": candidate,
            "hidden": hidden}


def _run_rnn(projected: np.ndarray, w: _Direction) -> dict[str, np.ndarray]:
    h_size, time = w.units, projected.shape[0]
    inputs = projected + w.b_hh  # (time, hidden)
    hidden = np.empty((time, h_size), dtype=np.float32)
    h = np.zeros(h_size, dtype=np.float32)
    for t in range(time):
        h_t = hidden[t]
        np.dot(h, w.w_hh_t, out=h_t)
        h_t += inputs[t]
        if w.relu:
            np.maximum(h_t, 0.0, out=h_t)
        else:
            np.tanh(h_t, out=h_t)
        h = h_t
    return {"hidden": hidden}
