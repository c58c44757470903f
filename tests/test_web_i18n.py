"""The web UI in French and in English: chosen per request (?ui=, cookie, Accept-Language) or by a setting."""

from __future__ import annotations

import json
import re
import warnings

import pytest

from conftest import run_cli
from publish_fixture import IDLIB, MANBIJ, build_store
from veille.web.app import accepted_language, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PAGES = ("/", "/search?q=Manbij", f"/article/{MANBIJ}", "/story/st-manbij", "/outlets", "/map", "/article/nope", "/story/nope")
# interface words that no article of the sample contains: an English page must show none of them
FRENCH_CHROME = ("Aller au contenu", "archive locale", "Rechercher dans l'archive", "Derniers articles", "Recoupement",
                 "Chiffres cités", "Surlignés", "Lignes retirées", "Registre des médias", "Par jour", "résultat(s)",
                 "Histoire introuvable", "Article introuvable", "événement(s) localisé(s)", "valeurs, et qui les avance")
ENGLISH_CHROME = ("Skip to content", "local archive, read-only", "Search the archive", "Latest articles", "Cross-check",
                  "Figures given", "Highlighted:", "Lines removed from the text", "Outlet registry", "By day",
                  "result(s)", "No such article", "No such story", "located event(s)", "values, and who gives them")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("web-i18n") / "v.db", hostile=False)


def _pages(client, **kw) -> str:
    import html

    return html.unescape("\n".join(client.get(p, **kw).text for p in PAGES))


def test_french_by_default_english_on_request(db):
    client = TestClient(create_app(db))
    fr = _pages(client)
    assert '<html lang="fr">' in fr
    assert all(w in fr for w in FRENCH_CHROME), [w for w in FRENCH_CHROME if w not in fr]
    english = TestClient(create_app(db))
    english.get("/", params={"ui": "en"})  # chosen once, remembered (cookie)
    en = _pages(english)
    assert '<html lang="en">' in en and '<html lang="fr">' not in en
    assert all(w in en for w in ENGLISH_CHROME), [w for w in ENGLISH_CHROME if w not in en]
    assert not [w for w in FRENCH_CHROME if w in en]


def test_the_cross_check_speaks_the_pages_language(db):
    client = TestClient(create_app(db))
    story_en = client.get("/story/st-manbij", params={"ui": "en"}).text
    assert ("2 according to Kurdistan 24 (via Sputnik) versus 5 according to Yeni Şafak (via Sputnik)" in story_en)
    assert re.search(r"killed — US soldiers</th>", story_en)
    story_fr = client.get("/story/st-manbij", params={"ui": "fr"}).text
    assert "2 selon Kurdistan 24 (via Sputnik) contre 5 selon Yeni Şafak (via Sputnik)" in story_fr
    assert re.search(r"tués — soldats américains</th>", story_fr)
    article = client.get(f"/article/{MANBIJ}", params={"ui": "en"}).text
    assert "at least 9 people killed" in article  # the figure as a reader says it
    assert "Remote explosive/landmine/IED" in article or "IED" in article  # ACLED's category, in English
    assert "state media, Russia" in article or "Russia" in article
    idlib = client.get(f"/article/{IDLIB}", params={"ui": "fr"}).text
    assert "Syrie" in idlib and "Engin" not in idlib
    data = re.search(r'<script type="application/json" id="veille-map-data">(.*?)</script>',
                     client.get("/map", params={"ui": "en"}).text, re.S).group(1)
    labels = json.loads(data)["labels"]
    assert labels == {"unknown_date": "unknown date", "deaths": "{n} death(s)", "borders": "Borders: Natural Earth"}
    assert any("according to" not in e.get("type", "") for e in json.loads(data)["events"])


def test_the_choice_is_remembered_and_the_browser_is_heard(db):
    client = TestClient(create_app(db))
    assert '<html lang="en">' in client.get("/", params={"ui": "en"}).text
    page = client.get("/search", params={"q": "Manbij", "lang": "fr"}).text  # `lang` filters articles, not the UI
    assert '<html lang="en">' in page and "result(s)" in page
    assert 'href="/search?q=Manbij&amp;lang=fr&amp;ui=fr"' in page  # the switch keeps the query
    browser = TestClient(create_app(db))
    assert '<html lang="en">' in browser.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}).text
    assert '<html lang="fr">' in browser.get("/", headers={"Accept-Language": "de-DE, fr;q=0.4, en;q=0.3"}).text
    assert '<html lang="fr">' in browser.get("/", headers={"Accept-Language": "de"}).text
    r = browser.get("/")
    assert "Accept-Language" in r.headers["vary"]
    english_team = TestClient(create_app(db, lang="en"))
    assert '<html lang="en">' in english_team.get("/").text
    assert '<html lang="fr">' in english_team.get("/", headers={"Accept-Language": "fr-FR"}).text
    # the JSON API is language-independent
    assert english_team.get("/api/articles/nope").json() == {"detail": "article not found"}


def test_search_messages_in_the_pages_language(db):
    client = TestClient(create_app(db))
    assert "The query has no word to search for." in client.get("/search", params={"q": "« »", "ui": "en"}).text
    assert "aucun mot cherchable" in client.get("/search", params={"q": "« »", "ui": "fr"}).text


def test_accept_language_parsing():
    assert accepted_language("en-US,en;q=0.9") == "en"
    assert accepted_language("ar, fr;q=0.2, en;q=0.8") == "en"
    assert accepted_language("fr;q=0, en;q=0.1") == "en"
    assert accepted_language("*") is None and accepted_language(None) is None
    assert accepted_language("en;q=abc, fr") == "fr"


def test_every_label_exists_in_both_languages(db):
    for lang in ("fr", "en"):
        application = create_app(db, lang=lang)
        _pages(TestClient(application))
        t = application.state.translators[lang]
        assert t.lang == lang and not t.missing, (lang, t.missing)  # no label fell back to the other language


def test_serve_refuses_an_unknown_language(db, tmp_path):
    proc = run_cli("serve", "--db", str(db), "--lang", "de", cwd=tmp_path)
    assert proc.returncode == 2 and "not available" in proc.stderr
