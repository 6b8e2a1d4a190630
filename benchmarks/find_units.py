"""Which units of a character language model follow a property of the text, on passages it never trained on.

    python -m benchmarks.find_units MODEL.swb TEXT.txt                  # the text the model was trained on
    python -m benchmarks.find_units MODEL.swb TEXT.txt --regex "(?m)^[A-Z][A-Z' ]+\\.$"
    python -m benchmarks.find_units MODEL.swb OTHER.txt --unseen        # a text it never saw: all of it is read
    python -m benchmarks.find_units --smoke                             # an untrained tiny model, to check it runs

The passages are the validation part of TEXT (its last `text.val_fraction`, as the model's training held it out),
or with --unseen the whole of a text the model never saw, cut into consecutive passages of --length characters,
each starting at a line's start and read from a zero state, as the Inspect tab reads a passage. Every cell state
and hidden state of every layer is a candidate unit.

For each property (position in the line, inside brackets, inside quotes, each --regex), only the passages where it
changes count; at most --max-passages of them, spread evenly. Units are ranked (core `rank_units`, |Pearson r|)
on half of those passages pooled (the 1st, 3rd, ...), and the best are then scored on each passage of the other
half, which played no part in choosing them. Two yardsticks beside them: the best |r| any unit reaches on a held-out
passage when chosen on that very passage (what cherry-picking would report), and the best |r| against a different
passage's property (what chance gives, with signals as smooth as these).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.inspect.properties import TEXT_PROPERTIES, text_property
from workbench.core.inspect.summaries import rank_units

TOP = 3  # units reported per property
HOLDS = 0.5  # a unit "holds" on a passage when its r keeps its sign and |r| is at least this


@dataclass(frozen=True)
class Passage:
    """A piece of the text, read from a zero state as the Inspect tab reads one."""

    offset: int  # first character in the whole text
    text: str


def held_out_passages(text: str, val_fraction: float, length: int) -> list[Passage]:
    """The validation part of `text` (all of it for `val_fraction` 1) cut into consecutive passages of `length`
    characters, each from a line start."""
    from workbench.core.text.vocab import validation_start

    start = 0 if val_fraction >= 1 else validation_start(len(text), val_fraction)
    passages = []
    while True:
        start = text.find("\n", start) + 1  # a line's start, so the position in the line is known from step 0
        if start == 0 or len(text) - start < length:
            return passages
        passages.append(Passage(start, text[start:start + length]))
        start += length


def units_of(model: Any, vocabulary: Any, text: str) -> tuple[np.ndarray, list[str]]:
    """Every cell and hidden state of every layer and direction over `text`: (time, units), and their names."""
    from workbench.core.inspect.samples import text_sample
    from workbench.core.inspect.states import inspect_states

    trace = inspect_states(model, text_sample(model, vocabulary, text).network_inputs)
    quantities = [q for q in ("cell", "hidden") if q in trace.quantities]
    columns, names = [], []
    for layer in range(trace.layers):
        for direction in trace.directions:
            for quantity in quantities:
                columns.append(trace.get(layer, direction, quantity))  # (time, units)
                names += [f"layer{layer}.{quantity}[{u}]" for u in range(trace.units)]
    return np.concatenate(columns, axis=1), names


def signed_r(unit: np.ndarray, prop: np.ndarray) -> float:
    """Pearson r of one unit's values with the property (0 when either never changes)."""
    if np.ptp(unit) == 0 or np.ptp(prop) == 0:
        return 0.0
    return float(np.corrcoef(unit, prop)[0, 1])


def evenly(items: list, most: int) -> list:
    """At most `most` of `items`, spread evenly over them."""
    if len(items) <= most:
        return items
    return [items[i] for i in np.linspace(0, len(items) - 1, most).round().astype(int)]


