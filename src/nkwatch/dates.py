"""Dates written out in reporting: whole date lines, and dates inside sentences."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from nkwatch.pkgdata import compile_lines

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|"
    r"June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
    r"Dec(?:ember|\.)?)\.?"
)
# A month's name as reporting writes it ('Sept.', 'August'), without its capture group.
MONTH_NAME = _MONTH.replace("(?P<month>", "(?:")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = (
    r"(?:(?P<weekday>(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?),?\s+)?"
)
_PREFIX = (
    r"(?:[\w-]+\.(?:com|org|net|co\.kr|kr)\s+)?"  # a site's name before its date: 'Site.com'
    r"(?:(?:Posted|Published|Written|Updated|Last [Uu]pdated|[Dd]ate|Dated)(?:\s+on)?\s*:?\s+)?"
    r"(?:calendar>>\s*)?"  # KCNA's own pages: 'calendar>> January 24. 2014 Juche 103'
    r"(?:\d{1,2}:\d{2}\s+)?"  # the time first: '05:49 24 February 2017'
)
_TIME = (
    r"(?:,?\s*(?:(?:[-–|/]|at)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*\(?(?:KST|GMT|UTC|EST|EDT|ET|JST)(?:[+-]\d{1,2})?\)?)?)?"
    r"(?:\s*/\s*(?:an?|\d+)\s+(?:minute|hour|day|week|month|year)s?\s+ago)?"  # '/ a day ago'
)
_NAME = r"(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}|[가-힣]{2,4})"
# '... by Jane Doe', and a listing's '..., by Jane Doe, John Roe and Kim Min—' before its teaser
_SUFFIX = (
    rf"(?:,?\s*(?:[-–—|]\s*)?(?:by|By)\s+"
    rf"(?P<byline>{_NAME}(?:(?:,\s*|,?\s+and\s+|\s*&\s*){_NAME})*))?\s*[-–—:]?"
)
_JUCHE = r"(?:\s+Juche\s+\d{1,3})?"  # the year again, in the DPRK's calendar
BYLINE_LINE_MAX = 120  # a date line with a byline of several writers
_ORD = r"(?:st|nd|rd|th)?"

DATE_LINE_SHAPES = {
    "mdy": re.compile(
        rf"^{_PREFIX}{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}[,.]?\s+(?P<year>\d{{4}}){_JUCHE}{_TIME}{_SUFFIX}$"
    ),
    "dmy": re.compile(
        rf"^{_PREFIX}{_WEEKDAY}(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}{_SUFFIX}$"
    ),
    "ymd": re.compile(
        rf"^{_PREFIX}(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_TIME}{_SUFFIX}$"
    ),
    "num": re.compile(
        rf"^{_PREFIX}{_WEEKDAY}(?P<first>\d{{1,2}})[/.](?P<second>\d{{1,2}})[/.](?P<year>\d{{4}})"
        rf"{_TIME}{_SUFFIX}$"
    ),
}


@dataclass(frozen=True)
class DateLine:
    """A line that is nothing but a date (perhaps with a weekday, a 'Posted on', a byline)."""

    date: dt.date
    shape: str  # which written form: mdy, dmy, ymd; with "+weekday" when one is given
    byline: str | None = None


DIGIT = re.compile(r"\d")
LATER_STAMP = re.compile(r"(?<=\d)\s*(?=(?:Updated|Modified|Edited)\s*:)")
BY = re.compile(r"\b[Bb]y\b")


def month_number(word: str) -> int | None:
    return int(word) if word.isdigit() else MONTHS.get(word[:3].lower())


def parse_date_line(line: str, day_first: bool | None = None) -> DateLine | None:
    """The date a line holds if the line is only a date, else None.

    A line of parts split by '|' ('Jane Doe | 2018-02-07 05:24', 'Date: 12/04/2024 | Source:
    KCNA') holds the date of its first part that is one; a name part before it is the byline.
    Numeric dates like 12/04/2024 are read month first unless `day_first` is set, the day
    cannot be a month, or the line carries a day-first mark (data/day_first.txt).
    """
    line = line.strip().rstrip(",;").strip()
    if not 6 <= len(line) <= 120 or not DIGIT.search(line):
        return None
    line = LATER_STAMP.split(line, 1)[0]  # 'Written: 2024-07-26 14:10Updated: 2024-07-26 15:44'
    if "|" in line:
        return piped_date_line(line, day_first)
    if len(line) > (BYLINE_LINE_MAX if BY.search(line) else 80):
        return None
    if day_first is None:
        day_first = is_day_first(line)
    for shape, pattern in DATE_LINE_SHAPES.items():
        m = pattern.match(line)
        if not m:
            continue
        if shape == "num":
            first, second = int(m["first"]), int(m["second"])
            day, month = (first, second) if day_first or first > 12 else (second, first)
        else:
            day, month = int(m["day"]), month_number(m["month"]) or 0
        try:
            date = dt.date(int(m["year"]), month, day)
        except ValueError:
            return None
        weekday = m.groupdict().get("weekday")
        return DateLine(date, shape + ("+weekday" if weekday else ""), m["byline"])
    return None


def piped_date_line(line: str, day_first: bool | None) -> DateLine | None:
    parts = [p.strip() for p in line.split("|")]
    if day_first is None:
        day_first = is_day_first(line)
    for n, part in enumerate(parts):
        if not part:
            continue
        found = parse_date_line(part, day_first)
        if found is None:
            if n > 0 or not re.fullmatch(r"[A-Z][\w.'’ -]{1,80}", part):
                return None  # the line says more than a date and who wrote it
            continue
        credited = [m[1] for q in parts[n + 1 :] if (m := re.fullmatch(r"[Bb]y\s+(.+)", q))]
        byline = found.byline or (parts[0] if n > 0 and parts[0] else None)
        byline = byline or (credited[0] if credited else None)
        return dataclasses.replace(found, shape=found.shape + "+piped", byline=byline)
    return None


@cache
def day_first_marks() -> re.Pattern[str]:
    return compile_lines("day_first.txt", whole_line=False)


def is_day_first(text: str) -> bool:
    """Whether a line or address belongs to a site that writes numeric dates day first."""
    return day_first_marks().search(text) is not None


def url_date(url: str) -> dt.date | None:
    """The date an address holds: '/2020/08/20/', '/20200820', 'AEN20200820000300315'."""
    for pattern in (
        r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|$|\.)",
        r"(?:/|[A-Z]{2,4}|-|_)((?:19|20)\d\d)(\d\d)(\d\d)(?:\d{0,9})(?:/|\.|$|[-_?])",
        r"/((?:19|20)\d\d)-(\d\d)-(\d\d)(?:/|$|-)",
    ):
        for m in re.finditer(pattern, url):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


HEADER_LINES = 15


def find_published(text: str, url: str | None = None) -> DateLine | None:
    """The date a single article gives itself: a date line in its header zone (the first
    lines, where bylines and 'Posted ...' lines stand), else the date in its address.
    Dates further down (related stories, captions, footers) are never taken."""
    day_first = is_day_first(url) if url else None
    lines = [ln for ln in text.split("\n") if ln.strip()][:HEADER_LINES]
    lead = compile_lines("citation_leads.txt")
    for n, line in enumerate(lines):
        if any(lead.match(p.strip().removesuffix(":").rstrip()) for p in lines[max(0, n - 4) : n]):
            continue  # the date of a cited story, not of this one
        if found := parse_date_line(line, day_first or None):
            return found
    if date := juche_stamp(text):
        return DateLine(date, "juche")
    if url and (date := url_date(url)):
        return DateLine(date, "url")
    return None


JUCHE_STAMP = re.compile(
    r"[(\[]\s*Juche\s*(\d{2,3})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\.?\s*[)\]]"
)
JUCHE_EPOCH = 1911  # Juche 1 is 1912


def juche_year(juche: int) -> int:
    """The common-era year of a Juche year: Juche 103 is 2014."""
    return JUCHE_EPOCH + juche


def juche_stamp(text: str) -> dt.date | None:
    """KCNA's own calendar stamp, '(Juche113.4.12.)' or '[Juche113.4.12.]', which closes each
    of its items: the
    last one in the text, so a quoted earlier item does not date this one."""
    stamps = list(JUCHE_STAMP.finditer(text))
    if not stamps:
        return None
    found = stamps[-1]
    try:
        return dt.date(juche_year(int(found[1])), int(found[2]), int(found[3]))
    except ValueError:
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


class DateOutOfRange(ValueError):
    """A date outside the calendar Python keeps (years 1 to 9999)."""


def from_epoch_ms(value: int | float) -> dt.date:
    """The UTC day of a time in epoch milliseconds; DateOutOfRange for one before year 1,
    after 9999, or no number at all (NaN, infinity)."""
    try:
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC).date()
    except (OverflowError, ValueError, OSError):
        digits = str(value)
        shown = digits if len(digits) <= 16 else f"{digits[:8]}... ({len(digits)} digits)"
        raise DateOutOfRange(f"is {shown} ms from 1970, outside the calendar") from None
