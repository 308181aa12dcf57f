"""Long-format rows to and from CSV and XLSX files, within limits.

Reading refuses, before parsing anything: files over ``MAX_FILE_BYTES``; for
XLSX, archives whose declared uncompressed size exceeds ``XLSX_MAX_EXPANDED``,
members that expand absurdly (zip bombs) and XML parts that declare a DOCTYPE
or entities. ``zipfile`` never inflates a member past its declared size, so the
budget holds for openpyxl's own reading too. Every refusal is an ImportProblems.

Writing neutralises spreadsheet formula injection: a cell that would start with
``= + - @``, a tab or a carriage return, after any single quotes, gets one more
leading ``'``. Reading removes one leading ``'`` from a cell that starts with
one or more quotes followed by one of those characters. Both rules look through
the same quotes, so every value survives a write and a read exactly; the quote
is removed before the ``duty`` column is read, so a bullet list written as
``'- first`` reads back as ``- first``.

XLSX cannot hold a carriage return (XML reads it as a line feed); stored duty
text never has one (``clean_markdown`` turns CRLF into LF), CSV keeps it.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from matrices.exchange.longformat import COLUMNS, ParsedMatrix, parse_rows
from matrices.exchange.problems import ProblemList

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
XLSX_MAX_EXPANDED = 50 * 1024 * 1024
XLSX_MAX_MEMBERS = 1_000
# Worksheet XML compresses well, but not a thousandfold; only large members count.
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 1024 * 1024

FORMULA_STARTS = frozenset("=+-@\t\r")

Row = tuple[int, dict[str, str]]


def neutralise(value: str) -> str:
    """The value as written to a file: never read as a formula by a spreadsheet."""
    if value.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """The value as written to a workbook: ``neutralise``d, without the control characters
    (below U+0020 but tab and line ends) that XML, so XLSX, cannot hold."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def unneutralise(value: str) -> str:
    """Undo ``neutralise``: exactly one quote goes from a neutralised value."""
    rest = value.lstrip("'")
    if len(rest) < len(value) and rest[:1] in FORMULA_STARTS:
        return value[1:]
    return value


# --- writing -----------------------------------------------------------------


def write_csv(rows: Iterable[dict[str, str]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel recognises the encoding) and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(row[column]) for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[dict[str, str]]) -> bytes:
    """A workbook with one sheet, "Matrix", holding the header and the rows as text."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Matrix")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([xlsx_text(row[column]) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------


def read_csv(data: bytes, *, filename: str) -> list[Row]:
    """Numbered rows of a UTF-8 CSV file (BOM optional), header checked."""
    problems = ProblemList(filename)
    _check_size(data, problems)
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as error:
        row, column = _csv_locate(data[offset : offset + error.start].decode("utf-8"))
        problems.refuse(
            row,
            column,
            f"the file is not UTF-8 text (byte 0x{data[offset + error.start]:02x} at offset "
            f"{offset + error.start}); save it as CSV UTF-8",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    return _rows_read(_csv_records(reader, problems), problems)


def _csv_records(reader: Iterator[list[str]], problems: ProblemList) -> Iterator[list[str]]:
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.refuse(number, None, f"is not valid CSV ({error})")
        yield record


def _csv_locate(prefix: str) -> tuple[int | None, str | None]:
    """Row and column of the character that would follow ``prefix`` in a CSV file."""
    try:
        # A sentinel character joins whichever record and field the next byte is in.
        records = list(csv.reader(io.StringIO(prefix + "x", newline="")))
    except csv.Error:
        return None, None
    index = len(records[-1]) - 1
    return len(records), COLUMNS[index] if index < len(COLUMNS) else None


def read_upload(filename: str, data: bytes) -> list[Row]:
    """The rows of an uploaded file: XLSX by its name's extension, CSV otherwise."""
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(data, filename=filename)
    return read_csv(data, filename=filename)


def read_matrix(filename: str, data: bytes) -> ParsedMatrix:
    """The matrix in an uploaded long-format file; raises ImportProblems saying what is wrong."""
    return parse_rows(read_upload(filename, data), source=filename)


