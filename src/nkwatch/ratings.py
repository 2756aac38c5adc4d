"""ratings: how far each outlet can be trusted, Admiralty style, with the reason.

The grades ship as package data (`data/outlets.tsv`: reliability A-F and a
reason per outlet or institute). A user who rates sources differently points
NKWATCH_OUTLETS (or `--outlets`) at a table with the same columns: its rows
replace the shipped rows with the same id and add the others.
"""

from __future__ import annotations

import os
from pathlib import Path

from nkwatch.errors import MalformedInput
from nkwatch.model import Rating, Reliability
from nkwatch.names import Keys
from nkwatch.pkgdata import data_lines, parse_table, read_table

UNRATED = Reliability.F
GRADES = frozenset(r.value for r in Reliability)


class Ratings:
    def __init__(self, rows: list[dict[str, str]]):
        self.key_of = Keys(1 << 12).key_of  # an ingest rates the same few outlets again and again
        self.by_key: dict[str, Rating] = {}
        self.rows: list[Rating] = []
        for row in rows:
            grade = (row.get("reliability") or UNRATED).upper()
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            rating = Rating(
                row["name"],
                Reliability(grade) if grade in GRADES else UNRATED,
                row.get("reason") or "no reason given",
                row.get("kind", ""),
                row.get("country", ""),
                aliases,
            )
            self.rows.append(rating)
            for name in (row["name"], *aliases):
                self.by_key[self.key_of(name)] = rating

    @classmethod
    def load(cls, override: str | Path | None = None) -> Ratings:
        rows = {row["id"]: row for row in read_table("outlets.tsv")}
        path = override or os.environ.get("NKWATCH_OUTLETS")
        if path:
            for row in read_override(Path(path)):
                rows[row["id"]] = {**rows.get(row["id"], {}), **row}
        return cls(list(rows.values()))

    def rate(self, name: str) -> Rating:
        """The rating of an outlet by any of its names; unknown outlets are F, with that reason."""
        found = self.by_key.get(self.key_of(name))
        if found:
            return found
        return Rating(name, UNRATED, "not in the outlet table; rate it there to grade it")

    def table(self) -> list[Rating]:
        """Every rated outlet once, the most reliable first, then by name."""
        unique = dict.fromkeys(self.rate(r.name) for r in self.by_key.values())
        return sorted(unique, key=lambda r: (r.grade.value, r.name.casefold()))

    def canonical(self, name: str) -> str:
        """The one name an outlet is shown under, whichever of its names is given."""
        found = self.by_key.get(self.key_of(name))
        return found.name if found else name

    def names(self, name: str) -> tuple[str, ...]:
        """Every name of the outlet a name denotes (its own name first); the name alone when
        the outlet is not in the table."""
        found = self.by_key.get(self.key_of(name))
        return (found.name, *found.aliases) if found else (name,)


def read_override(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MalformedInput(
            f"cannot read the outlet table {path} ({exc.strerror}); fix NKWATCH_OUTLETS or --outlets"
        ) from exc
    rows = parse_table(data_lines(text))
    if not rows or not {"id", "name", "reliability"} <= set(rows[0]):
        raise MalformedInput(
            f"{path} is not an outlet table: it needs tab-separated columns id, name, reliability"
            " (and optionally aliases, kind, country, reason)"
        )
    for n, row in enumerate(rows, start=2):
        grade = row.get("reliability", "").upper()
        if grade not in GRADES:
            raise MalformedInput(f"{path}, row {n}: reliability {grade!r} is not one of A-F")
    return rows
