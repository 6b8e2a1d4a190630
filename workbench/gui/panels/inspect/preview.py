"""The Inspect tab on its own, for a quick look or a screenshot:

    python -m workbench.gui.panels.inspect.preview MODEL.swb [DATA] [--shot tab.png] [--unit N] [--show QUANTITY]

DATA is the table a forecaster's windows come from, the text file a language model reads (its start is the
passage), or a classifier's table of texts. With --shot the window is drawn once the inspection is shown, saved as
a PNG, and closed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from workbench.gui.job_progress import JobProgress
from workbench.gui.messages import MessageBar
from workbench.gui.runner import Runner
from workbench.gui.services import Services


def standalone_services(window: QMainWindow) -> Services:
    """Services for a view shown outside the main window: its own runner, message bar and throwaway settings."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "preview.ini"), QSettings.Format.IniFormat)
    return Services(Runner(window), MessageBar(window), settings, window, window.statusBar().showMessage,
                    lambda: None, JobProgress(window), lambda _workspace, _action: True,
                    window.statusBar().currentMessage)


def context_for(bundle: object, data: str | None) -> object:
    """The context a workspace would give for `bundle` with the data at `data` (or none)."""
    from workbench.core.export.kinds import CLASSIFIER, FORECASTER
    from workbench.gui.panels.inspect.contexts import TextContext, classify_context, series_context

    if bundle.kind == FORECASTER:
        from workbench.core.forecast.model_data import series_for_bundle

        return series_context(bundle, series_for_bundle(bundle, data)) if data else None
    if bundle.kind == CLASSIFIER:
        from workbench.core.data.sources import read_table

        return classify_context(bundle, read_table(data, texts=True).frame if data else None)
    from workbench.core.text.source import read_text

    return TextContext(bundle.vocabulary, read_text(data).text if data else "", "The ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("data", nargs="?")
    parser.add_argument("--shot", help="save a PNG of the window once the inspection is shown, then quit")
    parser.add_argument("--unit", type=int, help="follow this unit")
    parser.add_argument("--show", help="the quantity the heatmap shows (e.g. forget_gate)")
    parser.add_argument("--size", default="1300x860", help="window size (default 1300x860)")
    args = parser.parse_args(argv)
    from workbench.core.export.kinds import load_model
    from workbench.gui.panels.inspect.inspect_view import InspectView
    from workbench.gui.theme import configure_pyqtgraph

    app = QApplication.instance() or QApplication(sys.argv)
    configure_pyqtgraph()
    window = QMainWindow()
    services = standalone_services(window)
    view = InspectView(services)
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.addWidget(services.message_bar)
    layout.addWidget(view, 1)
    window.setCentralWidget(central)
    width, height = (int(n) for n in args.size.split("x"))
    window.resize(width, height)
    window.show()
    bundle = load_model(args.model)
    view.set_model(bundle.kind, bundle.model, context_for(bundle, args.data))

    def on_shown() -> None:
        if args.show:
            view.chooser.quantity.setCurrentIndex(view.chooser.quantity.findData(args.show))
        if args.unit is not None:
            view.choose_unit(args.unit)
        if args.shot:
            QTimer.singleShot(300, lambda: (window.grab().save(args.shot), app.quit()))

    view.shown.connect(on_shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