def read_xlsx(data: bytes, *, filename: str) -> list[Row]:
    """Numbered rows of the first sheet of an XLSX workbook, header checked."""
    problems = ProblemList(filename)
    _check_size(data, problems)
    _check_archive(data, problems)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        problems.refuse(None, None, f"cannot be read as an XLSX workbook ({error})")
    try:
        sheet = workbook.worksheets[0]
        records = (
            ["" if value is None else str(value) for value in values]
            for values in sheet.iter_rows(min_row=1, values_only=True)
        )
        return _rows_read(records, problems)
    finally:
        workbook.close()


def _check_archive(data: bytes, problems: ProblemList) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        problems.refuse(None, None, "is not an XLSX workbook (it is not a zip archive)")
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            problems.refuse(
                None, None, f"has {len(members):,} parts; at most {XLSX_MAX_MEMBERS:,} are accepted"
            )
        expanded = sum(member.file_size for member in members)
        if expanded > XLSX_MAX_EXPANDED:
            problems.refuse(
                None,
                None,
                f"would expand to {expanded:,} bytes; at most {XLSX_MAX_EXPANDED:,} "
                "are accepted (a zip bomb?)",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
                problems.refuse(
                    None,
                    None,
                    f"part '{member.filename}' would expand {ratio:,.0f} times; "
                    f"at most {XLSX_MAX_RATIO} times is accepted (a zip bomb?)",
                )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _check_xml_part(archive, member, problems)


def _check_xml_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, problems: ProblemList):
    """Refuse a part declaring a DOCTYPE or entities (billion laughs, external entities)."""
    try:
        with archive.open(member) as stream:
            # A DOCTYPE can only come before the root element: its start ends the check.
            for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                break
    except DefusedXmlException:
        problems.refuse(
            None,
            None,
            f"part '{member.filename}' declares a DOCTYPE or entities; "
            "workbooks with XML declarations are refused",
        )
    except ParseError as error:
        problems.refuse(None, None, f"part '{member.filename}' is not well-formed XML ({error})")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as error:
        problems.refuse(None, None, f"part '{member.filename}' cannot be read ({error})")


def _check_size(data: bytes, problems: ProblemList) -> None:
    if len(data) > MAX_FILE_BYTES:
        problems.refuse(
            None,
            None,
            f"the file is {len(data):,} bytes; at most {MAX_FILE_BYTES:,} (5 MB) are accepted",
        )


def _rows_read(records: Iterator[list[str]], problems: ProblemList) -> list[Row]:
    """Check the header, then number, un-neutralise and size-check the data rows."""
    header = next(records, None)
    if header is None:
        problems.refuse(None, None, f"the file is empty; the first row must be {','.join(COLUMNS)}")
    _check_header(header, problems)
    rows: list[Row] = []
    for number, record in enumerate(records, start=2):
        values = [unneutralise(value) for value in record]
        if not any(value.strip() for value in values):
            continue  # Spreadsheets leave blank rows about; they say nothing.
        if len(rows) == MAX_ROWS:
            problems.refuse(
                None,
                None,
                f"the file has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} are accepted",
            )
        while len(values) > len(COLUMNS) and not values[-1]:
            values.pop()
        if len(values) != len(COLUMNS):
            problems.add(
                number, None, f"has {len(values)} values; the header has {len(COLUMNS)} columns"
            )
            continue
        rows.append((number, dict(zip(COLUMNS, values, strict=True))))
    problems.raise_if_any()
    return rows


def _check_header(header: list[str], problems: ProblemList) -> None:
    names = [name.strip() for name in header]
    while names and not names[-1]:
        names.pop()
    if names == list(COLUMNS):
        return
    missing = [column for column in COLUMNS if column not in names]
    extra = [name or "(blank)" for name in names if name not in COLUMNS]
    twice = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if missing:
        problems.add(1, None, f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.add(1, None, f"unexpected column(s): {', '.join(extra)}")
    if twice:
        problems.add(1, None, f"column(s) given more than once: {', '.join(twice)}")
    if not (missing or extra or twice):
        problems.add(1, None, f"the columns must come in this order: {','.join(COLUMNS)}")
    problems.raise_if_any()
