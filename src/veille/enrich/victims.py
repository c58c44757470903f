"""Who a figure counts, read from the dependency parse instead of a window of words.

Why: token windows decide a figure's kind by the nearest cue word, and each new shape of sentence
needed a new rule ("kill 5 injure 50", "five policemen and 16 wounded", "a woman and child were
killed"…). The parse the spaCy models already compute says it directly: the noun the figure counts
(its ``nummod`` head), the predicate that governs that noun and in which role (object of an active
"killed", subject of a passive "were killed" or of "died"; the *agent* of an active "killed" counts
the attackers, never the victims), the negation on the predicate ("no one was injured"), the
coordination that adds victims up ("two men and a woman"), the partitive that makes a part
("including four children", "dont quatre enfants"). A victim with no figure is counted from the
same parse: a singular person ("a 17-year-old girl was fatally shot", "the boy died", "he was
pronounced dead") is one, coordinated people add up.

What is language data (``data/lang/<xx>/casualties.json``): the lemmas of the predicates and nouns and
the kind each counts, the person nouns, the negation words. What is mechanism (here): the relations,
which are the same Universal-Dependencies-like labels for English (ClearNLP names) and French (UD names).
Arabic has no parser among the shipped models: its claims keep the cue reader of ``claims.py``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Sequence

SUBJ = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "csubjpass", "expl:subj"}
PASSIVE_SUBJ = {"nsubj:pass", "nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj", "iobj"}
NUMMOD = {"nummod", "amod", "quantmod", "det", "nmod", "compound", "advmod", "nummod:gov", "dep"}
PASSIVE_AUX = {"auxpass", "aux:pass"}
COMPLEMENT = {"oprd", "xcomp", "acomp", "ccomp", "advcl", "conj", "obl", "obl:mod", "dep", "attr", "amod", "advmod"}
MODIFIER = {"acl", "amod", "relcl", "acl:relcl", "appos"}
CASUALTY_KINDS = ("killed", "wounded", "casualties")


@dataclass(frozen=True)
class Tok:
    """One token of the parse, detached from spaCy (so records stay plain and a worker can ship them)."""

    i: int
    text: str
    idx: int  # character offset in the text
    lemma: str
    pos: str
    dep: str
    head: int  # index of the head token (itself for a root)
    morph: str = ""
    sent_start: bool = False
    ent: str = ""  # the named-entity label (PERSON/PER, ORG, GPE/LOC, …), "" outside entities

    @property
    def end(self) -> int:
        return self.idx + len(self.text)

    @property
    def plural(self) -> bool:
        return "Number=Plur" in self.morph


@dataclass(frozen=True)
class Reading:
    """What the parse says about one figure (or one victim noun phrase without a figure)."""

    kind: str | None  # killed | wounded | … ; None: no casualty predicate governs it
    role: str  # victim | agent | part | toll | none
    negated: bool = False
    noun: int | None = None  # the counted noun's token index
    predicate: int | None = None  # the governing predicate's token index
    whole: int | None = None  # for a part: the token of the whole it is part of
    coordinated: int | None = None  # the token of the first conjunct it adds to


@dataclass(frozen=True)
class Implicit:
    """A victim count with no figure: "a man was killed" (1), "a father and his son died" (2)."""

    kind: str
    count: int
    start: int  # character span of the noun phrase
    end: int
    noun: int
    predicate: int
    coordinated: int | None = None
    whole: int | None = None  # the counted noun this victim is a part of ("including a mother")


@lru_cache(maxsize=4)
def table(lang: str) -> dict:
    path = resources.files("veille") / "data" / "lang" / lang / "casualties.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    data["persons"] = frozenset(data.get("persons", ()))
    data["negations"] = frozenset(data.get("negations", ()))
    data["fatal"] = frozenset(data.get("fatal", ()))
    data["nonfatal"] = frozenset(data.get("nonfatal", ()))
    data["complement_verbs"] = frozenset(data.get("complement_verbs", ()))
    data["tolls"] = frozenset(data.get("tolls", ()))
    data["toll_heads"] = frozenset(data.get("toll_heads", ()))
    data["relatives"] = frozenset(data.get("relatives", ()))
    return data


class Parse:
    """The tokens of a text with the lookups the reader needs (children, offsets)."""

    def __init__(self, toks: Sequence[Tok]):
        self.toks = tuple(toks)
        self.starts = [t.idx for t in self.toks]
        self.children: list[list[int]] = [[] for _ in self.toks]
        for t in self.toks:
            if t.head != t.i and 0 <= t.head < len(self.toks):
                self.children[t.head].append(t.i)

    def __bool__(self) -> bool:
        return bool(self.toks)

    @classmethod
    def of(cls, tokens: Sequence, text: str) -> "Parse":
        """The reader's view of ``Doc.tokens`` (``syntax.Token``: offsets into ``text``, absolute heads)."""
        return cls(tuple(Tok(t.i, text[t.start:t.end], t.start, t.lemma, t.pos, t.dep, t.head, t.morph, t.sent_start,
                             getattr(t, "ent", "")) for t in tokens))

    def at(self, start: int, end: int) -> list[Tok]:
        """Tokens overlapping the character span [start, end)."""
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        while k < len(self.toks) and self.toks[k].idx < end:
            if self.toks[k].end > start:
                out.append(self.toks[k])
            k += 1
        return out

    def kids(self, t: Tok, deps: set[str] | None = None) -> list[Tok]:
        return [self.toks[j] for j in self.children[t.i] if deps is None or self.toks[j].dep in deps]

    def head(self, t: Tok) -> Tok | None:
        return self.toks[t.head] if t.head != t.i and 0 <= t.head < len(self.toks) else None

    def left_edge(self, t: Tok) -> Tok:
        best = t
        stack = [t]
        while stack:
            x = stack.pop()
            for c in self.kids(x):
                if c.dep in ("relcl", "acl", "acl:relcl", "appos", "punct", "cc", "conj", "prep", "case"):
                    continue
                if c.idx < best.idx:
                    best = c
                stack.append(c)
        return best


def _lemma(t: Tok) -> str:
    return t.lemma.lower()


def _passive(p: Parse, pred: Tok) -> bool:
    """Passive voice, or a bare past participle ("16 wounded", "a man killed"): its subject is the patient."""
    kids = p.kids(pred)
    if "Voice=Pass" in pred.morph or any(c.dep in PASSIVE_AUX or c.dep in PASSIVE_SUBJ for c in kids):
        return True
    if "VerbForm=Part" in pred.morph and "Tense=Past" in pred.morph and not any(
            c.dep in ("aux", "aux:tense") and _lemma(c) in ("have", "avoir") for c in kids) and not p.kids(pred, OBJ):
        return True
    return False


