"""link: near-duplicates, stories, story-level events and contradictions.

``link_store`` is called after every analysis batch. It is incremental: only articles not
yet linked (or whose record changed) are fingerprinted, embedded and assigned to a story;
what the next run needs — signatures, vectors, story profiles, the keys stories are found
by — is kept by ``state.LinkState``, the one owner of the ``link_*`` tables. The derived
story layer (stories, story events, cross-outlet contradictions) is then rebuilt from the
assignments; that part is aggregation, linear in the archive.

Modules: ``dedup`` (MinHash, republication), ``embed`` (multilingual vectors), ``features``
(what the linker knows of an article), ``cluster`` (the story decision, pure functions),
``state`` (the link tables), ``batch`` (the same story algorithm as one pure call per batch,
over an in-memory state: what the Spark job calls), ``crosscheck`` (story events, figures,
contradictions).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from ..records import Article, Story, stable_id
from ..settings import Settings

@dataclass
class LinkReport:
    linked: int = 0
    republished: int = 0
    stories: int = 0
    contradictions: int = 0
    story_events: int = 0


def link_batch(features: Sequence, state, model=None, decide: Callable | None = None,
               record: list | None = None) -> dict[str, tuple[str, float]]:
    """Assign articles (``features.ArticleFeatures``) to stories, in ``order_key`` order.

    ``state`` gives the candidates and keeps the profiles (``LinkState``). The archive's
    statistics count the whole batch before the first decision, so the order of the batch's
    articles changes no word weight. ``decide(f, candidates)`` replaces the model (training:
    the gold story), ``record`` collects every (article, candidate) comparison.

    Pieces of one incident merge: when an article would join two stories on its own
    (both probabilities reach the threshold) and the model, reading one story as an article, would join it to
    the other (``cluster.one_incident``), they were one incident told in words the linker could
    not tie until this article tied them; they become one (``state.merge``: the older story
    keeps its id) and the article joins it. The story is read without the article: an article
    that tells two incidents (a weekend round-up) claims both, and must not tie them.
    Returns article id → (story id, probability)."""
    from .cluster import StoryProfile, blocking_keys, default_model, is_cross, one_incident, order_key, pair_features, ranked, weigh

    terms = set()
    for f in features:
        terms |= f.terms()
    state.load_df(terms)
    for f in features:
        state.count(f.terms(), f.vector)
    stats = state.stats()
    out: dict[str, tuple[str, float]] = {}
    merged: dict[str, str] = {}  # story merged in this batch → the story it became part of

    def current(sid: str) -> str:
        while sid in merged:
            sid = merged[sid]
        return sid

    day = None
    for f in sorted(features, key=order_key):
        if f.day is not None and f.day != day:
            day = f.day
            state.evict(day)
        w = weigh(f, stats)
        original = (current(out[f.copy_of][0]) if f.copy_of in out else state.story_of(f.copy_of)) if f.copy_of else None
        others: list[str] = []
        if original is not None and state.profile(original) is not None:
            sid, p = original, 1.0  # a republication belongs to its original's story
        else:
            cands = state.candidates(blocking_keys(f, stats), f.day)
            if record is not None:
                record.append((f, [(s.id, pair_features(w, s, stats), is_cross(w, s)) for s in cands]))
            if decide is not None:
                sid, p = decide(f, cands)
            else:
                scores = ranked(w, cands, stats, model)
                sid, p = None, scores[0][0] if scores else 0.0
                if scores and p >= (model or default_model()).threshold:
                    sid = scores[0][1]
                    others = [o for q, o in scores[1:] if q >= (model or default_model()).threshold]
        prof = state.profile(sid) if sid else None
        if prof is None:
            prof = StoryProfile(sid or stable_id("story", f.id))
        for other in others:  # pieces of one incident the article ties: one story
            a, b = prof, state.profile(other)
            if b is not None and b.id != a.id and a.n and one_incident(a, b, stats, model):
                keep, gone = sorted((a, b), key=lambda s: (s.first_day if s.first_day is not None else 10 ** 9, s.id))
                state.merge(keep.id, gone.id, stats)
                merged[gone.id] = keep.id
                prof = state.profile(keep.id)
        prof.add(w)
        state.put_profile(prof, stats)
        out[f.id] = (prof.id, p)
    state.flush()
    return {aid: (current(sid), p) for aid, (sid, p) in out.items()}


def _features(store, state, articles: Sequence[Article], embedder=None, progress=None) -> list:
    from .dedup import BandIndex
    from .embed import vectors
    from .features import article_features

    vecs = vectors(state, articles, embedder, progress=progress)
    index = BandIndex(state)
    return [article_features(a, store.mentions(a.id), vecs[a.id], index.furniture(a)) for a in articles]


def _unlink(store, state, old: dict[str, tuple[str, str]], embedder=None) -> None:
    """Articles whose embedded text changed leave their stories; each story left behind is
    rebuilt from its remaining members (a rare path: re-extraction of a stored page)."""
    from .cluster import StoryProfile, weigh

    stats = state.stats()
    for aid, (_sid, _key) in sorted(old.items()):
        cached = state.vectors([aid]).get(aid)
        if cached is not None and state.n > 0:
            state.count((), cached[1], -1)
    state.forget_members(sorted(old))
    for sid in sorted({sid for sid, _ in old.values()}):
        rest = state.story_members(sid)
        state.drop_profile(sid)
        if not rest:
            continue
        prof = StoryProfile(sid)
        for f in sorted(_features(store, state, store.articles(ids=rest), embedder), key=lambda f: f.id):
            prof.add(weigh(f, stats))
        state.put_profile(prof, stats)


def link_articles(store, articles: list[Article], embedder=None, progress=None, *, state=None, model=None,
                  decide: Callable | None = None, record: list | None = None) -> LinkReport:
    """Fingerprint, mark republications and assign these articles to stories (persisted).

    ``progress`` (a ``veille.progress.Progress``) is advanced as articles are embedded;
    ``model``/``decide``/``record``: as ``link_batch`` (training and evaluation)."""
    from . import dedup
    from .embed import story_text, text_key
    from .state import LinkState

    state = state or LinkState(store)
    report = LinkReport(linked=len(articles))
    if not articles:
        return report
    index = dedup.BandIndex(state)
    for a in articles:
        index.add(a)
    by_id = {a.id: a for a in articles}
    for rep in dedup.find_republications(articles, index):
        art = dedup.marked(by_id[rep.article_id], rep)
        if art is not None:
            store.update_article(art)
            by_id[art.id] = art
        report.republished += 1
    articles = [by_id[a.id] for a in articles]
    previous = state.members_of([a.id for a in articles])
    if previous:
        _unlink(store, state, previous, embedder)
    feats = _features(store, state, articles, embedder, progress)
    keys = {a.id: text_key(story_text(a)) for a in articles}
    for aid, (sid, p) in sorted(link_batch(feats, state, model, decide, record).items()):
        state.put_member(aid, sid, keys[aid], round(p, 4))
    return report


def _pending(store, state) -> list[Article]:
    """Articles never linked, or whose embedded text changed since they were.

    Only rows whose record changed since the last link (``seen_hash``) are read back, so a
    run over a large archive with a few new articles reads a few records; a re-analysed
    article whose embedded text is the same keeps its story."""
    from .embed import story_text, text_key

    changed = state.changed_articles()
    out, same = [], []
    for i in range(0, len(changed), 500):
        chunk = changed[i:i + 500]
        linked = state.members_of(chunk)
        for a in store.articles(ids=chunk):
            (same if a.id in linked and linked[a.id][1] == text_key(story_text(a)) else out).append(a)
    state.mark_seen([a.id for a in same])
    return sorted(out, key=lambda a: a.id)


def story_records(assignments: Iterable[tuple[str, str]], meta: Mapping[str, tuple], centroids: Mapping[str, object],
                  vector_of: Callable[[Sequence[str]], Mapping[str, object]], copies: Iterable[tuple[str, str]] = (),
                  title_of: Callable[[str], str] = lambda _aid: "") -> list[Story]:
    """Story records from (article, story) assignments — pure, so the Spark job builds the
    very records ``build_stories`` builds. ``meta``: article → (outlet, published_at, language,
    title); ``centroids``: story → vector sum (``StoryProfile.vec_total``); ``vector_of(ids)``:
    article → vector; ``copies``: (copy, original) refused at ingest, listed in their original's
    story; ``title_of``: a title when the record has none. The title is the most central
    article's (largest dot product with the story's vector sum; one article: the earliest)."""
    members: dict[str, list[str]] = defaultdict(list)
    story_of = {}
    for aid, sid in assignments:
        members[sid].append(aid)
        story_of[aid] = sid
    listed: dict[str, list[str]] = defaultdict(list)
    for copy, original in copies:
        if original in story_of and copy not in story_of:
            listed[story_of[original]].append(copy)
    out = []
    for sid in sorted(members):
        ids = [i for i in members[sid] if i in meta]
        if not ids:
            continue
        if len(ids) == 1 or sid not in centroids:
            central = min(ids, key=lambda i: (meta[i][1] or "9999", i))
        else:
            vec_rows = vector_of(ids)
            c = centroids[sid]
            central = max(sorted(ids), key=lambda i: (float(vec_rows[i] @ c) if i in vec_rows else -1.0))
        dates = sorted(meta[i][1] for i in ids if meta[i][1])
        ordered = sorted(ids, key=lambda i: (meta[i][1] or "9999", i))
        title = meta[central][3] or title_of(central)
        out.append(Story(sid, title or "", dates[0] if dates else None, dates[-1] if dates else None, tuple(ordered),
                         tuple(sorted({meta[i][0] for i in ids if meta[i][0]})),
                         tuple(sorted({meta[i][2] for i in ids if meta[i][2]})), tuple(sorted(listed.get(sid, ())))))
    return sorted(out, key=lambda s: (s.first_seen or "", s.id))


def build_stories(store, state=None) -> list[Story]:
    """Story records from the persisted assignments (``story_records`` over the store)."""
    from ..store import duplicate_copies
    from .state import LinkState

    state = state or LinkState(store)

    def title_of(aid: str) -> str:
        art = store.get_article(aid)
        return art.display_title if art else ""

    return story_records(state.assignments(), store.article_meta(), state.story_vectors(),
                         lambda ids: {aid: v for aid, (_k, v) in state.vectors(ids).items()},
                         duplicate_copies(store), title_of)


def crosscheck_stories(store, stories: list[Story]):
    """Story-level events, cross-outlet contradictions and each story's tolls' evolution (story id →
    ``CrossCheck.evolution``, every story of ≥ 2 articles, empty when nothing evolves), for stories
    with ≥ 2 articles. The evolution is kept so pages show it without comparing every pair of
    figures again (it was the cost of an article page: issue 18)."""
    from .crosscheck import crosscheck_story, merge_events

    multi = [s for s in stories if len(s.articles) > 1]
    if not multi:
        return [], [], {}
    story_of = {a: s.id for s in multi for a in s.articles}
    claims_by_story = defaultdict(list)
    for c in store.claims():
        if c.article_id in story_of:
            claims_by_story[story_of[c.article_id]].append(c)
    events_by_story = defaultdict(list)
    for aid, _, ev in store.event_rows(story_level=False):
        if aid in story_of:
            events_by_story[story_of[aid]].append((aid, ev))
    needed = set(claims_by_story) | set(events_by_story)
    inside_by_story = defaultdict(list)  # each article's own flags: not flagged again across the story
    for c in store.contradictions():
        if c.story_id is None and c.values and c.values[0].article_id in story_of:
            inside_by_story[story_of[c.values[0].article_id]].append(c)
    contradictions, story_events = [], []
    evolutions: dict[str, list[dict]] = {s.id: [] for s in multi}
    for s in multi:
        if s.id not in needed:
            continue
        articles = {a.id: a for a in store.articles(ids=s.articles)}
        if claims_by_story.get(s.id):
            cc = crosscheck_story(s.id, claims_by_story[s.id], articles,
                                  [e for _aid, e in events_by_story.get(s.id, ())], inside_by_story.get(s.id, ()))
            contradictions += cc.contradictions
            evolutions[s.id] = cc.evolution
        if events_by_story.get(s.id):
            story_events += [(s.id, e) for e in merge_events(s.id, events_by_story[s.id], articles)]
    return contradictions, story_events, evolutions


def vector_keeper(store):
    """A function keeping story vectors (article id, text key, vector) computed where the analysis
    ran, for the story stage (``link_store``), which then embeds only what is missing or changed.
    One link state for the whole analysis run, not one per article."""
    from .state import LinkState

    return LinkState(store).put_new_vectors


def link_store(store, settings: Settings | None = None, embedder=None, progress=None, model=None) -> LinkReport:
    """Link what is new, then rebuild the story layer (stories, story events, contradictions)."""
    from ..progress import LINK, NO_PROGRESS
    from .state import LinkState

    progress = progress or NO_PROGRESS
    state = LinkState(store)
    pending = _pending(store, state)
    progress.stage(LINK, len(pending))
    report = link_articles(store, pending, embedder, progress, state=state, model=model)
    stories = build_stories(store, state)
    contradictions, story_events, evolutions = crosscheck_stories(store, stories)
    store.replace_stories(stories, contradictions, story_events, evolutions)
    report.stories = len(stories)
    report.contradictions = len(contradictions)
    report.story_events = len(story_events)
    return report


def figures_by_outlet(store, story_id: str) -> dict:
    from .crosscheck import figures_by_outlet as _f

    return _f(store, story_id)
