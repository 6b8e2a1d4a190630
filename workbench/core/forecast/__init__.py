"""Forecasting a series: settings resolved against the data, training, scoring beside baselines, diagnostics."""
