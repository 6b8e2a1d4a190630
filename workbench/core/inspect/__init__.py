"""Inside a trained model: its gates and states step by step, what its output depended on, and summaries of both.

- `states`: `inspect_states` recomputes the recurrent layers from their own weights (a `StateTrace`).
- `samples`: one input per kind of model, as the model reads it (a series window, a passage, a classified text).
- `attribution`: which steps and columns (or tokens) an output depended on (integrated gradients).
- `properties`: what a unit may follow (inside quotes, position in the line, seasonal phase, ...).
- `summaries`: gate saturation per unit, and units ranked by how well they follow a property.
- `inspection`: a sample inspected whole, and its arrays as `workbench inspect` writes them.

Nothing here imports Qt. Importing the package loads nothing; `properties` and `summaries` need only numpy (a
form can list the properties before torch loads), the other modules load torch.
"""
