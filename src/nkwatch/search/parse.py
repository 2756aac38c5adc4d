"""What someone typed in a search box, as a tantivy query. Never an error.

Words and "quoted phrases" must all match; `OR` between two of them lets either
do. Everything else that is not a word (brackets, stars, colons, a stray quote)
is ignored, so no input is a syntax error. Each word matches its folded key
(any romanization), its stem in the title or text, or a name of an entity the
post mentions; neighbouring words also match written as one ("Kim Chaek" finds
"Kimchaek" and the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import tantivy
from tantivy import Occur, Query

from ..names import tokens
from ..pkgdata import read_lines

MAX_CLAUSES = 32  # words or phrases of one query; the rest are ignored
MAX_PHRASE = 12  # words of one phrase
QUOTED = re.compile(r'["“”„]([^"“”„]*)(?:["“”„]|$)')
BOOSTS = {"keys": 1.0, "text": 1.0, "title": 2.0, "entity_names": 0.5}


@dataclass(frozen=True)
class Words:
    """One word, or the words of one quoted phrase."""

    surface: tuple[str, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    """Alternatives written with OR between them; one of them must match."""

    options: tuple[Words, ...]

    @property
    def word(self) -> str | None:
        """The key of the clause when it is one plain word, else None."""
        if len(self.options) == 1 and len(self.options[0].keys) == 1:
            return self.options[0].keys[0]
        return None


def parse(q: str, fold: Callable[[str], str]) -> tuple[Clause, ...]:
    groups: list[list[Words]] = []
    either = False

    def add(surface: list[str]) -> None:
        nonlocal either
        words = Words(tuple(surface), tuple(fold(w) for w in surface))
        if either and groups:
            groups[-1].append(words)
        else:
            groups.append([words])
        either = False

    start = 0
    for m in [*QUOTED.finditer(q), None]:
        for word, _, _ in tokens(q[start : m.start() if m else len(q)]):
            if word == "OR":
                either = bool(groups)
            elif word != "AND":
                add([word])
        if m is not None:
            phrase = [w for w, _, _ in tokens(m.group(1))][:MAX_PHRASE]
            if phrase:
                add(phrase)
            start = m.end()
    return tuple(Clause(tuple(g)) for g in groups[:MAX_CLAUSES])


def highlights(clauses: Sequence[Clause]) -> frozenset[str]:
    """Every key the query matches in text, joined neighbours included."""
    out: set[str] = set()
    for clause in clauses:
        for words in clause.options:
            out.update(words.keys)
            out.update(a + b for a, b in zip(words.keys, words.keys[1:], strict=False))
    plain = [c.word for c in clauses]
    out.update(a + b for a, b in zip(plain, plain[1:], strict=False) if a and b)
    return frozenset(out)


class Builder:
    """Builds tantivy queries on one schema; stems words as the `en_stem` tokenizer does."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self.stemmer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        self.common = frozenset(w.lower() for w in read_lines("stopwords.txt"))

    def stems(self, surface: Sequence[str]) -> list[str]:
        return [s for w in surface for s in self.stemmer.analyze(w)]

    def terms(self, field: str, words: Sequence[str]) -> Query | None:
        """A term, or a phrase of several; None for none."""
        if not words:
            return None
        if len(words) == 1:
            query = Query.term_query(self.schema, field, words[0])
        else:
            query = Query.phrase_query(self.schema, field, list(enumerate(words)))
        boost = BOOSTS.get(field, 1.0)
        return query if boost == 1.0 else Query.boost_query(query, boost)

    def words(self, words: Words, joined: Sequence[str] = ()) -> list[Query]:
        stems = self.stems(words.surface)
        keys = list(words.keys)
        found = [
            self.terms("keys", keys),
            self.terms("text", stems),
            self.terms("title", stems),
            self.terms("entity_names", keys),
        ]
        for i in range(len(keys) - 1):  # a phrase with two of its words written as one
            if not self.common & {words.surface[i].lower(), words.surface[i + 1].lower()}:
                one = [*keys[:i], keys[i] + keys[i + 1], *keys[i + 2 :]]
                found.append(self.terms("keys", one))
        found.extend(self.terms("keys", [key]) for key in joined)
        return [q for q in found if q is not None]

    def clause(self, clauses: Sequence[Clause], i: int) -> Query:
        word = clauses[i].word
        joined = []
        if word:
            before = clauses[i - 1].word if i else None
            after = clauses[i + 1].word if i + 1 < len(clauses) else None
            joined = [a + b for a, b in ((before, word), (word, after)) if a and b]
        options = [q for words in clauses[i].options for q in self.words(words, joined)]
        return either(options)

    def match(self, clauses: Sequence[Clause], every: bool) -> Query:
        """Posts with every clause (every=True) or with any, ranked by how many."""
        parts = [self.clause(clauses, i) for i in range(len(clauses))]
        return both(parts) if every else either(parts)


def either(queries: Sequence[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def both(queries: Sequence[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, q) for q in queries])
