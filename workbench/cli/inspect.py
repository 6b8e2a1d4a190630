"""`workbench inspect`: a model's gates and states over one sample, and what its output depended on, as .npz.

Every kind of model: a forecaster's window (by its origin's time or row), a language model's passage (a line of a
text file, its start, or --text), a classifier's text (a row of a table, or --text).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError, DataError, WorkbenchError

METHODS = {"integrated-gradients": "integrated_gradients", "gradient-x-input": "gradient_x_input"}


def add_parser(sub: Any) -> None:
    """The `inspect` subcommand and its arguments."""
    parser = sub.add_parser(
        "inspect", help="write a model's gates and states at every step of one sample, and what its output "
        "depended on, to a .npz file",
        description="Write one array per layer, direction and quantity, named layer{L}.{forward|backward}.{name} "
        "with shape (time, units) and layers counted from 0; plus inputs (the sample in the data's units) and "
        "attribution (time, features). The state before the first step is zero.")
    parser.add_argument("model", help="a model bundle (.swb) of any kind")
    parser.add_argument("data", nargs="?",
                        help="forecaster: the table to take the window from; language model: a text file; "
                        "classifier: a table of texts (not needed with --text)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--origin", metavar="TIME",
                       help="forecaster: the time of the window's last row, where the forecast is made (or the last "
                       "row before it); default: the last row")
    which.add_argument("--row", type=int, metavar="N",
                       help="forecaster: the window's last row (from 0); language model: the line of the text file "
                       "(from 0; default: the start of the file); classifier: the table's row (from 0, default 0)")
    which.add_argument("--text", metavar="STRING", help="language model or classifier: the text to read")
    parser.add_argument("--out", required=True, metavar="STATES.npz", help="where to write the arrays (.npz)")
    parser.add_argument("--method", choices=tuple(METHODS), default="integrated-gradients",
                        help="how the attribution is computed: integrated gradients (default; the shares add up to "
                        "the output's change from the baseline) or gradient x input (quicker, rougher)")
    parser.add_argument("--step", type=int, metavar="K",
                        help="forecaster: explain the forecast K steps ahead (default 1)")
    parser.add_argument("--baseline", choices=("mean", "zero"),
                        help="forecaster: what the window is compared with: a flat window at the training means "
                        "(default) or zeros")
    parser.add_argument("--length", type=int, metavar="TOKENS",
                        help="language model: read at most this many tokens of the passage (default 500)")


def run(args: argparse.Namespace) -> int:
    """Load the model, make its sample, inspect it and write the arrays; print what was written."""
    from workbench.core.export.atomic import check_writable
    from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL, load_model
    from workbench.core.inspect.inspection import inspect_sample, inspection_arrays, save_arrays

    check_writable(args.out)
    bundle = load_model(args.model)
    _check_options(args, bundle)
    if args.text is not None and args.data:
        print(f"Reading the text given with --text; {args.data} is not read.", file=sys.stderr)
    make = {FORECASTER: _series_sample, LANGUAGE_MODEL: _passage_sample, CLASSIFIER: _classifier_sample}
    sample, source = make[bundle.kind](args, bundle)
    # What names the explained output: a classifier's class names, a language model's tokens.
    names: dict[str, Any] = {}
    if bundle.kind == CLASSIFIER:
        names = {"classes": bundle.classes}
    elif bundle.kind == LANGUAGE_MODEL:
        names = {"vocabulary": bundle.vocabulary}
    inspection = inspect_sample(bundle.model, sample, method=METHODS[args.method], step=args.step or 1,
                                baseline=args.baseline or "mean", **names)
    arrays = inspection_arrays(inspection)
    save_arrays(args.out, arrays)
    attribution = inspection.attribution
    print(f"Inspected {sample.description}, from {source}.")
    print(f"Attribution ({attribution.method.replace('_', ' ')}) of {attribution.target}: {attribution.output:.4g} "
          f"here against {attribution.baseline_output:.4g} at the baseline; {attribution.completeness()}.")
    print(f"Wrote {len(arrays)} arrays to {args.out}:")
    for name, value in arrays.items():
        print(f"  {name:<34} {' x '.join(map(str, value.shape))}")
    return 0


def _check_options(args: argparse.Namespace, bundle: Any) -> None:
    """Refuse the options that do not apply to this kind of model, and a missing DATA, in words."""
    from workbench.core.export.kinds import FORECASTER, LANGUAGE_MODEL, model_kind

    kind = bundle.kind
    label, name = model_kind(kind).a_label, Path(args.model).name
    problems = {}
    if kind == FORECASTER:
        horizon = bundle.schema["horizon"]
        if args.step is not None and not 1 <= args.step <= horizon:
            problems["--step"] = f"must be between 1 and {horizon}, the steps {name} forecasts (got {args.step})."
        if args.text is not None:
            problems["--text"] = (f"applies to text models; {name} is {label}: give its table and --origin "
                                  "or --row.")
    else:
        for option, value in (("--origin", args.origin), ("--step", args.step), ("--baseline", args.baseline)):
            if value is not None:
                problems[option] = f"applies to forecasters; {name} is {label}."
    if kind != LANGUAGE_MODEL and args.length is not None:
        problems["--length"] = f"applies to language models; {name} is {label}."
    if problems:
        raise ConfigError(problems)
    if args.data is None and (kind == FORECASTER or args.text is None):
        what = "the table to take the window from" if kind == FORECASTER else \
            "a text file, or the text itself with --text" if kind == LANGUAGE_MODEL else \
            "a table of texts and --row, or the text itself with --text"
        raise WorkbenchError(f"{name} is {label}; inspecting it needs {what}.",
                             hint="See `workbench inspect --help`.")


def _series_sample(args: argparse.Namespace, bundle: Any) -> tuple[Any, str]:
    """The window and where it comes from, in words (so are the two functions below)."""
    from workbench.core.forecast.model_data import series_for_bundle
    from workbench.core.inspect.samples import origin_for_time, series_sample

    series = series_for_bundle(bundle, args.data)
    if args.origin is not None:
        origin = origin_for_time(series, args.origin)
    else:
        origin = series.n_rows - 1 if args.row is None else args.row
    return series_sample(bundle.model, series, origin, bundle.schema["lookback"]), Path(args.data).name


def _passage_sample(args: argparse.Namespace, bundle: Any) -> tuple[Any, str]:
    from workbench.core.inspect.samples import PASSAGE_TOKENS, passage, text_sample
    from workbench.core.text.source import read_text

    length = PASSAGE_TOKENS if args.length is None else args.length
    if length < 1:
        raise ConfigError({"--length": f"must be at least 1 token (got {length})."})
    level = bundle.vocabulary.level
    if args.text is not None:
        text, source, line = args.text, "the text given", None
    else:
        text, line = read_text(args.data).text, args.row
        source = f"{'the start' if line is None else f'line {line}'} of {Path(args.data).name}"
    return text_sample(bundle.model, bundle.vocabulary, passage(text, line, length, level)), source


def _classifier_sample(args: argparse.Namespace, bundle: Any) -> tuple[Any, str]:
    from workbench.core.inspect.samples import classifier_sample

    settings = bundle.config.classify
    if args.text is not None:
        text, source = args.text, "the text given"
    else:
        row = args.row or 0
        text, source = _table_text(args.data, settings.text, row), f"row {row} of {Path(args.data).name}"
    return classifier_sample(bundle.model, bundle.vocabulary, settings, text), source


def _table_text(path: str, column: str, row: int) -> str:
    """The text in `column` of data row `row` (from 0) of the table at `path`."""
    import pandas as pd

    from workbench.core.data.sources import read_table

    frame = read_table(path, texts=True).frame
    if column not in frame.columns:
        raise DataError(f"The table has no column '{column}' with texts, which the model reads; its columns are: "
                        f"{', '.join(map(str, frame.columns))}.", hint="Give the text itself with --text.",
                        path=path, column=column)
    if not 0 <= row < len(frame):
        raise DataError(f"The table has {len(frame)} rows (0 to {len(frame) - 1}); there is no row {row}.",
                        hint="Choose a row inside the table.", path=path)
    value = frame[column].iloc[row]
    if pd.isna(value) or not str(value).strip():
        raise DataError(f"Row {row} has no text in column '{column}'.", hint="Choose another row.", path=path,
                        column=column)
    return str(value)
