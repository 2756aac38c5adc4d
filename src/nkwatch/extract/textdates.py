"""Dates named inside a post's text, resolved against its publication date.

Each date keeps the precision its text gives: "Oct. 10" is a day, "last May" a month,
"this spring" or "Juche 103" a year. Dates without a year ("in January", "on Friday",
"the 21st") and relative ones ("last year", "10 years ago") are resolved only when the
post's own date is known, and left out otherwise.

A month or weekday without a year is taken to be the nearest one the sentence can mean:
one not yet reached in the publication month's year is that year's, unless the sentence
looks back ("declared in December", "since August"), when it is the year before; one
already past is that year's, unless the sentence looks ahead ("will hold a congress in
January"), when it is the year after. A weekday is the last such day up to the
publication date, or the next one when its clause looks ahead.

Not taken: the publication date line itself, a wire dateline ("SEOUL, Aug. 20 (Yonhap)
--") that gives the post's own date (a relayed item's older dateline is kept), KCNA's
closing stamps, lines that hold nothing but dates (citation
blocks, page furniture), decades ("the 1990s"), vague words ("recently"), and four-digit
numbers that are quantities or list numbers ("Resolution 2087", "2000 won").

`DateFinder` compiles the patterns once; `find(text, published, skip)` is the per-post
function.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nkwatch.dates import (
    JUCHE_STAMP,
    MONTH_NAME,
    WEEKDAYS,
    juche_year,
    month_number,
    parse_date_line,
)
from nkwatch.model import DateMention
from nkwatch.pkgdata import read_table
from nkwatch.spans import Spans

M = rf"(?P<month>{MONTH_NAME})(?![a-z])"
D = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
Y = r"(?P<year>(?:1[89]|20)\d\d)(?![\d])"
REL_YEAR = r"(?P<rel>(?:,?\s+of)?\s+(?:last|this|next)\s+year|\s+of\s+the\s+(?:previous|following)\s+year)?"
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twenty": 20, "thirty": 30,
}  # fmt: skip
DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z .'’-]{{1,40}},\s+(?:{MONTH_NAME}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_NAME})"
    r"\s*(?:,\s*\d{4}\s*)?\([^)\n]{2,40}\)",
    re.M,
)
# The word before a month that says which one it is ("last May", "since August").
LEAD = re.compile(
    r"\b(back in|in|since|last|next|this|early|late|mid-?|from|until|till|by|through|during|"
    r"before|after|of|between|and|or|to|on)\s*$"
)
DIGIT = re.compile(r"\d")
MONTH_WORD = re.compile(rf"{MONTH_NAME}(?![a-z])")
MONTH_PATTERNS = frozenset(
    {
        "month-day-year",
        "day-month-year",
        "month-year",
        "month-range",
        "month-day",
        "day-month",
        "month",
    }
)
RELATIVE_WORD = re.compile(r"year|month|yesterday|spring|summer|autumn|fall|winter", re.I)
WHOLE_DATES = ("iso", "month-day-year", "day-month-year", "month-year")
BYLINE_DATE = re.compile(
    rf"^\s*{MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\s*(?:,\s*|\s+|\s*\|\s*)(?:by|By|BY|\|)"
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n")
CLAUSE_END = re.compile(r"[,;:—–]|\s-\s|[.!?][\"'”’)]*(?=\s)|\n")
# Dates and their frames only: what is left of a line that is nothing but dates.
FURNITURE = re.compile(
    rf"[\W\d_]|{MONTH_NAME}|\b(?:Posted|Published|Updated|on|at|by|Date|am|pm|KST|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """A date a pattern read: the first day of it, and how much of it the text gives."""

    date: dt.date
    precision: str


@dataclass(frozen=True)
class Context:
    """What resolving a date may look at: the text, where the match is, the post's date."""

    text: str
    start: int
    end: int
    published: dt.date | None
    future: re.Pattern[str]
    past: re.Pattern[str]

    def sentence(self) -> str:
        return self.text[
            bound(SENTENCE_END, self.text, self.start) : end_of(SENTENCE_END, self.text, self.end)
        ]

    def clause(self) -> str:
        return self.text[
            bound(CLAUSE_END, self.text, self.start) : end_of(CLAUSE_END, self.text, self.end)
        ]

    def looks_ahead(self) -> bool:
        return bool(self.future.search(self.clause()))

    def looks_back(self) -> bool:
        return bool(self.past.search(self.sentence()))


