"""Arabic figures, speakers, events and the in-article contradiction.

The article is ``tr-manbij-ar`` of tests/fixtures/stories (our Arabic translation of the sample's
Sputnik Manbij article, see its README): the same four figures as the French original must come
out with the same speakers, subjects and contradiction. The single sentences below it are written
in the style of SOHR and SANA dispatches to exercise one mechanism each (constructed, not quoted).
"""

import json
from pathlib import Path

import pytest

from veille.enrich import analyze_article, load_pipeline
from veille.enrich.claims import extract_claims
from veille.enrich.events import classify
from veille.enrich.numbers import find_numbers
from veille.records import Article

STORIES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"


@pytest.fixture(scope="module")
def manbij_ar():
    d = next(json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines() if '"tr-manbij-ar"' in line)
    a = Article(id=d["id"], text=d["text"], title=d["title"], language="ar", outlet=d["outlet"],
                published_at=d["published_at"], date_precision="minute")
    return analyze_article(a, load_pipeline())


def test_manbij_figures_and_speakers(manbij_ar):
    got = [(c.kind, c.min, c.max, c.qualifier, c.subject, c.attributed_to) for c in manbij_ar.claims
           if c.kind == "killed"]
    assert got == [
        ("killed", 9, None, "at_least", "people", ("مصدر ميداني",)),  # "تسعة أشخاص على الأقل", "بحسب مصدر ميداني"
        ("killed", 2, 2, "exact", "US soldiers", ("Kurdistan 24",)),  # the dual "جنديين أمريكيين"; "24" is no figure
        ("killed", 5, 5, "exact", "US soldiers", ("Yeni Şafak",)),  # "خمسة قتلى في صفوف العسكريين الأمريكيين"
    ]
    wounded = next(c for c in manbij_ar.claims if c.kind == "wounded" and c.min == 20)
    assert (wounded.qualifier, wounded.attributed_to) == ("about", ("مصدر ميداني",))  # "نحو عشرين آخرين"


def test_manbij_event_and_contradiction(manbij_ar):
    ev = manbij_ar.article.main_event
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert (ev.location, ev.admin1, ev.event_date) == ("Manbij", "Aleppo", "2019-01-16")
    assert ev.actor1 and "Islamic State" in ev.actor1  # "وتبنى تنظيم داعش الهجوم"
    assert ev.fatalities == 2  # as in French: the title's "ما بين 2 و9" (the media) is the most conservative voice
    [contra] = manbij_ar.contradictions
    assert (contra.kind, contra.subject) == ("killed", "US soldiers")
    assert sorted(v.min for v in contra.values) == [2, 5]


@pytest.mark.parametrize("text, expected", [
    ("خمسة وعشرين", 25), ("ثلاثة آلاف", 3000), ("ثلاثمئة", 300), ("١٤٬٠٥٠", 14050), ("20 ألف", 20000),
    ("ثلاثة عشر", 13), ("مئتين وخمسين", 250),
])
def test_number_words_and_digits(text, expected):
    [n] = find_numbers(text, "ar")
    assert n.min == expected and n.max == expected


def test_money_dates_and_ages_are_no_counts():
    for text in ("دفع 100 دولار", "في عام 2019", "طفل عمره 12 عاما", "منذ 8 سنوات", "في 15 آذار"):
        assert all(n.unit is not None for n in find_numbers(text, "ar")), text