def _negated(p: Parse, pred: Tok | None, noun: Tok | None, lang: str) -> bool:
    neg = table(lang).get("negations", frozenset())
    for x in (pred, noun):
        if x is None:
            continue
        for c in p.kids(x):
            if c.dep == "neg" or "Polarity=Neg" in c.morph and _lemma(c) != "ne" or (
                    c.dep in ("det", "advmod", "nsubj", "nsubj:pass", "nsubjpass") and _lemma(c) in neg and c.pos in ("DET", "ADV", "PART", "PRON")):
                return True
            if lang == "fr" and _lemma(c) == "ne" and any(_lemma(d) in neg for d in p.kids(x)):
                return True
    if noun is not None and _lemma(noun) in neg and noun.pos == "PRON":
        return True  # "nobody was hurt", "personne n'a été blessé"
    return False


def _shot_kind(p: Parse, pred: Tok, lang: str) -> str:
    """A shooting is a killing when its clause says so ("fatally shot", "shot dead", "shot to death",
    "shot and killed"), else a wounding."""
    t = table(lang)
    for c in p.kids(pred):
        lem = _lemma(c)
        if lem in t["fatal"] or (c.dep in ("prep", "obl") and any(_lemma(d) in t["fatal"] for d in p.kids(c))):
            return "killed"
        if c.dep == "conj" and _verb_kind(p, c, lang, joint=False) == "killed":
            return "killed"
    return "wounded"


def _hit_by_projectile(p: Parse, pred: Tok, lang: str) -> bool:
    """"was struck by a stray bullet", "hit by gunfire", "touché par une balle": a shooting."""
    t = table(lang)
    if _lemma(pred) not in t.get("hit_verbs", ()):
        return False
    kids = p.kids(pred)
    h = p.head(pred)
    if pred.dep in ("advcl", "conj", "xcomp") and h is not None and h.pos in ("VERB", "AUX"):
        # "more than 15 shots were fired at a home, striking a toddler", "opened fire, hitting two men": the clause it
        # hangs on says what hit
        kids = kids + p.kids(h, SUBJ | OBJ)
    for c in kids:
        objs = p.kids(c, {"pobj"}) if c.pos == "ADP" else [c]
        for o in objs:
            if _lemma(o) in t.get("projectiles", ()) or any(_lemma(m) in t.get("projectiles", ()) for m in p.kids(o, {"amod", "compound"})):
                return True
    return False


def _verb_kind(p: Parse, pred: Tok, lang: str, joint: bool = True) -> str | None:
    t = table(lang)
    lem = _lemma(pred)
    kind = t.get("object_verbs", {}).get(lem) or t.get("subject_verbs", {}).get(lem)
    if kind is None and pred.pos == "VERB" and _hit_by_projectile(p, pred, lang):
        kind = "shot"
    if kind == "shot":
        kind = _shot_kind(p, pred, lang)
    elif kind == "wounded" and any(c.dep == "advmod" and _lemma(c) in t["fatal"] for c in p.kids(pred)):
        kind = "killed"  # "fatally wounded", "mortellement blessée"
    if joint and kind in ("killed", "wounded"):
        # "were either killed or wounded", "tués ou blessés": one count of both, a casualty figure, never a toll
        for c in p.kids(pred, {"conj"}):
            if c.i - pred.i > 3 or any(x.pos not in ("CCONJ", "ADV", "PUNCT") for x in p.toks[pred.i + 1:c.i]):
                continue  # the two predicates must touch: "killed or wounded", not "killed, … and 16 wounded"
            other = _verb_kind(p, c, lang, joint=False) if c.pos in ("VERB", "AUX") else None
            other = other or t.get("complements", {}).get(c.text.lower()) or t.get("nouns", {}).get(_lemma(c))
            if other in ("killed", "wounded") and other != kind and not p.kids(c, SUBJ) and not p.kids(c, OBJ):
                return "casualties"
    return kind


def _complement(p: Parse, pred: Tok, lang: str) -> Tok | None:
    """The casualty word completing a verb of finding or leaving ("found dead", "retrouvés morts")."""
    t = table(lang)
    if _lemma(pred) not in t["complement_verbs"]:
        return None
    for c in p.kids(pred):
        if (c.dep in COMPLEMENT or c.dep in OBJ and c.pos in ("ADJ", "NOUN") and not _has_figure(p, c)) and c.pos in ("ADJ", "VERB", "NOUN") \
                and (c.text.lower() in t.get("complements", {}) or _lemma(c) in t.get("complements", {})) and not _own_object(p, c):
            return c
    return None


def _own_object(p: Parse, c: Tok) -> bool:
    """"A 14-year-old is in custody after a shooting … wounded one student": a participle with an object of its own is
    an active verb (the parser may hang it on the main verb), not the state of that verb's subject."""
    return c.pos == "VERB" and bool(p.kids(c, OBJ))


def _complement_kind(p: Parse, pred: Tok, lang: str) -> str | None:
    """"left 12 people dead", "were found dead", "was pronounced dead", "retrouvés morts"."""
    t = table(lang)
    if _lemma(pred) not in t["complement_verbs"]:
        return None
    for c in p.kids(pred):
        if (c.dep in COMPLEMENT or c.dep in OBJ and c.pos in ("ADJ", "NOUN") and not _has_figure(p, c)) and c.pos in ("ADJ", "VERB", "NOUN") and (
                c.text.lower() in t.get("complements", {}) or _lemma(c) in t.get("complements", {})) and not _own_object(p, c):
            return t["complements"].get(c.text.lower()) or t["complements"].get(_lemma(c))
        if c.dep in ("xcomp", "oprd", "ccomp") and c.pos == "VERB" and _lemma(c) in t.get("object_verbs", {}) \
                and "VerbForm=Part" in c.morph:
            return _verb_kind(p, c, lang)  # "was found shot to death", "retrouvé égorgé"
    return None


def _light(p: Parse, pred: Tok, lang: str) -> tuple[str | None, list[Tok]]:
    """(kind, victims) of a light verb whose object names the harm: "suffered injuries", "lost their lives"
    (the subject), "claimed the lives of a man and his wife" (the object's complement), "a coûté la vie à
    trois civils" (the indirect object)."""
    t = table(lang)
    how = t.get("light_verbs", {}).get(_lemma(pred))
    if not how:
        return None, []
    for c in p.kids(pred, OBJ):
        kind = t.get("light_objects", {}).get(_lemma(c)) or t.get("light_objects", {}).get(c.text.lower())
        if not kind:
            continue
        if how == "subject":
            return kind, p.kids(pred, {"nsubj"})
        if how == "of":
            args = [g for o in p.kids(c, {"prep", "nmod"}) if _lemma(o) in ("of", "de") for g in p.kids(o, {"pobj"})] + \
                [g for g in p.kids(c, {"nmod"}) if any(_lemma(k) == "de" for k in p.kids(g, {"case"}))]
            if not args and p.kids(c, {"poss"}):
                args = p.kids(pred, {"nsubj"})  # "who took their lives": their own
            return kind, args
        if how == "to":
            return kind, [g for g in p.kids(pred, {"iobj", "obl:arg", "obl", "obl:mod"}) if any(_lemma(k) == "à" for k in p.kids(g, {"case"}))]
    return None, []


