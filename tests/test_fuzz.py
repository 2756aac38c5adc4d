"""Property-based fuzzing of the readers, the splitter, the describer and the extractor.

Inputs are generated, and real shapes (the samples, the shared seeds, KCNA items) are
mutated: bits flipped, cut short, bytes inserted, lines broken between words, re-encoded
(UTF-16 with and without a BOM, Latin-1, broken UTF-8), JSON fields given the wrong types or dates outside the
calendar. Nothing may raise out of the public API, every bad item is named, every good
one kept, and every offset in the extraction output spans exactly its text.

A fixed, bounded run by default (the "ci" profile in conftest.py); `NKWATCH_FUZZ=long`
runs many more examples, drawn afresh.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkwatch import Pipeline, extract_paths
from nkwatch.describe import describe
from nkwatch.model import Document, Post
from nkwatch.read import ReadFailure, read_one
from nkwatch.split import split

from .conftest import SAMPLES, SHARED


@cache
def shared_pipeline() -> Pipeline:
    return Pipeline()


@cache
def real_shapes() -> tuple[tuple[str, bytes], ...]:
    """(suffix, bytes) of the samples, the shared seeds and a slice of the KCNA archive."""
    found = [
        (p.suffix, p.read_bytes()[:20_000])
        for p in sorted(SAMPLES.rglob("*"))
        if p.is_file() and p.suffix
    ]
    found += [(".txt", p.read_bytes()[:20_000]) for p in sorted(SHARED.glob("corpus/seeds/*.txt"))]
    kcna = SHARED / "corpus" / "kcna" / "kcna-archive-2024.json"
    items = json.loads(kcna.read_text("utf-8"))[:6]
    found.append((".json", json.dumps(items).encode()))
    return tuple(found)


SUFFIXES = (".txt", ".html", ".json", ".jsonl", ".xml", ".rss", "")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real file's bytes, mutated one to four times, under its own or another suffix."""
    suffix, data = draw(st.sampled_from(real_shapes()))
    raw = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(("flip", "cut", "insert", "encode", "splice", "wrap", "none")))
        if how == "flip" and raw:
            for _ in range(draw(st.integers(1, 30))):
                at = draw(st.integers(0, len(raw) - 1))
                raw[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "cut" and raw:
            raw = raw[: draw(st.integers(0, len(raw)))]
        elif how == "insert":
            at = draw(st.integers(0, len(raw)))
            raw[at:at] = draw(st.binary(max_size=40))
        elif how == "encode":
            text = bytes(raw).decode("utf-8", errors="replace")
            codec = draw(st.sampled_from(("utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp949")))
            raw = bytearray(text.encode(codec, errors="replace"))
        elif how == "splice":
            other = draw(st.sampled_from(real_shapes()))[1]
            a = draw(st.integers(0, len(other)))
            raw[len(raw) // 2 : len(raw) // 2] = other[a : a + 500]
        elif how == "wrap":  # lines broken anywhere between words, as text from a PDF is
            every = draw(st.integers(1, 12))
            words = bytes(raw).split(b" ")
            raw = bytearray(
                b"".join(w + (b"\n" if i % every == 0 else b" ") for i, w in enumerate(words))
            )
    return draw(st.sampled_from((suffix, *SUFFIXES))), bytes(raw)


def read_bytes_as(suffix: str, data: bytes) -> tuple[Path, list[object]]:
    folder = Path(tempfile.mkdtemp(prefix="nkwatch-fuzz-"))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path, list(read_one(path).items)


def assert_offsets_exact(post: Post) -> None:
    """Every start/end of the extraction output spans exactly its text."""
    spans = [
        *((m.text, m.start, m.end, "entity") for m in post.mentions),
        *((q.text, q.start, q.end, "quantity") for q in post.quantities),
        *((d.text, d.start, d.end, "date") for d in post.dates),
        *((a.text, a.start, a.end, "attribution") for a in post.attributions),
    ]
    for text, start, end, what in spans:
        assert post.text[start:end] == text, (what, text, start, end, post.text[start:end])


@given(mutated())
def test_mutated_real_files_never_raise(case: tuple[str, bytes]) -> None:
    suffix, data = case
    path, items = read_bytes_as(suffix, data)
    assert all(isinstance(i, Document | ReadFailure) for i in items)
    for item in extract_paths([path], shared_pipeline()):
        assert isinstance(item, Post | ReadFailure)
        if isinstance(item, Post):
            assert_offsets_exact(item)
        else:  # bad input is named; a stage that fails on a post is a defect
            assert not item.reason.startswith("nkwatch failed"), item.reason


TEXT_KEYS = ("text", "title", "outlet", "url")
WRONG = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2),
)
OUT_OF_RANGE = st.one_of(
    st.integers(min_value=253_402_300_800_000, max_value=10**40),  # after year 9999
    st.integers(max_value=-62_135_596_800_001, min_value=-(10**40)),  # before year 1
    st.sampled_from([1e300, -1e300, float("nan"), float("inf"), float("-inf")]),
)
ODD_DATES = st.sampled_from(
    ["10000-01-01", "2021-13-45", "0000-00-00", "yesterday", "", "9999-12-31", "Feb 30, 2020"]
)


