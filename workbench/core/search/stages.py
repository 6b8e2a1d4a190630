"""A run in two stages for a search: train and score on validation only, then, for the chosen best alone, score
the test part and build the kind's run object (what a bundle is made from).

The same steps as each kind's pipeline (forecast/pipeline.py, text/pipeline.py, classify/pipeline.py), split at
the point where the pipelines score the test part, so no trial ever looks at it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.training.callbacks import Callback
from workbench.core.training.events import TrainResult

# The command line's --task for each kind of model.
TASK_KINDS = {"forecast": FORECASTER, "lm": LANGUAGE_MODEL, "classify": CLASSIFIER}


def config_class(kind: str) -> Any:
    """The run configuration class of a kind of model."""
    from workbench.core import run_config

    return {FORECASTER: run_config.RunConfig, LANGUAGE_MODEL: run_config.TextRunConfig,
            CLASSIFIER: run_config.ClassifyRunConfig}[kind]


@dataclass
class LoadedData:
    """A data file read once, for every trial of a search: a table's frame, or a text."""

    kind: str
    path: str
    content: Any  # pd.DataFrame (forecaster, classifier) or TextSource (language model)
    read_options: dict[str, Any]
    sha256: str | None  # of the file's bytes, for the run records and to tie a study to its data


def load_data(kind: str, path: str | Path, read_options: dict[str, Any] | None = None) -> LoadedData:
    """Read the file once for a search or race. A table is read with `read_options` (ReadOptions' fields, as the
    window or the command line read it; None, or a field left out, is detected); a text detects its encoding."""
    from workbench.core.runs.files import file_sha256

    if kind == LANGUAGE_MODEL:
        from workbench.core.text.source import read_text

        source = read_text(path)
        return LoadedData(kind, str(path), source, {"encoding": source.encoding}, file_sha256(path))
    from workbench.core.data.sources import read_table

    table = read_table(path, table_options(read_options), texts=kind == CLASSIFIER)
    options = {**dataclasses.asdict(table.options), **({"texts": True} if kind == CLASSIFIER else {})}
    return LoadedData(kind, str(path), table.frame, options, file_sha256(path))


def table_options(read_options: dict[str, Any] | None) -> Any:
    """ReadOptions from a plain dict (a run record's or the window's read options; other keys are ignored)."""
    from workbench.core.data.sniff import ReadOptions

    if not read_options:
        return None
    names = {f.name for f in dataclasses.fields(ReadOptions)}
    return ReadOptions(**{key: value for key, value in read_options.items() if key in names})


def make_bundle(kind: str, run: Any) -> Any:
    """The bundle of a finished run of `kind`, ready for kinds.save_model."""
    if kind == FORECASTER:
        from workbench.core.export.forecaster_bundle import bundle_from_forecast_run

        return bundle_from_forecast_run(run)
    if kind == LANGUAGE_MODEL:
        from workbench.core.export.lm_bundle import bundle_from_lm_run

        return bundle_from_lm_run(run)
    from workbench.core.export.classifier_bundle import bundle_from_classifier_run

    return bundle_from_classifier_run(run)


@dataclass
class Staged:
    """A model built for a configuration, with what its training and its scoring need."""

    config: Any  # resolved: what the run object and the bundle keep
    model: Any
    task: Any
    parts: dict[str, Any]  # the kind's prepared data: series and setup, a text split, prepared texts


def prepare(loaded: LoadedData, config: Any) -> Staged:
    """Build the model and its training task for `config` on `loaded` (no training, no scoring)."""
    problems = config.problems()
    if problems:
        raise ConfigError(problems)
    return {FORECASTER: _prepare_forecaster, LANGUAGE_MODEL: _prepare_language_model,
            CLASSIFIER: _prepare_classifier}[loaded.kind](loaded, config)


def train(staged: Staged, callbacks: Sequence[Callback] = (), should_stop: Callable[[], bool] | None = None,
          ) -> TrainResult:
    """Fit the staged model; the Trainer keeps the weights of the best validation epoch."""
    from workbench.core.training.engine import Trainer

    result = Trainer(staged.model, staged.task, staged.config.train, callbacks, should_stop).fit()
    staged.model.cpu().eval()
    return result


