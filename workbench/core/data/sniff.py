"""Decide how a delimited text file is written (encoding, delimiter, number format, header) from its raw bytes."""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO

from workbench.core.data.raw_bytes import utf16_by_pattern
from workbench.core.errors import DataError

# Cells that mean "no value" in files written by spreadsheets, loggers and databases (compared lower-cased).
# Infinities are here too: a forecast cannot learn from them, so they count as missing.
MISSING_TOKENS = frozenset({
    "", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "-", "--", "?", ".", "missing", "error", "err",
    "#n/a", "#na", "#value!", "#div/0!", "#ref!", "#num!", "#null!", "#name?",
    "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
})

SAMPLE_BYTES = 65536
DELIMITER_NAMES = {"\t": "tab", " ": "spaces"}
SNIFF_LINES = 50
# A wide table (5,000 columns) has lines longer than SAMPLE_BYTES: the sample then grows to this many whole lines,
# so the header is judged against data rows rather than guessed from one line, up to WIDE_SAMPLE_BYTES.
MIN_SAMPLE_LINES = 6
WIDE_SAMPLE_BYTES = 32 * 1024 * 1024
# Tried in this order, so a tab or ';' wins over a ',' that only appears inside decimal numbers.
_DELIMITERS = ("\t", ";", "|", ",", " ")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([ ,.])\d{3})(?:\1\d{3})*(?:([.,])\d+)?")
_DECIMAL = re.compile(r"\d*([.,])\d+(?:[eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}|\d{4}-?Q[1-4]|\d{8}T", re.IGNORECASE)
# Excel's convention: a first line "sep=;" names the delimiter (and is not part of the table).
_SEP_LINE = re.compile(r'"?sep=(.)"?[,;\t| ]*', re.IGNORECASE)
# Where the command line and the window both let the user change how a file is read.
OPTIONS_HINT = "check the delimiter and decimal mark (File > Import Options in the window)"


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
    """UTF-8 (with or without BOM), UTF-16 by BOM or by its NUL pattern, else Latin-1; `complete` says `data` is
    the whole file."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    by_pattern = utf16_by_pattern(data)
    if by_pattern:
        return by_pattern
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample may end in the middle of a multi-byte character; that alone is not a reason to give up on UTF-8.
        if complete or exc.start < len(data) - 3:
            return "latin-1"
    return "utf-8"


def sample_size(data: bytes) -> int:
    """How many bytes of `data` to sniff: SAMPLE_BYTES, or whole lines up to MIN_SAMPLE_LINES when they are longer."""
    if len(data) <= SAMPLE_BYTES or data.count(b"\n", 0, SAMPLE_BYTES) >= MIN_SAMPLE_LINES:
        return min(len(data), SAMPLE_BYTES)
    end = -1
    for _ in range(MIN_SAMPLE_LINES):
        end = data.find(b"\n", end + 1, WIDE_SAMPLE_BYTES)
        if end < 0:
            return min(len(data), WIDE_SAMPLE_BYTES)
    return end + 1


def sample_lines(data: bytes, encoding: str, n: int) -> list[str]:
    """The first `n` decoded lines of a sample, dropping a last line that a cut sample may have split."""
    size = sample_size(data)
    lines = data[:size].decode(encoding, errors="replace").splitlines()
    if len(data) > size and len(lines) > 1 and not data[:size].endswith(b"\n"):
        lines = lines[:-1]  # the last line of a cut sample may be partial
    return lines[:n]


def read_sample(fh: BinaryIO) -> tuple[bytes, bool]:
    """(the head of an open file to sniff, whether that is the whole file): SAMPLE_BYTES, or more for wide lines."""
    data = fh.read(SAMPLE_BYTES)
    while (len(data) < WIDE_SAMPLE_BYTES and data.count(b"\n") < MIN_SAMPLE_LINES
           and (more := fh.read(SAMPLE_BYTES * 4))):
        data += more
    return data, not fh.read(1)


def split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one line: `delimiter` " " splits on any run of spaces, others as CSV (quotes honoured)."""
    if delimiter == " ":
        return line.split()
    return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])


