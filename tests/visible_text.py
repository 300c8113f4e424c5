"""Find English left in a page meant to be read in Arabic.

``latin_words`` returns the Latin-script words (two letters or more) a reader of the page
sees or hears: text nodes, and the attributes a screen reader or tooltip reads. Subtrees that
declare another language (``lang="en"``, e.g. the language switch's "English" button, named in
its own language on purpose) are skipped, as are scripts and styles.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
HIDDEN = {"script", "style", "template"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its subtree skipped?
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skipped = self._skipping() or tag in HIDDEN or (lang is not None and lang[:2] != "ar")
        if not skipped and not (tag == "input" and values.get("type") == "hidden"):
            self.texts += [values[name] or "" for name in READ_ATTRIBUTES if name in values]
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.texts.append(data)


def latin_words(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The Latin-script words of ``html``'s readable text, minus the ``allowed`` ones."""
    reader = _Reader()
    reader.feed(html)
    text = " ".join(reader.texts)
    return [word for word in LATIN_WORD.findall(text) if word not in allowed]
