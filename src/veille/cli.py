"""The command line: a thin shell over the library (DESIGN §3).

Exit status: 0 success, 1 when some inputs failed (each named on stderr; the rest is
processed and stored), 2 on usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import InputError, UsageError
from .settings import Settings
from .store import Store, StoreLocked

app = typer.Typer(add_completion=False, no_args_is_help=True, help="veille: from press reviews, pages and feeds to a cross-checked dossier.")
outlets_app = typer.Typer(no_args_is_help=True, help="The outlet registry.")
app.add_typer(outlets_app, name="outlets")


def _add_watch_commands() -> None:
    """`veille watch …` and `veille review` live in watch/cli.py."""
    from .watch.cli import review_command, watch_app

    app.add_typer(watch_app, name="watch")
    app.command("review")(review_command)


_add_watch_commands()

DB = typer.Option(Path("veille.db"), "--db", help="SQLite database")


def _settings(**kw) -> Settings:
    return Settings(**{k: v for k, v in kw.items() if v is not None})


def _progress():
    """A one-line progress display on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    counter = {"n": 0}

    def show(source: str) -> None:
        counter["n"] += 1
        console.print(f"[dim]{counter['n']:>5}[/dim] {source[-100:]}", end="\r", highlight=False, soft_wrap=True)

    return show


def _finish(report) -> None:
    from .pipeline import print_problems

    print_problems(report)
    typer.echo(f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged article(s) "
               f"{f'({report.duplicate} exact duplicate(s) stored once) ' if report.duplicate else ''}"
               f"from {report.inputs} input(s){f', {report.analyzed} analysed' if report.analyzed else ''}{'; ' + str(len(report.errors)) + ' problem(s)' if report.errors else ''}",
               err=True)
    raise typer.Exit(0 if report.ok else 1)


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


@app.command()
def run(inputs: List[str] = typer.Argument(..., help="files, folders, URLs, feeds, WARC, JSONL"), db: Path = DB,
        out: Path = typer.Option(Path("dossier"), "--out", help="dossier folder"),
        topic: Optional[str] = typer.Option(None, "--topic"), since: Optional[str] = typer.Option(None, "--since"),
        until: Optional[str] = typer.Option(None, "--until")):
    """Ingest, analyse and write the dossier."""
    from .pipeline import run as run_job

    settings = _settings(db=db, out=out, topic=topic, since=_check_date(since, "--since"), until=_check_date(until, "--until"))
    report = run_job(inputs, settings, progress=_progress())
    typer.echo(f"dossier: {settings.out / 'index.html'}", err=True)
    _finish(report)


@app.command()
def ingest(inputs: List[str] = typer.Argument(...), db: Path = DB):
    """Acquire, extract and store (no analysis)."""
    from .pipeline import ingest as ingest_job

    settings = _settings(db=db)
    with Store(settings.db) as store:
        report = ingest_job(inputs, settings, store, progress=_progress())
    _finish(report)


@app.command()
def analyze(db: Path = DB, everything: bool = typer.Option(False, "--all", help="re-analyse every article")):
    """Enrich and link what is new."""
    from .pipeline import analyze as analyze_job

    settings = _settings(db=db)
    with Store(settings.db) as store:
        report = analyze_job(settings, store, everything=everything)
    from .pipeline import print_problems

    print_problems(report)
    typer.echo(f"{report.analyzed} article(s) analysed", err=True)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def digest(db: Path = DB, out: Path = typer.Option(Path("dossier"), "--out"),
           format: Optional[str] = typer.Option(None, "--format", help="html or md (default: both)"),
           topic: Optional[str] = typer.Option(None, "--topic"), since: Optional[str] = typer.Option(None, "--since"),
           until: Optional[str] = typer.Option(None, "--until")):
    """Write the dossier from what the database holds."""
    from .publish.dossier import collect, render_html, render_markdown, write_dossier

    if format not in (None, "html", "md"):
        raise typer.BadParameter("--format is html or md")
    settings = _settings(db=db, out=out, topic=topic, since=_check_date(since, "--since"), until=_check_date(until, "--until"))
    _require_db(db)
    with Store(settings.db) as store:
        if format is None:
            path = write_dossier(store, settings)
        else:
            out.mkdir(parents=True, exist_ok=True)
            data = collect(store, settings)
            path = out / ("index.html" if format == "html" else "digest.md")
            path.write_text(render_html(data) if format == "html" else render_markdown(data), encoding="utf-8")
    typer.echo(str(path), err=True)


