"""Events coded the ACLED way, one article at a time, with the article's ``main_event``.

This module is the orchestration only; each question has its own module:
- *what* happened — ``event_types.classify`` (ACLED event type and sub-type of a span);
- *where* — ``event_places`` (the place, admin area and geo_precision of a span);
- *who* — ``event_actors`` (actors and their ACLED inter codes);
- *how many died* — ``tolls`` (the conservative toll from the event's claims).

The *main event* is what the headline, the title and the lead (first two sentences) are about.
A later sentence opens a *secondary* event only when it has its own cue and names another place
(different admin1 or town), or another day with another kind of event: re-wordings of the same
event ("the blast", "the attack", "overnight on Sunday") stay with the main event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..records import Claim, Event, Place, stable_id
from .claims import extract_claims
from .event_actors import CIVILIANS, actors as span_actors, claimant_first, country_name, typed_actors
from .event_places import (article_country, best_place, country_level, event_places, main_place as find_main_place,
                           near_reference, title_places)
from .event_types import _generic, _priority, classify, deaccent, decide, join_tokens, span_tokens
from .furniture import inside
from .lexicon import fold, lang_of, split_sentences
from .toll_model import Tolls, read_tolls
from .tolls import additions, category, fatalities, lead_window, toll_claims

PRECISION = {"day": 1, "minute": 1, "week": 2, "month": 3, "year": 3}

__all__ = ["EventsComponent", "build_events", "classify", "fatalities"]


def _date(times, start: int, end: int, published: str | None) -> tuple[str | None, int | None]:
    """The first resolved time expression of the span not after publication, else the publication date."""
    for t in times:
        if start <= t.start < end and t.value and (not published or t.value[:10] <= published[:10]):
            value = t.value if len(t.value) >= 10 else t.value + ("-01" if len(t.value) == 7 else "")
            return value[:10], PRECISION.get(t.precision, 1)
    if published:
        return published[:10], 1 if len(published) >= 10 else 3
    return None, None


@dataclass(frozen=True)
class Span:
    """An event span before it becomes an ``Event``: bounds, type, place, date."""

    start: int
    end: int
    kind: tuple[str, str]
    place: Place | None
    geo: int | None
    date: str | None
    tp: int | None


@dataclass(frozen=True)
class Context:
    """What every step of one article's event building reads."""

    doc: object
    lang: str
    sentences: tuple
    head: str
    asserted: str
    lead_end: int
    outlet_id: object  # name -> outlet id or the name (Event.source)
    is_outlet: object  # name -> bool (datelines name outlets)
    typer: object = None  # event_types.EventTyper (None: the cue table alone)
    country: str | None = None  # the country the article is about (ISO alpha-2)
    gazetteer: object = None  # the pipeline's gazetteer (country names of role actors)

    @property
    def text(self) -> str:
        return self.doc.text


def cue_type(ctx: Context) -> tuple[str, str, int] | None:
    """The cue table's (type, sub-type, cue position) for the main event.

    The headline/title say what the article is about; a generic cue there ("attack") gives way to
    a more specific one in the lead ("air strikes"); the lead's background clauses ("après que …
    eurent pris le contrôle") do not override a specific headline. A question headline reports
    nothing."""
    text, lang, asserted, lead_end = ctx.text, ctx.lang, ctx.asserted, ctx.lead_end
    hit_head = classify(asserted, lang, prefer_precise=True) if asserted else None
    hit_lead = classify(text[:lead_end], lang)
    lead_text = deaccent(text[:lead_end])
    if hit_head and hit_lead and hit_lead[:2] != hit_head[:2] and _generic(deaccent(asserted), hit_head[2], lang) \
            and (_priority(hit_lead) < _priority(hit_head) or not _generic(lead_text, hit_lead[2], lang)):
        # "Deadly bombing hits Damascus" then "a suicide bomber … explosive belt": a vague headline
        # word gives way to the lead's precise one
        return hit_lead
    if hit_head and hit_head[:2] != ("Battles", "Armed clash"):
        return hit_head
    hit = classify(asserted + "\n" + text[:lead_end], lang) if asserted else classify(text[:lead_end], lang)
    return hit or hit_head


