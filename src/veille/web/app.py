"""The local web UI and JSON API (``veille serve``): read-only over the store.

The pages are in French or English, chosen per request: ``?ui=fr|en`` (remembered in a cookie),
else the browser's Accept-Language, else the server's default (``veille serve --lang``). Labels
come from ``veille.i18n``, the same translations as the review. (``lang`` is not used for this:
it is the search's filter on the articles' language.)

Why read-only and local by default: the archive holds untrusted text from the open web and
may hold an analyst's unpublished work; the UI binds 127.0.0.1, opens the database with
``Store(path, readonly=True)`` (it never blocks the writer), serves only packaged static
files, and sends a strict CSP (scripts from /static only, no inline script at all).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from itertools import islice
from urllib.parse import quote, urlencode
from pathlib import Path
from typing import Any, Iterator

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..i18n import LANGUAGES, Translator, check_lang
from ..outlets import OutletRegistry, load_registry
from ..publish.assets import static_dir
from ..publish.crosscheck import Day, contradiction_views, figure_rows, map_events, outlet_name, timeline
from ..publish.dossier import environment, make_entry
from ..publish.safe import Span, highlight, json_for_script, paragraphs, script_safe
from ..records import Article, Claim, Event
from ..settings import Settings
from ..store import Store
from .cache import VERSION, ArchiveCache, Bounded, Index, ResponseCache, Snapshot
from .search import CLOSE, MAX_LIMIT, MAX_QUERY, OPEN, Filters, run_search

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
ID = r"^[A-Za-z0-9_.:-]{1,128}$"  # story ids: hashes, never paths
MAX_ID = 1024  # article ids are the input's own (JSON Lines): longer ones are replaced at ingest
DATE = r"^\d{4}-\d{2}-\d{2}$"


def _href(art: Article) -> str:
    """An article's page. Ids come from the input (a JSON Lines ``id`` may hold ``/``, ``?`` or
    ``../``): quoted whole, so every stored article has a page that resolves to it."""
    return "/article/" + quote(art.id, safe="")


class HeadAsGet:
    """Answer HEAD like GET without the body (FastAPI routes declare GET only; curl -I, link checkers)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def no_body(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


class PageHeaders:
    """ASGI middleware (outermost): the security headers of every answer, ``Cache-Control``, the
    ``Vary`` of the pages (their language comes from Accept-Language or the cookie) and the cookie
    that remembers ``?ui=``. A plain ASGI wrapper rather than an ``@app.middleware``: that one
    re-streams every body through a task and a queue, which cost more than a cached page."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        cookie = None
        if not path.startswith(("/api/", "/static/")):
            from urllib.parse import parse_qsl

            chosen = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("ui")
            if chosen in LANGUAGES:
                probe = Response()
                probe.set_cookie(UI_COOKIE, chosen, max_age=365 * 86400, httponly=True, samesite="strict")
                cookie = probe.headers["set-cookie"].encode("latin-1")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                names = {k.lower() for k, _ in headers}
                if cookie is not None:
                    headers.append((b"set-cookie", cookie))
                if not path.startswith(("/api/", "/static/", "/openapi")):
                    vary = next((v for k, v in headers if k.lower() == b"vary"), None)
                    if vary is None:
                        headers.append((b"vary", b"Accept-Language, Cookie"))
                    elif b"accept-language" not in vary.lower():  # the cache's Accept-Encoding: the language first
                        headers = [(k, b"Accept-Language, Cookie, " + v if k.lower() == b"vary" else v) for k, v in headers]
                for k, v in SECURITY_HEADERS.items():
                    if k.lower().encode() not in names:
                        headers.append((k.lower().encode(), v.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"public, max-age=3600" if path.startswith("/static/") else b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class Ctx:
    """What a request reads: this thread's connection (taken when first used, in the thread that
    runs the page), the outlet registry and the archive version's snapshot."""

    __slots__ = ("cache", "registry", "snap", "_store")

    def __init__(self, cache: ArchiveCache, registry: OutletRegistry, snap: Snapshot):
        self.cache, self.registry, self.snap = cache, registry, snap  # snap: what this version gives every page
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.cache.store(self.snap.version[0])
        return self._store

    @property
    def index(self) -> Index:
        return self.snap.memo("index", lambda: Index(self.store))


