"""Search: trials over a space of settings (Optuna), chosen on validation, the best scored once on test."""