def _harm_adjunct(p: Parse, pred: Tok, lang: str) -> str | None:
    """"was taken to the hospital with gunshot wounds", "is in critical condition", "dans un état critique":
    an adjunct that says the clause's subject is hurt."""
    t = table(lang)
    for prep in p.kids(pred, {"prep", "obl", "obl:mod", "nmod"}):
        objs = p.kids(prep, {"pobj"}) if prep.pos == "ADP" else [prep]
        if prep.pos != "ADP" and not any(_lemma(c) in t.get("harm_prepositions", ()) for c in p.kids(prep, {"case"})):
            continue
        if prep.pos == "ADP" and _lemma(prep) not in t.get("harm_prepositions", ()):
            continue
        for o in objs:
            if t.get("light_objects", {}).get(_lemma(o)) == "wounded" or t.get("light_objects", {}).get(o.text.lower()) == "wounded":
                return "wounded"
            if _lemma(o) in t.get("condition_nouns", ()) and any(
                    c.text.lower() in t.get("condition_words", ()) for c in p.kids(o, {"amod", "compound"})):
                return "wounded"
    return None


def _light_kind(p: Parse, pred: Tok, lang: str) -> str | None:
    return _light(p, pred, lang)[0]


def _noun_kind(p: Parse, noun: Tok, lang: str, own: bool = True) -> str | None:
    """The kind a noun counts by itself ("12 dead", "20 blessés") or through a participle or adjective
    on it ("15 people killed in the strike", "31 civilians dead")."""
    t = table(lang)
    kind = t.get("nouns", {}).get(_lemma(noun)) or t.get("nouns", {}).get(noun.text.lower()) if own else None
    if kind and kind != "killed" or kind == "killed" and _lemma(noun) not in t["tolls"]:
        return kind
    if own and _lemma(noun) in t.get("harm_events", ()):
        # "a double fatal shooting", "a triple homicide": the event noun counts its dead when it is fatal
        if t.get("event_nouns", {}).get(_lemma(noun)) not in (None, "shot") or any(_lemma(c) in t["fatal"] for c in p.kids(noun, {"amod", "compound"})):
            return "killed"
    for c in p.kids(noun, {"relcl", "acl:relcl"}):
        if any(_lemma(r) in t["relatives"] and r.dep in SUBJ for r in p.kids(c)):
            k, _args = _victims_of(p, c, lang)  # "two children who were found dead"
            if k:
                return k
    for c in p.kids(noun):
        if c.dep in ("acl", "amod", "acl:relcl") or (c.dep == "advcl" and c.pos == "VERB"):
            k = (_verb_kind(p, c, lang) or _complement_kind(p, c, lang)) if c.pos in ("VERB", "AUX") else None
            if k is None and (c.text.lower() in t.get("complements", {}) or _lemma(c) in t.get("complements", {})):
                k = t["complements"].get(c.text.lower()) or t["complements"].get(_lemma(c))
            if k and (c.pos != "VERB" or "VerbForm=Part" in c.morph or c.text.lower().endswith(("ed", "é", "és", "ée", "ées"))):
                return k
    return None


# subjects (normalised labels, the same in every language) that name a mixed group, which a list after them can
# break down: "seven civilians, Jihad Abu Rikab, his wife … and their five children"; a nationality too
COLLECTIVES = frozenset({"people", "civilians", "members", "persons", "victims", "individuals", "relatives", "residents",
                         "family members", "others", "families", "adults"})


def collective(subject: str | None) -> bool:
    return bool(subject) and (subject in COLLECTIVES or subject[:1].isupper())


def _enumerates(p: Parse, head: Tok, lang: str = "en") -> bool:
    """"seven civilians, Jihad Abu Rikab, his wife … and their five children": a counted collective noun followed
    by an apposition names the ones it counts; what is coordinated after it lists them, it does not add to them.
    "Two men, a woman and a child" is a list the parser may read the same way, but men are no collective: they add."""
    from .subjects import find_subject

    if not (_has_figure(p, head) and any(c.i > head.i for c in p.kids(head, {"appos"}))):
        return False
    sub = find_subject(head.text, 0, len(head.text), lang)
    return collective(sub.label if sub is not None else head.text.lower())


def _sibling_first(p: Parse, x: Tok) -> Tok | None:
    """"Deux hommes et une femme ont été tués": the parser may give the verb two subjects (or objects) with an
    "and" between them instead of a coordination; the later one adds to the first, as a conjunct does."""
    if x.dep not in SUBJ and x.dep not in OBJ:
        return None
    h = p.head(x)
    if h is None:
        return None
    earlier = [c for c in p.kids(h) if c.dep == x.dep and c.i < x.i and c.pos in ("NOUN", "PROPN", "PRON", "NUM")]
    if not earlier:
        return None
    first = earlier[0]
    between = p.toks[first.i + 1:x.i]
    if any(t.dep == "cc" or _lemma(t) in ("and", "et") for t in between) and not any(t.pos in ("VERB", "AUX") for t in between):
        return first
    return None


def _up_coordination(p: Parse, x: Tok) -> tuple[Tok, Tok | None]:
    """The first conjunct of a coordination of nouns (it carries the relation to the predicate)."""
    first = None
    while x.dep == "conj":
        h = p.head(x)
        if h is None or h.pos not in ("NOUN", "PROPN", "NUM", "PRON", "ADJ"):
            break
        first = h
        x = h
    return x, first


def _toll_governor(p: Parse, x: Tok, lang: str) -> bool:
    """Is ``x`` the figure a toll reaches ("the death toll rose to 12", "le bilan s'élève à 15")?"""
    t = table(lang)
    h = p.head(x)
    if h is None:
        return False
    if x.dep in ("pobj", "obl", "obl:arg", "obl:mod", "nmod") or h.pos == "ADP":
        v = p.head(h) if h.pos == "ADP" else h
        if v is None:
            return False
        subjects = p.kids(v, SUBJ) + ([v] if _lemma(v) in t["tolls"] else [])
    elif x.dep in OBJ or x.dep in ("attr", "ROOT", "root", "appos"):
        subjects = p.kids(h, SUBJ) + ([h] if _lemma(h) in t["tolls"] else [])
    else:
        return False
    for s in subjects:
        if _lemma(s) in t["tolls"] and (lang != "en" or _lemma(s) != "number" or any(
                _lemma(c) in t["toll_heads"] for c in p.kids(s))):
            return True
    return False


