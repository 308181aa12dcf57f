"""Duty text: Markdown in, sanitised HTML out.

Duty texts are Markdown written by people (and later imported from files).
They are cleaned twice on save:

1. ``clean_markdown`` strips any raw HTML from the source with nh3, so the
   stored Markdown itself carries no markup to other consumers (exports,
   PDFs, the API).
2. ``render_markdown`` renders with raw HTML disabled and passes the result
   through nh3 with a small allow-list: paragraphs, emphasis, code, lists and
   links to http(s)/mailto only, which always get ``rel="noopener noreferrer
   nofollow"``.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# <https://example.com> autolinks would be read as tags by the HTML cleaner.
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "heading", "lheading", "table", "hr", "fence", "code", "blockquote"])


# Both are pure functions of the text, and matrices repeat their texts (an offering's
# duties in the next one; a file's text cleaned when read, then when saved).
@functools.lru_cache(maxsize=8192)
def clean_markdown(source: str) -> str:
    """Return ``source`` with all raw HTML removed, Markdown otherwise untouched."""
    text = _AUTOLINK.sub(r"[\1](\1)", source.replace("\r\n", "\n"))
    # Unescaping can reveal new markup ("&lt;b&gt;"), so clean to a fixed point.
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
        if cleaned == text:
            break
        text = cleaned
    return text.strip()


@functools.lru_cache(maxsize=8192)
def render_markdown(source: str) -> str:
    """Render Markdown to HTML that is safe to insert into a page unescaped."""
    return nh3.clean(
        _md.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def plain_text(source: str) -> str:
    """Markdown source reduced to readable text (links keep their label)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)
    return re.sub(r"[*_`]+", "", text)
