"""Sampling text from a LanguageModel, one token at a time, with temperature and top-k."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch

from workbench.core.text.lm_model import LanguageModel

UNKNOWN_ID = 0
# With an empty prompt the model starts from id 1: vocabularies put the most frequent token right after
# the unknown one, so it is a neutral, common context.
START_ID = 1


def check_arguments(length: int, temperature: float, top_k: int | None) -> None:
    """Raise ValueError with a plain message for settings generate() cannot use."""
    if length < 0:
        raise ValueError(f"The length must be 0 or more tokens (got {length}).")
    if not temperature >= 0:  # also refuses NaN
        raise ValueError(f"The temperature must be 0 or more (got {temperature}); 0 always picks the likeliest.")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, or empty for no limit (got {top_k}).")


def generate(
    model: LanguageModel,
    vocabulary: Any,
    prompt: str,
    length: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int | None = None,
) -> Iterator[str]:
    """Yield `length` decoded tokens that continue `prompt`.

    The prompt runs through the model once to set its state; each new token then costs one step on that
    carried state. Temperature 0 is greedy (argmax). The unknown token (id 0) is never produced unless it
    is the only token. A local generator seeded with `seed` makes the text repeatable without touching
    torch's global random state. An empty prompt starts from token id 1 (the most frequent token).
    Bad arguments raise ValueError at the call, before the first token.
    """
    check_arguments(length, temperature, top_k)
    return _stream(model, vocabulary, prompt, length, temperature, top_k, seed)


@torch.no_grad()
def _stream(
    model: LanguageModel, vocabulary: Any, prompt: str, length: int, temperature: float, top_k: int | None,
    seed: int | None,
) -> Iterator[str]:
    model.eval()
    device = next(model.parameters()).device
    generator = torch.Generator(device=device)
    if seed is not None:
        generator.manual_seed(seed)
    else:
        generator.seed()
    ids = [int(i) for i in vocabulary.encode(prompt)] if prompt else []
    if not ids:
        ids = [START_ID if model.vocab_size > START_ID else UNKNOWN_ID]
    logits, state = model(torch.tensor([ids], dtype=torch.long, device=device))  # (1, T, V)
    last = logits[0, -1]  # (V,)
    for _ in range(length):
        token = _pick(last, temperature, top_k, generator).reshape(1)  # (1,)
        yield vocabulary.decode([int(token)])
        logits, state = model.step(token, state)  # (1, vocab)
        last = logits[0]


def _pick(logits: torch.Tensor, temperature: float, top_k: int | None, generator: torch.Generator) -> torch.Tensor:
    logits = logits.float()
    if logits.numel() > 1:
        logits = logits.clone()
        logits[UNKNOWN_ID] = -torch.inf
    if temperature == 0 or top_k == 1:
        return logits.argmax()
    # Shift so the largest is 0 before dividing: a tiny temperature then gives -inf, never inf - inf = NaN.
    logits = logits - logits.max()
    if top_k is not None and top_k < logits.numel():
        values, indices = logits.topk(top_k)
        probs = torch.softmax(values / temperature, dim=-1)
        return indices[torch.multinomial(probs, 1, generator=generator)[0]]
    probs = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator)[0]
