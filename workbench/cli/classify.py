"""The command line's classification commands: `train --task classify`, and predict/export/info of a classifier."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.cli.common import (
    StopOnInterrupt,
    emit_table,
    progress_callbacks,
    saved_line,
    say,
    training_line,
    write_json,
)
from workbench.core.classify.report import classifier_advice
from workbench.core.errors import ConfigError
from workbench.core.export.kinds import CLASSIFIER

if TYPE_CHECKING:
    from workbench.core.classify.pipeline import ClassifierRun
    from workbench.core.export.classifier_bundle import ClassifierBundle

KIND = CLASSIFIER
BASELINE_ROWS = (("majority", "majority class"), ("bag_of_words", "bag-of-words"))


def train(args: argparse.Namespace) -> int:
    """Train a text classifier on a table and save its bundle; print the scores beside the baselines."""
    import dataclasses

    from workbench.cli.runs import recorder_for
    from workbench.core.classify.config import describe_classifier
    from workbench.core.classify.dataset import summarize_classification
    from workbench.core.classify.pipeline import train_classifier
    from workbench.core.data.sources import read_table
    from workbench.core.export.classifier_bundle import bundle_from_classifier_run
    from workbench.core.export.kinds import save_model
    from workbench.core.run_config import ClassifyRunConfig, load_run_config

    used = [name for name in ("target", "time", "inputs") if getattr(args, name) is not None]
    if used:
        raise ConfigError({f"--{name}": "applies to forecasting; a classifier reads --text and --label columns."
                           for name in used})
    config = load_run_config(args.config, ClassifyRunConfig) if args.config else ClassifyRunConfig()
    overrides = list(args.set)
    for option, key in ((args.text, "text"), (args.label, "label")):
        if option is not None:
            overrides.append(f"classify.{key}={option}")
    config = config.with_overrides(overrides)
    table = read_table(args.data, texts=True)
    for note in table.notes:
        say(args, note)
    summary = summarize_classification(table.frame, config.classify, config.train.seed, source=str(args.data))
    for note in summary.notes:
        say(args, note)
    say(args, "Model: " + describe_classifier(config.model, len(summary.vocabulary), len(summary.classes),
                                              config.classify))
    stop = StopOnInterrupt()
    recorder = recorder_for(args, KIND, {**dataclasses.asdict(table.options), "texts": True})
    with stop, recorder.watch(config):  # the run store keeps this run however it ends
        run = train_classifier(table.frame, config, [*progress_callbacks(args), recorder.facts], should_stop=stop,
                               source=str(args.data))
    save_model(args.out, bundle_from_classifier_run(run))
    recorder.finished(run, bundle=args.out)
    say(args, run.result.message)
    say(args, metrics_table(run.evaluation.summary()))
    say(args, run.evaluation.verdict)
    advice = classifier_advice(run.evaluation.summary(), run.config, run.result.to_dict())
    say(args, f"{advice.title}. {advice.text()}")
    say(args, f"Saved {args.out}")
    if args.metrics_json:
        write_json(args.metrics_json, _metrics_record(run))
    return 0


def predict(args: argparse.Namespace, bundle: ClassifierBundle) -> int:
    """Write the table with a predicted label and class probabilities per row."""
    from workbench.core.classify.predict import predict_table
    from workbench.core.data.sources import read_table

    table = read_table(args.data, texts=True)
    frame, notes = predict_table(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, table.frame,
                                 args.text)
    for note in notes:
        print(note, file=sys.stderr)
    emit_table(frame, args.out)
    return 0


def export(args: argparse.Namespace, bundle: ClassifierBundle) -> int:
    """Write the model as ONNX, checked against onnxruntime, and say how to feed it."""
    from workbench.core.classify.onnx_export import INPUT_NAME, OUTPUT_NAME, export_classifier_onnx

    max_len = bundle.config.classify.max_len
    check = export_classifier_onnx(bundle.model, args.onnx, max_len)
    print(f"Wrote {args.onnx}: input '{INPUT_NAME}' (batch, {max_len}) int64 token ids, right-padded with 0 (1 is "
          f"the unknown token, vocabulary id + 1 the others); output '{OUTPUT_NAME}' (batch, {len(bundle.classes)}) "
          f"for the classes {', '.join(bundle.classes)}. {check.summary()}.")
    return 0


def info(args: argparse.Namespace, bundle: ClassifierBundle) -> int:
    """Print what the model reads, its classes, its training data and its test scores."""
    from workbench.core.classify.config import describe_classifier

    cfg, data = bundle.config, bundle.data
    c = cfg.classify
    unit = "characters" if c.level == "char" else "tokens"
    shape = describe_classifier(cfg.model, len(bundle.vocabulary), len(bundle.classes), c)
    kept = "start" if c.truncate == "head" else "end"
    print(f"Model       text classifier: {shape}")
    print(f"Reads       column '{c.text}', {c.max_len} {unit} at most (keeps the {kept} of longer texts), "
          f"{'lower-cased' if c.lowercase else 'case kept'}, embedding {c.embedding}")
    print(f"Classes     {', '.join(bundle.classes)} (from column '{c.label}')")
    print(f"Trained on  {data.get('source') or 'unknown file'}: {data.get('n_texts', 0):,} texts of "
          f"{data.get('n_rows', 0):,} rows, fingerprint {str(data.get('fingerprint', ''))[:16]}")
    print(training_line(bundle.result))
    print(metrics_table(bundle.metrics))
    print(bundle.metrics.get("verdict", ""))
    print(saved_line(bundle.info))
    return 0


# What this module does with a loaded classifier, by command (the package's dispatcher reads it).
COMMANDS = {"predict": predict, "export": export, "info": info}


def metrics_table(summary: dict[str, Any]) -> str:
    """The model beside the baselines, per-class scores and the confusion matrix, as aligned text."""
    test, classes = summary["test"], summary["classes"]
    rows = [("model", test)] + [(label, summary["baselines"][key]) for key, label in BASELINE_ROWS]
    width = max(14, *(len(c) + 2 for c in classes))
    lines = [f"Test ({test['n']:,} texts)".ljust(width + 20) + f"{'accuracy':>10}{'macro-F1':>10}"]
    lines += [f"  {label:<{width + 18}}{s['accuracy']:>10.3f}{s['macro_f1']:>10.3f}" for label, s in rows]
    lines.append("Per class (model)".ljust(width + 2) + "".join(f"{h:>11}" for h in
                                                               ("precision", "recall", "F1", "support")))
    for entry in test["per_class"]:
        lines.append(f"  {entry['class']:<{width}}{entry['precision']:>11.3f}{entry['recall']:>11.3f}"
                     f"{entry['f1']:>11.3f}{entry['support']:>11,}")
    cell = max(9, *(len(c) + 2 for c in classes))
    lines.append("Confusion (rows: true class, columns: predicted)")
    lines.append(" " * (width + 2) + "".join(f"{c:>{cell}}" for c in classes))
    for name, counts in zip(classes, test["confusion"]):
        lines.append(f"  {name:<{width}}" + "".join(f"{n:>{cell},}" for n in counts))
    return "\n".join(lines)


def _metrics_record(run: ClassifierRun) -> dict[str, Any]:
    return {**run.evaluation.summary(), "epochs_run": run.result.epochs_run, "best_epoch": run.result.best_epoch,
            "stopped_reason": run.result.stopped_reason, "message": run.result.message,
            "train_seconds": round(run.result.seconds, 3), "max_len": run.config.classify.max_len,
            "vocabulary_size": len(run.vocabulary), "text_column": run.config.classify.text,
            "label_column": run.config.classify.label}
