"""Search latency over N generated posts (default 100,000): nkwatch's index and SQLite FTS5.

Posts are made of sentences sampled from the KCNA archive items in
`../shared/corpus/kcna/*.json` (read when the benchmark runs), tagged with
random entities from nkwatch's gazetteer tables and made-up sites (about 500),
random dates 2010-2026 (a few undated), outlets, grades and stories of one to
five versions. It builds the index in batches of 10,000 and reports posts/s,
then runs a mix of queries (words, name spellings, phrases, entity, date,
outlet and grade filters, facets on and off, grouping by story, entity
expansion) and reports p50/p95 milliseconds, cold (first run of each query)
and warm (three more runs each).

The named alternative is a SQLite FTS5 table over the same titles and texts
(porter stemming), asked the word and phrase queries with bm25 ranking, a
snippet() per hit and a count of all matches.

    python bench/search_latency.py [N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nkwatch.names import slug
from nkwatch.pkgdata import read_table
from nkwatch.search import IndexedPost, SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "kcna"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
TABLES = {
    "facilities.tsv": "facility",
    "organizations.tsv": "organization",
    "places.tsv": "place",
    "people.tsv": "person",
    "products.tsv": "product",
}
CITIES = [
    "Chongjin",
    "Hamhung",
    "Nampho",
    "Sinuiju",
    "Wonsan",
    "Kanggye",
    "Haeju",
    "Hyesan",
    "Kimchaek",
    "Tanchon",
    "Anju",
    "Kaechon",
    "Sariwon",
    "Pyongsong",
    "Songrim",
    "Rason",
]
SITES = [
    "Machine Factory",
    "Coal Mine",
    "Textile Mill",
    "Power Station",
    "Cement Complex",
    "Fertilizer Complex",
    "Shipyard",
    "Foodstuff Factory",
    "Tractor Plant",
    "Glass Works",
    "Paper Mill",
    "Cooperative Farm",
    "Silk Mill",
    "Smelter",
    "Pharmaceutical Factory",
]
OUTLETS = [
    ("KCNA", ("Korean Central News Agency",)),
    ("Rodong Sinmun", ("Nodong Sinmun",)),
    ("Daily NK", ("DailyNK",)),
    ("NK News", ("NKNews",)),
    ("Yonhap", ("Yonhap News",)),
    ("38 North", ()),
    ("Radio Free Asia", ("RFA",)),
    ("Asia Press", ("Rimjin-gang",)),
    ("NK Economy Watch", ()),
    ("IFES", ()),
    ("Minju Choson", ("Minju Joson",)),
    ("Choson Sinbo", ()),
]


def sentences(corpus: Path) -> tuple[list[str], list[str]]:
    titles: list[str] = []
    found: list[str] = []
    for path in sorted(corpus.glob("*.json")):
        for item in json.loads(path.read_text("utf-8")):
            titles.append(item.get("headline") or "")
            text = " ".join((item.get("story_text") or "").split())
            found.extend(s for s in SENTENCE.split(text) if 30 <= len(s) <= 400)
    if not found:
        raise SystemExit(f"no KCNA items in {corpus}; pass --corpus DIR")
    return [t for t in titles if t], found


def entities(rng: random.Random) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for table, kind in TABLES.items():
        for row in read_table(table):
            aliases = [a for a in row.get("aliases", "").split("|") if a]
            out.append((f"{kind}:{row['id']}", kind, (row["name"], *aliases)))
    sites = [f"{city} {site}" for city in CITIES for site in SITES]
    rng.shuffle(sites)
    for name in sites[: max(0, 500 - len(out))]:
        out.append((f"facility:{slug(name)}", "facility", (name,)))
    return out


def generate(n: int, rng: random.Random, corpus: Path) -> list[IndexedPost]:
    titles, pool = sentences(corpus)
    known = entities(rng)
    start, days = dt.date(2010, 1, 1), (dt.date(2026, 12, 31) - dt.date(2010, 1, 1)).days
    posts: list[IndexedPost] = []
    while len(posts) < n:
        versions = rng.choice([1, 1, 1, 1, 1, 2, 2, 3, 5])
        story = f"st-{len(posts):06x}"
        grade = rng.choice("ABCDEF") + rng.choice("123456")
        tags = rng.sample(known, rng.randint(0, 4))
        body = [rng.choice(pool) for _ in range(rng.randint(3, 12))]
        for _, _, names in tags[:2]:
            body.insert(rng.randrange(len(body) + 1), f"Reports named the {rng.choice(names)}.")
        published = start + dt.timedelta(days=rng.randrange(days)) if rng.random() > 0.03 else None
        for v in range(min(versions, n - len(posts))):
            outlet, aliases = rng.choice(OUTLETS)
            post_id = f"{rng.getrandbits(48):012x}.{v}"
            posts.append(
                IndexedPost(
                    id=post_id,
                    source=f"https://example.org/{post_id}",
                    post=v,
                    title=rng.choice(titles),
                    text=" ".join(body[v:] if v < len(body) - 2 else body),
                    published=published,
                    outlet=outlet,
                    outlet_aliases=(outlet, *aliases),
                    authors=(),
                    origins=(),
                    entities=tuple(tags),
                    story=story,
                    versions=versions,
                    grade=grade,
                )
            )
    return posts


def queries(rng: random.Random, posts: list[IndexedPost]) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, query, options): 'fts' in the label marks the ones FTS5 also runs."""
    words = [
        "steel",
        "fertilizer",
        "coal mine",
        "Kim Chaek",
        "Kimchaek steel",
        "Gimchaek",
        "Pyongyang",
        "power station",
        "harvest",
        "Chollima",
        "Hamhung",
        "cement production",
        "shipyard",
        "workers",
        "Songrim",
        "machine factory",
        "vinalon",
        "electricity",
        "tractor",
        "modern scientific",
    ]
    phrases = [
        '"iron and steel"',
        '"Workers\' Party of Korea"',
        '"power station"',
        '"Kim Jong Un"',
        '"coal mine"',
        '"socialist construction"',
        '"the Korean people"',
    ]
    tagged = [e[0] for p in posts[:2000] for e in p.entities]
    since = dt.date(2018, 1, 1)
    out: list[tuple[str, str, dict[str, Any]]] = []
    out += [("words fts", w, {}) for w in words]
    out += [("phrase fts", p, {}) for p in phrases]
    out += [("words, no facets", w, {"facets": False}) for w in words[:6]]
    out += [("entity filter", rng.choice(words), {"entity": rng.choice(tagged)}) for _ in range(4)]
    out += [("entity only", "", {"entity": rng.choice(tagged)}) for _ in range(3)]
    out += [("dates", w, {"since": since, "until": dt.date(2020, 6, 30)}) for w in words[:5]]
    out += [("dates only", "", {"since": dt.date(2024, 1, 1)})]
    out += [("outlet+grade", w, {"outlet": "Daily NK", "grade": "C"}) for w in words[5:9]]
    out += [("by story", w, {"by_story": True}) for w in words[:6]]
    out += [("by story, page 5", w, {"by_story": True, "offset": 80}) for w in words[:3]]
    out += [("browse", "", {})]
    known = {"Kim Chaek": [("facility:kim-chaek-steel", "Kim Chaek Iron and Steel Complex")]}
    out += [("expand", q, {"expand": lambda s, k=known: k.get(s, [])}) for q in known]
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def timed(run: Callable[[], object]) -> float:
    t = time.perf_counter()
    run()
    return (time.perf_counter() - t) * 1000


