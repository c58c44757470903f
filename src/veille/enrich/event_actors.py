"""Who acted in an event: actors named in a span, with their ACLED inter codes."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import alt, lang_data, lexicon

CIVILIANS = ("Civilians", 7)


def actors(doc, start: int, end: int, extra_text: str = "") -> list[tuple[str, int | None]]:
    """Armed/state actors mentioned in the window, in order, with their ACLED inter code."""
    by_id = {e.id: e for e in doc.entities}
    out: list[tuple[str, int | None]] = []
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if not (start <= m.start < end) or m.entity_id not in by_id:
            continue
        e = by_id[m.entity_id]
        if e.acled_inter is None or e.acled_inter == 7:
            continue
        name = e.acled_class or e.name
        if name not in [a for a, _ in out]:
            out.append((name, e.acled_inter))
    return out


def claimant_first(doc, actors_, sentences, head: str, lang: str) -> list[tuple[str, int | None]]:
    """Whoever claims the attack is its author, whatever the lead names first."""
    text = doc.text
    claim_rx = re.compile(alt(lexicon()["claimed_responsibility"][lang]), re.I)
    claimants = [x for cs, ce in sentences if claim_rx.search(text, cs, ce) for x in actors(doc, cs, ce)]
    if claim_rx.search(head) and re.search(r"\b(?:daech|daesh|isis|isil|islamic state|état islamique)\b", head, re.I):
        claimants = [x for x in actors(doc, 0, len(text)) if x[1] == 2 and "Islamic State" in x[0]] + claimants
    if claimants:
        return [claimants[0]] + [x for x in actors_ if x != claimants[0]]
    return actors_


# --- actors named by their role, for every type of event -------------------------------------------
#
# ACLED names the actors of an event even when the text names no organisation: "Protesters
# (Kenya)", "Rioters (India)", "Civilians (Mali)", "Police Forces of Chile", an "Unidentified Armed
# Group (Nigeria)". Which roles an event has depends on its type (the codebook's conventions):
# a peaceful protest has protesters alone (interaction 60); a protest met by the police has the
# protesters and the state forces (16); a riot has rioters (5x); violence against civilians has a
# perpetrator and civilians (x7); an arrest has the state forces and whom they held.

ROLE_INTER = {"state": 1, "armed": 3, "rioters": 5, "protesters": 6, "civilians": 7}
_POLICE = re.compile(r"(?i)\b(?:police|policiers?|gendarm\w*|riot police|CRS|الشرطة|شرطة|الأمن|قوات الأمن)")


def country_name(cc: str | None, gazetteer=None) -> str | None:
    """ACLED's name of a country from the pipeline's gazetteer (``Resources.gazetteer``), else the
    short table of acled.py, else the code."""
    if not cc:
        return None
    from .acled import COUNTRY_NAMES

    info = None
    if gazetteer is not None:
        try:
            info = gazetteer.country(cc)
        except Exception:  # noqa: BLE001 - an index that cannot answer leaves the table
            info = None
    return getattr(info, "acled_name", None) or COUNTRY_NAMES.get(cc) or cc


def role_actors(text: str, lang: str, country: str | None, name: str | None = None) -> list[tuple[int, str, str, int]]:
    """(position, role, ACLED-style name, inter code) of the actors a span names by their role
    (``name``: the country's name, else its code)."""
    from .event_types import concept_hits

    hits = concept_hits(text, lang)
    name = name or country
    where = f" ({name})" if name else ""
    out = []
    hits = {k: [p for p in ps if not (k == "state_forces" and speaks_at(text, p, lang))] for k, ps in hits.items()}
    hits = {k: ps for k, ps in hits.items() if ps}
    if "state_forces" in hits:
        police = _POLICE.search(text)
        label = (f"Police Forces of {name}" if police else f"Military Forces of {name}") if name else \
            ("Police Forces" if police else "Military Forces")
        out.append((hits["state_forces"][0], "state", label, 1))
    if "armed_group" in hits:
        out.append((hits["armed_group"][0], "armed", f"Unidentified Armed Group{where}", 3))
    if "protest" in hits:
        out.append((hits["protest"][0], "protesters", f"Protesters{where}", 6))
    for concept in ("riot", "mob"):
        if concept in hits:
            out.append((hits[concept][0], "rioters", f"Rioters{where}", 5))
            break
    if "civilian_target" in hits:
        out.append((hits["civilian_target"][0], "civilians", f"Civilians{where}", 7))
    return sorted(out)


@lru_cache(maxsize=4)
def _speech(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    verbs = lexicon()["speech_verbs"].get(lang) or lexicon()["speech_verbs"]["en"]
    before = lang_data(lang, "attribution").get("before_speaker", [])
    # the subject of a speech verb: the verb within two words, none of them a number ("Police said",
    # "Police officers later said"; not "Soldiers killed two and said")
    after = re.compile(r"^[\w’'-]*(?:\s+[^\W\d_][\w’'.-]*){0,2}?\s+(?:" + alt(verbs) + r")\b", re.IGNORECASE)
    # the source right after "according to" ("according to (local) police"), or after an inverted speech verb
    # that closes a clause ("…, said police"); never the subject of a clause that follows ("The ministry said
    # soldiers killed…", "According to the army, soldiers killed…")
    det = r"(?:(?:the|la|les|le)\s+|l['’])?(?:[^\W\d_]+\s+)?$"
    ahead = re.compile(r"(?:(?:" + "|".join(before) + r")\s+" + det + r")|(?:[,\"”»]\s*(?:" + alt(verbs) + r")\s+"
                       + det + ")", re.IGNORECASE)
    return after, ahead


def speaks_at(text: str, pos: int, lang: str) -> bool:
    """Whether the state-forces word at ``pos`` names who tells the news rather than who acted ("Police
    said a 22-year-old woman was shot", "…, police said", "according to the police"): the subject of a
    speech verb or the source after "according to" is a speaker, not an actor of the event."""
    after, ahead = _speech(lang if lang in ("fr", "en", "ar") else "en")
    return bool(after.match(text[pos:pos + 60]) or ahead.search(text[max(0, pos - 40):pos]))


def _role_of(inter: int | None) -> str | None:
    return {1: "state", 2: "armed", 3: "armed", 4: "armed", 8: "state", 5: "rioters", 6: "protesters", 7: "civilians"}.get(inter or 0)


def typed_actors(kind: tuple[str, str], named: list[tuple[str, int | None]], text: str, lang: str,
                 country: str | None, gazetteer=None) -> list[tuple[str, int | None]]:
    """actor1, actor2 (as a list of at most two (name, inter)) for an event of ``kind``: the actors the
    entity stage named come first in their role; the roles the type needs that nobody named are
    filled from the words of the span ("police", "protesters", "gunmen", "villagers")."""
    etype, sub = kind
    by_role: dict[str, tuple[str, int | None]] = {}
    order: list[str] = []
    for n, inter in named:
        role = _role_of(inter)
        if role and role not in by_role:
            by_role[role] = (n, inter)
            order.append(role)
    cname = country_name(country, gazetteer)
    for _pos, role, n, inter in role_actors(text, lang, country, cname):
        if role not in by_role:
            by_role[role] = (n, inter)
            order.append(role)

    def pick(*roles: str) -> list[tuple[str, int | None]]:
        return [by_role[r] for r in roles if r in by_role]

    if etype == "Protests":
        protesters = by_role.get("protesters") or (f"Protesters ({cname})" if cname else "Protesters", 6)
        if sub == "Peaceful protest":
            return [protesters]
        return [protesters] + pick("state")[:1]
    if etype == "Riots":
        rioters = by_role.get("rioters") or (f"Rioters ({cname})" if cname else "Rioters", 5)
        others = pick("state", "civilians") if sub == "Violent demonstration" else pick("civilians", "state", "armed")
        return [rioters] + others[:1]
    if etype == "Violence against civilians":
        civilians = by_role.get("civilians") or (f"Civilians ({cname})" if cname else "Civilians", 7)
        return (pick("armed", "state")[:1] or [(None, None)]) + [civilians]  # an unnamed perpetrator stays unnamed
    if sub == "Arrests":
        return pick("state") + pick("protesters", "armed", "civilians")[:1]
    # battles, remote violence, other strategic developments: armed actors in the order named
    armed = [by_role[r] for r in order if r in ("state", "armed")]
    if named:
        armed = [x for x in named if _role_of(x[1]) in ("state", "armed")] or armed
    if etype == "Explosions/Remote violence" and len(armed) < 2 and "civilians" in by_role:
        armed = (armed[:1] or [(None, None)]) + [by_role["civilians"]]  # the victims are never actor1
    return armed[:2]
