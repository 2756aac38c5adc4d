"""Quantities found in post text: units, kinds, denominators, ranges, words for numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkwatch.extract.quantities import QuantityScanner
from nkwatch.model import Quantity


@pytest.fixture(scope="module")
def scan() -> QuantityScanner:
    return QuantityScanner()


def found(scan: QuantityScanner, text: str) -> list[Quantity]:
    out = list(scan.scan(text))
    for q in out:
        assert text[q.start : q.end] == q.text  # every span is exactly its text
    return out


def only(scan: QuantityScanner, text: str) -> Quantity:
    out = found(scan, text)
    assert len(out) == 1, out
    return out[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Corn sold for 2,300 won at the Hyesan market.", 2300, "KPW"),
        ("A bicycle costs 46,000 Korean People's Won there.", 46000, "KPW"),
        ("Tickets were 15,000 South Korean won each.", 15000, "KRW"),
        ("The firm spent US$2.5 million on cranes.", 2_500_000, "USD"),
        ("Traders paid 300 yuan for the phone.", 300, "CNY"),
        ("A kilogram of rice cost KPW 5,550 in Pyongyang.", 5550, "KPW"),
        ("Tickets cost KRW 12,000 in Seoul.", 12000, "KRW"),
        ("Corn sold for 58 US cents per kg.", 0.58, "USD"),
        ("Imports came to nearly 45,000 t of coal.", 45000, "t"),
        ("Each boat carries about 20 liters of fuel.", 20, "liters"),
        ("Exports grew more than five-fold.", 5, "times"),
        ("The lease was RMB 1,200 a year.", 1200, "CNY"),
        ("The loan came to 40 million euros.", 40_000_000, "EUR"),
        ("The ship was sold for 900 million yen.", 900_000_000, "JPY"),
        ("Moscow wrote off 10 billion rubles of debt.", 10_000_000_000, "RUB"),
        ("Output rose 12.5 percent from last year.", 12.5, "%"),
        ("Imports grew 7 pct on-year.", 7, "%"),
        ("The mine shipped 3.2 million tonnes of anthracite.", 3_200_000, "t"),
        ("Each family received 12kg of maize.", 12, "kg"),
        ("The dam has a capacity of 120 MW.", 120, "MW"),
        ("The plant generated 400,000 kWh last month.", 400_000, "kWh"),
        ("The farm covers 350 hectares of paddy.", 350, "ha"),
        ("The new greenhouse spans 8,000 square meters.", 8000, "m2"),
        ("The tanker carried 90,000 barrels of diesel.", 90_000, "barrels"),
        ("The complex employs 8,000 workers.", 8000, "people"),
        ("About 1,200 households were moved.", 1200, "households"),
    ],
)
def test_units(scan: QuantityScanner, text: str, value: float, unit: str) -> None:
    q = only(scan, text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Factory workers are paid a wage of 5,000 won.", "wage"),
        ("Rice sold for 5,200 won in Sinuiju.", "price"),
        ("Exports to China reached $120 million.", "trade"),
        ("The mine produced 2 million tons of coal.", "production"),
        ("The plant has an annual capacity of 500,000 tons.", "capacity"),
        ("Trade rose 15 percent on the year.", "growth"),
        ("Coal accounts for 40 percent of exports.", "share"),
        ("Some 2,000 laborers were dispatched to Russia.", "workforce"),
        ("The city has 300,000 residents.", "population"),
    ],
)
def test_kind_from_the_nearest_cue(scan: QuantityScanner, text: str, kind: str) -> None:
    assert only(scan, text).kind == kind


def test_a_figure_takes_its_topic_from_the_sentence_before(scan: QuantityScanner) -> None:
    text = "Coal exports slumped in March. The total was 1.2 million tons."
    assert only(scan, text).kind == "trade"


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("Pork is 14,000 won per kilo.", "kg"),
        ("Guards earn 3,000 won a month.", "month"),
        ("The fee is 240,000 won per quarter.", "quarter"),
        ("The mine ships 900,000 tons a year.", "year"),
        ("The hotel charges $80 a day.", "day"),
        ("Grain output was 210 kg per person.", "person"),
        ("An annual cap of 500,000 barrels applies.", "year"),
    ],
)
def test_denominators(scan: QuantityScanner, text: str, per: str) -> None:
    assert only(scan, text).per == per


def test_a_staple_price_in_won_is_per_kilogram(scan: QuantityScanner) -> None:
    q = only(scan, "In Chongjin, rice was 5,800 won.")
    assert (q.kind, q.per) == ("price", "kg")


def test_monthly_trade_figures(scan: QuantityScanner) -> None:
    q = only(scan, "China's exports to the North came to $98.2 million in June.")
    assert (q.kind, q.per) == ("trade", "month")


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("The dollar fetched 8,100 won on the market.", "USD"),
        ("Money changers gave 1,300 won to the yuan.", "CNY"),
        ("The rate was 15,200 won per dollar.", "USD"),
    ],
)
def test_exchange_rates(scan: QuantityScanner, text: str, per: str) -> None:
    q = only(scan, text)
    assert (q.kind, q.unit, q.per) == ("exchange_rate", "KPW", per)


def test_one_dollar_is_the_base_of_a_rate_not_a_figure(scan: QuantityScanner) -> None:
    q = only(scan, "One dollar now buys about 9,000 won, traders say.")
    assert (q.value, q.per, q.kind) == (9000, "USD", "exchange_rate")


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("Fees take 5-10% of earnings.", 5, 10, "%"),
        ("Wages run 240,000-480,000 won.", 240_000, 480_000, "KPW"),
        ("Rice was between 900 and 1,000 won.", 900, 1000, "KPW"),
        ("Sales earned $330 million to $410 million.", 330e6, 410e6, "USD"),
        ("The harvest was 4.2 to 4.5 million tons.", 4.2e6, 4.5e6, "t"),
        ("The market has 3,000-4,000 vendors.", 3000, 4000, "people"),
    ],
)
def test_ranges(scan: QuantityScanner, text: str, low: float, high: float, unit: str) -> None:
    q = only(scan, text)
    assert (q.value, q.value_max, q.unit) == (pytest.approx(low), pytest.approx(high), unit)


def test_from_one_figure_to_another_is_two_figures(scan: QuantityScanner) -> None:
    out = found(scan, "Corn rose from 1,400 won to 2,100 won.")
    assert [(q.value, q.value_max) for q in out] == [(1400, None), (2100, None)]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Eighty percent of the steel goes to arms plants.", 80, "%"),
        ("The works once had fifty thousand employees.", 50_000, "people"),
        ("Growth was nine-point-seven percent.", 9.7, "%"),
        ("Imports fell 31-point-nine percent.", 31.9, "%"),
        ("The state holds twenty-five percent of the venture.", 25, "%"),
        ("Output reached 1.5 million tons.", 1_500_000, "t"),
        # a scale word after a line break, as text taken from a PDF's lines has it
        ("Output reached 1.5\nmillion tons.", 1_500_000, "t"),
        ("Trade came to 2.4\n\tbillion dollars.", 2_400_000_000, "USD"),
    ],
)
def test_numbers_in_words(scan: QuantityScanner, text: str, value: float, unit: str) -> None:
    q = only(scan, text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_a_split_is_two_shares_named_once(scan: QuantityScanner) -> None:
    text = "Harvests are split 70/30. Some farms prefer 50/50, others 70/30 again."
    out = found(scan, text)
    assert sorted(q.value for q in out) == [30, 50, 70]
    assert all(q.unit == "%" and q.kind == "share" for q in out)


@pytest.mark.parametrize(
    "text",
    [
        "The plant was built in 1985 and expanded in 2012.",
        "A 52-year-old manager was fired on March 3.",
        "It marked the 75th anniversary of the party.",
        "The 600mm rocket system was tested at 10:30.",
        "Three of the workers left; No. 2 Mine closed.",
        "Some 40 trucks and 12 ships waited at the port.",
        "UN Resolution 2397 caps refined oil.",
    ],
)
def test_numbers_that_are_not_quantities(scan: QuantityScanner, text: str) -> None:
    assert found(scan, text) == []


def test_one_kilogram_is_the_base_of_a_price(scan: QuantityScanner) -> None:
    out = found(scan, "One kilogram of rice cost 5,600 won per 1kg bag.")
    assert [(q.value, q.unit) for q in out] == [(5600, "KPW")]


def test_offsets_span_the_text(scan: QuantityScanner) -> None:
    text = "Line one.\n\nA worker earns about 2,000,000 KPW per month, she said."
    q = only(scan, text)
    assert q.text == "2,000,000 KPW per month"
    assert (q.start, q.end) == (text.index("2,000,000"), text.index(", she"))
    assert (q.value, q.per, q.kind) == (2_000_000, "month", "wage")


def test_thousands_grouped_by_spaces_and_a_year_before_a_count(scan: QuantityScanner) -> None:
    grouped = only(scan, "The mill rolled 18 000 tons of steel.")
    assert (grouped.text, grouped.value, grouped.unit) == ("18 000 tons", 18000.0, "t")
    count = only(scan, "In 2014 300 workers joined the site.")
    assert (count.text, count.value) == ("300 workers", 300.0)


def test_the_kind_cues_find_what_they_would_without_the_letter_ahead(
    scan: QuantityScanner, shared: Path
) -> None:
    """A kind's cue is tried only where a letter follows: the table's cues are words, so
    they find the same spans as when tried everywhere, over prose, figures and symbols."""
    from nkwatch.pkgdata import read_table

    from .hostile import digits, punctuation

    seeds = sorted((shared / "corpus" / "seeds").iterdir())
    text = "\n".join(p.read_text(errors="ignore") for p in seeds if p.is_file())
    text += digits(20_000).decode() + punctuation(20_000).decode() + " 5% of the 3,000 "
    cues = [r["cue"] for r in read_table("quantity_kinds.tsv") if r["cue"]]
    fast = [k.pattern for k in scan.kinds if k.pattern is not None]
    assert len(cues) == len(fast) > 5
    for cue, pattern in zip(cues, fast, strict=True):
        everywhere = [m.span() for m in re.compile(cue, re.I).finditer(text)]
        assert [m.span() for m in pattern.finditer(text)] == everywhere
    assert sum(len(list(p.finditer(text))) for p in fast) > 50  # the text holds cues