def title_tokens(title: str, lang: str) -> tuple:
    """The parse of the headline/title (``Doc.tokens`` covers the body only): a title states the event in
    few words ("Rebels seize border town"), and its subject and object say who acted on whom. One short
    parse per article, only where the body was parsed (English, French; ``Settings.parse`` on), shared by the
    title's figures (``extract_claims``) and the typer's role features."""
    from .syntax import MODELS, parse

    return parse(title, lang)[0] if lang in MODELS and title.strip() else ()


def main_span_text(ctx: Context) -> str:
    """What the model types for the main event: the headline/title and the first sentence (what the
    article is about; a roundup's second sentence is often another incident)."""
    return (ctx.asserted + "\n" if ctx.asserted else "") + ctx.text[:ctx.sentences[0][1]]


def main_type(ctx: Context, head_claims, model=None) -> tuple[str, str, int] | None:
    """The main event's (type, sub-type, cue position): the model's typing of the headline/title and
    lead (``model``, an ``event_types.Typing`` of ``main_span_text``) read with the cue table's hit
    (``event_types.decide``); with neither, the first toll."""
    hit = cue_type(ctx)
    if model is not None:
        if model.vetoed:
            return None  # a flood's or a cartel's toll is no political event either
        hit = decide(model, hit, main_span_text(ctx), ctx.lang)
    if hit is not None and hit[0] == "Strategic developments" and hit[1] != "Disrupted weapons use":
        # a toll makes the article about violence ("ceasefire breached 3 times … killing 15
        # civilians"): an agreement or a deployment has no fatalities in ACLED
        if any(c.kind == "killed" and not c.cumulative for c in ctx.doc.claims):
            hit = None
    if hit is None:
        hit = _type_from_toll(ctx, head_claims)
    return hit


def _type_from_toll(ctx: Context, head_claims) -> tuple[str, str, int] | None:
    """No cue up front: the first casualty figure decides (a toll is an event) — in the text, else in
    the title. A toll with no weapon named: ACLED codes killings of civilians as an attack on them,
    of combatants as a clash."""
    claims = ctx.doc.claims
    toll = next((c for c in claims if c.kind == "killed" and not c.cumulative), None) or \
        next((c for c in claims if c.kind == "wounded" and not c.cumulative), None)
    source_text = ctx.text
    if toll is None and ctx.head:
        toll = next((c for c in head_claims() if c.kind in ("killed", "wounded") and not c.cumulative), None)
        source_text = ctx.head
    if toll is None:
        return None
    hit = classify(source_text[toll.start:toll.end], ctx.lang)
    if hit is None:
        civilian = category(toll.subject or "") == "civilian"
        hit = ("Violence against civilians", "Attack", 0) if civilian else ("Battles", "Armed clash", 0)
    return hit


def secondary_candidates(ctx: Context, places, tail_start: int, main: Span) -> list[tuple]:
    """Later sentences that may report an event of their own: a cue of the table, or a concept of the
    codebook (the model then types them), in another place than the main event's, or on another day.
    ``main``'s place and date are read, not its type (the candidates are typed in the same batch as
    the main span)."""
    from .event_types import concept_hits, concept_names, AGENTS, CONTEXT

    text, lang = ctx.text, ctx.lang
    events_concepts = [k for k in concept_names() if k not in AGENTS and k not in CONTEXT]
    candidates = []
    first_end = ctx.sentences[0][1]
    for s, e in ctx.sentences:
        if e <= first_end or s >= tail_start:
            continue  # the list of related headlines reports other articles' events
        e = min(e, tail_start)
        h = classify(text[s:e], lang)
        if not h and (ctx.typer is None or not any(k in events_concepts for k in concept_hits(text[s:e], lang))):
            continue
        place, geo = best_place(places, s, e, text, lang)
        date, tp = _date(ctx.doc.times, s, e, None)
        # a sentence that also names the main event's place reports on it ("shelled al-Midan in
        # Aleppo city" after an Aleppo lead), whatever place it names first
        names_main = main.place is not None and main.place.admin1 is not None and any(
            p.admin1 == main.place.admin1 and (main.geo != 1 or p.name == main.place.name)
            for p in places if p.start is not None and s <= p.start < e)
        other_place = place is not None and main.place is not None and place.admin1 and not names_main and (
            place.admin1 != main.place.admin1 or (geo == 1 and main.geo == 1 and place.name != main.place.name))
        other_date = date is not None and main.date is not None and date != main.date and tp == 1
        in_lead = e <= ctx.lead_end  # the lead's second sentence opens an event only in another place
        if other_place or (other_date and not in_lead):
            candidates.append((s, e, h, place, geo, date, tp, other_place, in_lead))
    return candidates


