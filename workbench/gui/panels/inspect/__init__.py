"""The Inspect tab: a model's gates and states over one sample, the units that follow a property, gate saturation
and what the output depended on. `InspectView` (inspect_view.py) is the tab; the contexts (contexts.py) are what
a workspace hands it. Importing the package loads no torch: the core's inspection is imported when a job runs."""
