"""The API documentation page: Swagger UI from our own static files, under the site's CSP, no console error."""

from tests.browser.test_csp import csp_page_load


def test_the_api_docs_render_under_the_csp_and_try_a_grades_request(page):
    response = csp_page_load(page, "/api/v1/docs/")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/api/v1/grades/" in [path.strip() for path in paths]

    # "Try it out" on the grades endpoint sends a real request from the page and shows its JSON.
    page.locator(".opblock-summary-path", has_text="/api/v1/grades/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.locator('tr[data-param-name="force"] input').fill("bedfordshire")
    page.locator('tr[data-param-name="round"] input').fill("2016")
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Bedfordshire Police" in page.locator(".live-responses-table .microlight").first.inner_text()

    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
