"""Entities no project table holds: world places, names read from their shape and
context, coordinations and 'of' chains, ambiguous names, and the junk of KCNA copies."""

from __future__ import annotations

from nkwatch import Pipeline
from nkwatch.model import Post
from nkwatch.resolve import entities_of


def extract(pipeline: Pipeline, text: str) -> Post:
    post = pipeline.extractor.extract(Post("e" * 64, 0, "t", text))  # type: ignore[union-attr]
    for m in post.mentions:
        assert text[m.start : m.end] == m.text
    return post


def found(pipeline: Pipeline, text: str) -> set[tuple[str, str]]:
    return {(m.type.value, m.name) for m in extract(pipeline, text).mentions}


# -- world places -----------------------------------------------------------------


def test_chinese_border_cities_and_provinces(pipeline: Pipeline) -> None:
    got = found(
        pipeline,
        "Lorries left Dandong in Liaoning for Sinuiju, while buyers from Shenyang, "
        "Dalian and Jilin waited.",
    )
    for name in ("Dandong", "Liaoning", "Shenyang", "Dalian", "Jilin", "Sinuiju"):
        assert ("place", name) in got


def test_foreign_places_carry_their_own_country_and_a_point(pipeline: Pipeline) -> None:
    post = extract(pipeline, "Coal went from Nampho to Dandong and on to Shenyang.")
    by_name = {e.name: e for e in entities_of(post, pipeline.gazetteer)}
    assert by_name["Dandong"].info["country"] == "CN"
    assert by_name["Shenyang"].info["lat"] and by_name["Shenyang"].info["lon"]
    assert "province" not in by_name["Dandong"].info  # never filed under a DPRK province
    assert by_name["Nampo"].info["country"] == "KP"


def test_countries_under_their_short_forms(pipeline: Pipeline) -> None:
    got = found(
        pipeline, "Ships bound for Russia and Britain were turned back near the U.K. coast."
    )
    assert ("place", "Russian Federation") in got
    assert ("place", "United Kingdom") in got


def test_regions_seas_and_rivers_from_the_table(pipeline: Pipeline) -> None:
    got = found(
        pipeline, "Tankers in the Yellow Sea served Southeast Asia and the Amur River ports."
    )
    assert {("place", "Yellow Sea"), ("place", "Southeast Asia"), ("place", "Amur River")} <= got


def test_city_names_that_are_everyday_words_are_not_places(pipeline: Pipeline) -> None:
    got = found(pipeline, "Mobile phones sold well. Reading the North's figures is hard.")
    assert not {n for t, n in got if t == "place"} & {"Mobile", "Reading", "Nord"}


def test_a_foreign_name_inside_a_longer_name_is_not_a_place(pipeline: Pipeline) -> None:
    got = found(pipeline, "Vladimir Vladimirovich Putin sent greetings.")
    assert not any(t == "place" for t, _ in got)


# -- people and organisations from the shape of the name ----------------------------


def test_western_names_from_a_given_name(pipeline: Pipeline) -> None:
    got = found(pipeline, "The images studied by Dennis Walsh and Laura Kemp show new sheds.")
    assert {("person", "Dennis Walsh"), ("person", "Laura Kemp")} <= got


def test_korean_names_hyphenated_and_after_a_word_like_surname(pipeline: Pipeline) -> None:
    got = found(pipeline, "Ri Chol-ho spoke first. An Myong Su, the manager, followed.")
    assert ("person", "Ri Chol-ho") in got
    assert ("person", "An Myong Su") in got


def test_chinese_names_in_pinyin(pipeline: Pipeline) -> None:
    got = found(pipeline, "At the briefing Zhao Lijian gave no figures on the trade.")
    assert ("person", "Zhao Lijian") in got


def test_apposition_with_a_role_makes_a_person(pipeline: Pipeline) -> None:
    got = found(pipeline, "Tomas Brekke, a researcher at the Oslo Peace Institute, disagreed.")
    assert ("person", "Tomas Brekke") in got
    assert ("organization", "Oslo Peace Institute") in got


def test_companies_and_bodies_by_their_head_word(pipeline: Pipeline) -> None:
    got = found(
        pipeline,
        "Imagery from Orbit Labs and a filing by Hanseong Resources were cited by the "
        "General Administration of Customs.",
    )
    assert ("organization", "Orbit Labs") in got
    assert ("organization", "Hanseong Resources") in got
    assert ("organization", "General Administration of Customs") in got


# -- coordinations and 'of' chains ----------------------------------------------------


def test_two_facilities_joined_by_and_are_two(pipeline: Pipeline) -> None:
    got = found(
        pipeline, "Kumsong Tractor Factory and Taean Friendship Glass Factory met the plan."
    )
    assert ("facility", "Kumsong Tractor Factory") in got
    assert ("facility", "Taean Friendship Glass Factory") in got


def test_a_shared_plural_head_gives_each_name_the_head(pipeline: Pipeline) -> None:
    got = found(pipeline, "Output rose at the Ryongsong and Rakwon Machine Complexes this year.")
    assert ("facility", "Ryongsong Machine Complex") in got
    assert ("facility", "Rakwon Machine Complex") in got


