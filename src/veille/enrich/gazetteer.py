"""The offline world gazetteer: one SQLite file, opened read-only, queried per article.

Why SQLite and not memory: GeoNames cities500 (every town of ≥ 500 people on earth, ~235k places)
plus every country and two levels of admin units have ~750k names; held as Python objects they
would cost ~1 GB per process. The index (``gazetteer_build``) is built once into a cache file and
every process opens it read-only: memory stays at SQLite's page cache, start-up at opening a file.

Where the file lives: ``$VEILLE_GAZETTEER`` when set (a file path), else
``$XDG_CACHE_HOME/veille/gazetteer-<fingerprint>.sqlite`` (``~/.cache`` by default). The
fingerprint hashes the inputs (package versions, the curated CSVs, the build code), so two
checkouts with different data never share a stale file, and a fresh CI clone builds its own at
``make install`` (or at first use, in a child process, so the build's ~1 GB peak never lands in
the enrichment process). A missing or corrupt file is rebuilt; when that fails the error says how
to rebuild by hand (``veille gazetteer build``).

How text is matched: the article is folded and tokenised once; the tokens that start some name
(``firsts``: first token → longest name) are looked up in one batched query, the n-grams they can
start in a second, and the longest match wins left to right, as the actor/outlet alias matcher does.
"""

from __future__ import annotations

import bisect
import os
import sqlite3
import subprocess
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from .textnorm import ARABIC_PROCLITICS, TOKEN, fold, fold_with_offsets, is_arabic, tokens

CHUNK = 900  # SQL parameters per query (well under SQLite's limit)


class GazetteerError(Exception):
    """The index is missing or unusable and could not be rebuilt (one line, says what to run)."""


@dataclass(frozen=True)
class PlaceEntry:
    id: str  # curated id, "gn:<geonameid>", "adm1:<CC.a1>", "adm2:<CC.a1.a2>", "cc:<CC>"
    name: str
    kind: str  # country | admin1 | admin2 | populated | city | base | camp | region | river | …
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None  # display (ACLED) name of the admin1 unit
    geonames_id: int | None
    population: int = 0
    curated: bool = False
    aliases: tuple[str, ...] = ()
    admin2: str | None = None
    a1: str | None = None  # GeoNames admin1 code
    a2: str | None = None  # GeoNames admin2 code


@dataclass(frozen=True)
class CountryInfo:
    cc: str
    name: str
    acled_name: str
    region: str | None
    iso_numeric: int | None
    entry_id: str | None
    capital_id: str | None


@dataclass(frozen=True)
class GazMatch:
    start: int
    end: int
    entries: tuple[PlaceEntry, ...]  # empty for a demonym-only match
    demonym_of: tuple[str, ...] = ()  # countries a demonym names ("Burkinabe" → BF)


# ---------------------------------------------------------------- where the index lives
def default_path() -> Path:
    env = os.environ.get("VEILLE_GAZETTEER")
    if env:
        return Path(env)
    from .gazetteer_build import fingerprint

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "veille"
    return cache / f"gazetteer-{fingerprint()}.sqlite"


def index_ok(path: Path) -> bool:
    """A complete index that SQLite can read, built by this code from these inputs."""
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta"))
            con.execute("SELECT rid FROM places LIMIT 1").fetchall()
            con.execute("SELECT key FROM names LIMIT 1").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    from .gazetteer_build import SCHEMA_VERSION, fingerprint

    # the build recipe's stamp: an index built by other code or data (a fixed $VEILLE_GAZETTEER path
    # kept across upgrades) is stale and is rebuilt, never read with the new code
    return (meta.get("complete") == "1" and meta.get("schema") == str(SCHEMA_VERSION)
            and meta.get("fingerprint") == fingerprint())


