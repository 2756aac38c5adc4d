"""Copies of one post as real sites make them: a mobile page, a listing's teaser under a dated
byline, a section listing's summary under the post's own headline."""

from __future__ import annotations

import pytest

from nkwatch import Pipeline
from nkwatch.model import Story
from nkwatch.pipeline import ingest_paths
from nkwatch.ratings import Ratings
from nkwatch.store import open_store
from nkwatch.stories import views

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "copies"


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> list[Story]:
    db = tmp_path_factory.mktemp("copies") / "kb.db"
    store = open_store(db, write=True)
    try:
        assert not ingest_paths([FIXTURES], store, pipeline).failures
    finally:
        store.close()
    store = open_store(db)
    try:
        return views(store.story_versions(), Ratings.load())
    finally:
        store.close()


def story_of(stories: list[Story], source: str, index: int = 0) -> Story:
    return next(
        s for s in stories for v in s.versions if v.source.endswith(source) and v.index == index
    )


def test_listing_pages_are_split_into_their_entries(stories: list[Story]) -> None:
    listing = [v for s in stories for v in s.versions if v.source.endswith("listing.txt")]
    assert sorted(v.index for v in listing) == [0, 1, 2]
    assert all(v.title is None for v in listing)  # the listing shows dated bylines, no titles
    sections = [v for s in stories for v in s.versions if v.source.endswith("sections.txt")]
    assert [v.title for v in sorted(sections, key=lambda v: v.index)] == [
        "Freight wagons pile up at Sinuiju customs as trade picks up",
        "Greenhouse farm near Hamhung keeps growing",
        "A second quay for Nampho's coal trade",
    ]


def test_permalink_mobile_copy_and_both_teasers_are_one_story(stories: list[Story]) -> None:
    wagons = story_of(stories, "sinuiju-customs-wagons-2025")
    sources = sorted((v.source.rsplit("/", 2)[-2:], v.index) for v in wagons.versions)
    assert sources == [
        (["analysis", "sinuiju-customs-wagons-2025"], 0),
        (["copies", "listing.txt"], 0),
        (["copies", "sections.txt"], 0),
        (["sinuiju-customs-wagons-2025", "?utm_source=share"], 0),
    ]


def test_other_entries_and_other_pages_of_the_site_stay_apart(stories: list[Story]) -> None:
    wagons = story_of(stories, "sinuiju-customs-wagons-2025")
    prices = story_of(stories, "hyesan-prices-march-2025")
    assert prices is not wagons and len(prices.versions) == 1
    for source, index in (("listing.txt", 1), ("listing.txt", 2), ("sections.txt", 1)):
        assert story_of(stories, source, index) is not wagons
