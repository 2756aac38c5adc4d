from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from nkwatch.cli import main
from nkwatch.errors import MalformedInput, UnreadableInput
from nkwatch.model import Document
from nkwatch.read import ReadFailure, read_file, read_one, read_paths

from .conftest import SAMPLES


def test_plain_text_keeps_hash_and_text(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Line one.\n\nLine two.\n", encoding="utf-8")
    [doc] = read_file(f)
    assert doc.kind == "text"
    assert doc.text == "Line one.\n\nLine two."
    assert len(doc.file_sha256) == 64
    assert read_file(f)[0].id == doc.id


def test_legacy_encoding_is_detected(tmp_path: Path) -> None:
    f = tmp_path / "cp1252.txt"
    f.write_bytes(
        "Pyongyang’s “market” prices rose sharply this autumn, traders said.".encode("cp1252")
    )
    [doc] = read_file(f)
    assert "Pyongyang’s “market”" in doc.text


def test_html_main_text_without_navigation_or_footer() -> None:
    [doc] = read_file(SAMPLES / "pages" / "kumsong-tractor.html")
    assert doc.title == "Tractor plant rolls out new model"
    assert doc.published is not None and doc.published.isoformat() == "2021-05-17"
    assert "Kumsong Tractor Factory" in doc.text
    assert "Privacy policy" not in doc.text and "Subscribe" not in doc.text


def test_feed_entries_without_text_are_counted_as_skipped(tmp_path: Path) -> None:
    feed = tmp_path / "f.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>A</title><link>https://example.org/a</link>"
        "<description>The Nampho glass factory reopened.</description></item>"
        "<item><title>Photo page</title><link>https://example.org/b</link></item>"
        "</channel></rss>"
    )
    reading = read_one(feed)
    assert [d.title for d in reading.items if isinstance(d, Document)] == ["A"]
    assert reading.skipped == 1


def test_feed_entries_become_documents() -> None:
    docs = read_file(SAMPLES / "feeds" / "industry.xml")
    assert len(docs) == 4
    assert docs[0].title == "Power station repairs finished ahead of winter"
    assert docs[0].published.isoformat() == "2021-10-11"  # type: ignore[union-attr]
    assert docs[0].authors == ("Alex Moreau",)
    assert docs[0].source.startswith("https://monitor.example.org/")
    assert "<p>" not in docs[0].text


def test_jsonl_and_kcna_shapes(tmp_path: Path) -> None:
    docs = read_file(SAMPLES / "items.jsonl")
    assert [d.title for d in docs] == [
        "Cement complex meets quarterly plan",
        "Textile mill adds looms",
    ]
    f = tmp_path / "kcna.json"
    f.write_text(
        json.dumps(
            [
                {
                    "headline": "Mine expands",
                    "date": 1703376000000,
                    "link": "http://x/1",
                    "story_text": "Pyongyang, December 24 (KCNA) -- A mine expanded.",
                },
                {
                    "headline": "Photo only",
                    "date": 1703376000000,
                    "link": "http://x/2",
                    "story_text": "",
                },
            ]
        )
    )
    [doc] = read_file(f)
    assert doc.kind == "kcna" and doc.title == "Mine expands" and doc.outlet == "KCNA"
    assert doc.published.isoformat() == "2023-12-24"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("empty.txt", b"", UnreadableInput, "empty"),
        ("blank.txt", b"  \n\n ", UnreadableInput, "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", UnreadableInput, "binary"),
        ("broken.json", b'[{"headline": ', MalformedInput, "not valid JSON"),
        ("broken.rss", b"<rss><channel><item><title>x", MalformedInput, "feed"),
        ("notes.html", b"just words, no markup", MalformedInput, "no HTML elements"),
    ],
)
def test_bad_input_gets_one_clear_reason(
    tmp_path: Path, name: str, content: bytes, error: type[Exception], words: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(error, match=words):
        read_file(f)


def test_size_limit_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "ok.txt").write_text("A short report on cement output.")
    (tmp_path / "empty.txt").write_text("")
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"], max_bytes=1000))
    failures = {Path(i.source).name: i.reason for i in items if isinstance(i, ReadFailure)}
    docs = [i for i in items if not isinstance(i, ReadFailure)]
    assert [Path(d.source).name for d in docs] == ["ok.txt"]
    assert "over the 1,000-byte limit" in failures["big.txt"]
    assert "empty" in failures["empty.txt"]
    assert "no such file" in failures["missing.txt"]