def secondary_spans(ctx: Context, candidates: list[tuple], typed: list, main: Span) -> list[Span]:
    """The candidates (``secondary_candidates``) that report an event of their own, with their
    model typings (``typed``, same order; None without a model)."""
    text, lang = ctx.text, ctx.lang
    out: list[Span] = []
    for (s, e, h, place, geo, date, tp, other_place, in_lead), model in zip(candidates, typed):
        h = decide(model, h, text[s:e], lang)
        if not h or (in_lead and h[:2] == main.kind):
            continue
        if other_place or h[:2] != main.kind:  # "overnight on Sunday" re-dates the same strikes
            out.append(Span(s, e, h[:2], place or main.place, geo or main.geo, date or main.date, tp or main.tp))
    return out


def roundup_spans(secondary: list[Span], main: Span, text_len: int) -> list[Span]:
    """A title that names several governorates ("10 killed in rocket attacks on Aleppo and Deir Ezzor")
    sums tolls ACLED codes as separate events, one per location: each place's report runs from its
    first sentence to the next place's."""
    kept, current = [], (main.place.admin1 if main.place else None, main.date)
    for sec in secondary:
        if sec.place is not None and (sec.place.admin1, sec.date) == current:
            continue  # the same place's report goes on
        kept.append(sec)
        current = (sec.place.admin1 if sec.place is not None else current[0], sec.date)
    starts = [sec.start for sec in kept] + [text_len]
    return [replace(sec, end=starts[k + 1]) for k, sec in enumerate(kept)]


def group_claims(claims, secondary: list[Span]) -> dict[int, list[Claim]]:
    """Each claim belongs to the span its figure is in (0: the main event)."""
    def owner(pos: int) -> int:
        for i, sp in enumerate(secondary):
            if sp.start <= pos < sp.end:
                return i + 1
        return 0

    groups: dict[int, list[Claim]] = {}
    for c in claims:
        groups.setdefault(owner(c.number_start if c.number_start is not None else c.start), []).append(c)
    return groups


def _echoes(text: str, sentences, pos: int, head: str) -> bool:
    """Is ``pos`` in a sentence that repeats the title (scraped bodies often open with it)?"""
    if not head:
        return False
    for s, e in sentences:
        if s <= pos < e:
            title = " ".join(re.findall(r"\w+", fold(head.split(" . ")[-1])))
            return bool(title) and title in " ".join(re.findall(r"\w+", fold(text[s:e])))
    return False


def event_toll(ctx: Context, i: int, sp: Span, mine: list[Claim], furniture, roundup: bool, head_tolls: list[Claim],
               places, country: str | None, head_claims=()) -> tuple[Tolls, Place | None, int | None]:
    """An event's tolls (and, for a main event whose only toll is elsewhere, that toll's place).

    The fatalities and injured are the learned scorer's choice among every value the event's figures
    give (``toll_model``); the rules below are its fallback and still place a main event whose toll
    is elsewhere."""
    text, sentences, doc = ctx.text, ctx.sentences, ctx.doc
    counted = [c for c in mine if not (roundup and _echoes(text, sentences, c.start, ctx.head))
               and not inside(c.number_start if c.number_start is not None else c.start, furniture)]
    tolls = toll_claims(counted, sentences, sp.start if i else 0)
    # the sentence after the toll adds to it whichever event the grouping gave it to
    more, extra = additions(tolls, list(doc.claims), sentences, text, doc.times, sp.date)
    fat = fatalities(tolls + more, extra)
    place, geo = sp.place, sp.geo
    window = lead_window(sentences, 0)
    if i == 0 and head_tolls:
        # the title's toll is read with the lead's, not with a figure paragraphs later
        # (background, another incident): a later figure does not rewrite the headline
        near = [c for c in tolls if c.start < window]
        fat = fatalities(head_tolls + near + (more if near else []), extra)
    elif i == 0 and tolls and not roundup and min(c.start for c in tolls) >= window:
        # neither title nor lead gives a toll and the article's first toll is about another
        # governorate: the casualties are the event the article reports, so is their place
        ts = min(c.start for c in tolls)
        te = next((se for ss, se in sentences if ss <= ts < se), ts + 1)
        there, there_geo = best_place(places, ts, te, text, ctx.lang, country, strict=country is not None)
        if there is not None and there.admin1 and (place is None or there.admin1 != place.admin1):
            place, geo = there, there_geo
    head = [c for c in head_claims if i == 0 and not roundup]
    used = (head_tolls + [c for c in tolls if c.start < window] + more) if i == 0 and head_tolls else tolls + more
    read = read_tolls(head, counted, list(doc.claims), sentences, text, doc.times, sp.date, rule=(fat, used))
    return read, place, geo


