from __future__ import annotations

import pytest

from nkwatch import Pipeline
from nkwatch.model import Post
from nkwatch.names import fold, key_of


def entities(pipeline, text: str, **kw) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    post = pipeline.extractor.extract(Post("d" * 64, 0, "t", text, **kw))
    for m in post.mentions:
        assert text[m.start : m.end] == m.text
    return {(m.type, m.name) for m in post.mentions if m.type != "product"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ch'ŏngjin", "Cheongjin"),
        ("Chongjin", "Ch'ongjin"),
        ("Choguk", "Joguk"),
        ("Potong", "Pothong"),
        ("Rodong", "Nodong"),
        ("Sinmun", "Shinmun"),
        ("Hamgyong", "Hamkyeong"),
    ],
)
def test_romanizations_share_a_key(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_gazetteer_names_do_not_collide(pipeline) -> None:  # type: ignore[no-untyped-def]
    clashes = {k: [e.id for e in v] for k, v in pipeline.gazetteer.by_key.items() if len(v) > 1}
    assert clashes == {}


def test_known_names_under_any_spelling(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(
        pipeline,
        "Workers at the Kimchaek Iron and Steel Works read the Nodong Sinmun "
        "and the Chosun Sinbo, which quoted the 김책제철련합기업소 manager.",
    )
    assert ("facility", "Kim Chaek Iron and Steel Complex") in found
    assert ("outlet", "Rodong Sinmun") in found
    assert ("outlet", "Choson Sinbo") in found
    assert len([f for f in found if f[1] == "Kim Chaek Iron and Steel Complex"]) == 1


def test_provinces_as_sources_in_the_north_spell_them(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(pipeline, "A source in North Hamkyung province said prices rose.")
    assert ("place", "North Hamgyong Province") in found


def test_homonyms_stay_apart(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(
        pipeline,
        "Kim Chaek led guerrillas. Kimchaek is a port city. The Kim Chaek University "
        "of Technology trains engineers for the Kim Chaek Iron and Steel Complex.",
    )
    assert found >= {
        ("person", "Kim Chaek"),
        ("place", "Kimchaek"),
        ("organization", "Kim Chaek University of Technology"),
        ("facility", "Kim Chaek Iron and Steel Complex"),
    }


def test_unknown_names_by_head_family_name_and_list(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Ryongnam Glass Factory and the Ministry of Building-Materials Industry met. "
        "Ri Chol Man, a manager, said the Sinhung, Tokchon and Unsan cement plants were idle."
    )
    found = entities(pipeline, text)
    assert ("facility", "Ryongnam Glass Factory") in found
    assert ("organization", "Ministry of Building-Materials Industry") in found
    assert ("person", "Ri Chol Man") in found
    assert {("facility", f"{n} cement plant") for n in ("Sinhung", "Unsan")} <= found


def test_short_forms_acronyms_and_aka_join(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Hamhung Pump Machine Factory 12 said it doubled output. Factory 12 also made valves. "
        "The Ryomyong Workers' Union [RWU] backed it; RWU members agreed."
    )
    post = pipeline.extractor.extract(Post("d" * 64, 0, "t", text))
    ids = {m.text: m.entity_id for m in post.mentions}
    assert ids["Factory 12"] == ids["Hamhung Pump Machine Factory 12"]
    assert ids["RWU"] == ids["Ryomyong Workers' Union"]


def test_unknown_ids_are_spelling_blind(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.extractor.extract(Post("a" * 64, 0, "t", "The Pothong Hosiery Factory grew."))
    b = pipeline.extractor.extract(Post("b" * 64, 0, "t", "The Potong Hosiery Factory grew."))
    assert a.mentions[0].entity_id == b.mentions[0].entity_id
    assert key_of("Pothong Hosiery Factory") == key_of("Potong Hosiery Factory")


def test_generic_mentions_are_not_entities(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(
        pipeline, "The factory and the Party said steel plants and Factories must work harder."
    )
    assert found == set()


def test_bylines_make_people(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(pipeline, "Text by Violet Roe.", translators=("Violet Roe",))
    assert ("person", "Violet Roe") in found


def test_short_reference_to_a_known_facility(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(
        pipeline, "Work sped up at the Kim Chaek complex. The Pyongyang factory was idle."
    )
    assert found == {("facility", "Kim Chaek Iron and Steel Complex"), ("place", "Pyongyang")}


def test_generic_bodies_take_their_owner(pipeline: Pipeline) -> None:
    assert pipeline.extractor is not None
    text = (
        "A spokesperson for the Foreign Ministry of the Democratic People's Republic of Korea "
        "met the general secretary of the Central Committee of the Communist Party of Vietnam."
    )
    mentions = pipeline.extractor.extract(Post("d", 0, "t.txt", text)).mentions
    assert [(m.text, m.entity_id) for m in mentions][:1] == [
        ("Foreign Ministry of the Democratic People's Republic of Korea", "organization:mofa")
    ]
    vietnam = mentions[1]
    assert vietnam.text == "Central Committee of the Communist Party of Vietnam"
    assert vietnam.entity_id != "organization:wpk-cc"  # not the Korean party's committee
    assert len(mentions) == 2  # the owners are inside the names, not mentions of their own


def test_an_office_names_its_ministry(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "He met the Minister of Coal Industry. Later the Minister of Railways spoke."
    post = pipeline.extractor.extract(Post("d" * 64, 0, "t", text))
    assert [(m.text, m.name, m.entity_id) for m in post.mentions] == [
        ("Minister of Coal Industry", "Ministry of Coal Industry", "organization:mocoal"),
        ("Minister of Railways", "Ministry of Railways", "organization:~minisdry-of-rairways"),
    ]


@pytest.mark.parametrize(
    ("owner", "entity_id"),
    [
        ("North Korean", "organization:mofa"),
        ("Korean", "organization:mofa"),
        ("Chinese", "organization:~jinese-minisdry-of-foreign-afairs"),
        ("Russian", "organization:~rusian-minisdry-of-foreign-afairs"),
    ],
)
def test_demonyms_say_whose_body_it_is(pipeline, owner: str, entity_id: str) -> None:  # type: ignore[no-untyped-def]
    text = f"The {owner} Ministry of Foreign Affairs issued a statement."
    [mention] = pipeline.extractor.extract(Post("d" * 64, 0, "t", text)).mentions
    assert mention.entity_id == entity_id


def test_outlet_words_before_and_after_a_name(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = entities(
        pipeline,
        "Asia Tonight, a Seoul-based news site, and the news site Hanbit Daily both ran it.",
    )
    assert ("outlet", "Asia Tonight") in found and ("outlet", "Hanbit Daily") in found
