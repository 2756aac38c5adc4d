"""What every listing command prints: a table fitted to the terminal, JSON Lines or CSV.

A table has a header row, one line per row (white space in a cell becomes one
space), and fits the terminal's width: the widest flexible column (a title) gives
way first, and cut text ends with an ellipsis. Every cell, in every format, is
printable text (see `nkwatch.printable`).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size

from nkwatch.printable import one_line, printable

FORMATS = ("table", "jsonl", "csv")
GAP = "  "
ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    """One column: the row key it shows, its header, and how it behaves when space is short."""

    key: str
    header: str
    right: bool = False  # numbers align right
    grow: bool = False  # a title: takes the room left and gives way first
    least: int = 6  # it never gets narrower than this


def terminal_width() -> int:
    """The terminal's width (COLUMNS when set); 120 when the output is not a terminal."""
    return shutil.get_terminal_size(fallback=(120, 24)).columns


def cell_text(value: object) -> str:
    if value is None or value == "" or value == ():
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(one_line(str(v)) for v in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return one_line(str(value))


def fit(text: str, width: int) -> str:
    """The text cut to `width` terminal cells, with an ellipsis when something was cut."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def widths(columns: Sequence[Column], cells: list[list[str]], room: int) -> list[int]:
    """Each column as wide as its widest cell, then narrowed until the line fits `room`."""
    want = [
        max([cell_len(c.header), *(cell_len(row[i]) for row in cells)])
        for i, c in enumerate(columns)
    ]
    room -= len(GAP) * (len(columns) - 1)
    over = sum(want) - room
    order = sorted(range(len(columns)), key=lambda i: (not columns[i].grow, -want[i]))
    floors = (  # each column's floor, then its header's width, then three cells
        lambda c: max(c.least, cell_len(c.header)),
        lambda c: cell_len(c.header),
        lambda c: 3,
    )
    for floor_of in floors:
        for i in order:  # flexible columns first, then the widest
            if over <= 0:
                return want
            give = min(over, max(0, want[i] - floor_of(columns[i])))
            want[i] -= give
            over -= give
    return want


def table_lines(
    columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], width: int | None = None
) -> Iterator[str]:
    """The header and one line per row, fitted to `width` (the terminal's by default)."""
    cells = [[cell_text(row.get(c.key)) for c in columns] for row in rows]
    sizes = widths(columns, cells, width or terminal_width())
    last = len(columns) - 1
    for line in [[c.header for c in columns], *cells]:
        parts = []
        for i, (column, text, size) in enumerate(zip(columns, line, sizes, strict=True)):
            text = fit(text, size)
            pad = " " * (size - cell_len(text))
            parts.append(pad + text if column.right else text + ("" if i == last else pad))
        yield GAP.join(parts).rstrip()


def clean(value: Any) -> Any:
    """A record with every string in it printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def jsonl_line(record: Mapping[str, Any]) -> str:
    return json.dumps(clean(record), ensure_ascii=False, default=str)


def csv_lines(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A header of the columns' keys, then one line per row; lists joined with '; '."""

    def value(v: object) -> object:
        if isinstance(v, list | tuple):
            return "; ".join(printable(str(x)) for x in v)
        return printable(v) if isinstance(v, str) else ("" if v is None else v)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    yield buffer.getvalue().rstrip("\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([value(row.get(c.key)) for c in columns])
        yield buffer.getvalue().rstrip("\n")


def render(
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    records: Iterable[Mapping[str, Any]] | None = None,
) -> Iterator[str]:
    """The rows in a format: a table, CSV of the columns, or JSON Lines of `records` (the
    command's full records where it has them, else the rows)."""
    if fmt == "jsonl":
        yield from (jsonl_line(r) for r in (records if records is not None else rows))
    elif fmt == "csv":
        yield from csv_lines(columns, rows)
    elif rows := list(rows):  # no rows, no header: the command says "no ... match"
        yield from table_lines(columns, rows)


def grade_legend(grades: Iterable[str]) -> str | None:
    """One line saying what the grades shown mean: 'C3 = fairly reliable source, possibly true'."""
    from nkwatch.model import Credibility, Reliability

    meanings = []
    for grade in sorted(set(g for g in grades if g and len(g) == 2)):
        try:
            source, info = Reliability(grade[0]), Credibility(int(grade[1]))
        except ValueError:
            continue
        said = f"{source.meaning} source" if source is not Reliability.F else "source unrated"
        meanings.append(f"{grade} = {said}, {info.meaning}")
    return "grades: " + "; ".join(meanings) if meanings else None
