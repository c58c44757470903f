"""link: near-duplicates, stories, story-level events and contradictions.

``link_store`` is called after every analysis batch. It is incremental: only articles not
yet linked (or whose embedded text changed) are fingerprinted, embedded and assigned to a
story; the per-story centroids and the LSH band keys live in the database (``link_*``
tables). The derived story layer (stories, story events, cross-outlet contradictions) is
then rebuilt from those assignments — that part is aggregation, linear in the archive.

Modules: ``dedup`` (MinHash, republication), ``embed`` (multilingual vectors),
``cluster`` (incremental stories), ``crosscheck`` (story events, figures, contradictions).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..records import Article, Story
from ..settings import Settings


@dataclass
class LinkReport:
    linked: int = 0
    republished: int = 0
    stories: int = 0
    contradictions: int = 0
    story_events: int = 0


def _pending(store) -> list[Article]:
    """Articles never linked, or whose embedded text changed since they were.

    Only rows whose record changed since the last link (``seen_hash``) are read back, so a
    run over a large archive with a few new articles reads a few records."""
    from .embed import story_text, text_key

    changed = [r[0] for r in store.db.execute(
        "SELECT a.id FROM articles a LEFT JOIN link_assign l ON l.article_id = a.id "
        "WHERE l.article_id IS NULL OR l.seen_hash IS NOT a.content_hash")]
    out, same = [], []
    state = {}
    for i in range(0, len(changed), 500):
        chunk = changed[i:i + 500]
        state.update(store.db.execute(f"SELECT article_id, state FROM link_assign WHERE article_id IN ({','.join('?' * len(chunk))})", chunk))
        for a in store.articles(ids=chunk):
            (same if state.get(a.id) == text_key(story_text(a)) else out).append(a)
    # re-analysed but the embedded text is unchanged: keep the story, remember the record
    store.db.executemany("UPDATE link_assign SET seen_hash = (SELECT content_hash FROM articles WHERE id = ?) WHERE article_id = ?",
                         [(a.id, a.id) for a in same])
    return out


def _assigned(store, ids: list[str]) -> dict:
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, sid, vec in store.db.execute(
                "SELECT a.article_id, a.story_id, v.vector FROM link_assign a LEFT JOIN link_vectors v ON v.article_id = a.article_id "
                f"WHERE a.article_id IN ({','.join('?' * len(chunk))})", chunk):
            out[aid] = (sid, vec)
    return out


def link_articles(store, articles: list[Article], embedder=None, progress=None) -> LinkReport:
    """Fingerprint, mark republications and assign these articles to stories (persisted).

    ``progress`` (a ``veille.progress.Progress``) is advanced as articles are embedded."""
    from . import dedup
    from .cluster import StoryIndex, article_terms, day_of
    from .embed import story_text, text_key, vectors

    report = LinkReport(linked=len(articles))
    if not articles:
        return report
    index = dedup.BandIndex(store)
    for a in articles:
        index.add(a)
    by_id = {a.id: a for a in articles}
    for rep in dedup.find_republications(articles, index):
        art = dedup.marked(by_id[rep.article_id], rep)
        if art is not None:
            store.update_article(art)
            by_id[art.id] = art
        report.republished += 1

    stories = StoryIndex(store)
    previous = _assigned(store, [a.id for a in articles])
    # an article re-linked after its text changed leaves its old story first (old vector)
    for aid, (old_story, old_vec) in previous.items():
        st = stories.get(old_story)
        if st is not None and old_vec is not None:
            st.remove(np.frombuffer(old_vec, dtype="<f4"))
        if old_vec is not None:
            stories.count(np.frombuffer(old_vec, dtype="<f4"), -1)
    vecs = vectors(store, articles, embedder, progress=progress)
    for a in articles:
        stories.count(vecs[a.id])
    stories.load_around([day_of(a.published_at) for a in articles])
    mentions = defaultdict(list)
    if len(articles) < 900:
        for a in articles:
            mentions[a.id] = store.mentions(a.id)
    else:
        for m in store.mentions():
            mentions[m.article_id].append(m)
    terms = {a.id: article_terms(a, mentions.get(a.id, ())) for a in by_id.values()}
    stories.load_df(t for ts in terms.values() for t in ts)
    rows = []
    for a in sorted(by_id.values(), key=lambda a: (a.published_at or "9999", a.id)):
        sid = stories.assign(a.id, a.published_at, vecs[a.id], terms[a.id])
        rows.append((a.id, sid, text_key(story_text(a))))
    store.db.executemany("INSERT OR REPLACE INTO link_assign VALUES (?, ?, ?, (SELECT content_hash FROM articles WHERE id = ?))",
                         [(aid, sid, state, aid) for aid, sid, state in rows])
    stories.save()
    stories.save_mean()
    return report


def build_stories(store) -> list[Story]:
    """Story records from the persisted assignments; the title is the most central article's."""
    import numpy as np

    members: dict[str, list[str]] = defaultdict(list)
    for aid, sid in store.db.execute("SELECT article_id, story_id FROM link_assign ORDER BY article_id"):
        members[sid].append(aid)
    meta = {r[0]: r[1:] for r in store.db.execute("SELECT id, outlet, published_at, language, title FROM articles")}
    centroids = {r[0]: np.frombuffer(r[1], dtype="<f4") for r in store.db.execute("SELECT story_id, centroid FROM link_stories")}
    out = []
    for sid, ids in members.items():
        ids = [i for i in ids if i in meta]
        if not ids:
            continue
        if len(ids) == 1 or sid not in centroids:
            central = min(ids, key=lambda i: (meta[i][1] or "9999", i))
        else:
            vec_rows = dict(store.db.execute(f"SELECT article_id, vector FROM link_vectors WHERE article_id IN ({','.join('?' * len(ids))})", ids))
            c = centroids[sid]
            central = max(ids, key=lambda i: (float(np.frombuffer(vec_rows[i], dtype="<f4") @ c) if i in vec_rows else -1.0, -ids.index(i)))
        dates = sorted(meta[i][1] for i in ids if meta[i][1])
        ordered = sorted(ids, key=lambda i: (meta[i][1] or "9999", i))
        title = meta[central][3]
        if not title:
            art = store.get_article(central)
            title = art.display_title if art else ""
        out.append(Story(sid, title or "", dates[0] if dates else None, dates[-1] if dates else None, tuple(ordered),
                         tuple(sorted({meta[i][0] for i in ids if meta[i][0]})),
                         tuple(sorted({meta[i][2] for i in ids if meta[i][2]}))))
    return sorted(out, key=lambda s: (s.first_seen or "", s.id))