def fts_query(q: str) -> str:
    if q.startswith('"'):
        return q
    return " ".join('"' + w.replace('"', "") + '"' for w in q.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    rng = random.Random(11)
    posts = generate(args.n, rng, args.corpus)
    mix = queries(rng, posts)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex.open(Path(tmp) / "search")
        t = time.perf_counter()
        for stamp, at in enumerate(range(0, len(posts), 10_000), start=1):
            index.add(posts[at : at + 10_000], stamp)
        build = time.perf_counter() - t
        size = sum(f.stat().st_size for f in (Path(tmp) / "search").iterdir()) / 1e6
        rows.append(("nkwatch build", f"{len(posts) / build:,.0f} posts/s", f"{size:,.0f} MB"))

        def search(q: str, options: dict[str, Any]) -> Callable[[], object]:
            return lambda: index.query(q, limit=20, **options)

        cold = [timed(search(q, o)) for _, q, o in mix]
        warm = [timed(search(q, o)) for _ in range(3) for _, q, o in mix]
        totals = {label: index.query(q, **o).total for label, q, o in mix[:3]}
        groups: dict[str, list[float]] = {}
        for (label, _, _), ms in zip(mix * 3, warm, strict=True):
            groups.setdefault(label.replace(" fts", ""), []).append(ms)

        db = sqlite3.connect(Path(tmp) / "fts.db")
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='porter unicode61')")
        t = time.perf_counter()
        db.executemany("INSERT INTO fts VALUES (?, ?)", ((p.title, p.text) for p in posts))
        db.commit()
        fts_build = time.perf_counter() - t

        def fts(q: str) -> Callable[[], object]:
            page = (
                "SELECT rowid, bm25(fts), snippet(fts, 1, '<b>', '</b>', '…', 24) FROM fts "
                "WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 20"
            )
            count = "SELECT count(*) FROM fts WHERE fts MATCH ?"
            return lambda: (
                db.execute(page, (fts_query(q),)).fetchall(),
                db.execute(count, (fts_query(q),)).fetchone(),
            )

        plain = [(q, o) for label, q, o in mix if "fts" in label]
        ours = [timed(search(q, o)) for _ in range(3) for q, o in plain]
        fts_cold = [timed(fts(q)) for q, _ in plain]
        theirs = [timed(fts(q)) for _ in range(3) for q, _ in plain]
        rows.append(("FTS5 build", f"{len(posts) / fts_build:,.0f} posts/s", ""))

    def row(name: str, samples: list[float]) -> tuple[str, str, str]:
        p50, p95 = percentiles(samples)
        return name, f"p50 {p50:6.1f} ms", f"p95 {p95:6.1f} ms  ({len(samples)} runs)"

    rows.append(row(f"nkwatch all {len(mix)} queries, cold", cold))
    rows.append(row(f"nkwatch all {len(mix)} queries, warm", warm))
    rows += [row(f"  {label}", ms) for label, ms in groups.items()]
    rows.append(row(f"nkwatch words+phrases ({len(plain)})", ours))
    rows.append(row(f"FTS5 words+phrases ({len(plain)}), cold", fts_cold))
    rows.append(row(f"FTS5 words+phrases ({len(plain)}), warm", theirs))
    print(f"{len(posts):,} posts; totals of the first queries: {totals}")
    width = max(len(r[0]) for r in rows)
    for name, a, b in rows:
        print(f"{name:<{width}}  {a:<22} {b}")


if __name__ == "__main__":
    main()
