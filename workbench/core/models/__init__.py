"""Recurrent networks built from a config dataclass."""