# --- PDF -------------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "read"


def pdf_bytes(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text stream per page (an empty page gets a filled
    rectangle and no text, like a scan), an xref table with true offsets, an /Info dict."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"",  # the page tree, written once its kids are known
    ]
    kids = []
    for lines in pages:
        if lines:
            ops = [b"BT /F1 12 Tf 14 TL 72 720 Td"]
            ops += [literal(line) + b" Tj T*" for line in lines]
            stream = b"\n".join([*ops, b"ET"])
        else:
            stream = b"q 0.5 g 72 72 400 600 re f Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1 + bool(info), len(objects))
    if info:
        entries = b" ".join(b"/" + k.encode() + b" " + literal(v) for k, v in info.items())
        objects.append(b"<< " + entries + b" >>")
        trailer += b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


REPORT_PAGES = [
    [
        "Cement output at the Sunchon plant rose by twelve per cent in the first",
        "quarter, according to a newsletter of the building-materials produc-",
        "tion committee (quoted by a trade journal).",
    ],
    ["Page two: Kaesong’s looms were idle for a week in March."],
]
REPORT_INFO = {
    "Title": "Building materials quarterly",
    "Author": "Jo Min-ho; Lena Fischer",
    "CreationDate": "D:20230405103000+09'00'",
}


def test_pdf_text_of_every_page_and_document_information(tmp_path: Path) -> None:
    f = tmp_path / "quarterly.pdf"
    f.write_bytes(pdf_bytes(REPORT_PAGES, REPORT_INFO))
    [doc] = read_file(f)
    assert doc.kind == "pdf"
    assert doc.title == "Building materials quarterly"
    assert doc.authors == ("Jo Min-ho", "Lena Fischer")
    assert doc.published is not None and doc.published.isoformat() == "2023-04-05"
    first, second = doc.text.split("\n\n")
    assert first.startswith("Cement output at the Sunchon plant rose by twelve per cent")
    assert "building-materials production committee (quoted by a trade journal)." in first
    assert second == "Page two: Kaesong’s looms were idle for a week in March."


def test_pdf_is_known_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    f = tmp_path / "download.bin"
    f.write_bytes(pdf_bytes(REPORT_PAGES[1:]))
    [doc] = read_file(f)
    assert doc.kind == "pdf" and doc.title is None and doc.published is None
    assert doc.text == "Page two: Kaesong’s looms were idle for a week in March."


def test_pdf_creation_date_after_the_file_was_saved_is_ignored(tmp_path: Path) -> None:
    f = tmp_path / "quarterly.pdf"
    f.write_bytes(pdf_bytes(REPORT_PAGES, REPORT_INFO))
    saved = dt.datetime(2022, 1, 10).timestamp()
    os.utime(f, (saved, saved))
    [doc] = read_file(f)
    assert doc.published is None and doc.title == "Building materials quarterly"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "scan.pdf",
            pdf_bytes([[], []], {"Title": "Scanned"}),
            "no text layer; run OCR first (e.g. ocrmypdf) and ingest the result",
        ),
        ("cut.pdf", pdf_bytes(REPORT_PAGES)[:700], "the PDF is truncated"),
        (
            "page.pdf",
            b"<!DOCTYPE html><html><body><p>Access denied</p></body></html>",
            "named .pdf but the bytes are not a PDF (it is an HTML page)",
        ),
        (
            "garbled.pdf",
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n",
            "the PDF is damaged",
        ),
    ],
)
def test_unusable_pdf_fails_in_one_line(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    [failure] = list(read_paths([f]))
    assert isinstance(failure, ReadFailure)
    assert words in failure.reason and "\n" not in failure.reason


def test_sloppy_pdf_is_repaired_quietly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = pdf_bytes(REPORT_PAGES)
    f = tmp_path / "sloppy.pdf"
    f.write_bytes(good[: good.rindex(b"startxref")] + b"startxref\n17\n%%EOF\n")  # wrong offset
    with caplog.at_level(logging.DEBUG):
        [doc] = read_file(f)
    assert doc.text.startswith("Cement output at the Sunchon plant")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []


def test_encrypted_pdf_is_read_only_without_a_user_password(tmp_path: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(REPORT_PAGES)))
    for name, user in (("open.pdf", ""), ("locked.pdf", "secret")):
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.encrypt(user, owner_password="owner", algorithm="RC4-128")
        with (tmp_path / name).open("wb") as out:
            writer.write(out)
    opened, locked = read_paths([tmp_path / "open.pdf", tmp_path / "locked.pdf"])
    assert isinstance(opened, Document) and "Sunchon plant" in opened.text
    assert isinstance(locked, ReadFailure)
    assert locked.reason == "the PDF is encrypted with a password; save an unlocked copy"


