"""The series workspace's Anomalies and Backtest tabs and the background jobs that fill them.

Both computations run on the app's runner, off the GUI thread, and hand the tabs plain data: an `Anomalies` and a
backtest's `to_json()` dict. `SeriesUncertainty` owns the two tabs; the workspace tells it which model and data are
on screen (`show_model`, `data_changed`) and it does the rest. The anomalies of a model are found when its tab is
first shown (a forecast from every row of a long series takes seconds, wasted if the tab is never looked at).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from workbench.core.forecast.intervals import percent
from workbench.core.training.callbacks import Callback
from workbench.gui.panels.anomalies_view import NO_MODEL_TEXT, AnomaliesView
from workbench.gui.panels.backtest_view import RUNNING_TEXT, BacktestView
from workbench.gui.training_job import TRAINING_JOB

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from workbench.core.data.series import SeriesData
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.intervals import Calibration
    from workbench.core.models.recurrent import ForecastModel
    from workbench.core.run_config import RunConfig
    from workbench.gui.runner import Job, JobContext
    from workbench.gui.services import Services

ANOMALIES_JOB = "anomalies"
# A backtest trains models: under the training runs' name, so that one model trains at a time (Train refuses
# while a backtest runs, and a backtest while a model trains), as two would share the cores and each take longer.
BACKTEST_JOB = TRAINING_JOB
NO_DATA_TEXT = "Open data with the model's columns to find the values that fall outside its intervals."
BACKTEST_RUNNING = "A backtest is running. Wait for it to end, or stop it on the Backtest tab, then train."
TRAINING_RUNNING = "A model is training. The backtest can run when it ends, or once it is stopped."


class FoldReporter(Callback):
    """Turns the backtest's fold count and each fold's batches into one progress report: done, total, fraction."""

    def __init__(self, context: JobContext) -> None:
        self._context = context
        self._done, self._total = 0, 1
        self._batches, self._batch = 1, 0  # of the fold training now: every batch it may run, and those run

    def fold_started(self, done: int, total: int) -> None:
        """The core's `progress(done, total)`: before each fold, and once at the end."""
        self._done, self._total = done, total
        self._report(0.0)

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._batches = max(1, int(info["epochs"]) * int(info["batches_per_epoch"]))
        self._batch = 0

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        self._batch += 1
        self._report(min(1.0, self._batch / self._batches))  # early stopping may end a fold sooner

    def _report(self, fraction: float) -> None:
        self._context.progress({"done": self._done, "total": self._total, "fraction": fraction})


def start_anomalies(services: Services, model: ForecastModel, series: SeriesData, lookback: int,
                    calibration: Calibration, level: float, view: AnomaliesView,
                    current: Callable[[], bool] = lambda: True) -> Job:
    """Find the anomalies of `model` on `series` at `level` on the runner; `view` shows them when they arrive, if
    `current()` still says they are wanted (a newer level or model makes them stale)."""
    def find(_context: JobContext) -> Any:
        from workbench.core.forecast.anomalies import detect_anomalies

        return detect_anomalies(model, series, lookback, calibration, level)

    def succeeded(job: Job) -> None:
        if current():
            view.show_anomalies(job.result, series.target)

    def refused(message: str, hint: str) -> None:
        if current():
            view.clear(f"{message} {hint}".strip())

    def crashed(message: str, details: str) -> None:
        if current():
            view.clear("The anomalies could not be found.")
        services.report_bug(f"Finding anomalies failed unexpectedly ({message}).", details)

    view.show_working(f"Finding the values outside the {percent(level)} interval...")
    return services.runner.start(ANOMALIES_JOB, find, succeeded=succeeded, refused=refused, crashed=crashed)


def start_backtest(services: Services, series: SeriesData, config: RunConfig, folds: int, mode: str,
                   view: BacktestView, current: Callable[[], bool] = lambda: True) -> Job | None:
    """Backtest `config` on `series` on the runner, `view` following its progress and showing its result while
    `current()` says it is still wanted (other data makes it stale); None (and the view says why) while another
    model trains."""
    if services.runner.is_running(BACKTEST_JOB):
        view.show_message(TRAINING_RUNNING)
        return None

    def run(context: JobContext) -> dict[str, Any]:
        from workbench.core.forecast.backtest import backtest

        reporter = FoldReporter(context)
        result = backtest(series, config, folds=folds, mode=mode, callbacks=[reporter],
                          should_stop=context.should_stop, progress=reporter.fold_started)
        return result.to_json()  # plain data: the folds' models stay on the job's thread

    def progressed(payload: dict[str, Any]) -> None:
        if current():
            view.show_progress(payload["done"], payload["total"], payload["fraction"])

    def succeeded(job: Job) -> None:
        if current():
            view.show_result(job.result)

    def refused(message: str, hint: str) -> None:
        if current():
            view.clear()
            view.show_message(f"{message} {hint}".strip())

    def crashed(message: str, details: str) -> None:
        if current():
            view.clear()
            view.show_message("The backtest failed unexpectedly.")
        services.report_bug(f"The backtest failed unexpectedly ({message}).", details)

    view.clear(RUNNING_TEXT)  # the last result spoke of other settings
    view.show_progress(0, folds)
    return services.runner.start(BACKTEST_JOB, run, progressed=progressed, succeeded=succeeded, refused=refused,
                                 crashed=crashed)


ModelOnScreen = Callable[[], "tuple[ForecasterBundle | None, SeriesData | None]"]


