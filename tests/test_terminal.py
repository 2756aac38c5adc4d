"""At the terminal: nothing printed acts on it, tables fit it, names are forgiving,
bad options are one line with exit 2, an outlet has one name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nkwatch import Pipeline
from nkwatch.cli import main
from nkwatch.model import Document
from nkwatch.pipeline import ingest_items
from nkwatch.printable import printable
from nkwatch.read import read_file
from nkwatch.store import open_store

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
C1 = "\x9b31m\x85\x90"
HOSTILE = OSC_TITLE + CLEAR + C1


def run(*args: str, columns: int = 100) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": str(columns)})


def harmless(text: str) -> bool:
    """No escape, no bell, no C0 (but tab and newline) or C1 control, no title payload."""
    return printable(text) == text and "pwned" not in text


def test_printable_keeps_text_and_removes_what_a_terminal_obeys() -> None:
    assert printable(f"Sinuiju{OSC_TITLE} soap{CLEAR} line\tup\n{C1}done") == (
        "Sinuiju soap line\tup\ndone"
    )
    assert printable("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\ ok\r\n") == "link ok\n"
    assert printable("Ch'ŏngjin 김책제철련합기업소 — 20 %") == "Ch'ŏngjin 김책제철련합기업소 — 20 %"


def test_readers_store_clean_text(tmp_path: Path) -> None:
    f = tmp_path / "items.jsonl"
    item = {
        "url": "https://example.org/a",
        "title": f"Soap{HOSTILE} line",
        "text": f"The Sinuiju Cosmetics Factory{CLEAR} added a line.{OSC_TITLE}",
        "author": f"Ri{C1} Chol",
        "outlet": f"Border{CLEAR} Notes",
    }
    f.write_text(json.dumps(item) + "\n")
    [doc] = read_file(f)
    assert (doc.title, doc.text, doc.authors, doc.outlet) == (
        "Soap line",
        "The Sinuiju Cosmetics Factory added a line.",
        ("Ri Chol",),
        "Border Notes",
    )


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> str:
    """Documents stored as an older nkwatch stored them: escapes and controls in the title,
    the text and the source, two copies so that a story has versions."""
    db = tmp_path_factory.mktemp("hostile") / "kb.db"
    text = (
        f"Workers at the Sinuiju Cosmetics Factory{HOSTILE} said night shifts were added in April."
        f"\n\n{CLEAR}The factory now runs three shifts, traders in Sinuiju said.{OSC_TITLE}"
    )
    docs = [
        Document(
            source=f"https://notes.example.org/{n}/{CLEAR}",
            kind="jsonl",
            text=text,
            file_sha256=f"hostile-{n}",
            title=f"{OSC_TITLE}Sinuiju Cosmetics Factory\nadds shifts{C1}",
            published=dt.date(2024, 5, 2 + n),
            authors=(f"Ri{CLEAR} Chol",),
            outlet=f"Daily NK{C1}",
        )
        for n in range(2)
    ]
    store = open_store(db, write=True)
    try:
        ingest_items(docs, store, pipeline)
    finally:
        store.close()
    return str(db)


def test_every_printing_command_prints_no_escape(hostile_kb: str, tmp_path: Path) -> None:
    posts = run("posts", "--db", hostile_kb)
    assert posts.exit_code == 0 and "Sinuiju Cosmetics Factory adds shifts" in posts.output
    assert harmless(posts.output)
    post_id = posts.output.splitlines()[1].split()[0]
    show = run("show", post_id, "--db", hostile_kb)
    assert show.exit_code == 0 and "night shifts" in show.output and harmless(show.output)
    stories = run("stories", "--db", hostile_kb)
    assert stories.exit_code == 0 and harmless(stories.output)
    story_id = stories.output.splitlines()[1].split()[0]
    story = run("story", story_id, "--db", hostile_kb)
    assert story.exit_code == 0 and "versions:" in story.output and harmless(story.output)
    entity = run("entity", "Sinuiju Cosmetics Factory", "--db", hostile_kb, columns=200)
    assert entity.exit_code == 0 and "adds shifts" in entity.output and harmless(entity.output)
    for fmt in ("jsonl", "csv"):
        for command in (["posts"], ["stories"], ["entity", "Sinuiju Cosmetics Factory"]):
            listed = run(*command, "--format", fmt, "--db", hostile_kb)
            assert listed.exit_code == 0 and harmless(listed.output), (command, fmt)
    hostile_file = tmp_path / f"note{CLEAR}.txt"
    hostile_file.write_text(f"Soap{OSC_TITLE} output doubled{C1} at the Sinuiju Cosmetics Factory.")
    for fmt in ("table", "jsonl", "csv"):
        extracted = run("extract", str(hostile_file), "--format", fmt, columns=300)
        assert extracted.exit_code == 0 and "note.txt" in extracted.output  # its name, cleaned
        assert harmless(extracted.output)
    unknown = run("entity", f"no such{OSC_TITLE}", "--db", hostile_kb)
    assert unknown.exit_code == 1 and harmless(unknown.output)


def test_tables_have_a_header_fit_the_width_and_keep_titles_on_one_line(hostile_kb: str) -> None:
    narrow = run("posts", "--db", hostile_kb, columns=60)
    lines = narrow.output.splitlines()
    assert lines[0].split() == ["post", "published", "title", "outlet", "story"]
    assert len(lines) == 3 and all(len(line) <= 60 for line in lines)
    assert "…" in lines[1]  # the title was cut to fit
    wide = run("posts", "--db", hostile_kb, columns=200).output.splitlines()
    assert "Sinuiju Cosmetics Factory adds shifts" in wide[1] and len(wide) == 3


def test_stories_table_explains_its_grades(hostile_kb: str) -> None:
    lines = run("stories", "--db", hostile_kb).output.splitlines()
    assert lines[0].split()[:5] == ["story", "latest", "versions", "sources", "grade"]
    grade = lines[1].split()[4]
    assert lines[-1] == f"grades: {grade} = source unrated, truth cannot be judged"


def test_every_listing_command_speaks_csv_and_jsonl(hostile_kb: str) -> None:
    for command, key in (
        (["posts"], "id"),
        (["stories"], "id"),
        (["entities"], "id"),
        (["entity", "Sinuiju Cosmetics Factory"], "post_id"),
    ):
        table = list(
            csv.DictReader(io.StringIO(run(*command, "--format", "csv", "--db", hostile_kb).output))
        )
        records = [
            json.loads(x)
            for x in run(*command, "--format", "jsonl", "--db", hostile_kb).output.splitlines()
        ]
        assert table and records and len(table) == len(records), command
        assert all(row[key] for row in table), command


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["posts", "--limit", "0"], "0 is not in the range x>=1"),
        (["entities", "--limit", "-3"], "-3 is not in the range x>=1"),
        (["stories", "--limit", "0"], "not in the range"),
        (["entity", "Sinuiju", "--limit", "0"], "not in the range"),
        (
            ["posts", "--since", "2021-03", "--until", "2020"],
            "--since 2021-03 is after --until 2020",
        ),
        (["entities", "--since", "2022", "--until", "2021-12-31"], "is after"),
        (["posts", "--since", "May"], "YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_counts_and_dates_are_one_line_and_exit_2(
    hostile_kb: str, args: list[str], words: str
) -> None:
    result = run(*args, "--db", hostile_kb)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and words in result.output, result.output
    assert result.output.startswith("nkwatch: ")


def test_dates_may_be_a_year_or_a_month(hostile_kb: str) -> None:
    assert len(run("posts", "--since", "2024-05", "--db", hostile_kb).output.splitlines()) == 3
    assert run("posts", "--until", "2023", "--db", hostile_kb).stdout == ""
    assert (
        len(
            run(
                "entities", "--since", "2024", "--until", "2024-05", "--db", hostile_kb
            ).output.splitlines()
        )
        > 1
    )


# --- one name per outlet ---------------------------------------------------------------


@pytest.fixture(scope="module")
def kcna_kb(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> str:
    """One story filed twice by KCNA under two of its names, and a Daily NK report."""
    db = tmp_path_factory.mktemp("outlets") / "kb.db"
    said = "The Sangwon Cement Complex overfulfilled its plan for the first quarter, {}."
    docs = [
        Document(
            "http://kcna.example/a",
            "kcna",
            said.format("the news agency said"),
            "f1",
            "Cement complex overfulfils plan",
            dt.date(2023, 3, 2),
            (),
            "KCNA",
        ),
        Document(
            "http://kcna.example/b",
            "kcna",
            said.format("the news agency said"),
            "f2",
            "Cement complex overfulfils plan",
            dt.date(2023, 3, 2),
            (),
            "Korean Central News Agency",
        ),
        Document(
            "https://dailynk.example/c",
            "jsonl",
            "Traders say the Sangwon Cement Complex sells cement on the side, a source said.",
            "f3",
            "Cement sold on the side",
            dt.date(2021, 6, 1),
            (),
            "Daily NK",
        ),
    ]
    store = open_store(db, write=True)
    try:
        ingest_items(docs, store, pipeline)
    finally:
        store.close()
    return str(db)


def test_an_outlet_has_one_name_and_answers_to_any(kcna_kb: str) -> None:
    for name in ("KCNA", "Korean Central News Agency", "조선중앙통신", "kcna"):
        rows = list(
            csv.DictReader(
                io.StringIO(
                    run("posts", "--outlet", name, "--format", "csv", "--db", kcna_kb).output
                )
            )
        )
        assert [r["outlets"] for r in rows] == ["Korean Central News Agency"] * 2, name
    table = run("posts", "--db", kcna_kb).output
    assert "KCNA" not in table and table.count("Korean Central News Agency") == 2


def test_entities_count_stories_and_filter_by_outlet_and_dates(kcna_kb: str) -> None:
    def counts(*args: str) -> dict[str, tuple[str, str]]:
        rows = csv.DictReader(
            io.StringIO(run("entities", "--format", "csv", *args, "--db", kcna_kb).output)
        )
        return {r["name"]: (r["stories"], r["posts"]) for r in rows}

    assert counts()["Sangwon Cement Complex"] == ("2", "3")  # two KCNA copies are one story
    assert counts("--outlet", "KCNA")["Sangwon Cement Complex"] == ("1", "2")
    assert counts("--outlet", "DailyNK")["Sangwon Cement Complex"] == ("1", "1")
    assert counts("--since", "2022")["Sangwon Cement Complex"] == ("1", "2")
    assert "Sangwon Cement Complex" not in counts("--until", "2020")


# --- forgiving look-up -----------------------------------------------------------------


def test_a_partial_misspelt_name_offers_the_entity(seeded_kb: Path) -> None:
    result = run("entity", "Kimchaek steel", "--db", str(seeded_kb))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "did you mean Kim Chaek Iron and Steel Complex [facility]" in result.output


def test_an_ambiguous_name_lists_its_candidates_with_types(seeded_kb: Path) -> None:
    result = run("entity", "Kimchaek", "--db", str(seeded_kb))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    for label in ("Kim Chaek [person]", "Kim Chaek Iron and Steel Complex [facility]"):
        assert label in result.output


def test_a_close_spelling_still_finds_its_entity(seeded_kb: Path) -> None:
    result = run(
        "entity", "Kim Chaek Iron and Steel Complx", "--db", str(seeded_kb), "--limit", "1"
    )
    assert result.exit_code == 0
    assert result.output.startswith("Kim Chaek Iron and Steel Complex  [facility]")
    assert "posts (1 of 2, newest first" in result.output


def test_a_story_by_words_of_its_title_or_the_start_of_its_id(seeded_kb: Path) -> None:
    by_words = run("story", "oxygen plant kim chaek", "--db", str(seeded_kb))
    assert by_words.exit_code == 0 and "Oxygen plant work" in by_words.output
    story_id = by_words.output.splitlines()[1].split()[1]
    by_start = run("story", story_id[:9], "--db", str(seeded_kb))
    assert by_start.exit_code == 0 and story_id in by_start.output
    nothing = run("story", "qqqq zzzz", "--db", str(seeded_kb))
    assert nothing.exit_code == 1 and "no story or post" in nothing.output
