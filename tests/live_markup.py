"""What in a piece of HTML could run script or take over the page, read as a browser reads it.

html5lib implements the HTML5 parsing algorithm, so mutation-XSS tricks (markup that changes
meaning when re-parsed) are seen as the browser will see them, not as the sanitizer meant them.
"""

from __future__ import annotations

import re
from typing import Any

import html5lib

_ACTIVE = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
     "button", "textarea", "select", "base", "style", "svg", "math", "template", "noscript",
     "link", "meta", "portal", "dialog"}
)  # fmt: skip
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "background", "srcset", "cite", "data",
     "xlink:href", "ping", "lowsrc", "dynsrc"}
)  # fmt: skip
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_DIGITS = re.compile(r"[0-9]+")


def new_live_markup(html: str, baseline: set[str]) -> list[str]:
    """Live markup of a whole page that its baseline rendering (benign content only) lacks."""
    return [found for found in live_markup(html, document=True) if found not in baseline]


def live_markup(html: str, *, document: bool = False) -> list[str]:
    """Every element or attribute that could run script, submit, redirect or overlay the page.

    Each is described with its attributes and the start of its text, digits masked, so that a
    page's own markup (its scripts, forms, icons) can be told apart from what a feed brought.
    """
    if not html:
        return []
    tree: Any = (
        html5lib.parse(html, namespaceHTMLElements=False)
        if document
        else html5lib.parseFragment(html, namespaceHTMLElements=False)
    )
    found = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag in _ACTIVE:
            found.append(_describe(tag, element))
        for name, value in element.attrib.items():
            name = str(name).rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                found.append(_DIGITS.sub("N", f"<{tag} {name}={value!r}>"))
            elif name == "style" and "position" in value.lower():
                found.append(_DIGITS.sub("N", f"<{tag} style={value!r}>"))
            elif name in _URL_ATTRIBUTES and not _safe_url(value):
                found.append(_DIGITS.sub("N", f"<{tag} {name}={value!r}>"))
    return found


def _describe(tag: str, element: Any) -> str:
    attributes = " ".join(f"{k}={v!r}" for k, v in sorted(element.attrib.items()))
    text = "".join(element.itertext())[:40] if tag in ("script", "style") else ""
    return _DIGITS.sub("N", f"<{tag} {attributes}>{text}")


def _safe_url(value: str) -> bool:
    """As a browser would: control characters and spaces inside the scheme are dropped."""
    cleaned = _IGNORED.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in _SAFE_SCHEMES
