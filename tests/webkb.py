"""A knowledge base for the web tests: samples/, the story fixtures and two hostile documents.

The hostile documents carry markup in their titles and text (a <script> that renames the
page, an <img onerror>): every page must show it as text and run none of it.
"""

from __future__ import annotations

from pathlib import Path

from nkwatch.pipeline import Pipeline, ingest_paths
from nkwatch.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"

HOSTILE_TXT = f"""{IMG} Sinuiju Cosmetics Factory widens its shifts
2024-05-02

{SCRIPT} Workers at the Sinuiju Cosmetics Factory told a source in Sinuiju that night shifts
were added in April. {IMG} The factory now runs three shifts, the source said.
"""

HOSTILE_HTML = """<!DOCTYPE html>
<html><head><title>&lt;script&gt;document.title='pwned'&lt;/script&gt; Sinuiju Cosmetics Factory adds a line</title>
<meta name="date" content="2024-05-03"><meta property="og:site_name" content="Border Trade Notes">
<script>document.title='pwned'</script></head>
<body><article>
<h1>&lt;script&gt;document.title='pwned'&lt;/script&gt; Sinuiju Cosmetics Factory adds a line</h1>
<p>&lt;img src=x onerror="document.title='pwned'"&gt; The Sinuiju Cosmetics Factory has added a
second soap line, traders in Sinuiju said this week. The new line came from a plant in Dandong.</p>
<p>&lt;script&gt;alert('pwned')&lt;/script&gt; Soap output is said to have doubled since March,
according to traders who visit the city every month.</p>
<img src="x" onerror="document.title='pwned'">
</article></body></html>
"""


def write_hostile(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    txt, html = folder / "hostile-note.txt", folder / "hostile-page.html"
    txt.write_text(HOSTILE_TXT, "utf-8")
    html.write_text(HOSTILE_HTML, "utf-8")
    return [txt, html]


def build_kb(folder: Path, pipeline: Pipeline) -> Path:
    """samples/, tests/fixtures/stories/ and the hostile documents, ingested into folder/kb.db."""
    db = folder / "kb.db"
    paths = [
        ROOT / "samples",
        ROOT / "tests" / "fixtures" / "stories",
        *write_hostile(folder / "hostile"),
    ]
    store = open_store(db, write=True)
    try:
        report = ingest_paths(paths, store, pipeline)
    finally:
        store.close()
    assert not report.failures, report.failures
    return db