# --- HTML: visible-text fallback and page metadata ---------------------------------------


def test_html_without_main_text_falls_back_to_visible_text() -> None:
    [doc] = read_file(FIXTURES / "bulletin.html")
    assert doc.kind == "html"
    assert doc.text.split("\n\n") == [
        "A trader in Dandong writes that lorries carrying fertiliser crossed the Friendship "
        "Bridge on three mornings last week.",
        "Another reader reports that the Sinuiju cosmetics factory has taken on a second shift.",
        "Prices for rice at the Chaeha market were 5,200 won a kilogram.",
    ]


def test_html_where_trafilatura_finds_nothing_is_read_for_its_visible_text(
    tmp_path: Path,
) -> None:
    f = tmp_path / "letters.html"
    f.write_text(
        '<html><body><div id="comments"><p>The Ryongsong Machine Complex met its May plan '
        "for oxygen separators, said a notice at the gate.</p></div></body></html>"
    )
    [doc] = read_file(f)
    assert doc.text == (
        "The Ryongsong Machine Complex met its May plan for oxygen separators, "
        "said a notice at the gate."
    )


def test_html_with_control_characters_is_read_without_them(tmp_path: Path) -> None:
    """A byte damaged into a control character, in the markup or the text, costs only
    itself (the HTML parsers refuse such characters in the text they build)."""
    clean = (FIXTURES / "bulletin.html").read_bytes()
    [want] = read_file(FIXTURES / "bulletin.html")
    damaged = clean.replace(b"<body", b"\x1c<body", 1).replace(b"Another", b"Another\x0b", 1)
    f = tmp_path / "bulletin.html"
    f.write_bytes(damaged)
    [doc] = read_file(f)
    assert (doc.text, doc.title) == (want.text, want.title)


def test_html_page_metadata_from_its_markup() -> None:
    [doc] = read_file(FIXTURES / "bulletin.html")
    assert doc.outlet == "Border Trade Bulletin"
    assert doc.url == "https://bulletin.example.net/notes/sinuiju-2022-03"
    assert doc.authors == ("Han Sol-mi", "Peter Varga")
    assert doc.published is not None and doc.published.isoformat() == "2022-03-01"  # not modified
    assert doc.title == "Readers' notes from Sinuiju"


def test_html_with_no_visible_text_fails_in_one_line() -> None:
    [failure] = list(read_paths([FIXTURES / "chrome-only.html"]))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "the HTML page shows no text; nothing to read"


def test_html_date_in_the_future_is_ignored() -> None:
    [doc] = read_file(FIXTURES / "future-date.html")
    assert doc.published is None
    assert "two hundred bottles a minute" in doc.text


