"""An editor's day, in a real browser: log in, enter a grade on the grade sheet, see it on the force
page and in the force's CSV."""

import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_serious_violations
from tests.conftest import role_user

SOURCE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cumbria/"
QUESTION = "E4 Tackling serious and organised crime"


def test_an_editor_enters_a_grade_on_the_sheet_and_sees_it_on_the_force_page_and_in_its_csv(page, shipped_data_restored):
    import pandas as pd

    role_user("eddie", "Editor")
    page.goto("/editor/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/editor/$"))
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill("pw-eddie-2024")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Editor tools")).to_be_visible()
    assert axe_serious_violations(page) == []  # links in its text are told apart without colour

    page.get_by_label("Round").select_option(label="PEEL 2016")
    page.get_by_label("Force").select_option(label="Cumbria Constabulary")
    page.get_by_role("button", name="Open grade sheet").click()
    expect(page).to_have_url(re.compile(r"/editor/grade-sheet/2016/cumbria/$"))
    grade = page.get_by_label(f"Grade: {QUESTION}")
    expect(grade).to_have_value("")
    assert "Adequate" not in grade.locator("option").all_inner_texts()
    assert axe_serious_violations(page) == []

    grade.select_option(label="Requires improvement")
    page.get_by_label(f"Source address: {QUESTION}").fill(SOURCE)
    page.get_by_role("button", name=re.compile(r"^Save all \d+ rows$")).click()
    expect(page.get_by_text("Saved the PEEL 2016 grades of Cumbria Constabulary: 1 new, 0 changed")).to_be_visible()
    expect(page.get_by_label(f"Grade: {QUESTION}")).to_have_value("2")

    page.goto("/forces/cumbria/")
    row = page.locator("table tr", has_text=QUESTION)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("PEEL 2016")
    expect(row).to_contain_text("Requires improvement")

    response = page.request.get("/forces/cumbria/summary.csv")
    assert response.ok
    frame = pd.read_csv(io.BytesIO(response.body()), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    entered = frame[(frame["round"] == "2016") & (frame["question_or_area"] == QUESTION)]
    assert entered[["grade", "source_url"]].values.tolist() == [["Requires improvement", SOURCE]]
    assert page.console_errors == []
