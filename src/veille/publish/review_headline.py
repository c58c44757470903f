"""The reviewer's headline, written from what veille read:

    MANBIJ (SYRIE) : EXPLOSION — DE 2 À 9 MORTS SELON LES SOURCES

Why generated and not copied: a review of feeds has no reviewer; the analyst's own reviews
open each entry with place, country, what happened and the toll across outlets, in capitals.
The parts come from records every article has — the main event (place, country, category),
the story's figures with their speakers — so the same function serves any conflict and any
outlet; nothing here knows an article.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..enrich.textnorm import fold
from ..i18n import Translator
from ..records import Article, Claim, Event

TOLL_KINDS = ("killed",)


def place_name(article: Article, event: Event | None, t: Translator) -> str | None:
    """The event's place as the reader's language writes it: the article's own word for it when the
    article is in that language ("Damas" rather than the gazetteer's "Damascus")."""
    if event is None:
        return None
    name = event.location or event.admin1
    if not name:
        return None
    if article.language == t.lang:
        for p in article.places:
            if p.name and p.lat is not None and event.latitude is not None and \
                    abs(p.lat - event.latitude) < 1e-3 and abs((p.lon or 0) - (event.longitude or 0)) < 1e-3:
                surface = article.text[p.start:p.end] if p.start is not None and p.end else p.name
                surface = surface if surface and "\n" not in surface else p.name
                return surface[:1].upper() + surface[1:]
    for suffix in (" Governorate", " Province", " District"):
        if name.endswith(suffix):
            return t("place.governorate", name=name[: -len(suffix)])
    return name


def where(article: Article, event: Event | None, t: Translator) -> str:
    """'Manbij (Syrie)', 'Syrie', or '' when nothing places the article."""
    place = place_name(article, event, t)
    code = (event.country if event is not None else None) or main_country(article)
    country = t.country(code) if code else ""
    if place and country and fold(place) != fold(country):
        return f"{place} ({country})"
    return place or country


def main_country(article: Article) -> str | None:
    """The country the article's places name most often (ties: the first named)."""
    counts: dict[str, int] = {}
    for p in article.places:
        if p.country:
            counts[p.country.upper()] = counts.get(p.country.upper(), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _speaker(c: Claim, outlet_of: dict[str, str | None]) -> tuple[str, ...]:
    return tuple(c.attributed_to) or (outlet_of.get(c.article_id) or "",)


def toll_phrase(claims: Iterable[Claim], kind: str, t: Translator, outlet_of: dict[str, str | None]) -> str | None:
    """'de 2 à 9 morts selon les sources' when speakers differ, 'au moins 9 morts' when one figure."""
    cs = [c for c in claims if c.kind == kind and not c.cumulative and (c.min is not None or c.max is not None)]
    if not cs:
        return None
    values = {(c.min, c.max, c.qualifier) for c in cs}
    nouns = t.kind_noun(kind)
    if len(values) == 1:
        c = cs[0]
        count = c.max if c.max is not None else c.min
        return f"{t.value(c.min, c.max, c.qualifier)} {t.kind_noun(kind, count)}"
    low = min(x for c in cs for x in (c.min, c.max) if x is not None)
    high = max(x for c in cs for x in (c.min, c.max) if x is not None)
    if low == high:
        return f"{t.number(low)} {t.kind_noun(kind, low)}"
    spoken = {_speaker(c, outlet_of) for c in cs}
    tail = f" {t('figure.sources')}" if len(spoken) > 1 else ""
    return f"{t('headline.range', a=t.number(low), b=t.number(high))} {nouns}{tail}"


def headline(article: Article, claims: list[Claim], t: Translator, outlet_of: dict[str, str | None]) -> str:
    """The entry's headline in capitals. ``claims``: the story's claims (this article's when alone)."""
    ev = article.main_event
    head = where(article, ev, t)
    # "Other" says nothing a reader can use: the title tells more
    what = t.event_headline(ev) if ev is not None and ev.sub_event_type != "Other" else ""
    figures = [p for p in (toll_phrase(claims, "killed", t, outlet_of), toll_phrase(claims, "wounded", t, outlet_of)) if p]
    if not figures and ev is not None:
        if ev.fatalities:
            figures.append(f"{t.number(ev.fatalities)} {t.kind_noun('killed', ev.fatalities)}")
        else:
            # no toll: the event's largest figure of another kind ("au moins 250 membres de l'armée syrienne déployés")
            own = [c for c in claims if c.article_id == article.id and not c.cumulative and c.kind not in ("casualties",)
                   and (c.max or c.min)]
            if own:
                c = max(own, key=lambda c: (c.event_id == ev.event_id, c.max or c.min or 0))
                said = f" {t('figure.according_to', who=c.attributed_to[0])}" if c.attributed_to else ""
                figures.append(t.figure(c.kind, c.subject, c.min, c.max, c.qualifier) + said)
    colon = t("colon")
    if not what and not figures:
        title = article.title or article.headline or t("entry.untitled")  # the outlet's own words, as written
        if head and re.match(rf"{re.escape(fold(head))}\s*:", fold(title)):
            return title.upper()  # "Syrie: les terroristes…" already says where
        return (f"{head}{colon}{title}" if head else title).upper()
    body = what[:1].upper() + what[1:] if what else ""
    if figures:
        body = (body + " — " if body else "") + ", ".join(figures)
    return (f"{head}{colon}{body}" if head else body).upper()
