from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nkwatch.cli import main

from .conftest import SAMPLES


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_extract_jsonl_contract() -> None:
    result = run("extract", str(SAMPLES / "archive-metals.txt"))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["post"] for r in rows] == [0, 1, 2, 3]
    for r in rows:
        assert {
            "source",
            "post",
            "title",
            "published",
            "authors",
            "translators",
            "origins",
            "text",
            "entities",
            "quantities",
            "dates",
        } <= r.keys()
        for e in r["entities"]:
            assert r["text"][e["start"] : e["end"]] == e["text"]
    assert rows[1]["authors"] == ["Kang Mi Jin"]
    assert rows[1]["origins"][0]["name"] == "Daily NK"


def test_ingest_then_query(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    first = run("ingest", str(SAMPLES), "--db", db)
    assert first.exit_code == 0 and "13 posts stored" in first.output
    again = run("ingest", str(SAMPLES), env={"NKWATCH_DB": db})
    assert "0 new" in again.output
    posts = run("posts", "--db", db, "--outlet", "Daily NK")
    assert "Musan miners" in posts.output
    post_id = posts.output.splitlines()[1].split()[0]  # under the header row
    show = run("show", post_id, "--db", db)
    assert "origin:    Daily NK" in show.output and "Musan Mining Complex" in show.output
    assert "posts" in run("stats", "--db", db).output
    assert (
        "Kim Chaek Iron and Steel Complex"
        in run("entities", "--type", "facility", "--db", db).output
    )
    dossier = run("entity", "Kimchaek Iron & Steel Complex", "--db", db)
    assert "Kim Chaek Iron and Steel Complex  [facility]" in dossier.output
    assert "location: Chongjin" in dossier.output


def test_bad_input_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.dat").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "ok.txt").write_text("The Sangwon Cement Complex met its plan, KCNA said.")
    db = str(tmp_path / "kb.db")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0
    assert (
        "could not read" in result.output and "empty" in result.output and "binary" in result.output
    )
    assert "Traceback" not in result.output


def test_nothing_ingestable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "kb.db")]
    )
    assert result.exit_code == 1
    assert "nothing could be ingested" in result.output


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["posts", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1
    assert missing.output.strip().count("\n") == 0 and "nkwatch ingest" in missing.output
    db = str(tmp_path / "kb.db")
    run("ingest", str(SAMPLES / "items.jsonl"), "--db", db)
    unknown = CliRunner().invoke(main, ["show", "zzz", "--db", db])
    assert unknown.exit_code == 1 and "no post 'zzz'" in unknown.output
    bad_date = CliRunner().invoke(main, ["posts", "--since", "yesterday", "--db", db])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_the_command_starts_without_loading_the_pipeline() -> None:
    """`nkwatch --help` must answer at once: the commands import what they use."""
    import subprocess
    import sys

    heavy = (
        "sqlalchemy",
        "datasketch",
        "numpy",
        "trafilatura",
        "charset_normalizer",
        "ahocorasick",
        "fastapi",
        "uvicorn",
    )
    code = f"import sys, nkwatch.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == ""
