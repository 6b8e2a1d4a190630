"""Where each panel sits in the window's tab widgets, and which tabs each kind of work shows."""

SERIES_TAB, TRAINING_TAB, FORECAST_TAB, METRICS_TAB, RESIDUALS_TAB, TEXT_TAB, GENERATE_TAB = range(7)
DATA_TAB, MODEL_TAB, TEXT_MODEL_TAB = range(3)
# The tabs each kind of work shows; the Training tab serves both.
MODE_TABS = {"series": {SERIES_TAB, TRAINING_TAB, FORECAST_TAB, METRICS_TAB, RESIDUALS_TAB},
             "text": {TRAINING_TAB, TEXT_TAB, GENERATE_TAB}}
MODE_LEFT_TABS = {"series": {DATA_TAB, MODEL_TAB}, "text": {TEXT_MODEL_TAB}}
