"""Scoring of every question type, including the edge cases a person would argue about."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.scoring import Item, Option, score_response


def single():
    return Item(scoring.SINGLE, (Option(1, Decimal(100)), Option(2, Decimal(0)), Option(3, Decimal(50))))


def test_single_choice_right_wrong_partial_and_empty():
    item = single()
    assert score_response(item, {"choice": 1}) == 1
    assert score_response(item, {"choice": 2}) == 0
    assert score_response(item, {"choice": 3}) == Decimal("0.5")
    assert score_response(item, None) == 0
    assert score_response(item, {"choice": 99}) == 0  # an option of another question earns nothing


def test_true_false():
    item = Item(scoring.TRUE_FALSE, (Option(1, Decimal(0)), Option(2, Decimal(100))))
    assert score_response(item, {"choice": 2}) == 1
    assert score_response(item, {"choice": 1}) == 0


def multiple():
    return Item(
        scoring.MULTIPLE,
        (Option(1, Decimal(50)), Option(2, Decimal(50)), Option(3, Decimal(-100)), Option(4, Decimal(-50))),
    )


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ([1, 2], Decimal(1)),  # both right
        ([1], Decimal("0.5")),  # half the credit
        ([1, 2, 4], Decimal("0.5")),  # a wrong option takes its share away
        ([1, 3], Decimal(0)),  # never below zero
        ([1, 2, 3, 4], Decimal(0)),  # ticking everything does not pay
        ([], Decimal(0)),
        ([1, 1, 1], Decimal("0.5")),  # a repeated option counts once
    ],
)
def test_multiple_response_partial_credit(chosen, expected):
    assert score_response(multiple(), {"choices": chosen}) == expected


def test_numeric_with_tolerance_ranges_thai_digits_and_best_weight():
    item = Item(
        scoring.NUMERIC,
        (
            Option(1, Decimal(100), number=Decimal("3.14"), tolerance=Decimal("0.005")),
            Option(2, Decimal(50), number=Decimal("3"), tolerance=Decimal("0.5")),
        ),
    )
    assert score_response(item, {"text": "3.14"}) == 1
    assert score_response(item, {"text": "3.145"}) == 1  # the edge of the tolerance counts
    assert score_response(item, {"text": "3.146"}) == Decimal("0.5")  # within the wider, partial answer
    assert score_response(item, {"text": "๓.๑๔"}) == 1  # Thai digits
    assert score_response(item, {"text": " 3.14 "}) == 1
    assert score_response(item, {"text": "4"}) == 0
    assert score_response(item, {"text": "pi"}) == 0
    assert score_response(item, {"text": "NaN"}) == 0
    assert score_response(item, {"text": "1,000"}) == 0


def test_short_text_is_case_space_and_unicode_insensitive():
    item = Item(
        scoring.SHORT_TEXT,
        (
            Option(1, Decimal(100), text=("ไฟร์วอลล์", "Firewall")),
            Option(2, Decimal(100), text=("น้ำ", "")),
            Option(3, Decimal(50), text=("ctrl c", "")),
        ),
    )
    assert score_response(item, {"text": "  FIREWALL "}) == 1
    assert score_response(item, {"text": "fire  wall"}) == 0  # spaces inside a word still matter
    assert score_response(item, {"text": "ไฟร์วอลล์"}) == 1
    # "น้ำ" with sara am as one character and decomposed into nikhahit + sara aa.
    assert score_response(item, {"text": "น\u0e49\u0e33"}) == 1
    assert score_response(item, {"text": "น\u0e49\u0e4d\u0e32"}) == 1
    assert score_response(item, {"text": "Ctrl   C"}) == Decimal("0.5")
    assert score_response(item, {"text": "ｆｉｒｅｗａｌｌ"}) == 1  # full-width letters
    assert score_response(item, {"text": ""}) == 0


def test_thai_stacked_marks_in_either_order_compare_equal():
    # U+0E38 (sara u) and U+0E48 (mai ek) typed in either order are the same word after normalisation.
    assert scoring.normalise_text("ปู่") == scoring.normalise_text("ป\u0e48\u0e39")


def test_matching_scores_the_share_of_pairs_right():
    item = Item(
        scoring.MATCHING,
        (Option(1, text=("URL", "")), Option(2, text=("PDF", "")), Option(3, text=("", ""))),  # 3: distractor
    )
    assert score_response(item, {"pairs": {"1": 1, "2": 2}}) == 1
    assert score_response(item, {"pairs": {"1": 2, "2": 1}}) == 0
    assert score_response(item, {"pairs": {"1": 1, "2": 3}}) == Decimal("0.5")
    assert score_response(item, {"pairs": {"1": 1}}) == Decimal("0.5")
