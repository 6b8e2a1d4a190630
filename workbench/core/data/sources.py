"""Read delimited text, Excel and Parquet files into a Table, detecting how each text file is written."""

from __future__ import annotations

import codecs
import csv
import importlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from workbench.core.errors import DataError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".tab")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + PARQUET_SUFFIXES + EXCEL_SUFFIXES

# Cells that mean "no value" in files written by spreadsheets, loggers and databases (compared lower-cased).
# Infinities are here too: a forecast cannot learn from them, so they count as missing.
MISSING_TOKENS = frozenset({
    "", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "-", "--", "?", ".", "missing", "error", "err",
    "#n/a", "#na", "#value!", "#div/0!", "#ref!", "#num!", "#null!", "#name?",
    "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
})

_SAMPLE_BYTES = 65536
_SNIFF_LINES = 50
# Tried in this order, so a tab or ';' wins over a ',' that only appears inside decimal numbers.
_DELIMITERS = ("\t", ";", "|", ",", " ")
_DELIMITER_NAMES = {"\t": "tab", " ": "spaces"}
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


@dataclass
class Table:
    frame: pd.DataFrame  # numbers are float64 (or int64), text stays text; attrs["first_line"] = file line of row 0
    path: str
    options: ReadOptions  # the options actually used, fully resolved (no None except sheet for text)
    notes: list[str]
    ambiguous: bool  # sniffing had to guess, so the GUI should let the user confirm
    raw_lines: list[str]


def sniff_options(path: str | Path) -> ReadOptions:
    """Detect how a file is written from its first 64 KiB, without reading it all."""
    p = _check_path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        return _binary_options(ReadOptions())
    with open(p, "rb") as fh:
        data = fh.read(_SAMPLE_BYTES)
    _check_text(data, p)
    return _resolve_text_options(data, ReadOptions(), complete=len(data) < _SAMPLE_BYTES)[0]


def read_raw_lines(path: str | Path, n: int = 30, encoding: str | None = None) -> list[str]:
    """The first `n` decoded lines of a text file (empty for Excel and Parquet), for an import dialog."""
    p = _check_path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        return []
    with open(p, "rb") as fh:
        data = fh.read(_SAMPLE_BYTES)
    _check_text(data, p)
    return _sample_lines(data, encoding or _detect_encoding(data, len(data) < _SAMPLE_BYTES), n)


def read_table(path: str | Path, options: ReadOptions | None = None) -> Table:
    """Read a file; option fields left None are detected, and every guess is explained in `notes`."""
    p = _check_path(path)
    options = options or ReadOptions()
    suffix = p.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(p, options)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(p, options)
    return _read_text(p, options)


