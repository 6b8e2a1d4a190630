"""Read a plain-text file for a language model: detect its encoding, repair a few bad bytes, normalise newlines."""

from __future__ import annotations

import codecs
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.data.raw_bytes import looks_binary, remove_nuls, utf16_by_pattern
from workbench.core.errors import DataError

# Files read as text for a language model (the window opens them in its text view; `train` picks --task lm).
TEXT_SUFFIXES = (".txt", ".text", ".md")
# Below this there is nothing to learn, and no room to hold back a validation part at the end.
MIN_CHARACTERS = 200
# A few stray bytes are a typo or a bad copy; more than this means the file is in another encoding.
MAX_INVALID_SHARE = 0.01
# How many line numbers of replaced bytes the note lists.
SHOWN_LINES = 5
RESAVE_HINT = "Open it in a text editor and save it as UTF-8 text."
# surrogateescape turns each byte that is not valid UTF-8 into one lone surrogate in this range.
_ESCAPED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class TextSource:
    """The decoded text of a file, with what was done to it in plain sentences."""

    text: str
    path: str
    encoding: str  # "utf-8", "utf-8-sig" or "utf-16"
    notes: list[str] = field(default_factory=list)


def read_text(path: str | Path) -> TextSource:
    """Read `path` as UTF-8 (with or without a byte-order mark) or UTF-16 (by its byte-order mark, or by the zero
    bytes between Latin letters when it has none); a few stray NUL bytes are removed and counted."""
    path = Path(path)
    data = _read_bytes(path)
    notes: list[str] = []
    by_pattern = None if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else utf16_by_pattern(data)
    if by_pattern or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, text = "utf-16", _decode_utf16(data, path, by_pattern or "utf-16")
        notes.append(f"Read as UTF-16 ({'little' if by_pattern.endswith('le') else 'big'}-endian, found by the zero "
                     "bytes between its letters: it has no byte-order mark)." if by_pattern else
                     "Read as UTF-16 (found by its byte-order mark).")
    else:
        if looks_binary(data):
            raise DataError(
                f"{path.name} looks like a binary file, not text: it contains many NUL or other control bytes.",
                hint="Choose a plain-text file (.txt) saved as UTF-8.",
                path=str(path),
            )
        data, nul_note = remove_nuls(data)
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        text = data.decode(encoding, errors="surrogateescape")
        notes.append("Read as UTF-8 with a byte-order mark." if encoding == "utf-8-sig" else "Read as UTF-8.")
        notes += [nul_note] if nul_note else []
    text, newline_note = _normalise_newlines(text)
    if newline_note:
        notes.append(newline_note)
    if encoding != "utf-16":
        text = _replace_invalid(text, len(data), path, notes)
    _check_length(text, path)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    notes.insert(0, f"{len(text):,} characters on {lines:,} line{'s' if lines != 1 else ''}.")
    return TextSource(text=text, path=str(path), encoding=encoding, notes=notes)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise DataError(
            f"{path} does not exist.", hint="Check the name and folder, then choose the file again.", path=str(path)
        )
    if path.is_dir():
        raise DataError(f"{path} is a folder, not a file.", hint="Choose a plain-text file inside it.", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"{path} could not be read: {exc.strerror or exc}.",
            hint="Check that the file is not locked or protected and try again.",
            path=str(path),
        ) from exc


def _decode_utf16(data: bytes, path: Path, encoding: str = "utf-16") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path.name} starts like UTF-16 text but is broken at byte {exc.start:,}.",
            hint=RESAVE_HINT,
            path=str(path),
        ) from exc


def _normalise_newlines(text: str) -> tuple[str, str]:
    """Windows (CRLF) and old Mac (CR) line ends become "\\n", so the model sees one kind of newline."""
    if "\r" not in text:
        return text, ""
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    lone = text.count("\r")
    text = text.replace("\r", "\n")
    kinds = [f"{crlf:,} Windows (CRLF)" if crlf else "", f"{lone:,} old Mac (CR)" if lone else ""]
    return text, f"{' and '.join(k for k in kinds if k)} line ends were changed to plain newlines."


def _replace_invalid(text: str, n_bytes: int, path: Path, notes: list[str]) -> str:
    """Turn escaped bad bytes into U+FFFD, or refuse when there are too many for a UTF-8 file."""
    positions = [m.start() for m in _ESCAPED.finditer(text)]
    if not positions:
        return text
    if len(positions) > MAX_INVALID_SHARE * n_bytes:
        raise DataError(
            f"{path.name} is not UTF-8 text: {len(positions):,} of its {n_bytes:,} bytes are not valid UTF-8. "
            "It may be in another encoding such as Latin-1, or not text at all.",
            hint=RESAVE_HINT,
            path=str(path),
        )
    lines: list[int] = []
    line, previous = 1, 0
    for position in positions:
        # Count newlines only since the last bad byte, so many bad bytes on one long line stay cheap.
        line += text.count("\n", previous, position)
        previous = position
        if not lines or lines[-1] != line:
            lines.append(line)
        if len(lines) == SHOWN_LINES:
            break
    shown = ", ".join(str(number) for number in lines)
    noun, verb = ("byte was", "was") if len(positions) == 1 else ("bytes were", "were")
    label = "line" if len(lines) == 1 else "lines"
    notes.append(f"{len(positions):,} {noun} not valid UTF-8 and {verb} replaced with U+FFFD ({label} {shown}).")
    return _ESCAPED.sub("\ufffd", text)


def _check_length(text: str, path: Path) -> None:
    if not text:
        raise DataError(f"{path.name} is empty.", hint="Choose a file with some text in it.", path=str(path))
    if not text.strip():
        raise DataError(
            f"{path.name} holds only spaces and blank lines.",
            hint="Choose a file with some text in it.",
            path=str(path),
        )
    if len(text) < MIN_CHARACTERS:
        raise DataError(
            f"{path.name} has {len(text):,} characters; a language model needs at least {MIN_CHARACTERS}.",
            hint="Add more text to the file or choose a longer one.",
            path=str(path),
        )
    distinct = set(text) - set(string.whitespace)
    if len(distinct) == 1:
        (only,) = distinct
        raise DataError(
            f"{path.name} is one character ({only!r}) repeated {text.count(only):,} times: a language model can "
            "learn nothing from it, since every next character is the same.",
            hint="Choose a file with real text in it.",
            path=str(path),
        )