def read(p: Parse, start: int, end: int, lang: str) -> Reading | None:
    """What the figure written at [start, end) counts; None when the parse cannot say (no token, or a
    parse that makes a cue word the counted noun, as headlines' run-on verbs get: "kill 5 injure 50")."""
    if lang not in ("en", "fr") or not p:
        return None
    toks = p.at(start, end)
    if not toks:
        return None
    inside = {t.i for t in toks}
    anchor = next((t for t in reversed(toks) if t.head not in inside or t.head == t.i), toks[-1])
    h = p.head(anchor)
    t = table(lang)
    noun = anchor
    if anchor.dep in NUMMOD and h is not None and h.pos in ("NOUN", "PROPN", "ADJ", "PRON", "X") and h.i not in inside:
        noun = h
    if noun is not anchor and (_lemma(noun) in t.get("object_verbs", {}) or _lemma(noun) in t.get("subject_verbs", {})) \
            and _lemma(noun) not in t.get("nouns", {}):
        return None  # "kill 5 injure 50": the verb read as a noun; the cue reader decides
    if anchor.dep == "appos" and h is not None and (h.pos == "PROPN" or _person(p, h, lang)):
        return Reading(None, "age", False, anchor.i, None)  # "Dominique Garrett, 25, was killed"
    if h is not None and h.pos == "PROPN" and h.i < anchor.i and anchor.dep in ("nummod", "compound", "appos", "npadvmod", "nmod") \
            and not any(c.i > anchor.i for c in p.kids(h)):
        return Reading(None, "name", False, anchor.i, None)  # "told Channel 9", "Kurdistan 24", "Route 66"
    x, first = _up_coordination(p, noun)
    if first is None:
        first = _sibling_first(p, x)
    # the first conjunct's clause counts the others too ("a father and his two children, found dead"), not its
    # own noun ("murder and four counts of assault")
    kind = _noun_kind(p, noun, lang) or (_noun_kind(p, x, lang, own=False) if x is not noun else None)
    coordinated = first.i if first is not None else None
    if first is not None and _enumerates(p, x, lang):
        rel = (kind, None, False, "victim") if kind else _relation(p, x, lang)
        if rel is not None and rel[0]:
            return Reading(rel[0], "part", False, noun.i, rel[1], whole=x.i)  # "seven civilians, X, … and their five children"
    if kind:
        hx = p.head(x)
        return Reading(kind, "victim", _negated(p, hx, noun, lang), noun.i, hx.i if hx else None, coordinated=coordinated)
    fatal = _fatal_part(p, anchor, lang)
    if fatal is not None:
        return fatal
    part = _part_of(p, x, lang)
    if part is not None:
        return replace(part, noun=noun.i)
    companion = _companion_of(p, x, lang)
    if companion is not None:
        return replace(companion, noun=noun.i)
    rel = _relation(p, x, lang)
    if rel is None:
        if noun is not anchor and _thing(p, noun, lang):
            return Reading(None, "thing", False, noun.i, None)  # "four new charges", "two cannons": no people
        return Reading(None, "none", False, noun.i, None)
    kind, pred, negated, role = rel
    return Reading(kind, role, negated or _negated(p, None, noun, lang), noun.i, pred, coordinated=coordinated)


def _companion_of(p: Parse, x: Tok, lang: str) -> Reading | None:
    """"Ramadan al-Sabta alongside nine of his comrades were killed": the companions add to the victim
    they go with."""
    prep = p.head(x)
    if prep is None or x.dep not in ("pobj", "obl", "nmod") or not (
            _lemma(prep) in table(lang).get("companions", ()) or any(_lemma(c) in table(lang).get("companions", ()) for c in p.kids(x))):
        return None
    victim = p.head(prep) if prep.pos == "ADP" else prep
    if victim is None or victim.pos not in ("NOUN", "PROPN"):
        return None
    rel = _relation(p, _up_coordination(p, victim)[0], lang)
    if rel is None or not rel[0] or rel[3] != "victim":
        return None
    return Reading(rel[0], "victim", rel[2], x.i, rel[1], coordinated=victim.i)


def _fatal_part(p: Parse, n: Tok, lang: str) -> Reading | None:
    """"Ten people were shot, one of them fatally", "two men were shot, one fatally": the figure with a fatal
    adverb counts the killed among the shot, a part of them."""
    t = table(lang)
    if not any(_lemma(c) in t["fatal"] and c.dep == "advmod" for c in p.kids(n)):
        return None
    pred = p.head(n)
    while pred is not None and pred.pos not in ("VERB", "AUX") and pred.head != pred.i:
        pred = p.head(pred)
    if pred is None or _verb_kind(p, pred, lang, joint=False) not in ("wounded", "killed", "shot"):
        return None
    victims = p.kids(pred, PASSIVE_SUBJ) or p.kids(pred, OBJ)
    return Reading("killed", "part", False, n.i, pred.i, whole=victims[0].i if victims else None)


def _whole_of(p: Parse, x: Tok, lang: str) -> Tok | None:
    """The whole a noun phrase is a part of: up its nominal links to a partitive ("including four children",
    "including a mother with her five children", "dont quatre enfants") or to a counted noun it stands in
    apposition to ("seven civilians, Jihad Abu Rikab, his wife … and their five children")."""
    t = table(lang)
    y = x
    for _ in range(6):
        h = p.head(y)
        if h is None:
            return None
        if _lemma(h) in t.get("partitives", ()) and h.pos in ("VERB", "ADP", "SCONJ") and _lemma(h) not in ("of", "de"):
            whole = p.head(h)
            return whole if whole is not None and whole.i != x.i else None
        if y.dep in ("nmod", "dep", "appos") and any(_lemma(c) in ("dont", "parmi", "including", "among") for c in p.kids(y)):
            return h
        if y.dep == "appos" and h.pos in ("NOUN", "PROPN") and _has_figure(p, h):
            return h  # an enumeration of the counted ones
        if y.dep not in ("pobj", "prep", "conj", "appos", "nmod", "case", "cc") or h.pos in ("VERB", "AUX"):
            return None
        y = h
    return None


def _part_of(p: Parse, x: Tok, lang: str) -> Reading | None:
    """"including four children", "among them 26 minors", "dont quatre enfants": a part of the figure
    before it, of that figure's kind."""
    whole = _whole_of(p, x, lang)
    if whole is None:
        return None
    if whole.pos in ("VERB", "AUX"):
        kind, _args = _victims_of(p, whole, lang)
        pred = whole
    else:
        kind = _noun_kind(p, whole, lang)
        pred = p.head(whole)
        if kind is None:
            rel = _relation(p, _up_coordination(p, whole)[0], lang)
            kind = rel[0] if rel else None
            pred = p.toks[rel[1]] if rel and rel[1] is not None else pred
    if not kind:
        return None
    return Reading(kind, "part", False, x.i, pred.i if pred is not None else None, whole=whole.i)