def test_html_date_after_the_file_was_saved_is_ignored(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    shutil.copy(FIXTURES / "dated-2022.html", f)
    assert read_file(f)[0].published == dt.date(2022, 8, 30)
    saved = dt.datetime(2021, 6, 1).timestamp()
    os.utime(f, (saved, saved))
    [doc] = read_file(f)
    assert doc.published is None and "vinalon fibre" in doc.text


# --- JSON Lines items --------------------------------------------------------------------


def test_jsonl_item_metadata_and_wrong_types_per_item() -> None:
    path = FIXTURES / "scraped.jsonl"
    items = list(read_paths([path]))
    docs = [i for i in items if not isinstance(i, ReadFailure)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert [d.url for d in docs] == [
        "https://news.example.org/a/1",
        "https://news.example.org/a/3",
        "https://news.example.org/a/5",
    ]
    first, third, fifth = docs
    assert first.title == "Nampo coal exports fall" and first.outlet == "Example News"
    assert first.published == dt.date(2021, 4, 2) and first.authors == ("Ri Chol", "Anna Berg")
    assert third.authors == ("Kim Yong-su",) and third.outlet == "Rail Watch"
    assert third.published == dt.date(2021, 4, 5)
    assert fifth.title == "Ferries" and fifth.published is None and fifth.authors == ()
    assert [(f.source, f.reason.split(":")[0]) for f in failures] == [
        (str(path), "item on line 2"),
        (str(path), "item on line 4"),
    ]
    assert "'date' is list" in failures[0].reason and "'text' is int" in failures[1].reason
    assert read_file(path) == docs


# --- a damaged JSON list -------------------------------------------------------------------


def kcna_list(n: int) -> str:
    """A KCNA-shaped list of `n` items, one object per line as the archive writes them."""
    items = [
        {
            "headline": f"Mine {i} expands",
            "date": 1703376000000 + i * 86_400_000,
            "story_text": f"The Komdok mine number {i} raised its output of zinc ore.",
            "link": f"https://kcna.example/article/{i}",
        }
        for i in range(n)
    ]
    return "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]"


def read_damaged(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "archive.json"
    path.write_text(text)
    items = list(read_paths([path]))
    links = [i.url or "" for i in items if isinstance(i, Document)]
    return links, [i.reason for i in items if isinstance(i, ReadFailure)]


def test_a_json_list_cut_short_gives_every_whole_item(tmp_path: Path) -> None:
    whole = kcna_list(5)
    links, failures = read_damaged(tmp_path, whole[: whole.index("Komdok mine number 3")])
    assert links == [f"https://kcna.example/article/{i}" for i in range(3)]
    assert failures == ["item 4 is cut short (Unterminated string starting at)"]


def test_a_json_list_with_a_damaged_item_gives_the_rest(tmp_path: Path) -> None:
    text = kcna_list(5).replace('"Mine 1 expands"', '"Mine 1 expands', 1)  # a lost quote
    text = text.replace('"date": 1703635200000', '"date": 17036x5200000', 1)  # item 4
    links, failures = read_damaged(tmp_path, text)
    assert links == [f"https://kcna.example/article/{i}" for i in (0, 2, 4)]
    assert [f.split(" (")[0] for f in failures] == [
        "item 2 is not valid JSON",
        "item 4 is not valid JSON",
    ]
    assert all(f.endswith("the rest of the file is read") for f in failures)


def test_a_damaged_list_inside_an_object_gives_the_rest(tmp_path: Path) -> None:
    text = '{"source": "scraper", "items": ' + kcna_list(3).replace('"Mine 1', "Mine 1") + "}"
    links, failures = read_damaged(tmp_path, text)
    assert links == [f"https://kcna.example/article/{i}" for i in (0, 2)]
    assert [f.split(" (")[0] for f in failures] == ["item 2 is not valid JSON"]


def test_a_json_list_damaged_between_items_loses_none(tmp_path: Path) -> None:
    text = kcna_list(4).replace('article/1"},\n{', 'article/1"}.\n{', 1)  # a changed comma
    links, failures = read_damaged(tmp_path, text)
    assert links == [f"https://kcna.example/article/{i}" for i in range(4)]
    assert failures == []


def test_a_json_list_whose_item_end_is_damaged_names_it_with_the_next(tmp_path: Path) -> None:
    text = kcna_list(4).replace('article/1"},\n{', 'article/1"\x01,\n{', 1)  # a lost brace
    links, failures = read_damaged(tmp_path, text)
    assert links == [f"https://kcna.example/article/{i}" for i in (0, 3)]
    assert [f.split(" (")[0] for f in failures] == ["item 2 is not valid JSON"]


# --- through the command line --------------------------------------------------------------


def test_extract_command_reads_a_pdf_and_a_fallback_page(tmp_path: Path) -> None:
    pdf = tmp_path / "quarterly.pdf"
    pdf.write_bytes(pdf_bytes(REPORT_PAGES, REPORT_INFO))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes([[]]))
    shutil.copy(FIXTURES / "bulletin.html", tmp_path / "bulletin.html")
    result = CliRunner().invoke(main, ["extract", "--format", "jsonl", str(tmp_path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_source = {Path(r["source"]).name: r for r in records}
    assert set(by_source) == {"quarterly.pdf", "bulletin.html"}
    assert "Sunchon plant" in by_source["quarterly.pdf"]["text"]
    assert "Chaeha market" in by_source["bulletin.html"]["text"]
    assert result.stderr.strip() == (
        f"nkwatch: could not read {scan}: no text layer; run OCR first (e.g. ocrmypdf) "
        "and ingest the result"
    )
