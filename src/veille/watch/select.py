"""Which articles a watch keeps: its keyword query and its lists (countries, places, outlets,
languages, event types). Every list given must hold (AND); inside a list any value will do (OR).

Why on analysed records: countries, places and event types come from enrichment, so a French
article about "Manbij" is kept by a watch on country SY without naming Syria at all.
"""

from __future__ import annotations

from ..enrich.textnorm import fold
from ..records import Article, Event
from .query import Text
from .spec import Filters


def article_text(article: Article) -> str:
    return "\n".join(x for x in (article.section, article.headline, article.title, article.text) if x)


def article_countries(article: Article, events: list[Event] = ()) -> set[str]:
    found = {p.country.upper() for p in article.places if p.country}
    for e in [article.main_event, *events]:
        if e is not None and e.country:
            found.add(e.country.upper())
    return found


def article_places(article: Article, events: list[Event] = ()) -> set[str]:
    names = set()
    for p in article.places:
        names.update(fold(x) for x in (p.name, p.admin1) if x)
    for e in [article.main_event, *events]:
        if e is not None:
            names.update(fold(x) for x in (e.location, e.admin1) if x)
    return names


def keeps(filters: Filters, article: Article, events: list[Event] = (), text: Text | None = None) -> bool:
    """True when the article is one the watch wants."""
    if filters.languages and (article.language or "").lower() not in filters.languages:
        return False
    if filters.outlets and (article.outlet or "").lower() not in filters.outlets:
        return False
    if filters.countries and not (article_countries(article, events) & set(filters.countries)):
        return False
    if filters.places:
        have = article_places(article, events)
        if not any(fold(p) in have for p in filters.places):
            return False
    if filters.event_types:
        kinds = {x for e in [article.main_event, *events] if e is not None for x in (e.event_type, e.sub_event_type) if x}
        if not kinds & set(filters.event_types):
            return False
    if filters.query is not None:
        return filters.query.matches(text or Text(article_text(article)))
    return True