def article_tolls(ctx: Context, head_claims, furniture, date: str | None) -> dict:
    """The tolls of an article that codes no event ("a 7-year-old died in an accidental shooting" is no
    political violence, yet its toll is news): the learned scorer over all its figures, as for a main event.
    ``article_toll``: the ``Tolls``; ``toll_candidates``: what they were chosen from."""
    text, sentences, doc = ctx.text, ctx.sentences, ctx.doc
    counted = [c for c in doc.claims if not inside(c.number_start if c.number_start is not None else c.start, furniture)]
    tolls = toll_claims(counted, sentences, 0)
    more, extra = additions(tolls, list(doc.claims), sentences, text, doc.times, date)
    read = read_tolls(list(head_claims), counted, list(doc.claims), sentences, text, doc.times, date,
                      rule=(fatalities(tolls + more, extra), tolls + more))
    return {"article_toll": read, "toll_candidates": read.candidates}


def event_actors(ctx: Context, i: int, sp: Span, mine: list[Claim], place: Place | None):
    """actor1/actor2 with inter codes: the actors the entity stage names (a claimant first), in the roles
    the event's type needs, the missing roles read from the span's words (``event_actors.typed_actors``:
    protesters, rioters, police, civilians …); civilians killed (outside strategic developments) are actor2."""
    found = span_actors(ctx.doc, sp.start, sp.end)
    if i == 0:
        found = claimant_first(ctx.doc, found, ctx.sentences, ctx.head, ctx.lang)
    span_text = (ctx.asserted + "\n" if i == 0 and ctx.asserted else "") + ctx.text[sp.start:sp.end]
    country = (place.country if place else None) or ctx.country
    found = typed_actors(sp.kind, found, span_text, ctx.lang, country, ctx.gazetteer)
    actor1, inter1 = found[0] if found else (None, None)
    actor2, inter2 = found[1] if len(found) > 1 else (None, None)
    if sp.kind[0] not in ("Strategic developments", "Protests", "Riots") and any(
            c.kind == "killed" and category(c.subject or "") == "civilian" for c in mine):
        if actor2 is None and inter1 != CIVILIANS[1]:
            cname = country_name(country, ctx.gazetteer)  # no country known: plain "Civilians", never a guess
            actor2, inter2 = (f"{CIVILIANS[0]} ({cname})" if cname else CIVILIANS[0]), CIVILIANS[1]
    return actor1, inter1, actor2, inter2


def choose_main(events: list[Event], claims_out: list[Claim], roundup: bool, head_tolls, window: int,
                title_admin1: set) -> Event:
    """The main event: the lead's, unless title and lead give no toll for a violent event (then the article's
    first casualty report; a protest or an agreement up front stays the main event) or the title sums several places (then the deadliest of the title's day)."""
    main = events[0]
    first_toll = {ev.event_id: min((c.start for c in claims_out if c.event_id == ev.event_id and c.kind == "killed"
                                    and not c.cumulative), default=None) for ev in events}
    violent = main.event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians")
    if violent and not roundup and not head_tolls and len(events) > 1 and (
            first_toll[main.event_id] is None or first_toll[main.event_id] >= window):
        tolled = [ev for ev in events if ev.fatalities is not None and first_toll[ev.event_id] is not None]
        if tolled:
            main = min(tolled, key=lambda ev: first_toll[ev.event_id])
    if roundup:
        # the title's day: "On Tuesday seven civilians …" in Wednesday's roundup is another event
        candidates = [e for e in events if e.admin1 in title_admin1 and e.fatalities is not None
                      and e.event_date == events[0].event_date]
        if candidates:
            main = max(candidates, key=lambda e: (e.fatalities, -e.start))
    return main