def _consistent_fields(lines: list[str], delimiter: str) -> tuple[int, int]:
    """(fields per line, lines before the table) when `delimiter` splits the lines evenly, else (1, 0)."""
    fields = [split_line(line, delimiter) for line in lines]
    counts = [len(f) for f in fields]
    mode = Counter(counts).most_common(1)[0][0]
    start = counts.index(mode)
    rest = counts[start:]
    # A header without the delimiter that ends every data line ("a,b" above "1,2,") is the header, not a preamble.
    if start > 0 and counts[start - 1] == mode - 1 and all(not f[-1].strip() for f in fields[start:] if len(f) == mode):
        start -= 1
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


def sniff_header(rows: list[list[str]], decimal: str, thousands: str) -> tuple[bool, bool, str]:
    """(header, ambiguous, note): a text first cell above numbers or dates marks a header line, and so does a
    first line of numbers that name columns (see `numeric_header`); the note says why such a line is names."""
    kinds = [_cell_kind(t, decimal, thousands) for t in rows[0]]
    if any(k in ("number", "date") for k in kinds):
        note, sure = numeric_header(rows, decimal, thousands)
        return bool(note), bool(note) and not sure, note
    for i, kind in enumerate(kinds):
        below = {_cell_kind(r[i], decimal, thousands) for r in rows[1:] if i < len(r)}
        if kind == "text" and below & {"number", "date"}:
            return True, False, ""
    return True, True, ""  # all text: probably names, but let the user confirm


def _number(token: str, decimal: str, thousands: str) -> float | None:
    t = token.strip()
    t = t.replace(thousands, "") if thousands else t
    t = t.replace(decimal, ".")
    return float(t) if _PLAIN_NUMBER.fullmatch(t) else None


def numeric_header(rows: list[list[str]], decimal: str, thousands: str) -> tuple[str, bool]:
    """(note, sure) when a first line of numbers names the columns rather than holding data, else ("", False).

    Column names made of numbers are distinct whole numbers unlike the values below them: years above
    measurements, or 0, 1, 2 above decimals. A blank first cell above a column that fills every row is how
    pandas and R save a table with its row index, and settles it."""
    first = rows[0]
    if len(first) < 2:
        return "", False
    below = [r for r in rows[1:] if len(r) == len(first)]
    corner = not first[0].strip()
    cells = first[1:] if corner else first
    names = [_number(t, decimal, thousands) for t in cells]
    if not below or any(v is None or not v.is_integer() for v in names) \
            or len(set(names)) < len(names):
        return "", False
    shown = ", ".join(t.strip() for t in cells[:3]) + (", ..." if len(cells) > 3 else "")
    start = f"The first line holds numbers ({shown}), but they were read as column names: "
    if corner and all(r[0].strip() for r in below):
        return start + "its first cell is blank above a column that fills every row, the way a table is " \
            "saved with its row index.", True
    offset = int(corner)
    columns = [[_number(r[j + offset], decimal, thousands) for r in below] for j in range(len(names))]
    columns = [[v for v in c if v is not None] for c in columns]
    if not all(columns):
        return "", False
    fractions = all(any(not v.is_integer() for v in c) for c in columns)
    outside = all(not min(c) <= v <= max(c) for v, c in zip(names, columns))
    steps = {b - a for a, b in zip(names, names[1:])}
    counting = steps == {1} and (names[0] in (0, 1) or 1000 <= names[0] <= 2200)  # labels 0, 1, ... or years
    # Rows below that count up the same way mean the first line is just the first of them.
    counting_rows = sum(_counts_up([_number(t, decimal, thousands) for t in r[offset:]]) for r in below)
    if counting and len(names) >= 3 and counting_rows < 0.5 * len(below) and (fractions or outside):
        return start + "they count up like column labels (years, or 0, 1, 2, ...), unlike the rows below.", False
    if fractions and outside and len(names) >= 2:
        return start + "they are whole numbers far from the values with decimals below them.", False
    return "", False


