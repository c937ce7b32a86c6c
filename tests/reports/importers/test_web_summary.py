"""Reading grades from summary sentences (2014–2017 pillar pages): which clauses a sentence states, and
which question a clause's phrase names. Pure: no database."""

import pytest

from reports.importers.layouts import layout_for
from reports.importers.layouts.web_summary import NAME, parse, sentence_read
from reports.importers.text import source_text_read
from reports.importers.wording import Wording, wording_phrase_match

KEEPING_SAFE = ("keeping people safe and reducing crime", "carries out its responsibilities")
EFFECTIVENESS_2016 = [
    Wording(
        "overall",
        "How effective is the force at keeping people safe and reducing crime?",
        "Overall effectiveness",
        KEEPING_SAFE,
        whole=True,
    ),
    Wording(
        "E1",
        "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
        "Preventing crime, tackling ASB and keeping people safe",
    ),
    Wording(
        "E2",
        "How effective is the force at investigating crime and reducing re-offending?",
        "Investigating crime and reducing re-offending",
    ),
    Wording(
        "E3",
        "How effective is the force at protecting those who are vulnerable from harm, and supporting victims?",
        "Protecting vulnerable people and supporting victims",
    ),
    Wording("E4", "How effective is the force at tackling serious and organised crime?", "Tackling serious and organised crime"),
]
EFFICIENCY_2017 = [
    Wording(
        "overall",
        "How efficient is the force at keeping people safe and reducing crime?",
        "Overall efficiency",
        KEEPING_SAFE,
        whole=True,
    ),
    Wording("Ef1", "", "Understanding demand"),
    Wording("Ef2", "", "Use of resources to manage demand"),
    Wording("Ef3", "", "Planning for future demand"),
]


def clauses(sentence: str) -> list[tuple[str, str]]:
    return [(statement.phrase, statement.grade) for statement in sentence_read(sentence, line=7)]


def named(phrase: str, wordings: list[Wording]) -> list[object]:
    return [wording.key for wording in wording_phrase_match(phrase, wordings, force_names=("Kent Police", "kent"))]


def test_a_sentence_listing_three_sub_areas_gives_three_clauses():
    assert clauses(
        "Kent Police is good at reducing crime and preventing offending, requires improvement in the way it "
        "investigates offending, and good at tackling anti-social behaviour."
    ) == [
        ("reducing crime and preventing offending", "Good"),
        ("the way it investigates offending", "Requires improvement"),
        ("tackling anti-social behaviour", "Good"),
    ]


def test_grades_that_close_their_clause_are_read_with_their_subject():
    assert clauses(
        "Its grasp of demand is good; its use of resources to manage demand is ‘outstanding’; "
        "and its planning requires improvement."
    ) == [
        ("Its grasp of demand", "Good"),
        ("its use of resources to manage demand", "Outstanding"),
        ("its planning", "Requires improvement"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2015 we judged the force to be good at investigating crime.",
        "Last year the force was inadequate at planning for future demand.",
        "The force was judged good at tackling serious and organised crime.",
        "The force is not yet good at investigating crime and reducing re-offending.",
        "The force aims to be outstanding at understanding demand.",
        "The force has a good understanding of demand and is good at planning for future demand.",
        "The force is acting to achieve fairness and legitimacy in most of the practices we examined.",
        "It needs to improve how it investigates crime.",
        "The force is good, and in places outstanding, at investigating crime.",
    ],
)
def test_a_sentence_about_another_year_a_hedged_grade_or_a_grade_word_in_another_use_gives_no_clause(sentence):
    assert clauses(sentence) == []


def test_a_phrase_names_a_question_only_when_its_words_belong_to_that_question_alone():
    assert named("preventing crime and tackling anti-social behaviour", EFFECTIVENESS_2016) == ["E1"]
    assert named("the way it investigates crime and reduces re-offending", EFFECTIVENESS_2016) == ["E2"]
    assert named("protecting vulnerable people", EFFECTIVENESS_2016) == ["E3"]
    assert named("keeping people safe and reducing crime", EFFECTIVENESS_2016) == ["overall"]
    assert named("the efficiency with which Kent Police keeps people safe and reduces crime", EFFICIENCY_2017) == ["overall"]
    assert named("its use of resources to manage demand", EFFICIENCY_2017) == ["Ef2"]
    assert named("understanding the demands for its services", EFFICIENCY_2017) == ["Ef1"]


@pytest.mark.parametrize(
    "phrase",
    [
        "keeping people safe",  # half the pillar's own question, a third of the prevention question
        "crime",  # several questions
        "preventing crime and protecting vulnerable people",  # two questions
        "supporting victims",  # too little of its question
        "working alongside local charities",  # no question
    ],
)
def test_a_phrase_that_fits_two_questions_or_none_or_too_little_of_one_names_none_alone(phrase):
    assert len(named(phrase, EFFECTIVENESS_2016)) != 1


def test_a_2014_to_2017_page_without_numbered_questions_is_read_as_a_summary_page_with_its_pillar_and_lines():
    doc = source_text_read(
        "Kent PEEL 2014\n\nEfficiency\n\nHMI summary\n\n"
        "The efficiency with which Kent Police carries out its responsibilities is good.\n"
    )
    assert layout_for(doc).name == NAME
    parsed = parse(doc)
    assert (parsed.force_name, parsed.round_name, parsed.pillar) == ("Kent", "2014", "Efficiency")
    assert [(statement.grade, statement.line) for statement in parsed.statements] == [("Good", 7)]
    assert parsed.statements[0].quote == "The efficiency with which Kent Police carries out its responsibilities is good."