def build_index(path: Path, quiet: bool = True) -> None:
    """Build in a child process (the build peaks near 1 GB; the caller's memory stays as it was)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fh = open(path.with_name(path.name + ".lock"), "w")
    except OSError as e:
        raise GazetteerError(f"gazetteer index {path}: cannot write there ({e.strerror}); set VEILLE_GAZETTEER "
                             f"to a writable file path and run `veille gazetteer build`") from None
    import fcntl

    with lock_fh as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # one builder; the others wait, then find it built
        if index_ok(path):
            return
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        proc = subprocess.run([sys.executable, "-m", "veille.enrich.gazetteer_build", str(path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None, text=True)
        if proc.returncode != 0 or not index_ok(path):
            raise GazetteerError(f"gazetteer index {path}: build failed (run `veille gazetteer build` to see why)")


def ensure_index(path: Path | None = None) -> Path:
    path = path or default_path()
    if index_ok(path):
        return path
    if path.exists():  # corrupt or from another schema: rebuilt, never half-read
        try:
            path.unlink()
        except OSError as e:
            raise GazetteerError(f"gazetteer index {path}: unreadable and cannot be removed ({e.strerror}); "
                                 f"delete it and run `veille gazetteer build`") from None
    build_index(path)
    return path


# ---------------------------------------------------------------- the gazetteer
_COLS = "rid, id, name, kind, lat, lon, country, admin1, geonames_id, population, curated, aliases, admin2, a1, a2"


def _entry(row) -> PlaceEntry:
    return PlaceEntry(id=row[1], name=row[2], kind=row[3], lat=row[4], lon=row[5], country=row[6], admin1=row[7],
                      geonames_id=row[8], population=row[9] or 0, curated=bool(row[10]),
                      aliases=tuple(a for a in (row[11] or "").split("|") if a), admin2=row[12], a1=row[13], a2=row[14])


def _case_ok(flags: int, original: str) -> bool:
    if flags & 3 == 0:
        return True
    letters = [c for c in original if c.isalpha()]
    if not letters:
        return True
    if flags & 2:
        return all(c.isupper() for c in letters)
    return letters[0].isupper()


class Gazetteer:
    """Lookups over the on-disk index; the connection opens at first use."""

    def __init__(self, path: Path | None = None):
        self._path = path
        self._con: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[int, PlaceEntry] = OrderedDict()
        self._by_id: dict[str, int] = {}
        self._countries: dict[str, CountryInfo] | None = None
        self._fuzzy: dict[str, list[str]] = {}

    # -- plumbing
    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = default_path()
        return self._path

    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            path = ensure_index(self.path)
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            con.execute("PRAGMA cache_size=-4000")  # 4 MB of pages: bounded memory
            self._con = con
        return self._con

    def _query(self, sql: str, params=()) -> list:
        with self._lock:
            try:
                return self._db().execute(sql, params).fetchall()
            except sqlite3.DatabaseError as e:
                raise GazetteerError(f"gazetteer index {self.path}: {e} (delete it and run `veille gazetteer build`)") \
                    from None

    def _entries(self, rids) -> dict[int, PlaceEntry]:
        out: dict[int, PlaceEntry] = {}
        missing = []
        for rid in rids:
            e = self._cache.get(rid)
            if e is None:
                missing.append(rid)
            else:
                out[rid] = e
        for i in range(0, len(missing), CHUNK):
            part = missing[i:i + CHUNK]
            for row in self._query(f"SELECT {_COLS} FROM places WHERE rid IN ({','.join('?' * len(part))})", part):
                e = _entry(row)
                out[row[0]] = e
                self._cache[row[0]] = e
                self._by_id[e.id] = row[0]
        while len(self._cache) > 20000:
            _, old = self._cache.popitem(last=False)
            self._by_id.pop(old.id, None)
        return out

    def meta(self) -> dict[str, str]:
        return dict(self._query("SELECT key, value FROM meta"))

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # -- lookups
    def _names(self, keys: list[str]) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = {}
        for i in range(0, len(keys), CHUNK):
            part = keys[i:i + CHUNK]
            for key, rid, flags in self._query(
                    f"SELECT key, rid, flags FROM names WHERE key IN ({','.join('?' * len(part))})", part):
                out.setdefault(key, []).append((rid, flags))
        return out

    def lookup(self, name: str, country: str | None = None, demonyms: bool = False,
               exact_case: bool = False) -> list[PlaceEntry]:
        """Every place a name may mean, optionally in one country, curated first, then by population.
        ``exact_case``: the name as written in a text ("north west" is not "Northwest")."""
        key = " ".join(tokens(fold(name)))
        if not key:
            return []
        hits = self._names([key]).get(key, [])
        rids = [rid for rid, flags in hits if (demonyms or not flags & 4) and (not exact_case or _case_ok(flags, name))]
        ents = list(self._entries(rids).values())
        if country:
            ents = [e for e in ents if e.country == country.upper()]
        return sorted(ents, key=lambda e: (not e.curated, -(e.population or 0), e.id))

    def entry(self, pid: str) -> PlaceEntry | None:
        rid = self._by_id.get(pid)
        if rid is not None and rid in self._cache:
            return self._cache[rid]
        rows = self._query(f"SELECT {_COLS} FROM places WHERE id = ?", (pid,))
        if not rows:
            return None
        return self._entries([rows[0][0]])[rows[0][0]]

    def admin_unit(self, country: str | None, a1: str | None, a2: str | None = None) -> PlaceEntry | None:
        """The admin1 unit (or, with ``a2``, the admin2 unit) of these GeoNames codes."""
        if not country or not a1:
            return None
        if a2:
            rows = self._query("SELECT rid FROM places WHERE country=? AND a1=? AND a2=? AND kind='admin2'",
                               (country, a1, a2))
        else:
            rows = self._query("SELECT rid FROM places WHERE country=? AND a1=? AND a2 IS NULL AND kind='admin1' "
                               "ORDER BY curated DESC LIMIT 1", (country, a1))
        return self._entries([rows[0][0]])[rows[0][0]] if rows else None

    def governorate(self, country: str | None, admin1: str | None) -> PlaceEntry | None:
        """The admin1 unit named ``admin1`` (display spelling) in ``country``."""
        if not country or not admin1:
            return None
        rows = self._query("SELECT rid FROM places WHERE country=? AND admin1=? AND kind='admin1' "
                           "ORDER BY curated DESC LIMIT 1", (country, admin1))
        return self._entries([rows[0][0]])[rows[0][0]] if rows else None

    def countries(self) -> dict[str, CountryInfo]:
        if self._countries is None:
            rows = self._query("SELECT c.cc, c.name, c.acled_name, c.region, c.iso_numeric, p.id, q.id "
                               "FROM countries c LEFT JOIN places p ON p.rid = c.rid "
                               "LEFT JOIN places q ON q.rid = c.capital_rid")
            self._countries = {r[0]: CountryInfo(*r) for r in rows}
        return self._countries

    def country(self, cc: str | None) -> CountryInfo | None:
        return self.countries().get((cc or "").upper()) if cc else None

    def curated(self, kind: str | None = None) -> list[PlaceEntry]:
        rows = self._query("SELECT rid FROM places WHERE curated = 1" + (" AND kind = ?" if kind else ""),
                           (kind,) if kind else ())
        return list(self._entries([r[0] for r in rows]).values())

    def fuzzy_keys(self, country: str, first: str | None = None) -> list[str]:
        """Name keys of one country's places (≥ 5 characters), sorted; with ``first``, only those
        starting with it. Fuzzy matching stays inside the countries an article is about, so the
        world's 750k names are never scanned; the build stores each country's keys as one range
        of an index (``country_keys``), so a new country costs milliseconds."""
        if country not in self._fuzzy:
            rows = self._query("SELECT key FROM country_keys WHERE cc = ? ORDER BY key", (country,))
            self._fuzzy[country] = [r[0] for r in rows]
            if len(self._fuzzy) > 8:
                self._fuzzy.pop(next(iter(self._fuzzy)))
        keys = self._fuzzy[country]
        if not first:
            return keys
        lo = bisect.bisect_left(keys, first)
        return keys[lo:bisect.bisect_left(keys, first + "\U0010ffff", lo)]

    # -- matching running text
    def find(self, text: str, max_matches: int = 5000) -> list[GazMatch]:
        """Longest non-overlapping name matches in ``text``, left to right, with offsets into it."""
        if not text:
            return []
        folded, offsets = fold_with_offsets(text)
        spans = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(folded)]
        toks = [s[2] for s in spans]
        n = len(toks)
        # first tokens, with Arabic proclitics stripped (بالرقة → رقة / الرقة)
        variants: list[list[str]] = []
        for t in toks:
            vs = [t]
            if is_arabic(t):
                for pre in ARABIC_PROCLITICS:
                    if t.startswith(pre) and len(t) - len(pre) >= 3:
                        bare = t[len(pre):]
                        vs += [bare, "ال" + bare]
            variants.append(vs)
        firsts = sorted({v for vs in variants for v in vs})
        longest: dict[str, int] = {}
        for i in range(0, len(firsts), CHUNK):
            part = firsts[i:i + CHUNK]
            longest.update(self._query(f"SELECT tok, maxlen FROM firsts WHERE tok IN ({','.join('?' * len(part))})",
                                       part))
        keys: set[str] = set()
        for i in range(n):
            for v in variants[i]:
                k_max = min(longest.get(v, 0), n - i)
                for k in range(1, k_max + 1):
                    keys.add(" ".join([v, *toks[i + 1:i + k]]))
        hits = self._names(sorted(keys)) if keys else {}
        out: list[GazMatch] = []
        i = 0
        while i < n and len(out) < max_matches:
            best_len, best = 0, []
            for v in variants[i]:
                for k in range(min(longest.get(v, 0), n - i), best_len - 1, -1):
                    if k == 0:
                        break
                    key = " ".join([v, *toks[i + 1:i + k]])
                    if key not in hits:
                        continue
                    s = offsets[spans[i][0]]
                    e = offsets[spans[i + k - 1][1] - 1] + 1
                    ok = [(rid, flags) for rid, flags in hits[key] if _case_ok(flags, text[s:e])]
                    if not ok:
                        continue
                    if k > best_len:
                        best_len, best = k, ok
                    elif k == best_len:
                        best += ok
                    break
            if best_len:
                s = offsets[spans[i][0]]
                e = offsets[spans[i + best_len - 1][1] - 1] + 1
                if best_len == 1 and toks[i] in _DIRECTION_WORDS and _hyphen_part(text, s, e):
                    i += 1  # "Darfour-Nord", "Kordofan-Sud": a direction inside a compound is no place
                    continue
                out.append(GazMatch(s, e, tuple(r for r, _ in best if not _ & 4),  # type: ignore[arg-type]
                                    tuple(r for r, f in best if f & 4)))  # type: ignore[arg-type]
                i += best_len
            else:
                i += 1
        # rids → entries (one query for the article)
        rids = sorted({r for m in out for r in (*m.entries, *m.demonym_of)})
        ents = self._entries(rids)
        final = []
        for m in out:
            places = tuple(sorted((ents[r] for r in m.entries if r in ents), key=lambda e: e.id))
            dem = tuple(sorted({ents[r].country for r in m.demonym_of if r in ents and ents[r].country}))
            final.append(GazMatch(m.start, m.end, places, dem))
        return final


_DIRECTION_WORDS = frozenset({"nord", "sud", "est", "ouest", "north", "south", "east", "west", "centre", "center",
                              "central", "norte", "sur", "sul", "oeste", "leste"})


def _hyphen_part(text: str, s: int, e: int) -> bool:
    """The span is one part of a hyphenated word ("Darfour-Nord")."""
    before = s >= 2 and text[s - 1] in "-‐–" and text[s - 2].isalpha()
    after = e + 1 < len(text) and text[e] in "-‐–" and text[e + 1].isalpha()
    return before or after


_DEFAULT: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process's gazetteer at the default path (Resources hands the same object down)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer()
    return _DEFAULT
