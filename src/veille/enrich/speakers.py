"""The speaker inside an attribution phrase the registry does not know.

Why: scraped and pasted text often loses its commas, so the words before "said" run back over
the previous clause — "under heavy air force bombardment while Syrian state television said",
"Later in the evening the source said", "killing 15 and wounding 120 said". The attribution
patterns see the whole run; a chain must name who speaks ("Syrian state television", "the
source") or nobody, never a clause fragment. The phrase is cut after the last word that cannot
belong to a speaker's noun phrase (a verb form, a figure, a victim noun, a conjunction, a
sentence adverb, a weekday), then to the determiner that starts the speaking noun phrase, and
kept only if it ends with a speaker head ("source", "monitor", "media", "official" …, a
trailing place phrase allowed: "a source at Aleppo Police Command") or is a proper name.

English only for now: the French attribution cues are anchored on punctuation the French
sample keeps, and their chains are exact (tests/test_attribution.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import lang_data

_DATA = lang_data("en", "speakers")  # the words (data/lang/en/speakers.json); the mechanism is below
_HEADS = frozenset(_DATA["heads"])
_PRONOUNS = frozenset(_DATA["pronouns"])
_BREAK = re.compile(r"^(?:" + "|".join(_DATA["break_patterns"] + sorted(_DATA["breaks"], key=len, reverse=True)) + r")$")
_DETERMINERS = frozenset(_DATA["determiners"])
# nominal -ing/-ed words that belong to a speaker phrase ("a monitoring group", "an armed group")
_NOT_BREAKS = frozenset(_DATA["not_breaks"])
_PLACE_WORD = r"(?:[A-Z][\w'’-]*|al-[\w'’-]+|" + "|".join(_DATA["place_words"]) + r")"
_TRAILING_PLACE = re.compile(
    rf"(?:\s+(?:{'|'.join(_DATA['place_prepositions'])})\s+(?:the\s+|an?\s+)?(?:(?:{'|'.join(_DATA['place_adjectives'])})\s+)*"
    rf"[A-Z][\w'’-]*(?:\s+{_PLACE_WORD})*"
    rf"|\s+(?:in|inside|on|at|of)\s+the\s+(?:{'|'.join(_DATA['place_nouns'])})|\s+of\s+[a-z]+)+$")
_PARTICLES = frozenset(_DATA["particles"])


def _ends_with_head(words: list[str]) -> bool:
    """Ends with a speaker head, after a trailing place ("a source at Aleppo Police Command") or a
    name after a role ("Observatory director Rami Abdel Rahman", "TV channel Al-Mayadin")."""
    kept = _TRAILING_PLACE.sub("", " ".join(words)).split()
    if not kept:
        return False
    names = 0
    while names < len(kept) and _proper_name(kept[len(kept) - names - 1:]):
        names += 1
    for tail in ([kept[-1]] + ([kept[-names - 1]] if 0 < names < len(kept) else [])):
        last = tail.lower().strip("'’,")
        if last in _HEADS or last.rstrip("s") in _HEADS:
            return True
    return False


def _proper_name(words: list[str]) -> bool:
    if len(words) == 1 and words[0].lower() in _DETERMINERS:
        return False
    return 0 < len(words) <= 5 and all(w[:1].isupper() or w.lower() in _PARTICLES or w.lower().startswith("al-")
                                       for w in words)


_CAPITAL_BREAKS = frozenset(_DATA["capital_breaks"])
_VERB_ADVERBS = frozenset(_DATA["verb_adverbs"])
_RELATIVE = re.compile(r"\s(?:which|who|that)(?:\s|$)")


def speaker_phrase(phrase: str, lang: str) -> tuple[str, bool] | None:
    """(speaker noun phrase, is_pronoun), or None when the phrase names nobody."""
    if lang != "en":
        return phrase, False
    rel = _RELATIVE.search(phrase)
    if rel:  # "The Idlib Media Center which publishes news … said": the speaker comes before its clause
        before = _clean(phrase[:rel.start()].split())
        if before is not None:
            return before
    return _clean(phrase.split())


def _clean(words: list[str]) -> tuple[str, bool] | None:
    # cut after the last word a speaker phrase cannot contain (lower-case forms only: "Britain-based",
    # "Hassakeh" and names stay; capitalised sentence adverbs and weekdays also cut)
    # an adverb right before the verb belongs to the verb ("Russia's defence ministry later claimed")
    while len(words) > 1 and words[-1].strip(",;:.").lower() in _VERB_ADVERBS:
        words = words[:-1]
    cut = 0
    low = [w.strip(",;:.'’\"").lower() for w in words]
    for i, w in enumerate(words):
        bare = low[i]
        if bare in ("and", "or") and 0 < i < len(words) - 1 and not _BREAK.match(low[i - 1]) and not _BREAK.match(low[i + 1]):
            continue  # "security and local sources", "medical and security officials": one speaker phrase
        if _BREAK.match(bare) and bare not in _HEADS and bare not in _NOT_BREAKS and (w[:1].islower() or w[:1].isdigit() or bare in _CAPITAL_BREAKS):
            cut = i + 1
    words = words[cut:]
    if not words:
        return None
    if words[-1].lower() in _PRONOUNS:
        return words[-1], True  # "areas of Aleppo province he": the pronoun speaks
    # start at the determiner that opens the speaking noun phrase ("In Daraa al-Balad the military
    # source", "az-Zour province an activist group"): the first one with no speaker head before it
    for j, w in enumerate(words):
        if w.lower() in _DETERMINERS and _ends_with_head(words[j:]) and not any(
                x.lower() in _HEADS for x in words[:j]):
            words = words[j:]
            break
    if _ends_with_head(words) or _proper_name(words):
        return " ".join(words), False
    return None


def bare_speaker(phrase: str, lang: str) -> bool:
    """'police', 'officials', 'medical sources', 'security and local sources': a speaker with no determiner."""
    words = phrase.lower().split()
    return lang == "en" and 0 < len(words) <= 4 and words[-1] in _HEADS and speaker_phrase(phrase, lang) is not None


def _subtree_span(p, t) -> tuple[int, int]:
    """Character span of the phrase a token heads (its whole subtree, less a trailing relative clause)."""
    lo, hi = t.idx, t.end
    stack = [t]
    while stack:
        x = stack.pop()
        for c in p.kids(x):
            if c.dep in ("relcl", "acl:relcl", "punct") and c.i > t.i:
                continue
            lo, hi = min(lo, c.idx), max(hi, c.end)
            stack.append(c)
    return lo, hi


@lru_cache(maxsize=4)
def _speech_lemmas(lang: str) -> frozenset[str]:
    return frozenset(lang_data(lang, "attribution").get("speech_lemmas", ()))


@lru_cache(maxsize=4)
def _witness_lemmas(lang: str) -> frozenset[str]:
    return frozenset(lang_data(lang, "attribution").get("witness_lemmas", ()))


def parse_speaker(p, start: int, end: int, lang: str) -> tuple[int, int, bool] | None:
    """The span of who reports the figure at [start, end), read from the dependency parse: the subject of the speech
    verb whose reported clause holds the figure ("Police said five people were killed", "Five people were killed,
    police said", "le procureur a affirmé que 14 personnes…"), or the speaker after an inverted parenthetical verb
    ("…, a indiqué l'état-major"). Why: the cue patterns stop at the clause's punctuation and a speaker phrase of a
    known shape; the parse reaches the speech verb across a long clause or an unusual word order. None when no
    speech verb governs the figure or its subject is a pronoun (the sentence patterns resolve those). The flag says
    whether the phrase's head is a name or a speaker noun ("police", "official", "source"…): the parse bounds the
    phrase, so it needs none of the cleaning a pattern's run-on phrase needs."""
    if lang not in ("en", "fr") or not p:
        return None
    toks = p.at(start, end)
    if not toks:
        return None
    lemmas = _speech_lemmas(lang)
    x = toks[0]
    seen = 0
    while seen < 40:
        seen += 1
        h = p.head(x)
        verbs = []
        if h is not None and _lemma_of(h) in lemmas and h.pos in ("VERB", "AUX") and x.dep in ("ccomp", "parataxis", "conj", "xcomp"):
            verbs.append(h)  # "police said [five people were killed]", "[…killed], police said"
        if h is not None and _lemma_of(h) in _witness_lemmas(lang) and h.pos == "VERB" and x.dep in ("dobj", "obj") \
                and "Voice=Pass" not in h.morph and not p.kids(h, {"auxpass", "aux:pass", "nsubjpass", "nsubj:pass"}):
            verbs.append(h)  # "an AP photographer saw [at least 12 bodies]": who saw or counted them"
        if x.pos in ("VERB", "AUX"):
            verbs += [c for c in p.kids(x, {"parataxis", "advcl"}) if _lemma_of(c) in lemmas and c.pos in ("VERB", "AUX") and c.i > x.i]
        for v in verbs:
            subj = [c for c in p.kids(v, {"nsubj"}) if c.pos in ("NOUN", "PROPN")]
            if not subj and lang == "fr" and v.dep == "parataxis":
                subj = [c for c in p.kids(v, {"obj", "nsubj"}) if c.i > v.i and c.pos in ("NOUN", "PROPN")]  # "a indiqué l'état-major"
            if subj:
                lo, hi = _subtree_span(p, subj[0])
                return lo, hi, subj[0].pos == "PROPN" or subj[0].lemma.lower() in _HEADS
            if p.kids(v, {"nsubj"}):
                return None  # a pronoun speaks: the sentence patterns know who
        if h is None:
            return None
        x = h
    return None


def _lemma_of(t) -> str:
    return t.lemma.lower()
