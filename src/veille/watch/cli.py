"""`veille watch add|list|show|remove|run|once` and `veille review`: a thin shell over watch/.

Exit status as everywhere: 0 ok, 1 when something failed (named on stderr, the rest done),
2 on usage errors (an unknown watch, a malformed watch file, a bad date or language).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError

def _example(*lines: str) -> str:
    return "[bold]Example[/bold]\n\n" + "\n\n".join(f"  [cyan]{line}[/cyan]" for line in lines)


watch_app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich", help="Standing watches: sources, what matters, the daily review and alerts "
                                                   "(described in a TOML file: name, sources, filters, review, alerts, deliver).")
DB = typer.Option(Path("veille.db"), "--db", metavar="PATH", help="the archive (a SQLite file; created when missing)")
NAME_ARG = typer.Argument(..., help="the watch's name (as in its file's name = \"…\")")


def _open(db: Path):
    from ..store import Store

    return Store(db)


def _now() -> str:
    from .service import Clock, iso

    return iso(Clock().now())


def _spec_or_exit(state, name: str):
    spec = state.get_watch(name)
    if spec is None:
        known = ", ".join(state.names()) or "none yet"
        raise UsageError(f"no watch named {name!r} (known: {known}; add one with `veille watch add FILE.toml`)")
    return spec


@watch_app.command("add", epilog=_example("veille watch add examples/watch-syrie.toml --db syria.db"))
def add(file: Path = typer.Argument(..., help="the watch file (TOML)"), db: Path = DB):
    """Add a watch from its file (or replace the watch of the same name)."""
    from .spec import WatchError, load_watch
    from .state import WatchState

    try:
        spec = load_watch(file)
    except WatchError as exc:
        raise UsageError(str(exc)) from None
    with _open(db) as store:
        with store.transaction():
            new = WatchState(store).put_watch(spec, _now())
    typer.echo(f"watch {spec.name!r} {'added' if new else 'updated'}: {len(spec.sources)} source(s), "
               f"{len(spec.alerts)} alert rule(s), review in {spec.language} at {spec.hour} {spec.timezone} → {spec.out_dir()}", err=True)


@watch_app.command("list", epilog=_example("veille watch list --db syria.db"))
def list_(db: Path = DB, as_json: bool = typer.Option(False, "--json", help="one JSON object per watch instead of a table")):
    """List the watches with their sources' state."""
    from .state import WatchState

    if not db.exists():
        typer.echo("no watch yet (add one with `veille watch add FILE.toml`)", err=True)
        return
    with _open(db) as store:
        state = WatchState(store)
        for spec in state.watches():
            srcs = state.sources(spec.name)
            failing = sum(1 for s in srcs if s.failures)
            row = {"name": spec.name, "title": spec.title, "sources": len(spec.sources), "failing": failing,
                   "items": state.count_items(spec.name), "reviews": len(state.reviews(spec.name)),
                   "alerts": len(state.alerts(spec.name)), "pending_deliveries": len(state.pending(spec.name))}
            if as_json:
                typer.echo(json.dumps(row, ensure_ascii=False))
            else:
                failing_text = f" ({failing} failing)" if failing else ""
                pending = row["pending_deliveries"]
                pending_text = f", {pending} delivery(ies) pending" if pending else ""
                typer.echo(f"{spec.name:<16} {spec.title[:30]:<30} {row['sources']} source(s){failing_text}, "
                           f"{row['items']} item(s), {row['reviews']} review(s), {row['alerts']} alert(s){pending_text}")


