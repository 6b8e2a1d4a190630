"""Sequence Workbench: train and inspect recurrent sequence models without writing code."""

__version__ = "0.1.0"