@dataclass
class UI:
    """The language of one request's page: its Jinja environment, translator and switch links."""
    lang: str
    env: Any
    t: Translator
    links: dict[str, str]


UI_COOKIE = "veille_ui"


MAP_SLOT = Markup("\x00veille-map-data\x00")  # where the map page's JSON goes (no text holds a NUL)


def switch_links(path: str, params: list[tuple[str, str]]) -> dict[str, str]:
    """The page itself in each language (the language switch): its path and parameters, ``ui`` set."""
    return {other: path + "?" + urlencode(params + [("ui", other)]) for other in LANGUAGES}


def accepted_language(header: str | None) -> str | None:
    """The first of our languages in an Accept-Language header, by preference (q) then order."""
    best: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        bits = part.strip().split(";")
        code = bits[0].strip().lower().split("-")[0]
        q = 1.0
        for b in bits[1:]:
            if b.strip().startswith("q="):
                try:
                    q = float(b.strip()[2:])
                except ValueError:
                    q = 0.0
        if code in LANGUAGES and q > 0:
            best.append((-q, i, code))
    return min(best)[2] if best else None


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]", "testserver")


def create_app(db_path: Path | str, registry: OutletRegistry | None = None,
               allowed_hosts: tuple[str, ...] | list[str] = LOCAL_HOSTS, settings: Settings | None = None,
               lang: str | None = None) -> FastAPI:
    """The app over one database. ``allowed_hosts`` guards against DNS rebinding: a page on
    another site cannot make the browser read a local archive under its own host name.
    ``settings`` is the command's (the outlet registry comes from its files); ``lang`` the pages'
    language when a request does not choose one (default French)."""
    db_path = Path(db_path)
    settings = settings or Settings(db=db_path)
    registry = registry or load_registry(settings.outlet_files)
    app = FastAPI(title="veille", version="0.1.0", docs_url=None, redoc_url=None, redirect_slashes=False,
                  description="Read-only API over a veille archive: articles, stories, claims, events, contradictions.")
    default_lang = check_lang(lang, "fr")
    envs = {}
    for code in LANGUAGES:
        env = environment(code)
        env.globals.update(href=_href, outlet_name=lambda oid: outlet_name(registry, oid),
                           outlet_label=env.globals["outlet_label"])
        envs[code] = env
    app.state.translators = {code: envs[code].globals["t"] for code in envs}  # tests read their ``missing``
    app.mount("/static", StaticFiles(directory=static_dir(), follow_symlink=False), name="static")
    app.add_middleware(ResponseCache, db=db_path)  # innermost: answers of one archive version, replayed
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(HeadAsGet)

    app.add_middleware(PageHeaders)

    cache = ArchiveCache(db_path)  # per-thread connections, derived layers once per archive version
    app.state.cache = cache
    app.router.on_shutdown.append(cache.close)

    async def ctx(request: Request) -> Ctx:
        """An ``async`` dependency: it runs on the event loop, not in a thread of its own — each hop to
        a thread costs a wait for the interpreter under load. The archive's version is the one the
        response cache read for this request."""
        return Ctx(cache, registry, cache.snapshot(request.scope.get(VERSION)))


    def precompute() -> None:
        """The layers every reader asks for first, built as the server starts rather than on the
        first request (a 10k-article archive's map takes seconds)."""
        try:
            c = Ctx(cache, registry, cache.snapshot())
            c.index
            env = envs[default_lang]
            plain = UI(default_lang, env, env.globals["t"], switch_links("/map", []))  # /map as a reader first opens it
            map_page_bytes(c, plain)
            c.snap.memo("events.geojson", lambda: _events_geojson(c))
        except Exception:  # a request will say what is wrong, in its own words
            pass

    app.router.on_startup.append(lambda: threading.Thread(target=precompute, daemon=True).start())

    async def ui_of(request: Request) -> UI:
        """The page's language (an ``async`` dependency: on the event loop, see ``ctx``)."""
        return language_of(request)

    def language_of(request: Request) -> UI:
        """?ui= → the cookie → Accept-Language → the server's default."""
        chosen = request.query_params.get("ui")
        code = (chosen if chosen in LANGUAGES else None) or (
            request.cookies.get(UI_COOKIE) if request.cookies.get(UI_COOKIE) in LANGUAGES else None) or (
            accepted_language(request.headers.get("accept-language"))) or default_lang
        env = envs[code]
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "ui"]
        return UI(code, env, env.globals["t"], switch_links(request.url.path, params))

    def page(ui: UI, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        return HTMLResponse(ui.env.get_template(name).render(ui_links=ui.links, **values), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api/", "/static/", "/openapi")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        ui = language_of(request)
        key = ERROR_KEYS.get(str(exc.detail), "web.error.not_found" if exc.status_code == 404 else None)
        return page(ui, "web_error.html.j2", exc.status_code, title=ui.t("web.error.title"),
                    message=ui.t(key) if key else str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        """Out-of-bounds parameters (q > 500 characters, limit > 200, bad dates) are refused with 422."""
        problems = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors())
        if request.url.path.startswith(("/api/", "/openapi")):
            return JSONResponse({"detail": problems}, status_code=422)
        ui = language_of(request)
        return page(ui, "web_error.html.j2", 422, title=ui.t("web.error.refused"), message=problems)

    # ---- HTML ---------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(c: Ctx = Depends(ctx), ui: UI = Depends(ui_of)):
        stories = c.index.stories[:50]
        n_contra = c.index.n_contra
        latest = c.snap.memo("latest", lambda: c.store.articles(limit=30))
        return page(ui, "web_home.html.j2", title=ui.t("web.home.title"), stories=stories, n_contra=n_contra, latest=latest,
                    total=c.index.total)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(c: Ctx = Depends(ctx), q: str = Query("", max_length=MAX_QUERY),
                    outlet: str = Query("", max_length=64), lang: str = Query("", max_length=8),
                    since: str = Query("", max_length=10), until: str = Query("", max_length=10),
                    place: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=MAX_LIMIT),
                    ui: UI = Depends(ui_of)):
        filters = _filters(outlet, lang, since, until, place)
        hits, message = run_search(c.store, q, filters, limit, ui.t) if (q or any(vars(filters).values())) else ([], None)
        counts = c.index.outlet_counts
        outlets = sorted(((oid, outlet_name(c.registry, oid) or oid) for oid in counts if oid), key=lambda x: x[1].casefold())
        return page(ui, "web_search.html.j2", title=ui.t("web.search.title_q", q=q) if q else ui.t("search"), q=q, f=filters, limit=limit,
                    hits=[(h.article, _snippet(h.snippet)) for h in hits], message=message, outlets=outlets,
                    languages=c.index.languages)

    @app.get("/article/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, c: Ctx = Depends(ctx), ui: UI = Depends(ui_of)):
        art = _article(c, article_id)
        entry = _entry(c, art, ui.t)
        claims = c.store.claims(art.id)
        mentions = c.store.mentions(art.id)
        spans = _spans(art, claims, mentions, ui.t)
        body = [highlight(art.text, spans, s, e) for s, e in paragraphs(art.text)]
        return page(ui, "web_article.html.j2", title=art.display_title, a=art, e=entry, body=body, claims=claims,
                    mentions=mentions, outlet=c.registry.get(art.outlet))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, c: Ctx = Depends(ctx), ui: UI = Depends(ui_of)):
        story = _story(c, story_id)
        arts = {a.id: a for a in c.store.articles(ids=story.articles)}
        ordered = [arts[i] for i in story.articles if i in arts]
        ordered.sort(key=lambda a: a.published_at or "")
        claims = [cl for a in ordered for cl in c.store.claims(a.id)]
        contras = c.index.contras_by_story.get(story.id, [])
        columns = [(a, c.registry.get(a.outlet), [cl for cl in claims if cl.article_id == a.id]) for a in ordered]
        from ..publish.crosscheck import evolution_views

        return page(ui, "web_story.html.j2", title=story.title, s=story, columns=columns,
                    figures=figure_rows(claims, arts, c.registry, contras, ui.t),
                    contras=contradiction_views(contras, arts, c.registry, ui.t),
                    evolution=evolution_views(_story_parts(c, story).evolution, arts, c.registry, ui.t))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(c: Ctx = Depends(ctx), ui: UI = Depends(ui_of)):
        counts = c.index.outlet_counts
        known = sorted(c.registry, key=lambda o: (-counts.get(o.id, 0), o.name.casefold()))
        unknown = sorted((k, v) for k, v in counts.items() if k and c.registry.get(k) is None)
        return page(ui, "web_outlets.html.j2", title=ui.t("outlets"), outlets=known, counts=counts, unknown=unknown,
                    no_outlet=counts.get(None, 0))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(c: Ctx = Depends(ctx), ui: UI = Depends(ui_of)):
        return HTMLResponse(map_page_bytes(c, ui))

    def map_page_bytes(c: Ctx, ui: UI) -> bytes:
        """The map page (megabytes for a large archive: every located event inlined for map.js),
        rendered once per archive version, language and switch links — the last few kept."""
        def render() -> bytes:
            data, n, days = c.snap.recent("map-json", ui.lang, lambda: _map_json(c, ui.t), limit=2)
            html = ui.env.get_template("web_map.html.j2").render(ui_links=ui.links, title=ui.t("map"), map_json=MAP_SLOT,
                                                                  n=n, days=days)
            head, tail = html.split(MAP_SLOT)  # the data goes in as bytes, never as one more string of it
            return head.encode("utf-8") + data + tail.encode("utf-8")

        return c.snap.recent("map-page", (ui.lang, tuple(sorted(ui.links.items()))), render, limit=4)

    from .watch_pages import add_watch_routes

    add_watch_routes(app, ctx, ui_of, page)  # /watches, /watch/{name}, its reviews and alerts (watch/)

    # ---- JSON API -----------------------------------------------------------------------
    @app.get("/api/articles", summary="Articles, newest first (filters as in /api/search)")
    def api_articles(c: Ctx = Depends(ctx), outlet: str = Query("", max_length=64), lang: str = Query("", max_length=8),
                     since: str = Query("", max_length=10), until: str = Query("", max_length=10),
                     place: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=MAX_LIMIT)):
        hits, _ = run_search(c.store, "", _filters(outlet, lang, since, until, place), limit)
        return [_article_summary(h.article, c.registry) for h in hits]

    @app.get("/api/articles/{article_id:path}", summary="One article with its mentions, claims and events")
    def api_article(article_id: str, c: Ctx = Depends(ctx)):
        art = _article(c, article_id)
        data = art.to_dict()
        data["outlet"] = (c.registry.get(art.outlet).to_dict() if c.registry.get(art.outlet) else art.outlet)
        data["mentions"] = [m.to_dict() for m in c.store.mentions(art.id)]
        data["claims"] = [cl.to_dict() for cl in c.store.claims(art.id)]
        data["events"] = [e.to_dict() for e in c.store.events(art.id)]
        return data

    @app.get("/api/search", summary="Full-text search (terms are quoted: FTS syntax is not interpreted)")
    def api_search(c: Ctx = Depends(ctx), q: str = Query(..., min_length=1, max_length=MAX_QUERY),
                   outlet: str = Query("", max_length=64), lang: str = Query("", max_length=8),
                   since: str = Query("", max_length=10), until: str = Query("", max_length=10),
                   place: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=MAX_LIMIT)):
        hits, message = run_search(c.store, q, _filters(outlet, lang, since, until, place), limit)
        return {"query": q, "message": message, "results": [
            {**_article_summary(h.article, c.registry), "snippet": h.snippet.replace(OPEN, "").replace(CLOSE, ""),
             "highlights": _marks(h.snippet)} for h in hits]}

    @app.get("/api/stories", summary="Stories, most recent first")
    def api_stories(c: Ctx = Depends(ctx), limit: int = Query(50, ge=1, le=MAX_LIMIT)):
        return [s.to_dict() for s in c.index.stories[:limit]]

    @app.get("/api/stories/{story_id}", summary="One story with its articles, claims and contradictions")
    def api_story(story_id: str, c: Ctx = Depends(ctx)):
        story = _story(c, story_id)
        arts = c.store.articles(ids=story.articles)
        return {**story.to_dict(), "articles": [_article_summary(a, c.registry) for a in arts],
                "claims": [cl.to_dict() for a in arts for cl in c.store.claims(a.id)],
                "contradictions": [k.to_dict() for k in c.index.contras_by_story.get(story.id, [])]}

    @app.get("/api/contradictions", summary="All contradictions")
    def api_contradictions(c: Ctx = Depends(ctx)):
        return [k.to_dict() for k in c.index.contradictions]

    @app.get("/api/events", summary="Events as GeoJSON (story-level, plus article events no story covers)")
    def api_events(c: Ctx = Depends(ctx)):
        return Response(c.snap.memo("events.geojson", lambda: _events_geojson(c)), media_type="application/json")

    @app.get("/api/outlets", summary="The outlet registry with article counts")
    def api_outlets(c: Ctx = Depends(ctx)):
        counts = c.index.outlet_counts
        return [{**o.to_dict(), "label": o.label, "articles": counts.get(o.id, 0)} for o in c.registry]

    return app


