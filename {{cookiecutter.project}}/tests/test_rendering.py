"""Message bodies rendered from Markdown: formatting works, and no script survives."""

from html.parser import HTMLParser

import pytest

from {{ cookiecutter.package }}.rendering import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[![x](javascript:alert(1))](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "<iframe src=javascript:alert(1)></iframe>",
]


class Elements(HTMLParser):
    """Every (tag, attributes) in a piece of HTML, as a browser would parse it."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload):
    html = render_markdown(payload)
    for tag, attributes in Elements(html).found:
        assert tag in {"p", "a", "code", "pre"}, (payload, html)
        assert not any(name.startswith("on") for name in attributes), (payload, html)
        href = attributes.get("href", "https:").strip().lower()
        assert href.startswith(("http:", "https:", "mailto:")), (payload, html)


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_markdown_formats():
    html = render_markdown("**bold** and *em*\n\n- one\n- two\n\n`code`")
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert "<code>code</code>" in html


@pytest.mark.parametrize("source", ["[site](https://example.com)", "<https://example.com>"])
def test_links_get_rel_nofollow_ugc_noopener(source):
    assert 'href="https://example.com"' in render_markdown(source)
    assert 'rel="nofollow ugc noopener"' in render_markdown(source)


def test_a_line_break_stays_a_line_break():
    assert render_markdown("first line\nsecond line") == "<p>first line<br>\nsecond line</p>\n"
