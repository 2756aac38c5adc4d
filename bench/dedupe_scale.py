"""Story assignment time per post as the knowledge base grows: it should stay flat.

Stores N generated posts (default 100,000) into a fresh SQLite file one batch
at a time and times the story step of each post (fingerprint, LSH lookup,
confirmation, bookkeeping). One post in twenty is a reworded copy of an
earlier one, so the confirmation path is exercised too. It prints the mean
milliseconds per post over the posts around 1k, 10k and 100k.

The named alternative is what LSH replaces: comparing a new post with every
stored post. It is timed on 20 posts against the first 10,000 stored, and the
ratio to the LSH time at 10k is printed.

    python bench/dedupe_scale.py [N]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from nkwatch.dedupe import Candidates, Fingerprint, StoryAssigner, judge
from nkwatch.model import Document, Post, StoryDecision
from nkwatch.pipeline import Pipeline, store_batch
from nkwatch.store import open_store

CHECKPOINTS = (1_000, 10_000, 100_000)
WINDOW = 500  # posts timed around each checkpoint


def vocabulary(rng: random.Random, size: int = 8_000) -> tuple[list[str], list[float]]:
    letters = "abcdeghijklmnoprstuwy"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]
    weights = [1 / (rank + 1) for rank in range(size)]  # Zipf, like running text
    return words, weights


def generate(n: int, rng: random.Random) -> list[str]:
    words, weights = vocabulary(rng)
    texts: list[str] = []
    for i in range(n):
        if i > 100 and rng.random() < 0.05:
            source = texts[rng.randrange(len(texts) - 100, len(texts))].split()  # a recent post
            for _ in range(len(source) // 10):
                source[rng.randrange(len(source))] = rng.choices(words, weights)[0]
            texts.append(" ".join(source))
        else:
            texts.append(" ".join(rng.choices(words, weights, k=rng.randint(120, 400))))
    return texts


class TimedAssigner(StoryAssigner):
    """The dedupe stage, timed post by post (candidates, judgement, decision)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def decide(self, store: Candidates, post: Post) -> StoryDecision:
        t = time.perf_counter()
        decision = super().decide(store, post)
        self.times.append(time.perf_counter() - t)
        return decision


def main(n: int) -> None:
    rng = random.Random(11)
    texts = generate(n, rng)
    day = dt.date(2020, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "kb.db", write=True)
        pipeline = Pipeline(entities=False)
        assigner = TimedAssigner()
        times = assigner.times
        batch: list[tuple[Document, list[Post]]] = []
        for i, text in enumerate(texts):
            published = day + dt.timedelta(days=i // 50)
            doc = Document(f"gen/{i}.txt", "text", text, f"sha{i}", f"Post {i}", published)
            batch.append((doc, [Post(doc.id, 0, doc.source, text, doc.title, published)]))
            if len(batch) == 200:
                store_batch(store, batch, pipeline, assigner)
                batch.clear()
        if batch:
            store_batch(store, batch, pipeline, assigner)
        stories = store.stats()["stories"]
        store.close()

    print(f"{n:,} posts stored, {stories:,} stories")
    at: dict[int, float] = {}
    for mark in CHECKPOINTS:
        if mark <= n:
            window = times[mark - WINDOW : mark]
            at[mark] = 1000 * sum(window) / len(window)
            print(f"  story step around post {mark:>7,}: {at[mark]:.2f} ms per post")

    if 10_000 in at:
        stored = [Fingerprint(t) for t in texts[:10_000]]
        t = time.perf_counter()
        for text in texts[10_000:10_020]:
            new = Fingerprint(text)
            for old in stored:
                judge(old, new)
        brute = 1000 * (time.perf_counter() - t) / 20
        print(
            f"  all-pairs comparison at 10,000 posts: {brute:.1f} ms per post"
            f" ({brute / at[10_000]:.0f}x the LSH step; it grows with the store, LSH does not)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
