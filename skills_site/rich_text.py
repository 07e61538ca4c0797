"""Text that arrives with a format (Moodle's question texts, answers and feedback; Moodle framework
descriptions), made safe to show.

Moodle stores each text with one of four formats, and GIFT names them ``[html]``, ``[markdown]``,
``[plain]`` and ``[moodle]``. Here HTML is cleaned with nh3 (the Python binding of the Rust crate
ammonia, an allow-list sanitiser that parses HTML the way browsers do) and markdown is turned into
HTML by Python-Markdown and then cleaned the same way; plain and Moodle-format text are shown as
text, with their line breaks. Nothing that can run a script survives: no ``<script>``, no
``on...=`` attributes, no ``javascript:`` links, no styles.

Rendering is a pure function of the text and its format, so it is cached in the process.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from django.db import models
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class TextFormat(models.TextChoices):
    """Moodle's text formats, by the names GIFT gives them."""

    MOODLE = "moodle", _("Moodle auto-format (shown as text)")
    HTML = "html", _("HTML")
    PLAIN = "plain", _("Plain text")
    MARKDOWN = "markdown", _("Markdown")


INLINE_TAGS = {"a", "abbr", "b", "br", "code", "em", "i", "img", "kbd", "mark", "q", "s", "small", "span",
               "strong", "sub", "sup", "u"}  # fmt: skip
BLOCK_TAGS = {"blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "h3", "h4", "h5",
              "h6", "hr", "li", "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
              "ul"}  # fmt: skip
ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Moodle writes images and files embedded in a text as "@@PLUGINFILE@@/name"; GIFT does not carry
# the files, so such a reference can only show a broken image: it is dropped (the alt text stays).
MOODLE_FILE = "@@PLUGINFILE@@"
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|td|th|blockquote|pre|dt|dd|caption)\s*>", re.I)


def _drop_moodle_files(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "href") and MOODLE_FILE in value:
        return None
    return value


def sanitise_html(text: str, *, inline: bool = False) -> str:
    """HTML with only harmless tags and attributes left; ``inline`` also drops block tags (keeping
    their text), for places such as an option's label where a paragraph cannot go."""
    tags = INLINE_TAGS if inline else INLINE_TAGS | BLOCK_TAGS
    if inline:
        text = _BLOCK_END.sub(lambda match: match.group(0) + " ", text)
    return nh3.clean(
        text,
        tags=tags,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag == "*" or tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_drop_moodle_files,
    ).strip()


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["sane_lists", "tables", "fenced_code"], output_format="html")


@lru_cache(maxsize=8192)
def render_text(text: str, text_format: str = TextFormat.MOODLE, *, inline: bool = False) -> SafeString:
    """Safe HTML for ``text`` in ``text_format``; block-level unless ``inline``."""
    text = text or ""
    if text_format == TextFormat.HTML:
        return mark_safe(sanitise_html(text, inline=inline))  # noqa: S308 (cleaned by nh3 just above)
    if text_format == TextFormat.MARKDOWN:
        return mark_safe(sanitise_html(_markdown(text), inline=inline))  # noqa: S308 (cleaned by nh3)
    if inline:
        return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 (escaped)
    return mark_safe(linebreaks(escape(text)))  # noqa: S308 (escaped)


@lru_cache(maxsize=8192)
def plain_text(text: str, text_format: str = TextFormat.MOODLE) -> str:
    """The words of ``text`` without markup, for lists, titles and truncated previews (not yet escaped)."""
    text = text or ""
    if text_format == TextFormat.MARKDOWN:
        text = _markdown(text)
    elif text_format != TextFormat.HTML:
        return " ".join(text.split())
    spaced = _BLOCK_END.sub(lambda match: match.group(0) + " ", text.replace("<br>", " "))
    stripped = nh3.clean(spaced, tags=set())
    return " ".join(html.unescape(stripped).split())