@st.composite
def json_items(draw: st.DrawFn) -> tuple[list[object], list[str]]:
    """Items of a JSON list, each good, wrongly typed, without text, not an object, or
    dated outside the calendar; with what each should give: doc, fail, skip or note."""
    items: list[object] = []
    expect: list[str] = []
    for n in range(draw(st.integers(1, 8))):
        item: dict[str, object] = {
            "url": f"https://example.org/{n}",
            "title": f"Item {n}",
            "text": draw(st.text(min_size=1, max_size=80).filter(str.strip)),
        }
        kind = draw(st.sampled_from(("good", "wrong", "no text", "not object", "epoch", "odd")))
        if kind == "wrong":
            item[draw(st.sampled_from(TEXT_KEYS))] = draw(WRONG)
        elif kind == "no text":
            if draw(st.booleans()):
                del item["text"]
            else:
                item["text"] = None
        elif kind == "epoch":
            item["date"] = draw(OUT_OF_RANGE)
        elif kind == "odd":
            item["date"] = draw(ODD_DATES)
        if kind == "not object":
            items.append(draw(st.one_of(st.integers(), st.text(max_size=5), st.none())))
        else:
            items.append(item)
        expect.append({"good": "doc", "odd": "doc", "epoch": "note"}.get(kind, "fail"))
    return items, expect


@given(json_items(), st.sampled_from((".json", ".jsonl")))
def test_every_json_item_on_its_own(case: tuple[list[object], list[str]], suffix: str) -> None:
    items, expect = case
    if suffix == ".json":
        data = json.dumps(items).encode()
        name = "item {}"
    else:
        data = "\n".join(json.dumps(i) for i in items).encode()
        name = "item on line {}"
    path = Path(tempfile.mkdtemp(prefix="nkwatch-fuzz-")) / f"items{suffix}"
    path.write_bytes(data)
    reading = read_one(path)
    docs = [i for i in reading.items if isinstance(i, Document)]
    failures = [i.reason for i in reading.items if isinstance(i, ReadFailure)]
    assert len(docs) == sum(e in ("doc", "note") for e in expect)
    named = [n for n, e in enumerate(expect, 1) if e == "fail"]
    assert len(failures) == len(named)
    for n, reason in zip(named, failures, strict=True):
        assert reason.startswith(name.format(n) + ":") or reason.startswith(
            name.format(n) + " has no"
        ), reason
    notes = [note.reason for note in reading.notes]
    assert [r.split(":")[0] for r in notes] == [
        name.format(n) for n, e in enumerate(expect, 1) if e == "note"
    ]
    assert all("outside the calendar; read as no date" in r for r in notes)


