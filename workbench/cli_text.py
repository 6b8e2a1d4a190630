"""The command line's language-model commands: `train --task lm`, `generate`, and `info` for text models."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from workbench.core.errors import ConfigError, WorkbenchError

# Write generated text out in pieces: a flush per token would cost more than generating it.
FLUSH_EVERY = 32


def add_generate_parser(sub: argparse._SubParsersAction) -> None:
    generate = sub.add_parser("generate", help="continue a prompt with a language-model bundle")
    generate.add_argument("model", help="a language model saved by `workbench train FILE.txt --task lm`")
    generate.add_argument("--prompt", default="", help="text to continue (default: start from nothing)")
    generate.add_argument("--length", type=int, default=500, help="tokens to generate (default 500)")
    generate.add_argument("--temperature", type=float, default=0.8,
                          help="0 always picks the likeliest token; higher is more varied (default 0.8)")
    generate.add_argument("--top-k", type=int, default=None, help="sample only from the K likeliest tokens")
    generate.add_argument("--seed", type=int, default=None, help="the same seed gives the same text")


def train_text(args: argparse.Namespace, say: Callable[[str], None], progress: list, stop: object) -> int:
    """Train a language model on a text file and save its bundle (the vocabulary inside)."""
    from workbench.core.export.lm_bundle import bundle_from_lm_run, save_lm_bundle
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
        say(note)
    with stop:
        run = train_language_model(source, config, progress, should_stop=stop)
    save_lm_bundle(args.out, bundle_from_lm_run(run))
    say(run.result.message)
    say(describe_scores(run.scores))
    say(f"Saved {args.out}")
    if args.metrics_json:
        from workbench.core.export.atomic import atomic_write_text

        payload = {**run.scores, "epochs_run": run.result.epochs_run, "best_epoch": run.result.best_epoch,
                   "stopped_reason": run.result.stopped_reason, "message": run.result.message,
                   "train_seconds": round(run.result.seconds, 3), "vocabulary_size": len(run.vocabulary)}
        atomic_write_text(args.metrics_json, json.dumps(payload, indent=2, allow_nan=True) + "\n")
    return 0


def generate_text(args: argparse.Namespace) -> int:
    """Stream generated tokens to stdout as they come."""
    from workbench.core.export.lm_bundle import load_lm_bundle
    from workbench.core.text.generate import generate

    bundle = load_lm_bundle(args.model)
    try:
        pieces = generate(bundle.model, bundle.vocabulary, args.prompt, args.length, args.temperature, args.top_k,
                          args.seed)
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


def print_text_info(path: str, as_json: bool) -> int:
    from workbench.core.export.lm_bundle import load_lm_bundle
    from workbench.core.text.pipeline import describe_scores

    bundle = load_lm_bundle(path)
    if as_json:
        print(json.dumps({"kind": "language_model", "config": bundle.config.to_dict(), "data": bundle.data,
                          "vocabulary_size": len(bundle.vocabulary),
                          "result": {k: v for k, v in bundle.result.items() if k != "history"},
                          "metrics": bundle.metrics, "info": bundle.info}, indent=2))
        return 0
    cfg, data, result = bundle.config, bundle.data, bundle.result
    level = "characters" if cfg.text.level == "char" else "words"
    print(f"Model       language model over {level}: {cfg.model.layers} x {cfg.model.cell.upper()} "
          f"{cfg.model.hidden} units, embedding {cfg.text.embedding}, dropout {cfg.model.dropout:g}")
    print(f"Vocabulary  {len(bundle.vocabulary):,} tokens (the unknown token included)")
    print(f"Trained on  {data.get('source') or 'unknown file'}: {data.get('n_chars', 0):,} characters, "
          f"{data.get('n_train_tokens', 0):,} training and {data.get('n_val_tokens', 0):,} validation tokens, "
          f"sequence length {cfg.text.seq_len}")
    print(f"Training    {result['message']} ({result['seconds']:.1f} s)")
    print(describe_scores(bundle.metrics))
    print(f"Saved       {bundle.info.get('created', '')} by workbench {bundle.info.get('workbench_version', '')}")
    return 0
