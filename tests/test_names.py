"""Name helpers every stage shares: one way to drop a leading 'the', one Minister -> Ministry."""

from __future__ import annotations

import pytest

from nkwatch.names import Keys, display, key_of, ministry_of, without_article


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("the Daily NK", "Daily NK"),
        ("The  Choson Sinbo", "Choson Sinbo"),
        ("THE DPRK", "DPRK"),
        ("Theatre Workers' Union", "Theatre Workers' Union"),
        ("An Chang-il", "An Chang-il"),
        ("A Source", "A Source"),
    ],
)
def test_without_article(name: str, bare: str) -> None:
    assert without_article(name) == bare


def test_display_drops_article_possessive_and_spaces() -> None:
    assert display(" the  Foreign Ministry's, ") == "Foreign Ministry"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Minister of Railways", "Ministry of Railways"),
        ("Minister of Foreign Affairs", "Ministry of Foreign Affairs"),
        ("Ministry of Railways", None),
        ("Ministers of Railways", None),
        ("Prime Minister of Korea", None),
        ("Minister Kim", None),
    ],
)
def test_ministry_of(name: str, body: str | None) -> None:
    assert ministry_of(name) == body


def test_bounded_keys_agree_with_key_of() -> None:
    keys = Keys(size=2)
    names = ["Ch'ŏngjin Steel", "Cheongjin Steel", "Rodong Sinmun", "Nodong Sinmun"] * 3
    assert [keys.key_of(n) for n in names] == [key_of(n) for n in names]
