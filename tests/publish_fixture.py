"""A store for the publish tests: the real sample review, plus analysis records built by hand.

Why hand-built analysis: the claim/event/story/contradiction stages are developed in
parallel; the records below follow DESIGN §2 and the sample's own Manbij story (9 dead per a
source cited by Al Jazeera; 2 US soldiers per Kurdistan 24 vs 5 per Yeni Şafak), with
offsets found in the real text. A hostile article (script tags, event handlers,
javascript: links in title, text and URL) is inserted next to them, and the same kind of
text is ingested through the real importers (a crafted review and a JSON-lines file).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from veille.pipeline import ingest
from veille.records import Article, Claim, Contradiction, ContradictionValue, Event, Mention, Place, Story
from veille.settings import Settings
from veille.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "revue-syrie-2019-01.txt"
HOSTILE_REVIEW = ROOT / "tests" / "fixtures" / "hostile-review.txt"
HOSTILE_JSONL = ROOT / "tests" / "fixtures" / "hostile.jsonl"
HOSTILE_JSONL_ID = "hostile-jsonl-1"
MANBIJ = "19df500aa2c46e04"  # Sputnik, 2019-01-16
PRESSTV_RUSSIA = "7a222980c1c7218d"  # PressTV, 2019-01-15
IDLIB = "b08244c141417156"  # PressTV, 2019-01-10
HOSTILE_ID = "hostile000000001"
HOSTILE_TITLE = "<script>alert('xss-title')</script><img src=x onerror=alert('img')>"
HOSTILE_TEXT = ("Manbij <script>alert('xss-body')</script> deux morts.\n\n"
                "<a href=\"javascript:alert('js-link')\" id=\"injected\">clic</a> "
                "<svg onload=alert('svg')></svg> </script><script>alert('breakout')</script> \u2028 fin")


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    i = text.index(needle, after)
    return i, i + len(needle)


def build_store(path: Path, *, hostile: bool = True) -> Path:
    """Create a DB at ``path`` with the sample, hand-built analysis and (optionally) the hostile article."""
    settings = Settings(db=path, outlet_files=())
    with Store(path) as store:
        report = ingest([str(SAMPLE)] + ([str(HOSTILE_REVIEW), str(HOSTILE_JSONL)] if hostile else []), settings, store)
        assert not report.errors, report.errors
        art = store.get_article(MANBIJ)
        t = art.text
        s9, e9 = _span(t, "la déflagration survenue lors du passage d'une patrouille états-unienne a fait au moins neuf morts")
        n9 = _span(t, "au moins neuf morts")
        s2, e2 = _span(t, "deux militaires américains ont trouvé la mort")
        s5, e5 = _span(t, "cinq victimes parmi les militaires US")
        c9 = Claim("c-manbij-9", MANBIJ, "killed", 9, 9, "at_least", "people", t[s9:e9], s9, e9,
                   ("Al Jazeera", "une source sur place"), "ev-manbij", number_text="au moins neuf", number_start=n9[0],
                   number_end=n9[0] + len("au moins neuf"))
        c2 = Claim("c-manbij-2", MANBIJ, "killed", 2, 2, "exact", "US soldiers", t[s2:e2], s2, e2, ("Kurdistan 24",), "ev-manbij",
                   number_text="deux", number_start=s2, number_end=s2 + 4)
        c5 = Claim("c-manbij-5", MANBIJ, "killed", 5, 5, "exact", "US soldiers", t[s5:e5], s5, e5, ("Yeni Şafak",), "ev-manbij",
                   number_text="cinq", number_start=s5, number_end=s5 + 4)
        ms, me = _span(t, "Manbij")
        places = (Place("Manbij", 36.5281, 37.9549, "SY", "Aleppo", 167357, ms, me, "sy-manbij"),)
        ev = Event("ev-manbij", "2019-01-16", 1, "Explosions/Remote violence", "Remote explosive/landmine/IED",
                   "Islamic State (Syria)", "Military Forces of the United States", "Syria", "Aleppo", "Manbij",
                   36.5281, 37.9549, 1, ("sputnik",), "Explosion near a US patrol in Manbij.", 9,
                   ("c-manbij-9", "c-manbij-2", "c-manbij-5"), (MANBIJ,))
        mentions = [Mention(MANBIJ, *_span(t, "Daech"), "ORG", "daech", "Daech"),
                    Mention(MANBIJ, *_span(t, "Al Jazeera"), "ORG", "aljazeera", "Al Jazeera"),
                    Mention(MANBIJ, ms, me, "LOC", "sy-manbij", "Manbij")]
        store.update_article(dataclasses.replace(art, places=places, main_event=ev))
        store.replace_analysis(MANBIJ, mentions=mentions, claims=[c9, c2, c5], events=[ev])

        idlib = store.get_article(IDLIB)
        i0, i1 = _span(idlib.text, "Idlib")
        ev_idlib = Event("ev-idlib", "2019-01-10", 1, "Strategic developments", "Headquarters or base established",
                         "Military Forces of Syria", None, "Syria", "Idlib", "Idlib", 35.9306, 36.6339, 2, ("presstv",),
                         None, 0, (), (IDLIB,))
        store.update_article(dataclasses.replace(idlib, places=(Place("Idlib", 35.9306, 36.6339, "SY", "Idlib", None, i0, i1),),
                                                 main_event=ev_idlib))
        store.replace_analysis(IDLIB, events=[ev_idlib])

        story = Story("st-manbij", "Explosion à Manbij près d'une patrouille US", "2019-01-15", "2019-01-16",
                      (MANBIJ, PRESSTV_RUSSIA), ("sputnik", "presstv"), ("fr",))
        contra = Contradiction("ct-manbij-us", "st-manbij", "killed", "US soldiers", (
            ContradictionValue(2, 2, "exact", "sputnik", ("Kurdistan 24",), MANBIJ, "c-manbij-2"),
            ContradictionValue(5, 5, "exact", "sputnik", ("Yeni Şafak",), MANBIJ, "c-manbij-5")))
        stories, contras, story_events = [story], [contra], [("st-manbij", ev)]

        if hostile:
            h = Article(HOSTILE_ID, HOSTILE_TEXT, url="javascript:alert('url')", outlet="sputnik", section="SYRIE",
                        headline="<b onmouseover=alert('hl')>HOSTILE</b>", title=HOSTILE_TITLE,
                        published_at="2019-01-16T09:00", language="fr", authors=("<img src=x onerror=alert('au')>",),
                        places=(Place("<script>alert('place')</script>", 36.53, 37.95, "SY", None, None, 0, 6),))
            store.upsert_article(h)
            hs, he = _span(HOSTILE_TEXT, "deux morts")
            hc = Claim("c-hostile", HOSTILE_ID, "killed", 2, 2, "exact", "<i>people</i>", HOSTILE_TEXT[hs:he], hs, he,
                       ("<script>alert('speaker')</script>",), "ev-hostile")
            hev = Event("ev-hostile", "2019-01-16", 1, "Explosions/Remote violence", "Remote explosive/landmine/IED",
                        location="<img src=x onerror=alert('loc')>", latitude=36.6, longitude=38.0, fatalities=2,
                        claims=("c-hostile",), articles=(HOSTILE_ID,), notes="</script><script>alert('notes')</script>")
            store.replace_analysis(HOSTILE_ID, claims=[hc], events=[hev],
                                   mentions=[Mention(HOSTILE_ID, 0, 6, "<script>", "\"><script>alert('m')</script>")])
            hstory = Story("st-hostile", "<script>alert('story')</script>", "2019-01-16", "2019-01-16", (HOSTILE_ID,),
                           ("sputnik",), ("fr",))
            stories.append(hstory)
            story_events.append(("st-hostile", hev))
        store.replace_stories(stories, contras, story_events)
    return path
