"""The press-review importer on the real bundled sample."""

from __future__ import annotations

import re

import pytest

from veille.extract.review import parse_review, split_entries

EXPECTED = [
    # (outlet, canonical URL prefix, published_at, precision, title)
    ("sputnik", "https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/", "2019-01-16", "day",
     "Explosion à Manbij près d'une patrouille de la coalition, de 2 à 9 morts selon les médias"),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/15/585899/Syrie--la-Russie-multiplie-ses-militaires",
     "2019-01-15T17:47", "minute", "Moscou renforce sa police militaire dans le nord de la Syrie"),
    ("sana", "https://sana.sy/fr/?p=141235", "2019-01-15", "day", None),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/14/585769/La-Syrie-exige-le-retrait-immediat-des-troupes-US-dal-Tanf",
     "2019-01-14T14:44", "minute", "La Syrie exige le retrait immédiat des troupes US d'al-Tanf"),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/13/585674/Syrie-Laccord-qui-prennise-la-prsence-iranienne",
     "2019-01-13T14:53", "minute", "Damas : « La présence iranienne restera nécessaire »"),
    ("almanar", "https://french.almanar.com.lb/1211465", "2019-01-13", "day",
     "Washington tente de faire échouer les négociations entre les Kurdes et Damas"),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/12/585591/Que-cache-le-retrait-annonc-des-troupes-US-de-Syrie",
     "2019-01-12T13:37", "minute", "Que cache le retrait annoncé des troupes américaines de Syrie ?"),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/10/585422/Idlib-larme-syrienne-envoie-des-renforts",
     "2019-01-10T18:08", "minute", "Nouveaux convois militaires syriens et russes envoyés à Idlib"),
    ("presstv", "https://www.presstv.com/DetailFr/2019/01/09/585274/Rsistance-renforce-la-solidarit",
     "2019-01-09T10:23", "minute", "La Résistance irakienne se rapproche de la Résistance palestinienne"),
    ("almanar", "https://french.almanar.com.lb/1208473", "2019-01-10", "day",
     "Syrie: les évadés de la poche de Daech portent sur eux des centaines de milliers de dollars (OSDH)"),
]

# Lines the issue names as boilerplate: none may remain in any article's text.
BOILERPLATE = [
    "Militares US à Manbij en Syrie",
    "© AP Photo / Arab 24 network",
    "INTERNATIONAL",
    "URL courte",
    "8182",
    "Des policiers militaires russes en Syrie",
    "© SPUTNIK . FIRAS ALAHMAD",
    "La police militaire russe commence à patrouiller dans la zone de Manbij en Syrie",
    "Les forces de la police militaire russe en Syrie. (Photo d’archives)",
    "Nouvel avertissement russe à Ankara",
    "L’ambassadeur russe à Beyrouth a exprimé ses points de vue sur la Syrie",
    "A.Chatta",
    "©U.S. ARMY",
    "Lire aussi: Pourquoi les USA s’accrochent à Al-Tanf ?",
    "©AP",
    "©SANA",
    "Contrats stratégiques Iran/Syrie",
    "Selon le président syrien, le renforcement de la coopération économique",
    "ypg",
    "Moyent-Orient - Syrie",
    "Source: PressTV",
    "©Reuters",
    "Vitaly Naoumkine ©GCSP",
    "Lire aussi : Syrie : qui remplacera les USA ?",
    "(Capture d'écran)",
    "Idlib: Ankara dans la nasse de Moscou?",
    "Idlib : Ankara dans la nasse de Moscou ?",
    "Pourquoi l’appel turc à l’adresse de la Russie et de l’Iran semble-t-il rester inaudible ?",
    "(Photo d'illustration)",
    "Hudaydah: Nujaba prêt à s'engager",
    "Nous sommes prêts, si cela nous est possible, à envoyer des forces au Yémen.",
    "PressTV-Irak : le message d’al-Nujaba aux USA",
    "Le Hezbollah irakien réagit à une demande d'indemnisation",
    "Les miliciens de Daech qui se sont rendus aux FDS",
    "Moyent-Orient - Spécial notre site - Syrie",
    "Rédaction du site",
    "evades_daech",
    "Source: Divers",
    "Depuis 5 heures",
    "Tue Jan 15, 2019 5:47PM",
]

