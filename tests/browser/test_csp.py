"""The charts draw under the Content-Security-Policy, and the browser reports no violation of it."""

import pytest

# Collects the browser's CSP violation reports; Playwright runs it before any script of the page.
VIOLATION_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""

CHART_PAGES = [
    "/",
    "/forces/metropolitan/",
    "/compare/?forces=kent,essex,surrey",
]


def csp_page_load(page, url: str):
    page.add_init_script(VIOLATION_RECORDER)
    response = page.goto(url)
    assert response.status == 200
    return response


@pytest.mark.parametrize("url", CHART_PAGES)
def test_the_charts_draw_under_the_csp_with_no_violation_in_the_console(page, url):
    response = csp_page_load(page, url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    charts = page.locator(".chart[data-figure]")
    assert charts.count() >= 1
    page.wait_for_function(
        "document.querySelectorAll('.chart[data-figure]').length === document.querySelectorAll('.chart[data-drawn]').length"
    )
    for index in range(charts.count()):
        # plotly drew an SVG with at least one trace (lines, bars) or heatmap image in every chart container.
        assert charts.nth(index).locator(".main-svg .trace, .main-svg .hm image").count() >= 1
    assert page.evaluate("window.__cspViolations") == []
    assert [error for error in page.console_errors if "Content Security Policy" in error] == []
    assert page.console_errors == []


def test_the_policy_is_enforced_so_an_injected_inline_script_is_blocked_and_reported(page):
    # The control for the test above: it would see a violation if a page had one.
    csp_page_load(page, "/forces/metropolitan/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true;";
          document.body.append(script);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan") is None
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
    assert any("Content Security Policy" in error for error in page.console_errors)
