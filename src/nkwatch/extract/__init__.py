"""extract: a described Post -> the same Post with entity mentions, attributions,
quantities and the dates its text names.

`Extractor` holds what extraction needs (the gazetteer and the recogniser),
built once; `extract` is the per-post function.
"""

from __future__ import annotations

import dataclasses

from nkwatch.extract.attribute import Attributor
from nkwatch.extract.quantities import QuantityScanner
from nkwatch.extract.recognise import Recogniser, select
from nkwatch.extract.textdates import DateFinder
from nkwatch.gazetteer import Gazetteer
from nkwatch.model import Post
from nkwatch.names import tokens
from nkwatch.resolve import resolve


class Extractor:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.recogniser = Recogniser(gazetteer)
        self.attributor = Attributor(gazetteer)
        self.quantities = QuantityScanner()
        self.dates = DateFinder()

    def extract(self, post: Post) -> Post:
        people = tuple(
            dict.fromkeys(
                [*post.authors, *post.translators, *(o.author for o in post.origins if o.author)]
            )
        )
        words = tokens(post.text)
        candidates = select(self.recogniser.candidates(post.text, people, words))
        mentions = tuple(resolve(post.text, candidates, self.gazetteer))
        attributions = self.attributor.attribute(post.text, mentions, words)
        quantities = self.quantities.scan(post.text)
        spans = [(q.start, q.end) for q in quantities]
        dates = self.dates.find(post.text, post.published, spans, post.title)
        return dataclasses.replace(
            post, mentions=mentions, attributions=attributions, quantities=quantities, dates=dates
        )
