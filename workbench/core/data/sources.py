"""Read delimited text, Excel and Parquet files into a Table, turning number-like text columns into numbers.

pandas' defaults read many awkward files wrongly without an error, so the options are sniffed and the result
checked here (docs/decisions.md, "Reading tables with pandas").
"""

from __future__ import annotations

import codecs
import importlib
import io
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.data.cleaning import clean_frame
from workbench.core.data.raw_bytes import looks_binary, remove_nuls, utf16_by_pattern
from workbench.core.data.sniff import (
    DELIMITER_NAMES,
    OPTIONS_HINT,
    SNIFF_LINES,
    ReadOptions,
    detect_encoding,
    read_sample,
    resolve_text_options,
    sample_lines,
    sniff_header,
    split_line,
)
from workbench.core.errors import DataError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".tab")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + PARQUET_SUFFIXES + EXCEL_SUFFIXES



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
        head, whole = read_sample(fh)
    return resolve_text_options(_text_bytes(head, p)[0], ReadOptions(), complete=whole)[0]


def read_raw_lines(path: str | Path, n: int = 30, encoding: str | None = None) -> list[str]:
    """The first `n` decoded lines of a text file (empty for Excel and Parquet), for an import dialog."""
    p = _check_path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        return []
    with open(p, "rb") as fh:
        head, whole = read_sample(fh)
    data = _text_bytes(head, p)[0]
    return sample_lines(data, encoding or detect_encoding(data, whole), n)


def read_table(path: str | Path, options: ReadOptions | None = None, texts: bool = False) -> Table:
    """Read a file; option fields left None are detected, and every guess is explained in `notes`.

    A single column without numbers is refused (usually a delimiter the sniffer missed) unless `texts` says a
    column of texts is what the caller wants (texts to classify)."""
    p = _check_path(path)
    options = options or ReadOptions()
    suffix = p.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(p, options, texts)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(p, options, texts)
    return _read_text(p, options, texts)


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


def _text_bytes(data: bytes, p: Path) -> tuple[bytes, list[str]]:
    """The bytes to decode, and a note on what was removed: a few stray NUL bytes are, like a few bad UTF-8 bytes
    in a text; binary files (named when they are spreadsheets or Parquet saved as text) are refused."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_by_pattern(head):
        return data, []
    # Spreadsheets and Parquet files saved with a text ending are common; name what they really are.
    for magic, kind, suffix in ((b"PK\x03\x04", "an Excel workbook (or another zip file)", ".xlsx"),
                                (b"PAR1", "a Parquet file", ".parquet")):
        if head.startswith(magic):
            raise DataError(f"The file {p.name} is not text: it looks like {kind}.",
                            hint=f"If it is, rename it to end in {suffix}.", path=str(p))
    if looks_binary(data):
        raise DataError(f"The file {p.name} does not look like text: it contains binary data near the start.",
                        hint="Open a CSV or other delimited text file, an Excel workbook or a Parquet file.",
                        path=str(p))
    data, note = remove_nuls(data)
    return data, [note] if note else []


def _read_text(p: Path, options: ReadOptions, texts: bool = False) -> Table:
    data, notes = _text_bytes(p.read_bytes(), p)
    resolved, sniffed, ambiguous = resolve_text_options(data, options, complete=True)
    notes += sniffed
    frame = _parse_text(data, p, resolved)
    lines = sample_lines(data, resolved.encoding, 10**9)
    content = [i for i, line in enumerate(lines) if i >= resolved.skip_rows and line.strip()]
    names = None
    if resolved.header and content:
        # pandas renames a repeated name "x.1", which could clash with a real column; the line itself says more.
        names = [name.strip() for name in split_line(lines[content[0]], resolved.delimiter)]
    frame, clean_notes = clean_frame(frame, resolved, p, texts, names)
    name = DELIMITER_NAMES.get(resolved.delimiter, f"'{resolved.delimiter}'")
    how = (f"Read with {name} as delimiter and '{resolved.decimal}' as decimal mark" if frame.shape[1] > 1 else
           f"Read as a single column with '{resolved.decimal}' as decimal mark")
    notes.insert(0, how + (f", '{resolved.thousands}' as thousands separator." if resolved.thousands else "."))
    if not resolved.header:
        notes.append("The first line is data, not column names; " + (
            f"the columns are named column_1 to column_{frame.shape[1]}." if frame.shape[1] > 1 else
            "the column is named column_1."))
    data_lines = content[int(resolved.header):]
    if any(b - a > 1 for a, b in zip(data_lines, data_lines[1:])):
        notes.append("Blank lines between rows were skipped; line numbers in messages may be off by a few.")
    # pandas skips blank lines, so row 0 is the first non-blank line after the header
    frame.attrs["first_line"] = content[min(int(resolved.header), len(content) - 1)] + 1 if content else 1
    return Table(frame, str(p), resolved, notes + clean_notes, ambiguous, lines[:30])


def _parse_text(data: bytes, p: Path, o: ReadOptions) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            # pandas only warns when lines have more fields than the header, and drops the extra values.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.BytesIO(data), sep=r"\s+" if o.delimiter == " " else o.delimiter, decimal=o.decimal,
                thousands=o.thousands or None, header=0 if o.header else None, encoding=o.encoding,
                skiprows=o.skip_rows, index_col=False, keep_default_na=False, na_values=[""],
                skipinitialspace=True, low_memory=False)
    except pd.errors.ParserWarning:
        raise DataError(f"Some lines of {p.name} have more fields than its line of column names, so their last "
                        "values would be lost.", hint="Fix those lines, or pick another delimiter (File > Import "
                        "Options in the window).", path=str(p)) from None
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not found:
            raise DataError(f"{p.name} could not be split into columns: {exc}",
                            hint=f"Fix the file, or {OPTIONS_HINT}.", path=str(p)) from None
        want, line, saw = (int(g) for g in found.groups())
        raise DataError(f"Line {line} of {p.name} has {saw} fields, but the lines before it have {want}.",
                        hint="Fix that line, or pick another delimiter (File > Import Options in the window).",
                        path=str(p), line=line) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"The file {p.name} has no rows of data.", hint="Pick a file with rows of numbers.",
                        path=str(p)) from None
    except (UnicodeError, ValueError, OverflowError, MemoryError) as exc:
        raise DataError(f"{p.name} could not be read with the chosen options: {exc}",
                        hint="Leave the options empty to detect them, or change them (File > Import Options in "
                        "the window).", path=str(p)) from None


def _cell_text(value: object) -> str:
    """A spreadsheet cell as it reads: blank for empty, 1990 (not 1990.0) for a whole number."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _binary_options(options: ReadOptions, header: bool = True, sheet: str | None = None) -> ReadOptions:
    return ReadOptions("", ".", "", header, "", options.skip_rows, sheet)


