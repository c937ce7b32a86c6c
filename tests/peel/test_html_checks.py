from tests.peel.html_checks import inline_code_problems


def test_chart_data_in_json_script_and_a_static_script_are_allowed():
    html = '<script id="chart" type="application/json">{"a": 1}</script><script src="/static/js/charts.abc.js" defer></script>'
    assert inline_code_problems(html) == []


def test_inline_code_handlers_javascript_urls_and_foreign_scripts_are_each_found():
    html = (
        "<script>alert(1)</script>"
        '<button onclick="go()">x</button>'
        '<a href="javascript:go()">x</a>'
        '<script src="https://cdn.example.org/plotly.js"></script>'
    )
    assert len(inline_code_problems(html)) == 4


def test_an_inline_script_carrying_a_nonce_is_allowed():
    assert inline_code_problems('<script nonce="abc">start()</script>') == []
