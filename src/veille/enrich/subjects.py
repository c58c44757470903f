"""Subject normaliser: who a figure counts, as head noun + nationality/group.

"militaires américains", "militaires US", "victimes parmi les militaires US", "US soldiers"
and "American servicemen" all normalise to "US soldiers", so two outlets' figures about the
same people can be compared (contradictions.py) whatever language or wording they use.
The mechanism is data-driven (``claim_lexicon.json``: heads, nationalities, groups), not a
list of phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import alt, lexicon


@dataclass(frozen=True)
class Subject:
    label: str  # "US soldiers", "people", "ISIS militiamen"
    category: str  # general | civilian | combatant | object
    start: int
    end: int
    anaphoric: bool = False

    @property
    def head(self) -> str:
        return self.label.split()[-1]


@lru_cache(maxsize=2)
def _tables(lang: str):
    lex = lexicon()
    heads = [(re.compile(rf"(?:{p})$", re.I), norm, cat) for p, norm, cat in lex["subjects"][lang]]
    head_re = alt(p for p, _, _ in lex["subjects"][lang])
    nats = {k: v for k, v in lex["nationalities"].items() if not k.startswith("_")}
    nat_res = [(re.compile(rf"^(?:{alt(v)})$", re.I), k) for k, v in nats.items()]
    groups = {k: v for k, v in lex["groups"].items() if not k.startswith("_")}
    group_re = [(re.compile(rf"\b{alt(v)}\b", re.I), k) for k, v in groups.items()]
    return heads, head_re, nat_res, group_re


def _nationality(word: str, lang: str) -> str | None:
    for rx, key in _tables(lang)[2]:
        if rx.match(word.strip(".,")):
            return key
    return _world_demonyms().get(word.strip(".,").lower())


@lru_cache(maxsize=1)
def _world_demonyms() -> dict[str, str]:
    """Every demonym form of the world table (``data/geo/demonyms.csv``: en/fr/ar) → its English
    adjective, for the nationalities the lexicon's short list does not hold ("Malian soldiers",
    "soldats maliens", "Ukrainian troops" → "Malian/Ukrainian soldiers"). Why the world table: the list
    in claim_lexicon.json was written from the sample's countries; a conflict anywhere needs its own."""
    import csv
    import io
    from importlib import resources

    text = resources.files("veille").joinpath("data/geo/demonyms.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))))
    for row in rows:
        forms = {lang: [f.strip() for f in (row.get(lang) or "").split("|") if f.strip()] for lang in ("en", "fr", "ar")}
        if not forms["en"]:
            continue
        label = forms["en"][0]
        for f in forms["en"] + forms["fr"] + forms["ar"]:
            out.setdefault(f.lower(), label)
    return out


def _group(text: str, lang: str) -> str | None:
    found = _group_match(text, lang)
    return found[0] if found else None


def _group_span(text: str, lang: str) -> tuple[str, int, int] | None:
    """(group, start, end) of the group named first in ``text``."""
    best = None
    for rx, key in _tables(lang)[3]:
        m = rx.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (key, m.start(), m.end())
    return best


def _group_match(text: str, lang: str) -> tuple[str, int] | None:
    found = _group_span(text, lang)
    return (found[0], found[2]) if found else None


_COMP = re.compile(r"\s+(?:de|du|des|d['’]|of|from)\s*[^,;.()]{0,60}", re.I)  # "miliciens de Daech", "members of …"
_COMP_END = re.compile(r"(?i)\s(?:were|was|have|has|had|are|is|been|after|when|while|during|with|who|which|that|"
                       r"ont|sont|été|a\s+été|après|lors|pendant|avec|qui|que)\b")
_ANAPHORA = re.compile(r"\s*(?:d['’]\s*entre\s+(?:eux|elles)|of\s+them|of\s+whom|parmi\s+eux|منهم(?![\w])|من\s+بينهم(?![\w]))\b", re.I)
# Arabic: "تسعة من المدنيين" (nine of the civilians), "خمسة قتلى في صفوف العسكريين" (among the soldiers)
_LEAD_AR = r"\s*(?:من\s+)?"
_AMONG_AR = r"\s+(?:في\s+صفوف|من\s+بين|بين|من)\s+"


def find_subject(text: str, pos: int, end: int, lang: str, via_among: bool = False) -> Subject | None:
    """The subject noun phrase starting right after a figure (or after 'parmi'/'among' when asked)."""
    heads, head_re, _, _ = _tables(lang)
    if not via_among:
        m = _ANAPHORA.match(text, pos, end)
        if m:
            return Subject("people", "general", m.start(), m.end(), anaphoric=True)
    lead = r"\s+(?:parmi|among|dont|including)\s+(?:les\s+|des\s+|the\s+|them\s+)?" if via_among else \
        r"\s*(?:de\s+|d['’]\s*|of\s+(?:the\s+)?|des\s+|other\s+|autres\s+|more\s+)?"
    # English: up to two words before the head, or a run of names and "-backed" adjectives with an acronym
    # ("Two Syrian Democratic Forces (SDF) members", "Fifteen Ankara-backed Free Syrian Army (FSA) fighters")
    pre = (r"(?:(?:[^\W\d][\w.-]*)\s+){0,2}?|(?-i:(?:(?:[A-Z][\w.'’-]*|\([A-Z][A-Za-z]{1,6}\)|[a-z]+-(?:backed|led|based|held|"
           r"affiliated|allied|linked|aligned|loyal))\s+){3,6}?)") if lang == "en" else r"(?:(?:nouveaux|nouvelles|autres|jeunes|simples)\s+)?"
    if lang == "ar":  # no adjective before an Arabic noun; its modifiers follow it
        lead, pre = (_AMONG_AR if via_among else _LEAD_AR), r""
    m = re.compile(lead + rf"(?P<pre>{pre})(?P<head>{head_re})\b", re.I).match(text, pos, end)
    if not m:
        return None
    head = m.group("head")
    norm, cat = next((n, c) for rx, n, c in heads if rx.match(head))
    nat = None
    for w in (m.group("pre") or "").split():
        nat = nat or _nationality(w, lang)
    if lang == "en" and m.group("pre") and not nat:
        pre_words = m.group("pre").split()
        if any(w.lower() in ("were", "was", "have", "has", "are", "and", "in", "killed", "kills", "kill", "wounds",
                             "wounded", "injured", "injures", "dead", "killing", "leaving", "left", "at", "on", "by")
               for w in pre_words):
            return None  # "12 were killed people…": not a noun phrase
    tail_end = m.end()
    group = None
    # modifiers after the head: "militaires américains", "miliciens de Daech", "members of the 5th division"
    after = re.compile(r"(?:\s+(?P<w>[\w.-]+))", re.I)
    p = m.end()
    for _ in range(2):
        w = after.match(text, p, end)
        if not w:
            break
        found = _nationality(w.group("w"), lang)
        g = None if found else _group(w.group("w"), lang)
        if g and not re.match(r"(?:de|du|des|of|from)$", w.group("w"), re.I):
            group = g
            p = tail_end = w.end()
        elif found:
            nat = nat or found
            p = tail_end = w.end()
        else:
            break
    if lang == "ar" and group is None:
        # an Arabic complement follows with no preposition ("عناصر تنظيم الدولة") or with "من"
        gs = _group_span(text[p:min(end, p + 45)], lang)
        if gs and re.fullmatch(r"\s*(?:من\s+)?(?:ال)?(?:عناصر\s+|مقاتلي\s+|صفوف\s+)?(?:تنظيم\s+|ميليشيا\s+|ميليشيات\s+)?", text[p:p + gs[1]]):
            group, tail_end = gs[0], p + gs[2]
    comp = _COMP.match(text, p, end)
    if comp:  # the complement ends where the clause's verb starts ("members of the Fifth Corps were killed … regime forces")
        stop = _COMP_END.search(comp.group(), 1)
        if stop:
            comp = _COMP.match(text, p, p + stop.start())
    if comp and group is None:
        gm = _group_match(comp.group(), lang)
        if gm:
            group, tail_end = gm[0], comp.start() + gm[1]
        else:
            found = next((n for x in comp.group().split()[1:3] if (n := _nationality(x, lang))), None)
            nat = nat or found
    if group is None:
        group = _group(m.group("pre") or "", lang)
    if nat and group and group.lower().startswith(nat.lower()):
        nat = None  # "Syrian army" already says it
    label = " ".join(x for x in (nat, group, norm) if x)
    return Subject(label, cat, m.start("head"), tail_end)


def subject_before(text: str, start: int, end: int, lang: str) -> Subject | None:
    """The last non-object subject noun in text[start:end] (for "550 d'entre eux", "of them")."""
    _, head_re, _, _ = _tables(lang)
    for m in re.finditer(rf"\b(?:{head_re})\b", text[start:end], re.I):
        sub = find_subject(text, start + m.start() - 1, end, lang)
        if sub is not None and sub.category in ("combatant", "civilian", "general") and sub.label not in ("people",):
            return sub  # the first: the clause's subject more often than a complement ("parmi les civils")
    return None
