"""ACLED coding helpers: the codebook's vocabulary and an Event → ACLED row mapping.

Why a module of its own: ACLED's column names and categories are a contract with the
analysts' tools (they load events.csv next to ACLED downloads).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..records import Event

DISORDER_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}

ISO_NUMERIC = {"SY": 760, "IQ": 368, "LB": 422, "JO": 400, "TR": 792, "IL": 376, "IR": 364, "YE": 887, "PS": 275,
               "RU": 643, "US": 840, "SA": 682, "EG": 818}
COUNTRY_NAMES = {"SY": "Syria", "IQ": "Iraq", "LB": "Lebanon", "JO": "Jordan", "TR": "Turkey", "IL": "Israel",
                 "IR": "Iran", "YE": "Yemen", "PS": "Palestine", "RU": "Russia", "US": "United States",
                 "SA": "Saudi Arabia", "EG": "Egypt"}
REGION = {"SY": "Middle East", "IQ": "Middle East", "LB": "Middle East", "JO": "Middle East", "TR": "Middle East",
          "IL": "Middle East", "IR": "Middle East", "YE": "Middle East", "PS": "Middle East", "SA": "Middle East",
          "EG": "Northern Africa", "RU": "Europe", "US": "North America"}


def acled_fields(event: Event, registry=None) -> dict[str, Any]:
    country = event.country
    inter1, inter2 = event.inter1, event.inter2
    interaction = None
    if inter1 is not None:
        a, b = sorted(x for x in (inter1, inter2 or 0))
        interaction = int(f"{a}{b}") if a else int(f"{b}0")
    sources = []
    for s in event.source:
        outlet = registry.get(s) if registry is not None else None
        sources.append(outlet.name if outlet else s)
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.event_date,
        "year": (event.event_date or "")[:4] or None,
        "time_precision": event.time_precision,
        "disorder_type": DISORDER_TYPE.get(event.event_type),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": event.actor2,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else None,
        "iso": ISO_NUMERIC.get(country or ""),
        "region": REGION.get(country or ""),
        "country": COUNTRY_NAMES.get(country or "", country),
        "admin1": event.admin1,
        "admin2": None,
        "admin3": None,
        "location": event.location,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": event.geo_precision,
        "source": "; ".join(sources),
        "source_scale": "International" if len(sources) > 1 else ("National" if sources else None),
        "notes": event.notes,
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": None,
        "timestamp": int(datetime.now(timezone.utc).timestamp()),
    }
