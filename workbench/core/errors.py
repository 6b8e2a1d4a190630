"""Typed errors whose messages a user can act on: what was found, where, and what to do."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the user should see as a message rather than a traceback."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class DataError(WorkbenchError):
    """A file or column that cannot be used; carries where the problem is."""

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        path: str | None = None,
        column: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.column = column
        self.line = line


class ConfigError(WorkbenchError):
    """One or more invalid settings; `problems` maps a dotted field name to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        lines = [f"{field}: {msg}" for field, msg in self.problems.items()]
        noun = "setting is" if len(lines) == 1 else f"{len(lines)} settings are"
        super().__init__(f"The {noun} not valid. " + " ".join(lines))


class BundleError(WorkbenchError):
    """A model file that is not a valid Sequence Workbench bundle, or does not fit the data."""


class TrainingError(WorkbenchError):
    """Training could not start or run (not used for a stop or a divergence, which are results)."""


class ProjectError(WorkbenchError):
    """A project file that cannot be opened or saved."""
