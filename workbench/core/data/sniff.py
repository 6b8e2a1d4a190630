"""Decide how a delimited text file is written (encoding, delimiter, number format, header) from its raw bytes."""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass

from workbench.core.errors import DataError

# Cells that mean "no value" in files written by spreadsheets, loggers and databases (compared lower-cased).
# Infinities are here too: a forecast cannot learn from them, so they count as missing.
MISSING_TOKENS = frozenset({
    "", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "-", "--", "?", ".", "missing", "error", "err",
    "#n/a", "#na", "#value!", "#div/0!", "#ref!", "#num!", "#null!", "#name?",
    "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
})

SAMPLE_BYTES = 65536
SNIFF_LINES = 50
# Tried in this order, so a tab or ';' wins over a ',' that only appears inside decimal numbers.
_DELIMITERS = ("\t", ";", "|", ",", " ")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([ ,.])\d{3})(?:\1\d{3})*(?:([.,])\d+)?")
_DECIMAL = re.compile(r"\d*([.,])\d+(?:[eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}|\d{4}-?Q[1-4]|\d{8}T", re.IGNORECASE)


@dataclass(frozen=True)
class ReadOptions:
    delimiter: str | None = None  # None = sniff; " " means any run of spaces
    decimal: str | None = None  # "." or ","; None = detect
    thousands: str | None = None  # "" = none; None = detect
    header: bool | None = None  # None = detect
    encoding: str | None = None  # None = detect
    skip_rows: int = 0
    sheet: str | None = None  # Excel sheet; None = first


