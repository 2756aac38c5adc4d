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
from nkwatch.model import Attribution, DateMention, Mention, Post, Quantity
from nkwatch.names import tokens
from nkwatch.resolve import resolve

Names = tuple[tuple[Mention, ...], tuple[Attribution, ...]]
Figures = tuple[tuple[Quantity, ...], tuple[DateMention, ...]]


class Extractor:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.recogniser = Recogniser(gazetteer)
        self.attributor = Attributor(gazetteer)
        self.quantities = QuantityScanner()
        self.dates = DateFinder()

    def extract(self, post: Post) -> Post:
        (mentions, attributions), (quantities, dates) = self.names(post), self.figures(post)
        return dataclasses.replace(
            post, mentions=mentions, attributions=attributions, quantities=quantities, dates=dates
        )

    def names(self, post: Post) -> Names:
        """The entities a post names, and who it says said what: one half of `extract`."""
        people = tuple(
            dict.fromkeys(
                [*post.authors, *post.translators, *(o.author for o in post.origins if o.author)]
            )
        )
        words = tokens(post.text)
        candidates = select(self.recogniser.candidates(post.text, people, words))
        mentions = tuple(resolve(post.text, candidates, self.gazetteer))
        return mentions, self.attributor.attribute(post.text, mentions, words)

    def figures(self, post: Post) -> Figures:
        """The quantities and dates a post states: the other half, which needs nothing of
        the first."""
        quantities = self.quantities.scan(post.text)
        spans = [(q.start, q.end) for q in quantities]
        return quantities, self.dates.find(post.text, post.published, spans, post.title)
