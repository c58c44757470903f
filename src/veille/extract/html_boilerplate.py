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
the code that applies both rules stay here.
"""

from __future__ import annotations

import re
from importlib import resources

from ..records import Boilerplate

_I = re.I | re.U

# A closing heading: the article is over, what follows is comments or related links.
END_HEADING = re.compile(
    r"^(?:"
    # comments
    r"\d*\s*(?:comments?|kommentare?|commentaires?|comentarios?|commenti|komentarze?|reacties|reactions?|antworten|"
    r"responses?|replies|leserkommentare|discussion|diskussion)(?:\s*\(\d+\))?|"
    r"(?:leave|post|add|write|submit)\s+a\s+(?:comment|reply)|leave\s+a\s+reply|"
    r"(?:schreib|schreibe|schreiben sie)\s+(?:einen|ihren)\s+kommentar|kommentar\s+(?:verfassen|schreiben|abgeben)|"
    r"(?:einen\s+)?kommentar\s+hinzufügen|(?:laisser|publier|ajouter|écrire)\s+un\s+commentaire|"
    r"(?:deja|escribe)\s+(?:un|tu)\s+comentario|dodaj\s+komentarz|إضافة تعليق(?: جديد)?|أضف تعليق|"
    r"keine kommentare.*|no comments(?: yet)?|"
    # related content
    r"(?:related|similar|recommended|popular|more|latest|trending|other)\s+(?:posts?|articles?|stories|news|reads|content|topics)|"
    r"you (?:may|might) also like|read (?:more|next)|more (?:from|on|in) .{1,40}|see also|"
    r"(?:das|dies)(?:es)? (?:thema )?könnte (?:dich|sie) auch interessieren|auch interessant|ebenfalls interessant|"
    r"weitere (?:aktuelle )?(?:themen|artikel|beiträge|nachrichten|meldungen)(?: (?:aus|zu|zum|von|in) .{1,50})?|"
    r"mehr themen|top-themen.{0,40}|kommentierte artikel|beiträge aus dem forum|schon gelesen\??|"
    r"notas relacionadas|contenido relacionado|temas|más sobre .{1,40}|noticias relacionadas|"
    r"mehr zum thema.*|mehr (?:aus|zu|über) .{1,40}|empfohlene (?:beiträge|artikel)|ähnliche (?:beiträge|artikel)|"
    r"verwandte (?:beiträge|artikel|themen)|vorschau auf den nächsten artikel|zum weiterlesen|"
    r"lire aussi|à lire aussi|a lire aussi|sur le même (?:sujet|thème)|dans la même rubrique|articles? similaires?|"
    r"nos articles? (?:liés|recommandés)|vous aimerez aussi|"
    r"(?:artículos|noticias) relacionad[oa]s|te puede interesar|"
    r"czytaj (?:też|także|również)|zobacz (?:też|także|również)|polecane|"
    r"اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|أخبار ذات صلة|"
    # sharing / tags / newsletter
    r"share(?: this(?: (?:post|article|story))?)?(?: on)?|teilen(?: mit| auf)?|diesen (?:beitrag|artikel) teilen|"
    r"partager(?: cet article| sur)?|compartir|udostępnij|"
    r"tags?|schlagwörter|schlagworte|stichwörter|étiquettes|mots[- ]clés|etiquetas|tagi"
    r")\s*[:.!…]?\s*$",
    _I,
)

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