@app.command()
def export(kind: str = typer.Argument(..., help="articles, claims, events, stories or contradictions"), db: Path = DB,
           format: str = typer.Option("jsonl", "--format", help="jsonl, csv or geojson"),
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="file (default: standard output)")):
    """Export records (DESIGN §2 fields)."""
    from .outlets import load_registry
    from .publish.export import KINDS
    from .publish.export import export as do_export

    if kind not in KINDS:
        raise typer.BadParameter(f"one of {', '.join(KINDS)}", param_hint="KIND")
    if format not in ("jsonl", "csv", "geojson") or (format == "geojson" and kind != "events"):
        raise typer.BadParameter("jsonl or csv (geojson for events)", param_hint="--format")
    _require_db(db)
    registry = load_registry(Settings().outlet_files)
    with Store(db, readonly=True) as store:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as f:
                n = do_export(store, kind, format, f, registry)
        else:
            n = do_export(store, kind, format, sys.stdout, registry)
    typer.echo(f"{n} {kind}", err=True)


@app.command()
def serve(db: Path = DB, host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port")):
    """Serve the read-only web UI."""
    _require_db(db)
    try:
        from .web.app import serve as do_serve
    except ImportError:
        typer.echo("the web UI is not available in this build", err=True)
        raise typer.Exit(2)
    do_serve(db, host, port)


@app.command()
def spark(inputs: List[str] = typer.Argument(...), out: Path = typer.Option(..., "--out"),
          master: str = typer.Option("local[*]", "--master"),
          db: Optional[Path] = typer.Option(None, "--db", help="also load the result into this SQLite store (for `veille serve`)")):
    """Run the same stages on Apache Spark."""
    try:
        from .spark.job import main as spark_main
    except ImportError:
        typer.echo("the Spark job is not available in this build", err=True)
        raise typer.Exit(2)
    raise typer.Exit(spark_main(inputs, out, master, db=db))


@outlets_app.command("list")
def outlets_list(as_json: bool = typer.Option(False, "--json")):
    """List the outlets veille knows."""
    from rich.console import Console
    from rich.table import Table

    from .outlets import load_registry

    registry = load_registry(Settings().outlet_files)
    if as_json:
        for o in registry:
            typer.echo(json.dumps(o.to_dict(), ensure_ascii=False))
        return
    table = Table("id", "name", "country", "ownership", "affiliation", "domains", box=None)
    for o in registry:
        table.add_row(o.id, o.name, o.country or "", o.ownership, (o.affiliation or "")[:60], ", ".join(o.domains[:2]))
    Console(width=200).print(table)


@outlets_app.command("show")
def outlets_show(name: str):
    """Show one outlet (by id, name, alias or URL)."""
    from .outlets import load_registry

    registry = load_registry(Settings().outlet_files)
    o = registry.get(name) or registry.by_name(name) or (registry.by_url(name) if "." in name else None)
    if o is None:
        typer.echo(f"no outlet matches {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(o.to_dict(), ensure_ascii=False, indent=2))


@outlets_app.command("add")
def outlets_add(id: str = typer.Argument(...), name: str = typer.Option(..., "--name"),
                domain: List[str] = typer.Option([], "--domain"), alias: List[str] = typer.Option([], "--alias"),
                country: Optional[str] = typer.Option(None, "--country"), language: List[str] = typer.Option([], "--language"),
                ownership: str = typer.Option("unknown", "--ownership"), affiliation: Optional[str] = typer.Option(None, "--affiliation"),
                label_source: Optional[str] = typer.Option(None, "--label-source"),
                file: Optional[Path] = typer.Option(None, "--file", help="user outlet file (default: first of $VEILLE_OUTLETS, ~/.config/veille/outlets.json)")):
    """Add (or replace) an outlet in your own outlet file."""
    from .outlets import add_outlet, outlet_from_mapping

    path = file or Settings().outlet_files[0]
    try:
        outlet = outlet_from_mapping({"id": id, "name": name, "domains": domain, "aliases": alias, "country": country,
                                      "languages": language, "ownership": ownership, "affiliation": affiliation,
                                      "label_source": label_source}, "veille outlets add")
    except InputError as exc:
        raise typer.BadParameter(exc.reason) from None
    add_outlet(path, outlet)
    typer.echo(f"{id} saved in {path}", err=True)


def _require_db(db: Path) -> None:
    if not db.exists():
        raise typer.BadParameter(f"{db}: no such database (run `veille ingest` or `veille run` first)", param_hint="--db")


def main() -> None:
    try:
        app()
    except StoreLocked as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted; what was ingested so far is stored", err=True)
        sys.exit(130)
