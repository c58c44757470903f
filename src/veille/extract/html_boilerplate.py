"""Precision rules on the lines a generic extractor returns: what is page furniture, not prose.

Why after trafilatura and not instead of it: trafilatura finds the article's region well
(recall ~0.95) but keeps what sits inside that region — comment prompts, "read also"
teasers, photo credits, newsletter calls, a trailing block of related links. Those have
recognisable *shapes* in any language (short, imperative, a closing heading followed by a
list), so a few multilingual patterns catch them without knowing the site.

Two kinds of rule, both keeping what they remove (``Boilerplate`` with its kind):
- **line rules**: a short line whose shape is a credit, a teaser link, a call to share or
  subscribe, a login prompt, a bare date/time stamp;
- **tail cut**: a closing heading ("Comments", "Related posts", "Weitere Themen", "À lire
  aussi") in the last part of the text ends the article: it and everything after it go.

Where the line rules live: in ``data/boilerplate_lines.txt`` (kind, then its pattern; format
in the file's header), read once at import into ``LINE_RULES``. They are outlet-independent
knowledge about page furniture, not logic, so they are kept as data: adding a phrase or a
language is an edit to that file, with no code change. The tail cut's ``END_HEADING`` and
the code that applies both rules stay here; the closing headings are per-language data too
(``data/lang/<xx>/end_headings.txt``).
"""

from __future__ import annotations

import re
from importlib import resources

from ..records import Boilerplate

_I = re.I | re.U

# A closing heading: the article is over, what follows is comments or related links. The phrases
# are language data, one file per language (``data/lang/<xx>/end_headings.txt``, format in en's).
HEADING_FILE = "end_headings.txt"


def load_end_headings(files: dict[str, str]) -> re.Pattern:
    """One pattern from every language's closing-heading file ({language: file text})."""
    counted, plain = [], []
    for lang in sorted(files):
        for number, line in enumerate(files[lang].split("\n"), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            target = counted if line.startswith("counted ") else plain
            pattern = line.removeprefix("counted ").strip()
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"data/lang/{lang}/{HEADING_FILE}:{number}: bad pattern: {exc}") from None
            target.append(pattern)
    alternatives = []
    if counted:
        alternatives.append(r"\d*\s*(?:" + "|".join(counted) + r")(?:\s*\(\d+\))?")
    alternatives += plain
    return re.compile(r"^(?:" + "|".join(alternatives) + r")\s*[:.!…]?\s*$", _I)


def _read_end_headings() -> re.Pattern:
    root = resources.files("veille.data").joinpath("lang")
    files = {d.name: d.joinpath(HEADING_FILE).read_text(encoding="utf-8")
             for d in root.iterdir() if d.is_dir() and d.joinpath(HEADING_FILE).is_file()}
    return load_end_headings(files)


END_HEADING = _read_end_headings()

# A line that is furniture wherever it stands (kind → pattern); only short lines are tested.
# The rules live in ``data/boilerplate_lines.txt`` (format in its header); order matters.
RULES_FILE = "boilerplate_lines.txt"


def load_line_rules(text: str, source: str = RULES_FILE) -> list[tuple[str, re.Pattern]]:
    """Parse the line-rules format: a kind at the margin, its pattern on the tab-indented lines after it."""
    rules: list[tuple[str, re.Pattern]] = []
    kind: str | None = None
    parts: list[str] = []
    kind_line = 0

    def close() -> None:
        if kind is None:
            return
        if not parts:
            raise ValueError(f"{source}:{kind_line}: kind {kind!r} has no pattern")
        try:
            rules.append((kind, re.compile("".join(parts), _I)))
        except re.error as exc:
            raise ValueError(f"{source}:{kind_line}: bad pattern for {kind!r}: {exc}") from None

    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("\t"):
            if kind is None:
                raise ValueError(f"{source}:{number}: pattern line before any kind")
            parts.append(line[1:])
        elif not line.strip() or line.startswith("#"):
            continue
        else:
            close()
            kind, parts, kind_line = line.strip(), [], number
    close()
    return rules


def _read_line_rules() -> list[tuple[str, re.Pattern]]:
    text = resources.files("veille.data").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return load_line_rules(text, f"data/{RULES_FILE}")


LINE_RULES: list[tuple[str, re.Pattern]] = _read_line_rules()

SHORT = 160  # only lines up to this length are tested by LINE_RULES: prose is longer
TAIL_START = 0.5  # a closing heading counts only in the second half of the text


def line_kind(line: str) -> str | None:
    """The furniture kind of one line, or None for prose."""
    text = line.strip().strip("|").strip()
    if not text:
        return "empty"
    if len(text) > SHORT:
        return None
    if END_HEADING.match(text):
        return "heading"
    for kind, pattern in LINE_RULES:
        if pattern.search(text):
            return kind
    return None


def clean_lines(lines: list[str]) -> tuple[list[str], list[Boilerplate]]:
    """Split lines into (kept prose, removed furniture with its kind)."""
    kept: list[str] = []
    removed: list[Boilerplate] = []
    total = sum(len(l) for l in lines) or 1
    seen = 0
    cut_at: int | None = None
    for i, line in enumerate(lines):
        if seen / total >= TAIL_START and END_HEADING.match(line.strip().strip("|").strip()) and len(line) <= 80:
            cut_at = i
            break
        seen += len(line)
    body = lines if cut_at is None else lines[:cut_at]
    for line in body:
        kind = line_kind(line)
        if kind is None:
            kept.append(line)
        elif kind != "empty":
            removed.append(Boilerplate(kind, line))
    if cut_at is not None:
        for line in lines[cut_at:]:
            removed.append(Boilerplate("related" if not _is_comments(lines[cut_at]) else "comments", line))
    if not kept and lines:  # the rules never empty a page: that would be a silent loss
        return list(lines), []
    return kept, removed


def _is_comments(heading: str) -> bool:
    return bool(re.search(r"comment|kommentar|komentar|coment|تعليق|reply|antwort|reaction|reactie|respons", heading, _I))

