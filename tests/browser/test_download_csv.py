"""A PCC officer filters a table, clicks "Download CSV" and opens the file it saves."""

import csv
import io
import re

from tests.browser.conftest import axe_serious_violations


def test_download_csv_on_a_filtered_page_saves_every_row_the_filters_select(page):
    page.goto("/")
    page.get_by_label("Round", exact=True).select_option("2016")
    page.get_by_label("Pillar", exact=True).select_option("Effectiveness")
    page.get_by_role("button", name="Show round").click()
    page.wait_for_url(re.compile(r"round=2016"))
    force_header = page.locator("table.data-table thead").first.get_by_role("link", name=re.compile(r"^Force"))
    force_header.click()  # sorts by force name; a second click sorts descending
    page.wait_for_url(re.compile(r"sort=force"))
    force_header.click()
    page.wait_for_url(re.compile(r"sort=-force"))
    on_screen = page.locator("table.data-table").first.locator("tbody tr").first.locator("td")
    first_row = [" ".join(text.split()) for text in on_screen.all_inner_texts()]

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").first.click()
    download = info.value

    assert re.fullmatch(r"peel-national-grades-2016-effectiveness-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["force", "graded_questions_known", "overall_effectiveness"]
    assert len(body) == 43  # every force, not just the 25 on the first page
    assert [row[0] for row in body] == sorted((row[0] for row in body), reverse=True)
    assert body[0][: len(first_row)] == first_row
    assert page.console_errors == []
    assert axe_serious_violations(page) == []


def test_a_pcc_office_downloads_its_forces_history_from_the_data_page(page):
    page.goto("/data/")
    page.locator("summary", has_text="One force's history").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Grades of Bedfordshire Police (CSV)").click()
    download = info.value
    assert re.fullmatch(r"peel-grades-bedfordshire-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"), newline="")))
    assert rows and {row["force_name"] for row in rows} == {"Bedfordshire Police"}
    assert axe_serious_violations(page) == []