def test_two_provinces_joined_by_and_are_two(pipeline: Pipeline) -> None:
    got = found(pipeline, "Prices fell in Ryanggang Province and North Hamgyong Province.")
    places = {n for t, n in got if t == "place"}
    assert len(places) == 2 and all(" and " not in n for n in places)


def test_a_person_of_a_company_is_two_entities(pipeline: Pipeline) -> None:
    got = found(pipeline, "Chung Mong-koo of Hyundai-Kia Automotive Group visited the zone.")
    assert ("person", "Chung Mong-koo") in got
    assert ("organization", "Hyundai-Kia Automotive Group") in got


def test_a_district_of_a_province_is_two_places(pipeline: Pipeline) -> None:
    got = found(pipeline, "A market opened in Okjon District of South Pyongan Province.")
    assert ("place", "South Pyongan Province") in got
    assert ("place", "Okjon District") in got


def test_a_generic_body_keeps_its_owner(pipeline: Pipeline) -> None:
    got = found(
        pipeline, "A message came from the Central Committee of the Communist Party of Vietnam."
    )
    orgs = {n for t, n in got if t == "organization"}
    assert orgs == {"Central Committee of the Communist Party of Vietnam"}


# -- ambiguity by context --------------------------------------------------------------


def test_kimchaek_city_person_and_works(pipeline: Pipeline) -> None:
    city = found(pipeline, "Steel left Kimchaek by rail.")
    assert any(t == "place" for t, _ in city)
    works = found(pipeline, "The Kim Chaek Iron and Steel Complex raised output.")
    assert any(t == "facility" for t, _ in works) and not any(t == "person" for t, _ in works)


def test_musan_county_and_musan_mine(pipeline: Pipeline) -> None:
    got = found(pipeline, "Ore from the Musan Mine was trucked out of Musan at night.")
    assert any(t == "facility" and "Musan" in n for t, n in got)
    assert ("place", "Musan") in got


def test_a_named_port_is_a_facility_and_a_foreign_port_stays_foreign(pipeline: Pipeline) -> None:
    got = found(pipeline, "Ships loaded coal at Nampo port and unloaded at Maizuru Port of Japan.")
    assert ("facility", "Nampo Port") in got
    assert ("facility", "Maizuru Port") in got
    assert ("place", "Japan") in got
    assert not any(n.startswith("Maizuru Port of") for _, n in got)


# -- KCNA junk --------------------------------------------------------------------------


def test_no_name_begins_with_of_the(pipeline: Pipeline) -> None:
    got = found(pipeline, "Officials of the Sariwon Textile Mill pledged to work harder.")
    assert ("facility", "Sariwon Textile Mill") in got
    assert not any(n.lower().startswith("of ") for _, n in got)


def test_words_run_together_around_names_come_apart(pipeline: Pipeline) -> None:
    got = found(
        pipeline, "Greetings were sent toKim Jong Unon Monday by students ofKim Il SungUniversity."
    )
    assert ("person", "Kim Jong Un") in got
    assert any(t == "organization" and n == "Kim Il Sung University" for t, n in got)


def test_a_brand_written_in_camel_case_is_not_split(pipeline: Pipeline) -> None:
    got = found(pipeline, "The operator RasonConTrans said it refused.")
    assert not any(t == "place" for t, _ in got)


def test_shared_plural_places_and_directions(pipeline: Pipeline) -> None:
    names = found(
        pipeline,
        "Trade zones on the Wihwa and Hwanggumpyong Islands stayed empty, and rain fell in "
        "North and South Hamgyong Provinces.",
    )
    assert {
        ("place", "Wihwa Island"),
        ("place", "Hwanggumpyong Island"),
        ("place", "North Hamgyong Province"),
        ("place", "South Hamgyong Province"),
    } <= names


def test_owners_joined_by_and_before_a_plural_are_not_sites(pipeline: Pipeline) -> None:
    names = found(pipeline, "Both the Chinese and Russian governments operate piers at Rajin.")
    assert not {n for t, n in names if t == "facility"}


def test_a_body_that_takes_on_keeps_its_subject(pipeline: Pipeline) -> None:
    names = found(pipeline, "Jane Roe of the Council on Foreign Relations spoke on Monday.")
    assert ("organization", "Council on Foreign Relations") in names


def test_a_long_name_misspelled_by_a_letter_is_the_known_body(pipeline: Pipeline) -> None:
    post = extract(pipeline, "A report by the Institute for Far Easter Studies said so.")
    [ifes] = [m for m in post.mentions if m.type.value == "organization"]
    assert ifes.name == "Institute for Far Eastern Studies"
    assert ifes.text == "Institute for Far Easter Studies"


def test_a_title_after_and_and_a_glued_tail_that_spells_a_word(pipeline: Pipeline) -> None:
    names = found(
        pipeline, "Flowers lay before PresidentKim Il Sungand ChairmanKim Jong Ilon the day."
    )
    assert names == {("person", "Kim Il Sung"), ("person", "Kim Jong Il")}
    names = found(
        pipeline, "Tribute was paid to Premier Pak Pong Ju and Chairman Kim Jong Il, who spoke."
    )
    assert ("person", "Kim Jong Il") in names
    assert not any(n.startswith("Chairman") for _, n in names)
