"""Read delimited text, Excel and Parquet files into a Table, turning number-like text columns into numbers.

pandas' defaults read many awkward files wrongly without an error, so the options are sniffed and the result
checked here (docs/decisions.md, "Reading tables with pandas").
"""

from __future__ import annotations

import codecs
import importlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from workbench.core.data.sniff import (
    MISSING_TOKENS,
    SAMPLE_BYTES,
    SNIFF_LINES,
    ReadOptions,
    detect_encoding,
    resolve_text_options,
    sample_lines,
    sniff_header,
)
from workbench.core.errors import DataError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".tab")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + PARQUET_SUFFIXES + EXCEL_SUFFIXES

_DELIMITER_NAMES = {"\t": "tab", " ": "spaces"}


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
        data = fh.read(SAMPLE_BYTES)
    _check_text(data, p)
    return resolve_text_options(data, ReadOptions(), complete=len(data) < SAMPLE_BYTES)[0]


def read_raw_lines(path: str | Path, n: int = 30, encoding: str | None = None) -> list[str]:
    """The first `n` decoded lines of a text file (empty for Excel and Parquet), for an import dialog."""
    p = _check_path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        return []
    with open(p, "rb") as fh:
        data = fh.read(SAMPLE_BYTES)
    _check_text(data, p)
    return sample_lines(data, encoding or detect_encoding(data, len(data) < SAMPLE_BYTES), n)


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



def _read_text(p: Path, options: ReadOptions, texts: bool = False) -> Table:
    data = p.read_bytes()
    _check_text(data, p)
    resolved, notes, ambiguous = resolve_text_options(data, options, complete=True)
    frame = _parse_text(p, resolved)
    name = _DELIMITER_NAMES.get(resolved.delimiter, f"'{resolved.delimiter}'")
    how = (f"Read with {name} as delimiter and '{resolved.decimal}' as decimal mark" if frame.shape[1] > 1 else
           f"Read as a single column with '{resolved.decimal}' as decimal mark")
    notes.insert(0, how + (f", '{resolved.thousands}' as thousands separator." if resolved.thousands else "."))
    if not resolved.header:
        notes.append(f"The first line is data, not column names; the columns are named column_1 to "
                     f"column_{frame.shape[1]}.")
    lines = sample_lines(data, resolved.encoding, 10**9)
    content = [i for i, line in enumerate(lines) if i >= resolved.skip_rows and line.strip()]
    data_lines = content[int(resolved.header):]
    if any(b - a > 1 for a, b in zip(data_lines, data_lines[1:])):
        notes.append("Blank lines between rows were skipped; line numbers in messages may be off by a few.")
    frame, clean_notes = _clean(frame, resolved, p, texts)
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


def _clean(frame: pd.DataFrame, o: ReadOptions, p: Path, texts: bool = False) -> tuple[pd.DataFrame, list[str]]:
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
    if frame.shape[1] == 1 and not is_numeric_dtype(frame.iloc[:, 0]) and not texts:
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
    frame, notes = _clean(frame, resolved, p, texts)
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
    rows = [["" if pd.isna(v) else str(v) for v in row] for row in raw.head(SNIFF_LINES).itertuples(index=False)]
    header, ambiguous = sniff_header(rows, ".", "")
    header = header if options.header is None else options.header
    frame = raw.iloc[int(header):].reset_index(drop=True).infer_objects()
    frame.columns = rows[0] if header else [f"column_{i + 1}" for i in range(raw.shape[1])]
    resolved = _binary_options(options, header, sheet)
    frame, notes = _clean(frame, resolved, p, texts)
    frame.attrs["first_line"] = options.skip_rows + 1 + int(header)
    more = f" (the workbook has {len(sheets)} sheets)" if len(sheets) > 1 else ""
    notes.insert(0, f"Read sheet '{sheet}'{more}.")
    ambiguous = (ambiguous and options.header is None) or (len(sheets) > 1 and options.sheet is None)
    return Table(frame, str(p), resolved, notes, ambiguous, ["\t".join(r) for r in rows[:30]])
