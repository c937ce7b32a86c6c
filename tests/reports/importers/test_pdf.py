from reports.importers.pdf import pdf_blocks, pdf_lines, width_of
from reports.importers.text import source_text_read


def cleaned(text: str) -> list[str]:
    return [line.text for line in pdf_lines(source_text_read(text)) if line.text]


def blocks(text: str) -> list[tuple[str, bool, int]]:
    lines = pdf_lines(source_text_read(text))
    return [(block.text, block.bullet, block.level) for block in pdf_blocks(lines, width=width_of(lines))]


def test_page_numbers_are_dropped_and_the_sentence_they_split_is_rejoined():
    text = "The arrest rate has fallen. The force also\n\n9\n\nneeds to understand why fewer victims support action.\n"
    assert blocks(text) == [
        ("The arrest rate has fallen. The force also needs to understand why fewer victims support action.", False, 0)
    ]


def test_a_footnote_and_the_reference_it_left_in_the_text_are_dropped():
    text = (
        "The force protects vulnerable people, 3 is inadequate.\n\n3\n\n"
        "A vulnerable person is someone who needs special care.\n Next page text.\n"
    )
    assert cleaned(text) == ["The force protects vulnerable people, is inadequate.", "Next page text."]


def test_a_number_that_is_a_figure_is_not_taken_for_a_footnote_reference():
    text = "It records 1,000 crimes and 3.9 percent of 3 teams.\n\n3\n\nA note.\n"
    assert cleaned(text) == ["It records 1,000 crimes and 3.9 percent of teams."]


def test_running_footers_that_repeat_on_every_page_are_dropped():
    footer = "PEEL: Police effectiveness 2016 – Kent Police"
    text = "\n".join(["First page.", footer, "Second page.", footer, "Third page.", footer])
    assert cleaned(text) == ["First page.", "Second page.", "Third page."]


def test_a_word_joined_across_a_line_break_gets_back_the_hyphen_the_document_uses():
    text = (
        "The force takes a problem-solving approach to crime and anti-social behaviour in its\n"
        "neighbourhoods, and it works with partner organisations to keep people safe from\n"
        "harm. It has a mature and well-established problemsolving approach, which officers use every day of the week.\n"
    )
    assert "well-established problem-solving approach" in cleaned(text)[2]


def test_a_joined_spelling_the_document_also_uses_on_a_normal_line_is_left_as_written():
    text = (
        "The force takes a problem-solving approach to crime and anti-social behaviour in its\n"
        "neighbourhoods; its problemsolving team works with partner organisations to keep\n"
        "people safe. It has a mature and well-established problemsolving approach, which officers use every day.\n"
    )
    assert "well-established problemsolving approach" in cleaned(text)[2]


def test_a_bullet_alone_on_its_line_takes_the_text_of_the_lines_after_it():
    text = (
        "Areas for improvement\n•\n\nThe force should review how it records\nanti-social behaviour.\n\n•\n\n"
        "The force should act.\n"
    )
    assert blocks(text) == [
        ("Areas for improvement", False, 0),
        ("The force should review how it records anti-social behaviour.", True, 0),
        ("The force should act.", True, 0),
    ]


def test_bullets_after_one_ending_in_a_colon_are_its_sub_points_until_one_ends_the_list():
    text = (
        "•\n\nThe forces should ensure that:\n•\n\nprompts are sufficient;\n\n•\n\nstaff are trained.\n\n"
        "•\n\nThe force should act.\n"
    )
    assert blocks(text) == [
        ("The forces should ensure that:", True, 0),
        ("prompts are sufficient;", True, 1),
        ("staff are trained.", True, 1),
        ("The force should act.", True, 0),
    ]


# Lines of the Bedfordshire 2016 PDF text (fixtures/sources/reports): where a paragraph ends is
# judged on printed widths, as the web page of the same report confirms.
SUMMARY_LINES = [
    "Bedfordshire Police is inadequate in its approach to the prevention of crime, tackling",
    "anti-social behaviour, and keeping people safe. In HMIC’s 2015 effectiveness report,",
    "we recognised that the force was implementing a new policing model, designed to",
    "increase its capacity and capability to focus on the prevention of crime and to tackle",
    "anti-social behaviour. Insufficient progress has been made and the force needs to",
    "address a number of areas for improvement as it implements the new policing",
    "model. However, this year we are concerned and disappointed to find that the",
    "community teams have still not been adequately resourced and therefore do not",
    "have the capacity to provide an effective service with meaningful crime prevention",
    "and problem solving across Bedfordshire. The force also needs to review how it",
    "records anti-social behaviour to ensure that it has an accurate picture as a basis for",
    "its problem-solving approach, so that it can protect vulnerable victims.",
    "The force has improved its approach to sharing effective practice. It is developing its",
    "evidence on the most effective ways to prevent crime and tackle anti-social",
    "behaviour. It is making better use of ‘what works’ drawn from other forces,",
    "academics and partner organisations. However, it does not yet routinely record and",
    "assess local initiatives; it needs to do more to evaluate tactics and share effective",
    "practice.",
    "A significant backlog remains in the forensic examination of digital devices, which",
    "means there are unacceptable delays in investigating crime and supporting victims.",
    "This was due in part because a number of staff were needed to support a national",
    "project. However, the force does ensure that high-risk cases, such as those involving",
    "vulnerable children and adults, are prioritised.",
]


def test_paragraphs_break_where_the_next_word_would_have_fitted_on_the_line():
    paragraphs = [text for text, _, _ in blocks("\n".join(SUMMARY_LINES))]
    assert [paragraph[:30] for paragraph in paragraphs] == [
        "Bedfordshire Police is inadequ",
        "The force has improved its app",
        "A significant backlog remains ",
    ]
    assert paragraphs[2].endswith(
        "supporting victims. This was due in part because a number of staff were needed to support a "
        "national project. However, the force does ensure that high-risk cases, such as those involving "
        "vulnerable children and adults, are prioritised."
    )
