"""`veille serve`: the watches, their daily reviews and their alerts (read-only).

Why a module of its own: the watch pages read the watch tables (watch/state.py) and render
the review with the same collection and macros as the written review. The pages speak the
UI's language (``?ui=``, as every page); a review is shown in ``?lang=`` when given, else in the
UI's language."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

from fastapi import HTTPException, Query
from fastapi.responses import HTMLResponse

from ..i18n import UnknownLanguage, check_lang
from ..publish.safe import json_for_script

NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"


def add_watch_routes(app, ctx_dependency, ui_dependency, page: Callable[..., HTMLResponse]) -> None:
    from fastapi import Depends

    def state_of(c):
        from ..watch.state import WatchState

        return WatchState(c.store)

    def safe(fn, default):
        try:
            return fn()
        except sqlite3.OperationalError:  # an archive made before watches existed: no watch tables
            return default

    def spec_or_404(c, name: str):
        spec = safe(lambda: state_of(c).get_watch(name), None)
        if spec is None:
            raise HTTPException(404, f"no watch named {name}")
        return spec

    def lang_of(value: str, default: str) -> str:
        try:
            return check_lang(value or None, default)
        except UnknownLanguage as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get("/watches", response_class=HTMLResponse, include_in_schema=False)
    def watches_page(c=Depends(ctx_dependency), ui=Depends(ui_dependency)):
        t = ui.t
        state = state_of(c)
        rows = []
        for spec in safe(state.watches, []):
            rows.append({"spec": spec, "sources": state.sources(spec.name), "items": state.count_items(spec.name),
                         "reviews": state.reviews(spec.name)[:7], "alerts": state.alerts(spec.name, limit=5)})
        return page(ui, "web_watches.html.j2", title=t("watch.title"), rows=rows)

    @app.get("/watch/{name}", response_class=HTMLResponse, include_in_schema=False)
    def watch_page(name: str, c=Depends(ctx_dependency), ui=Depends(ui_dependency)):
        if not __import__("re").match(NAME, name):
            raise HTTPException(404, "no such watch")
        spec = spec_or_404(c, name)
        state = state_of(c)
        return page(ui, "web_watch.html.j2", title=spec.title, spec=spec, sources=state.sources(name),
                    items=state.count_items(name), failed=state.count_items(name, "failed"), reviews=state.reviews(name),
                    alerts=state.alerts(name, limit=200), pending={(d.alert_id, d.channel) for d in state.pending(name)})

    @app.get("/watch/{name}/review/{day}", response_class=HTMLResponse, include_in_schema=False)
    def review_page(name: str, day: str, c=Depends(ctx_dependency), ui=Depends(ui_dependency),
                    lang: str = Query("", max_length=8)):
        import re

        from ..publish.review import collect_review

        if not re.match(NAME, name) or not re.match(DATE, day):
            raise HTTPException(404, "no such review")
        spec = spec_or_404(c, name)
        data = collect_review(c.store, spec, day, lang_of(lang, ui.lang), c.registry)
        from ..i18n import install
        from ..publish.dossier import environment
        from ..publish.crosscheck import outlet_name

        own = environment()  # a fresh environment: the shared one's filters stay as they are for other pages
        install(own, data.lang)
        own.globals.update({k: v for k, v in ui.env.globals.items() if k not in ("t", "lang")})
        own.globals.update(t=data.t, lang=data.lang, outlet_name=lambda oid: outlet_name(c.registry, oid))
        html = own.get_template("web_review.html.j2").render(ui_links=ui.links,
            title=f"{data.t('review.title', watch=spec.title)} — {data.t.date(day)}", d=data, t=data.t,
            href=lambda art: f"/article/{art.id}", map_json=json_for_script({"events": data.map_data}))
        return HTMLResponse(html)

    @app.get("/api/watches/{name}/alerts", summary="A watch's alerts, newest first")
    def api_alerts(name: str, c=Depends(ctx_dependency), limit: int = Query(100, ge=1, le=1000)) -> list[dict[str, Any]]:
        spec_or_404(c, name)
        return state_of(c).alerts(name, limit=limit)
