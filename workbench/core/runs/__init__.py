"""Run history: every training run kept in a local store (store.py), recorded when it ends (record.py)."""
