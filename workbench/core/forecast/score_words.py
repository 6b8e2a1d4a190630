"""What a forecaster's test scores say, in words: the verdict against the baselines (with its tone), what MASE
divides by, and what each table scored. The window, `workbench train` and `workbench info` all say it with these."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pandas.tseries.frequencies import to_offset

from workbench.core.forecast.intervals import coverage_key, coverage_sentence
from workbench.core.formatting import fmt

# The baselines, strongest-first when their scores tie: short name, long name, and what the forecast does.
BASELINES = {
    "naive": ("naive", "naive (last value)", "repeating the last value"),
    "seasonal_naive": ("seasonal-naive", "seasonal-naive (same point last season)",
                       "repeating the value from one season earlier"),
    "ets": ("ETS", "exponential smoothing (ETS)", "exponential smoothing fitted on the training part"),
}
# Said whenever the model loses to ETS: what most often closes the gap, in the order worth trying.
ETS_ADVICE = ("What usually helps a recurrent model catch up with exponential smoothing: a lookback of at least "
              "one whole season, the difference transform when the series trends, and more epochs or more data; "
              "on a short series, exponential smoothing may simply be the better model.")
_HOW_MANY = {2: "both", 3: "all three"}
METRIC_WORDS = {"mase": "MASE", "mae": "MAE"}
# Scores within half a percent of each other are a tie: the verdict rounds its percentages to whole numbers, so a
# smaller margin would read "0% lower", and one test part cannot tell such a difference from chance anyway.
TIE_SHARE = 0.005
TONES = ("better", "worse", "tie")
NO_COMPARISON = "The model could not be compared with the baselines: there were no test forecasts to score."

# pandas offset class -> (one step, several steps), for "one season (12 months)".
_STEP_NOUNS = {
    "Second": ("second", "seconds"), "Minute": ("minute", "minutes"), "Hour": ("hour", "hours"),
    "Day": ("day", "days"), "BusinessDay": ("business day", "business days"), "Week": ("week", "weeks"),
    "MonthBegin": ("month", "months"), "MonthEnd": ("month", "months"), "QuarterBegin": ("quarter", "quarters"),
    "QuarterEnd": ("quarter", "quarters"), "YearBegin": ("year", "years"), "YearEnd": ("year", "years"),
}


@dataclass(frozen=True)
class Verdict:
    """One decision about the model against its baselines: the sentence, whether it won, and the tone to show."""

    sentence: str
    beats_baselines: bool  # better than every baseline on `metric`, beyond a tie
    tone: str  # "better", "worse" or "tie" (also when nothing could be compared)
    metric: str  # "mase", or "mae" when MASE is undefined (MAE ranks the forecasts exactly as MASE would)

    def to_dict(self) -> dict[str, Any]:
        """The keys an evaluation summary (and so a bundle) carries."""
        return {"verdict": self.sentence, "beats_baselines": self.beats_baselines, "verdict_tone": self.tone,
                "verdict_metric": self.metric}


def compare(value: float, reference: float) -> str:
    """"better", "worse" or "tie" for an error `value` against `reference` (lower is better; TIE_SHARE apart)."""
    if abs(value - reference) <= TIE_SHARE * max(abs(value), abs(reference)):
        return "tie"
    return "better" if value < reference else "worse"


def best_of(values: dict[str, float]) -> tuple[str, ...]:
    """The names whose error ties the lowest finite one (within TIE_SHARE), in the order given; () if none."""
    finite = {name: v for name, v in values.items() if math.isfinite(v)}
    if not finite:
        return ()
    lowest = min(finite.values())
    return tuple(name for name, v in finite.items() if compare(v, lowest) == "tie")


def _number(value: float) -> str:
    """Three significant figures, trailing zeros kept so neighbours line up ("1.40 against 0.805")."""
    return fmt(value) if abs(value) >= 1000 else f"{value:#.3g}"


def _percent(value: float, reference: float) -> str:
    return f"{100 * abs(value - reference) / reference:.0f}%" if reference > 0 else ""


def judge(model: dict[str, float], baselines: dict[str, dict[str, float]], mase_lag: int | None = None) -> Verdict:
    """Whether the model beats every baseline on the same test targets, decided once for every screen.

    The metric is MASE, or MAE when MASE is undefined (a flat training part); the model must beat the strongest
    baseline by more than TIE_SHARE. `mase_lag` (the lag MASE's scale used) lets a win with MASE above 1 say so.
    """
    usable = math.isfinite(model.get("mase", math.nan)) and any(
        math.isfinite(b.get("mase", math.nan)) for b in baselines.values())
    metric = "mase" if usable else "mae"
    scored = {name: baselines[name][metric] for name in BASELINES
              if name in baselines and math.isfinite(baselines[name].get(metric, math.nan))}
    m = model.get(metric, math.nan)
    if not scored or not math.isfinite(m):
        return Verdict(NO_COMPARISON, False, "tie", metric)
    best = min(scored, key=scored.get)
    b = scored[best]
    tone = compare(m, b)
    label, (_, long, what) = METRIC_WORDS[metric], BASELINES[best]
    if tone == "better":
        if len(scored) > 1:
            which = "better" if len(scored) == 2 else "best"
            sentence = (f"On the test part the model beats {_HOW_MANY.get(len(scored), 'all')} baselines on "
                        f"{label}: {_number(m)} against {_number(b)} for the {which} of them, the {long} forecast "
                        f"({_percent(m, b)} lower).")
        else:
            sentence = (f"On the test part the model beats the {long} forecast on {label}: {_number(m)} against "
                        f"{_number(b)} ({_percent(m, b)} lower).")
        if metric == "mase" and m > 1 and mase_lag is not None:
            kind = "seasonal-naive" if mase_lag >= 2 else "naive"
            sentence += f" Its MASE is still above 1: its errors are larger than the in-sample {kind} error MASE " \
                        "divides by."
        return Verdict(sentence, True, tone, metric)
    if tone == "tie":
        sentence = (f"On the test part the model scores the same as the {long} forecast on {label} ({_number(m)} "
                    f"against {_number(b)}, within half a percent): it adds nothing over {what}.")
    else:
        higher = _percent(m, b)
        sentence = (f"On the test part the model does not beat the {long} forecast on {label}: {_number(m)} against "
                    f"{_number(b)}{f', {higher} higher' if higher else ''}. Its forecasts are no better than {what}.")
    beaten = [name for name, v in scored.items() if compare(m, v) == "better"]
    if beaten:
        sentence += f" It does beat the {BASELINES[beaten[0]][1]} forecast ({_number(scored[beaten[0]])})."
    if "ets" in scored and compare(m, scored["ets"]) == "worse":
        if best != "ets":
            sentence += f" It also loses to exponential smoothing (ETS, {_number(scored['ets'])})."
        sentence += f" {ETS_ADVICE}"
    return Verdict(sentence, False, tone, metric)


def verdict_of(summary: dict[str, Any]) -> Verdict:
    """The verdict of an evaluation summary, also one saved before summaries carried it (derived from its scores)."""
    return judge(summary.get("test", {}), summary.get("baselines", {}), summary.get("mase_lag"))


def _unit(frequency: str | None) -> tuple[int, str, str] | None:
    """(multiple, one, several) of the series' step, e.g. (1, "month", "months"); None without a known frequency."""
    try:
        offset = to_offset(frequency) if frequency else None
    except ValueError:
        return None
    nouns = _STEP_NOUNS.get(type(offset).__name__) if offset is not None else None
    return (offset.n, *nouns) if nouns else None


def season_span(steps: int, frequency: str | None) -> str:
    """`steps` rows in the series' own units: "12 months", "12 steps, 24 hours", or "12 rows" without a frequency."""
    unit = _unit(frequency)
    if unit is None:
        return f"{steps} row{'s' if steps != 1 else ''}"
    n, one, several = unit
    span = f"{steps * n} {one if steps * n == 1 else several}"
    return span if n == 1 else f"{steps} steps, {span}"


def _one_step(frequency: str | None) -> str:
    unit = _unit(frequency)
    if unit is None:
        return "row"
    n, one, several = unit
    return one if n == 1 else f"step ({n} {several})"


def mase_note(lag: int | None, season: int | None, frequency: str | None, defined: bool = True) -> str:
    """What MASE divides by: the lag it actually used (the season, or one step) on the training part; "" when
    the lag is unknown (a summary saved before it was recorded)."""
    if lag is None:
        return ""
    short = ""
    if lag >= 2:
        change, kind = f"over one season ({season_span(lag, frequency)})", "seasonal-naive"
    else:
        change, kind = f"from one {_one_step(frequency)} to the next", "naive"
        if season and season >= 2:
            short = f", which is too short for a whole season ({season_span(season, frequency)})"
    if not defined:
        return (f"MASE is undefined: the training part{short}{',' if short else ''} never changes {change}, so "
                "there is no error to divide by.")
    return (f"MASE divides the error by the mean absolute change {change} in the training part{short}; below 1 "
            f"beats that in-sample {kind} error.")


def scope_note(targets: int, horizon: int) -> str:
    """What the main table scored: every test target at every step ahead, the baselines on the same ones."""
    if horizon == 1:
        return (f"Scored on the test part: its {targets:,} targets, each forecast one step ahead, in the target's "
                "own units. The baselines forecast the same targets from the same origins.")
    return (f"Scored on the test part: its {targets:,} targets, each forecast 1 to {horizon} steps ahead "
            f"({targets * horizon:,} forecasts), in the target's own units. The baselines forecast the same targets "
            "from the same origins.")


# Summaries saved before every step was scored on the same targets (no "targets" key) scored each step on the
# targets of the windows lying wholly in the test part: step k on its rows k .. k + windows - 1.
EARLIER_PER_STEP = ("This model was saved by an earlier version, which scored each step on a different stretch of "
                    "the test part, so the steps do not compare like with like.")


def per_step_note(targets: int | None) -> str:
    """What each row of the step-ahead table scored: the same targets at every step (None: an older summary)."""
    if not targets:
        return EARLIER_PER_STEP
    return (f"Every step is scored on the same {targets:,} test targets, each forecast that many rows before it, "
            "so the rows compare like with like: a later step is a longer forecast of the same values.")


@dataclass(frozen=True)
class ScoreWords:
    """Every sentence about a forecaster's test scores; "" where an older summary lacks what a sentence needs."""

    verdict: Verdict
    scope: str
    mase: str
    per_step: str
    coverage: tuple[str, ...] = ()  # one sentence per interval level: "95% interval: 93.3% of 120 test points inside."
    ets: str = ""  # what the ETS baseline is, or why there is none


def score_words(summary: dict[str, Any], season: int | None, frequency: str | None) -> ScoreWords:
    """The sentences for an evaluation summary: a fresh run's, or a bundle's (then with its schema's season and
    frequency). Summaries saved before these keys existed get the verdict derived and the rest left out."""
    targets = summary.get("targets")
    horizon = len(summary.get("per_step") or []) or 1
    lag = summary.get("mase_lag")
    defined = math.isfinite(summary.get("test", {}).get("mase", math.nan))
    return ScoreWords(
        verdict=verdict_of(summary),
        scope=scope_note(targets, horizon) if targets else "",
        mase=mase_note(lag, season, frequency, defined),
        per_step=per_step_note(targets) if horizon > 1 else "",
        coverage=coverage_sentences(summary),
        ets=(summary.get("baseline_notes") or {}).get("ets", ""),
    )


def coverage_sentences(summary: dict[str, Any]) -> tuple[str, ...]:
    """Each band's test coverage beside its level, from a summary; () for one saved without intervals."""
    intervals = summary.get("intervals")
    if not intervals:
        return ()
    test = summary.get("test", {})
    return tuple(coverage_sentence(level, test.get(coverage_key(level), math.nan), intervals.get("points", 0))
                 for level in intervals.get("levels", ()))