@lru_cache(maxsize=1)
def _shipped_registry():
    from ..outlets import load_registry

    return load_registry()


def registry_lookups(registry):
    """(name → outlet id or the name, name → is it an outlet) from a registry (the shipped one if None)."""
    if registry is None:
        registry = _shipped_registry()

    def outlet_id(name: str) -> str:  # Event.source: outlet ids where the registry knows the speaker
        o = registry.by_name(name)
        return o.id if o else name

    def is_outlet(name: str) -> bool:
        return registry.by_name(name) is not None

    return outlet_id, is_outlet


def build_events(doc, title_doc=None, outlet_id=None, is_outlet=None, typer=None, gazetteer=None,
                 sink: dict | None = None) -> tuple[list[Event], Event | None, list[Claim]]:
    """Events of one article, its main event, and the claims with ``event_id`` filled in.

    ``title_doc``: article → Doc with places (the pipeline's place stages run on the title);
    ``outlet_id``/``is_outlet``: the outlet registry's answers (from the pipeline's resources);
    ``typer``: the event-type model (``event_types.EventTyper``; the pipeline's resources give it);
    ``sink``: a dict that receives the main event's toll candidates (``toll_candidates``)."""
    a = doc.article
    text = doc.text
    lang = lang_of(doc.language or a.language)
    sentences = tuple(doc.sentences or split_sentences(text))
    if not sentences:
        return [], None, list(doc.claims)
    head = " . ".join(x for x in (a.headline, a.title) if x)
    if outlet_id is None or is_outlet is None:
        outlet_id, is_outlet = registry_lookups(None)
    ctx = Context(doc, lang, sentences, head,
                  asserted=" . ".join(x for x in (a.headline, a.title) if x and not x.strip().endswith("?")),
                  lead_end=sentences[min(1, len(sentences) - 1)][1], outlet_id=outlet_id, is_outlet=is_outlet,
                  typer=typer, gazetteer=gazetteer)

    @lru_cache(maxsize=1)
    def head_tokens() -> tuple:  # the headline/title's parse, once: its figures and its roles read it
        return title_tokens(head, lang) if doc.tokens and head else ()

    @lru_cache(maxsize=1)
    def head_claims() -> tuple[Claim, ...]:  # the headline/title's figures, read once
        from .victims import Parse

        parse = (Parse.of(head_tokens(), head) if head_tokens() else None) if doc.tokens else False
        return tuple(extract_claims(head, a.id, lang, parse=parse)) if head else ()

    # where and when first (they do not depend on the type), so that the main span and the candidate
    # secondary sentences are typed together: one batch, at most one call of the sentence encoder
    title_all = list(title_places(title_doc, a, head, doc.places)) if head else []
    title_pl = [p for p in title_all if p.admin1]
    country = article_country(doc, title_all, head)
    ctx = replace(ctx, country=country)
    places, furniture, tail_start = event_places(doc, sentences, ctx.is_outlet)
    m_place, m_geo = find_main_place(title_pl, places, head, text, ctx.lead_end, lang, country)
    m_place, m_geo = near_reference(m_place, m_geo, doc, ctx.lead_end, lang, country)  # geo: a distance's reference
    m_place, m_geo = country_level(m_place, m_geo, doc, ctx.lead_end, lang, country, gazetteer)  # geo: the country's
    m_date, m_tp = _date(doc.times, 0, ctx.lead_end, a.published_at)
    where = Span(0, ctx.lead_end, ("", ""), m_place, m_geo, m_date, m_tp)
    candidates = secondary_candidates(ctx, places, tail_start, where)
    typed: list = [None] * (1 + len(candidates))
    if typer is not None:
        # the parse already in Doc.tokens gives the role features (who acts on whom): no extra model call
        lead = main_span_text(ctx)
        body = span_tokens(doc.tokens, 0, sentences[0][1], len(lead) - sentences[0][1])
        # who acts on whom in the title too (the parse the title's figures read)
        title = (head_tokens() if ctx.asserted == head else title_tokens(ctx.asserted, lang)) if body and ctx.asserted else ()
        toks = [join_tokens(title, body)] + [span_tokens(doc.tokens, c[0], c[1]) for c in candidates]
        typed = typer.type([lead] + [text[c[0]:c[1]] for c in candidates], [lang] * (1 + len(candidates)), tokens=toks,
                           heads=[len(ctx.asserted) + 1 if title else 0] + [0] * len(candidates))

    hit = main_type(ctx, head_claims, typed[0])
    if hit is None:
        if sink is not None:  # no ACLED event (an accident, a crime): the article's tolls are still read
            sink.update(article_tolls(ctx, head_claims(), furniture, m_date))
        return [], None, list(doc.claims)
    # figures of the headline/title count for the main event's toll (they have no span in
    # ``text``, so they are not stored as claims; the event's notes say so)
    head_tolls = [c for c in head_claims() if c.kind == "killed" and not c.cumulative]
    main = replace(where, kind=hit[:2])

    secondary = secondary_spans(ctx, candidates, typed[1:], main)
    title_admin1 = {p.admin1 for p in title_pl if p.admin1 and (country is None or p.country == country)}
    roundup = len(title_admin1) >= 2
    if roundup:
        secondary = roundup_spans(secondary, main, len(text))
        head_tolls = []
    groups = group_claims(doc.claims, secondary)

    events: list[Event] = []
    claims_out: list[Claim] = []
    candidates: dict[str, dict] = {}  # event id -> the toll candidates (the toll scorer's training reads them)
    outlet = (a.outlet,) if a.outlet else ()
    for i, sp in enumerate([main] + secondary):
        eid = stable_id(a.id, "event", i, *sp.kind)
        mine = groups.get(i, [])
        toll, place, geo = event_toll(ctx, i, sp, mine, furniture, roundup, head_tolls, places, country, head_claims())
        fat = toll.killed
        candidates[eid] = toll.candidates
        actor1, inter1, actor2, inter2 = event_actors(ctx, i, sp, mine, place)
        notes = text[sp.start:sp.end].strip()
        notes = (notes[:300] + "…") if len(notes) > 300 else notes
        sources = tuple(dict.fromkeys(outlet + tuple(ctx.outlet_id(x) for c in mine for x in c.attributed_to[:1] if x)))
        if i == 0 and head_tolls:
            notes = f"headline/title figures: {', '.join(c.number_text or '' for c in head_tolls)}. {notes}"
        events.append(Event(
            event_id=eid, event_date=sp.date, time_precision=sp.tp, event_type=sp.kind[0], sub_event_type=sp.kind[1],
            actor1=actor1, actor2=actor2, country=place.country if place else None,
            admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
            location=place.name if place else None,
            latitude=place.lat if place else None, longitude=place.lon if place else None, geo_precision=geo,
            source=sources, notes=notes, fatalities=fat, claims=tuple(c.id for c in mine), articles=(a.id,),
            start=sp.start, end=sp.end, inter1=inter1, inter2=inter2,
            injured=toll.injured, fatalities_claims=toll.killed_claims, injured_claims=toll.injured_claims,
        ))
        claims_out += [replace(c, event_id=eid) for c in mine]
    claims_out.sort(key=lambda c: (c.number_start or c.start))
    main_event = choose_main(events, claims_out, roundup, head_tolls, lead_window(sentences, 0), title_admin1)
    if sink is not None:
        sink["toll_candidates"] = candidates.get(main_event.event_id, {})
    return events, main_event, claims_out


class EventsComponent:
    name = "events"
    requires: tuple[str, ...] = ("claims", "entities", "places", "times")
    produces: tuple[str, ...] = ("events", "main_event")

    def __init__(self, resources=None, title_doc=None):
        self.resources = resources
        self.title_doc = title_doc  # set by the pipeline: the place stages run on a title

    def __call__(self, doc):
        outlet_id, is_outlet = registry_lookups(self.resources.registry if self.resources is not None else None)
        typer = self.resources.event_typer if self.resources is not None else None
        gazetteer = self.resources.gazetteer if self.resources is not None else None
        sink: dict = {}
        events, main, claims = build_events(doc, self.title_doc, outlet_id, is_outlet, typer, gazetteer, sink=sink)
        extra = {**doc.extra, **sink}
        if main is not None:
            extra["main_event"] = main
        return replace(doc, events=tuple(events), claims=tuple(claims), extra=extra)