def _thing(p: Parse, noun: Tok, lang: str) -> bool:
    """A common noun that names no people: not a person noun, not a victim or casualty noun, not a group or a
    nationality the subject table knows, not capitalised ("Kurds", "ISIS Terrorists")."""
    from .subjects import find_subject

    t = table(lang)
    if noun.pos != "NOUN" or noun.text[:1].isupper():
        return False
    lem = _lemma(noun)
    if lem in t["persons"] or noun.text.lower() in t["persons"] or lem in t.get("nouns", {}) or noun.text.lower() in t.get("nouns", {}):
        return False
    sub = find_subject(noun.text, 0, len(noun.text), lang)
    return sub is None


def _victim_noun(x: Tok, lang: str) -> bool:
    """Civilians, people, children are never the ones who kill: a sentence that seems to say so is a
    headline without its auxiliary ("57 Civilians killed 150 Injured")."""
    from .subjects import find_subject

    sub = find_subject(x.text, 0, len(x.text), lang)
    return sub is not None and sub.category in ("civilian", "general") and sub.label not in ("others",)


RANGE_PREPOSITIONS = {"between", "entre"}


def _through_range(p: Parse, x: Tok) -> Tok:
    """"between 15 and 16 civilians were killed", "killed between 133 and 164 civilians", "entre sept et huit
    personnes ont été tuées": the parser makes the counted noun the object of the range's preposition, which
    hangs on the verb. The noun takes the argument place the verb has left empty: the patient of a passive
    (or the subject of "died"), the object of an active verb."""
    rng = p.head(x)
    if rng is None or x.dep not in ("pobj", "obl", "nmod") or _lemma(rng) not in RANGE_PREPOSITIONS:
        return x
    if not any(any(d.dep == "conj" for d in p.kids(c)) for c in p.kids(x) if c.pos == "NUM"):
        if not any(_lemma(c) in ("and", "et") for c in p.kids(rng)):
            return x  # "between the two families": no figures joined by "and"
    pred = p.head(rng) if rng.pos == "ADP" else rng
    if pred is None or pred.pos not in ("VERB", "AUX"):
        return x
    if _passive(p, pred) and not p.kids(pred, SUBJ):
        return replace(x, dep="nsubjpass" if lang_dep(p) == "en" else "nsubj:pass", head=pred.i)
    if not _passive(p, pred) and p.kids(pred, SUBJ) and not p.kids(pred, OBJ):
        return replace(x, dep="dobj" if lang_dep(p) == "en" else "obj", head=pred.i)
    if not p.kids(pred, SUBJ):
        return replace(x, dep="nsubj", head=pred.i)  # "between 5 and 7 people died"
    return x


def lang_dep(p: Parse) -> str:
    """The labelling scheme of a parse: ClearNLP's (English model) or Universal Dependencies' (French)."""
    return "en" if any(t.dep in ("dobj", "pobj", "nsubjpass", "prep") for t in p.toks) else "fr"


def _relation(p: Parse, x: Tok, lang: str) -> tuple[str | None, int | None, bool, str] | None:
    """(kind, predicate, negated, role) of the noun ``x`` through the predicate that governs it."""
    t = table(lang)
    x = _through_range(p, x)
    pred = p.head(x)
    if x.dep in ("pobj", "obl", "obl:arg", "nmod") and pred is not None and pred.pos == "ADP" and _lemma(pred) == "of":
        # "one of them", "12 of the victims": the figure is the head, its relation is the figure's own
        pass
    if pred is None:
        # the figure heads its clause ("Three soldiers dead", "12 morts")
        return None
    kind = None
    role = "victim"
    if x.dep in ("pobj", "nmod") and (pred.pos == "ADP" and _lemma(pred) in ("of", "de") or x.dep == "nmod"):
        owner = p.head(pred) if pred.pos == "ADP" else pred
        if owner is not None and owner.pos == "NOUN":
            k = _noun_kind(p, owner, lang)  # "the bodies of 8 people"
            if k is None:
                lv = p.head(owner)
                k = _light(p, lv, lang)[0] if lv is not None and owner.dep in OBJ else None  # "claimed the lives of 12"
            if k:
                return k, owner.i, _negated(p, p.head(owner), owner, lang), "victim"
    if x.dep in ("obl", "obl:arg", "obl:mod", "iobj") and pred.pos == "VERB":
        kind, args = _light(p, pred, lang)
        if kind and x in args:  # "a coûté la vie à trois civils"
            return kind, pred.i, _negated(p, pred, x, lang), "victim"
    if x.dep in SUBJ and _lemma(pred) in ("be", "être", "figurer", "include"):
        for prep in p.kids(pred, {"prep", "obl", "obl:mod", "attr"}):
            for noun in ([prep] if prep.pos == "NOUN" else p.kids(prep, {"pobj"})):
                k = _noun_kind(p, noun, lang)
                if k:  # "12 children were among the victims", "the dead were 12 civilians"
                    return k, pred.i, _negated(p, pred, x, lang), "part" if _lemma(prep) in ("among", "parmi") else "victim"
    if x.dep in SUBJ:
        passive = x.dep in PASSIVE_SUBJ or _passive(p, pred)
        lem = _lemma(pred)
        if pred.pos in ("VERB", "AUX") and (lem in t.get("object_verbs", {}) or _hit_by_projectile(p, pred, lang)):
            if passive:
                kind = _verb_kind(p, pred, lang)
            elif lem in t.get("subject_verbs", {}):
                kind = _verb_kind(p, pred, lang)
            elif (_victim_noun(x, lang) or x.pos == "NUM") \
                    and not p.kids(pred, {"aux", "aux:tense", "aux:pass", "auxpass"}):
                # "57 Civilians killed 150 Injured", "8 Killed 25 Injured": headlines drop the auxiliary, and a bare
                # figure is never who kills (killers are named: "gunmen killed three")
                kind = _verb_kind(p, pred, lang)
            else:
                kind, role = None, "agent"  # "gunmen killed three": the subject is who killed
        elif lem in t.get("subject_verbs", {}):
            kind = _verb_kind(p, pred, lang)
        if kind is None and role != "agent":
            kind = _complement_kind(p, pred, lang) or _light_kind(p, pred, lang) or _harm_adjunct(p, pred, lang)
        if kind is None and role != "agent" and passive:
            kind = _causative_kind(p, pred, x, lang)  # "450,000 people have been forced to flee"
        if kind is None and role != "agent" and (pred.text.lower() in t.get("complements", {}) or _lemma(pred) in t.get("complements", {})) \
                and pred.pos in ("ADJ", "NOUN", "VERB"):
            kind = t["complements"].get(pred.text.lower()) or t["complements"].get(_lemma(pred))  # "three are dead", "sont morts"
    elif x.dep in OBJ:
        if pred.pos in ("VERB", "AUX") and (_lemma(pred) in t.get("object_verbs", {}) or _hit_by_projectile(p, pred, lang)):
            kind = _verb_kind(p, pred, lang)
        if kind is None:
            kind = _complement_kind(p, pred, lang) or _harm_adjunct(p, pred, lang) or _causative_kind(p, pred, x, lang)
    elif x.dep in ("acl", "relcl", "acl:relcl", "appos"):
        return None
    elif x.dep in ("pobj", "obl", "obl:agent", "nmod") and pred.pos == "ADP" and _lemma(pred) in ("by", "par"):
        return (None, pred.head, False, "agent")
    if kind is None and role != "agent":
        return None if not _toll_governor(p, x, lang) else ("killed", pred.i, False, "toll")
    negated = _negated(p, pred, x, lang) if kind else False
    return kind, pred.i, negated, role