def report(label: str, passages: list[Passage], props: dict[int, np.ndarray],
           units: Callable[[int], tuple[np.ndarray, list[str]]], max_passages: int) -> None:
    """Choose units on half the passages where the property changes, score them on the other half, print both."""
    changing = evenly([i for i, values in props.items() if np.ptp(values) > 0], max_passages)
    print(f"\n{label}: changes in {sum(np.ptp(v) > 0 for v in props.values())} of {len(passages)} held-out "
          f"passages; {len(changing)} used")
    if len(changing) < 2:
        print("  too few passages where it changes to choose on some and test on others")
        return
    chosen, tested = changing[0::2], changing[1::2]
    pooled = np.concatenate([units(i)[0] for i in chosen])  # (steps, units)
    ranking = rank_units(pooled, np.concatenate([props[i] for i in chosen]))
    names = units(chosen[0])[1]
    cherry = [float(np.nanmax(rank_units(units(i)[0], props[i]).scores)) for i in tested]
    chance = [_chance(units(i)[0], props, i, changing) for i in tested]
    print(f"  chosen on {len(chosen)} passages, tested on {len(tested)}; r by held-out passage")
    for unit, score, sign in zip(ranking.units[:TOP], ranking.scores[:TOP], ranking.signs[:TOP]):
        held = np.array([signed_r(units(i)[0][:, unit], props[i]) for i in tested])
        holds = int(((np.sign(held) == sign) & (np.abs(held) >= HOLDS)).sum())
        middle = tested[int(np.argsort(np.abs(held))[len(held) // 2])]
        print(f"  {names[unit]:<18} where chosen: r {sign * score:+.2f}")
        print(f"  {'':<18} held out: median r {np.median(held):+.2f} (min {held.min():+.2f}, max {held.max():+.2f}); "
              f"same sign and |r| >= {HOLDS} on {holds} of {len(held)}; a typical passage starts at character "
              f"{passages[middle].offset:,}")
    best = int(ranking.units[0])
    means = _means(np.concatenate([units(i)[0][:, best] for i in tested]), np.concatenate([props[i] for i in tested]))
    print(f"  {names[best]} on the held-out passages, mean by the property's value: {means}")
    print(f"  yardsticks, median over the held-out passages: best |r| of a unit chosen on the passage itself "
          f"{np.median(cherry):.2f}; best |r| against another passage's property {np.median(chance):.2f}")


def _means(values: np.ndarray, prop: np.ndarray) -> str:
    """The unit's mean where a yes/no property is 0 and 1, or in bins of 10 of a count (the line's position)."""
    if set(np.unique(prop)) <= {0.0, 1.0}:
        return f"{values[prop == 0].mean():+.2f} outside, {values[prop == 1].mean():+.2f} inside"
    bins = (prop // 10).astype(int)
    return ", ".join(f"{10 * b}-{10 * b + 9}: {values[bins == b].mean():+.2f}" for b in np.unique(bins)
                     if (bins == b).sum() >= 20)  # a mean of fewer steps says little


def _chance(values: np.ndarray, props: dict[int, np.ndarray], index: int, changing: list[int]) -> float:
    """The best |r| of any unit with the property of the next passage in `changing` (not its own)."""
    other = props[changing[(changing.index(index) + 1) % len(changing)]]
    steps = min(len(other), len(values))
    return float(np.nanmax(rank_units(values[:steps], other[:steps]).scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", help="a character language model (.swb)")
    parser.add_argument("text", nargs="?", help="the text it was trained on: its validation part is read")
    parser.add_argument("--length", type=int, default=500, help="characters per passage (default 500, the tab's)")
    parser.add_argument("--max-passages", type=int, default=40,
                        help="passages per property at most, half to choose units and half to test (default 40)")
    parser.add_argument("--regex", action="append", default=[], help="also a regular expression (repeatable)")
    parser.add_argument("--unseen", action="store_true",
                        help="TEXT is not the model's training text: read all of it, not only its end")
    parser.add_argument("--smoke", action="store_true", help="an untrained tiny model on a short text")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    if args.smoke:
        model, vocabulary, text, val_fraction = _tiny()
        args.length, args.max_passages = 120, 4
    elif args.model and args.text:
        from workbench.core.export.kinds import LANGUAGE_MODEL, load_model
        from workbench.core.text.source import read_text

        bundle = load_model(args.model, expect=LANGUAGE_MODEL)
        model, vocabulary, val_fraction = bundle.model, bundle.vocabulary, bundle.config.text.val_fraction
        text = read_text(args.text).text
        if args.unseen:
            val_fraction = 1.0
    else:
        parser.error("give a model and its text, or --smoke")
    if vocabulary.level != "char":
        parser.error("the properties are of characters: give a character-level model")
    model.eval()
    try:
        run(model, vocabulary, text, val_fraction, args.length, args.max_passages, args.regex)
    except WorkbenchError as error:  # a pattern that is not a regular expression
        parser.error(f"{error.message} {error.hint}")


def run(model: Any, vocabulary: Any, text: str, val_fraction: float, length: int, max_passages: int,
        patterns: list[str]) -> None:
    """Cut the held-out passages, then report each property (the states of a passage are computed once)."""
    passages = held_out_passages(text, val_fraction, length)
    if not passages:
        raise SystemExit(f"The held-out part of the text is shorter than one passage of {length} characters.")
    print(f"{len(passages)} held-out passages of {length} characters, from character "
          f"{passages[0].offset:,} of {len(text):,}")
    cache: dict[int, tuple[np.ndarray, list[str]]] = {}

    def units(i: int) -> tuple[np.ndarray, list[str]]:
        if i not in cache:
            cache[i] = units_of(model, vocabulary, passages[i].text)
        return cache[i]

    wanted = [(name, None, TEXT_PROPERTIES[name]) for name in ("position_in_line", "inside_brackets", "inside_quotes")]
    wanted += [("regex", pattern, f"a match of {pattern}") for pattern in patterns]
    for name, pattern, label in wanted:
        props = {i: text_property(list(p.text), name, pattern) for i, p in enumerate(passages)}
        report(label, passages, props, units, max_passages)


def _tiny() -> tuple[Any, Any, str, float]:
    """An untrained 1x8 LSTM over a made-up text with lines, brackets and quotes."""
    import torch

    from workbench.core.models.config import ModelConfig
    from workbench.core.text.lm_model import LanguageModel
    from workbench.core.text.vocab import build_vocabulary

    rng = np.random.default_rng(0)
    words = ["so", "the", "[Exit.]", '"Caesar"', "(aside)", "BRUTUS.", "night", "Rome"]
    lines = [" ".join(rng.choice(words, rng.integers(2, 8))) for _ in range(200)]
    text = "\n".join(lines) + "\n"
    torch.manual_seed(0)
    vocabulary = build_vocabulary(text, "char")
    return LanguageModel(ModelConfig(layers=1, hidden=8), len(vocabulary), embedding=8), vocabulary, text, 0.5


if __name__ == "__main__":
    main()
