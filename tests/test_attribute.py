"""Attributions: the sentences that say where a post's information comes from, with a kind."""

from __future__ import annotations

from nkwatch import Pipeline
from nkwatch.model import Post

TEXT = (
    "Rice rose to 6,000 KPW a kilogram, a source in North Pyongan Province told Daily NK. "
    "The Choson Sinbo, a pro-North Korean newspaper in Japan, reported that the Pyongyang "
    "Socks Factory doubled its output. "
    "Satellite images reviewed by 38 North show new buildings at the Nampo Shipyard. "
    "KCNA said the Kumsong Tractor Factory made 1,200 tractors. "
    "The factory has 3,000 workers."
)


def test_kinds_and_spans(pipeline: Pipeline) -> None:
    assert pipeline.extractor is not None
    post = pipeline.extractor.extract(Post("d", 0, "t.txt", TEXT))
    got = {(a.kind, a.source) for a in post.attributions}
    assert ("anonymous-source", "a source in North Pyongan Province") in got
    assert ("defector-media", "Daily NK") in got
    assert ("pro-dprk-media", "Choson Sinbo") in got
    assert ("satellite-imagery", "satellite imagery") in got
    assert ("research-institute", "38 North") in got
    assert ("state-media", "Korean Central News Agency") in got
    for a in post.attributions:
        assert TEXT[a.start : a.end].strip() == a.text
    assert not any(
        "3,000 workers" in a.text for a in post.attributions
    )  # no source, no attribution


def test_reporting_verbs_one_list(pipeline: Pipeline) -> None:
    assert pipeline.extractor is not None
    text = (
        "Paul Mason argued that prices rose. "
        "Coal piled up at the port, a noted defector said. "
        "Analysing the practices revealed among officials, he stressed the point."
    )
    post = pipeline.extractor.extract(Post("d", 0, "t.txt", text))
    assert ("person", "Paul Mason") in {(m.type, m.name) for m in post.mentions}
    assert [(a.kind, a.source) for a in post.attributions] == [
        ("named-official", "Paul Mason"),
        ("anonymous-source", "a noted defector"),
    ]