class SeriesUncertainty(QObject):
    """The Anomalies and Backtest tabs and their jobs (see the module).

    `data()` gives the series and settings a backtest runs with when Run is pressed: the open data and the forms'
    settings. `model()` gives the model on screen and the series its forecasts are on, which `follow` reads.

    One model trains at a time: while a backtest runs, `busy_reason()` says why Train must wait (`busy_changed` when
    that changes); while any other training runs, the Backtest tab's Run is off and says why."""

    busy_changed = Signal()  # a backtest started or ended: ask busy_reason() again

    def __init__(self, services: Services, data: Callable[[], tuple[SeriesData | None, RunConfig]],
                 model: ModelOnScreen | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._data = data
        self._model_on_screen = model
        self._following = False  # a look at the model on screen is due on the next turn of the event loop
        self.anomalies_view = AnomaliesView()
        self.backtest_view = BacktestView()
        self._model: tuple[ForecasterBundle, SeriesData] | None = None
        self._shown_pair: tuple[Any, Any] | None = None  # the (bundle, series) last given to show_model
        self._stale = False  # the model changed while its tab was hidden: find its anomalies when it shows
        self._wanted: object | None = None  # the newest anomalies request; an older one's result is dropped
        self.backtest_job: Job | None = None
        self._backtest_wanted: object | None = None  # the newest backtest; a stale one's reports are dropped
        self.anomalies_job: Job | None = None
        self._starting = False  # a backtest is being started (see _run_backtest)
        self.anomalies_view.installEventFilter(self)
        self.anomalies_view.level_changed.connect(self._find_anomalies)
        self.backtest_view.run_requested.connect(self._run_backtest)
        self.backtest_view.stop_requested.connect(self.stop_backtest)
        services.runner.job_started.connect(self._update_can_run)
        services.runner.job_ended.connect(self._update_can_run)
        self._update_can_run()

    def tabs(self) -> tuple[tuple[QWidget, str], ...]:
        return (self.anomalies_view, "Anomalies"), (self.backtest_view, "Backtest")

    def follow(self) -> None:
        """Something on screen may have changed (connect the workspace's `changed`): the model and its series are
        looked at on the next turn of the event loop, when a change in progress is complete, and shown if new."""
        if self._model_on_screen is not None and not self._following:
            self._following = True
            QTimer.singleShot(0, self, self._follow_now)

    def show_model(self, bundle: ForecasterBundle | None, series: SeriesData | None) -> None:
        """The model on screen and the series its forecasts are on (None: no model, or no data for it)."""
        if self._shown_pair is not None and self._shown_pair[0] is bundle and self._shown_pair[1] is series:
            return  # already shown (or being found)
        self._shown_pair = (bundle, series)
        self._wanted = None
        self._model = (bundle, series) if bundle is not None and series is not None else None
        self._stale = False
        if bundle is None:
            self.anomalies_view.clear(NO_MODEL_TEXT)
        elif series is None:
            self.anomalies_view.clear(NO_DATA_TEXT)
        elif bundle.calibration is None:
            self.anomalies_view.clear(bundle.intervals_note)
        elif self.anomalies_view.isVisible():
            self._find_anomalies(self.anomalies_view.level.level())
        else:
            self.anomalies_view.clear("Finding anomalies when this tab is shown...")
            self._stale = True

    def data_changed(self) -> None:
        """Other data: a backtest of the last data stops, and its result goes (also one still to arrive)."""
        self.stop_backtest()
        self._backtest_wanted = None
        self.backtest_view.clear()

    def busy_reason(self) -> str:
        """Why Train must wait now ("" when it need not): a backtest trains models too."""
        return BACKTEST_RUNNING if self.is_backtesting() else ""

    def is_backtesting(self) -> bool:
        return self.backtest_job is not None and self.backtest_job.is_running()

    def stop_backtest(self) -> None:
        if self.is_backtesting():
            self.backtest_job.cancel()

    def close(self) -> None:
        """Before the window closes: stop the backtest and drop any anomalies still being found."""
        self._wanted = None
        self.stop_backtest()

    def _follow_now(self) -> None:
        self._following = False
        self.show_model(*self._model_on_screen())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.anomalies_view and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._find_anomalies(self.anomalies_view.level.level())
        return False

    def _find_anomalies(self, level: float) -> None:
        if self._model is None or self._model[0].calibration is None:
            return
        bundle, series = self._model
        token = self._wanted = object()
        self.anomalies_job = start_anomalies(self._services, bundle.model, series, bundle.schema["lookback"],
                                             bundle.calibration, level, self.anomalies_view,
                                             current=lambda: self._wanted is token)

    def _run_backtest(self, folds: int, mode: str) -> None:
        series, config = self._data()
        if series is None:
            self.backtest_view.show_message("Open data first: a backtest trains models on it.")
            return
        token = object()
        self._starting = True  # the runner announces the job before it is known here as the backtest
        try:
            job = start_backtest(self._services, series, config, folds, mode, self.backtest_view,
                                 current=lambda: self._backtest_wanted is token)
        finally:
            self._starting = False
        if job is not None:
            self.backtest_job, self._backtest_wanted = job, token
            job.ended.connect(self.busy_changed)
            self.busy_changed.emit()

    def _update_can_run(self) -> None:
        """Run is off, and says why, while a model other than this tab's backtest trains."""
        if self._starting:
            return
        others = [job for job in self._services.runner.running(BACKTEST_JOB) if job is not self.backtest_job]
        self.backtest_view.set_can_run(not others, TRAINING_RUNNING)
