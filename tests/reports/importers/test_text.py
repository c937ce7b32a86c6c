from datetime import date

import pytest

from reports.importers.document import ReportImportError
from reports.importers.text import clean, date_parse, fold, grade_word, source_text_read, web_blocks


def test_a_text_without_a_header_is_read_as_it_is():
    doc = source_text_read("Kent PEEL 2016\n\nEffectiveness")
    assert doc.lines == ("Kent PEEL 2016", "", "Effectiveness")
    assert doc.header == ()
    assert doc.number(0) == 1


def test_the_header_is_taken_off_and_line_numbers_stay_those_of_the_file():
    doc = source_text_read("---\nsource: https://example.org/r\nlayout: web-pillar-2014-17\n---\nKent PEEL 2016\r\nGood\n")
    assert doc.header_value("source") == "https://example.org/r"
    assert doc.header_value("layout") == "web-pillar-2014-17"
    assert doc.lines[0] == "Kent PEEL 2016"
    assert doc.number(0) == 5


def test_an_unknown_header_field_is_an_error_naming_its_line():
    with pytest.raises(ReportImportError, match=r"line 3: header line 'author: me' is not 'field: value' with a known field"):
        source_text_read("---\nsource: https://example.org/r\nauthor: me\n---\ntext")


def test_a_header_that_is_never_closed_is_an_error():
    with pytest.raises(ReportImportError, match="line 1: the header opened with '---' is never closed"):
        source_text_read("---\nsource: https://example.org/r\n")


def test_cleaning_joins_whitespace_but_keeps_quotes_apostrophes_and_dashes():
    assert clean("  the force’s\u00a0‘missing’ –  “absent”\t cases ") == "the force’s ‘missing’ – “absent” cases"


def test_folding_ignores_case_spacing_quotes_and_dashes():
    assert fold("How effective are the force’s  specialist capabilities?") == fold(
        "how effective are the force's specialist capabilities?"
    )


@pytest.mark.parametrize(
    ("line", "grade"),
    [
        ("Requires improvement", "Requires improvement"),
        ("  requires   IMPROVEMENT ", "Requires improvement"),
        ("Ungraded", "Ungraded"),
        ("Adequate", "Adequate"),
        ("Requires improvement.", None),
        ("Good practice", None),
    ],
)
def test_a_grade_line_is_exactly_a_grade_word(line, grade):
    assert grade_word(line) == grade


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/03/2017", date(2017, 3, 2)),
        ("2 March 2017", date(2017, 3, 2)),
        ("14 July, 2022", date(2022, 7, 14)),
        ("31/02/2017", None),
    ],
)
def test_dates_are_read_as_hmicfrs_writes_them(text, expected):
    assert date_parse(text) == expected


def test_web_bullets_nest_by_indentation():
    doc = source_text_read("Areas for improvement\n  • one:\n    • sub a;\n    • sub b.\n  • two\nAfter")
    blocks = web_blocks(doc, 0, len(doc.lines))
    assert [(b.text, b.bullet, b.level) for b in blocks] == [
        ("Areas for improvement", False, 0),
        ("one:", True, 0),
        ("sub a;", True, 1),
        ("sub b.", True, 1),
        ("two", True, 0),
        ("After", False, 0),
    ]
