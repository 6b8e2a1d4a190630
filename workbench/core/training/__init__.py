"""The training loop, its callbacks and the events it reports."""
