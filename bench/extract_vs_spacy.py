"""Entity extraction: nkwatch against spaCy's NER (en-core-web-sm), speed and F1.

Speed: the same posts (KCNA stories from ../shared/corpus, default 600) through
nkwatch's entity extraction (names found, typed and resolved, and the
attributions that use them: what spaCy's NER is compared with), through the
whole extraction (with quantities and dates in the text), and through spaCy's
NER component alone, in the same run: all warmed up, then timed in turns, best
of three. F1: both scored by ../shared/eval/score.py on the seed gold.

    pip install -e '.[spacy]'
    python bench/extract_vs_spacy.py [N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from spacy_extract import load_ner

from nkwatch import Pipeline
from nkwatch.extract.recognise import select
from nkwatch.model import Post
from nkwatch.names import tokens
from nkwatch.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def score(cmd: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            str(SHARED / "eval" / "gold"),
            str(SHARED / "corpus"),
            "--cmd",
            cmd,
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out[: out.rindex("}") + 1])


ROUNDS = 3


def best_of(*runs: Callable[[], None]) -> list[float]:
    for run in runs:
        run()
    best = [float("inf")] * len(runs)
    for _ in range(ROUNDS):
        for n, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[n] = min(best[n], time.perf_counter() - start)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    items = json.loads((SHARED / "corpus" / "kcna" / "kcna-archive-2024.json").read_text())
    texts = [x["story_text"] for x in items if x.get("story_text")][:n]
    posts = [Post("d" * 64, i, "bench", t) for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)

    pipeline = Pipeline()
    extractor = pipeline.extractor
    assert extractor is not None
    nlp = load_ner()

    def run_entities() -> None:  # what spaCy's NER does: names found, typed (and resolved)
        for post in posts:
            words = tokens(post.text)
            found = select(extractor.recogniser.candidates(post.text, (), words))
            mentions = tuple(resolve(post.text, found, extractor.gazetteer))
            extractor.attributor.attribute(post.text, mentions, words)

    def run_ours() -> None:  # and the rest of extraction: quantities and dates in the text
        for post in posts:
            extractor.extract(post)

    def run_theirs() -> None:
        for doc in nlp.pipe(texts, batch_size=32):
            _ = doc.ents

    # both warmed up, then timed in turns, best of ROUNDS: a busy machine slows one round,
    # not the comparison
    entities, ours, theirs = best_of(run_entities, run_ours, run_theirs)

    f1_ours = score(f"{sys.executable} -m nkwatch extract --format jsonl")["entity_micro"]["f1"]
    f1_theirs = score(f"{sys.executable} {ROOT / 'bench' / 'spacy_extract.py'}")["entity_micro"][
        "f1"
    ]
    print(f"posts: {len(posts):,} ({words:,} words)")
    print(
        f"nkwatch entities:   {len(posts) / entities:8,.0f} posts/s   seed entity micro-F1 {f1_ours:.3f}"
    )
    print(
        f"nkwatch extraction: {len(posts) / ours:8,.0f} posts/s   (entities, attributions,"
        " quantities, dates)"
    )
    print(
        f"spaCy NER:          {len(posts) / theirs:8,.0f} posts/s   seed entity micro-F1 {f1_theirs:.3f}"
    )
    print(f"speed ratio, entities against spaCy's NER: {theirs / entities:.1f}x")
    print(f"speed ratio, the whole extraction against spaCy's NER: {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
