import pytest

from reports.importers.document import Cause, ReportImportError
from reports.importers.layouts import layout_for, report_parse
from reports.importers.text import source_text_read
from tests.reports.importers import texts

AREAS_2021_22 = (
    "Providing a service to victims of crime",
    "Responding to the public",
    "Preventing crime and anti-social behaviour",
    "Investigating crime",
    "Protecting vulnerable people",
)


def parse(text: str, areas: tuple[str, ...] = AREAS_2021_22):
    return report_parse(source_text_read(text), areas_of=lambda round_name: areas)


def test_a_2021_22_report_reads_our_judgments_by_tier_and_the_findings_by_area():
    report = parse(texts.WEB_2021_22)
    assert layout_for(source_text_read(texts.WEB_2021_22)).name == "web-report-2021-25"
    assert (report.force_name, report.round_name, report.pillar, str(report.published)) == (
        "Suffolk Constabulary",
        "2021/22",
        "",
        "2022-07-14",
    )
    assert report.stated_area_count == 4
    assert [(j.name, j.grade) for j in report.judgments] == [
        ("Providing a service to victims of crime", ""),
        ("Responding to the public", "Requires improvement"),
        ("Preventing crime and anti-social behaviour", "Good"),
        ("Investigating crime", "Good"),
        ("Protecting vulnerable people", "Adequate"),
    ]
    victims, responding, _, investigating, protecting = report.judgments
    assert victims.areas_for_improvement == ("The force should make sure it assesses the needs of every victim.",)
    assert responding.causes == (
        Cause(
            "The force doesn’t answer emergency and non-emergency calls quickly enough.",
            "Within three months, the force should:",
            ("make sure it has enough call handlers at busy times; and", "publish how quickly it answers calls."),
        ),
    )
    assert responding.areas_for_improvement == (
        "The force should make sure it identifies repeat callers.",
        "The force should review how it grades calls for service.",
    )
    assert investigating.areas_for_improvement == ("The force should make sure investigations are supervised.",)
    assert protecting.summary == "Suffolk Constabulary is adequate at protecting vulnerable people."
    assert "About the data" not in protecting.summary
    assert report.summary.startswith("We also inspected how effective a service the force gives to victims of crime.")


def test_a_2023_25_report_reads_our_judgments_written_area_then_tier():
    report = parse(
        texts.WEB_2023_25,
        areas=("Building, supporting and protecting the workforce", "Investigating crime", "Responding to the public"),
    )
    assert report.round_name == "2023–25"
    assert sorted((j.name, j.grade) for j in report.judgments) == [
        ("Building, supporting and protecting the workforce", "Outstanding"),
        ("Investigating crime", "Good"),
        ("Responding to the public", "Good"),
    ]


def test_without_the_rounds_area_names_the_graded_areas_are_still_found():
    report = parse(texts.WEB_2021_22, areas=())
    assert [j.name for j in report.judgments] == [
        "Responding to the public",
        "Preventing crime and anti-social behaviour",
        "Investigating crime",
        "Protecting vulnerable people",
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("Investigating crime\nAdequate", "Adequate", "line 13: 'Our judgments' says 4 areas were graded but lists 3"),
        (
            "Protecting vulnerable people\n\nAdequate",
            "Protecting vulnerable people\n\nGood",
            r"line 83: 'Protecting vulnerable people' is graded 'Good' here but 'Adequate' in 'Our judgments' \(line 23\)",
        ),
        (
            "Good\nPreventing crime",
            "Good\nInvestigating crime\nPreventing crime",
            r"line 22: area 'Investigating crime' is graded twice \(first at line 20\)",
        ),
        ("Published on: 14 July 2022", "Published on: 31 June 2022", "line 7: publication date '31 June 2022' is not a date"),
        ("Our judgments", "Our findings", "no 'Our judgments' section"),
    ],
)
def test_a_malformed_2021_report_is_an_error_naming_the_problem(old, new, problem):
    assert old in texts.WEB_2021_22
    with pytest.raises(ReportImportError, match=problem):
        report_parse(
            source_text_read(texts.WEB_2021_22.replace(old, new, 1)),
            layout="web-report-2021-25",
            areas_of=lambda _: AREAS_2021_22,
        )
