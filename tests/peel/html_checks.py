"""What a strict Content-Security-Policy would block in a page, found by reading its HTML."""

from html.parser import HTMLParser

# Script types a browser does not execute: data blocks such as json_script's output.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}='javascript:...'>")
        if tag == "script":
            script_type = (attributes.get("type") or "").strip().lower()
            source = attributes.get("src")
            if source is not None and not source.startswith("/static/"):
                self.problems.append(f"<script src={source!r}> not one of our static files")
            if source is None and script_type not in DATA_SCRIPT_TYPES and "nonce" not in attributes:
                self.problems.append("<script> inline code without a nonce")


def inline_code_problems(html: str) -> list[str]:
    """Inline scripts without a nonce, inline event handlers, javascript: URLs and foreign script sources."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
