"""Rendering untrusted article text safely: escaping, JSON in <script>, links, highlights.

Why one module: every page (the dossier and the web UI) shows text from the open web;
getting escaping right once, here, and testing it here is what keeps a hostile article inert.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from markupsafe import Markup, escape

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
# bidi controls as JSON escapes: raw, they would make the page's ``isolate_bidi`` wrap the whole data
# island in FSI … PDI, which JSON.parse refuses (a hostile title would have emptied the map)
_SCRIPT_ESCAPES.update({ch: f"\\u{ord(ch):04x}" for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"})


def json_for_script(value: Any) -> Markup:
    """JSON that is safe inside a <script> element: no '</script>', no '<!--', no line separators,
    no raw bidi controls."""
    return Markup(script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"))))


def script_safe(text: str) -> str:
    """JSON text made safe inside a <script> element (``json_for_script`` on text already dumped:
    the web UI's map data is dumped event by event, never as one string of tens of megabytes)."""
    for raw, repl in _SCRIPT_ESCAPES.items():
        if raw in text:
            text = text.replace(raw, repl)
    return text


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolate_bidi(value: Any) -> Any:
    """A string carrying bidi controls (a right-to-left override U+202E, embeddings, isolates)
    wrapped in FSI … PDI, with its unclosed isolates closed: the text-level <bdi>.

    Why: an override inside a title would otherwise reverse whatever follows it on the
    line — the outlet's name, the date, the next link — and could disguise a URL or a figure.
    Isolated, it affects only its own text. Used as the Jinja ``finalize`` of the dossier
    and the web UI (HTML and Markdown alike); strings without controls are left untouched."""
    if not isinstance(value, str) or not _BIDI_CONTROLS.search(value):
        return value
    depth = 0
    for ch in _BIDI_CONTROLS.findall(value):
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == "\u2069" and depth:
            depth -= 1
    out = "\u2068" + str(value) + "\u2069" * depth + "\u2069"  # a PDI also ends the embeddings opened inside
    return Markup(out) if isinstance(value, Markup) else out


def csp_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def safe_url(url: str | None) -> str:
    """Only http(s) links leave a page: article data is untrusted (no javascript:/data: URLs)."""
    if not url:
        return "#"
    cleaned = url.strip()
    if any(ch in cleaned for ch in "\x00\r\n\t<>\"' "):
        return "#"
    return cleaned if cleaned.lower().startswith(("http://", "https://")) else "#"


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of Article.text: offsets, a CSS class and a tooltip."""

    start: int
    end: int
    cls: str
    title: str = ""
    anchor: str = ""  # an id placed where the span starts (links such as an alert's point at it); cls "" = anchor only


def _valid(spans: Iterable[Span], length: int) -> list[Span]:
    return [s for s in spans if isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= length]


def highlight(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> Markup:
    """HTML of text[start:end] with the spans marked; every text piece escaped.

    Overlapping spans (a place inside a claim sentence) are handled by cutting the text at
    every span boundary: each piece is wrapped once, with the classes of all spans covering it,
    so the markup never needs improper nesting.
    """
    end = len(text) if end is None else end
    spans = [s for s in _valid(spans, len(text)) if s.start < end and s.end > start]
    anchors: dict[int, list[str]] = {}
    for s in spans:
        if s.anchor and start <= s.start < end:
            anchors.setdefault(s.start, []).append(s.anchor)
    spans = [s for s in spans if s.cls]
    cuts = sorted({start, end} | {max(start, s.start) for s in spans} | {min(end, s.end) for s in spans} | set(anchors))
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        out += [f'<a class="anchor" id="{escape(name)}"></a>' for name in dict.fromkeys(anchors.get(a, ()))]
        piece = escape(text[a:b])
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if not covering:
            out.append(str(piece))
            continue
        classes = " ".join(sorted({s.cls for s in covering}))
        title = " · ".join(dict.fromkeys(s.title for s in covering if s.title))
        out.append(f'<mark class="{escape(classes)}" title="{escape(title)}">{piece}</mark>')
    return Markup("".join(out))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the paragraphs of Article.text (separated by a blank line)."""
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        s, e = pos, pos + len(chunk)
        pos = e + 2
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if chunk.strip():
            out.append((s + lead, s + trail))
    return out
