"""Duty text is Markdown, cleaned of HTML on save and rendered through an allow-list."""

from __future__ import annotations

import pytest

from matrices.models import Duty
from matrices.richtext import clean_markdown, render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>Rotate keys", "Rotate keys"),
        ("Rotate **keys** <img src=x onerror=alert(1)>", "Rotate **keys**"),
        ("&lt;b&gt;bold&lt;/b&gt; text", "bold text"),
        ("a < b & c", "a < b & c"),
        (
            "See <https://example.com/docs>",
            "See [https://example.com/docs](https://example.com/docs)",
        ),
    ],
)
def test_clean_markdown_strips_html_and_keeps_markdown(source, expected):
    assert clean_markdown(source) == expected


def test_render_markdown_keeps_http_links_with_a_safe_rel():
    html = render_markdown("Read [the docs](https://example.com/a?b=1&c=2).")
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">' in html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[c](vbscript:x)",
    ],
)
def test_render_markdown_drops_dangerous_link_schemes(source):
    assert "href" not in render_markdown(source)


def test_render_markdown_escapes_angle_brackets_in_text():
    assert render_markdown("if a <b> c") == "<p>if a &lt;b&gt; c</p>"


def test_render_markdown_drops_images():
    assert "<img" not in render_markdown("![x](https://example.com/x.png)")


@pytest.mark.django_db
def test_saving_a_duty_cleans_its_source_and_stores_sanitised_html(singlestore):
    cell = singlestore.cells.first()
    duty = Duty.objects.create(
        cell=cell,
        party=singlestore.parties.first(),
        text='Check <a href="javascript:x" onclick="y">keys</a> [docs](https://ex.com)',
    )
    duty.refresh_from_db()
    assert duty.text == "Check keys [docs](https://ex.com)"
    assert "onclick" not in duty.text_html
    assert 'href="https://ex.com"' in duty.text_html