@pytest.mark.parametrize("sentence, expected", [
    ("قال المرصد السوري لحقوق الإنسان إن 12 مدنيا على الأقل بينهم ثلاثة أطفال قتلوا في غارات جوية على ريف إدلب.",
     [("killed", 12, None, "at_least", "civilians", ("Syrian Observatory for Human Rights",)),
      ("killed", 3, 3, "exact", "children", ("Syrian Observatory for Human Rights",))]),
    ("وأفادت وكالة سانا بأن ثلاثة مواطنين استشهدوا وأصيب سبعة آخرون جراء قذائف أطلقها إرهابيون على حلب.",
     [("killed", 3, 3, "exact", "civilians", ("SANA",)), ("wounded", 7, 7, "exact", "others", ("SANA",))]),
    ("ذكرت قناة الجزيرة نقلا عن مصدر محلي أن عشرات المقاتلين قتلوا في الاشتباكات.",
     [("killed", 20, None, "at_least", "fighters", ("Al Jazeera", "مصدر محلي"))]),
    ("وقال مصدر عسكري لسانا إن وحدات الجيش قضت على 20 إرهابيا في ريف حماة.",
     [("killed", 20, 20, "exact", "terrorists", ("SANA", "مصدر عسكري"))]),
    ("قتل ما بين 5 و8 جنود أتراك في هجوم بطائرة مسيرة، وفقا لوزارة الدفاع التركية.",
     [("killed", 5, 8, "about", "Turkish soldiers", ("وزارة الدفاع التركية",))]),
    ("اعتقلت قوات سوريا الديمقراطية 550 عنصرا من تنظيم داعش.", [("arrested", 550, 550, "exact", "ISIS members", ())]),
    ("وبحسب الأمم المتحدة، نزح أكثر من 300 ألف شخص.", [("displaced", 300000, None, "at_least", "people", ("United Nations",))]),
])
def test_sentences(sentence, expected):
    got = [(c.kind, c.min, c.max, c.qualifier, c.subject, c.attributed_to) for c in extract_claims(sentence, "t", "ar")]
    assert got == expected


def test_cumulative_and_vowel_marks():
    [c] = extract_claims("أسفرت الحرب التي اندلعت عام 2011 عن مقتل أكثر من 500 ألف شخص.", "t", "ar")
    assert c.cumulative and c.min == 500000
    text = "وأفادت وكالة سانا بأنّ ثلاثةَ مواطنين استُشهدوا."  # written with shadda and short vowels
    [c] = extract_claims(text, "t", "ar")
    assert (c.kind, c.min, c.attributed_to) == ("killed", 3, ("SANA",))
    assert text[c.number_start:c.number_end] == c.number_text == "ثلاثةَ"  # offsets into the text as given


def test_arabic_event_cues():
    assert classify("قتل 12 مدنيا في غارات جوية على ريف إدلب", "ar")[1] == "Air/drone strike"
    assert classify("انفجار سيارة مفخخة في منبج", "ar")[1] == "Remote explosive/landmine/IED"
    assert classify("اعتقلت قوات الأمن 20 شخصا", "ar")[1] == "Arrests"
    assert classify("تستعد الجماعات الإرهابية لشن هجوم كيميائي", "ar") is None  # prepared, not carried out
    assert classify("برنامج الأسلحة الكيميائية", "ar") is None  # a capability, no attack


def test_same_figures_in_three_languages(manbij_ar):
    """The sample's French article, its English and its Arabic translation: the same killed figures, subjects
    and outermost speakers (what the cross-check box compares across outlets)."""
    from claims_helpers import sample_article

    nlp = load_pipeline()
    fr = analyze_article(sample_article("sputnik", "Manbij"), nlp)
    d = next(json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines() if '"tr-manbij-en"' in line)
    en = analyze_article(Article(id=d["id"], text=d["text"], title=d["title"], language="en", outlet=d["outlet"],
                                 published_at=d["published_at"], date_precision="minute"), nlp)

    def killed(r):
        return sorted((c.min, c.subject, c.attributed_to[0] if c.attributed_to else None)
                      for c in r.claims if c.kind == "killed")

    assert killed(fr) == [(2, "US soldiers", "Kurdistan 24"), (5, "US soldiers", "Yeni Şafak"), (9, "people", "Al Jazeera")]
    assert killed(en) == [(2, "US soldiers", "Kurdistan 24"), (5, "US soldiers", "Yeni Şafak"),
                          (9, "people", "a source on the ground")]  # the translation drops the relay
    assert killed(manbij_ar) == [(2, "US soldiers", "Kurdistan 24"), (5, "US soldiers", "Yeni Şafak"), (9, "people", "مصدر ميداني")]