def _causative_kind(p: Parse, pred: Tok, x: Tok, lang: str) -> str | None:
    """People made to leave are displaced: a causative verb ("force", "drive", "forcer") whose clause sends
    them away — a verb of fleeing ("forced 450,000 people to flee", "forcé 437.000 personnes à fuir"), their
    homes as what they leave ("forced 16,000 people from their homes"), or a particle "out" ("drove out 15,000
    civilians"); the last two only of civilians or people ("drove 50 militants out of their homes" is no flight)."""
    t = table(lang)
    if _lemma(pred) not in t.get("causatives", ()):
        return None
    flee, homes = t.get("displacement_verbs", ()), t.get("home_nouns", ())
    for c in p.kids(pred) + p.kids(x, {"acl"}):
        if c.dep in ("xcomp", "advcl", "acl", "ccomp") and _lemma(c) in flee:
            return "displaced"
        if c.dep in ("prep", "obl", "obl:mod", "obl:arg") and _victim_noun(x, lang):
            if any(_lemma(o) in homes for o in (p.kids(c, {"pobj"}) if c.pos == "ADP" else [c])):
                return "displaced"
        if c.dep in ("prt", "advmod", "compound:prt") and _lemma(c) in t.get("out_particles", ()) and _victim_noun(x, lang):
            return "displaced"
    return None


# ------------------------------------------------------------------ victims without a figure

def _victims_of(p: Parse, pred: Tok, lang: str) -> tuple[str | None, list[Tok]]:
    """(kind, the victim nouns) of a casualty predicate, whatever counts them."""
    t = table(lang)
    lem = _lemma(pred)
    kind, args = None, []
    if pred.pos in ("VERB", "AUX") and (lem in t.get("object_verbs", {}) or _hit_by_projectile(p, pred, lang)):
        kind = _verb_kind(p, pred, lang)
        args = p.kids(pred, PASSIVE_SUBJ) if _passive(p, pred) else p.kids(pred, OBJ)
        if not args and _passive(p, pred):
            args = p.kids(pred, {"nsubj"})
    elif pred.pos in ("VERB", "AUX") and lem in t.get("subject_verbs", {}):
        kind = _verb_kind(p, pred, lang)
        args = p.kids(pred, SUBJ)
    elif pred.pos in ("VERB", "AUX"):
        kind = _complement_kind(p, pred, lang)
        if kind:
            comp = _complement(p, pred, lang)
            args = p.kids(pred, PASSIVE_SUBJ) if _passive(p, pred) else (
                [o for o in p.kids(pred, OBJ) if o is not comp] or p.kids(pred, SUBJ))
        else:
            kind, args = _light(p, pred, lang)
            if kind is None and (_harm_adjunct(p, pred, lang)):
                kind = "wounded"  # the one taken "in serious condition": the passive subject, else the object
                args = p.kids(pred, PASSIVE_SUBJ) or p.kids(pred, OBJ) or p.kids(pred, {"nsubj"})
    elif pred.pos in ("ADJ", "NOUN") and (pred.text.lower() in t.get("complements", {})) and p.kids(pred, {"cop", "aux", "aux:tense"}):
        kind = t["complements"][pred.text.lower()]
        args = p.kids(pred, SUBJ)
    if kind is None:
        return None, []
    # "a 3-year-old boy accidentally shot himself": a reflexive object is the subject itself
    if any(_reflexive(a, lang) for a in args):
        subj = p.kids(pred, {"nsubj"})
        if not subj and pred.dep == "conj" and p.head(pred) is not None:
            subj = p.kids(p.head(pred), {"nsubj"})  # "the child found a gun and shot himself"
        args = [a for a in args if not _reflexive(a, lang)] + [x for x in subj if x not in args]
    # "Teen shot in Wichita has died": a participle phrase read as the subject clause; its own subject is who died
    args = [y for a in args for y in ((p.kids(a, SUBJ) or [a]) if a.pos == "VERB" else [a])]
    if not args and pred.dep in ("acl", "amod", "relcl", "acl:relcl") and "VerbForm=Part" in pred.morph:
        h = p.head(pred)
        if h is not None and h.pos in ("NOUN", "PROPN"):
            args = [h]  # "a man killed in the attack"
    if not args and pred.dep == "conj":
        # "un soldat a été tué et un autre blessé": the parser hangs the elided subject ("un autre") on the participle
        args = [c for c in p.kids(pred, {"amod", "nsubj", "det"}) if c.i < pred.i and _lemma(c) in t.get("other_words", ())
                and not c.plural]
    if not args and pred.dep == "conj" and (_passive(p, pred) or lem in t.get("subject_verbs", {})):
        h = p.head(pred)  # "was shot and killed", "were shot and died": the first verb's patient
        if h is not None and h.pos in ("VERB", "AUX") and (_passive(p, h) or _lemma(h) in t.get("subject_verbs", {})):
            subj = p.kids(h, SUBJ)
            if subj and not p.kids(pred, SUBJ) and not p.kids(pred, {"nummod"}):
                args = subj
    return kind, args


def _one_of(p: Parse, v: Tok, lang: str) -> bool:
    """"injured one of his daughters", "l'un d'eux a été blessé": one person of a group (the number reader leaves a bare
    "one" alone, it is too often no count; as the victim of a casualty predicate it is one)."""
    ones = table(lang).get("one_words", ())
    if v.pos in ("NOUN", "PROPN") and not v.plural:  # "fatally wounded one student": "one" and a person noun
        nums = [c for c in p.kids(v) if c.dep in ("nummod", "det") and c.pos in ("NUM", "DET")]
        return any(_lemma(c) in ones and c.pos == "NUM" for c in nums) and _person(p, v, lang)
    if v.pos not in ("NUM", "PRON") or _lemma(v) not in ones:
        return False
    return any(g.pos == "PRON" or g.pos == "NOUN" and g.plural for g in _of_complements(p, v))


def _reflexive(t: Tok, lang: str) -> bool:
    """"himself", "herself" (the object that is the subject)."""
    return t.pos == "PRON" and (_lemma(t) in table(lang).get("reflexives", ()) or t.text.lower() in table(lang).get("reflexives", ()))