def crosscheck_stories(store, stories: list[Story]):
    """Story-level events and cross-outlet contradictions, for stories with ≥ 2 articles."""
    from ..records import Event
    from .crosscheck import compare_claims, merge_events

    multi = [s for s in stories if len(s.articles) > 1]
    if not multi:
        return [], []
    story_of = {a: s.id for s in multi for a in s.articles}
    claims_by_story = defaultdict(list)
    for c in store.claims():
        if c.article_id in story_of:
            claims_by_story[story_of[c.article_id]].append(c)
    events_by_story = defaultdict(list)
    for aid, rec in store.db.execute("SELECT article_id, record FROM events WHERE story_id IS NULL"):
        if aid in story_of:
            events_by_story[story_of[aid]].append((aid, Event.from_dict(json.loads(rec))))
    needed = set(claims_by_story) | set(events_by_story)
    inside_by_story = defaultdict(list)  # each article's own flags: not flagged again across the story
    for c in store.contradictions():
        if c.story_id is None and c.values and c.values[0].article_id in story_of:
            inside_by_story[story_of[c.values[0].article_id]].append(c)
    contradictions, story_events = [], []
    for s in multi:
        if s.id not in needed:
            continue
        articles = {a.id: a for a in store.articles(ids=s.articles)}
        if claims_by_story.get(s.id):
            found, _rising = compare_claims(s.id, claims_by_story[s.id], articles,
                                            [e for _aid, e in events_by_story.get(s.id, ())], inside_by_story.get(s.id, ()))
            contradictions += found
        if events_by_story.get(s.id):
            story_events += [(s.id, e) for e in merge_events(s.id, events_by_story[s.id], articles)]
    return contradictions, story_events


def link_store(store, settings: Settings | None = None, embedder=None, progress=None) -> LinkReport:
    """Link what is new, then rebuild the story layer (stories, story events, contradictions)."""
    from ..progress import LINK, NO_PROGRESS

    progress = progress or NO_PROGRESS
    pending = _pending(store)
    progress.stage(LINK, len(pending))
    report = link_articles(store, pending, embedder, progress=progress)
    stories = build_stories(store)
    contradictions, story_events = crosscheck_stories(store, stories)
    store.replace_stories(stories, contradictions, story_events)
    report.stories = len(stories)
    report.contradictions = len(contradictions)
    report.story_events = len(story_events)
    return report


def figures_by_outlet(store, story_id: str) -> dict:
    from .crosscheck import figures_by_outlet as _f

    return _f(store, story_id)