# ---- helpers ---------------------------------------------------------------------------------
def _filters(outlet: str, lang: str, since: str, until: str, place: str) -> Filters:
    for name, value in (("since", since), ("until", until)):
        if value and not re.match(DATE, value):
            raise HTTPException(422, f"{name}: expected a date YYYY-MM-DD")
    return Filters(outlet or None, lang or None, since or None, until or None, place.strip() or None)


def _article(c: Ctx, article_id: str) -> Article:
    # looked up as an exact key (never a path on disk): any id the store holds, within reason
    art = c.store.get_article(article_id) if 0 < len(article_id) <= MAX_ID else None
    if art is None:
        raise HTTPException(404, "article not found")
    return art


def _story(c: Ctx, story_id: str):
    if re.match(ID, story_id) and story_id in c.index.story_by_id:
        return c.index.story_by_id[story_id]
    raise HTTPException(404, "story not found")


@dataclass
class StoryParts:
    """What every article page of one story shares: its members without their bodies, their claims
    and the tolls' evolution (language-independent; the link stage stores it). Kept for the
    most recently viewed stories of an archive version (``Snapshot.recent``)."""
    heads: dict[str, Article]
    claims: dict[str, list[Claim]]
    evolution: list[dict]


def _story_parts(c: Ctx, story) -> StoryParts:
    def build() -> StoryParts:
        claims = c.store.claims_of(story.articles)
        evolution = c.store.story_evolution(story.id) if len(story.articles) > 1 else []
        if evolution is None:  # a story layer without the link stage's evolution: compare here, once
            from ..link.crosscheck import crosscheck_story

            members = {a.id: a for a in c.store.articles(ids=story.articles)}
            evolution = crosscheck_story(story.id, [cl for x in members for cl in claims.get(x, [])], members,
                                         [e for x in members for e in c.store.events(x, story_level=False)]).evolution
        return StoryParts(c.store.article_heads(story.articles), claims, evolution)

    return c.snap.recent("story", story.id, build)


