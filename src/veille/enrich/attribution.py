"""Who says a figure: attribution chains per sentence, outermost speaker first.

"Selon une source sur place citée par la chaîne Al Jazeera, …" → ("Al Jazeera",
"une source sur place"): the outlet that relays comes first, the original witness last.
A sentence that only points back ("selon ces mêmes sources", "Toujours selon cette
instance", "the source added") inherits the previous explicit chain. A sentence without any
cue is the outlet's own voice: the chain is empty — unless the article credits a source
("Source: PressTV"), which then heads every chain.

Names are resolved with ``lexicon.NameResolver`` (outlet registry, then actors table); see
its docstring for the naming convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import NameResolver, alt, clean_phrase, lang_data, lexicon
from .speakers import bare_speaker, speaker_phrase

def _words(key: str, langs=("fr", "en")) -> list[str]:
    """A list of regular-expression fragments of the languages' attribution data (data/lang/<xx>/attribution.json);
    the patterns below read French and English text with both languages' fragments, as the press mixes them
    ("a déclaré à Reuters", "said Al-Watan")."""
    return [w for lang in langs for w in lang_data(lang, "attribution").get(key, ())]


def _alt(key: str, langs=("fr", "en")) -> str:
    return "(?:" + "|".join(_words(key, langs)) + ")"


_DET_FR = "(?:" + "|".join(_words("determiners", ("fr",))) + ")"
_RELAY_BY = _alt("relays_by")
_RELAY_CITING = _alt("relays_citing")
_NESTED = r"(?:,\s*)?\b(?:" + "|".join(_words("relays_by") + _words("relays_citing")) + r")\s+"
_STOP = r"(?=\s*(?:[,;:.()«»\"“”]|" + "|".join(_words("clause_stops")) + r"|$))"


@dataclass(frozen=True)
class Attribution:
    """One attribution cue inside a sentence."""

    chain: tuple[str, ...]
    ids: tuple[str | None, ...]
    start: int
    end: int
    anaphoric: bool = False
    outer: tuple[str, ...] = ()  # prepended to an anaphoric chain once it is resolved
    kind: str = ""
    phrase: str = ""  # an anaphoric noun phrase ("the monitor"): the speaker when nobody came before


@lru_cache(maxsize=2)
def _patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    lex = lexicon()
    verbs = alt(re.escape(v) for v in lex["speech_verbs"][lang])
    pre = r"\b" + _alt("before_speaker", (lang,)) + r"\s+"
    np = r"(?P<sp>[^,;:.()«»\"“”]{2,140}?)"
    # "the US and Russia announced a deal": a speech verb whose object is an act, not a report
    act = (r"(?!\s+" + _alt("act_determiners") + r"\s+(?:" + "|".join(w + r"\s+" for w in _words("act_adjectives")) + r")?"
           + _alt("acts") + r"\b)")
    aux = "(?:" + "".join(w + r"\s+|" for w in _words("aux"))[:-1] + ")"
    when = _alt("time_words")
    recip = _alt("recipients")
    recip_det = _alt("recipient_determiners")
    return [
        # "selon X", "according to X" (X up to a comma, 'que', end of clause)
        ("pre", re.compile(pre + np + _STOP, re.IGNORECASE)),
        # ", a annoncé mercredi le conseil militaire" / ", said the Observatory" — the speaker after the verb
        ("post", re.compile(r"(?:,|\s\s)\s*(?:" + "".join(w + "|" for w in _words("inverted_verb")) + verbs + r")\s+(?:" + when
                            + r"\s+)*(?:" + recip + r"\s+[^,;.]{2,60}?\s+(?=" + recip_det + r"\b))?" + np + _STOP, re.IGNORECASE)),
        # "X a annoncé que", "X said" — the speaker before the verb, back to the clause start
        ("subj", re.compile(r"(?:^\s*|[,;:»”\"/—–]\s*|" + "|".join(_words("clause_openers")) + r")(?P<sp>[^,;:.«»\"“”]{2,90}?)\s+"
                            + "".join("(?:" + w + ")?" for w in _words("negation")) + aux + r"?(?:"
                            + "|".join(w + r"\s+" for w in _words("adverbs")) + r")?" + verbs + r"\b" + act, re.IGNORECASE)),
        # "The Syrian Observatory for Human Rights, a British-based war monitor, said", "X, which monitors …, said",
        # "Abdul-Ghani Nayeb, head of a health department in Saada said": the name before its apposition
        ("appos", re.compile(r"(?:^\s*|[;:]\s*)(?P<sp>" + _alt("appos_articles", ("en", "fr")) + r"?[A-Z][^,;:.«»\"“”]{1,70}?),\s+"
                             + _alt("appos_openers", ("en", "fr")) + r"\b[^;:«»\"“”]{0,140}?,?\s+" + aux + r"?(?:"
                             + "|".join(w + r"\s+" for w in _words("appos_adverbs", ("en", "fr"))) + r")?" + verbs + r"\b" + act)),
        # a determiner-led phrase right before the verb, anywhere in a run-on clause ("… Hasakeh an official said")
        ("np", re.compile(r"(?P<sp>\b" + _alt("np_determiners", ("en", "fr")) + r"\s*[^,;:.«»\"“”]{1,70}?)\s+" + aux + r"?"
                          + verbs + r"\b" + act, re.IGNORECASE)),
    ]


_NON_SPEAKERS = re.compile(r"^" + _alt("non_speakers") + r"\b|\b" + _alt("passive_marks") + r"\b", re.IGNORECASE)


def _anaphoric_re(lang: str) -> re.Pattern[str]:
    """Pronouns must be the whole phrase; demonstratives may head a longer one ("cette instance de …")."""
    words = lexicon()["anaphoric_speakers"][lang]
    pron = [w for w in words if " " not in w and not w.startswith(("l[", "the"))]
    phrases = [w for w in words if w not in pron]
    return re.compile(r"^(?:toujours\s+|also\s+)?(?:" + alt(pron) + r"$|" + alt(phrases) + r"\b)", re.IGNORECASE)


def _split_nested(phrase: str) -> list[str]:
    """'une source citée par la chaîne Al Jazeera' → ['la chaîne Al Jazeera', 'une source']."""
    parts = re.split(_NESTED, phrase, flags=re.IGNORECASE)
    m = re.search(_NESTED, phrase, flags=re.IGNORECASE)
    if not m or len(parts) < 2:
        return [phrase]
    inner, outer = parts[0], parts[1]
    if re.search(_RELAY_CITING, m.group(), re.IGNORECASE):
        return [inner, outer]  # "X citant Y": X relays Y
    return [outer, inner]  # "Y cité par X"


# where a speaker's name ends: "أن"/"إن" (also written without hamza), "عن", punctuation, or the report itself
# when it is a verbal noun ("أكد المرصد مقتل 18 شخصاً", "أفاد مراسل عنب بلدي بمقتل أربعة")
_AR = lang_data("ar", "attribution")
_AR_STOP = (r"(?=\s*(?:[،,؛;:.()«»\"“”]|(?<![\w])(?:" + "|".join(_AR["stops"]) + r")(?![\w])|$))")
_AR_NP = r"(?P<sp>[^،,؛;:.()«»\"“”]{2,90}?)"
_AR_WHEN = "(?:" + "|".join(_AR["when"]) + ")"
_AR_PRE = r"(?:^|(?<=[\s،,(]))[وف]?(?:" + "|".join(_AR["before_speaker"]) + ")"
_AR_NESTED = r"\s+(?:" + "|".join(_AR["nested"]) + r")\s+عن\s+"
_AR_CUT = re.compile(r"\s+(?:" + "|".join(_AR["cut"]) + r")\b.*$")
_AR_NON_SPEAKERS = re.compile(r"^(?:" + "|".join(_AR["non_speakers"]) + ")")


def _arabic_attributions(text: str, start: int, end: int, resolver: NameResolver) -> list[Attribution]:
    """Arabic: "بحسب X", "وفقا لـX", "نقلا عن X" before the speaker, or the verb first ("وقال X إن",
    "وذكرت قناة X أن") — Arabic puts its speech verb before its subject. "X نقلا عن Y" nests (X relays Y),
    "قال مصدر عسكري لسانا" is the source as told to SANA, "وأضاف إن …" and "المصدر نفسه" go on with the
    previous speaker."""
    sent = re.sub(r"[«»“”\"]", " ", text[start:end])
    verbs = alt(lexicon()["speech_verbs"]["ar"])
    ana = re.compile(r"^(?:" + alt(lexicon()["anaphoric_speakers"]["ar"]) + r")$")
    found: list[Attribution] = []
    # the verb-first clause before "بحسب"/"نقلا عن": "ذكرت قناة الجزيرة نقلا عن مصدر محلي" is one nested chain
    patterns = (re.compile(rf"(?:^|(?<=[\s،,]))(?<![\w]){verbs}\s+(?:{_AR_WHEN}\s+)*" + _AR_NP + _AR_STOP),
                re.compile(_AR_PRE + rf"(?:{verbs}\s+)?(?:{_AR_WHEN}\s+)*" + _AR_NP + _AR_STOP))
    for rx in patterns:
        for m in rx.finditer(sent):
            s0, s1 = start + m.start("sp"), start + m.end("sp")
            if any(a.start <= s0 < a.end or s0 <= a.start < s1 for a in found):
                continue
            sp = _AR_CUT.sub("", m.group("sp").strip()).strip()
            if not sp or _AR_NON_SPEAKERS.match(sp):
                continue
            if ana.match(sp):
                found.append(Attribution((), (), s0, s1, anaphoric=True))
                continue
            parts = [x.strip() for x in re.split(_AR_NESTED + r"|\s+عن\s+(?=\S)", sp) if x.strip()]
            relayed = re.match(r"\s+عن\s+" + _AR_NP + _AR_STOP, text[s1:end]) if re.match(r"[وف]?نقل", m.group().strip()) else None
            if relayed:  # "ونقل مراسل الجزيرة عن مصادر في المقاومة": the reporter relays the sources
                parts.append(_AR_CUT.sub("", relayed.group("sp")).strip())
                s1 += relayed.end()
            parts = [("ال" + x[1:]) if x.startswith("لأ") or x.startswith("لا") else x for x in parts]  # "وفقا للأمم المتحدة"
            name = re.match(r"،\s*([^،,.]{3,40}?)\s*،?\s*(?:إن|أن|ان)(?![\w])", text[s1:s1 + 60])
            if name and not resolver.find(parts[-1]) and re.match(r"(?:ال)?(?:مدير|رئيس|قائد|مسؤول|متحدث|الناطق|المتحدث|وزير|محافظ|مراسل)",
                                                                  parts[-1]):
                parts[-1] = name.group(1).strip()  # "وقال مدير المرصد، رامي عبدالرحمن، إن": the name after the title
            told = re.match(r"^(.+?)\s+ل(?:ـ)?\s*(\S.*)$", parts[-1])
            if told and (resolver.registry.by_name(told.group(2)) or re.match(
                    r"(?:ال)?(?:وكالة|قناة|صحيفة|موقع|تلفزيون|إذاعة|شبكة|مراسل)(?![\w])", told.group(2))):
                parts = parts[:-1] + [told.group(2), told.group(1)]  # "مصدر عسكري لسانا", "مصدر طبي لوكالة …": told them
            names = [resolver.resolve(x) for x in parts]
            names = [n for n in names if n.name]
            if names:
                found.append(Attribution(tuple(n.name for n in names), tuple(n.id for n in names), s0, s1))
    # "وقالت الوزارة إن … بحسب موقع الجزيرة نت" / "… وذلك نقلًا عن مصادر": a closing cue relays, or sources, the report
    if len(found) >= 2 and not found[-1].anaphoric and found[-1].chain and not found[-2].anaphoric and found[-1].end >= end - 3:
        last, prev = found[-1], found[-2]
        cue = sent[max(0, last.start - start - 14):last.start - start]
        joined = None
        if re.search(r"نقل(?:ا|اً|ًا)\s+عن\s*$", cue):
            joined = (prev.chain + last.chain, prev.ids + last.ids)
        elif re.search(r"(?:حسب|وفقا|وفقاً|طبقا)\s*(?:ما\s+)?(?:لـ?)?\s*$", cue):
            joined = (last.chain + prev.chain, last.ids + prev.ids)
        if joined:  # both cues now speak with the one chain, whichever a figure is nearer to
            found[-2] = Attribution(joined[0], joined[1], prev.start, prev.end)
            found[-1] = Attribution(joined[0], joined[1], last.start, last.end)
    # "وأضاف إن …", "وتابع:": the previous speaker goes on
    for m in re.finditer(r"(?:^|(?<=[\s،,]))[وف]?(?:" + "|".join(_AR["continuing"]) + r")\s*(?:أن|إن|بأن|:|،)", sent):
        s0 = start + m.start()
        if not any(a.start <= s0 < a.end for a in found):
            found.append(Attribution((), (), s0, start + m.end(), anaphoric=True))
    found.sort(key=lambda a: a.start)
    return found


_TITLE_START = re.compile(r"(?i)(?:le|la|l['’]|les|the|un|une|a|an)\s")
_NAME_AFTER_TITLE = re.compile(r",\s*(?P<name>(?-i:[A-Z][\w'’-]+)(?:\s+(?:(?-i:[A-Z][\w'’-]+)|al-\w+|el-\w+|ben|bin|ibn|de|del)){1,3})"
                               r"\s*(?=[,.;]|$)")
_TOLD = re.compile(r"(?i)\b(?:told|tells|tell)\s*$")
_RECIPIENT = re.compile(r"(?i)^(?P<who>.+?)\s+(?:à|au|aux|to)\s+(?P<to>(?:l['’]\s*|la\s+|le\s+|the\s+)?\S.*)$")


def _relays(parts: list[str], upto: str, after: str, kind: str, resolver: NameResolver) -> list[str]:
    """Who relays the innermost speaker: "a source in the area told Sky News" → [Sky News, a source in the
    area]; "des habitants à l'AFP" (after "ont indiqué") → [AFP, des habitants]."""
    if not parts:
        return parts
    if kind in ("subj", "np", "appos") and re.search(r"(?i)\b(?:cited|quoted)\s*$", upto):
        cited = re.match(r"\s+([^,;.]{2,60}?)\s+as\s+say(?:ing)?\b", after)
        if cited:  # "Tolo News cited local sources as saying": Tolo News relays the sources
            return parts + [cited.group(1)]
    if kind in ("subj", "np", "appos") and _TOLD.search(upto):
        words = re.sub(r"^\s*(?:the\s+)", "", after).split()
        for k in range(min(5, len(words)), 0, -1):
            name = " ".join(words[:k]).strip(",.;:")
            outlet = resolver.registry.by_name(re.sub(r"^(?:l['’]\s*|la\s+|le\s+)", "", name, flags=re.I))
            if outlet is not None and outlet.name not in parts:
                return [outlet.name] + parts
    m = _RECIPIENT.match(parts[-1])
    if m:
        to = re.sub(r"^(?:l['’]\s*|la\s+|le\s+|the\s+)", "", m.group("to").strip(), flags=re.I)
        outlet = resolver.registry.by_name(to)
        if outlet is not None:
            return parts[:-1] + [outlet.name, m.group("who").strip()]
    return parts


@lru_cache(maxsize=4)
def _speech_verbs(lang: str) -> str:
    """The speech verbs of ``lang`` as one alternation (built once, not per sentence)."""
    return alt(re.escape(v) for v in lexicon()["speech_verbs"][lang])


def sentence_attributions(text: str, start: int, end: int, lang: str, resolver: NameResolver) -> list[Attribution]:
    if lang == "ar":
        return _arabic_attributions(text, start, end, resolver)
    sent = re.sub(r"[«»“”\"]", " ", text[start:end])  # same length: offsets stay valid
    sent = re.sub(r"\b([A-Z])\.([A-Z])\.", r"\1_\2_", sent)  # "U.S. officials say": no sentence stop inside a speaker
    found: list[Attribution] = []
    taken: list[tuple[int, int]] = []
    ana = _anaphoric_re(lang)
    verbs_re = _speech_verbs(lang)
    for kind, rx in _patterns(lang):
        for m in rx.finditer(sent):
            sp = re.sub(r"\b([A-Z])_([A-Z])_", r"\1.\2.", m.group("sp")).strip()
            s0, s1 = start + m.start("sp"), start + m.end("sp")
            if any(a <= s0 < b or s0 <= a < s1 for a, b in taken):
                continue
            if kind == "np" and any(a.kind == "post" and a.start > s1 for a in found):
                continue  # '"… in the Salihiah neighbourhood" said Rami Abdel Rahman': the quote's end, not a speaker
            if kind == "np":
                inner = list(re.finditer(r"\b(?:an?|the|une?|des|les?|la|l['’])\s", sp, re.I))
                if len(inner) > 1 and not resolver.find(sp[:inner[1].start()]):
                    # "the Israeli-held Golan Heights the Syrian Observatory …": the last phrase that names someone
                    for m2 in inner[1:]:
                        if resolver.find(sp[m2.start():]) or m2 is inner[-1]:
                            s0 += m2.start()
                            sp = sp[m2.start():]
                            break
                if len(sp.split()) > 9:
                    continue
            if kind == "subj":
                cut = re.search(r".*(?:\s/\s|\s[—–-]\s)", sp)  # "Moscou-SANA / Une source russe": skip the dateline
                if cut:
                    s0 += cut.end()
                    sp = sp[cut.end():]
                sp = re.sub(r"^" + _alt("leading_fillers") + r"\s*,?\s*", "", sp, flags=re.I)
                words = sp.split()
                if len(words) > 12:
                    # a run-on clause (punctuation lost): keep the last words if they name a known source
                    tail_words = " ".join(words[-10:])
                    det = list(re.finditer(r"\b(?:an?|the|une?|des|les?|la|l['’])\s", tail_words, re.I))
                    if not det:
                        continue
                    cut = det[0].start() if resolver.find(tail_words[det[0].start():]) else det[-1].start()
                    tail_words = tail_words[cut:]
                    s0 += len(sp) - len(tail_words)
                    sp = tail_words
                if not sp:
                    continue
            told_to = None  # the outlet a speaker told: it relays the statement ("a déclaré à l'AFP une source")
            if kind == "post" and re.match(r"(?:à|au|aux|to)\s", sp, re.I):
                sp_words = sp.split()
                for i in range(len(sp_words) - 1, 1, -1):  # "à Ria Novosti Rizan Haddou": recipient, then speaker
                    outlet = resolver.registry.by_name(re.sub(r"^(?:l['’]\s*)", "", " ".join(sp_words[1:i]), flags=re.I))
                    if outlet and (sp_words[i][:1].isupper() or re.fullmatch(r"(?i)un|une|des|le|la|les|l['’]\w*", sp_words[i])):
                        s0 += len(" ".join(sp_words[:i])) + 1
                        sp = " ".join(sp_words[i:])
                        told_to = outlet.name
                        break
                else:
                    continue
            elif kind == "post":
                rec = re.search(r"(?i)\b(?:à|au|aux|to)\s+(?:l['’]\s*)?([^,;.]{2,40}?)\s+(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|"
                                r"dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hier|aujourd['’]hui)\s+)?$",
                                sent[m.start():m.start("sp")])
                outlet = resolver.registry.by_name(rec.group(1)) if rec else None
                told_to = outlet.name if outlet else None
            if kind == "appos" and (re.search(r"\d", text[s1:start + m.end()]) or re.search(verbs_re, text[s1:start + m.end() - 12])):
                continue  # the apposition holds a figure or another report: not one speaker's aside
            named = _NAME_AFTER_TITLE.match(text, s1, end) if kind == "post" and _TITLE_START.match(sp) else None
            if named:  # "a déclaré le gouverneur nommé par Moscou, Vladimir Saldo": the person after the title speaks
                s0, s1, sp = start + (named.start("name") - start), named.end("name"), named.group("name")
            bare = re.sub(r"^(?:toujours|also|même)\s+", "", sp, flags=re.I)
            known = resolver.find(sp)
            if (ana.match(bare) or ana.match(sp)) and not (known and len(sp.split()) > 2):
                # "l'Observatoire" points back; "l'Observatoire syrien des droits de l'Homme" names it
                noun = "" if re.fullmatch(r"(?i)(?:il|elle|ils|elles|he|she|they|it|هو|هي|هم)", bare) else clean_phrase(sp)
                found.append(Attribution((), (), s0, s1, anaphoric=True, kind=kind, phrase=noun))
                taken.append((s0, s1))
                continue
            if _NON_SPEAKERS.search(sp):
                continue
            if kind == "subj" and not known and not re.match(
                    r"(?:" + _DET_FR + r"|the\s|a\s|an\s|some\s|[A-Z])", sp) and not bare_speaker(sp, lang):
                continue  # a clause fragment; "police said", "officials said" are speakers without a determiner
            # "X, citant Y" spreads over two clauses: extend the phrase with what follows
            tail = re.match(r"(?:\s+(?:" + verbs_re + r")(?:\s+(?:on\s+)?\w+){0,2}?)?" + _NESTED + r"(?P<inner>[^,;.()«»\"“”]{2,100}?)"
                            + _STOP, text[s1:end], re.IGNORECASE) if kind != "pre" else None
            tail = tail or re.match(_NESTED + r"(?P<inner>[^,;.()«»\"“”]{2,100}?)" + _STOP, text[s1:end], re.IGNORECASE)
            phrase = sp + (text[s1:s1 + tail.end()] if tail else "")
            parts, pronoun = [], False
            for part in _split_nested(phrase):
                if resolver.find(part) is None:
                    cleaned = speaker_phrase(part, lang)  # a clause fragment is nobody (speakers.py)
                    if cleaned is None:
                        continue
                    part, pronoun = cleaned[0], pronoun or cleaned[1]
                parts.append(part)
            if pronoun and len(parts) == 1:  # "… areas of Aleppo province he said": the previous speaker
                found.append(Attribution((), (), s0, s1, anaphoric=True, kind=kind))
                taken.append((s0, s1))
                continue
            parts = _relays(parts, sent[:m.end()], text[start + m.end():end], kind, resolver)
            if told_to and told_to not in parts:
                parts = [told_to] + parts
            names = [resolver.resolve(p) for p in parts]
            names = [n for n in names if n.name]
            if not names:
                continue
            e1 = s1 + (tail.end() if tail else 0)
            found = [a for a in found if not (s0 <= a.start and a.end <= e1)]
            found.append(Attribution(tuple(n.name for n in names), tuple(n.id for n in names), s0, e1, kind=kind))
            taken.append((s0, e1))
    # "il a ajouté", "a-t-il expliqué", "he added": the previous speaker goes on
    for m in re.finditer(r"\b\w+-t-(?:il|elle|ils|elles)\b|^\s*" + _alt("continuing_pronouns") + r"\s+(?:a\s+|ont\s+|has\s+)?(?:"
                         + verbs_re + r")\b", sent, re.IGNORECASE):
        s0 = start + m.start()
        if not any(a.start <= s0 < a.end for a in found):
            found.append(Attribution((), (), s0, start + m.end(), anaphoric=True))
    found.sort(key=lambda a: a.start)
    if len(found) >= 2 and not found[-1].anaphoric and not found[-2].anaphoric and found[-1].end >= end - 3 \
            and found[-1].chain and 0 <= found[-1].start - found[-2].end <= 40 and "," in text[found[-2].end:found[-1].start]:
        # "…, the ministry said on Wednesday, Trend reports citing TASS": the closing report relays the one before
        last, prev = found[-1], found[-2]
        found[-2] = Attribution(last.chain + prev.chain, last.ids + prev.ids, prev.start, prev.end, kind=prev.kind)
    # "Citée par Interfax, la source russe a souligné …": a leading 'cité par X' heads the next chain
    merged: list[Attribution] = []
    for a in found:
        if (merged and not a.anaphoric and not merged[-1].anaphoric and len(merged[-1].chain) == 1
                and re.search(_alt("leading_relays") + r"\s+$", sent[max(0, merged[-1].start - start - 16):merged[-1].start - start], re.I)):
            prev = merged.pop()
            a = Attribution(prev.chain + a.chain, prev.ids + a.ids, prev.start, a.end)
        elif merged and a.anaphoric and len(merged[-1].chain) == 1 and not merged[-1].anaphoric and re.search(
                _alt("leading_relays") + r"\s+$", sent[max(0, merged[-1].start - start - 16):merged[-1].start - start], re.I):
            prev = merged.pop()
            a = Attribution((), (), prev.start, a.end, anaphoric=True, outer=prev.chain)
        merged.append(a)
    # « Des sources … ont annoncé … », a indiqué la même source: the closing speaker relays the quote
    if len(merged) > 1 and re.match(r"\s*[«\"“]", text[start:end]) and merged[-1].kind == "post" and merged[-1].end >= end - 3:
        closing = merged[-1]
        merged = [Attribution(a.chain, a.ids, a.start, a.end, a.anaphoric, closing.chain + a.outer, a.kind) if closing.anaphoric
                  else Attribution(closing.chain + a.chain, closing.ids + a.ids, a.start, a.end, a.anaphoric, a.outer, a.kind)
                  for a in merged[:-1]] + [closing]
        if closing.anaphoric:
            merged = [Attribution(a.chain, a.ids, a.start, a.end, True, ("\x00",) + a.chain, a.kind) for a in merged[:-1]] + [closing]
    return merged


def attribute_sentences(text: str, sentences, lang: str, resolver: NameResolver,
                        cited: tuple[str, ...] = ()) -> list[list[Attribution]]:
    """Attributions per sentence with carry-over resolved (anaphoric cues take the last chain)."""
    out: list[list[Attribution]] = []
    last: Attribution | None = None
    for s, e in sentences:
        atts = sentence_attributions(text, s, e, lang, resolver)
        resolved = []
        for a in atts:
            if a.anaphoric:
                if last is None:
                    if a.phrase:  # "The Observatory, which monitors …, said": nobody before it, it speaks itself
                        resolved.append(Attribution((a.phrase,), (None,), a.start, a.end, kind=a.kind))
                    continue
                if a.outer[:1] == ("\x00",):  # a quote relayed by an anaphoric closing speaker
                    a = Attribution(last.chain + a.outer[1:], last.ids + (None,) * (len(a.outer) - 1), a.start, a.end, True)
                else:
                    a = Attribution(a.outer + last.chain, (None,) * len(a.outer) + last.ids, a.start, a.end, True)
            resolved.append(a)
        if cited:
            resolved = [Attribution(cited + a.chain, (None,) * len(cited) + a.ids, a.start, a.end, a.anaphoric) for a in resolved]
        if resolved:
            best = max(resolved, key=lambda a: (len(a.chain), a.start))
            last = best if not cited else Attribution(best.chain[len(cited):], best.ids[len(cited):], 0, 0)
        out.append(resolved)
    return out


def chain_for(position: int, atts: list[Attribution], cited: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The chain that covers a figure at ``position``: the nearest cue in its sentence."""
    if not atts:
        return cited
    best = min(atts, key=lambda a: (0 if a.start <= position else 1) * 0 + min(abs(position - a.start), abs(position - a.end)))
    return best.chain


def cited_names(article, resolver: NameResolver) -> tuple[str, ...]:
    """'Source: PressTV' lines credited by the article, resolved; 'Divers'/'Agencies' are not speakers."""
    names = []
    for c in article.cited_sources or ():
        n = resolver.resolve(c)
        if n.kind != "text" or not re.fullmatch(r"(?i)divers|agences?|agencies|various|sources?|presse", n.name):
            names.append(n.name)
    for b in article.boilerplate or ():
        if getattr(b, "kind", None) == "source":
            raw = re.sub(r"^\s*(?:source|sources)\s*:\s*", "", b.text, flags=re.I).strip()
            if raw:
                n = resolver.resolve(raw)
                if n.kind != "text" and n.name not in names:
                    names.append(n.name)
    return tuple(names)
