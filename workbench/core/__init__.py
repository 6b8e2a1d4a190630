"""The Qt-free core: data, models, training, evaluation and export, usable from scripts, the CLI and tests."""
