"""The development sets that carry a toll, as (article, gold, group) rows, for the toll benchmarks and the
training script of the learned toll scorer.

Every row has a ``group``: the incident (or story) it reports, so cross-validation folds never put two
reports of one incident on both sides (GVA: ``story_id``; Airwars: the incident id; ACLED: the record;
FA-KES: rows of one governorate whose dates are at most two days apart, joined transitively — the set has
no incident id and several outlets report one attack).

Gold (the data README): FA-KES killed = nb_civilians + nb_noncivilians; GVA killed/injured = the incident's
final totals (an early article may report fewer); Airwars killed/killed_max = the civilian range the
sources give (None = unknown); ACLED killed = the coded fatalities.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from veille.records import Article

DATA = Path("/work/shared/data")


@dataclass(frozen=True)
class Row:
    set: str  # fakes | gva | airwars | acled
    article: Article
    group: str
    killed: int | None  # None: unknown
    killed_max: int | None = None
    injured: int | None = None
    injured_max: int | None = None

    def killed_ok(self, value: int | None) -> bool:
        v = value or 0
        lo = self.killed or 0
        hi = self.killed_max if self.killed_max is not None else lo
        return lo <= v <= max(lo, hi)


def fakes(path: Path = DATA / "fakes-dev" / "fakes-dev.csv") -> list[Row]:
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    dated = [(datetime.strptime(r["date"], "%m/%d/%y").date(), r) for r in rows]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (di, ri) in enumerate(dated):
        for j in range(i):
            dj, rj = dated[j]
            if ri["location"] == rj["location"] and abs((di - dj).days) <= 2:
                parent[find(i)] = find(j)
    out = []
    for i, (d, r) in enumerate(dated):
        art = Article(id=f"fakes-{r['unit_id']}", text=r["article_content"], title=r["article_title"],
                      published_at=d.isoformat(), date_precision="day", language="en", outlet=r.get("source") or None)
        killed = int(r["nb_civilians"] or 0) + int(r["nb_noncivilians"] or 0)
        out.append(Row("fakes", art, f"fakes-{find(i)}", killed))
    return out


def gva(path: Path = DATA / "stories-dev" / "gva-dev.jsonl") -> list[Row]:
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        art = Article(id=f"gva-{r['id']}", text=r["text"], title=r.get("title") or None,
                      published_at=(r.get("date") or "")[:10] or None, date_precision="day", language="en",
                      outlet=r.get("source") or None)
        out.append(Row("gva", art, f"gva-{r['story_id']}", int(r["killed"]), None, int(r["injured"])))
    return out


def _int(x) -> int | None:
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def airwars(path: Path = DATA / "events-world-dev" / "airwars-gaza-dev.jsonl") -> list[Row]:
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        art = Article(id=f"airwars-{r['id']}", text=r["text"], title=None, published_at=r.get("date"),
                      date_precision="day", language="en", outlet=None)
        out.append(Row("airwars", art, f"airwars-{r['id']}", _int(r.get("killed")), _int(r.get("killed_max")),
                       _int(r.get("injured")), _int(r.get("injured_max"))))
    return out


def acled(path: Path = DATA / "events-world-dev" / "acled-burkina-dev.jsonl") -> list[Row]:
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        art = Article(id=f"acled-{r['id']}", text=r["text"], title=None, published_at=r.get("date"),
                      date_precision="day", language="en", outlet=None)
        out.append(Row("acled", art, f"acled-{r['id']}", _int(r.get("killed"))))
    return out


LOADERS = {"fakes": fakes, "gva": gva, "airwars": airwars, "acled": acled}


def load(names=("fakes", "gva", "airwars", "acled")) -> list[Row]:
    return [row for name in names for row in LOADERS[name]()]


def fold_of(group: str, k: int = 5) -> int:
    """The fold of an incident: a hash of its group id, so one incident's rows share a fold, run to run."""
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % k

