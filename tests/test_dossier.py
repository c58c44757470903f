"""The dossier: self-contained index.html with cross-checks, map data and timeline; digest.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from publish_fixture import HOSTILE_ID, HOSTILE_JSONL_ID, IDLIB, MANBIJ, PRESSTV_RUSSIA, build_store
from veille.publish.dossier import collect, write_dossier
from veille.publish.safe import csp_hash
from veille.settings import Settings
from veille.store import Store


@pytest.fixture(scope="module")
def dossier(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("dossier")
    db = build_store(base / "v.db")
    with Store(db) as store:
        return write_dossier(store, Settings(db=db, out=base / "out", outlet_files=()))


@pytest.fixture(scope="module")
def html(dossier) -> str:
    return (dossier / "index.html").read_text(encoding="utf-8")


def _entry(html: str, article_id: str) -> str:
    m = re.search(rf'<article class="entry" id="a-{article_id}">(.*?)</article>', html, re.S)
    assert m, article_id
    return m.group(1)


def test_writes_every_file(dossier):
    for name in ("index.html", "digest.md", "articles.jsonl", "claims.jsonl", "stories.jsonl", "contradictions.jsonl",
                 "events.csv", "events.geojson"):
        assert (dossier / name).stat().st_size > 0, name


def test_self_contained_no_external_resource(html):
    # nothing the browser would fetch: no external script/style/img/font, no @import or url(http…)
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)\b[^>]*\s(src|href)\s*=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html
    assert "L.map" not in html or "leaflet" in html.lower()  # Leaflet itself is inlined
    assert "Leaflet" in html and '"type":"FeatureCollection"' in html  # vendored lib + basemap inlined


def test_csp_allows_exactly_the_inline_scripts(html):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1).replace("&#39;", "'")
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "default-src 'none'" in csp
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 2
    assert set(script_src.split()) == {csp_hash(s) for s in inline}


def test_entries_newest_first_with_outlet_label_and_source(html):
    sections = re.findall(r'<section aria-labelledby="sec-\d+">(.*?)</section>', html, re.S)
    assert len(sections) == 2  # SYRIE (the review) and "Articles" (the JSON-lines item has no section)
    total = 0
    for sec in sections:
        dates = re.findall(r'<article class="entry" id="a-[^"]+">.*?<time datetime="([^"]*)"', sec, re.S)
        assert dates == sorted(dates, reverse=True)  # newest first within each section
        total += len(dates)
    assert total == 13
    e = _entry(html, MANBIJ)
    assert "SYRIE: REVENDIQUEE PAR DAECH" in e
    assert "Sputnik" in e and "Rossiya Segodnya" in e  # outlet and its label
    assert 'href="https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/"' in e
    assert "<details><summary>Texte intégral" in e  # full text folded under the lead


def test_crosscheck_box_other_outlets_figures_contradiction(html):
    e = _entry(html, MANBIJ)
    box = re.search(r'<aside class="crosscheck".*?</aside>', e, re.S).group(0)
    assert f'href="#a-{PRESSTV_RUSSIA}">PressTV</a>' in box  # the other outlet on the story
    contra = re.search(r'<p class="contradiction" role="note">(.*?)</p>', box, re.S).group(1)
    assert "2 selon Kurdistan 24 (via Sputnik) contre 5 selon Yeni Şafak (via Sputnik)" in contra
    # figures side by side with their speakers; the contested row is marked
    assert "au moins 9</strong> <span class=\"who\">selon Al Jazeera ← une source sur place (via Sputnik)" in box
    assert re.search(r'soldats américains</th>\s*<td class="contested">', box)
    # the other article of the story shows the same contradiction
    assert "Yeni Şafak" in _entry(html, PRESSTV_RUSSIA)


def test_map_data_and_timeline(html):
    raw = re.search(r'<script type="application/json" id="veille-map-data">(.*?)</script>', html, re.S).group(1)
    events = {e["id"]: e for e in json.loads(raw)["events"]}
    manbij = events["ev-manbij"]
    assert (manbij["lat"], manbij["lon"], manbij["fatalities"]) == (36.5281, 37.9549, 9)
    assert any(c["speakers"].startswith("Al Jazeera") for c in manbij["claims"])
    assert manbij["links"][0]["href"] == f"#a-{MANBIJ}"
    assert "ev-idlib" in events  # an article-level event no story covers is still mapped
    days = re.findall(r'<li><time datetime="(\d{4}-\d{2}-\d{2})">', html)
    assert days == sorted(days) and "2019-01-16" in days and "2019-01-09" in days
    jan16 = re.search(r'<li><time datetime="2019-01-16">.*?</ul>', html, re.S).group(0)
    assert "11 mort(s)" in jan16  # Manbij (9) + the hostile fixture's event (2), same day
    assert f'href="#a-{MANBIJ}"' in jan16


def test_print_and_phone_styles(html):
    assert "@media print" in html and "@media (max-width: 40rem)" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_hostile_article_is_escaped(html):
    e = _entry(html, HOSTILE_ID)
    assert "&lt;script&gt;alert(&#39;xss-title&#39;)&lt;/script&gt;" in e
    assert not re.search(r"<(script|img|svg|iframe)\b", e, re.I)
    assert 'href="javascript:' not in html.lower()
    j = _entry(html, HOSTILE_JSONL_ID)  # ingested through the JSON-lines importer
    assert "&lt;script&gt;alert(&#39;jsonl-title&#39;)&lt;/script&gt;&lt;svg/onload=alert(&#39;svg&#39;)&gt;" in j
    assert not re.search(r"<(script|img|svg|iframe|textarea|style)\b", j, re.I)
    markup = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)  # outside data blocks and the vendored JS
    assert "onerror=" not in re.sub(r"&lt;.*?&gt;", "", markup)
    raw = re.search(r'id="veille-map-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and "\u2028" not in raw  # JSON inside <script> cannot close it
    assert any(e.get("location") == "<img src=x onerror=alert('loc')>" for e in json.loads(raw)["events"])


def test_digest_shaped_like_the_review(dossier):
    md = (dossier / "digest.md").read_text(encoding="utf-8")
    sample = (Path(__file__).resolve().parents[1] / "examples" / "revue-syrie-2019-01.txt").read_text(encoding="utf-8")
    assert md.startswith("# SYRIE")
    # every reviewer headline of the sample appears as a heading, in the dossier's newest-first order
    heads = [h for h in re.findall(r"^## (.+)$", md, re.M)]
    for h in ("SYRIE: REVENDIQUEE PAR DAECH, A MANBIJ", "LA RUSSIE MULTIPLIE LE NOMBRE DE SES SOLDATS EN SYRIE"):
        assert any(x.startswith(h) for x in heads) and h in sample
    assert "<https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/>" in md
    assert ("Contradiction — tués (soldats américains), entre médias** : 2 selon Kurdistan 24 (via Sputnik) contre "
            "5 selon Yeni Şafak (via Sputnik)") in md
    assert "> - 2 — Kurdistan 24 (via Sputnik), 16 janvier 2019" in md  # each value, who says it and when
    assert "> Sur la même histoire : PressTV — Moscou renforce sa police militaire" in md
    assert not re.search(r"^>.*\n(<http|## )", md, re.M)  # each quote block ends before the link/next entry
    assert "<script>" not in md.split("\n## ", 1)[1]  # untrusted tags neutralised for Markdown renderers
    assert "&lt;script&gt;alert('xss-body')" in md


def test_collect_filters_by_topic_and_dates(tmp_path):
    db = build_store(tmp_path / "v.db", hostile=False)
    with Store(db) as store:
        d = collect(store, Settings(db=db, topic="Idlib", outlet_files=()))
        assert IDLIB in {e.article.id for e in d.entries} and MANBIJ not in {e.article.id for e in d.entries}
        d = collect(store, Settings(db=db, since="2019-01-15", until="2019-01-15", outlet_files=()))
        assert {e.article.published_at[:10] for e in d.entries} == {"2019-01-15"}


def test_contradictions_listed_at_the_top(html):
    top = re.search(r'<header class="site">(.*?)</header>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", top, re.S)
    assert len(items) == 1  # one contradiction in the fixture, listed once though two entries show it
    assert f'href="#a-{MANBIJ}"' in items[0] and "2 selon Kurdistan 24" in items[0]


def test_dossier_without_analysis(tmp_path):
    """Only ingested (no claims, events, stories yet): the dossier still renders, map empty, no cross-check."""
    from veille.pipeline import ingest
    from publish_fixture import SAMPLE

    db = tmp_path / "v.db"
    with Store(db) as store:
        ingest([str(SAMPLE)], Settings(db=db, outlet_files=()), store)
        out = write_dossier(store, Settings(db=db, out=tmp_path / "out", outlet_files=()))
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('<article class="entry"') == 10
    assert '<aside class="crosscheck"' not in html and "Aucun événement localisé." in html
    assert '{"events":[],"labels":' in html  # no event; the map's labels in the dossier's language
