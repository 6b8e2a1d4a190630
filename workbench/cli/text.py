"""The command line's language-model commands: `train --task lm`, `generate`, and `info` of a language model."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workbench.cli.common import (
    StopOnInterrupt,
    progress_callbacks,
    saved_line,
    say,
    training_line,
    write_json,
)
from workbench.core.errors import ConfigError, WorkbenchError
from workbench.core.export.kinds import LANGUAGE_MODEL

if TYPE_CHECKING:
    from workbench.core.export.lm_bundle import LanguageModelBundle

KIND = LANGUAGE_MODEL
# Write generated text out in pieces: a flush per token would cost more than generating it.
FLUSH_EVERY = 32


def train(args: argparse.Namespace) -> int:
    """Train a language model on a text file and save its bundle (the vocabulary inside)."""
    from workbench.cli.runs import recorder_for
    from workbench.core.export.kinds import save_model
    from workbench.core.export.lm_bundle import bundle_from_lm_run
    from workbench.core.run_config import TextRunConfig, load_run_config
    from workbench.core.text.pipeline import describe_scores, train_language_model
    from workbench.core.text.source import read_text

    used = [name for name in ("target", "time", "inputs") if getattr(args, name) is not None]
    if used:
        raise ConfigError({f"--{name}": "applies to tables; a language model reads the whole text." for name in used})
    config = load_run_config(args.config, TextRunConfig) if args.config else TextRunConfig()
    config = config.with_overrides(list(args.set))
    source = read_text(args.data)
    for note in source.notes:
        say(args, note)
    stop = StopOnInterrupt()
    recorder = recorder_for(args, KIND, {"encoding": source.encoding})  # the run store keeps this run however it ends
    with stop, recorder.watch(config):
        run = train_language_model(source, config, [*progress_callbacks(args), recorder.facts], should_stop=stop)
    save_model(args.out, bundle_from_lm_run(run))
    recorder.finished(run, bundle=args.out)
    say(args, run.result.message)
    say(args, describe_scores(run.scores))
    say(args, f"Saved {args.out}")
    if args.metrics_json:
        write_json(args.metrics_json, {
            **run.scores, "epochs_run": run.result.epochs_run, "best_epoch": run.result.best_epoch,
            "stopped_reason": run.result.stopped_reason, "message": run.result.message,
            "train_seconds": round(run.result.seconds, 3), "vocabulary_size": len(run.vocabulary),
        })
    return 0


def generate(args: argparse.Namespace, bundle: LanguageModelBundle) -> int:
    """Stream generated tokens to stdout as they come."""
    from workbench.core.text.generate import generate as generate_tokens

    try:
        pieces = generate_tokens(bundle.model, bundle.vocabulary, args.prompt, args.length, args.temperature,
                                 args.top_k, args.seed)
    except ValueError as error:
        raise WorkbenchError(str(error), hint="See `workbench generate --help`.") from error
    out = sys.stdout
    out.write(args.prompt)
    for count, piece in enumerate(pieces, 1):
        out.write(piece)
        if count % FLUSH_EVERY == 0:
            out.flush()
    out.write("\n")
    out.flush()
    return 0


def info(args: argparse.Namespace, bundle: LanguageModelBundle) -> int:
    """Print the model's shape, vocabulary, training text and validation scores."""
    from workbench.core.text.pipeline import describe_scores

    cfg, data = bundle.config, bundle.data
    level = "characters" if cfg.text.level == "char" else "words"
    print(f"Model       language model over {level}: {cfg.model.layers} x {cfg.model.cell.upper()} "
          f"{cfg.model.hidden} units, embedding {cfg.text.embedding}, dropout {cfg.model.dropout:g}")
    print(f"Vocabulary  {len(bundle.vocabulary):,} tokens (the unknown token included)")
    print(f"Trained on  {data.get('source') or 'unknown file'}: {data.get('n_chars', 0):,} characters, "
          f"{data.get('n_train_tokens', 0):,} training and {data.get('n_val_tokens', 0):,} validation tokens, "
          f"sequence length {cfg.text.seq_len}")
    print(training_line(bundle.result))
    print(describe_scores(bundle.metrics))
    print(saved_line(bundle.info))
    return 0


# What this module does with a loaded language model, by command (the package's dispatcher reads it).
COMMANDS = {"generate": generate, "info": info}
