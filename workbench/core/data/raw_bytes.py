"""A file's raw bytes before decoding: binary or text, UTF-16 without a byte-order mark, a few stray NUL bytes.

Shared by the table reader (core/data/sources.py) and the text reader (core/text/source.py), so both treat the
same file the same way (docs/decisions.md, "Hostile files").
"""

from __future__ import annotations

# A few NULs are a glitch (a logger's padding, a bad copy) and are removed like a few invalid UTF-8 bytes; a
# text with more than this share of them is something else.
MAX_NUL_SHARE = 0.01
SMALL_NUL_COUNT = 16  # a short file may hold a few NULs and still be text
# Other control characters (not tab, newline, form feed, carriage return) near the start mark binary data.
MAX_CONTROL_SHARE = 0.05
HEAD_BYTES = 8192
SHOWN_LINES = 5
# UTF-16 text of mostly Latin letters has a NUL as every other byte; the other bytes are almost never NUL.
_UTF16_NUL_SHARE = 0.8
_TEXT_CONTROLS = (9, 10, 12, 13)


def utf16_by_pattern(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when `data` (without a byte-order mark) reads as UTF-16 by its NUL pattern."""
    head = data[:HEAD_BYTES]
    n = len(head) // 2 * 2
    if n < 4:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for encoding, high, low in (("utf-16-le", zero_odd, zero_even), ("utf-16-be", zero_even, zero_odd)):
        if high >= _UTF16_NUL_SHARE and low <= 0.05:
            try:
                head[:n].decode(encoding)
            except UnicodeDecodeError:
                # The head may end inside a surrogate pair; any other error means it is not UTF-16.
                try:
                    head[: n - 2].decode(encoding)
                except UnicodeDecodeError:
                    return None
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    """Too many NULs in the whole file, or too many other control characters near its start, for a text file."""
    if data.count(0) > max(MAX_NUL_SHARE * len(data), SMALL_NUL_COUNT):
        return True
    head = data[:HEAD_BYTES]
    controls = sum(head.count(bytes([b])) for b in range(1, 32) if b not in _TEXT_CONTROLS)
    return controls > MAX_CONTROL_SHARE * len(head)


def remove_nuls(data: bytes) -> tuple[bytes, str]:
    """`data` without its NUL bytes, and a note saying how many there were and on which lines ("" if none)."""
    count = data.count(0)
    if not count:
        return data, ""
    lines: list[int] = []
    line, previous, position = 1, 0, data.find(0)
    while position >= 0 and len(lines) < SHOWN_LINES:
        # Count newlines only since the last NUL, so many NULs on one long line stay cheap.
        line += data.count(b"\n", previous, position)
        previous = position
        if not lines or lines[-1] != line:
            lines.append(line)
        position = data.find(0, position + 1)
    shown = ", ".join(str(n) for n in lines)
    more = " and later" if position >= 0 else ""
    noun = "NUL byte (a zero byte, not text) was" if count == 1 else "NUL bytes (zero bytes, not text) were"
    where = f"line{'s' if len(lines) > 1 or more else ''} {shown}{more}"
    return data.replace(b"\x00", b""), f"{count:,} {noun} removed ({where})."