Reader = Callable[[re.Match[str], Context], Found | None]


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    read: Reader
    claims: bool = False  # a match that reads as no date still keeps later patterns off it


def bound(pattern: re.Pattern[str], text: str, start: int) -> int:
    left = 0
    for m in pattern.finditer(text, max(0, start - 400), start):
        left = m.end()
    return left


def end_of(pattern: re.Pattern[str], text: str, end: int) -> int:
    m = pattern.search(text, end)
    return m.start() if m else len(text)


def day_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift_month(date: dt.date, months: int) -> dt.date:
    n = date.year * 12 + date.month - 1 + months
    return dt.date(n // 12, n % 12 + 1, 1)


def year_for(month: int, day: int, m: re.Match[str], ctx: Context) -> int | None:
    """The year of a month (and day) written without one, by the rules in the module doc."""
    pub = ctx.published
    if pub is None:
        return None
    groups = m.groupdict()
    rel = (groups.get("rel") or "").lower()
    if "last" in rel or "previous" in rel:
        return pub.year - 1
    if "next" in rel or "following" in rel:
        return pub.year + 1
    if "this" in rel:
        return pub.year
    found = LEAD.search(ctx.text, max(0, ctx.start - 10), ctx.start)
    lead = found[1].lower() if found else ""
    ahead = (month, day) > (pub.month, pub.day)
    if lead in {"last", "since", "back in"}:
        return pub.year - 1 if ahead else pub.year
    if lead == "next":
        return pub.year if ahead else pub.year + 1
    if lead == "this":
        return pub.year
    if (month, day) == (pub.month, pub.day) or (day == 0 and month == pub.month):
        return pub.year
    if ctx.looks_ahead():
        return pub.year if ahead else pub.year + 1
    if ahead and ctx.looks_back():
        return pub.year - 1
    return pub.year


def read_full(m: re.Match[str], ctx: Context) -> Found | None:
    date = day_date(int(m["year"]), month_number(m["month"]) or 0, int(m["day"]))
    return Found(date, "day") if date else None


def read_month_year(m: re.Match[str], ctx: Context) -> Found | None:
    month = month_number(m["month"]) or 0
    return Found(dt.date(int(m["year"]), month, 1), "month") if 1 <= month <= 12 else None


def read_month_day(m: re.Match[str], ctx: Context) -> Found | None:
    month, day = month_number(m["month"]) or 0, int(m["day"])
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        return None
    before = ctx.text[max(0, ctx.start - 12) : ctx.start].lower()
    after = ctx.text[ctx.end : ctx.end + 2]
    if re.search(r"\bthe\s+$", before) and re.match(r"\s[A-Z]", after):
        return None  # 'the December 7 Factory', 'the March 1 Movement': a name
    if re.search(r"\d(?:st|nd|rd|th)$", m[0]) and not re.search(
        r"\b(?:on|by|until|till|since|before|after|from|of|to|through)\s+$", before
    ):
        return None  # 'the meaning of August 3rd': a day named, not a date in the story
    year = year_for(month, day, m, ctx)
    date = day_date(year, month, day) if year else None
    return Found(date, "day") if date else None


def read_month(m: re.Match[str], ctx: Context) -> Found | None:
    month = month_number(m["month"]) or 0
    if m["month"] == "May" and not LEAD.search(ctx.text, max(0, ctx.start - 10), ctx.start):
        return None  # the verb as often as the month
    year = year_for(month, 0, m, ctx) if 1 <= month <= 12 else None
    return Found(dt.date(year, month, 1), "month") if year else None


def read_nth(m: re.Match[str], ctx: Context) -> Found | None:
    """'on the 21st', 'the 13th of last month': a day of the publication month (or of the
    one before, when that day has not come yet)."""
    pub, day = ctx.published, int(m["day"])
    if pub is None or not 1 <= day <= 31:
        return None
    rel = (m["rel"] or "").lower()
    month = shift_month(pub, -1 if "last" in rel or "previous" in rel or day > pub.day else 0)
    date = day_date(month.year, month.month, day)
    return Found(date, "day") if date else None


def read_weekday(m: re.Match[str], ctx: Context) -> Found | None:
    pub = ctx.published
    if pub is None:
        return None
    back = (pub.weekday() - WEEKDAYS.index(m["weekday"].lower())) % 7
    if back and ctx.looks_ahead():
        return Found(pub + dt.timedelta(days=7 - back), "day")
    return Found(pub - dt.timedelta(days=back), "day")


def read_juche_stamp(m: re.Match[str], ctx: Context) -> Found | None:
    return None  # KCNA's closing stamp dates the item itself: its publication date


def read_juche_year(m: re.Match[str], ctx: Context) -> Found | None:
    return Found(dt.date(juche_year(int(m["juche"])), 1, 1), "year")


def read_none(m: re.Match[str], ctx: Context) -> Found | None:
    return None  # a span of months ('January-March'): a period, not a date


def read_year(m: re.Match[str], ctx: Context) -> Found | None:
    year = int(m["year"])
    if ctx.published and year > ctx.published.year + 30:
        return None
    return Found(dt.date(year, 1, 1), "year")


class DateFinder:
    """The date patterns, compiled once; `find` reads the dates of one post."""

    def __init__(self) -> None:
        cues = {r["cue"]: re.compile(r["pattern"]) for r in read_table("date_cues.tsv")}
        self.future, self.past = cues["future"], cues["past"]
        self.not_year = cues["not_year"]
        heads = "|".join(re.escape(r["head"]) for r in read_table("heads.tsv"))
        named = rf"(?!\s+(?:{heads})\b)"  # 'the December 7 Factory' names a place
        self.patterns = [
            Pattern("juche-stamp", JUCHE_STAMP, read_juche_stamp, claims=True),
            Pattern(
                "juche-year",
                re.compile(r"\bJuche\s*(?P<juche>\d{2,3})\b(?!\s*\.\s*\d)"),
                read_juche_year,
            ),
            Pattern(
                "iso",
                re.compile(
                    r"(?<![\d.])(?P<year>(?:19|20)\d\d)-(?P<month>\d\d?)-(?P<day>\d\d?)(?!\d)"
                ),
                read_full,
                claims=True,
            ),
            Pattern("month-day-year", re.compile(rf"\b{WEEKDAY}{M}\.?\s+{D},?\s+{Y}"), read_full),
            Pattern(
                "day-month-year",
                re.compile(rf"\b{WEEKDAY}{D}\s+(?:of\s+)?{M}\.?,?\s+{Y}"),
                read_full,
            ),
            Pattern("month-year", re.compile(rf"\b{M}\.?,?\s+(?:of\s+)?{Y}"), read_month_year),
            Pattern(
                "month-range",
                re.compile(rf"\b{M}\.?\s*[-–]\s*{MONTH_NAME}(?![a-z])"),
                read_none,
                claims=True,
            ),
            Pattern(
                "month-day",
                re.compile(rf"\b{WEEKDAY}{M}\.?\s+{D}{named}{REL_YEAR}"),
                read_month_day,
                claims=True,
            ),
            Pattern(
                "day-month",
                re.compile(rf"(?<![\w.])(?:the\s+)?{D}\s+(?:of\s+)?{M}\b{REL_YEAR}"),
                read_month_day,
            ),
            Pattern("month", re.compile(rf"\b{M}(?!\.?\s*\d)\b{REL_YEAR}"), read_month),
            Pattern(
                "nth",
                re.compile(
                    r"\b(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b"
                    r"(?P<rel>\s+of\s+(?:this|last|the previous)\s+month)?(?=\s*[.,;)]|(?P=rel)|\s+of\s+(?:this|last))"
                ),
                read_nth,
            ),
            Pattern(
                "weekday",
                re.compile(r"\b(?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"),
                read_weekday,
            ),
            Pattern(
                "year", re.compile(rf"(?<![\w$€¥£.,/#-]){Y}(?![\w%$€]|,\d|\.\d|['’]s\b)"), read_year
            ),
        ]
        self.full = [p for p in self.patterns if p.name in WHOLE_DATES]
        rows = read_table("date_words.tsv")
        self.relative = [(r["unit"], r["offset"]) for r in rows]
        self.relative_any = re.compile(
            "|".join(
                f"(?P<r{n}>{r['pattern'].replace('(?P<n>', f'(?P<n{n}>')})"
                for n, r in enumerate(rows)
            ),
            re.I,
        )

    def find(
        self,
        text: str,
        published: dt.date | None,
        skip: Iterable[tuple[int, int]] = (),
        title: str | None = None,
    ) -> tuple[DateMention, ...]:
        """The dates a post's text names, in reading order; `skip` holds spans that are
        something else (quantities). A line that repeats the post's `title` is not read:
        a headline's date is the body's."""
        taken = Spans([*skip, *self.date_lines(text, title)])
        found: list[DateMention] = []
        months = [h.span() for h in MONTH_WORD.finditer(text)]
        for pattern in self.patterns:
            for m in self.matches(pattern, text, months):
                start, end = m.span()
                if pattern.name == "year" and self.not_year.search(text, max(0, start - 40), start):
                    continue
                if taken.overlaps(start, end):
                    continue
                ctx = Context(text, start, end, published, self.future, self.past)
                date = pattern.read(m, ctx)
                if date is None:
                    if pattern.claims:
                        taken.add(start, end)
                    continue
                taken.add(start, end)
                found.append(DateMention(text[start:end], date.date, start, end, date.precision))
        if published is not None:
            found += self.relatives(text, published, taken)
        datelines = Spans(m.span() for m in DATELINE.finditer(text))
        kept = [
            d
            for d in found
            if not datelines.overlaps(d.start, d.end) or published not in (None, d.date)
        ]
        return tuple(sorted(kept, key=lambda d: d.start))

    def matches(
        self, pattern: Pattern, text: str, months: list[tuple[int, int]]
    ) -> Iterable[re.Match[str]]:
        """A pattern's matches; one that holds a month's name is read only around the
        month names the text has."""
        if pattern.name not in MONTH_PATTERNS:
            yield from pattern.regex.finditer(text)
            return
        seen = -1
        for start, end in months:
            for m in pattern.regex.finditer(text, max(0, start - 30, seen), end + 40):
                if seen <= m.start() <= start:  # the match this month name is part of
                    seen = m.end()
                    yield m

    def relatives(self, text: str, published: dt.date, taken: Spans) -> list[DateMention]:
        found = []
        matches: dict[int, re.Match[str]] = {}
        for hit in RELATIVE_WORD.finditer(text):  # read only around the words they all hold
            for m in self.relative_any.finditer(text, max(0, hit.start() - 20), hit.end() + 8):
                matches.setdefault(m.start(), m)
        for m in matches.values():
            row = int((m.lastgroup or "r0")[1:])
            unit, offset = self.relative[row]
            if taken.overlaps(*m.span()):
                continue
            if offset == "-n":
                n = m[f"n{row}"].lower()
                steps = -(int(n) if n.isdigit() else NUMBER_WORDS.get(n, 0))
            else:
                steps = int(offset)
            try:
                if unit == "year":
                    date, precision = dt.date(published.year + steps, 1, 1), "year"
                elif unit == "month":
                    date, precision = shift_month(published, steps), "month"
                else:
                    date, precision = published + dt.timedelta(days=steps), "day"
            except (ValueError, OverflowError):
                continue  # a date outside the calendar (year 0 or past 9999) is none
            taken.add(*m.span())
            found.append(DateMention(m[0], date, m.start(), m.end(), precision))
        return found

    def date_lines(self, text: str, title: str | None = None) -> list[tuple[int, int]]:
        """Spans not to read: lines that are only a date (the publication date line,
        citation blocks, page furniture), a date with its byline ('May 6, 2021, by Jane
        Doe'), a citation lead ('According to KCNA (2015-2-10):'), the title line, and
        wire datelines."""
        spans = []
        offset = 0
        heading = " ".join(title.split()) if title else None
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped and (
                " ".join(stripped.split()) == heading
                or (DIGIT.search(stripped) and self.is_date_line(stripped))
            ):
                spans.append((offset, offset + len(line)))
            offset += len(line) + 1
        return spans

    def is_date_line(self, line: str) -> bool:
        if parse_date_line(line) is not None or self.only_dates(line):
            return True
        if BYLINE_DATE.match(line):
            return True
        return (
            line.endswith(":") and len(line) < 120 and any(p.regex.search(line) for p in self.full)
        )

    def only_dates(self, line: str) -> bool:
        if len(line) > 80:
            return False
        rest = line
        for pattern in self.full:
            rest = pattern.regex.sub(" ", rest)
        return rest != line and not FURNITURE.sub("", rest).strip()