def _counts_up(values: list[float | None]) -> bool:
    return all(v is not None for v in values) and len({b - a for a, b in zip(values, values[1:])}) == 1


def sep_line(line: str) -> str | None:
    """The delimiter a first line such as "sep=;" names (Excel's convention), or None."""
    found = _SEP_LINE.fullmatch(line.strip("\r\n"))
    return found.group(1) if found else None


def resolve_text_options(data: bytes, options: ReadOptions, complete: bool) -> tuple[ReadOptions, list[str], bool]:
    """(options with every None field detected, notes on the guesses, ambiguous) for a text file's bytes."""
    notes: list[str] = []
    encoding = options.encoding or detect_encoding(data, complete)
    if options.encoding is None and encoding == "latin-1":
        notes.append("The file is not valid UTF-8, so it was read as Latin-1 (Western European); "
                     "if accented letters look wrong, save the file as UTF-8.")
    if options.encoding is None and encoding in ("utf-16-le", "utf-16-be"):
        order = "little" if encoding.endswith("le") else "big"
        notes.append(f"The file has no byte-order mark, but every other byte is zero: it was read as UTF-16 "
                     f"({order}-endian).")
    every = sample_lines(data, encoding, 10**9)
    skip_rows, named = options.skip_rows, None
    if every and skip_rows <= 1 and (named := sep_line(every[0].lstrip("\ufeff"))) is not None:
        skip_rows = 1
        if options.delimiter is None:
            shown = DELIMITER_NAMES.get(named, f"'{named}'")
            notes.append(f"The first line, '{every[0].strip()}', names {shown} as the delimiter (a spreadsheet "
                         "convention); it was used, and the line skipped.")
    content = [i for i, line in enumerate(every) if i >= skip_rows and line.strip()][:SNIFF_LINES]
    lines = [every[i] for i in content]
    if not lines:
        raise DataError("The file has no lines of data" + (f" after skipping {skip_rows} lines." if
                        skip_rows else "."), hint="Pick a file with rows of numbers.")
    delimiter, preamble, ambiguous = options.delimiter, 0, False
    if delimiter is None and named is not None:
        delimiter = named
    elif delimiter is None:
        delimiter, preamble, ambiguous = _sniff_delimiter(lines)
    if preamble:
        notes.append(f"Skipped {preamble} line(s) before the table: they do not have as many fields as the rest.")
    rows = [split_line(line, delimiter) for line in lines[preamble:]]
    decimal, thousands, unsure = _sniff_number_format([t for r in rows for t in r], delimiter)
    decimal = options.decimal or decimal
    thousands = thousands if options.thousands is None else options.thousands
    header, unsure_header, header_note = sniff_header(rows, decimal, thousands)
    if options.header is not None:
        header = options.header
    elif header_note:
        notes.append(header_note)
    ambiguous = ambiguous or (unsure and options.decimal is None) or (unsure_header and options.header is None)
    if options.delimiter is None and named is None and _maybe_decimal_commas(rows, delimiter):
        notes.append("Each line could also be a single number with a decimal comma (like 1,5); "
                     f"{OPTIONS_HINT}.")
        ambiguous = True
    skip_rows = content[preamble] if preamble else skip_rows  # blank lines count as lines to skip
    resolved = ReadOptions(delimiter, decimal, thousands, header, encoding, skip_rows, None)
    return resolved, notes, ambiguous


def _maybe_decimal_commas(rows: list[list[str]], delimiter: str) -> bool:
    """'1,5' split on ',' looks like two whole numbers: the file may be one column of decimal commas."""
    return delimiter == "," and all(len(r) == 2 and all(t.strip().lstrip("-").isdigit() for t in r) for r in rows)
