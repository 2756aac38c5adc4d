"""The extraction quality gate: score the seeds with the shared scorer, against pinned floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nkwatch import extract_paths

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())


def test_scores_stay_above_floors(shared: Path) -> None:
    cmd = f"{sys.executable} -m nkwatch extract --format jsonl"
    out = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score.py"),
            str(shared / "eval" / "gold"),
            str(shared / "corpus"),
            "--cmd",
            cmd,
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(out[: out.rindex("}") + 1])
    assert figures["problems"] == []
    posts = figures["posts"]
    assert posts["pred"] == posts["gold"] == posts["aligned"] == FLOORS["posts"]
    assert posts["title"] >= FLOORS["exact_titles"]
    assert posts["date"] >= FLOORS["dates"]
    assert figures["authors_f1"] >= FLOORS["authors_f1"]
    assert figures["origins_f1"] >= FLOORS["origins_f1"]
    assert figures["entity_micro"]["f1"] >= FLOORS["entity_micro_f1"]
    assert figures["entity_micro"]["split"] <= FLOORS["max_split"]
    assert figures["quantities"]["f1"] >= FLOORS["quantities_f1"]
    assert figures["dates"]["f1"] >= FLOORS["dates_f1"]
    for etype, floor in FLOORS["per_type_f1"].items():
        assert figures["per_type"][etype]["f1"] >= floor, etype


def test_seed_posts_through_the_python_api(shared: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    gold = json.loads(
        (shared / "eval" / "gold" / "seeds__003_af9084bf4ff396ba.txt.json").read_text()
    )
    posts = list(
        extract_paths([shared / "corpus" / "seeds" / "003_af9084bf4ff396ba.txt"], pipeline)
    )
    assert [p.title for p in posts] == [g["title"] for g in gold["posts"]]
    assert [p.published and p.published.isoformat() for p in posts] == [
        g["published"] for g in gold["posts"]
    ]
    assert [list(p.authors) for p in posts] == [g["authors"] for g in gold["posts"]]
    assert [[o.name for o in p.origins] for p in posts] == [g["origins"] for g in gold["posts"]]