@pytest.mark.parametrize("sentence, expected", [
    # shapes from the second audit (constructed sentences): the report as a verbal noun closes the speaker,
    # أن written without hamza, a closing بحسب relays, نقل X عن Y nests, the name after a title speaks
    ("أكد المرصد السوري لحقوق الإنسان مقتل 18 شخصاً في هجوم شنه مسلحون.",
     [("killed", 18, 18, "exact", "people", ("Syrian Observatory for Human Rights",))]),
    ("ذكر المرصد السوري لحقوق الانسان اليوم ان 12 مدنيا قتلوا.",
     [("killed", 12, 12, "exact", "civilians", ("Syrian Observatory for Human Rights",))]),
    ("وقالت الوزارة إن الغارة أسفرت عن استشهاد 15 شخصا، بحسب موقع الجزيرة نت.",
     [("killed", 15, 15, "exact", "people", ("Al Jazeera", "الوزارة"))]),
    ("ونقل مراسل الجزيرة عن مصادر محلية قولها إن 15 عنصرا قتلوا.",
     [("killed", 15, 15, "exact", "members", ("Al Jazeera", "مصادر محلية"))]),
    ("وقال مدير المرصد، رامي عبد الرحمن، إن 30 شخصا اعتقلوا.", [("arrested", 30, 30, "exact", "people", ("رامي عبد الرحمن",))]),
    ("فر أكثر من ثلاثة آلاف شخص من المدينة، وفقا للأمم المتحدة.",
     [("fled", 3000, None, "at_least", "people", ("United Nations",))]),
    ("ارتقى شهيدان وأصيب 13 شخصا بجروح.", [("killed", 2, 2, "exact", "people", ()), ("wounded", 13, 13, "exact", "people", ())]),
    ("أدى الانفجار إلى مصرع عنصرين اثنين من قوات النظام.", [("killed", 2, 2, "exact", "members", ())]),
    ("أسفر الانفجار عن مقتل أربعة عناصر وإصابة ثلاثة آخرين على الأقل.",
     [("killed", 4, 4, "exact", "members", ()), ("wounded", 3, None, "at_least", "others", ())]),
    ("ولدى الولايات المتحدة بين 60 و80 ألف جندي منتشرين في المنطقة.", [("deployed", 60000, 80000, "about", "soldiers", ())]),
    ("قتل وجرح 17 عنصرا في الهجوم.", [("casualties", 17, 17, "exact", "members", ())]),
])
def test_sentences_second_audit(sentence, expected):
    got = [(c.kind, c.min, c.max, c.qualifier, c.subject, c.attributed_to) for c in extract_claims(sentence, "t", "ar")]
    assert got == expected


def test_singular_victims_and_parts():
    """"مقتل شخص", "قُتل يمني", "يوقع قتيلا": one each; the parts after "بينهم" share the toll's kind."""
    assert [(c.kind, c.min) for c in extract_claims("أفادت وكالة سانا بمقتل شخص جراء انفجار عبوة ناسفة.", "t", "ar")] == [("killed", 1)]
    assert [(c.kind, c.min) for c in extract_claims("قُتل يمني وأصيب أربعة آخرون في القصف.", "t", "ar")] == [
        ("killed", 1), ("wounded", 4)]
    assert [(c.kind, c.min) for c in extract_claims("قصف للحوثيين يوقع قتيلا في تعز", "t", "ar")] == [("killed", 1)]
    assert [(c.kind, c.min, c.subject) for c in extract_claims("أسفر الهجوم عن سقوط 15 قتيلا بينهم تسعة أطفال.", "t", "ar")] == [
        ("killed", 15, "people"), ("killed", 9, "children")]
    [c] = extract_claims("وقال مصدر طبي لوكالة الأنباء اليمنية إن 6 أشخاص قتلوا.", "t", "ar")
    assert c.attributed_to == ("وكالة الأنباء اليمنية", "مصدر طبي")  # an outlet told, even one the registry lacks


def _kinds(sentence):
    from veille.enrich.tolls import fatalities

    cs = extract_claims(sentence, "t", "ar")
    wounded = [c.__class__(**{**c.__dict__, "kind": "killed"}) for c in cs if c.kind == "wounded"]
    return fatalities(cs) or 0, fatalities(wounded) or 0


