"""Parsing the JSON a user's file holds, so that every way it can fail is one ValueError with a reason in words.

`json.loads` alone lets three kinds of hostile text through as other exceptions: nesting deeper than the
interpreter's recursion limit (RecursionError), an integer of more than 4,300 digits (a ValueError that is not a
JSONDecodeError) and, below that limit, integers too large to become a float later (OverflowError deep inside the
settings checks). Project files and bundle metadata are read through `parse` instead.
"""

from __future__ import annotations

import json
from typing import Any

# No count, size or setting the workbench writes needs more digits than a 64-bit integer has (20).
MAX_DIGITS = 30


class JsonRefused(ValueError):
    """Text that is not JSON the workbench can use; `reason` says why in words ("it is not valid JSON ...")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(text: str) -> Any:
    """The value of JSON `text`; JsonRefused (a ValueError) for anything that is not usable JSON."""
    try:
        return json.loads(text, parse_int=_whole)
    except JsonRefused:
        raise
    except RecursionError:
        raise JsonRefused("it nests lists or objects deeper than the workbench can read") from None
    except json.JSONDecodeError as error:
        raise JsonRefused(f"it is not valid JSON ({error.msg[0].lower()}{error.msg[1:]} at line {error.lineno}, "
                          f"column {error.colno})") from None
    except ValueError as error:
        raise JsonRefused(f"it is not valid JSON ({error})") from None


def _whole(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise JsonRefused(f"it holds a whole number of {digits:,} digits, more than any value the workbench "
                          f"writes ({MAX_DIGITS} at most)")
    return int(text)
