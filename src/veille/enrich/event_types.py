"""What kind of event a span of text reports: ACLED's 6 types and 25 sub-types, or none.

Why a learned model and not a cue list: cue lists written on one war (strikes, shelling) missed
whatever else happens (protests dispersed, ceasefires signed, towns handed over, lynchings).
The typing reads two things and weighs them with a small multinomial logistic regression:

1. **concepts of the ACLED codebook** (``data/event_types/concepts.json``): for each language a
   few stems per concept — a protest, its dispersal, a death, a riot's stones and fires, a mob,
   a rape, an abduction, an arrest, a clash, a town retaken, seized, handed over, an air strike,
   shelling, an IED, a suicide bomber, a grenade, a chemical, a disrupted weapon, a base, looting,
   an agreement, a curfew or a merger, and what is *not* political violence (a flood, an
   industrial accident, a drug cartel, a state visit, a claim of responsibility). A stem counts
   only when it is asserted: a negation ("no one was killed") or an irrealis cue ("threatened
   to", "could") earlier in its clause voids it. Concepts are read in the whole span and in its
   first sentence (what the lead is about), and in pairs (a protest *and* a death is force
   against protesters; a protest *and* stones is a riot);
2. **the sentence vector** of the multilingual Universal Sentence Encoder veille already ships
   (``link/embed.py``): French, English and Arabic land in one space, so sentences learnt in one
   language help the others.
3. **who acts on whom**, from the parse veille already computes (``Doc.tokens``; English and
   French): each verb's class (take, retake, leave, find, disperse …, ``data/event_types/roles.json``)
   with the class of its subject and of its object — rebels taking a town overtake it, troops
   retake it, police seizing rifles disrupt weapons use, police firing at a crowd intervene in a
   protest (``role_features``). Arabic has no parse: these features are 0 there.

The model (``data/event_types/model.npz``, ~0.2 MB) is trained by ``scripts/train_event_types.py``
on sentences written for it from the codebook's definitions (``data/event_types/sentences_*.tsv``,
English, French, Arabic) plus, when given, the CASE 2021 development snippets; its labels are the
CASE 2021 names (25 ACLED sub-types, five kinds ACLED does not code, and ``NO_EVENT`` for a
sentence that reports nothing).

The older cue table (``claim_lexicon.json`` ``events.rows``, in ACLED's precedence: chemical before
air strike before shelling …) stays below as ``classify``: it names the *weapon* of a violent event
precisely where the text names it, and the event builder reads it together with the model
(``type_span``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from .lexicon import alt, lexicon
from .textnorm import fold

DATA = resources.files("veille") / "data" / "event_types"

# label → (ACLED event_type, sub_event_type); None: not an ACLED event
ACLED: dict[str, tuple[str, str] | None] = {
    "ARMED_CLASH": ("Battles", "Armed clash"),
    "GOV_REGAINS_TERIT": ("Battles", "Government regains territory"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("Battles", "Non-state actor overtakes territory"),
    "CHEM_WEAP": ("Explosions/Remote violence", "Chemical weapon"),
    "AIR_STRIKE": ("Explosions/Remote violence", "Air/drone strike"),
    "SUIC_BOMB": ("Explosions/Remote violence", "Suicide bomb"),
    "ART_MISS_ATTACK": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "REM_EXPLOS": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "GRENADE": ("Explosions/Remote violence", "Grenade"),
    "SEX_VIOL": ("Violence against civilians", "Sexual violence"),
    "ATTACK": ("Violence against civilians", "Attack"),
    "ABDUCT_DISSAP": ("Violence against civilians", "Abduction/forced disappearance"),
    "PEACE_PROTEST": ("Protests", "Peaceful protest"),
    "PROTEST_WITH_INTER": ("Protests", "Protest with intervention"),
    "FORCE_AGAINST_PROTEST": ("Protests", "Excessive force against protesters"),
    "VIOL_DEMONSTR": ("Riots", "Violent demonstration"),
    "MOB_VIOL": ("Riots", "Mob violence"),
    "AGREEMENT": ("Strategic developments", "Agreement"),
    "ARREST": ("Strategic developments", "Arrests"),
    "CHANGE_TO_GROUP_ACT": ("Strategic developments", "Change to group/activity"),
    "DISR_WEAP": ("Strategic developments", "Disrupted weapons use"),
    "HQ_ESTABLISHED": ("Strategic developments", "Headquarters or base established"),
    "PROPERTY_DISTRUCT": ("Strategic developments", "Looting/property destruction"),
    "NON_VIOL_TERRIT_TRANSFER": ("Strategic developments", "Non-violent transfer of territory"),
    "OTHER": ("Strategic developments", "Other"),
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
    "ORG_CRIME": None,
    "DIPLO": None,
    "ATTRIB": None,
    "NO_EVENT": None,
}
LABELS: tuple[str, ...] = tuple(ACLED)
BY_SUB = {v[1]: k for k, v in ACLED.items() if v}
USE_WEIGHT = 4.0  # the sentence vector is unit length; this puts it on the scale of the 0/1 concept features


@dataclass(frozen=True)
class Typing:
    """The type of one span: its label, ACLED's names (None when ACLED codes no event), the
    probability the model gives it, and the concepts that fired (why)."""

    label: str
    event_type: str | None
    sub_event_type: str | None
    probability: float
    concepts: tuple[str, ...] = ()
    by: str = "model"  # "concepts": the concepts alone decided (no sentence vector computed)
    not_political: float = 0.0  # the probability of all the kinds that are no political event together
    event_probability: float = 0.0  # the probability of all ACLED's sub-types together: *some* event is reported
    best_event: str | None = None  # the most probable ACLED sub-type (the label when the label is one)
    act: bool = False  # the parse reads an act of force in the span's first sentence (``act_of_force``)

    @property
    def vetoed(self) -> bool:
        """A flood, an industrial accident, a cartel's crime — no political event — when the model's
        probability of those kinds *together* reaches 0.5: its mass is often split between two of them
        (a landslide's deaths half natural, half man-made disaster), neither alone on top."""
        return max(self.not_political, self.probability if self.label in NOT_POLITICAL else 0.0) >= 0.5

    @property
    def is_event(self) -> bool:
        return self.event_type is not None


@lru_cache(maxsize=1)
def concepts() -> dict[str, dict[str, list[str]]]:
    raw = json.loads((DATA / "concepts.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


MODIFIERS = ("negation", "irrealis")


@lru_cache(maxsize=1)
def concept_names() -> tuple[str, ...]:
    return tuple(k for k in concepts() if k not in MODIFIERS)


@lru_cache(maxsize=8)
def _patterns(lang: str) -> dict[str, re.Pattern[str]]:
    lang = lang if lang in ("fr", "ar") else "en"
    out = {}
    for name, by_lang in concepts().items():
        pats = sorted((fold(p) for p in by_lang.get(lang, [])), key=len, reverse=True)
        if not pats:
            continue
        start = "" if lang == "ar" else r"(?<![\w])"
        out[name] = re.compile(start + "(?:" + "|".join(pats) + ")")
    return out


_CLAUSE_END = re.compile(r"[.;:!?]|,\s*(?:but|while|whereas|mais|alors que|tandis que|لكن)\b|\b(?:after|before|après|avant|بعد|قبل)\b")


def _asserted(folded: str, pos: int, pats: dict[str, re.Pattern[str]]) -> bool:
    """Is the cue at ``pos`` asserted? A negation or an irrealis word earlier in its clause
    (within 60 characters) voids it: "no one was killed", "threatened to attack"."""
    left = folded[max(0, pos - 60):pos]
    ends = list(_CLAUSE_END.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    for mod in MODIFIERS:
        rx = pats.get(mod)
        if rx is not None and rx.search(left):
            return False
    return True


def first_sentence_end(text: str) -> int:
    m = re.search(r"[.!?؟](?:\s|$)", text[40:])
    return 40 + m.end() if m else len(text)


def concept_hits(text: str, lang: str) -> dict[str, list[int]]:
    """Concept → positions (in folded text, same length for Latin scripts) of its asserted cues."""
    folded = fold(text)
    pats = _patterns(lang)
    hits: dict[str, list[int]] = {}
    for name in concept_names():
        rx = pats.get(name)
        if rx is None:
            continue
        for m in rx.finditer(folded):
            if _asserted(folded, m.start(), pats):
                hits.setdefault(name, []).append(m.start())
    return hits


AGENTS = ("state_forces", "armed_group", "protest", "civilian_target", "mob")
CONTEXT = ("lethal", "injury")  # what an event did, not what it was


def concept_features(text: str, lang: str, hits: dict[str, list[int]] | None = None) -> np.ndarray:
    """[anywhere (n), in the first sentence (n), pairs anywhere (n·(n-1)/2), agent (a), agent × concept (a·n)]
    as 0/1. The *agent* is the kind of actor named first in the span — in a news lead, the subject of the
    event ("Troops captured …" retakes a town; "Rebels captured …" overtake it)."""
    names = concept_names()
    n = len(names)
    hits = concept_hits(text, lang) if hits is None else hits
    first = first_sentence_end(fold(text))
    anywhere = np.array([1.0 if k in hits else 0.0 for k in names], dtype=np.float32)
    lead = np.array([1.0 if any(p < first for p in hits.get(k, ())) else 0.0 for k in names], dtype=np.float32)
    iu = np.triu_indices(n, 1)
    pairs = np.outer(anywhere, anywhere)[iu].astype(np.float32)
    agent = np.zeros(len(AGENTS), dtype=np.float32)
    named = [(min(hits[k]), i) for i, k in enumerate(AGENTS) if k in hits]
    if named:
        agent[min(named)[1]] = 1.0
    # the event named first: a lead states its main event before the background ("Police arrested 20
    # protesters after they set fire to …")
    firsts = np.zeros(n, dtype=np.float32)
    events = [(min(hits[k]), i) for i, k in enumerate(names) if k in hits and k not in AGENTS and k not in CONTEXT]
    if events:
        firsts[min(events)[1]] = 1.0
    return np.concatenate([anywhere, lead, pairs, agent, np.outer(agent, anywhere).ravel(), firsts])


# --- who acts on whom: the parse (English, French) ------------------------------------------------

ROLE_SENTENCES = 1  # the span's first sentence: a lead states its event first (cross-validated: 1 > 2 > 3 sentences)
ROLE_WEIGHT = 2.0  # the role features' scale beside the concepts and the vector (cross-validated: 1, 2, 0.5)
ACTOR_CLASSES = ("force", "fighter", "crowd", "mob", "civilian")  # who acts: the subject's (or passive agent's) class
_SUBJ, _SUBJ_PASS, _OBJ = {"nsubj"}, {"nsubjpass", "nsubj:pass"}, {"dobj", "obj"}
_AGENT, _OBL = {"agent", "obl:agent"}, {"obl", "obl:mod", "obl:arg"}


@lru_cache(maxsize=1)
def role_lexicon() -> dict:
    raw = json.loads((DATA / "roles.json").read_text(encoding="utf-8"))
    return {"verbs": raw["verbs"], "nouns": raw["nouns"], "undergoers": raw.get("undergoers", {}),
            "acts": raw.get("acts", {})}


@lru_cache(maxsize=4)
def _role_tables(lang: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    lang = "fr" if lang == "fr" else "en"
    tables: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
    for table, part in zip(tables, ("verbs", "nouns")):
        for cls, by_lang in role_lexicon()[part].items():
            for word in by_lang.get(lang, ()):
                table.setdefault(fold(word), set()).add(cls)
    return tables


def role_size() -> int:
    nv, nn = len(role_lexicon()["verbs"]), len(role_lexicon()["nouns"]) + 1
    return nv + (len(ACTOR_CLASSES) + 1) * nv + 2 * nv * nn


def role_features(text: str, lang: str, tokens: Sequence | None, head_end: int = 0) -> np.ndarray:
    """Who did what to whom, from the parse (``syntax.Token``s with offsets into ``text``), as 0/1:
    [verb class (v), actor class × verb class ((a+1)·v), verb class × object class (v·(n+1)),
    verb class × prepositional-object class (v·(n+1))].

    For each verb of the span's first ``ROLE_SENTENCES`` sentences whose lemma (or form) has a class
    (``data/event_types/roles.json``: take, retake, leave, find, disperse …): its actor is the class of its
    subject — of the "by" agent in the passive, of the head verb's subject for a conjoined or participial
    verb ("… and took control", "…, dispersing the crowd") —, its object the class of its direct object
    (the passive subject), else of that phrase's complement ("a cache *of weapons*"). So "rebels seized
    the town" (fighter > take > territory) is not "troops seized the town" (force > take > territory), nor
    "police seized rifles" (take > weapon), nor "police fired tear gas at protesters" (disperse > crowd).
    Without tokens (Arabic, no parse) every feature is 0. ``head_end``: the span opens with a headline/title
    that ends there (``text[:head_end]``, parsed apart: ``join_tokens``); its verbs are read too, and the
    first sentences are counted from the body's."""
    verbs, nouns = tuple(role_lexicon()["verbs"]), tuple(role_lexicon()["nouns"])
    nv, nn, na = len(verbs), len(nouns) + 1, len(ACTOR_CLASSES) + 1
    out = np.zeros(role_size(), dtype=np.float32)
    if not tokens:
        return out
    vtab, ntab = _role_tables(lang)
    undergoers = {fold(w) for w in role_lexicon()["undergoers"].get("fr" if lang == "fr" else "en", ())}
    kids: dict[int, list[int]] = {}
    for t in tokens:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t.i)
    sentence, s = [], -1
    for t in tokens:
        if t.start < head_end:  # the title: always read
            sentence.append(-1)
            continue
        s += 1 if (t.sent_start or s < 0) else 0
        sentence.append(s)

    def noun_classes(i: int) -> set[str]:
        lemma = fold(tokens[i].lemma)
        return ntab.get(lemma, set()) | ntab.get(lemma.rstrip("s"), set())

    def subtree(i: int) -> list[int]:
        acc, stack = [], [i]
        while stack:
            j = stack.pop()
            acc.append(j)
            stack += kids.get(j, [])
        return sorted(acc)

    def classes(i: int) -> set[str]:
        own = noun_classes(i)
        return own or set().union(*(noun_classes(j) for j in subtree(i)))

    def dependents(v: int, deps: set[str]) -> list[int]:
        return [c for c in kids.get(v, []) if tokens[c].dep in deps]

    def actor(idx: list[int]) -> int:
        for i in idx:
            found = noun_classes(i) or next((c for c in map(noun_classes, subtree(i)) if c), set())
            for k, name in enumerate(ACTOR_CLASSES):
                if name in found:
                    return k
        return len(ACTOR_CLASSES)

    for v, t in enumerate(tokens):
        if sentence[v] >= ROLE_SENTENCES or t.pos not in ("VERB", "AUX", "NOUN") or (t.pos == "NOUN" and t.dep != "ROOT"):
            continue
        vclasses = vtab.get(fold(t.lemma), set()) | vtab.get(fold(text[t.start:t.end]), set())
        if not vclasses:
            continue
        passive = bool(dependents(v, _SUBJ_PASS))
        subj = dependents(v, _SUBJ_PASS if passive else _SUBJ)
        w, hops = v, 0
        while not subj and tokens[w].dep in ("conj", "advcl", "xcomp", "acl", "relcl") and tokens[w].head != w and hops < 3:
            w, hops = tokens[w].head, hops + 1
            if tokens[v].dep in ("acl", "relcl") or tokens[w].dep in ("acl", "relcl"):
                subj = [] if passive else [w]  # "the crowds dispersing …": the noun the clause qualifies
                break
            subj = dependents(w, _SUBJ)
        if passive or fold(t.lemma) in undergoers:  # "protesters were killed", "four protesters died": they undergo it
            agents = [g for c in dependents(v, _AGENT) for g in [c] + [x for x in kids.get(c, []) if tokens[x].dep == "pobj"]]
            objects = subj
        else:
            agents, objects = subj, dependents(v, _OBJ)
        obliques = dependents(v, _OBL) + [g for p in dependents(v, {"prep"}) for g in kids.get(p, []) if tokens[g].dep == "pobj"]
        a = actor(agents)
        obj = set().union(*map(classes, objects)) if objects else set()
        obl = set().union(*map(classes, obliques)) if obliques else set()
        for cls in vclasses:
            k = verbs.index(cls)
            out[k] = 1.0
            out[nv + a * nv + k] = 1.0
            base = nv + na * nv
            for n in obj or {None}:
                out[base + k * nn + (nouns.index(n) if n else nn - 1)] = 1.0
            base += nv * nn
            for n in obl or {None}:
                out[base + k * nn + (nouns.index(n) if n else nn - 1)] = 1.0
    return out


def role_names(vector: np.ndarray) -> list[str]:
    """The role features set in ``vector`` (a ``role_features`` row), named: "take", "fighter>take",
    "take>obj:territory", "disperse>obl:crowd" ("-": none) — to read why a span was typed so."""
    verbs, nouns = tuple(role_lexicon()["verbs"]), tuple(role_lexicon()["nouns"]) + ("-",)
    actors = ACTOR_CLASSES + ("-",)
    nv, nn, na = len(verbs), len(nouns), len(actors)
    out = []
    for k in np.flatnonzero(vector):
        if k < nv:
            out.append(verbs[k])
        elif k < nv + na * nv:
            r = k - nv
            out.append(f"{actors[r // nv]}>{verbs[r % nv]}")
        else:
            r = k - nv - na * nv
            part, r = ("obj", r) if r < nv * nn else ("obl", r - nv * nn)
            out.append(f"{verbs[r // nn]}>{part}:{nouns[r % nn]}")
    return out


def act_of_force(vector: np.ndarray) -> bool:
    """Does a ``role_features`` row (0/1, or scaled) read an act of force: a verb of force (attack, kill,
    harm, abduct, burn, fight, explode, take …: ``roles.json`` "acts") done by or to a participant
    (a force, fighters, a crowd, a mob, civilians, property), or an armed actor (force, fighters, a mob)
    doing one of those, or dispersing, firing, finding ("gunmen fired gunshots against drivers")?

    Why: where no cue of the table fires, the model's top sub-type alone is often unsure on a terse
    note ("militants burned farmland": property destruction 0.18, a change of activity 0.13 …) though
    nearly all its probability is on *some* ACLED event. Political news ("the senator attacked the bill",
    "the minister left office") has verbs of the same classes but no such participant, and stays out."""
    acts = role_lexicon()["acts"]
    verbs, participants, armed = set(acts.get("verbs", ())), set(acts.get("participants", ())), set(acts.get("armed", ()))
    armed_verbs = verbs | set(acts.get("armed_verbs", ()))
    for name in role_names(vector):
        if ">" not in name:
            continue
        left, right = name.split(">", 1)
        if right.startswith(("obj:", "obl:")):  # verb > object
            if left in verbs and right.split(":", 1)[1] in participants and right.startswith("obj:"):
                return True
        elif (left in armed and right in armed_verbs) or (left in participants and right in verbs):  # actor > verb
            return True
    return False


TERRITORY = ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER")


def territory_by_codebook(p: np.ndarray, roles: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """ACLED's codebook, not the words, says which change of territory it is, where the model already
    reads one (its top label is one of ``TERRITORY``) and the parse (``role_names``) says who took it:
    a town taken while the other side withdrew, with no fighting read, is a *non-violent transfer*
    ("rebels entered Afrin after the YPG pulled out"); otherwise the taker decides — government forces
    *regain* territory ("troops recaptured the town"), non-state fighters *overtake* it, whatever the verb
    ("opposition fighters retook the town from government forces"). The top probability moves to the
    codebook's label (a swap: the other probabilities, and the total of ACLED events, are unchanged)."""
    k = int(p.argmax())
    if labels[k] not in TERRITORY or not all(t in labels for t in TERRITORY):
        return p
    names = set(roles)
    took = bool(names & {"take", "retake"})
    force = bool(names & {"force>take", "force>retake"})
    fighter = bool(names & {"fighter>take", "fighter>retake"})
    if took and "leave" in names and "fight" not in names:
        want = "NON_VIOL_TERRIT_TRANSFER"
    elif force != fighter:
        want = "GOV_REGAINS_TERIT" if force else "NON_STATE_ACTOR_OVERTAKES_TER"
    else:
        return p
    j = labels.index(want)
    if j == k:
        return p
    p = p.copy()
    p[j], p[k] = p[k], p[j]
    return p


def join_tokens(first: Sequence, second: Sequence) -> tuple:
    """Two parses as one span's tokens: ``second`` renumbered after ``first`` (its heads too), its first
    token opening a sentence — a title parsed apart, then the lead's tokens (offsets already into the span)."""
    n = len(first)
    return tuple(first) + tuple(replace(t, i=t.i + n, head=t.head + n, sent_start=t.sent_start or k == 0)
                                for k, t in enumerate(second))


def span_tokens(tokens: Sequence, start: int, end: int, shift: int = 0) -> tuple:
    """The tokens inside [start, end) of a text, renumbered from 0 with offsets moved by ``shift - start``
    (into the typed span's own text); a head outside the span makes its token a root."""
    inside = [t for t in tokens if t.start >= start and t.end <= end]
    if not inside:
        return ()
    new = {t.i: k for k, t in enumerate(inside)}
    d = shift - start
    return tuple(replace(t, i=k, head=new.get(t.head, k), start=t.start + d, end=t.end + d,
                          sent_start=t.sent_start or k == 0) for k, t in enumerate(inside))


def parse_tokens(texts: Sequence[str], langs: Sequence[str]) -> list[tuple]:
    """Parse each text with the language's spaCy model (training and benchmarks; the pipeline reads
    ``Doc.tokens`` instead). Arabic: no model, no tokens."""
    from .syntax import MODELS, parse

    return [parse(t, lang)[0] if lang in MODELS and t.strip() else () for t, lang in zip(texts, langs)]


def lex_features(texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """The concepts-only model's input."""
    if not texts:
        return np.zeros((0, lex_size()), np.float32)
    return np.stack([concept_features(t, lang) for t, lang in zip(texts, langs)])


def roles_matrix(texts: Sequence[str], langs: Sequence[str], tokens: Sequence | None,
                 heads: Sequence[int] | None = None) -> np.ndarray:
    tokens = tokens if tokens is not None else [()] * len(texts)
    heads = heads if heads is not None else [0] * len(texts)
    if not texts:
        return np.zeros((0, role_size()), np.float32)
    return ROLE_WEIGHT * np.stack([role_features(t, lang, tk, h) for t, lang, tk, h in zip(texts, langs, tokens, heads)])


def features(texts: Sequence[str], langs: Sequence[str], vectors: np.ndarray | None = None,
             tokens: Sequence | None = None) -> np.ndarray:
    """A full model's input: concept features, the role features when ``tokens`` (the parse of each text)
    are given — ``W_roles``'s input —, and the sentence vectors (computed when not given)."""
    if vectors is None:
        vectors = embed(texts)
    parts = [lex_features(texts, langs)] + ([roles_matrix(texts, langs, tokens)] if tokens is not None else [])
    return np.hstack(parts + [USE_WEIGHT * np.asarray(vectors, dtype=np.float32)])


def embed(texts: Sequence[str]) -> np.ndarray:
    from ..link.embed import Embedder

    return Embedder.shared().encode(list(texts))


# --- the model -----------------------------------------------------------------------------

def train(X: np.ndarray, y: np.ndarray, n_labels: int, l2: float = 1e-3, iters: int = 400,
          weights: np.ndarray | None = None) -> np.ndarray:
    """Multinomial logistic regression, full-batch Adam, L2 on the weights (not the bias).
    Deterministic: zero start, fixed order. Returns W of shape (features + 1, labels)."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1), dtype=X.dtype)]).astype(np.float64)
    Y = np.eye(n_labels)[y]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    W = np.zeros((d + 1, n_labels))
    m = np.zeros_like(W)
    v = np.zeros_like(W)
    reg = np.ones((d + 1, 1))
    reg[-1] = 0.0
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, iters + 1):
        Z = Xb @ W
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = Xb.T @ ((P - Y) * w[:, None]) + l2 * W * reg
        m = b1 * m + (1 - b1) * G
        v = b2 * v + (1 - b2) * G * G
        W -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
    return W.astype(np.float32)


def probabilities(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    Z = np.hstack([X, np.ones((len(X), 1), dtype=X.dtype)]) @ W
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    return P / P.sum(axis=1, keepdims=True)


def read_sentences(langs: Sequence[str] = ("en", "fr", "ar")) -> list[tuple[str, str, str]]:
    """The written training sentences: (label, language, text)."""
    out = []
    for lang in langs:
        for line in (DATA / f"sentences_{lang}.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                label, text = line.split("\t", 1)
                if label not in ACLED:
                    raise ValueError(f"sentences_{lang}.tsv: unknown label {label!r}")
                out.append((label, lang, text))
    return out


LEX_DECISIVE = 0.7  # the concepts-only model this sure, and the cue table agreeing, decide alone: no vector computed


def _with_bias(n_inputs: int) -> int:
    return n_inputs + 1


def lex_size() -> int:
    n = len(concept_names())
    return 2 * n + n * (n - 1) // 2 + len(AGENTS) * (1 + n) + n


class EventTyper:
    """The trained models behind one call: ``type(texts, langs)`` → one ``Typing`` per text.

    Three weight matrices: ``W_roles`` reads the concepts, the role features of the parse and the
    sentence vector (a span with tokens: English, French); ``W`` the concepts and the vector (a span
    without a parse: Arabic, or ``Settings.parse`` off — trained apart, so that what the parse explains
    in English is not withdrawn from the concepts and vector Arabic relies on); ``W_lex`` the concepts
    alone. Where the concepts are decisive — ``W_lex`` gives a label ≥ ``LEX_DECISIVE`` *and* the cue
    table (``classify``, an independent reader with its own irrealis and "not after" rules) names the
    same sub-type: "a suicide bomber blew himself up", "police arrested" — that answer stands and no
    vector is computed (cross-validated on CASE 2021: a quarter of the snippets, no accuracy lost;
    the concepts alone, without the cue table's agreement, were over-confident on a "retrait annoncé"
    that is no withdrawal). The others are encoded together, in one batched call of ``encoder``
    (the pipeline's shared ``link.embed.Embedder``, loaded once per process through ``Resources``)."""

    def __init__(self, W: np.ndarray, labels: Sequence[str], W_lex: np.ndarray | None = None, encoder=None,
                 W_roles: np.ndarray | None = None):
        self.W = W
        self.W_lex = W_lex
        self.W_roles = W_roles
        self.labels = tuple(labels)
        self.encoder = encoder

    @classmethod
    def load(cls, path=None, encoder=None) -> "EventTyper":
        src = path or (DATA / "model.npz")
        with (open(src, "rb") if path else src.open("rb")) as fh:
            data = np.load(fh, allow_pickle=False)
            W, labels = data["W"].astype(np.float32), [str(x) for x in data["labels"]]
            W_lex = data["W_lex"].astype(np.float32) if "W_lex" in data.files else None
            W_roles = data["W_roles"].astype(np.float32) if "W_roles" in data.files else None
        expected = _with_bias(lex_size() + 512)
        if W.shape[0] != expected or (W_lex is not None and W_lex.shape[0] != _with_bias(lex_size())) or \
                (W_roles is not None and W_roles.shape[0] != _with_bias(lex_size() + role_size() + 512)):
            raise ValueError(f"event-type model {src}: {W.shape[0]} inputs, the concepts give {expected}; retrain it "
                             "(python scripts/train_event_types.py)")
        return cls(W, labels, W_lex, encoder, W_roles)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.encoder is not None:
            return self.encoder.encode(list(texts))
        return embed(texts)

    def _probabilities(self, W: np.ndarray, X: np.ndarray, exclude: Sequence[str]) -> np.ndarray:
        P = probabilities(W, X)
        for lab in exclude:
            if lab in self.labels:
                P[:, self.labels.index(lab)] = 0.0
        return P / P.sum(axis=1, keepdims=True)

    def type(self, texts: Sequence[str], langs: Sequence[str], vectors: np.ndarray | None = None,
             exclude: Sequence[str] = (), tokens: Sequence | None = None,
             heads: Sequence[int] | None = None) -> list[Typing]:
        """One ``Typing`` per text. ``vectors`` (given): the sentence vectors of all texts, and the full
        model types every one; else only the texts the concepts do not decide are encoded, in one call.
        ``tokens``: the parse of each text (``span_tokens`` of ``Doc.tokens``; None: no role features);
        ``heads``: where each text's headline/title ends, when its tokens include the title's (0: none)."""
        if not texts:
            return []
        hits = [concept_hits(t, lang) for t, lang in zip(texts, langs)]
        lex = np.stack([concept_features(t, lang, h) for t, lang, h in zip(texts, langs, hits)])
        P = np.zeros((len(texts), len(self.labels)))
        by = ["model"] * len(texts)
        acts = [False] * len(texts)
        need = list(range(len(texts)))
        if vectors is None and self.W_lex is not None:
            Pl = self._probabilities(self.W_lex, lex, exclude)
            sure = Pl.max(axis=1) >= LEX_DECISIVE
            for i in np.flatnonzero(sure):
                cue = classify(texts[i], lang_key(langs[i]))
                sure[i] = cue is not None and BY_SUB.get(cue[1]) == self.labels[int(Pl[i].argmax())]
            P[sure] = Pl[sure]
            need = [i for i in range(len(texts)) if not sure[i]]
            for i in range(len(texts)):
                if sure[i]:
                    by[i] = "concepts"
        if need:
            vec = np.asarray(vectors, dtype=np.float32)[need] if vectors is not None \
                else self._encode([texts[i] for i in need])
            parsed = [k for k, i in enumerate(need) if self.W_roles is not None and tokens is not None and tokens[i]]
            plain = [k for k in range(len(need)) if k not in set(parsed)]
            if plain:
                rows = [need[k] for k in plain]
                P[rows] = self._probabilities(self.W, np.hstack([lex[rows], USE_WEIGHT * vec[plain]]), exclude)
            if parsed:
                rows = [need[k] for k in parsed]
                roles = roles_matrix([texts[i] for i in rows], [langs[i] for i in rows], [tokens[i] for i in rows],
                                     [heads[i] for i in rows] if heads is not None else None)
                P[rows] = self._probabilities(self.W_roles, np.hstack([lex[rows], roles, USE_WEIGHT * vec[parsed]]),
                                              exclude)
                for i, r in zip(rows, roles):
                    acts[i] = act_of_force(r)
                    P[i] = territory_by_codebook(P[i], role_names(r), self.labels)
        if tokens is not None:  # the spans the concepts decided alone: the same codebook rule on their parse
            for i in range(len(texts)):
                if by[i] == "concepts" and tokens[i] and self.labels[int(P[i].argmax())] in TERRITORY:
                    head_end = heads[i] if heads is not None else 0
                    P[i] = territory_by_codebook(P[i], role_names(role_features(texts[i], langs[i], tokens[i], head_end)),
                                                 self.labels)
        return [make_typing(p, self.labels, tuple(sorted(hits[i])), by[i], acts[i]) for i, p in enumerate(P)]


def make_typing(p: np.ndarray, labels: Sequence[str], concepts: tuple[str, ...] = (), by: str = "model",
                act: bool = False) -> Typing:
    """The ``Typing`` of one row of probabilities over ``labels``."""
    k = int(p.argmax())
    label = labels[k]
    acled = ACLED.get(label)
    events = [j for j, lab in enumerate(labels) if ACLED.get(lab)]
    best = max(events, key=lambda j: p[j]) if events else None
    return Typing(label, acled[0] if acled else None, acled[1] if acled else None, float(p[k]), concepts, by,
                  float(sum(p[j] for j, lab in enumerate(labels) if lab in NOT_POLITICAL)),
                  float(sum(p[j] for j in events)), labels[best] if best is not None else None, act)


@lru_cache(maxsize=1)
def default_typer() -> EventTyper:
    return EventTyper.load()


# --- the cue table of ACLED precedence (violent events) ----------------------------------------


def deaccent(text: str) -> str:
    """Accents dropped, one character for one (offsets stay valid): French headlines in capitals
    drop them ("LES TERRORISTES PREPARENT UNE NOUVELLE ATTAQUE CHIMIQUE"), so cues and text are
    compared without them."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text)


def _cues(cues) -> str:
    return alt(deaccent(c) for c in cues)


@lru_cache(maxsize=2)
def _rows(lang: str) -> list[tuple[str, str, re.Pattern[str]]]:
    rows = []
    for etype, sub, *by_lang in lexicon()["events"]["rows"]:
        cues = by_lang[{"fr": 0, "en": 1, "ar": 2}.get(lang, 1)]
        rows.append((etype, sub, re.compile(rf"\b{_cues(cues)}\b", re.IGNORECASE)))
    return rows


@lru_cache(maxsize=2)
def _irrealis(lang: str) -> re.Pattern[str]:
    return re.compile(_cues(lexicon()["events"]["irrealis"][lang]), re.IGNORECASE)


@lru_cache(maxsize=2)
def _not_after(lang: str) -> re.Pattern[str]:
    return re.compile(r"\s+" + _cues(lexicon()["events"]["not_after"][lang]) + r"\b", re.IGNORECASE)


@lru_cache(maxsize=2)
def _not_before(lang: str) -> re.Pattern[str]:
    """"inspecteurs chargés des armes chimiques", "stockpile of chemical weapons": the noun comes first
    (in Arabic with no preposition: "برنامج الأسلحة الكيميائية")."""
    if lang == "ar":
        return re.compile(r"(?<![\w])" + _cues(lexicon()["events"]["not_after"][lang]) + r"\s+(?:[\w-]+\s+)?$")
    return re.compile(r"\b" + _cues(lexicon()["events"]["not_after"][lang]) + r"\s+(?:[\w'’-]+\s+){0,3}?"
                      r"(?:de|des|du|d['’]|of|on|sur|en)\s*(?:(?:les|la|le|l['’]|the|its|their|ses|leurs)\s*)?$", re.IGNORECASE)


@lru_cache(maxsize=3)
def _generic_re(lang: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + _cues(lexicon()["events"]["generic"][lang]) + r")\b", re.IGNORECASE)


def _generic(text: str, pos: int, lang: str) -> bool:
    """Is the cue at ``pos`` one of the vague ones ("bombing", "strikes", "attack")?"""
    return _generic_re(lang).match(text, pos) is not None


def _priority(hit: tuple[str, str, int]) -> int:
    """ACLED precedence: the row order of ``events.rows`` (chemical before air strike before shelling …)."""
    return next(i for i, row in enumerate(lexicon()["events"]["rows"]) if (row[0], row[1]) == hit[:2])


def classify(text: str, lang: str, prefer_precise: bool = False) -> tuple[str, str, int] | None:
    """(event_type, sub_event_type, cue position) of the highest-priority realis cue in ``text``.

    A cue that names a capability or an inquiry ("chemical weapons program", "OPCW experts")
    is no event. ``prefer_precise`` (for a headline): a vague word ("raids", "bombing") yields to a
    precise one of lower precedence ("Two ISIS leaders arrested in separate raids" is about arrests)."""
    text = deaccent(text)
    vague = None
    for etype, sub, rx in _rows(lang):
        for m in rx.finditer(text):
            if _not_after(lang).match(text, m.end()) or _not_before(lang).search(text[max(0, m.start() - 60):m.start()]):
                continue
            # an irrealis cue in the same clause ("se préparent à une attaque chimique") voids it
            clause = re.split(r"[.;]", text[max(0, m.start() - 80):m.start()])[-1]
            if _irrealis(lang).search(clause):
                continue
            if prefer_precise and _generic(text, m.start(), lang):
                # "Two ISIS leaders arrested in separate raids": a vague word ("raids") yields to a precise one
                vague = vague or (etype, sub, m.start())
                break
            return etype, sub, m.start()
    return vague


# --- one decision from the model and the cue table ------------------------------------------------

NOT_POLITICAL = ("NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME")
MIN_PROBABILITY = 0.3  # below it the model's type is a guess: the cue table (or the toll) decides
MODEL_ONLY = 0.5  # where no cue of the table fired, the model alone must be this sure
VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def decide(model: Typing | None, cue: tuple[str, str, int] | None, text: str | None = None,
           lang: str = "en") -> tuple[str, str, int] | None:
    """(event_type, sub_event_type, cue position) of a span from the model's typing and the cue table's hit.

    1. a flood, an industrial accident, a cartel's crime is no political event, whatever weapon words
       it has ("an explosion at a chemical plant"), when the model is sure of it (≥ 0.5 for those kinds
       together: ``Typing.vetoed``);
    2. the cue table names the weapon of remote violence in ACLED's precedence (chemical before air
       strike before shelling …): its Explosions/Remote violence sub-type stands, unless the model reads
       a demonstration or a riot ("stun grenades" dispersing a march) or a disrupted weapon ("a bomb
       was defused");
    3. otherwise the model's ACLED type when it is confident enough (≥ 0.3), else the cue's;
    4. with no cue at all, the model alone makes an event only when it is sure (≥ 0.5) of its sub-type,
       or, where the parse reads an act of force (``Typing.act``: "militants burned farmland"), when an
       ACLED event of any sub-type is more likely than none (``Typing.event_probability`` ≥ 0.5; the
       most probable sub-type is given); for violence, only when ``text`` says nothing of plans,
       threats or preparations (the cue table's irrealis words: "les terroristes préparent une attaque
       chimique" is no attack)."""
    if model is None:
        return cue
    if model.vetoed:
        return None
    pos = cue[2] if cue else 0
    if cue and cue[0] == "Explosions/Remote violence" and model.event_type not in ("Protests", "Riots") \
            and model.label != "DISR_WEAP":
        return cue
    if cue is None:
        if model.is_event and model.probability >= MODEL_ONLY:
            kind = model.event_type, model.sub_event_type
        elif model.act and model.event_probability >= MODEL_ONLY and model.best_event:
            kind = ACLED[model.best_event]  # an act of force, and some ACLED event more likely than none
        else:
            return None
        if text and kind[0] in VIOLENT and _irrealis(lang_key(lang)).search(deaccent(text)):
            return None
        return kind[0], kind[1], 0
    if model.is_event and model.probability >= MIN_PROBABILITY:
        return model.event_type, model.sub_event_type, pos
    return cue


def lang_key(lang: str | None) -> str:
    return lang if lang in ("fr", "ar") else "en"
