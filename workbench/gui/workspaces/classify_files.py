"""The classification workspace's exports: a table's predicted labels as CSV, and the classifier as ONNX. Plain
functions of what they need, so the workspace passes its state explicitly."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from workbench.core.export.classifier_bundle import ClassifierBundle


def write_table_predictions(bundle: ClassifierBundle, frame: pd.DataFrame, path: str) -> str:
    """`frame` with a predicted label and one probability column per class, as CSV; what was written, in words."""
    from workbench.core.classify.predict import predict_table
    from workbench.core.export.tables import write_csv

    predicted, notes = predict_table(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, frame)
    write_csv(predicted, path)
    return f"Wrote {len(predicted):,} rows of predictions to {path}. {' '.join(notes)}".strip()


def classifier_onnx_export(bundle: ClassifierBundle, frame: pd.DataFrame | None,
                           path: str) -> tuple[Callable[[], Any], str]:
    """The export call (run in the background; returns its ParityCheck) and the graph in words. The export is
    checked on texts of `frame` (the open table), as the model reads them, when there is one."""
    model, max_len, classes = bundle.model, bundle.config.classify.max_len, len(bundle.classes)
    check_ids = table_ids(bundle, frame, max_len) if frame is not None else None

    def export() -> Any:
        from workbench.core.classify.onnx_export import export_classifier_onnx

        if check_ids is None:
            return export_classifier_onnx(model, path, max_len)
        return export_classifier_onnx(model, path, max_len, check_ids=check_ids,
                                      check_inputs="texts of the open table")

    return export, (f"input 'token_ids' (batch, {max_len}), 0 for padding, output 'probabilities' "
                    f"(batch, {classes})")


def table_ids(bundle: ClassifierBundle, frame: pd.DataFrame, max_len: int, rows: int = 64) -> np.ndarray | None:
    """Up to `rows` texts of `frame` encoded as the model reads them (ids, right-padded); None without its text
    column."""
    from workbench.core.classify.encoding import encode_texts, text_tokens

    settings = bundle.config.classify
    if settings.text not in frame.columns:
        return None
    texts = frame[settings.text].dropna().astype(str).head(rows)
    tokens = [text_tokens(text, settings.level, settings.lowercase) for text in texts]
    return encode_texts(tokens, bundle.vocabulary, max_len, settings.truncate).ids if tokens else None
