"""The panels of the main window, one job each."""