def _entry(c: Ctx, art: Article, t: Translator | None = None):
    """An article's cross-check box: its story's parts (shared by the story's pages), its own events
    and contradictions. The evolution is the story's, as in the dossier and on the story page."""
    from ..publish.crosscheck import evolution_views

    story = c.index.story_of.get(art.id)
    views = None
    if story is None:
        by_id, claims, evolution = {art.id: art}, {art.id: c.store.claims(art.id)}, None
    else:
        parts = _story_parts(c, story)
        by_id, claims = {**parts.heads, art.id: art}, parts.claims
        lang = getattr(t, "lang", None)
        evolution = {story.id: c.snap.recent("evolution", (story.id, lang),
                                             lambda: evolution_views(parts.evolution, by_id, c.registry, t))}
        views = c.snap.memo(("views", lang), Bounded)
    events = {art.id: c.store.events(art.id)}
    return make_entry(art, story, by_id, claims, events, c.index.contradictions_of(art.id, story.id if story else None),
                      c.registry, t, evolution, views)


LAYER_CHUNK = 1000  # events read, turned into map data and let go at a time


def _map_layer(store: Store) -> tuple[set[str], Iterator[list[Event]]]:
    """The map layer (``dossier.map_layer_events``: story-level events, then the article events no
    story covers, in that order) as chunks of events, and the ids of all its articles. Read in
    chunks so that a large archive's 20 000 events are never all in memory as records at once."""
    covered: set[str] = set()
    for _eid, arts in store.event_articles(story_level=True):
        covered.update(arts)
    ids = set(covered)
    for _eid, arts in store.event_articles(story_level=False):
        if not set(arts) & covered:
            ids.update(arts)

    def layer() -> Iterator[Event]:
        yield from store.iter_events(story_level=True)
        yield from (e for e in store.iter_events(story_level=False) if not set(e.articles) & covered)

    def chunks() -> Iterator[list[Event]]:
        events = layer()
        while chunk := list(islice(events, LAYER_CHUNK)):
            yield chunk

    return ids, chunks()


