"""What an output depended on: each input step's and column's share of it, by integrated gradients.

Integrated gradients (Sundararajan, Taly & Yan 2017) walk a straight path from a baseline input to the sample
and average the output's gradient along it; each input's share is its distance from the baseline times that
average. The shares add up to output(sample) - output(baseline) ("completeness"), so they read in the output's
own units: a forecast's, or a log-probability's. The path integral uses Gauss-Legendre nodes, which converge
much faster than even steps. Gradient x input (the gradient at the sample times the distance from the baseline)
is the one-step shortcut: quicker, exact only for a linear model.

- a forecast (one step ahead of the window): shares of the raw window, (time, columns). The baseline is a flat
  window at the training mean of each column ("mean": what the model's scaling turns into zeros, so nothing
  to read) or all zeros in the data's units ("zero").
- a classified text: shares of each token's embedding, summed over the embedding: (time, 1), explaining the
  log-probability of a class. The baseline is the zero embedding, which is the padding row: a blank token.
- a language model's next token after a passage: the same, for the log-probability of the token it finds likeliest.

Why not Captum. Captum 0.9's `IntegratedGradients` and `LayerIntegratedGradients` compute the same thing (also
with Gauss-Legendre nodes by default) and would fit: gradients through recurrent layers in eval mode are no
problem on the CPU. But Captum requires matplotlib, and `import captum.attr` imports matplotlib's pyplot, so it
would add matplotlib and its dependencies to every install and to the window's process, for what is here one
batched forward pass and one `torch.autograd.grad` call. Tests check the exact case (a polynomial, where
Gauss-Legendre is exact) and completeness on the workbench's own models.

Each call works on its own copy of the model, on the CPU and in eval mode (no dropout), so the caller's model is
never changed: not its mode, its hooks or its device. The CPU also avoids a limit of the GPU: cuDNN refuses the
backward pass of an RNN in eval mode, and switching cuDNN off is process-wide, which would slow a training run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.core.classify.encoding import PAD_ID
from workbench.core.classify.model import TextClassifier
from workbench.core.models.recurrent import ForecastModel
from workbench.core.text.generate import UNKNOWN_ID
from workbench.core.text.lm_model import LanguageModel

METHODS = ("integrated_gradients", "gradient_x_input")
BASELINES = ("mean", "zero")
# Gauss-Legendre nodes on the path. With 32, the shares of the tests' forecaster and language model add up to the
# output's change within 1e-6; a classifier's max pooling has kinks along the path, which leave 1-2 % (`gap`).
PATH_STEPS = 32
# The shares "add up to the difference" when their sum is within this share of it.
COMPLETE_WITHIN = 0.02


@dataclass(frozen=True)
class Attribution:
    """Each input step's (and column's) share of `output - baseline_output`."""

    values: np.ndarray  # (time, features) float64; features = 1 for a text (summed over the embedding)
    method: str  # one of METHODS
    target: str  # what was explained, in words: "the forecast 1 step ahead", "the class 'positive'"
    output: float  # the explained output at the sample
    baseline_output: float  # ... and at the baseline

    @property
    def gap(self) -> float:
        """How far the shares' sum is from output - baseline_output: about 0 for integrated gradients."""
        return float(self.values.sum() - (self.output - self.baseline_output))

    def completeness(self) -> str:
        """Whether the shares add up to the output's change, in words, from the numbers themselves: integrated
        gradients over a long passage (hundreds of characters) or through a classifier's max pooling can fall
        well short with PATH_STEPS points, and gradient x input is exact only for a linear model."""
        difference = self.output - self.baseline_output
        total = float(self.values.sum())
        if abs(total - difference) <= max(COMPLETE_WITHIN * abs(difference), 1e-9):
            return "the shares add up to the difference"
        why = ("gradient x input is exact only for a linear model" if self.method == "gradient_x_input"
               else f"the {PATH_STEPS} points on the path leave the rest; a shorter sample closes the gap")
        return f"the shares add up to {total:.4g} of the difference of {difference:.4g} ({why})"


def forecast_attribution(model: ForecastModel, window: np.ndarray, step: int = 1,
                         method: str = "integrated_gradients", baseline: str = "mean",
                         n_steps: int = PATH_STEPS) -> Attribution:
    """Shares of the raw window (lookback, columns) in the forecast `step` rows ahead (1..horizon)."""
    horizon = model.net.head.out_features
    if not 1 <= step <= horizon:
        raise ValueError(f"The step must be between 1 and {horizon} (got {step}).")
    if baseline not in BASELINES:
        raise ValueError(f"The baseline must be one of {', '.join(BASELINES)} (got {baseline!r}).")
    model = _private_copy(model)
    x = torch.as_tensor(np.asarray(window), dtype=torch.float32)  # (L, F)
    base = model.mean.expand_as(x).clone() if baseline == "mean" else torch.zeros_like(x)  # (L, F)

    def forecast(points: torch.Tensor) -> torch.Tensor:
        return model(points)[:, step - 1]  # (n,)

    values, out, base_out = attribute(forecast, x, base, method, n_steps)
    return Attribution(values.cpu().numpy().astype(np.float64), method,
                       f"the forecast {step} step{'s' if step > 1 else ''} ahead", out, base_out)