@pytest.mark.parametrize("sentence, killed, wounded", [
    # a singular victim after its verb and a prepositional phrase (Arabic puts the subject after them)
    ("وأصيب خلال القصف رجل بجروح خطيرة ونقل إلى المستشفى.", 0, 1),
    # parts after "بينهم", coordinated by a glued "و": parts of the count, never added to it
    ("قتل خمسة مدنيين بينهم طفلة ومسنة في غارة على البلدة.", 5, 0),
    # a victim coordinated with a counted one adds to it
    ("أسفرت الغارة عن مقتل شاب وطفلة وإصابة ثلاثة آخرين.", 2, 3),
    # a person noun no casualty cue governs is no victim
    ("وصل الوزير إلى المدينة برفقة زوجته وطفل صغير.", 0, 0),
    ("قالت سيدة من سكان الحي إن القصف استمر طوال الليل.", 0, 0),
])
def test_singular_victims_without_a_parser(sentence, killed, wounded):
    assert _kinds(sentence) == (killed, wounded), [(c.kind, c.min, c.number_text) for c in extract_claims(sentence, "t", "ar")]


@pytest.mark.parametrize("sentence, killed, wounded", [
    # "one of them" is one person, "the other" one more, "two others" a dual
    ("أطلق مسلحون النار على رجلين، فقتل أحدهما وأصيب الآخر.", 1, 1),
    ("وقتل رجل في الغارة وأصيب آخران بجروح.", 1, 2),
    # a definite number word follows the noun it counts ("the four dead")
    ("ودفن القتلى الأربعة في مقبرة القرية.", 4, 0),
    ("وما زال الجرحى الستة في مستشفى المدينة.", 0, 6),
    # the article does not make a weekday a figure ("الأحد" Sunday, "الاثنين" Monday)
    ("وصل الوفد يوم الأحد إلى الخرطوم، وغادر يوم الاثنين.", 0, 0),
])
def test_one_of_them_others_and_definite_figures(sentence, killed, wounded):
    assert _kinds(sentence) == (killed, wounded), [(c.kind, c.min, c.number_text) for c in extract_claims(sentence, "t", "ar")]


@pytest.mark.parametrize("sentence, kind, value", [
    # a thousands or millions figure goes on after "و" with the smaller part
    ("اعتقلت قوات الاحتلال أكثر من 14 ألفًا و300 فلسطيني منذ بدء الحرب.", "arrested", 14300),
    ("نزح حوالي مليون و400 ألف شخص من منازلهم.", "displaced", 1400000),
    # a count named before its figure: the kind of what it counts, with or without a word between
    ("بلغ عدد حالات الاعتقال نحو 22 ألفاً منذ بدء الحرب.", "arrested", 22000),
    ("وبلغ عدد المصابين 12 حتى مساء اليوم.", "wounded", 12),
    # an idiom around its figure: "met their death"
    ("لقي 3 أشخاص حتفهم في الحادث.", "killed", 3),
])
def test_compound_figures_counts_and_idioms(sentence, kind, value):
    got = [(c.kind, c.min) for c in extract_claims(sentence, "t", "ar")]
    assert got == [(kind, value)], got


def test_two_others_after_a_figure_are_that_figure():
    got = [(c.kind, c.min) for c in extract_claims("لقي ثلاثة عمال حتفهم وأصيب اثنان آخران.", "t", "ar")]
    assert got == [("killed", 3), ("wounded", 2)], got


def test_accusative_object_and_one_of_them_as_a_part():
    # verb, subject, object: the indefinite accusative ("مواطنا", "طفلا") is the verb's victim; not without a cue verb
    assert [(c.kind, c.min) for c in extract_claims("اعتقلت قوات الاحتلال مواطنا آخر من بلدة بيت أمر.", "t", "ar")] == [("arrested", 1)]
    assert [(c.kind, c.min) for c in extract_claims("قتلت قوات النظام طفلا في درعا.", "t", "ar")] == [("killed", 1)]
    assert extract_claims("زار الوزير طفلا في المستشفى.", "t", "ar") == []
    # "one of them" after a figure of its kind is a part of it, not one more
    cs = extract_claims("أصيب جنديان، أحدهما خبير متفجرات، في انفجار عبوة ناسفة.", "t", "ar")
    assert [(c.kind, c.min, c.part_of is not None) for c in cs] == [("wounded", 2, False), ("wounded", 1, True)]
    assert _kinds("أصيب جنديان، أحدهما خبير متفجرات، في انفجار عبوة ناسفة.") == (0, 2)
