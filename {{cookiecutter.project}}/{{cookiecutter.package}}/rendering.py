"""Message bodies as HTML: Markdown rendered by markdown-it-py, then sanitized by nh3.

Two layers, so that neither has to be perfect alone: markdown-it escapes raw HTML
("html": False), and nh3 keeps only the tags, attributes and URL schemes listed here,
whatever the renderer produced. The result is safe to show with |safe.
"""

import nh3
from markdown_it import MarkdownIt

# CommonMark, with raw HTML escaped rather than passed through, and a line break where
# the writer pressed Enter (as people expect on a message board; CommonMark would join
# the lines).
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True})

TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
# No images: a picture from another site would make readers' browsers call it (and the
# CSP refuses it anyway). No class or style attributes either.
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# javascript:, data:, vbscript: ... never survive: a link keeps its href only with these.
URL_SCHEMES = {"http", "https", "mailto"}
# Links in user text: no ranking credit, marked as user content, no window.opener.
LINK_REL = "nofollow ugc noopener"


def render_markdown(text):
    """The HTML for a message body (Markdown source), sanitized."""
    return nh3.clean(
        _markdown.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
