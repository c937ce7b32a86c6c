"""The PCC response letter parser: the seed letter, variants of it, and refusals naming what is missing."""

from datetime import date

import pytest

from reports.accountability.letters import LetterImportError, deadline_parse, letter_parse
from reports.vocabulary import DatePrecision
from tests.reports.accountability.letters import VARIANT, seed_text


def test_the_seed_letter_is_read_with_its_date_inspection_and_signature():
    letter = letter_parse(seed_text())
    assert letter.dated == date(2023, 9, 21)
    assert letter.inspection_title == "Police performance: Getting a grip"
    assert letter.inspection_published == date(2023, 7, 7)
    assert letter.commissioner == "Festus Akinbusoye"
    assert letter.force_name == "Bedfordshire"
    assert letter.source == "SEED: 004_401df79f5bc0650f.txt"


def test_the_seed_letter_holds_two_promising_practices_without_their_quotation_marks():
    practices = letter_parse(seed_text()).practices
    assert [p.title for p in practices] == [
        "External scrutiny of stop and search powers",
        "Reducing the cost of harm using integrated offender Management",
    ]
    assert practices[0].text.startswith("Bedfordshire Police has a community stop search scrutiny panel.")
    assert practices[0].text.endswith("for further investigation.")
    assert practices[1].text.endswith("£1m in 2019–20")


def test_the_seed_letter_holds_recommendations_2_3_and_6_with_their_deadlines_as_stated():
    recommendations = letter_parse(seed_text()).recommendations
    assert [r.number for r in recommendations] == [2, 3, 6]
    january = (date(2024, 1, 1), DatePrecision.MONTH)
    assert [(r.deadline.value, r.deadline.precision) for r in recommendations[:2]] == [january, january]
    # "By January 4" gives no year: the words are kept and no date is made up.
    assert recommendations[2].deadline.text == "By January 4"
    assert recommendations[2].deadline.value is None
    assert all(r.to_all_forces for r in recommendations)
    assert "Processes should cover police officers, police staff, special constables and volunteers." in recommendations[0].text


def test_the_seed_letters_one_closing_answer_covers_each_recommendation_jointly():
    recommendations = letter_parse(seed_text()).recommendations
    assert {r.response for r in recommendations} == {
        "Bedfordshire Police have provided a full comprehensive update to the office of the police and crime commissioner "
        "and are assured with work being completed in this area of business. Recommendations will continue to be "
        "monitored through our governance board meetings."
    }
    assert all(r.joint for r in recommendations)
    assert "Bedfordshire Police have provided" not in recommendations[2].text


def test_a_letter_answering_each_recommendation_on_its_own_and_to_one_force_is_read_so():
    letter = letter_parse(VARIANT)
    assert letter.dated == date(2024, 3, 3)
    assert letter.inspection_title == "An inspection of vetting and counter-corruption in Kent Police"
    assert letter.inspection_published == date(2024, 1, 12)
    assert letter.commissioner == "Jane Example"
    assert letter.force_name == "Kent"
    first, fourth = letter.recommendations
    assert (first.deadline.value, first.deadline.precision) == (date(2024, 3, 31), DatePrecision.DAY)
    assert (fourth.deadline.value, fourth.deadline.precision) == (date(2025, 1, 1), DatePrecision.YEAR)
    assert first.response == "The force completed the review in February 2024."
    assert fourth.response == "We have started the training and will finish it in time."
    assert not first.joint and not fourth.joint
    assert not first.to_all_forces and not fourth.to_all_forces
    assert [p.title for p in letter.practices] == ["Vetting surgeries"]


@pytest.mark.parametrize(
    ("words", "value", "precision"),
    [
        ("January 2024", date(2024, 1, 1), DatePrecision.MONTH),
        ("31 March 2024", date(2024, 3, 31), DatePrecision.DAY),
        ("2025", date(2025, 1, 1), DatePrecision.YEAR),
        ("January 4", None, ""),
        ("31 February 2024", None, ""),
        ("the end of the year", None, ""),
    ],
)
def test_a_deadline_is_read_only_as_precisely_as_its_words_state_it(words, value, precision):
    deadline = deadline_parse(words)
    assert (deadline.value, deadline.precision, deadline.text) == (value, precision, f"By {words}")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        (lambda t: t.replace("21 September 2023", "Some time in autumn"), "no date line"),
        (lambda t: t.replace("published on the 07 July 2023", "published recently"), "no inspection named"),
        (lambda t: t.replace("Yours Sincerely", "Thanks"), "no signature"),
        (lambda t: t.replace("Recommendation ", "Point "), "no 'Recommendation n' block"),
        (lambda t: t.replace("Recommendation 3", "Recommendation 2"), "Recommendation 2 appears twice"),
        (lambda t: t.rsplit("Festus Akinbusoye", 1)[0], "no commissioner's name"),
        (lambda t: t.replace("further investigation.'", "further investigation."), "never closed"),
        (lambda t: "", "the text is empty"),
        (lambda t: "---\nsource: x\n", "never closed with '---'"),
    ],
)
def test_a_text_that_is_not_such_a_letter_is_refused_naming_what_is_missing(change, missing):
    with pytest.raises(LetterImportError) as error:
        letter_parse(change(seed_text()))
    assert missing in str(error.value)


def test_a_signature_without_whose_commissioner_is_refused():
    text = seed_text().rstrip().rsplit("Police and Crime Commissioner for Bedfordshire", 1)[0]
    with pytest.raises(LetterImportError, match="does not say whose commissioner"):
        letter_parse(text.replace("Police and Crime Commissioner\n", "Commissioner\n"))