PHRASES = (
    "Kim Chaek Iron and Steel Complex",
    " a source in North Hamgyong Province told Daily NK.",
    "According to KCNA, ",
    "the Rodong Sinmun reported",
    " workers were paid 20,000 KPW a month",
    " rice sold for 5,200 won per kilogram",
    " on March 3, 2021",
    " last week",
    " Sept. 5",
    " Nampo",
    " said Kim Jong Un.",
    "  ",
    "\n",
    "\n\n",
    ". ",
    '"',
    " 1 dollar fetches 8,000 won",
    " between 900 and 1,000 won",
    "Posted March 4, 2021",
    " By Jane Doe",
    " (Juche113.4.12.)",
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Text stitched from phrases of reporting and random characters, or a real document
    cut and spliced, with a random publication date."""
    if draw(st.booleans()):
        parts = draw(
            st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=12)), max_size=40)
        )
        text = "".join(parts)
    else:
        source = draw(st.sampled_from(real_shapes()))[1].decode("utf-8", errors="replace")
        a = draw(st.integers(0, len(source)))
        text = source[a : a + draw(st.integers(0, 3000))]
        if draw(st.booleans()):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(PHRASES)) + text[at:]
    published = draw(st.one_of(st.none(), st.dates()))
    return Document(
        "fuzz.txt", "text", text or " ", "0" * 64, published=published, title=draw(st.none())
    )


@given(documents())
def test_stages_never_raise_and_offsets_are_exact(document: Document) -> None:
    pipeline = shared_pipeline()
    posts = split(document)
    assert all(p.document_id == document.id for p in posts)
    for post in posts:
        described = describe(post, pipeline.canonical_outlet)
        assert described.id == post.id and set(post.text) >= set(described.text.strip())
    for post in pipeline.posts(document):
        assert_offsets_exact(post)


FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Plant news</title>'
    "<item><title>One</title><link>https://example.org/1</link>"
    "<pubDate>Sat, 01 Jan 10000 00:00:00 GMT</pubDate>"
    "<description>The Sunchon cement plant met its plan.</description></item>"
    "<item><title>Two</title><link>https://example.org/2</link>"
    "<description></description></item>"
    "<item><title>Three</title><link>https://example.org/3</link><pubDate>yesterday</pubDate>"
    "<description>&lt;p&gt;Nampo port loaded coal.&lt;/p&gt;</description></item>"
    "</channel></rss>"
)
ODD_FILES = {
    "deep.json": ("[" * 100_000 + "]" * 100_000, 0),
    "long-number.json": ('[{"text": "x", "date": ' + "9" * 5000 + "}]", 0),
    "nan-date.json": ('[{"text": "Coal went out.", "date": NaN}, {"text": "Ore came in."}]', 2),
    "surrogate.jsonl": ('{"text": "Steel \\ud800 output rose."}\n{"text": 5}\nnot json\n', 1),
    "year-10000.json": ('[{"text": "A mine reopened.", "date": "10000-01-01"}]', 1),
    "feed.xml": (FEED, 2),
    "utf16.txt": ("The Hamhung plant restarted.", 1),
}


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_odd_files(name: str, tmp_path: Path) -> None:
    text, documents = ODD_FILES[name]
    path = tmp_path / name
    if name == "utf16.txt":
        path.write_bytes(text.encode("utf-16-le"))  # no BOM
    else:
        path.write_text(text, encoding="utf-8")
    reading = read_one(path)
    docs = [i for i in reading.items if isinstance(i, Document)]
    assert len(docs) == documents, reading
    assert all("\ud800" not in d.text for d in docs)
    assert all(d.published is None or d.published.year < 10000 for d in docs)
    if documents == 0:
        [failure] = reading.items
        assert isinstance(failure, ReadFailure) and "JSON" in failure.reason
    for post in extract_paths([path], shared_pipeline()):
        assert isinstance(post, Post | ReadFailure)
