"""Hostile inputs of any size, in the shapes that strain a reader or a stage: one very
long line, a great many short posts, deeply nested HTML, long runs of capitals, digits
and punctuation, a long JSON list. Shared by the shape tests and bench/hostile_inputs.py.
Every word is made up here; nothing is taken from a corpus."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass

SENTENCE = (
    "the Chongjin Machine Factory raised output by 12 percent in March , a source in "
    "North Hamgyong Province told reporters ; workers were paid 20,000 KPW a month and "
    "rice sold at 5,200 won per kilogram on May 3 , 2021 according to the Rodong Sinmun"
)


@dataclass(frozen=True)
class Shape:
    """One kind of hostile file: its suffix and a function from a size in bytes to bytes."""

    name: str
    suffix: str
    make: Callable[[int], bytes]


def sentence_stream(size: int, seed: int = 7) -> str:
    """Words of plausible reporting, shuffled, to about `size` characters, on one line."""
    rng = random.Random(seed)
    words = SENTENCE.split()
    parts: list[str] = []
    total = 0
    while total < size:
        words = rng.sample(words, k=14)
        chunk = " ".join(words).capitalize() + ". "
        parts.append(chunk)
        total += len(chunk)
    return "".join(parts)[:size]


def one_long_line(size: int) -> bytes:
    return sentence_stream(size).encode()


def short_posts(size: int) -> bytes:
    """An archive page of very many dated posts, each a title, a date line and a line."""
    out: list[str] = []
    total, n = 0, 0
    while total < size:
        day = 1 + n % 28
        post = (
            f"Sinuiju textile mill report number {n}\n\nMarch {day}, 2021\n\n"
            f"The mill met its plan {n % 9} days early, a source said.\n\n"
        )
        out.append(post)
        total += len(post)
        n += 1
    return "".join(out).encode()


def deep_html(size: int) -> bytes:
    """HTML nested as deep as its size allows, with text at every level."""
    depth = max(1, size // 28)
    opening = "<div><p>Nampo port</p>" * depth
    closing = "</div>" * depth
    return f"<!DOCTYPE html><html><body>{opening}{closing}</body></html>".encode()


def wide_html(size: int) -> bytes:
    """An ordinary page with a very long article: many paragraphs."""
    paragraphs = []
    total = 0
    rng = random.Random(3)
    while total < size:
        p = f"<p>{sentence_stream(400, rng.randrange(1 << 30))}</p>\n"
        paragraphs.append(p)
        total += len(p)
    body = "".join(paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>A long report</title></head><body><article>"
        f"<h1>A long report</h1>{body}</article></body></html>"
    ).encode()


def capitals(size: int) -> bytes:
    """Long runs of capitalised and shouted words, the stuff of names and bylines."""
    words = ("KIM", "Chaek", "Iron", "Steel", "WORKS", "Jong", "Un", "By", "Ri", "PYONGYANG")
    rng = random.Random(5)
    out, total = [], 0
    while total < size:
        w = rng.choice(words)
        out.append(w)
        total += len(w) + 1
    return " ".join(out).encode()


def digits(size: int) -> bytes:
    """Long runs of figures, separators and dates with nothing between them."""
    unit = "2021-03-04 12,000,000.5 1/2/2020 3.4.5 20000KPW 99% "
    return (unit * (size // len(unit) + 1))[:size].encode()


def punctuation(size: int) -> bytes:
    """Runs of punctuation and white space that regexes over 'any but' classes chew on."""
    unit = "--- ... ''' ,,, ;;; ::: ((( ))) ||| \u2014\u2014 \u201c\u201d \t \n".encode()
    return (unit * (size // len(unit) + 1))[:size].decode(errors="ignore").encode()


def json_list(size: int) -> bytes:
    """A JSON list of many short items."""
    items = []
    total, n = 0, 0
    while total < size:
        item = {
            "url": f"https://example.org/a/{n}",
            "title": f"Report {n}",
            "date": "2021-03-04",
            "text": f"The Hamhung fertiliser plant made {n} tonnes, a source said.",
        }
        line = json.dumps(item)
        items.append(line)
        total += len(line) + 2
        n += 1
    return ("[" + ",\n".join(items) + "]").encode()


SHAPES = (
    Shape("one_long_line", ".txt", one_long_line),
    Shape("short_posts", ".txt", short_posts),
    Shape("deep_html", ".html", deep_html),
    Shape("wide_html", ".html", wide_html),
    Shape("capitals", ".txt", capitals),
    Shape("digits", ".txt", digits),
    Shape("punctuation", ".txt", punctuation),
    Shape("json_list", ".json", json_list),
)