def _map_json(c: Ctx, t: Translator) -> tuple[bytes, int, list[Day]]:
    """The map page's data (JSON for map.js, in the page's language, as UTF-8 bytes), its event
    count and the timeline: once per archive version and language. The JSON is written event by
    event — the same text ``json_for_script`` gives for the whole — never as one string (a
    10 000-article archive's is 10 MB of text, 40 MB as a Python string)."""
    ids, chunks = _map_layer(c.store)
    # the map needs an article's id (its link) and outlet (its label) only: not thousands of whole records
    by_id = {aid: Article(id=aid, text="", outlet=outlet) for aid, outlet in c.store.article_outlets(ids).items()}
    parts: list[bytes] = []
    days: dict[str, Day] = {}
    for events in chunks:
        # the claims the events cite (not every claim of their articles)
        claims_by_id = {cid: cl for cid, cl in c.store.claims_by_id(cid for e in events for cid in e.claims).items()
                        if cl.article_id in ids}
        for item in map_events(events, claims_by_id, by_id, c.registry, _href, t):
            parts.append(script_safe(json.dumps(item, ensure_ascii=False, separators=(",", ":"))).encode("utf-8"))
        for d in timeline([], events):  # what the timeline prints of an event, not the whole record
            day = days.setdefault(d.date, Day(d.date, [], [], 0))
            day.events.extend(Pin(e.event_type, e.sub_event_type, e.location) for e in d.events)
            day.fatalities += d.fatalities
    labels = {"unknown_date": t("entry.unknown_date"), "deaths": t("timeline.deaths", n="{n}"),
              "borders": t("web.map.borders")}
    data = b'{"events":[' + b",".join(parts) + b'],"labels":' + str(json_for_script(labels)).encode("utf-8") + b"}"
    return data, len(parts), [days[k] for k in sorted(days)]