def _check_path(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise DataError(f"The file {p} does not exist.", hint="Check the path, or pick the file again.", path=str(p))
    if p.is_dir():
        raise DataError(f"{p} is a folder, not a file.", hint="Pick a data file inside it.", path=str(p))
    if p.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DataError(f"Files ending in '{p.suffix or '(no ending)'}' cannot be read: {p.name}.",
                        hint="Use one of: " + ", ".join(SUPPORTED_SUFFIXES) + ".", path=str(p))
    if p.stat().st_size == 0:
        raise DataError(f"The file {p.name} is empty (0 bytes).",
                        hint="Pick a file with a header line and rows of numbers.", path=str(p))
    return p


def _check_text(data: bytes, p: Path) -> None:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    # Spreadsheets and Parquet files saved with a text ending are common; name what they really are.
    for magic, kind, suffix in ((b"PK\x03\x04", "an Excel workbook (or another zip file)", ".xlsx"),
                                (b"PAR1", "a Parquet file", ".parquet")):
        if head.startswith(magic):
            raise DataError(f"The file {p.name} is not text: it looks like {kind}.",
                            hint=f"If it is, rename it to end in {suffix}.", path=str(p))
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > 0.05 * len(head):
        raise DataError(f"The file {p.name} does not look like text: it contains binary data near the start.",
                        hint="Open a CSV or other delimited text file, an Excel workbook or a Parquet file.",
                        path=str(p))


def _detect_encoding(data: bytes, complete: bool) -> str:
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


def _sample_lines(data: bytes, encoding: str, n: int) -> list[str]:
    lines = data[:_SAMPLE_BYTES].decode(encoding, errors="replace").splitlines()
    if len(data) >= _SAMPLE_BYTES and len(lines) > 1:
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


def _sniff_header(rows: list[list[str]], decimal: str, thousands: str) -> tuple[bool, bool]:
    """(header, ambiguous): a text first cell above numbers or dates marks a header line."""
    kinds = [_cell_kind(t, decimal, thousands) for t in rows[0]]
    if any(k in ("number", "date") for k in kinds):
        return False, False
    for i, kind in enumerate(kinds):
        below = {_cell_kind(r[i], decimal, thousands) for r in rows[1:] if i < len(r)}
        if kind == "text" and below & {"number", "date"}:
            return True, False
    return True, True  # all text: probably names, but let the user confirm


def _resolve_text_options(data: bytes, options: ReadOptions, complete: bool) -> tuple[ReadOptions, list[str], bool]:
    notes: list[str] = []
    encoding = options.encoding or _detect_encoding(data, complete)
    if options.encoding is None and encoding == "latin-1":
        notes.append("The file is not valid UTF-8, so it was read as Latin-1 (Western European); "
                     "if accented letters look wrong, save the file as UTF-8.")
    every = _sample_lines(data, encoding, 10**9)
    content = [i for i, line in enumerate(every) if i >= options.skip_rows and line.strip()][:_SNIFF_LINES]
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
    header, unsure_header = _sniff_header(rows, decimal, thousands)
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


def _read_text(p: Path, options: ReadOptions) -> Table:
    data = p.read_bytes()
    _check_text(data, p)
    resolved, notes, ambiguous = _resolve_text_options(data, options, complete=True)
    frame = _parse_text(p, resolved)
    name = _DELIMITER_NAMES.get(resolved.delimiter, f"'{resolved.delimiter}'")
    how = (f"Read with {name} as delimiter and '{resolved.decimal}' as decimal mark" if frame.shape[1] > 1 else
           f"Read as a single column with '{resolved.decimal}' as decimal mark")
    notes.insert(0, how + (f", '{resolved.thousands}' as thousands separator." if resolved.thousands else "."))
    if not resolved.header:
        notes.append(f"The first line is data, not column names; the columns are named column_1 to "
                     f"column_{frame.shape[1]}.")
    lines = _sample_lines(data, resolved.encoding, 10**9)
    content = [i for i, line in enumerate(lines) if i >= resolved.skip_rows and line.strip()]
    data_lines = content[int(resolved.header):]
    if any(b - a > 1 for a, b in zip(data_lines, data_lines[1:])):
        notes.append("Blank lines between rows were skipped; line numbers in messages may be off by a few.")
    frame, clean_notes = _clean(frame, resolved, p)
    # pandas skips blank lines, so row 0 is the first non-blank line after the header
    frame.attrs["first_line"] = content[min(int(resolved.header), len(content) - 1)] + 1
    return Table(frame, str(p), resolved, notes + clean_notes, ambiguous, lines[:30])


def _parse_text(p: Path, o: ReadOptions) -> pd.DataFrame:
    try:
        return pd.read_csv(
            p, sep=r"\s+" if o.delimiter == " " else o.delimiter, decimal=o.decimal, thousands=o.thousands or None,
            header=0 if o.header else None, encoding=o.encoding, skiprows=o.skip_rows, index_col=False,
            keep_default_na=False, na_values=[""], skipinitialspace=True, low_memory=False)
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not found:
            raise DataError(f"{p.name} could not be split into columns: {exc}", path=str(p)) from None
        want, line, saw = (int(g) for g in found.groups())
        raise DataError(f"Line {line} of {p.name} has {saw} fields, but the lines before it have {want}.",
                        hint="Fix that line, or pick another delimiter in the import dialog.",
                        path=str(p), line=line) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"The file {p.name} has no rows of data.", hint="Pick a file with rows of numbers.",
                        path=str(p)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{p.name} could not be read with the chosen options: {exc}",
                        hint="Leave the options empty to detect them, or change them in the import dialog.",
                        path=str(p)) from None


def _clean(frame: pd.DataFrame, o: ReadOptions, p: Path) -> tuple[pd.DataFrame, list[str]]:
    """Name columns, drop empty unnamed ones, and turn mostly-numeric text columns into numbers."""
    notes: list[str] = []
    # pandas names header-less columns 0, 1, ... and blank header cells "Unnamed: 2".
    names = ["" if not o.header or str(c).startswith("Unnamed: ") else str(c).strip() for c in frame.columns]
    empty = [c for c, n in zip(frame.columns, names) if not n and frame[c].isna().all()]
    if empty and frame.shape[1] > len(empty):
        frame = frame.drop(columns=empty)
        names = [n for c, n in zip(frame.columns, names) if c not in empty]
        notes.append(f"Ignored {len(empty)} empty column(s) without a name (often a delimiter at the end of lines).")
    frame.columns = _unique_names(names)
    for name in frame.columns:
        frame[name], note = _to_numbers(frame[name], o)
        if note:
            notes.append(f"Column '{name}': {note}")
    if frame.shape[0] == 0:
        raise DataError(f"{p.name} has column names but no rows of data.", hint="Pick a file with rows of numbers.",
                        path=str(p))
    if frame.shape[1] == 1 and not is_numeric_dtype(frame.iloc[:, 0]):
        first = frame.columns[0] if o.header else frame.iloc[0, 0]
        raise DataError(f"{p.name} has one column and no numbers in it (its first line reads '{str(first)[:40]}').",
                        hint="Pick a table with a numeric column, or set the "
                        "delimiter in the import dialog if the columns are split by something unusual.", path=str(p))
    return frame, notes


