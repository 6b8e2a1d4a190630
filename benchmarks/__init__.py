"""Speed scripts (not tests): run with `python -m benchmarks.NAME`."""