@dataclass(frozen=True, slots=True)
class Pin:
    """An event on the map page's timeline: its category and place (``timeline`` macro)."""
    event_type: str | None
    sub_event_type: str | None
    location: str | None


def _events_geojson(c: Ctx) -> bytes:
    """/api/events, serialised once per archive version, feature by feature (the same bytes as
    dumping the whole collection at once, without holding every event and the whole text)."""
    _ids, chunks = _map_layer(c.store)
    parts: list[bytes] = []
    for events in chunks:
        for e in events:
            if e.latitude is not None and e.longitude is not None:
                feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
                           "properties": e.to_dict()}
                parts.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return b'{"type":"FeatureCollection","features":[' + b",".join(parts) + b"]}"


def _spans(art: Article, claims: list[Claim], mentions, t: Translator) -> list[Span]:
    """Entities, places and figures of an article as highlight spans (offsets into its text)."""
    spans = [Span(m.start, m.end, "entity", f"{m.label}: {m.entity_id or m.text or ''}") for m in mentions]
    spans += [Span(p.start, p.end, "place", ", ".join(x for x in (p.name, p.admin1, p.country) if x))
              for p in art.places if p.start is not None and p.end is not None]
    for cl in claims:
        spans.append(Span(cl.start, cl.end, "", anchor=f"span-{cl.start}-{cl.end}"))  # alerts link to a claim's sentence
        s, e = (cl.number_start, cl.number_end) if cl.number_start is not None and cl.number_end is not None else (cl.start, cl.end)
        spans.append(Span(s, e, "figure", f"{t.figure(cl.kind, cl.subject, cl.min, cl.max, cl.qualifier)} "
                                          f"{t('figure.according_to', who=t.speakers(cl.attributed_to, None))}"))
    return spans