def _unique_names(names: list[str]) -> list[str]:
    """Blank names become column_<i>; repeats get a suffix, so every column can be picked by name."""
    out: list[str] = []
    for i, name in enumerate(names):
        base = candidate = name or f"column_{i + 1}"
        k = 2
        while candidate in out:
            candidate, k = f"{base}_{k}", k + 1
        out.append(candidate)
    return out


def _to_numbers(col: pd.Series, o: ReadOptions) -> tuple[pd.Series, str]:
    """A numeric version of a column and a note on cells that became missing, or the column unchanged."""
    if is_bool_dtype(col) or is_datetime64_any_dtype(col):
        return col, ""
    if is_numeric_dtype(col):
        bad = int(np.isinf(col.to_numpy(dtype=float, na_value=np.nan)).sum())
        if not bad:
            return col, ""
        return col.astype(float).where(~col.isin([np.inf, -np.inf])), f"{bad} infinite value(s) read as missing."
    text = col.astype("string").str.strip()
    empty = text.isna() | (text == "")
    # A quick look at ~200 cells spread over the column spares parsing a million dates as numbers.
    spread = text[~empty].iloc[:: max(1, int((~empty).sum()) // 200)]
    if _parse_numbers(spread, o).isna().all():
        return col, ""
    values = _parse_numbers(text.where(~empty), o)
    bad = ~empty & values.isna()
    known = text[bad].str.lower().isin(MISSING_TOKENS).all()
    # Convert only a column that is numbers apart from missing markers or a few stray entries.
    if values.notna().sum() == 0 or not (known or values.notna().sum() >= 0.8 * (~empty).sum()):
        return col, ""
    if not bad.any():
        return values, ""
    examples = ", ".join(f"'{t}'" for t in text[bad].unique()[:3])
    return values, f"{int(bad.sum())} cell(s) held no number ({examples}) and are treated as missing."


def _parse_numbers(text: pd.Series, o: ReadOptions) -> pd.Series:
    """Numbers from text cells using the file's decimal mark and thousands separator; NaN where none (or inf)."""
    number = text.str.replace(o.thousands, "", regex=False) if o.thousands else text
    values = pd.to_numeric(number.str.replace(o.decimal, ".", regex=False), errors="coerce").astype(float)
    return values.where(np.isfinite(values))


def _binary_options(options: ReadOptions, header: bool = True, sheet: str | None = None) -> ReadOptions:
    return ReadOptions("", ".", "", header, "", options.skip_rows, sheet)


def _require(module: str, p: Path) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        raise DataError(f"Reading {p.name} needs the {module} package, which is not installed.",
                        hint=f"Install it with: pip install {module}", path=str(p)) from None


def _read_parquet(p: Path, options: ReadOptions) -> Table:
    _require("pyarrow", p)
    try:
        frame = pd.read_parquet(p)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise DataError(f"{p.name} could not be read as Parquet: {exc}", path=str(p)) from None
    resolved = _binary_options(replace(options, skip_rows=0))
    frame, notes = _clean(frame, resolved, p)
    return Table(frame, str(p), resolved, [f"Read a Parquet table with {frame.shape[1]} columns."] + notes, False, [])


def _read_excel(p: Path, options: ReadOptions) -> Table:
    _require("xlrd" if p.suffix.lower() == ".xls" else "openpyxl", p)
    try:
        with pd.ExcelFile(p) as book:
            sheets = list(book.sheet_names)
            sheet = options.sheet or sheets[0]
            if sheet not in sheets:
                raise DataError(f"{p.name} has no sheet named '{sheet}'. Its sheets are: {', '.join(sheets)}.",
                                hint="Pick one of those sheets.", path=str(p))
            raw = pd.read_excel(book, sheet_name=sheet, header=None, skiprows=options.skip_rows)
    except DataError:
        raise
    except Exception as exc:  # the Excel readers raise many types for a damaged file
        raise DataError(f"{p.name} could not be read as an Excel workbook: {exc}", path=str(p)) from None
    if raw.empty:
        raise DataError(f"Sheet '{sheet}' of {p.name} is empty.", hint="Pick another sheet.", path=str(p))
    rows = [["" if pd.isna(v) else str(v) for v in row] for row in raw.head(_SNIFF_LINES).itertuples(index=False)]
    header, ambiguous = _sniff_header(rows, ".", "")
    header = header if options.header is None else options.header
    frame = raw.iloc[int(header):].reset_index(drop=True).infer_objects()
    frame.columns = rows[0] if header else [f"column_{i + 1}" for i in range(raw.shape[1])]
    resolved = _binary_options(options, header, sheet)
    frame, notes = _clean(frame, resolved, p)
    frame.attrs["first_line"] = options.skip_rows + 1 + int(header)
    more = f" (the workbook has {len(sheets)} sheets)" if len(sheets) > 1 else ""
    notes.insert(0, f"Read sheet '{sheet}'{more}.")
    ambiguous = (ambiguous and options.header is None) or (len(sheets) > 1 and options.sheet is None)
    return Table(frame, str(p), resolved, notes, ambiguous, ["\t".join(r) for r in rows[:30]])