# Prose that sits right next to boilerplate and must survive (the risky spots).
MUST_KEEP = [
    "Une explosion s'est produite à Manbij à proximité d'une patrouille de la coalition antiterroriste US",
    "Selon une source sur place citée par la chaîne Al Jazeera, la déflagration",
    "Les djihadistes de Daech* ont revendiqué l'attaque de Manbij via leur organe de propagande Amaq.",
    "Le 8 janvier, il a été signalé que la police militaire russe commençait à patrouiller",
    "Moscou-SANA / Une source russe a indiqué",
    "« Les Turcs veulent que cette base soit confiée à leur juridiction",
    "Il traite également de la création d’un fonds commun d’investissement irano-syrien",
    "L’ancien conseiller médiatique des Unités de protection du peuple (YPG)",
    "Vitaly Naoumkine, politologue et directeur de l’Institut d’études orientales",
    "Plus tôt cette semaine, l’armée syrienne a envoyé un important convoi",
    "Ce qui vient de se produire en Jordanie n'a rien de rassurant pour Israël",
    "Plus loin dans ses propos, le secrétaire général d'al-Nujaba a brossé le tableau",
    "Plus loin dans ses propos, le commandant a rappelé le rôle axial de son mouvement",
    "Daech s’effondre",
    "Des daechistes se rendent",
    "550 d’entre eux ayant été reconnus par les civils ont été arrêtés, d’après l’OSDH.",
    "Selon le site de la télévision de l’opposition syrienne Orient-news",
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def test_ten_articles_with_url_outlet_date_title(sample_articles):
    assert len(sample_articles) == 10
    for article, (outlet, url, date, precision, title) in zip(sample_articles, EXPECTED):
        assert article.outlet == outlet
        assert article.canonical_url == url
        assert article.published_at == date
        assert article.date_precision == precision
        assert article.title == title
        assert article.section == "SYRIE"
        assert article.headline and article.headline.isupper()
        assert article.language == "fr"


def test_sana_url_loses_fbclid_but_keeps_its_page_parameter(sample_articles):
    sana = sample_articles[2]
    assert "fbclid" in sana.url
    assert sana.canonical_url == "https://sana.sy/fr/?p=141235"
    assert sana.authors == ("A.Chatta",)


def test_almanar_credits_presstv(sample_articles):
    almanar = sample_articles[5]
    assert almanar.cited_sources == ("presstv",)
    assert almanar.republished_from == "presstv"
    # "Source: Divers" credits nobody in particular
    assert sample_articles[9].cited_sources == ()
    assert sample_articles[9].republished_from is None
    # the others speak in their own name
    assert all(a.republished_from is None for i, a in enumerate(sample_articles) if i != 5)


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_is_gone_from_text_but_kept_on_record(sample_articles, line):
    assert not any(line in a.text for a in sample_articles), line
    kept = [b for a in sample_articles for b in a.boilerplate if line in b.text]
    assert kept, f"{line!r} was removed but not kept on any record"
    assert all(b.kind and b.line for b in kept)


@pytest.mark.parametrize("line", MUST_KEEP)
def test_prose_next_to_boilerplate_is_kept(sample_articles, line):
    assert any(line in a.text for a in sample_articles), line


def test_nothing_is_lost(sample_path, sample_articles):
    """Every line of the review is accounted for: text, boilerplate, headline, title, section or URL."""
    accounted = {"SYRIE"}
    for a in sample_articles:
        accounted.update(p for p in a.text.split("\n\n"))
        accounted.update(b.text for b in a.boilerplate)
        accounted.update(x for x in (a.headline, a.title, a.url) if x)
    for line in sample_path.read_text(encoding="utf-8").splitlines():
        line = _norm(line)
        if line:
            assert line in accounted, line


def test_every_body_sentence_in_order(sample_path, sample_articles):
    """Body paragraphs appear in the text in the same order as in the review."""
    source = _norm(sample_path.read_text(encoding="utf-8").replace("\n", " "))
    for a in sample_articles:
        positions = [source.find(p) for p in a.text.split("\n\n")]
        assert -1 not in positions
        assert positions == sorted(positions)
        assert a.lead == a.text.split("\n\n")[0]


def test_boilerplate_kinds(sample_articles):
    kinds = {b.kind for a in sample_articles for b in a.boilerplate}
    assert {"caption", "credit", "rubric", "short-url", "share-count", "read-also", "teaser", "teaser-blurb",
            "image-file", "byline", "source", "date"} <= kinds
    sputnik = sample_articles[0]
    assert ("share-count", "8182") in {(b.kind, b.text) for b in sputnik.boilerplate}


def test_input_spans_point_back_to_the_file(sample_path, sample_articles):
    lines = sample_path.read_text(encoding="utf-8").splitlines()
    for a in sample_articles:
        assert a.input.path == str(sample_path)
        assert _norm(lines[a.input.line_end - 1]) == a.url
        block = "\n".join(lines[a.input.line_start - 1 : a.input.line_end])
        assert a.text.split("\n\n")[0] in _norm(block.replace("\n", " ")) or a.text.split("\n\n")[0] in block


def test_ids_are_stable_and_unique(sample_articles, registry, sample_path):
    again, _ = parse_review(sample_path.read_text(encoding="utf-8"), registry, "elsewhere.txt")
    assert [a.id for a in again] == [a.id for a in sample_articles]
    assert len({a.id for a in sample_articles}) == 10


def test_missing_last_url_is_reported_and_kept(registry, sample_path):
    text = sample_path.read_text(encoding="utf-8")
    truncated = text[: text.rindex("https://french.almanar.com.lb/1208473")]
    articles, problems = parse_review(truncated, registry, "cut.txt")
    assert len(articles) == 10
    assert len(problems) == 1 and "cut.txt" in problems[0] and "no source URL" in problems[0]
    last = articles[-1]
    assert last.url is None and last.outlet is None
    assert "550 d’entre eux" in last.text


def test_sections_carry_over_and_change():
    text = "SYRIE\n\nTITRE EN CAPITALES POUR LA SYRIE\n\nUn texte assez long pour être de la prose, avec une phrase complète.\n\nhttps://example.org/a\n\nIRAK\n\nAUTRE TITRE EN CAPITALES\n\nUne autre phrase de prose qui dit quelque chose de précis et complet.\n\nhttps://example.org/b\n"
    entries = split_entries(text)
    assert [e.section for e in entries] == ["SYRIE", "IRAK"]
