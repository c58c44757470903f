"""Alert rules on stored records (no analysis): each fact alerts once, whatever re-runs; the story,
named and event rules; the outbox retries with back-off and never drops an alert."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from veille.records import Article, Claim, Event, Story
from veille.store import Store
from veille.watch.alerts import find_alerts, raise_alerts
from veille.watch.deliver import backoff, deliver_due
from veille.watch.spec import parse_watch
from veille.watch.state import WatchState

WATCH = '''name = "w"
[filters]
query = "Manbij OR منبج"
[review]
language = "en"
[[alerts]]
name = "big"
when = "event"
min_deaths = 5
places = ["Manbij"]
[[alerts]]
name = "spread"
when = "story"
min_outlets = 3
second_language = true
[[alerts]]
name = "who"
when = "named"
names = ["Hayat Tahrir al-Sham"]
[deliver]
terminal = true
atom = false
'''


def _article(i: str, outlet: str, lang: str, text: str, fatalities: int | None = None) -> Article:
    ev = Event(f"e{i}", "2019-01-16", 1, "Explosions/Remote violence", "Suicide bomb", country="SY", location="Manbij",
               admin1="Aleppo", fatalities=fatalities, articles=(f"a{i}",), claims=(f"c{i}",)) if fatalities else None
    return Article(f"a{i}", text, url=f"https://{outlet}.example/{i}", canonical_url=f"https://{outlet}.example/{i}", outlet=outlet,
                   title=text[:40], published_at=f"2019-01-16T0{i}:00", language=lang, main_event=ev)


def _fill(store: Store, n_outlets: int) -> None:
    outlets = ["sputnik", "presstv", "sana", "almanar"][:n_outlets]
    langs = ["fr", "fr", "ar", "en"]
    texts = {"fr": "Un attentat à Manbij a fait 9 morts, selon une source.",
             "ar": "قتل 9 أشخاص في تفجير في منبج، بحسب مصدر.",
             "en": "A bombing in Manbij killed 9 people, Hayat Tahrir al-Sham said."}
    arts = [_article(str(k + 1), o, langs[k], texts[langs[k]], 9 if k == 0 else None) for k, o in enumerate(outlets)]
    with store.transaction():
        for a in arts:
            store.upsert_article(a)
            store.update_article(a)
        c = Claim("c1", "a1", "killed", 9, 9, "exact", "people", arts[0].text, 0, 50, ("une source",), "e1")
        store.replace_analysis("a1", claims=[c], events=[arts[0].main_event])
        store.replace_stories([Story("s1", "Manbij bombing", "2019-01-16", "2019-01-16", tuple(a.id for a in arts),
                                     tuple(outlets), tuple(sorted(set(langs[:n_outlets]))))])


def test_rules_and_once_only(store):
    spec = parse_watch(WATCH, "w.toml")
    now = "2019-01-16T12:00:00+00:00"
    with store.transaction():
        WatchState(store).put_watch(spec, now)
    _fill(store, 2)
    first = raise_alerts(store, spec, now)
    assert [a["title"] for a in first] == ["Manbij (Syria): Suicide bomb, 9 dead according to une source (via Sputnik)"]
    assert first[0]["titles"]["fr"] == "Manbij (Syrie) : Attentat-suicide, 9 mort(s) selon une source (via Sputnik)"
    assert first[0]["span"] == {"start": 0, "end": 50} and first[0]["link"] == "/article/a1#span-0-50"
    assert raise_alerts(store, spec, now) == []  # the same facts: nothing new
    _fill(store, 4)  # the story reaches 4 outlets and a second language; an English article names HTS
    later = raise_alerts(store, spec, "2019-01-16T13:00:00+00:00")
    assert len(later) == 3, [a["title"] for a in later]
    assert any("now carried by 4 outlets" in a["title"] for a in later)
    assert any("now appears in Arabic, French" in a["title"] or "now appears in Arabic, English, French" in a["title"] for a in later)
    named = [a for a in later if a["title"].startswith("Hayat Tahrir al-Sham named")]
    assert len(named) == 1
    art = store.get_article(named[0]["article_id"])
    assert art.text[named[0]["span"]["start"]:named[0]["span"]["end"]] == "Hayat Tahrir al-Sham"
    assert raise_alerts(store, spec, "2019-01-16T14:00:00+00:00") == []
    assert len(WatchState(store).alerts("w")) == 4


def test_outbox_backs_off_and_never_drops(store):
    spec = parse_watch(WATCH, "w.toml")
    now = datetime(2019, 1, 16, 12, tzinfo=timezone.utc)
    with store.transaction():
        WatchState(store).put_watch(spec, now.isoformat())
    _fill(store, 2)
    raise_alerts(store, spec, now.isoformat())
    calls = []

    def broken(line):
        calls.append(line)
        raise OSError("terminal closed")

    r = deliver_due(store, {"w": spec}, now, echo=broken)
    assert r.failed == 1 and r.delivered == 0 and "retrying" in r.errors[0]
    assert deliver_due(store, {"w": spec}, now + timedelta(seconds=10), echo=broken).failed == 0  # not due yet
    for k in range(2, 8):
        deliver_due(store, {"w": spec}, now + timedelta(hours=k), echo=broken)
    (pending,) = WatchState(store).pending("w")
    assert pending.attempts == 7 and "terminal closed" in pending.last_error
    got = []
    r = deliver_due(store, {"w": spec}, now + timedelta(days=2), echo=got.append)
    assert r.delivered == 1 and got and WatchState(store).pending("w") == []
    assert [backoff(n) for n in (1, 2, 3, 10)] == [30.0, 60.0, 120.0, 3600.0]
