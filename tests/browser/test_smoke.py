from tests.browser.conftest import axe_serious_violations


def test_the_home_page_shows_the_national_picture_in_a_real_browser_with_no_console_errors(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("National picture")
    assert page.get_by_role("link", name="Bedfordshire Police").is_visible()
    assert page.console_errors == []
    assert axe_serious_violations(page) == []
