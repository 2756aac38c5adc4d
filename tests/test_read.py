from __future__ import annotations

import json
from pathlib import Path

import pytest

from nkwatch.errors import MalformedInput, UnreadableInput
from nkwatch.read import ReadFailure, read_file, read_paths

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
