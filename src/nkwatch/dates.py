"""Dates written out in reporting: whole date lines, and dates inside sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|"
    r"June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
    r"Dec(?:ember|\.)?)"
)
_WEEKDAY = (
    r"(?:(?P<weekday>(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?),?\s+)?"
)
_PREFIX = r"(?:(?:Posted|Published|Updated|Date)(?:\s+on)?:?\s+)?"
_SUFFIX = r"(?:\s+(?:by|By)\s+(?P<byline>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}))?"
_ORD = r"(?:st|nd|rd|th)?"

DATE_LINE_SHAPES = {
    "mdy": re.compile(
        rf"^{_PREFIX}{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD},?\s+(?P<year>\d{{4}}){_SUFFIX}$"
    ),
    "dmy": re.compile(
        rf"^{_PREFIX}{_WEEKDAY}(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}}){_SUFFIX}$"
    ),
    "ymd": re.compile(
        rf"^{_PREFIX}(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_SUFFIX}$"
    ),
}


@dataclass(frozen=True)
class DateLine:
    """A line that is nothing but a date (perhaps with a weekday, a 'Posted on', a byline)."""

    date: dt.date
    shape: str  # which written form: mdy, dmy, ymd; with "+weekday" when one is given
    byline: str | None = None


def month_number(word: str) -> int | None:
    return int(word) if word.isdigit() else MONTHS.get(word[:3].lower())


def parse_date_line(line: str) -> DateLine | None:
    """The date a line holds if the line is only a date, else None."""
    line = line.strip()
    if not 6 <= len(line) <= 80 or not any(c.isdigit() for c in line):
        return None
    for shape, pattern in DATE_LINE_SHAPES.items():
        m = pattern.match(line)
        if not m:
            continue
        month = month_number(m["month"])
        try:
            date = dt.date(int(m["year"]), month or 0, int(m["day"]))
        except ValueError:
            return None
        weekday = m.groupdict().get("weekday")
        return DateLine(date, shape + ("+weekday" if weekday else ""), m["byline"])
    return None


def parse_loose_date(text: str) -> dt.date | None:
    """A date from a metadata field: ISO strings, 'Sept. 5, 2014', epoch milliseconds."""
    text = text.strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    found = parse_date_line(text)
    return found.date if found else None


def from_epoch_ms(value: int | float) -> dt.date:
    return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC).date()