def finish(loaded: LoadedData, staged: Staged, result: TrainResult) -> Any:
    """The kind's run object, scoring the test part now (a language model has none: validation only)."""
    return {FORECASTER: _finish_forecaster, LANGUAGE_MODEL: _finish_language_model,
            CLASSIFIER: _finish_classifier}[loaded.kind](loaded, staged, result)


def _prepare_forecaster(loaded: LoadedData, config: Any) -> Staged:
    from workbench.core.data.series import prepare_series
    from workbench.core.forecast.pipeline import build_model
    from workbench.core.forecast.setup import resolve_setup
    from workbench.core.forecast.task import ForecastTask

    series = prepare_series(loaded.content, config.data, source=loaded.path)
    setup = resolve_setup(series, config.data)
    model = build_model(config, setup, len(series.columns))
    resolved = dataclasses.replace(config, data=setup.data)
    return Staged(resolved, model, ForecastTask(series.values, setup.plan), {"series": series, "setup": setup})


def _finish_forecaster(loaded: LoadedData, staged: Staged, result: TrainResult) -> Any:
    from workbench.core.forecast.evaluation import evaluate
    from workbench.core.forecast.pipeline import ForecastRun

    series, setup = staged.parts["series"], staged.parts["setup"]
    evaluation = evaluate(staged.model, series.values, setup.plan, setup.season, series.time_axis.frequency)
    return ForecastRun(staged.config, setup, staged.model, result, evaluation, series)


def _prepare_language_model(loaded: LoadedData, config: Any) -> Staged:
    from workbench.core.text.pipeline import build_language_model, language_task
    from workbench.core.text.streams import split_text

    text = config.text
    split = split_text(loaded.content.text, text.level, text.val_fraction, text.vocab_cap())
    task = language_task(split, config)
    model = build_language_model(config, len(split.vocabulary))
    resolved = dataclasses.replace(config, text=dataclasses.replace(text, max_vocab=text.vocab_cap()))
    return Staged(resolved, model, task, {"split": split})


def _finish_language_model(loaded: LoadedData, staged: Staged, result: TrainResult) -> Any:
    from workbench.core.text.pipeline import LanguageModelRun, text_fingerprint, validation_scores

    source, split = loaded.content, staged.parts["split"]
    data = {"source": Path(source.path).name if source.path else "", "fingerprint": text_fingerprint(source.text),
            "n_chars": len(source.text), "n_train_tokens": int(len(split.train)), "n_val_tokens": int(len(split.val))}
    scores = validation_scores(result.best_val_loss, staged.config.text.level)
    return LanguageModelRun(staged.config, staged.model, split.vocabulary, result, scores, data)


def _prepare_classifier(loaded: LoadedData, config: Any) -> Staged:
    from workbench.core.classify.dataset import prepare_dataset
    from workbench.core.classify.pipeline import build_classifier
    from workbench.core.classify.task import ClassificationTask, balanced_weights

    prepared = prepare_dataset(loaded.content, config.classify, config.train.seed)
    classes = prepared.data.classes
    train_part = prepared.part("train")
    weights = balanced_weights(train_part[2], len(classes)) if config.classify.class_weights else None
    task = ClassificationTask(train_part, prepared.part("val"), weights)
    model = build_classifier(config, len(prepared.vocabulary), len(classes))
    resolved = dataclasses.replace(config, classify=dataclasses.replace(
        config.classify, text=prepared.data.text_column, label=prepared.data.label_column,
        max_len=prepared.max_len, max_vocab=config.classify.vocab_cap()))
    return Staged(resolved, model, task, {"prepared": prepared, "config": config})


def _finish_classifier(loaded: LoadedData, staged: Staged, result: TrainResult) -> Any:
    from workbench.core.classify.pipeline import ClassifierRun, data_record, evaluate_classifier

    prepared = staged.parts["prepared"]
    evaluation = evaluate_classifier(staged.model, prepared, staged.parts["config"])
    return ClassifierRun(staged.config, staged.model, prepared.vocabulary, prepared.data.classes, result, evaluation,
                         data_record(prepared, loaded.path), prepared.data.notes)