def _snippet(raw: str) -> Markup:
    """Escape the snippet, then turn the hit marks into <mark> (marks are control characters)."""
    return Markup(str(escape(raw)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def _marks(raw: str) -> list[list[int]]:
    out, pos, start = [], 0, None
    for ch in raw:
        if ch == OPEN:
            start = pos
        elif ch == CLOSE and start is not None:
            out.append([start, pos])
            start = None
        else:
            pos += 1
    return out


def _article_summary(a: Article, registry: OutletRegistry) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "headline": a.headline, "outlet": a.outlet,
            "outlet_name": outlet_name(registry, a.outlet), "published_at": a.published_at, "language": a.language,
            "url": a.url, "section": a.section, "places": [p.name for p in a.places]}


ERROR_KEYS = {"article not found": "web.error.no_article", "story not found": "web.error.no_story"}


def serve(db: Path | str, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          lang: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Run the UI with uvicorn (``veille serve``); 127.0.0.1 unless the user asks otherwise."""
    import uvicorn

    sock = listen_socket(host, port)  # before building anything: a taken port is one line, at once
    hosts = host_names(host, allowed_hosts)
    config = uvicorn.Config(create_app(db, allowed_hosts=hosts, settings=settings, lang=lang), host=host, port=port,
                            log_level="warning", server_header=False, proxy_headers=False)
    uvicorn.Server(config).run(sockets=[sock])


def listen_socket(host: str, port: int):
    """A socket bound to ``host``:``port``, or a one-line ``UsageError`` saying why it cannot be
    (a port another program holds, an address this machine does not have, a name that does not resolve)."""
    import errno
    import socket

    from ..errors import UsageError

    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"--host {host}: not an address of this machine ({getattr(exc, 'strerror', None) or exc})") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        why = {errno.EADDRINUSE: "the port is taken by another program; choose another with --port",
               errno.EADDRNOTAVAIL: "this machine has no such address",
               errno.EACCES: "permission denied (ports below 1024 need privileges)"}.get(exc.errno, exc.strerror or str(exc))
        raise UsageError(f"--host {host} --port {port}: cannot listen there ({why})") from None
    sock.set_inheritable(True)
    return sock


def host_names(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The Host headers the UI answers: the local names, the address it is bound to and, when bound
    to every interface, this machine's own names and addresses — never any name (``*``), which
    would let a page elsewhere read the archive through DNS rebinding. ``extra``: names the user adds."""
    import socket

    names = list(LOCAL_HOSTS)
    if host not in LOCAL_HOSTS:
        names.append(f"[{host}]" if ":" in host else host)
    if host in ("0.0.0.0", "::", ""):
        for name in (socket.gethostname(), socket.getfqdn()):
            if name and name not in names:
                names.append(name)
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None)
        except OSError:
            infos = []
        for info in infos:
            addr = str(info[4][0])
            addr = f"[{addr}]" if ":" in addr else addr
            if addr not in names:
                names.append(addr)
    names += [n for n in extra if n and n not in names]
    return names