def detect_encoding(data: bytes, complete: bool) -> str:
    """UTF-8 (with or without BOM), UTF-16 by BOM, else Latin-1; `complete` says `data` is the whole file."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample may end in the middle of a multi-byte character; that alone is not a reason to give up on UTF-8.
        if complete or exc.start < len(data) - 3:
            return "latin-1"
    return "utf-8"


def sample_lines(data: bytes, encoding: str, n: int) -> list[str]:
    """The first `n` decoded lines of a sample, dropping a last line that a cut sample may have split."""
    lines = data[:SAMPLE_BYTES].decode(encoding, errors="replace").splitlines()
    if len(data) >= SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be partial
    return lines[:n]


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])


def _consistent_fields(lines: list[str], delimiter: str) -> tuple[int, int]:
    """(fields per line, lines before the table) when `delimiter` splits the lines evenly, else (1, 0)."""
    counts = [len(_split(line, delimiter)) for line in lines]
    mode = Counter(counts).most_common(1)[0][0]
    start = counts.index(mode)
    rest = counts[start:]
    if mode < 2 or start > 10 or sum(c == mode for c in rest) < 0.9 * len(rest):
        return 1, 0
    return mode, start


def _sniff_delimiter(lines: list[str]) -> tuple[str, int, bool]:
    """(delimiter, preamble lines to skip, ambiguous)."""
    found = [(d, *_consistent_fields(lines, d)) for d in _DELIMITERS]
    found = [f for f in found if f[1] >= 2]
    if not found:
        # One column: read it with a delimiter that never occurs, so a decimal comma is not split.
        unused = [d for d in _DELIMITERS[:-1] if not any(d in line for line in lines)]
        return (unused[0] if unused else ","), 0, not unused
    delimiter, _, preamble = found[0]
    # ',' and spaces also split decimal commas and date-times evenly, so only a rival tab/';'/'|' is a real doubt.
    rivals = [f for f in found[1:] if f[0] not in (",", " ")]
    return delimiter, preamble, bool(rivals) or preamble > 0


def _number_shape(token: str) -> tuple[str, str] | None:
    """(decimal, thousands) that a number token proves; '?' as decimal means '1,234' / '1.234' could be either."""
    t = token.strip().lstrip("+-")
    m = _GROUPED.fullmatch(t)
    if m:
        group, decimal = m.group(1), m.group(2)
        if decimal:
            return (decimal, group) if decimal != group else None
        if group == " " or t.count(group) > 1:
            return ("" if group == " " else {",": ".", ".": ","}[group]), group
        return "?", group
    m = _DECIMAL.fullmatch(t)
    return (m.group(1), "") if m else None


def _sniff_number_format(tokens: list[str], delimiter: str) -> tuple[str, str, bool]:
    """(decimal, thousands, ambiguous) voted by the shapes of the number tokens."""
    shapes = Counter(s for s in map(_number_shape, tokens) if s)
    decimals = Counter({d: n for (d, _), n in shapes.items() if d in (".", ",")})
    unsure = Counter({g: n for (d, g), n in shapes.items() if d == "?"})
    ambiguous = not decimals and bool(unsure)
    if decimals:
        decimal = decimals.most_common(1)[0][0]
    else:
        # '1,234' alone: files delimited by ';' come from decimal-comma locales, others mostly use ',' for thousands.
        decimal = "," if ambiguous and delimiter == ";" else "."
    thousands = Counter({g: n for (d, g), n in shapes.items() if d != "?" and g})
    thousands.update({g: n for g, n in unsure.items() if g != decimal})
    candidates = [g for g, _ in thousands.most_common() if g != decimal]
    return decimal, (candidates[0] if candidates else ""), ambiguous


def _cell_kind(token: str, decimal: str, thousands: str) -> str:
    t = token.strip()
    if t.lower() in MISSING_TOKENS:
        return "missing"
    number = t.replace(thousands, "") if thousands else t
    if _PLAIN_NUMBER.fullmatch(number.replace(decimal, ".")):
        return "number"
    return "date" if _DATE_LIKE.match(t) else "text"


def sniff_header(rows: list[list[str]], decimal: str, thousands: str) -> tuple[bool, bool]:
    """(header, ambiguous): a text first cell above numbers or dates marks a header line."""
    kinds = [_cell_kind(t, decimal, thousands) for t in rows[0]]
    if any(k in ("number", "date") for k in kinds):
        return False, False
    for i, kind in enumerate(kinds):
        below = {_cell_kind(r[i], decimal, thousands) for r in rows[1:] if i < len(r)}
        if kind == "text" and below & {"number", "date"}:
            return True, False
    return True, True  # all text: probably names, but let the user confirm


def resolve_text_options(data: bytes, options: ReadOptions, complete: bool) -> tuple[ReadOptions, list[str], bool]:
    """(options with every None field detected, notes on the guesses, ambiguous) for a text file's bytes."""
    notes: list[str] = []
    encoding = options.encoding or detect_encoding(data, complete)
    if options.encoding is None and encoding == "latin-1":
        notes.append("The file is not valid UTF-8, so it was read as Latin-1 (Western European); "
                     "if accented letters look wrong, save the file as UTF-8.")
    every = sample_lines(data, encoding, 10**9)
    content = [i for i, line in enumerate(every) if i >= options.skip_rows and line.strip()][:SNIFF_LINES]
    lines = [every[i] for i in content]
    if not lines:
        raise DataError("The file has no lines of data" + (f" after skipping {options.skip_rows} lines." if
                        options.skip_rows else "."), hint="Pick a file with rows of numbers.")
    delimiter, preamble, ambiguous = options.delimiter, 0, False
    if delimiter is None:
        delimiter, preamble, ambiguous = _sniff_delimiter(lines)
    if preamble:
        notes.append(f"Skipped {preamble} line(s) before the table: they do not have as many fields as the rest.")
    rows = [_split(line, delimiter) for line in lines[preamble:]]
    decimal, thousands, unsure = _sniff_number_format([t for r in rows for t in r], delimiter)
    decimal = options.decimal or decimal
    thousands = thousands if options.thousands is None else options.thousands
    header, unsure_header = sniff_header(rows, decimal, thousands)
    if options.header is not None:
        header = options.header
    ambiguous = ambiguous or (unsure and options.decimal is None) or (unsure_header and options.header is None)
    if options.delimiter is None and _maybe_decimal_commas(rows, delimiter):
        notes.append("Each line could also be a single number with a decimal comma (like 1,5); "
                     "check the delimiter in the import dialog.")
        ambiguous = True
    skip_rows = content[preamble] if preamble else options.skip_rows  # blank lines count as lines to skip
    resolved = ReadOptions(delimiter, decimal, thousands, header, encoding, skip_rows, None)
    return resolved, notes, ambiguous


def _maybe_decimal_commas(rows: list[list[str]], delimiter: str) -> bool:
    """'1,5' split on ',' looks like two whole numbers: the file may be one column of decimal commas."""
    return delimiter == "," and all(len(r) == 2 and all(t.strip().lstrip("-").isdigit() for t in r) for r in rows)
