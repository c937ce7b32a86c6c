"""Table pages' ?_export=csv|xlsx: the file holds exactly the rows the page's table holds under the
same filters and sort (all of them, not just the page on screen), read here from the page's HTML."""

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from reports.exports import services as exports
from reports.models import Grade
from reports.tablepages import ROWS_PER_PAGE
from reports.vocabulary import GradeStatus, Pillar, Tier
from tests.factories import (
    AreaForImprovementFactory,
    CauseOfConcernFactory,
    FiveTierRoundFactory,
    ForceFactory,
    GradeFactory,
    QuestionFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)
from tests.reports.page_helpers import site_rows

pytestmark = pytest.mark.django_db


class TablesParser(HTMLParser):
    """Every <table> of a page: caption, id, header texts and body rows as (text, first link) per cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._href: str | None = None
        self._in_head = self._in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"id": attrs.get("id", ""), "caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell, self._href = [], None
        elif tag == "a" and self._cell is not None and self._href is None:
            self._href = attrs.get("href")
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            target = self.tables[-1]["head"] if self._in_head else self.tables[-1]["rows"][-1]
            target.append(text if self._in_head else (text, self._href))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_caption:
            self.tables[-1]["caption"] += data


def page_tables(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = TablesParser()
    parser.feed(response.content.decode())
    return parser.tables


def html_table_page(client, url: str, *, caption: str) -> dict:
    """One table as one page of it shows."""
    return next(table for table in page_tables(client, url) if table["caption"].strip() == caption)


def html_table(client, url: str, *, caption: str = "", table_id: str = "", prefix: str = "") -> dict:
    """One table of a page with the rows of all its pages, fetched 100 rows at a time."""
    joiner = "&" if "?" in url else "?"
    first = f"{url}{joiner}{prefix}per_page=100"
    html = client.get(first).content.decode()
    paging = re.search(rf'aria-label="{re.escape(escape(caption))}: pages">\s*<p class="muted">Rows \d+–\d+ of (\d+)', html)
    pages = -(-int(paging.group(1)) // 100) if paging else 1

    def pick(tables: list[dict]) -> dict:
        found = [t for t in tables if (caption and t["caption"].strip() == caption) or (table_id and t["id"] == table_id)]
        assert len(found) == 1, [t["caption"] for t in tables]
        return found[0]

    table = pick(page_tables(client, first))
    for number in range(2, pages + 1):
        table["rows"] += pick(page_tables(client, f"{first}&{prefix}page={number}"))["rows"]
    return table


def export_csv(client, url: str) -> tuple[list[str], list[dict]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return reader.fieldnames, rows


def with_export(url: str, table: str = "", export_format: str = "csv") -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}_export={export_format}" + (f"&_table={table}" if table else "")


def same_text(value: str) -> str:
    return " ".join(value.split())


def assert_export_is_the_table(header: list[str], rows: list[dict], table: dict, *, screen_value=None) -> None:
    """The CSV holds the table's rows in the table's order; its first columns are the table's
    columns, named after their headers, each cell what the page shows; then one order number per
    grade column (and the round, where the cell shows one)."""
    assert rows, "a table with no rows proves nothing"
    assert header[: len(table["head"])] == [exports.snake_case(head) for head in table["head"]]
    assert len(rows) == len(table["rows"])
    for row, html_row in zip(rows, table["rows"], strict=True):
        for name, (text, href) in zip(header, html_row, strict=False):
            value = exports.cell_restore(row[name])
            if row.get(f"{name}_round"):
                value = f"{value} {row[f'{name}_round']}"
            if screen_value:
                value = screen_value(name, value)
            if value.startswith("http"):
                assert href == value, (name, row)
            else:
                assert same_text(text) in {same_text(value), "—" if not value else same_text(value)}, (name, text, value)
        for name in header:
            if name.endswith("_order"):
                word = row[name.removesuffix("_order")].removesuffix(" (carried over)")
                tiers = {tier.label: str(tier.value) for tier in Tier}
                assert row[name] == tiers.get(word, ""), (name, row)


def four_tier_moves(*, falling: int, rising: int) -> None:
    """Forces graded on one theme from 2014 to 2017: `falling` of them a step worse each round (Outstanding to
    Inadequate: three declines each), `rising` of them a step better each round (three improvements each)."""
    theme = ThemeFactory()
    questions = [QuestionFactory(round=RoundFactory(slug=slug), theme=theme) for slug in ("2014", "2015", "2016", "2017")]
    downwards = [Tier.OUTSTANDING, Tier.GOOD, Tier.REQUIRES_IMPROVEMENT, Tier.INADEQUATE]
    for number in range(falling + rising):
        force = ForceFactory()
        for question, tier in zip(questions, downwards if number < falling else downwards[::-1], strict=True):
            GradeFactory(force=force, question=question, tier=tier)


def test_the_national_grid_exports_every_force_under_the_round_pillar_and_sort_with_the_filters_in_its_name(client):
    overall, e1 = QuestionFactory(overall=True), QuestionFactory(code="E1")
    efficiency = QuestionFactory(pillar=Pillar.EFFICIENCY, code="Ef1")
    forces = [ForceFactory(name=f"{name} Police") for name in ("Avon", "Bedfordshire", "Cheshire", "Dorset")]
    for force, tier in zip(forces, (Tier.INADEQUATE, Tier.GOOD, Tier.OUTSTANDING), strict=False):
        GradeFactory(force=force, question=overall, tier=tier)
        GradeFactory(force=force, question=efficiency)
    GradeFactory(force=forces[0], question=e1, carried_over=True)
    GradeFactory(force=forces[1], question=e1, status=GradeStatus.NOT_INSPECTED, tier=None)
    GradeFactory(force=forces[3], question__round=RoundFactory(slug="2017"))  # Dorset: nothing in 2016, still a row
    url = "/?round=2016&pillar=Effectiveness&sort=-force"
    table = html_table(client, url, caption="Grades of every force, PEEL 2016, Effectiveness")
    response = client.get(with_export(url))
    name = r'attachment; filename="peel-national-grades-2016-effectiveness-\d{4}-\d\d-\d\d\.csv"'
    assert re.fullmatch(name, response["Content-Disposition"])
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert [row["force"] for row in rows] == ["Dorset Police", "Cheshire Police", "Bedfordshire Police", "Avon Police"]
    assert [row["overall_effectiveness_order"] for row in rows] == ["", "5", "4", "1"]
    assert not any(name.startswith("ef1") for name in header)  # the other pillar's question


def test_the_national_distribution_table_exports_its_counts(client):
    areas = QuestionFactory.create_batch(2, round=RoundFactory(slug="2023-25"))
    forces = ForceFactory.create_batch(4)
    for force, tier in zip(forces, (Tier.OUTSTANDING, Tier.ADEQUATE, Tier.ADEQUATE), strict=False):  # the fourth: not known
        GradeFactory(force=force, question=areas[0], tier=tier)
    GradeFactory(force=forces[0], question=areas[1], status=GradeStatus.UNGRADED, tier=None)
    url = "/?round=2023-25"
    table = html_table(client, url, table_id="distribution-table")
    header, rows = export_csv(client, with_export(url, "distribution"))
    assert header[: len(table["head"]) - 1] == [exports.snake_case(head) for head in table["head"][:-1]]
    assert len(rows) == len(table["rows"]) == 2
    for row, html_row in zip(rows, table["rows"], strict=True):
        texts = [text for text, _ in html_row]
        assert [row[name] for name in header[: len(texts) - 1]] == texts[:-1]
        assert texts[-1] == f"{row['known']} of {row['forces']}"
    counts = ("outstanding", "adequate", "ungraded", "not_known", "known", "forces")
    assert [[row[name] for name in counts] for row in rows] == [["1", "2", "0", "1", "3", "4"], ["0", "0", "1", "3", "1", "4"]]


def test_the_forces_list_exports_each_forces_latest_grades_with_their_rounds(client):
    crime, vulnerable = ThemeFactory(name="Investigating crime"), ThemeFactory(name="Protecting vulnerable people")
    earlier, later = FiveTierRoundFactory(), RoundFactory(slug="2023-25")
    crime_then, crime_now = QuestionFactory(round=earlier, theme=crime), QuestionFactory(round=later, theme=crime)
    avon, kent = ForceFactory(name="Avon Police"), ForceFactory(name="Kent Police")
    GradeFactory(force=avon, question=crime_then, tier=Tier.REQUIRES_IMPROVEMENT)
    GradeFactory(force=avon, question=crime_now, tier=Tier.GOOD, carried_over=True)
    GradeFactory(force=avon, question__round=earlier, question__theme=vulnerable, tier=Tier.ADEQUATE)
    GradeFactory(force=kent, question=crime_then, tier=Tier.OUTSTANDING)
    ForceFactory(name="Dorset Police")  # no grade held
    url = "/forces/?show=areas&sort=-force"
    table = html_table(client, url, caption="Latest grade per area")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    latest = [(row["force"], row["investigating_crime"], row["investigating_crime_round"]) for row in rows]
    assert latest == [
        ("Kent Police", "Outstanding", "2021/22"),
        ("Dorset Police", "Not known", ""),
        ("Avon Police", "Good (carried over)", "2023–25"),
    ]
    assert [row["protecting_vulnerable_people_round"] for row in rows] == ["", "", "2021/22"]


def test_a_force_search_exports_only_the_forces_found(client):
    for name in ("North Yorkshire", "South Yorkshire", "West Yorkshire", "Kent"):
        GradeFactory(force__name=f"{name} Police", question__round=FiveTierRoundFactory(), question__theme=ThemeFactory())
    url = "/forces/?q=york"
    table = html_table(client, url, caption="Latest grade per area")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert {row["force"] for row in rows} == {"North Yorkshire Police", "South Yorkshire Police", "West Yorkshire Police"}


def test_a_forces_grades_table_exports_every_grade_in_the_chosen_sort_with_source_addresses(client):
    force = ForceFactory(name="Bedfordshire Police", slug="bedfordshire")
    tiers = [Tier.OUTSTANDING, Tier.GOOD, Tier.REQUIRES_IMPROVEMENT, Tier.INADEQUATE]
    for number, question in enumerate(QuestionFactory.create_batch(12)):
        GradeFactory(force=force, question=question, tier=tiers[number % 4], carried_over=number == 5)
    for number, question in enumerate(QuestionFactory.create_batch(10, round=FiveTierRoundFactory())):
        GradeFactory(force=force, question=question, tier=[*tiers, Tier.ADEQUATE][number % 5])
    GradeFactory(force=force, status=GradeStatus.NOT_INSPECTED, tier=None, source_url="", source_type="SEED: notes.docx")
    GradeFactory()  # another force's
    url = "/forces/bedfordshire/?sort=-grade"
    table = html_table(client, url, caption="Grades of Bedfordshire Police")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert len(rows) == Grade.objects.filter(force=force).count() == 23
    assert [row["grade_order"] for row in rows] == sorted((row["grade_order"] for row in rows), reverse=True)
    paged = "/forces/bedfordshire/?sort=-grade&per_page=10&page=2"
    assert len(html_table_page(client, paged, caption="Grades of Bedfordshire Police")["rows"]) == 10
    assert export_csv(client, with_export(paged))[1] == rows  # every row, whatever page is on screen
    assert sum(row["source"].startswith("http") for row in rows) == 22 and rows[-1]["source"] == ""


def test_a_forces_theme_history_table_exports_as_shown(client):
    crime, overall = ThemeFactory(name="Investigating crime"), ThemeFactory(name="Overall effectiveness")
    force = ForceFactory(slug="bedfordshire")
    GradeFactory(force=force, question__theme=crime, tier=Tier.GOOD)
    GradeFactory(force=force, question__theme=overall, question__overall=True, tier=Tier.INADEQUATE)
    GradeFactory(force=force, question__round=RoundFactory(slug="2018-19"), question__theme=crime, tier=Tier.REQUIRES_IMPROVEMENT)
    QuestionFactory(round=RoundFactory(slug="2018-19"), overall=True, theme=overall)  # not graded for the force
    area = QuestionFactory(round=FiveTierRoundFactory(), theme=crime, theme_partial=True)
    GradeFactory(force=force, question=area, tier=Tier.ADEQUATE)
    url = "/forces/bedfordshire/"
    table = html_table(client, url, table_id="history-table")
    header, rows = export_csv(client, with_export(url, "themes"))
    assert len(rows) == len(table["rows"]) == 2
    assert header == ["theme", "peel_2016", "peel_2018_19", "peel_2021_22"]
    for row, html_row in zip(rows, table["rows"], strict=True):
        assert [row[name] for name in header] == [text for text, _ in html_row]
    assert [list(row.values()) for row in rows] == [
        ["Investigating crime", "Good", "Requires improvement", "Adequate (partly comparable)"],
        ["Overall effectiveness", "Inadequate", "Not known", "Not inspected that round"],
    ]


@pytest.fixture
def bedfordshire_2016(db):
    """Bedfordshire's 2016 report page: Effectiveness (Inadequate; E1 carried over, E2 not known, E3 not graded
    that year) and Efficiency (Good; Ef1 not inspected), two causes of concern (the first with two
    recommendations) and two areas for improvement."""
    force = ForceFactory(name="Bedfordshire Police", slug="bedfordshire")
    GradeFactory(force=force, question=QuestionFactory(overall=True), tier=Tier.INADEQUATE)
    e1 = QuestionFactory(code="E1", short_name="Preventing crime & keeping people safe")
    GradeFactory(force=force, question=e1, tier=Tier.REQUIRES_IMPROVEMENT, carried_over=True)
    QuestionFactory(code="E2")
    QuestionFactory(code="E3", graded=False, graded_note="Not graded in 2016")
    GradeFactory(force=force, question=QuestionFactory(pillar=Pillar.EFFICIENCY, overall=True), tier=Tier.GOOD)
    GradeFactory(
        force=force, question__pillar=Pillar.EFFICIENCY, question__code="Ef1", status=GradeStatus.NOT_INSPECTED, tier=None
    )
    GradeFactory(question=e1)  # another force's
    report = ReportFactory(force=force)
    first = CauseOfConcernFactory(report=report, question=e1, text="The force does not prevent crime well enough.")
    RecommendationFactory.create_batch(2, cause=first)
    CauseOfConcernFactory(report=report, text="The force does not understand demand.\nIt has no plan.")
    AreaForImprovementFactory.create_batch(2, report=report)
    return force


def test_the_report_page_exports_its_judgments_in_page_order(client, bedfordshire_2016):
    html = client.get("/forces/bedfordshire/2016/").content.decode()
    start, end = html.index('<section aria-labelledby="section-1">'), html.index('<section aria-labelledby="findings-heading">')
    judgments = html[start:end]
    labels = re.findall(r'<p class="pillar-judgment">([^:<]+):|<span class="question-label">([^<]+)</span>', judgments)
    badges = re.findall(r'<span class="grade grade--[a-z-]+">([^<]+)</span>', judgments)
    header, rows = export_csv(client, with_export("/forces/bedfordshire/2016/"))
    assert [row["question_or_area"] for row in rows] == [unescape(overall or question) for overall, question in labels]
    assert [row["grade"] + (" (carried over)" if row["carried_over"] == "yes" else "") for row in rows] == badges
    assert [(row["pillar"], row["grade"], row["grade_order"]) for row in rows] == [
        ("Effectiveness", "Inadequate", "1"),
        ("Effectiveness", "Requires improvement", "2"),
        ("Effectiveness", "Not known", ""),
        ("Effectiveness", "Ungraded", ""),
        ("Efficiency", "Good", "4"),
        ("Efficiency", "Not inspected", ""),
    ]
    assert rows[1]["question_or_area"] == "E1 Preventing crime & keeping people safe"


def test_the_report_page_exports_its_findings_with_recommendations_under_their_cause(client, bedfordshire_2016):
    html = client.get("/forces/bedfordshire/2016/").content.decode()
    header, rows = export_csv(client, with_export("/forces/bedfordshire/2016/", "findings"))
    causes = [row for row in rows if row["finding_type"] == "cause of concern"]
    areas = [row for row in rows if row["finding_type"] == "area for improvement"]
    assert len(causes) == html.count('class="finding finding--cause"') == 2
    assert len(areas) == html.count('class="finding finding--afi"') == 2
    recommendations = sum(block.count("<li>") for block in re.findall(r'<ol class="recommendations">(.*?)</ol>', html, re.S))
    assert len(rows) - len(causes) - len(areas) == recommendations == 2
    assert [row["finding_type"] for row in rows[:3]] == ["cause of concern", "recommendation", "recommendation"]
    for row in rows:
        assert same_text(row["text"]).split("\n")[0][:60] in same_text(html.replace("<br>", " "))


def test_the_comparison_exports_the_chosen_forces_side_by_side(client):
    overall, e1 = QuestionFactory(overall=True), QuestionFactory(code="E1")
    for slug, tiers in {
        "bedfordshire": (Tier.INADEQUATE, Tier.GOOD),
        "kent": (Tier.GOOD, Tier.OUTSTANDING),
        "cleveland": (Tier.GOOD,),
    }.items():
        force = ForceFactory(slug=slug, name=f"{slug.title()} Police")
        for question, tier in zip((overall, e1), tiers, strict=False):
            GradeFactory(force=force, question=question, tier=tier)
    GradeFactory(force=force, question__round=RoundFactory(slug="2017"))  # another round
    url = "/compare/?forces=bedfordshire,kent,cleveland&round=2016"
    table = html_table(client, url, caption="Grades of Bedfordshire Police, Kent Police, Cleveland Police")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert header[2:5] == ["bedfordshire_police", "kent_police", "cleveland_police"]
    assert [[row[name] for name in header[2:5]] for row in rows] == [
        ["Inadequate", "Good", "Good"],
        ["Good", "Outstanding", "Not known"],
    ]
    disposition = client.get(with_export(url))["Content-Disposition"]
    assert disposition.startswith('attachment; filename="peel-compare-grades-bedfordshire-kent-cleveland-2016-')


def steps_on_screen(name: str, value: str) -> str:
    if name != "change":
        return value
    steps = int(value)
    if not steps:
        return "No change"
    return f"{'+' if steps > 0 else '−'}{abs(steps)} step{'s' if abs(steps) > 1 else ''} {'better' if steps > 0 else 'worse'}"


def test_movers_on_the_same_scale_export_all_changes_with_the_change_as_a_number(client):
    four_tier_moves(falling=9, rising=1)
    url = "/movers/?direction=declined"
    table = html_table(client, url, caption="Changes between consecutive rounds on the same scale", prefix="same-")
    header, rows = export_csv(client, with_export(url, "same"))
    assert len(rows) == 9 * 3 > ROWS_PER_PAGE  # more than the page shows
    assert_export_is_the_table(header, rows, table, screen_value=steps_on_screen)
    assert all(row["change"] == "-1" for row in rows)


def test_movers_across_the_scale_break_export_as_their_own_table(client):
    theme = ThemeFactory()
    before, after = (
        QuestionFactory(round=RoundFactory(slug="2018-19"), theme=theme),
        QuestionFactory(round=FiveTierRoundFactory(), theme=theme),
    )
    for name, then, now in [
        ("Avon", Tier.GOOD, Tier.REQUIRES_IMPROVEMENT),
        ("Kent", Tier.OUTSTANDING, Tier.ADEQUATE),
        ("Dorset", Tier.REQUIRES_IMPROVEMENT, Tier.GOOD),
    ]:
        force = ForceFactory(name=f"{name} Police")
        GradeFactory(force=force, question=before, tier=then)
        GradeFactory(force=force, question=after, tier=now)
    url = "/movers/?direction=declined&break-sort=-force"
    table = html_table(
        client, url, caption="Grades either side of the 2018/19 → 2021/22 scale break (not comparable)", prefix="break-"
    )
    header, rows = export_csv(client, with_export(url, "break"))
    assert_export_is_the_table(header, rows, table)
    assert [(row["force"], row["grade_then"], row["grade_now"]) for row in rows] == [
        ("Kent Police", "Outstanding", "Adequate"),
        ("Avon Police", "Good", "Requires improvement"),
    ]
    assert client.get(with_export(url, "break"))["Content-Disposition"].startswith('attachment; filename="peel-movers-break-')


def test_a_findings_search_exports_its_matches(client):
    for force_name in ("Avon Police", "Kent Police"):
        report = ReportFactory(force__name=force_name)
        cause = CauseOfConcernFactory(report=report, text="Victims of crime wait too long.")
        RecommendationFactory(cause=cause, text="Answer victims of crime within a day.")
        RecommendationFactory(cause=cause, text="Publish how long victims wait.")
        AreaForImprovementFactory(report=report, text="The force should record crime accurately.")
        AreaForImprovementFactory(report=report, text="The force should answer calls sooner.")
    url = "/findings/?q=crime"
    table = html_table(client, url, caption="Findings matching “crime”")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert len(rows) == 2 * 3 and all("crime" in row["finding"] for row in rows)


def test_findings_filtered_by_type_export_their_matches(client):
    for force_name in ("Avon Police", "Kent Police"):
        report = ReportFactory(force__name=force_name)
        AreaForImprovementFactory.create_batch(2, report=report)
        CauseOfConcernFactory(report=report)
    url = "/findings/?type=afi&sort=-force"
    table = html_table(client, url, caption="Findings")
    header, rows = export_csv(client, with_export(url))
    assert_export_is_the_table(header, rows, table)
    assert {row["type"] for row in rows} == {"Area for improvement"}
    assert [row["force"] for row in rows] == ["Kent Police", "Kent Police", "Avon Police", "Avon Police"]


def test_an_xlsx_export_holds_the_same_rows_as_the_csv(client):
    from openpyxl import load_workbook

    four_tier_moves(falling=1, rising=2)
    url = "/movers/?direction=improved"
    header, rows = export_csv(client, with_export(url))
    assert len(rows) == 2 * 3
    response = client.get(with_export(url, export_format="xlsx"))
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert re.fullmatch(
        r'attachment; filename="peel-movers-same-improved-\d{4}-\d\d-\d\d\.xlsx"', response["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(sheet_rows[0]) == header
    assert [["" if v is None else str(v) for v in row] for row in sheet_rows[1:]] == [
        [exports.cell_restore(row[name]) for name in header] for row in rows
    ]


def test_an_unknown_export_format_or_table_is_a_clear_400(client):
    response = client.get("/movers/?_export=pdf")
    assert response.status_code == 400
    assert "_export=csv" in response.content.decode()
    response = client.get("/movers/?_export=csv&_table=sideways")
    assert response.status_code == 400
    assert "same, break" in response.content.decode()


def test_every_table_page_offers_csv_and_xlsx_links_that_keep_its_filters_and_sort(client):
    site_rows()
    pages = [
        "/?round=2016&pillar=Effectiveness",
        "/forces/?show=areas",
        "/forces/metropolitan/",
        "/forces/metropolitan/2016/",
        "/compare/?forces=metropolitan,kent",
        "/movers/?direction=declined&same-sort=force&same-page=2",
        "/findings/?q=crime",
    ]
    accountability_links = 0
    for url in pages:
        html = client.get(url).content.decode()
        links = re.findall(r'<a href="([^"]*_export=(csv|xlsx)[^"]*)" download', html)
        assert {kind for _, kind in links} == {"csv", "xlsx"}, url
        for href, _ in links:
            query = href.replace("&amp;", "&")
            if query.startswith("/"):
                # The force page's accountability section exports through the register's own pages, filtered by force.
                assert client.get(query).status_code == 200, href
                accountability_links += 1
                continue
            for part in url.partition("?")[2].split("&"):
                if part and "page=" not in part:
                    assert part in query, (url, href)
            assert "page=" not in query
            assert client.get(url.partition("?")[0] + query).status_code == 200, href
    assert accountability_links == 2  # the Met's time in Engage, as CSV and XLSX


@pytest.mark.parametrize("control", ["%01", "%08", "%0b", "%1b", "%1f"])
def test_a_search_with_a_control_character_exports_as_xlsx_with_the_character_replaced(client, control):
    from openpyxl import load_workbook

    response = client.get(f"/findings/?q=a{control}b&_export=xlsx")
    assert response.status_code == 200
    about = load_workbook(io.BytesIO(response.content), read_only=True)["About"]
    notes = [row[0] for row in about.iter_rows(values_only=True)]
    assert notes[0] == "Findings matching “a\ufffdb”"
    assert "q=a" in notes[1]


def test_every_text_of_a_workbook_is_cleaned_the_title_and_notes_included():
    from openpyxl import load_workbook

    content = exports.xlsx_bytes(header=["a\x01"], rows=[["b\x1b", 1]], title="t\x08", notes=["n\x0b", "m\x1f"])
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["t\ufffd", "About"]
    assert list(workbook["t\ufffd"].iter_rows(values_only=True)) == [("a\ufffd",), ("b\ufffd", 1)]
    assert [row[0] for row in workbook["About"].iter_rows(values_only=True)][:2] == ["n\ufffd", "m\ufffd"]
