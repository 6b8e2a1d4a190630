"""Where each panel sits in the window's tab widgets, and which tabs each kind of work shows."""

SERIES_TAB, TRAINING_TAB, FORECAST_TAB, METRICS_TAB, RESIDUALS_TAB, TEXT_TAB, GENERATE_TAB = range(7)
TEXTS_TAB, RESULTS_TAB, MISTAKES_TAB, TRY_TAB = range(7, 11)
DATA_TAB, MODEL_TAB, TEXT_MODEL_TAB, CLASSIFY_DATA_TAB, CLASSIFY_MODEL_TAB = range(5)
# The tabs each kind of work shows; the Training tab serves all three.
MODE_TABS = {"series": {SERIES_TAB, TRAINING_TAB, FORECAST_TAB, METRICS_TAB, RESIDUALS_TAB},
             "text": {TRAINING_TAB, TEXT_TAB, GENERATE_TAB},
             "classify": {TEXTS_TAB, TRAINING_TAB, RESULTS_TAB, MISTAKES_TAB, TRY_TAB}}
MODE_LEFT_TABS = {"series": {DATA_TAB, MODEL_TAB}, "text": {TEXT_MODEL_TAB},
                  "classify": {CLASSIFY_DATA_TAB, CLASSIFY_MODEL_TAB}}