def _require(module: str, p: Path) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        package = module.replace("_", "-")
        raise DataError(f"Reading {p.name} needs the {package} package, which is not installed.",
                        hint=f"Install it with: pip install {package}", path=str(p)) from None


def _read_parquet(p: Path, options: ReadOptions, texts: bool = False) -> Table:
    _require("pyarrow", p)
    try:
        frame = pd.read_parquet(p)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise DataError(f"{p.name} could not be read as Parquet: {exc}", path=str(p)) from None
    resolved = _binary_options(replace(options, skip_rows=0))
    frame, notes = clean_frame(frame, resolved, p, texts)
    return Table(frame, str(p), resolved, [f"Read a Parquet table with {frame.shape[1]} columns."] + notes, False, [])


def _read_excel(p: Path, options: ReadOptions, texts: bool = False) -> Table:
    # calamine reads .xlsx, .xlsm and .xls alike, fast; pandas 3 deprecates its xlrd reader and is making
    # calamine its default for .xlsx too.
    _require("python_calamine", p)
    try:
        with pd.ExcelFile(p, engine="calamine") as book:
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
    rows = [[_cell_text(v) for v in row] for row in raw.head(SNIFF_LINES).itertuples(index=False)]
    header, ambiguous, header_note = sniff_header(rows, ".", "")
    header = header if options.header is None else options.header
    frame = raw.iloc[int(header):].reset_index(drop=True).infer_objects()
    resolved = _binary_options(options, header, sheet)
    frame, notes = clean_frame(frame, resolved, p, texts, [c.strip() for c in rows[0]] if header else None)
    if header_note and options.header is None:
        notes.insert(0, header_note)
    frame.attrs["first_line"] = options.skip_rows + 1 + int(header)
    more = f" (the workbook has {len(sheets)} sheets)" if len(sheets) > 1 else ""
    notes.insert(0, f"Read sheet '{sheet}'{more}.")
    ambiguous = (ambiguous and options.header is None) or (len(sheets) > 1 and options.sheet is None)
    return Table(frame, str(p), resolved, notes, ambiguous, ["\t".join(r) for r in rows[:30]])