def _companions(p: Parse, pred: Tok, lang: str) -> list[Tok]:
    """Who shares the harm of a passive or intransitive casualty predicate's victim without being its subject:
    "X was shot along with a 16-year-old boy and a 21-year-old man", "tué avec son fils" (a companion preposition on
    the predicate), "X was shot in the torso, as was a 16-year-old victim", "blessé, tout comme son frère" (a clause
    or phrase of likeness). An active predicate's companions go with its agent, never its victim ("he shot her with
    an accomplice"), so only the patient's predicates have them. Each comes with its conjuncts; the caller keeps
    the persons only."""
    t = table(lang)
    if not (_passive(p, pred) or _lemma(pred) in t.get("subject_verbs", {})):
        return []
    comp, like = t.get("companions", ()), t.get("likewise", ())
    out: list[Tok] = []
    for c in p.kids(pred):
        if c.dep in ("prep",) and _lemma(c) in comp:
            out += p.kids(c, {"pobj"})
        elif c.dep in ("obl", "obl:mod", "nmod") and any(_lemma(k) in comp for k in p.kids(c, {"case", "fixed"})):
            out.append(c)
        elif c.dep in ("obl", "obl:mod", "nmod") and any(_lemma(k) in like for k in p.kids(c, {"case", "mark"})):
            out.append(c)  # "tout comme son frère"
        elif c.dep == "advcl" and c.pos == "AUX" and any(_lemma(k) in like for k in p.kids(c, {"mark"})):
            out += p.kids(c, {"nsubj"})  # "as was a 16-year-old victim"
    return out


def _resolve_relative(p: Parse, v: Tok, lang: str) -> Tok:
    """"the man who was killed": the relative pronoun stands for the noun its clause modifies."""
    if _lemma(v) in table(lang)["relatives"] and v.pos == "PRON":
        clause = p.head(v)
        if clause is not None and clause.dep in ("relcl", "acl:relcl", "acl"):
            h = p.head(clause)
            if h is not None:
                return h
    return v


def _person(p: Parse, v: Tok, lang: str) -> bool:
    t = table(lang)
    lem = _lemma(v)
    if v.pos == "PROPN":
        # a name is a person when the model says so ("Dominique Garrett") or an age comes with it
        # ("15-year-old Trinity Gay", "Garrett, 25,"); never an organisation or a place
        if v.plural:
            return False
        return v.ent in ("PERSON", "PER") or any(_age(p, c) for c in p.kids(v, {"amod", "appos", "nummod", "compound", "nmod"}))
    if v.pos == "PRON":
        return lem in t.get("pronouns", {}) or v.text.lower() in t.get("pronouns", {})
    if v.pos in ("NOUN", "ADJ") and not v.plural:
        if lem in t["persons"] or v.text.lower() in t["persons"] or lem in t.get("pair_nouns", {}):
            return True
        if lem in t.get("other_words", ()) and any(_lemma(c) in t.get("one_words", ()) or _lemma(c) in ("the", "le", "la", "l'")
                                                   for c in p.kids(v, {"det"}) + p.kids(p.head(v) or v, {"det"})):
            return True  # "un autre", "the other": one more person
        # "a 19-year-old", "a 17-year-old girl": an age-noun names a person
        if lem == "old" and any(_lemma(c) == "year" for c in p.kids(v)):
            return True
    return False


def _age(p: Parse, t: Tok) -> bool:
    """"25" in "Garrett, 25," or "15-year-old": an age, the mark of a person."""
    if t.dep == "appos" and t.pos == "NUM":
        return True
    return _lemma(t) == "old" and any(_lemma(c) == "year" for c in p.kids(t)) or \
        _lemma(t) == "an" and any(c.pos == "NUM" for c in p.kids(t))


def _has_figure(p: Parse, v: Tok) -> bool:
    return v.pos == "NUM" or any(c.dep in ("nummod",) or c.pos == "NUM" and c.dep in NUMMOD for c in p.kids(v))


def _attributive(p: Parse, noun: Tok, lang: str) -> tuple[str | None, list[Tok]]:
    """"a 25-year-old man dead of a gunshot wound", "the injured man", "l'homme blessé": a person noun
    modified by a casualty adjective or participle is a victim of that kind."""
    t = table(lang)
    if noun.pos not in ("NOUN", "PROPN"):
        return None, []
    for c in p.kids(noun, {"amod", "acl"}):
        kind = t.get("complements", {}).get(c.text.lower())
        if kind and not p.kids(c, OBJ):
            return kind, [noun]
    return None, []


def _event_noun(p: Parse, noun: Tok, lang: str) -> tuple[str | None, list[Tok]]:
    """"the death of 15-year-old Trinity Gay", "l'assassinat du journaliste": the noun names what happened
    to its complement."""
    kind = table(lang).get("event_nouns", {}).get(_lemma(noun))
    if not kind or noun.pos != "NOUN" or noun.plural:
        return None, []
    if kind == "shot":  # "the shooting of a 10-year-old girl": a wounding, unless the clause says fatal
        kind = "killed" if any(_lemma(c) in table(lang)["fatal"] for c in p.kids(noun, {"amod", "compound"})) else "wounded"
    args = [g for o in p.kids(noun, {"prep"}) if _lemma(o) == "of" for g in p.kids(o, {"pobj"})] + \
        [g for g in p.kids(noun, {"nmod"}) if any(_lemma(k) in ("de", "du") for k in p.kids(g, {"case"}))]
    return (kind, args) if args else (None, [])


def _of_complements(p: Parse, noun: Tok) -> list[Tok]:
    """The complement of a noun introduced by "of"/"de" ("the body of a child", "le corps d'un enfant")."""
    return [g for o in p.kids(noun, {"prep"}) if _lemma(o) == "of" for g in p.kids(o, {"pobj"})] + \
        [g for g in p.kids(noun, {"nmod"}) if any(_lemma(k) in ("de", "du") for k in p.kids(g, {"case"}))]


def _remains(p: Parse, noun: Tok, lang: str) -> tuple[str | None, list[Tok], Tok | None]:
    """"the bodies of two adults – a man and a woman – and the body of an 8-year-old child": a noun of the
    remains (``remains_nouns``) counts the dead its complement names, and remains coordinated with remains
    add up. Returns (kind, the victims, the victim noun of the first conjunct this one adds to)."""
    if noun.pos != "NOUN" or _lemma(noun) not in table(lang).get("remains_nouns", ()):
        return None, [], None
    args = _of_complements(p, noun)
    if not args:
        return None, [], None
    first = None
    x = noun
    while x.dep == "conj":  # "… and the body of a child": the first conjunct's victims are what it adds to
        h = p.head(x)
        if h is None or h.pos != "NOUN":
            break
        if _is_remains(p, h, lang):
            x = h
            first = next(iter(_of_complements(p, h)), None)
            continue
        owner = p.head(h)  # the parser may hang the second remains on the first's victims ("les corps de deux
        if owner is not None and owner.pos == "ADP":  # adultes et le corps d'un enfant")
            owner = p.head(owner)
        if owner is not None and _is_remains(p, owner, lang) and h in _of_complements(p, owner):
            first = h
        break
    return "killed", args, first


