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
"""

from __future__ import annotations

import re

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
LINE_RULES: list[tuple[str, re.Pattern]] = [
    ("credit", re.compile(
        r"^(?:\(?\s*(?:photo|photos|foto|fotos|fot|bild|bilder|titelbild|beitragsbild|headerbild|image|images|"
        r"illustration|crédits?(?: photos?)?|credits?|quelle bild|bildquelle|bildnachweis|copyright|source image|"
        r"image illustrative)\s*[:.]|©|\(c\)\s|credit:)", _I)),
    ("caption", re.compile(r"^(?:abbildung|abb\.|figure|fig\.|grafik|graphique)\s*\d*\s*[:.]", _I)),
    ("caption", re.compile(r"\((?:photo|image|illustration|archives?|photo d['’]archives?|photo d['’]illustration|"
                           r"capture d['’]écran|screenshot|file photo|foto|bild)[^)]{0,40}\)\s*$", _I)),
    ("read-also", re.compile(
        r"^(?:lire (?:aussi|également|la suite)|à lire (?:aussi|également)|a lire (?:aussi|également)|voir aussi|"
        r"read (?:also|more)|see also|related\s*:|more\s*:|lesen sie (?:auch|hier|mehr)|mehr dazu|siehe auch|lies auch|"
        r"auch interessant|czytaj (?:też|także|również)|dowiedz się więcej|zobacz (?:też|także)|lee también|"
        r"leer más|te puede interesar|le puede interesar|lea (?:también|más)|lea\s*:|vea también|mira\s*:|mire\s*:|"
        r"puedes ver\s*:|auch lesen\s*:|schon gelesen|lisez aussi|leia (?:também|mais)|اقرأ أيضا|اقرأ أيضاً)", _I)),
    ("source", re.compile(r"^(?:quelle|quellen|source|sources|fuente|fuentes|źródło)\s*:\s*.{2,80}$", _I)),
    ("advert", re.compile(r"^(?:\*?(?:anzeige|werbung|advertisement|publicité|publicidad|sponsored|gesponsert)\b)", _I)),
    ("follow", re.compile(r"^(?:follow (?:us|\w+(?: \w+)?) on|folgen sie uns|suivez-nous|síguenos|"
                          r"download (?:the|our) .{1,30}apps?|for the latest .{1,40} download)", _I)),
    ("comment-prompt", re.compile(
        r"(?:um kommentare zu (?:schreiben|verfassen)|(?:to|um) (?:leave|post|write) a comment|"
        r"(?:log|sign)(?:ged)? in (?:here )?to (?:leave|post|comment)|sie müssen (?:sich )?(?:anmelden|eingeloggt)|"
        r"nur (?:angemeldete|registrierte) (?:benutzer|nutzer)|sie sind (?:aktuell )?nicht eingeloggt|"
        r"vous devez être connecté|kommentar(?:e)? (?:wurde|werden) |netiquette|dein kommentar wurde)", _I)),
    ("share", re.compile(
        r"^(?:share (?:this|on)|teilen (?:mit|auf)|auf (?:facebook|twitter|whatsapp) teilen|partager (?:sur|cet)|"
        r"pin it|wird geladen|loading|gefällt mir|like this|bild anzeigen|video anzeigen)\b.{0,40}$", _I)),
    ("share", re.compile(  # a row of share buttons: only network names
        r"^(?:(?:facebook|twitter|whatsapp|linkedin|pinterest|xing|reddit|telegram|e-?mail|drucken|print|tweet(?:en)?|"
        r"teilen|partager|share)\s*[|/·•,-]?\s*)+$", _I)),
    ("newsletter", re.compile(
        r"(?:newsletter|never miss|verpassen sie keine?|would you consider supporting|sign(?:ing)? up (?:to|for) (?:our|the)|"
        r"zapraszamy (?:też )?do subskrypcji)", _I)),
    ("newsletter", re.compile(  # calls to act: only at the start of a line, never inside a sentence
        r"^(?:abonnieren sie|abonnez-vous|inscrivez-vous|subscribe|suscríbete|zapisz się|support (?:our|us)\b|"
        r"unterstützen sie|unterstütze|donate|spenden sie|registrieren sie sich|melden sie sich (?:jetzt )?(?:für|zum)|"
        r"sign up|jetzt anmelden)", _I)),
    ("rights", re.compile(
        r"(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
        r"materiał chroniony prawem|wszelkie prawa zastrzeżone|sofern nicht anders (?:angegeben|ausgewiesen)|"
        r"^copyright\b|^©)", _I)),
    ("category", re.compile(
        r"^(?:kategorie|kategorien|category|categories|catégorie|rubrik|rubrique|filed under|posted in|"
        r"veröffentlicht in|abgelegt unter|schlagwörter|tags|stichworte|themen)\s*:", _I)),
    ("date", re.compile(
        r"^(?:(?:am|le|on|publié le|published(?: on)?|veröffentlicht(?: am)?|aktualisiert(?: am)?|updated(?: on)?|"
        r"stand|letzte änderung|last modified|mis à jour(?: le)?)\s*:?\s*)?"
        r"(?:\w+,?\s+)?\d{1,4}[./ -](?:\d{1,2}|\w{3,12})\.?[./ -]\d{2,4}"
        r"(?:,?\s*(?:um|à|at|-|\|)?\s*\d{1,2}[:.h]\d{2}(?:\s*(?:uhr|h|am|pm))?)?\s*\.?\s*$", _I)),
    ("date", re.compile(r"^(?:release date|news date|date de publication|publication date|erscheinungsdatum|datum)\s*:", _I)),
    ("time", re.compile(r"^\|?\s*\d{1,2}:\d{2}\s*(?:am|pm|uhr)?\s*\|?.{0,20}$", _I)),
    ("reading-time", re.compile(r"(?:lesezeit|reading time|temps de lecture|min(?:utes?)? (?:read|de lecture)|"
                                r"ten tekst przeczytasz|przeczytasz w)", _I)),
]

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