@watch_app.command("show", epilog=_example("veille watch show syrie --db syria.db"))
def show(name: str = NAME_ARG, db: Path = DB):
    """Show a watch: its settings, each source's state, recent reviews and alerts."""
    from .spec import describe
    from .state import WatchState

    with _open(db) as store:
        state = WatchState(store)
        spec = _spec_or_exit(state, name)
        data = describe(spec)
        data["state"] = {"sources": [vars(s) for s in state.sources(name)], "items": state.count_items(name),
                         "failed_items": state.count_items(name, "failed"), "reviews": state.reviews(name)[:10],
                         "alerts": state.alerts(name, limit=10), "pending_deliveries": [vars(d) for d in state.pending(name)]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@watch_app.command("remove", epilog=_example("veille watch remove syrie --db syria.db"))
def remove(name: str = NAME_ARG, db: Path = DB):
    """Remove a watch and its state (the articles it brought stay in the database)."""
    from .state import WatchState

    with _open(db) as store:
        state = WatchState(store)
        _spec_or_exit(state, name)
        with store.transaction():
            state.remove_watch(name)
    typer.echo(f"watch {name!r} removed", err=True)


def _service(store, names: List[str]):
    from ..settings import Settings
    from .service import WatchService
    from .state import WatchState

    state = WatchState(store)
    for n in names:
        _spec_or_exit(state, n)
    if not state.names():
        raise UsageError("no watch to run (add one with `veille watch add FILE.toml`)")
    return WatchService(store, Settings(db=store.path), names=names or None,
                        echo=lambda line: typer.echo(f"alert: {line}"))


@watch_app.command("once", epilog=_example("veille watch once --db syria.db", "veille watch once syrie --db syria.db"))
def once(names: List[str] = typer.Argument(None, help="watches to poll (default: all)"), db: Path = DB):
    """Poll every source of the watches once, then analyse, alert, review and deliver (for cron)."""
    from .service import print_pass

    with _open(db) as store:
        service = _service(store, names or [])
        try:
            report = service.run_pass(force=True)
        finally:
            service.close()
    print_pass(report)
    typer.echo(f"{report.new_items} new item(s) from {report.polled} source(s), {len(report.alerts)} new alert(s), "
               f"{len(report.reviews)} review(s) written", err=True)
    raise typer.Exit(1 if report.errors else 0)


@watch_app.command("run", epilog=_example("veille watch run --db syria.db", "veille watch run syrie --db syria.db"))
def run(names: List[str] = typer.Argument(None, help="watches to run (default: all)"), db: Path = DB):
    """Run the watches as a service until interrupted (Ctrl-C or SIGTERM stop it cleanly)."""
    from .service import print_pass

    stop = threading.Event()

    def handler(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    with _open(db) as store:
        service = _service(store, names or [])
        typer.echo(f"watching {', '.join(n for n in (names or service.state.names()))}; stop with Ctrl-C", err=True)
        try:
            service.run_forever(stop, on_pass=print_pass)
        finally:
            service.close()
    typer.echo("stopped; the state is saved and the next run resumes", err=True)


REVIEW_EXAMPLE = _example("veille review syrie --day 2019-01-16 --lang en --db syria.db",
                          "veille review syrie --out reviews/")


def review_command(watch: str = typer.Argument(..., help="the watch's name"), db: Path = DB,
                   day: Optional[str] = typer.Option(None, "--day", metavar="DATE", help="YYYY-MM-DD (default: yesterday)"),
                   lang: Optional[str] = typer.Option(None, "--lang", help="fr or en (default: the watch's language)"),
                   out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR", help="folder (default: the watch's review folder)")):
    """Write a watch's daily review (HTML, Markdown and the watch's Atom feed)."""
    from datetime import date, timedelta

    from ..i18n import UnknownLanguage, check_lang
    from ..publish.review import ReviewWriteError, write_review
    from ..settings import Settings
    from .state import WatchState

    if day is None:
        day = (date.today() - timedelta(days=1)).isoformat()
    try:
        day = date.fromisoformat(day).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="--day") from None
    try:
        lang = check_lang(lang, default="") or None
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from None
    if not db.exists():
        raise typer.BadParameter(f"{db}: no such database (run `veille watch once` first)", param_hint="--db")
    with _open(db) as store:
        spec = _spec_or_exit(WatchState(store), watch)
        from ..outlets import load_registry

        try:
            data, paths = write_review(store, spec, day, lang, out, load_registry(Settings().outlet_files))
        except ReviewWriteError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1)
    typer.echo(f"{len(data.entries)} article(s) in the review of {day} ({data.lang}): {paths['html']}", err=True)
    for kind in ("md", "atom"):
        if kind in paths:
            typer.echo(f"  {paths[kind]}", err=True)