def _is_remains(p: Parse, noun: Tok, lang: str) -> bool:
    return noun.pos == "NOUN" and _lemma(noun) in table(lang).get("remains_nouns", ()) and bool(_of_complements(p, noun))


_PREDICATE_POS = frozenset({"VERB", "AUX", "NOUN", "PROPN", "ADJ"})


def implicit(p: Parse, start: int, end: int, lang: str) -> list[Implicit]:
    """Victims of the casualty predicates in [start, end) that no figure counts."""
    if lang not in ("en", "fr") or not p:
        return []
    out: list[Implicit] = []
    seen: dict[int, int] = {}  # victim token -> index in out
    for pred in p.at(start, end):
        if pred.pos not in _PREDICATE_POS:
            continue  # only verbs, nouns and adjectives name a harm (a cheap filter: most tokens are not)
        kind, args = _victims_of(p, pred, lang)
        adds_to = None
        if kind is None:
            kind, args = _event_noun(p, pred, lang)
        if kind is None:
            kind, args, adds_to = _remains(p, pred, lang)
        if kind is None:
            kind, args = _attributive(p, pred, lang)
            if kind is not None:
                head = p.head(pred)
                if head is not None and any(_lemma(c) in table(lang)["negations"] for c in p.kids(head, {"neg", "advmod"})):
                    continue
        if kind not in CASUALTY_KINDS and kind not in ("kidnapped", "missing", "arrested"):
            continue
        mates = [m for c in _companions(p, pred, lang) for m in [c] + _conjuncts(p, c) if _person(p, m, lang)] \
            if args and pred.pos in ("VERB", "AUX") else []
        for n_arg, a in enumerate(args):
            a = _resolve_relative(p, a, lang)
            a = _up_coordination(p, a)[0] if a.dep == "conj" else a
            group = [a] + _conjuncts(p, a) + (mates if n_arg == 0 else [])
            first = None
            persons = [v for v in group if _has_figure(p, v) or _person(p, v, lang)]
            for k, v in enumerate(group):
                one = _one_of(p, v, lang)
                # a singular noun coordinated with people is a person ("two SDF members and a French mine expert")
                if _has_figure(p, v) and not one or not (one or _person(p, v, lang) or persons and v.pos == "NOUN" and not v.plural):
                    continue
                if _is_remains(p, v, lang) or _lemma(v) in table(lang).get("event_nouns", {}) \
                        or _lemma(v) in table(lang).get("harm_events", ()):
                    continue  # "… and the body of a child", "the martyrdom of two citizens and the injury of others":
                    # the remains or the harm done are counted by the victims they name, never as a person
                if _negated(p, pred, v, lang) or any(_lemma(c) in table(lang)["negations"] for c in p.kids(v, {"det"})):
                    continue
                left = p.left_edge(v)
                right = max([v] + [c for c in p.kids(v, {"flat", "flat:name", "fixed", "compound"}) if c.i > v.i], key=lambda x: x.i)
                if v.i in seen:
                    prev = out[seen[v.i]]
                    if prev.kind == "wounded" and kind == "killed":
                        out[seen[v.i]] = Implicit(kind, 1, prev.start, prev.end, v.i, pred.i, prev.coordinated)
                    continue
                coordinated = group[0].i if k > 0 else (adds_to.i if adds_to is not None else None)
                if coordinated is None:
                    sib = _sibling_first(p, group[0])
                    coordinated = sib.i if sib is not None else None
                whole = _whole_of(p, group[0], lang)
                if coordinated is not None and _enumerates(p, group[0], lang):
                    coordinated, whole = None, group[0]
                seen[v.i] = len(out)
                out.append(Implicit(kind, table(lang).get("pair_nouns", {}).get(_lemma(v), 1), left.idx, right.end, v.i, pred.i, coordinated,
                                    whole.i if whole is not None else None))
                first = first or v
    return out


def _conjuncts(p: Parse, v: Tok) -> list[Tok]:
    """The other members of a coordination ("a mother, father, and toddler": the parser may read the list's
    second member as an apposition that carries the rest — a list, not a second name for the first)."""
    out = []
    stack = [v]
    while stack:
        x = stack.pop()
        lists = [c for c in p.kids(x, {"appos"}) if p.kids(c, {"conj"}) and c.pos == "NOUN" and x.pos == "NOUN"]
        for c in p.kids(x, {"conj"}) + lists:
            if c.pos in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


# ------------------------------------------------------------------ the parse itself

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def headline_case(text: str, lang: str) -> str:
    """Lines written in headline case ("Teen Found Dead on Road in Vista") with their common words in lower
    case, the same length, so the parser reads "found dead" as a verb and its complement, not as a name.
    A word is common when the model's lemmatizer tables or our casualty tables know it in lower case."""
    t = table(lang)
    common = _common_words(lang)
    out = []
    for line in re.split(r"(\n)", text):
        words = _WORD.findall(line)
        caps = sum(1 for w in words if w[0].isupper())
        if len(words) >= 4 and caps >= 0.6 * len(words):
            line = _WORD.sub(lambda m: m.group().lower() if m.group().lower() in common or m.group().lower() in t["persons"]
                             else m.group(), line)
        out.append(line)
    return "".join(out)


@lru_cache(maxsize=4)
def _common_words(lang: str) -> frozenset[str]:
    t = table(lang)
    words = set(t.get("object_verbs", {})) | set(t.get("subject_verbs", {})) | set(t.get("nouns", {})) | \
        set(t.get("complements", {})) | set(t.get("event_nouns", {})) | set(t.get("light_verbs", {}))
    forms = {w + sfx for w in words for sfx in ("", "s", "ed", "d", "ing", "es")} | {w[:-1] + "ing" for w in words if w.endswith("e")}
    forms |= {"shot", "dies", "died", "found", "left", "killed", "wounded", "injured", "hurt", "dead", "slain", "tués", "morts", "blessés"}
    try:
        import spacy

        stops = spacy.blank(lang).Defaults.stop_words
    except Exception:  # pragma: no cover - the model packages ship spaCy
        stops = set()
    return frozenset(forms | set(stops))


def parse(text: str, lang: str) -> Parse:
    """The dependency parse of ``text`` (English and French; an empty parse for other languages), for a
    text read outside the pipeline (a title, a test sentence); the pipeline's ``Doc.tokens`` are the same."""
    if lang not in ("en", "fr") or not text.strip():
        return Parse(())
    from .syntax import parse as model_parse

    tokens, _spans = model_parse(text, lang)
    return Parse.of(tokens, text)