def classifier_attribution(model: TextClassifier, ids: np.ndarray, target: int | None = None,
                           method: str = "integrated_gradients", n_steps: int = PATH_STEPS,
                           classes: tuple[str, ...] | None = None) -> Attribution:
    """Shares of each token (time, 1) in the log-probability of class `target` (default: the predicted class)."""
    model = _private_copy(model)
    ids_t = _ids(ids)
    if PAD_ID in ids_t.tolist():
        raise ValueError("Pass the text's real token ids only, without padding.")
    with torch.no_grad():
        logits = model(ids_t[None])[0]  # (n_classes,)
    target = int(logits.argmax()) if target is None else target
    name = classes[target] if classes else str(target)

    def log_probability(batch_ids: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(model(batch_ids), dim=-1)[:, target]  # (n,)

    return _token_attribution(model.embed, ids_t, log_probability, method, n_steps, f"the class '{name}'")


def next_token_attribution(model: LanguageModel, ids: np.ndarray, target: int | None = None,
                           method: str = "integrated_gradients", n_steps: int = PATH_STEPS,
                           decode: Callable[[int], str] | None = None) -> Attribution:
    """Shares of each token (time, 1) in the log-probability of token `target` coming next (default: the
    likeliest known token, as generation picks at temperature 0)."""
    model = _private_copy(model)
    ids_t = _ids(ids)
    with torch.no_grad():
        last = model(ids_t[None])[0][0, -1].clone()  # (vocab,)
    if target is None:
        if last.numel() > 1:
            last[UNKNOWN_ID] = -torch.inf
        target = int(last.argmax())
    name = repr(decode(target)) if decode else str(target)

    def log_probability(batch_ids: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(model(batch_ids)[0][:, -1], dim=-1)[:, target]  # (n,)

    return _token_attribution(model.embed, ids_t, log_probability, method, n_steps, f"the next token {name}")


def _token_attribution(embed: nn.Embedding, ids: torch.Tensor,
                       output: Callable[[torch.Tensor], torch.Tensor], method: str, n_steps: int,
                       target: str) -> Attribution:
    """Integrate over the embeddings: the model runs on repeated ids while a hook swaps in the path's points."""
    with torch.no_grad():
        x = embed(ids)  # (time, embedding)
    swapped: list[torch.Tensor] = []
    # Returning a tensor from a forward hook replaces the module's output: the model's own forward does the rest.
    handle = embed.register_forward_hook(lambda module, args, out: swapped[0])

    def through_model(points: torch.Tensor) -> torch.Tensor:
        swapped[:] = [points]
        return output(ids.expand(points.shape[0], -1))  # (n,)

    try:
        values, out, base_out = attribute(through_model, x, torch.zeros_like(x), method, n_steps)
    finally:
        handle.remove()
    shares = values.sum(dim=1, keepdim=True)  # (time, 1)
    return Attribution(shares.cpu().numpy().astype(np.float64), method, target, out, base_out)


def attribute(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, base: torch.Tensor,
              method: str = "integrated_gradients", n_steps: int = PATH_STEPS) -> tuple[torch.Tensor, float, float]:
    """Shares of `x` in f(x) - f(base): (x - base) times f's gradient averaged along the straight path from `base`
    to `x` (integrated gradients) or taken at `x` (gradient x input); and f at `x` and at `base`.

    `f` maps a batch of inputs (n, *x.shape) to one number each (n,)."""
    if method not in METHODS:
        raise ValueError(f"The method must be one of {', '.join(METHODS)} (got {method!r}).")
    if method == "integrated_gradients":
        nodes, weights = np.polynomial.legendre.leggauss(n_steps)
        alphas = torch.as_tensor((nodes + 1) / 2, dtype=x.dtype, device=x.device)  # (n,) in (0, 1)
        weights_t = torch.as_tensor(weights / 2, dtype=x.dtype, device=x.device)  # (n,) summing to 1
    else:
        alphas = torch.ones(1, dtype=x.dtype, device=x.device)
        weights_t = torch.ones(1, dtype=x.dtype, device=x.device)
    shape = (-1,) + (1,) * x.dim()
    with torch.enable_grad():
        points = (base + alphas.view(shape) * (x - base)).requires_grad_(True)  # (n, *x.shape)
        (grads,) = torch.autograd.grad(f(points).sum(), points)
    average = (weights_t.view(shape) * grads).sum(dim=0)  # x.shape
    with torch.no_grad():
        ends = f(torch.stack([x, base]))  # (2,)
    return (x - base) * average, float(ends[0]), float(ends[1])


def _ids(ids: np.ndarray) -> torch.Tensor:
    values = np.asarray(ids, dtype=np.int64).reshape(-1)
    if not values.size:
        raise ValueError("There are no tokens to explain.")
    return torch.as_tensor(values)  # (time,)


def _private_copy(model: nn.Module) -> nn.Module:
    """The model's copy this call may change: on the CPU, in eval mode (no dropout), its own weights."""
    return copy.deepcopy(model).cpu().eval()
