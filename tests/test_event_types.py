"""Event typing (ACLED's 25 sub-types, and what is none of them), actors and inter codes, several events
per article — on sentences and short articles written in the style of news reports (none of them is a
training sentence of the model: see data/event_types/)."""

from dataclasses import replace

import pytest

from veille.enrich import Doc, analyze_article, load_pipeline
from veille.enrich.acled import acled_fields, interaction
from veille.enrich.event_types import ACLED, LABELS, EventTyper, concept_hits, decide, default_typer, read_sentences
from veille.records import Article


@pytest.fixture(scope="module")
def typer():
    return default_typer()


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


# one sentence per kind, in the three languages; each is typed alone (no article context)
CASES = [
    ("en", "Government soldiers and Ansar al-Sunna insurgents fought for hours near Mocimboa da Praia on Friday.", "ARMED_CLASH"),
    ("en", "The Ethiopian army said it had recaptured the town of Shewa Robit from Tigrayan forces.", "GOV_REGAINS_TERIT"),
    ("en", "Houthi rebels seized the district centre of Harib after loyalist troops withdrew under fire.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("en", "A drone struck a pickup truck carrying al-Shabaab fighters near Jilib, killing four.", "AIR_STRIKE"),
    ("en", "Mortar shells fired by the militants landed on the Mogadishu airport perimeter overnight.", "ART_MISS_ATTACK"),
    ("en", "A roadside bomb hit a police vehicle on the Kandahar highway, wounding three officers.", "REM_EXPLOS"),
    ("en", "A suicide bomber detonated his vest at the entrance of a Shiite mosque in Kunduz during prayers.", "SUIC_BOMB"),
    ("en", "An assailant lobbed a hand grenade into a bar in Bujumbura, injuring nine customers.", "GRENADE"),
    ("en", "Villagers in Idlib reported choking and foaming at the mouth after a chlorine canister hit their street.", "CHEM_WEAP"),
    ("en", "Gunmen rode into the village of Solhan and shot dead dozens of residents.", "ATTACK"),
    ("en", "Bandits kidnapped 17 passengers from a bus on the Kaduna–Abuja road and demanded a ransom.", "ABDUCT_DISSAP"),
    ("en", "Thousands of nurses marched peacefully through Nairobi to demand unpaid allowances.", "PEACE_PROTEST"),
    ("en", "Riot police fired tear gas to disperse students demonstrating outside the university in Dhaka.", "PROTEST_WITH_INTER"),
    ("en", "Rioters set fire to a police station and looted shops in Durban after the former president was jailed.", "VIOL_DEMONSTR"),
    ("en", "A mob lynched a man accused of blasphemy in Sialkot.", "MOB_VIOL"),
    ("en", "Police arrested the opposition candidate and two of his aides at their campaign office in Kampala.", "ARREST"),
    ("en", "The two armed movements signed a ceasefire agreement in Juba on Sunday.", "AGREEMENT"),
    ("en", "Bomb disposal experts defused an explosive device found under a bridge in Mosul.", "DISR_WEAP"),
    ("en", "A strong earthquake shook southern Turkey, collapsing thousands of buildings.", "NATURAL_DISASTER"),
    ("en", "The Foreign Minister flew to Beijing for talks with his Chinese counterpart on trade.", "DIPLO"),
    ("fr", "Des manifestants ont été dispersés à coups de gaz lacrymogène devant l'Assemblée nationale à Dakar.", "PROTEST_WITH_INTER"),
    ("fr", "Des hommes armés ont enlevé trois enseignants dans une école de la région de Ségou.", "ABDUCT_DISSAP"),
    ("fr", "Deux soldats ont été blessés lorsque leur blindé a sauté sur une mine artisanale entre Tessit et Gao.", "REM_EXPLOS"),
    ("fr", "À Conakry, les gendarmes ont ouvert le feu sur un cortège de l'opposition : trois marcheurs ont succombé à leurs blessures.", "FORCE_AGAINST_PROTEST"),
    ("ar", "خرج مئات المعلمين في مسيرة سلمية أمام وزارة التربية احتجاجا على تأخر الرواتب.", "PEACE_PROTEST"),
    ("ar", "قصفت مقاتلات مواقع في محيط مدينة مأرب فجر اليوم.", "AIR_STRIKE"),
    ("ar", "اعتقلت قوات الأمن عشرات الناشطين في مدينة درعا.", "ARREST"),
]


def test_cases_typed(typer):
    from veille.enrich.event_types import parse_tokens

    texts, langs = [c[1] for c in CASES], [c[0] for c in CASES]
    # typed as the pipeline types them: with their parse (the role features; Arabic has none)
    typed = typer.type(texts, langs, exclude=("NO_EVENT",), tokens=parse_tokens(texts, langs))
    wrong = [(text, want, got.label) for (_lang, text, want), got in zip(CASES, typed) if got.label != want]
    # a model errs: at most one in eight of these plain cases (none of them paraphrases a training sentence
    # of data/event_types/ — the French and Arabic ones were rewritten apart from it after a review found
    # four near-copies; main of 2026-12-08 04:25 got 3 of 27 wrong), and at most one event type of the
    # seven French and Arabic ones
    assert len(wrong) <= len(CASES) // 8, wrong
    other = [(text, got.label) for (lang, text, want), got in zip(CASES, typed) if lang != "en"
             and got.event_type != (ACLED[want][0] if ACLED[want] else None)]
    assert len(other) <= 1, other


def test_typing_names_acled_categories(typer):
    got = typer.type(["Youths threw stones at the police and burned tyres across the city after the verdict."], ["en"])[0]
    assert (got.event_type, got.sub_event_type) == ("Riots", "Violent demonstration")
    assert "riot" in got.concepts and 0.3 < got.probability <= 1.0
    flood = typer.type(["Floods after days of torrential rain swept away houses in Derna, killing hundreds."], ["en"])[0]
    assert flood.label == "NATURAL_DISASTER" and not flood.is_event and flood.event_type is None


def test_negated_and_irrealis_cues_are_not_asserted():
    assert "lethal" not in concept_hits("No one was killed in the incident.", "en")
    assert "abduction" not in concept_hits("The group threatened to kidnap foreign workers.", "en")
    assert "lethal" in concept_hits("Two people were killed in the incident.", "en")


def test_police_named_for_riots_and_strikes_named_for_weapons_are_no_riot_or_protest():
    assert "riot" not in concept_hits("Riot police fired tear gas at the crowd.", "en")
    assert "riot" in concept_hits("A riot broke out in the prison after a guard was stabbed.", "en")
    assert "riot" not in concept_hits("La police anti-émeute a chargé les manifestants.", "fr")
    assert "riot" in concept_hits("De violentes émeutes ont éclaté dans la nuit.", "fr")
    assert "riot" not in concept_hits("أطلقت شرطة مكافحة الشغب الغاز المسيل للدموع", "ar")
    assert "riot" in concept_hits("اندلعت أعمال شغب في المدينة", "ar")
    assert "protest" not in concept_hits("A drone strike in the village killed four.", "en")
    assert "protest" in concept_hits("Teachers went on strike in Lagos.", "en")


def test_decide_keeps_weapon_precedence_and_vetoes_disasters(typer):
    strike = typer.type(["Warplanes bombed the market, killing 12 civilians."], ["en"])[0]
    assert decide(strike, ("Explosions/Remote violence", "Air/drone strike", 0))[:2] == ("Explosions/Remote violence", "Air/drone strike")
    plant = typer.type(["A boiler exploded at the fertiliser factory, and fire gutted the warehouse; eight workers died."], ["en"])[0]
    assert plant.label == "MAN_MADE_DISASTER"
    assert decide(plant, ("Explosions/Remote violence", "Remote explosive/landmine/IED", 5)) is None


def test_training_sentences_cover_every_label_in_three_languages():
    rows = read_sentences()
    for lang in ("en", "fr", "ar"):
        labels = {label for label, lg, _ in rows if lg == lang}
        assert set(ACLED) - {"NO_EVENT", "OTHER"} - labels == set() or lang != "en"
        assert len(labels) >= 25
    assert set(LABELS) == set(ACLED)


def test_model_refuses_a_stale_file(tmp_path):
    import numpy as np

    bad = tmp_path / "m.npz"
    np.savez(bad, W=np.zeros((10, len(LABELS)), dtype=np.float32), labels=np.array(LABELS))
    with pytest.raises(ValueError, match="retrain"):
        EventTyper.load(bad)


def _article(text, title, lang, aid, published="2022-03-05"):
    return Article(id=aid, title=title, text=text, language=lang, published_at=published)


def test_protest_dispersed_has_protesters_and_police(nlp):
    a = _article("Police in Nairobi fired tear gas on Monday to disperse hundreds of protesters who had gathered "
                 "outside parliament to denounce the new finance bill. Several demonstrators were detained.\n\n"
                 "The protest was organised by a coalition of civil society groups.",
                 "Kenyan police disperse protest against finance bill", "en", "t-protest-ke")
    ev = analyze_article(a, nlp).article.main_event
    assert (ev.event_type, ev.sub_event_type) == ("Protests", "Protest with intervention")
    assert ev.country == "KE"
    assert (ev.actor1, ev.inter1) == ("Protesters (Kenya)", 6)
    assert (ev.actor2, ev.inter2) == ("Police Forces of Kenya", 1)
    row = acled_fields(ev)
    assert row["interaction"] == 16 == interaction(ev.inter1, ev.inter2) and row["disorder_type"] == "Demonstrations"


def test_french_riot_has_rioters(nlp):
    a = _article("Des jeunes en colère ont incendié la mairie et pillé plusieurs magasins samedi à Kaolack, après "
                 "l'arrestation d'un opposant. Les émeutiers ont jeté des pierres sur les gendarmes.",
                 "Émeutes à Kaolack après l'arrestation d'un opposant", "fr", "t-riot-sn")
    ev = analyze_article(a, nlp).article.main_event
    assert ev.event_type == "Riots" and ev.sub_event_type == "Violent demonstration"
    assert ev.inter1 == 5 and ev.actor1.startswith("Rioters")
    assert ev.inter2 == 1  # the gendarmes


def test_arabic_agreement(nlp):
    a = _article("وقعت الحكومة السودانية والحركات المسلحة اتفاقا لوقف إطلاق النار في جوبا يوم السبت. "
                 "ونص الاتفاق على تبادل الأسرى خلال شهر.", "اتفاق لوقف إطلاق النار في جوبا", "ar", "t-agree-ar")
    ev = analyze_article(a, nlp).article.main_event
    assert (ev.event_type, ev.sub_event_type) == ("Strategic developments", "Agreement")


def test_a_disaster_is_no_event(nlp):
    a = _article("A magnitude 6.8 earthquake struck the High Atlas late on Friday, destroying villages and killing "
                 "more than 2,000 people, the interior ministry said. Rescuers are searching the rubble.",
                 "Earthquake kills more than 2,000 in Morocco", "en", "t-quake")
    r = analyze_article(a, nlp)
    assert r.article.main_event is None and not r.events


def test_a_roundup_gives_one_event_per_incident(nlp):
    a = _article("Police fired tear gas at protesters in Lagos on Tuesday as they marched against fuel prices, "
                 "witnesses said.\n\n"
                 "In Maiduguri, a roadside bomb exploded on Wednesday under a military truck, killing two soldiers.\n\n"
                 "Separately, gunmen kidnapped 12 farmers in Zamfara state on Thursday.",
                 "Nigeria: fuel protest dispersed in Lagos", "en", "t-roundup-ng", published="2022-03-10")
    r = analyze_article(a, nlp)
    kinds = [(e.sub_event_type, e.admin1) for e in r.events]
    main = r.article.main_event
    # the lead's demonstration stays the main event, though later incidents have a toll (the model reads it as
    # a protest or, wrongly, a riot: the two are its most frequent confusion)
    assert main.admin1 == "Lagos" and main.event_type in ("Protests", "Riots") and main.start == 0
    assert ("Remote explosive/landmine/IED", "Borno") in kinds
    assert any(k == "Abduction/forced disappearance" for k, _ in kinds)
    abducted = next(e for e in r.events if e.sub_event_type == "Abduction/forced disappearance")
    assert abducted.inter2 == 7 and abducted.event_date == "2022-03-10"


class _CountingEncoder:
    """The shared sentence encoder, counting its calls and the texts it encodes."""

    def __init__(self):
        from veille.link.embed import Embedder

        self.inner, self.calls, self.texts = Embedder.shared(), 0, []

    def encode(self, texts):
        self.calls += 1
        self.texts += list(texts)
        return self.inner.encode(texts)


def test_concepts_decide_alone_where_they_are_sure_and_the_rest_is_encoded_in_one_call():
    enc = _CountingEncoder()
    typer = EventTyper.load(encoder=enc)
    texts = ["A suicide bomber blew himself up at a police checkpoint in Quetta, killing five officers.",
             "Hundreds of teachers gathered in front of the ministry to demand their unpaid salaries.",
             "Vitaly Naoumkine a commenté le retrait annoncé des troupes américaines de Syrie."]
    typed = typer.type(texts, ["en", "en", "fr"])
    assert typed[0].label == "SUIC_BOMB" and typed[0].by == "concepts"  # concepts and cue table agree
    assert enc.calls == 1 and texts[0] not in enc.texts  # the others, together
    assert typed[2].by == "model"  # no cue agrees: an announced withdrawal is read with its vector
    # given vectors, the full model types everything (what the benchmarks cross-validate)
    again = typer.type(texts[:1], ["en"], vectors=enc.inner.encode(texts[:1]))
    assert again[0].by == "model" and again[0].label == "SUIC_BOMB"


def test_one_encoder_call_per_article(nlp):
    """The main span and the roundup's candidate sentences are typed in one batch."""
    from veille.enrich import events as ev_mod

    enc = _CountingEncoder()
    typer = EventTyper.load(encoder=enc)
    a = _article("Police fired tear gas at protesters in Lagos on Tuesday as they marched against fuel prices, "
                 "witnesses said.\n\n"
                 "In Maiduguri, a roadside bomb exploded on Wednesday under a military truck, killing two soldiers.\n\n"
                 "Separately, gunmen kidnapped 12 farmers in Zamfara state on Thursday.",
                 "Nigeria: fuel protest dispersed in Lagos", "en", "t-roundup-ng2", published="2022-03-10")
    doc = nlp(Doc(article=a))
    enc.calls = 0
    events, main, _ = ev_mod.build_events(doc, typer=typer)
    assert len(events) >= 3 and enc.calls <= 1


# --- who acts on whom: role features from the parse (sentences written for these tests) ------------------

def _roles(text, lang):
    from veille.enrich.event_types import parse_tokens, role_features, role_names

    return set(role_names(role_features(text, lang, parse_tokens([text], [lang])[0])))


def test_role_features_read_the_actor_and_the_object_of_each_verb():
    rebels = _roles("Rebels seized the town of Harib on Friday.", "en")
    troops = _roles("Government troops seized the town of Harib on Friday.", "en")
    assert {"fighter>take", "take>obj:territory"} <= rebels and "force>take" not in rebels
    assert {"force>take", "take>obj:territory"} <= troops and "fighter>take" not in troops
    rifles = _roles("Police seized seven rifles and 200 rounds of ammunition at a farm near Kisumu.", "en")
    assert {"force>find", "find>obj:weapon"} <= rifles and "take>obj:territory" not in rifles
    # the passive: the "by" phrase acts, the subject undergoes; a phrase's complement gives its class
    cache = _roles("A cache of weapons was discovered by soldiers in a cave near Gao.", "en")
    assert {"force>find", "find>obj:weapon"} <= cache
    crowd = _roles("Riot police fired tear gas at protesters outside parliament.", "en")
    assert {"force>disperse", "disperse>obl:crowd"} <= crowd
    assert {"fighter>take", "take>obj:territory"} <= _roles("Les rebelles ont pris le contrôle de la ville de Harib.", "fr")
    assert {"force>disperse", "disperse>obj:crowd"} <= _roles("La police a dispersé les manifestants devant la mairie.", "fr")
    assert _roles("سيطر المتمردون على مدينة حريب", "ar") == set()  # no parse for Arabic: no role feature
    # a verb whose subject undergoes it: the dead are its object, not its actor
    died = _roles("Four protesters died after police opened fire on the march.", "en")
    assert "kill>obj:crowd" in died and "crowd>kill" not in died
    assert "fighter>retake" in _roles("Opposition fighters retook the town from government forces.", "en")


def test_parsed_spans_use_the_role_model_and_unparsed_ones_the_plain_model(typer):
    from veille.enrich.event_types import parse_tokens

    texts = ["Police seized seven rifles and 200 rounds of ammunition at a farm near Kisumu.",
             "La police a dispersé les manifestants à coups de gaz lacrymogène devant la mairie.",
             "اعتقلت قوات الأمن عشرات الناشطين في مدينة درعا."]
    langs = ["en", "fr", "ar"]
    tokens = parse_tokens(texts, langs)
    assert tokens[0] and tokens[1] and tokens[2] == ()
    with_parse = typer.type(texts, langs, exclude=("NO_EVENT",), tokens=tokens)
    without = typer.type(texts, langs, exclude=("NO_EVENT",))
    assert [t.label for t in with_parse] == ["DISR_WEAP", "PROTEST_WITH_INTER", "ARREST"]
    # the two models differ (the role features weigh in) where there is a parse, and only there
    assert with_parse[0].probability != without[0].probability
    assert with_parse[2].probability == without[2].probability and with_parse[2].label == without[2].label


def test_span_tokens_follow_the_typed_text(nlp):
    """The main span is the title + the first sentence: its tokens, cut from Doc.tokens, point into it."""
    from veille.enrich import events as ev_mod
    from veille.enrich.event_types import span_tokens

    seen = {}

    class Spy:
        def type(self, texts, langs, vectors=None, exclude=(), tokens=None, heads=None):
            seen["texts"], seen["tokens"], seen["heads"] = texts, tokens, heads
            return default_typer().type(texts, langs, vectors, exclude, tokens, heads)

    a = _article("Soldiers discovered a cache of weapons in a cave near Gao on Sunday, the army said.\n\n"
                 "The weapons belonged to a jihadist group, according to the statement.",
                 "Weapons cache found near Gao", "en", "t-cache-ml")
    doc = nlp(Doc(article=a))
    ev_mod.build_events(doc, typer=Spy())
    lead, toks = seen["texts"][0], seen["tokens"][0]
    assert lead.startswith("Weapons cache found near Gao\n") and toks
    # the title's own parse first, then the body's first sentence (heads: where the title ends)
    assert [lead[t.start:t.end] for t in toks[:4]] == ["Weapons", "cache", "found", "near"]
    body = [t for t in toks if t.start >= seen["heads"][0]]
    assert seen["heads"][0] == len("Weapons cache found near Gao\n")
    assert [lead[t.start:t.end] for t in body[:3]] == ["Soldiers", "discovered", "a"]
    assert all(0 <= t.head < len(toks) for t in toks)
    assert span_tokens(doc.tokens, 10_000, 10_100) == ()


def test_the_veto_adds_up_the_kinds_that_are_no_political_event():
    from veille.enrich.event_types import Typing

    split = Typing("MAN_MADE_DISASTER", None, None, 0.3, not_political=0.62)  # the rest: natural disaster
    assert split.vetoed and decide(split, ("Explosions/Remote violence", "Shelling/artillery/missile attack", 4)) is None
    attack = Typing("ATTACK", "Violence against civilians", "Attack", 0.55, not_political=0.3)
    assert not attack.vetoed
    assert decide(attack, None)[:2] == ("Violence against civilians", "Attack")


def _act(text, lang="en"):
    from veille.enrich.event_types import act_of_force, parse_tokens, role_features

    return act_of_force(role_features(text, lang, parse_tokens([text], [lang])[0]))


def test_an_act_of_force_needs_a_participant_not_only_a_verb():
    # armed actors doing something forceful, or a verb of force on people or property
    assert _act("Armed men burned the granaries of the village of Kouni on Tuesday.")
    assert _act("Suspected militants fired shots at two traders near the market of Arbinda.")
    assert _act("Herders wounded three farmers in a dispute over a field near Barani.")
    assert _act("Des hommes armés ont incendié les greniers du village de Kouni.", "fr")
    assert _act("Inhabitants fought herders over a damaged field near the village of Bonou.")  # communal clash
    # the same verbs in political news: no participant of force, no act
    assert not _act("The senator attacked the budget bill in a speech on Tuesday.")
    assert not _act("The candidate took the lead in the polls after the debate.")
    assert not _act("The defence minister left office on Friday after a row with the president.")
    assert not _act("هاجم المسلحون قرية في شمال البلاد")  # no parse for Arabic: never an act from the parse


def test_an_act_of_force_lets_the_total_event_probability_make_the_event():
    from veille.enrich.event_types import Typing

    # a terse note: the model spreads itself over neighbouring sub-types, none at 0.5
    spread = Typing("PROPERTY_DISTRUCT", "Strategic developments", "Looting/property destruction", 0.31,
                    event_probability=0.82, best_event="PROPERTY_DISTRUCT", act=True)
    assert decide(spread, None, "Armed men burned the granaries of the village.")[:2] == \
        ("Strategic developments", "Looting/property destruction")
    assert decide(replace(spread, act=False), None) is None  # no act of force: the top sub-type must reach 0.5
    assert decide(replace(spread, event_probability=0.45), None) is None  # "no event" is as likely
    # the top label is a kind that is no event, but an ACLED event of some sub-type is more likely
    top_none = replace(spread, label="NO_EVENT", event_type=None, sub_event_type=None, probability=0.35,
                       event_probability=0.6, best_event="ATTACK")
    assert decide(top_none, None, "Gunmen shot at villagers.")[:2] == ("Violence against civilians", "Attack")
    # plans and threats stay out, as for the model alone
    assert decide(replace(spread, best_event="ATTACK"), None, "Armed men threatened to attack the village.") is None


def test_terse_notes_get_an_event_and_political_news_none(nlp):
    """Notes in the style of an analyst's log (written for this test) name no cue of the table; the parse
    reads an armed actor's act. Political news with verbs of the same classes stays out."""
    notes = [
        ("On 3 May 2022, presumed militants burned the granaries of the village of Kouni (Kouni, Sanmatenga).",
         "Strategic developments"),
        ("On 9 June 2021, unidentified gunmen seized eleven goats at a farm near the town of Kaya (Kaya, Sanmatenga).",
         "Strategic developments"),
    ]
    for i, (text, etype) in enumerate(notes):
        ev = nlp(Doc(article=_article(text, None, "en", f"t-terse-{i}"))).extra.get("main_event")
        assert ev is not None and ev.event_type == etype, (text, ev)
    news = ["The senator attacked the budget bill in a speech to the chamber on Tuesday, calling it reckless.",
            "The defence minister left office on Friday after a row with the president over the budget."]
    for i, text in enumerate(news):
        assert nlp(Doc(article=_article(text, None, "en", f"t-news-{i}"))).extra.get("main_event") is None, text


def test_the_codebook_says_which_change_of_territory_from_who_took_it(typer):
    import numpy as np

    from veille.enrich.event_types import parse_tokens, territory_by_codebook

    # the rule alone: the top label moves inside the territory family only, by a swap
    p = np.full(len(LABELS), 0.01)
    p[LABELS.index("GOV_REGAINS_TERIT")] = 0.5
    p[LABELS.index("NON_STATE_ACTOR_OVERTAKES_TER")] = 0.2
    q = territory_by_codebook(p, ["retake", "fighter>retake", "retake>obj:territory"], LABELS)
    assert LABELS[int(q.argmax())] == "NON_STATE_ACTOR_OVERTAKES_TER" and q.sum() == pytest.approx(p.sum())
    assert LABELS[int(territory_by_codebook(p, ["take", "leave", "fighter>take"], LABELS).argmax())] == \
        "NON_VIOL_TERRIT_TRANSFER"
    # fighting read: no non-violent transfer; the taker decides
    assert LABELS[int(territory_by_codebook(p, ["take", "leave", "fight", "fighter>take"], LABELS).argmax())] == \
        "NON_STATE_ACTOR_OVERTAKES_TER"
    assert territory_by_codebook(p, ["take", "force>take", "fighter>take"], LABELS).argmax() == p.argmax()  # both: no say
    attack = p.copy()
    attack[LABELS.index("ATTACK")] = 0.9  # the model reads no change of territory: the rule stays out
    assert territory_by_codebook(attack, ["fighter>retake"], LABELS).argmax() == attack.argmax()
    # on sentences, through the typer (written for this test)
    texts = ["Opposition fighters retook the town of Saraqeb from government forces on Thursday.",
             "Army troops recaptured the town of Kidal from the separatist rebels after two days of fighting.",
             "Rebel fighters entered the town of Sake on Monday after government troops withdrew overnight.",
             # "liberated" is the cue table's and the concepts' word for a government regaining a town: the
             # parse's taker (insurgents) says otherwise
             "Insurgents liberated the district of Nad Ali from government forces, a spokesman said."]
    typed = typer.type(texts, ["en"] * 4, exclude=("NO_EVENT",), tokens=parse_tokens(texts, ["en"] * 4))
    assert [t.label for t in typed] == ["NON_STATE_ACTOR_OVERTAKES_TER", "GOV_REGAINS_TERIT", "NON_VIOL_TERRIT_TRANSFER",
                                        "NON_STATE_ACTOR_OVERTAKES_TER"]


def test_force_likely_to_cause_serious_injury_is_excessive():
    # the codebook's "lethal force or force likely to cause serious injury", not only deaths
    assert "lethal" in concept_hits("Security forces used excessive force to break up the sit-in.", "en")
    assert "lethal" in concept_hits("Several demonstrators suffered serious injuries when police charged.", "en")
    assert "lethal" in concept_hits("La police a fait un usage excessif de la force contre les manifestants.", "fr")
    assert "lethal" not in concept_hits("Police used tear gas to disperse the protesters; no one was hurt.", "en")


def test_the_title_is_parsed_for_who_acted_on_whom(nlp):
    """The body says only "the town fell"; the title says who took it (written for this test)."""
    from veille.enrich.event_types import join_tokens, parse_tokens, role_features, role_names

    a = _article("The town fell on Friday after a week of fighting, residents said. More than 20 people died.",
                 "Rebels seize border town of Harib", "en", "t-title-roles")
    ev = nlp(Doc(article=a)).extra.get("main_event")
    assert ev is not None and ev.sub_event_type == "Non-state actor overtakes territory"
    # the title's tokens come first, the body's first sentence is still read after them
    title, body = "Rebels seize border town of Harib", "Troops withdrew from the area. Police arrested two men."
    span = title + "\n" + body
    toks = join_tokens(parse_tokens([title], ["en"])[0],
                       [replace(t, start=t.start + len(title) + 1, end=t.end + len(title) + 1)
                        for t in parse_tokens([body], ["en"])[0]])
    names = set(role_names(role_features(span, "en", toks, head_end=len(title) + 1)))
    assert {"fighter>take", "take>obj:territory", "force>leave"} <= names and "arrest" not in names
