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


MIDDLE_EAST = {"SY", "IQ", "LB", "JO", "TR", "IL", "IR", "YE", "PS", "SA", "EG", "QA", "AE", "KW", "BH", "OM"}


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, lower first ("17"); one actor alone → "10"-style."""
    if inter1 is None and inter2 is None:
        return None
    codes = sorted(x for x in (inter1, inter2) if x)
    return int(f"{codes[0]}{codes[1]}") if len(codes) == 2 else codes[0] * 10


def _same_region(a: str | None, b: str | None) -> bool:
    if a in MIDDLE_EAST and b in MIDDLE_EAST:
        return True
    ia, ib = _country_info(a), _country_info(b)
    return bool(ia and ib and ia.region and ia.region == ib.region)


def source_scale(outlets: list, country: str | None) -> str | None:
    """ACLED's source scale from where the reporting outlets are: same country → National,
    the same region → Regional, elsewhere → International; several scales are joined with '-'."""
    scales = []
    for o in outlets:
        oc = getattr(o, "country", None) if o is not None else None
        if oc is None:
            scale = "Other"
        elif country and oc == country:
            scale = "National"
        elif _same_region(country, oc):
            scale = "Regional"
        else:
            scale = "International"
        if scale not in scales:
            scales.append(scale)
    order = ["Local", "Subnational", "National", "Regional", "International", "Other"]
    scales.sort(key=order.index)
    return "-".join(scales) or None


def _country_info(cc: str | None):
    """ACLED's country name, region and ISO number from the gazetteer (every country); the
    tables above only answer when the gazetteer index cannot be opened."""
    if not cc:
        return None
    from .gazetteer import GazetteerError, gazetteer

    try:
        return gazetteer().country(cc)
    except (GazetteerError, OSError):
        return None


def acled_fields(event: Event, registry=None) -> dict[str, Any]:
    country = event.country
    info = _country_info(country)
    inter1, inter2 = event.inter1, event.inter2
    sources, outlets = [], []
    for s in event.source:
        outlet = None
        if registry is not None:
            outlet = registry.get(s) or registry.by_name(s)
        outlets.append(outlet)
        name = outlet.name if outlet else s
        if name not in sources:
            sources.append(name)
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
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else None,
        "iso": info.iso_numeric if info and info.iso_numeric else ISO_NUMERIC.get(country or ""),
        "region": info.region if info and info.region else REGION.get(country or ""),
        "country": info.acled_name if info else COUNTRY_NAMES.get(country or "", country),
        "admin1": event.admin1,
        "admin2": getattr(event, "admin2", None),
        "admin3": None,
        "location": event.location,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": event.geo_precision,
        "source": "; ".join(sources),
        "source_scale": source_scale(outlets, country) if outlets else None,
        "notes": event.notes,
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": None,
        "timestamp": export_time(),
    }


def export_time() -> int:
    """ACLED's ``timestamp`` (when the row was last written): now, or ``SOURCE_DATE_EPOCH`` when set —
    the reproducible-builds convention, so two runs on the same inputs give byte-identical exports."""
    import os

    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    return int(datetime.now(timezone.utc).timestamp())
