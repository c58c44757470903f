"""The command line: a thin shell over the library.

Every command builds one ``Settings`` from its options and hands it down (the outlet
registry with the user's files included), shows a progress bar over articles on a terminal
(``veille.progress``), and ends with a summary of what changed and where the outputs are.
Exit status: 0 success, 1 when some inputs failed (each named on stderr; the rest is
processed and stored), 2 on usage errors, 130 when interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import InputError, UsageError
from .settings import Settings
from .store import Store, StoreLocked

EXIT_CODES = ("[bold]Exit status[/bold]: 0 success · 1 some inputs failed (each is named on standard error; the rest "
              "is processed and stored) · 2 usage error (bad option or date, an archive that does not exist) · 130 interrupted (what was "
              "stored so far is kept).")

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich", epilog=EXIT_CODES,
                  help="veille: from press reviews, pages, feeds and archives to a cross-checked dossier.\n\n"
                       "Start with [bold]veille run[/bold] on your inputs; the archive (a SQLite file, ./veille.db "
                       "by default) grows with every run and can be searched with [bold]veille serve[/bold].")
outlets_app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich",
                          help="The outlets veille knows: their country, ownership and affiliation label.")
app.add_typer(outlets_app, name="outlets")



def _add_watch_commands() -> None:
    """`veille watch …` and `veille review` live in watch/cli.py."""
    from .watch.cli import REVIEW_EXAMPLE, review_command, watch_app

    app.add_typer(watch_app, name="watch")
    app.command("review", epilog=REVIEW_EXAMPLE)(review_command)


_add_watch_commands()

DB = typer.Option(Path("veille.db"), "--db", metavar="PATH", help="the archive (a SQLite file; created when missing)")
DB_EXISTING = typer.Option(Path("veille.db"), "--db", metavar="PATH", help="the archive to read (a SQLite file)")
OUT_DIR = typer.Option(Path("dossier"), "--out", "-o", metavar="DIR", help="folder for the dossier (created when missing)")
TOPIC = typer.Option(None, "--topic", metavar="NAME", help="title of the dossier (default: the sections found)")
LANG = typer.Option(None, "--lang", metavar="fr|en", help="language of the dossier's labels (default: fr); articles stay as written")
SINCE = typer.Option(None, "--since", metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
UNTIL = typer.Option(None, "--until", metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD)")
WORKERS = typer.Option(None, "--workers", min=1, help="processes analysing articles at once (default: one per available core)")
QUIET = typer.Option(False, "--quiet", "-q", help="print errors only: no progress bar, no summary")
VERBOSE = typer.Option(False, "--verbose", "-v", help="also print each stage's count and rate, and every output file")
INPUTS_HELP = "files, folders, http(s) URLs, RSS/Atom feeds, sitemaps, WARC archives or JSON Lines files"
ALLOW_PRIVATE = typer.Option(False, "--allow-private",
                             help="let redirects, feeds and sitemaps lead to local or private network addresses "
                                  "(a URL you type yourself may always be local)")

_GLOBAL = {"quiet": False, "verbose": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"veille {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="print the version and exit"),
         quiet: bool = QUIET, verbose: bool = VERBOSE):
    _GLOBAL.update(quiet=quiet, verbose=verbose)


class Out:
    """What a command tells the user on standard error, by verbosity (standard output is for data)."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet or _GLOBAL["quiet"]
        self.verbose = (verbose or _GLOBAL["verbose"]) and not self.quiet

    def say(self, message: str) -> None:
        if not self.quiet:
            typer.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            typer.echo(message, err=True)

    def problems(self, report) -> None:
        if not self.quiet:
            for line in report.notices:
                typer.echo(f"note: {line}", err=True)
        for line in report.errors:
            typer.echo(f"error: {line}", err=True)

    def progress(self, settings: Settings):
        """A live bar on a terminal (or when asked), plain stage lines with --verbose elsewhere, else nothing."""
        from .progress import NO_PROGRESS, LineProgress, TerminalProgress

        if self.quiet:
            return NO_PROGRESS
        show = settings.progress if settings.progress is not None else sys.stderr.isatty()
        if show:
            return TerminalProgress(verbose=self.verbose)
        return LineProgress(sys.stderr) if self.verbose else NO_PROGRESS


def _settings(say: Out | None = None, **kw) -> Settings:
    """The one Settings of a command, from its options (None: the default)."""
    if say is not None and say.quiet:
        kw["progress"] = False
    return Settings(**{k: v for k, v in kw.items() if v is not None})


def _registry(settings: Settings):
    from .outlets import load_registry

    return load_registry(settings.outlet_files)


def _summary(out: Out, report, settings: Settings, dossier: Path | None = None) -> None:
    """The closing lines: what was new, updated, refused and why, and where the outputs are."""
    out.problems(report)
    parts = [f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged article(s) "
             f"from {report.inputs} input(s)"]
    if report.analyzed:
        parts.append(f"{report.analyzed} analysed")
    if report.stories is not None:
        parts.append(f"{report.stories} stor{'y' if report.stories == 1 else 'ies'}, "
                     f"{report.contradictions} contradiction(s) in the archive")
    out.say("; ".join(parts))
    refused = []
    if report.duplicate:
        refused.append(f"{report.duplicate} exact duplicate(s) of stored articles (same outlet, same text), kept once")
    if report.errors:
        refused.append(f"{len(report.errors)} problem(s), each named above with its reason")
    if refused:
        out.say("refused: " + "; ".join(refused))
    where = [f"archive: {settings.db}"]
    if dossier is not None:
        where.insert(0, f"dossier: {dossier / 'index.html'}")
    out.say(" · ".join(where))
    if dossier is not None:
        for name in sorted(p.name for p in dossier.iterdir() if p.is_file()):
            out.detail(f"  {dossier / name}")
    raise typer.Exit(0 if report.ok else 1)


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def _check_lang(value: str | None) -> str | None:
    if value is None:
        return None
    from .i18n import UnknownLanguage, check_lang

    try:
        return check_lang(value)
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from None


def _example(*lines: str) -> str:
    return "[bold]Example[/bold]\n\n" + "\n\n".join(f"  [cyan]{line}[/cyan]" for line in lines)


@app.command(epilog=_example("veille run revue-syrie-2019-01.txt --out dossier",
                             "veille run https://example.org/feed.xml saved-pages/ --db syria.db --since 2019-01-01"))
def run(inputs: List[str] = typer.Argument(..., metavar="INPUT...", help=INPUTS_HELP), db: Path = DB,
        out: Path = OUT_DIR, topic: Optional[str] = TOPIC, since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
        lang: Optional[str] = LANG, workers: Optional[int] = WORKERS, allow_private: bool = ALLOW_PRIVATE,
        quiet: bool = QUIET, verbose: bool = VERBOSE):
    """Do the whole job: store the inputs' articles, analyse them and write the dossier.

    New articles are added to the archive (a re-run adds nothing twice); the dossier
    (index.html, digest.md and the exports) covers the whole archive, or the dates you give.
    """
    from .pipeline import run as run_job

    _check_out_dir(out)
    say = Out(quiet, verbose)
    settings = _settings(say, db=db, out=out, topic=topic, since=_check_date(since, "--since"),
                         until=_check_date(until, "--until"), workers=workers, lang=_check_lang(lang),
                         allow_private=allow_private or None)
    progress = say.progress(settings)
    try:
        report = run_job(inputs, settings, progress=progress)
    finally:
        progress.close()
    _summary(say, report, settings, dossier=settings.out)


@app.command(epilog=_example("veille ingest revue-syrie-2019-01.txt saved-pages/ --db syria.db"))
def ingest(inputs: List[str] = typer.Argument(..., metavar="INPUT...", help=INPUTS_HELP), db: Path = DB,
           allow_private: bool = ALLOW_PRIVATE, quiet: bool = QUIET, verbose: bool = VERBOSE):
    """Store the inputs' articles in the archive, without analysing them.

    Use it to collect first and analyse later ([bold]veille analyze[/bold]). Each input is
    stored on its own: one that fails is named and the others are kept.
    """
    from .pipeline import ingest as ingest_job

    say = Out(quiet, verbose)
    settings = _settings(say, db=db, allow_private=allow_private or None)
    progress = say.progress(settings)
    try:
        with Store(settings.db) as store:
            report = ingest_job(inputs, settings, store, registry=_registry(settings), progress=progress)
    finally:
        progress.close()
    _summary(say, report, settings)


@app.command(epilog=_example("veille analyze --db syria.db", "veille analyze --db syria.db --all"))
def analyze(db: Path = DB_EXISTING, everything: bool = typer.Option(False, "--all", help="re-analyse every article, not only the new or changed ones"),
            workers: Optional[int] = WORKERS, quiet: bool = QUIET, verbose: bool = VERBOSE):
    """Analyse the articles stored since the last analysis, then link stories across outlets.

    Analysis finds the people, places, figures (with who gives them) and events of each
    article; linking groups articles about the same story and flags contradicting figures.
    """
    from .pipeline import analyze as analyze_job

    _require_db(db)
    say = Out(quiet, verbose)
    settings = _settings(say, db=db, workers=workers)
    progress = say.progress(settings)
    try:
        with Store(settings.db) as store:
            report = analyze_job(settings, store, everything=everything, progress=progress)
    finally:
        progress.close()
    say.problems(report)
    tail = (f"; {report.stories} stor{'y' if report.stories == 1 else 'ies'}, {report.contradictions} contradiction(s) "
            "in the archive" if report.stories is not None else "")
    say.say(f"{report.analyzed} article(s) analysed{tail} · archive: {settings.db}")
    raise typer.Exit(0 if report.ok else 1)


@app.command(epilog=_example("veille digest --db syria.db --out dossier --since 2019-01-10 --lang en",
                             "veille digest --db syria.db --format md -o review"))
def digest(db: Path = DB_EXISTING, out: Path = OUT_DIR,
           format: Optional[str] = typer.Option(None, "--format", metavar="FORMAT", help="html or md (default: both, with the exports)"),
           topic: Optional[str] = TOPIC, since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
           lang: Optional[str] = LANG, quiet: bool = QUIET, verbose: bool = VERBOSE):
    """Write the dossier from what the archive holds (no new input, no analysis).

    The dossier is index.html (self-contained: open it in a browser, send it by mail),
    digest.md (shaped like a press review) and the exports (articles.jsonl, claims.jsonl,
    stories.jsonl, contradictions.jsonl, events.csv, events.geojson).
    """
    from .publish.dossier import collect, render_html, render_markdown, write_dossier

    if format not in (None, "html", "md"):
        raise typer.BadParameter(f"{format!r} is not html or md", param_hint="--format")
    say = Out(quiet, verbose)
    settings = _settings(say, db=db, out=out, topic=topic, since=_check_date(since, "--since"),
                         until=_check_date(until, "--until"), lang=_check_lang(lang))
    _require_db(db)
    _check_out_dir(out)
    registry = _registry(settings)
    with Store(settings.db, readonly=True) as store:
        if format is None:
            path = write_dossier(store, settings, registry) / "index.html"
        else:
            out.mkdir(parents=True, exist_ok=True)
            data = collect(store, settings, registry)
            path = out / ("index.html" if format == "html" else "digest.md")
            from .publish.dossier import write_atomic

            write_atomic(path, render_html(data) if format == "html" else render_markdown(data))
    say.say(f"dossier: {path}")
    for name in sorted(p.name for p in out.iterdir() if p.is_file()):
        say.detail(f"  {out / name}")


EXPORT_FORMATS = ("jsonl", "csv", "geojson", "parquet")


@app.command(epilog=_example("veille export events --format csv -o events.csv",
                             "veille export claims --format parquet -o claims.parquet",
                             "veille export articles --db syria.db | jq .title"))
def export(kind: str = typer.Argument(..., metavar="KIND", help="articles, claims, events, stories or contradictions"),
           db: Path = DB_EXISTING,
           format: str = typer.Option("jsonl", "--format", metavar="FORMAT",
                                      help="jsonl, csv, parquet, or geojson (events only)"),
           output: Optional[Path] = typer.Option(None, "--output", "-o", "--out", metavar="FILE",
                                                 help="file to write (default: standard output)"),
           quiet: bool = QUIET, verbose: bool = VERBOSE):
    """Export one kind of record from the archive, for a spreadsheet, pandas, R or DuckDB.

    JSON Lines and Parquet keep every field; CSV of events has ACLED's column names;
    GeoJSON puts the events that have coordinates on a map. The fields are listed in the
    user guide (docs/guide.md, "Exports and their fields").
    """
    from .publish.export import KINDS
    from .publish.export import export as do_export

    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="KIND")
    if format not in EXPORT_FORMATS or (format == "geojson" and kind != "events"):
        raise typer.BadParameter(f"{format!r} is not jsonl, csv or parquet (or geojson, for events)", param_hint="--format")
    say = Out(quiet, verbose)
    settings = _settings(say, db=db)
    _require_db(db)
    if output is not None:
        _check_output_file(output)
    registry = _registry(settings)
    with Store(settings.db, readonly=True) as store:
        if format == "parquet":
            from .publish.export import write_parquet

            if output is None and sys.stdout.isatty():
                raise typer.BadParameter("Parquet is binary: give -o FILE (or redirect standard output)", param_hint="--output")
            n = write_parquet(store, kind, output if output is not None else sys.stdout.buffer, registry)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as f:
                n = do_export(store, kind, format, f, registry)
        else:
            n = do_export(store, kind, format, sys.stdout, registry)
    say.say(f"{n} {kind}" + (f" → {output}" if output else ""))


@app.command(epilog=_example("veille serve --db syria.db",
                             "veille serve --db syria.db --host 0.0.0.0 --port 8080 --lang en   # for colleagues on your network"))
def serve(db: Path = DB_EXISTING,
          host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (127.0.0.1: this computer only)"),
          port: int = typer.Option(8000, "--port", min=1, max=65535, help="port to listen on"),
          lang: Optional[str] = typer.Option(None, "--lang", metavar="fr|en",
                                             help="language of the pages when the browser asks for neither (default: fr)"),
          allowed_host: List[str] = typer.Option([], "--allowed-host", metavar="NAME",
                                                 help="another host name the UI may be reached under (with --host 0.0.0.0)")):
    """Serve the archive in a browser: search, stories side by side, map, and a JSON API.

    The archive is opened read-only: nobody can change it through the web UI, and it can
    be served while [bold]veille run[/bold] adds to it. The pages are in French or English:
    the browser's language, or the reader's choice (the FR · EN links, or ?ui=en in an address).
    """
    _require_db(db)
    Store(db, readonly=True).close()  # not a veille archive: one line now, not a 500 on every page
    from .i18n import UnknownLanguage, check_lang

    try:
        lang = check_lang(lang, "fr")
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from None
    try:
        from .web.app import serve as do_serve
    except ImportError:
        typer.echo("the web UI is not available in this build", err=True)
        raise typer.Exit(2)
    settings = _settings(db=db)
    do_serve(db, host, port, settings=settings, lang=lang, allowed_hosts=tuple(allowed_host))


@app.command(epilog=_example("veille spark crawl/*.warc.gz --out spark-out --master local[4]",
                             "veille spark @inputs.txt --out spark-out --db syria.db"))
def spark(inputs: List[str] = typer.Argument(..., metavar="INPUT...", help=INPUTS_HELP + "; @FILE reads inputs from FILE, one per line"),
          out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="folder for the Parquet tables and the exports"),
          master: str = typer.Option("local[*]", "--master", help="Spark master URL (local[*]: every core of this computer)"),
          db: Optional[Path] = typer.Option(None, "--db", metavar="PATH", help="also load the result into this archive, to browse it with veille serve")):
    """Run the same analysis on Apache Spark, for corpora too large for one computer.

    Writes one Parquet table per record type under DIR/parquet/ and the same exports as
    [bold]veille run[/bold]. Needs Java 17.
    """
    try:
        from .spark.job import main as spark_main
    except ImportError:
        typer.echo("the Spark job is not available in this build", err=True)
        raise typer.Exit(2)
    settings = _settings(out=out, db=db)
    raise typer.Exit(spark_main(inputs, out, master, db=db, settings=settings))


@outlets_app.command("list", epilog=_example("veille outlets list", "veille outlets list --json > outlets.jsonl"))
def outlets_list(as_json: bool = typer.Option(False, "--json", help="one JSON record per line")):
    """List the outlets veille knows, yours included."""
    from rich.console import Console
    from rich.table import Table

    registry = _registry(_settings())
    if as_json:
        for o in registry:
            typer.echo(json.dumps(o.to_dict(), ensure_ascii=False))
        return
    table = Table("id", "name", "country", "ownership", "affiliation", "domains", box=None)
    for o in registry:
        table.add_row(o.id, o.name, o.country or "", o.ownership, (o.affiliation or "")[:60], ", ".join(o.domains[:2]))
    Console(width=200).print(table)


@outlets_app.command("show", epilog=_example("veille outlets show presstv", "veille outlets show https://www.sana.sy/fr/?p=1"))
def outlets_show(name: str = typer.Argument(..., metavar="OUTLET", help="an outlet's id, name, alias or a URL on its site")):
    """Show what veille knows about one outlet."""
    registry = _registry(_settings())
    o = registry.get(name) or registry.by_name(name) or (registry.by_url(name) if "." in name else None)
    if o is None:
        typer.echo(f"error: no outlet matches {name!r} (veille outlets list shows them all)", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(o.to_dict(), ensure_ascii=False, indent=2))


@outlets_app.command("add", epilog=_example(
    'veille outlets add enabbaladi --name "Enab Baladi" --domain enabbaladi.net --country SY '
    '--language ar --language en --ownership ngo --affiliation "Syrian opposition-leaning independent outlet"'))
def outlets_add(id: str = typer.Argument(..., metavar="ID", help="a short slug: lower case, digits, dashes"),
                name: str = typer.Option(..., "--name", help="the outlet's name as printed"),
                domain: List[str] = typer.Option([], "--domain", help="a web domain of the outlet (repeat for several)"),
                alias: List[str] = typer.Option([], "--alias", help="another name it goes by (repeat for several)"),
                country: Optional[str] = typer.Option(None, "--country", help="ISO 3166-1 alpha-2 code, e.g. SY"),
                language: List[str] = typer.Option([], "--language", help="a language it publishes in (repeat)"),
                ownership: str = typer.Option("unknown", "--ownership", help="state, public, private, party, armed-group, ngo or unknown"),
                affiliation: Optional[str] = typer.Option(None, "--affiliation", help="who is behind it, in a few words"),
                label_source: Optional[str] = typer.Option(None, "--label-source", help="where the label comes from"),
                file: Optional[Path] = typer.Option(None, "--file", metavar="FILE", help="outlet file to write (default: the first of $VEILLE_OUTLETS, else ~/.config/veille/outlets.json)")):
    """Add (or replace) an outlet in your own outlet file; every later run uses it.

    The label (country, ownership, affiliation) is shown beside every article of the
    outlet in the dossier and the web UI.
    """
    from .outlets import add_outlet, outlet_from_mapping

    settings = _settings()
    path = file or settings.outlet_files[0]
    try:
        outlet = outlet_from_mapping({"id": id, "name": name, "domains": domain, "aliases": alias, "country": country,
                                      "languages": language, "ownership": ownership, "affiliation": affiliation,
                                      "label_source": label_source}, "veille outlets add")
    except InputError as exc:
        raise typer.BadParameter(exc.reason) from None
    add_outlet(path, outlet)
    typer.echo(f"{id} saved in {path}", err=True)


gazetteer_app = typer.Typer(no_args_is_help=True, help="The offline world gazetteer (places, admin areas, countries).")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build", epilog=_example("veille gazetteer build", "veille gazetteer build --force"))
def gazetteer_build_cmd(force: bool = typer.Option(False, "--force", help="rebuild even if the index is up to date")):
    """Build the gazetteer index (GeoNames towns, admin areas, countries, curated places) once."""
    from .enrich.gazetteer import GazetteerError, build_index, default_path, index_ok

    path = default_path()
    if index_ok(path) and not force:
        typer.echo(f"gazetteer index up to date: {path}", err=True)
        return
    if force and path.exists():
        path.unlink()
    typer.echo(f"building the gazetteer index in {path} (about a minute) …", err=True)
    try:
        build_index(path, quiet=False)
    except GazetteerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"gazetteer index built: {path} ({path.stat().st_size / 1e6:.0f} MB)", err=True)


@gazetteer_app.command("lookup", epilog=_example("veille gazetteer lookup Dori --country BF",
                                                 "veille gazetteer lookup 'Donetsk oblast'"))
def gazetteer_lookup_cmd(name: str = typer.Argument(..., metavar="NAME", help="a place name in any spelling or script"),
                         country: Optional[str] = typer.Option(None, "--country",
                                                               help="only places in this country (two-letter code, e.g. BF)"),
                         limit: int = typer.Option(10, "--limit", help="show at most this many places"),
                         as_json: bool = typer.Option(False, "--json", help="one JSON object per line")):
    """Every place a name may mean: towns, admin areas, countries, curated places."""
    from .enrich.gazetteer import GazetteerError, gazetteer

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise typer.BadParameter(f"{country!r} is not a two-letter country code (e.g. BF, UA, SD)", param_hint="--country")
    try:
        found = gazetteer().lookup(name, country=country)[:limit]
    except GazetteerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    if not found:
        typer.echo(f"no place named {name!r}" + (f" in {country.upper()}" if country else ""), err=True)
        raise typer.Exit(1)
    for e in found:
        if as_json:
            typer.echo(json.dumps({"id": e.id, "name": e.name, "kind": e.kind, "country": e.country, "admin1": e.admin1,
                                   "admin2": e.admin2, "lat": e.lat, "lon": e.lon, "population": e.population,
                                   "geonames_id": e.geonames_id, "curated": e.curated}, ensure_ascii=False))
        else:
            where = ", ".join(x for x in (e.admin2, e.admin1, e.country) if x and x != e.name)
            pt = f"{e.lat:.4f}, {e.lon:.4f}" if e.lat is not None else "no point"
            typer.echo(f"{e.id}\t{e.name} ({e.kind}) — {where} — {pt}" + (f" — pop. {e.population}" if e.population else ""))


def _require_db(db: Path) -> None:
    if not db.exists():
        raise typer.BadParameter(f"{db}: no such archive (run `veille run` or `veille ingest` first)", param_hint="--db")
    if db.is_dir():
        raise typer.BadParameter(f"{db}: is a folder, not an archive file", param_hint="--db")


def _check_out_dir(out: Path) -> None:
    """Before any work: the dossier folder must be a folder (or not exist yet), never an existing file."""
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out}: exists and is not a folder", param_hint="--out")
    parent = next((p for p in [out, *out.parents] if p.exists()), None)
    if parent is not None and (not parent.is_dir() or not os.access(parent, os.W_OK)):
        raise typer.BadParameter(f"{out}: cannot create or write this folder ({parent} is not writable)",
                                 param_hint="--out")


def _check_output_file(output: Path) -> None:
    if output.is_dir():
        raise typer.BadParameter(f"{output}: is a folder; give a file name", param_hint="--output")
    if not output.parent.is_dir():
        raise typer.BadParameter(f"{output.parent}: no such folder", param_hint="--output")


def _given(args: list[str], opts: list[str]) -> str | None:
    """The value the user gave to one of ``opts`` on the command line (``--port 9`` or ``--port=9``)."""
    for i, arg in enumerate(args):
        if arg in opts and i + 1 < len(args):
            return args[i + 1]
        for opt in opts:
            if opt.startswith("--") and arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def usage_line(exc: typer.TyperException, args: list[str]) -> str:
    """A usage error (bad option, value or command) as one line: what was given, why it is refused,
    and where the help is — instead of a framed box of five lines."""
    import re

    message = re.sub(r"\s+", " ", exc.format_message()).strip()
    message = re.sub(r"^Invalid value for '?([^':]+?)'?: ", r"\1: ", message)  # "--port: …" reads better
    param = getattr(exc, "param", None)
    if isinstance(exc, typer.BadParameter) and param is not None:
        value = _given(args, list(param.opts) + list(getattr(param, "secondary_opts", [])))
        if value is not None and value not in message:
            message += f" (given: {value!r})"
    ctx = getattr(exc, "ctx", None)
    message = message.rstrip(".")
    where = f"; see `{ctx.command_path} --help`" if ctx is not None else ""
    return f"error: {message}{where}"


def main() -> None:
    args = sys.argv[1:]
    try:
        code = app(args=args, prog_name="veille", standalone_mode=False)
        if code == 130:  # typer turns Ctrl-C into exit status 130
            typer.echo("interrupted; what was stored so far is kept (a re-run resumes)", err=True)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.TyperException as exc:  # click's usage errors (typer vendors click)
        if exc.__class__.__name__ == "NoArgsIsHelpError":  # `veille` alone: the help was shown
            sys.exit(2)
        typer.echo(usage_line(exc, args), err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
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
    except BrokenPipeError:  # `veille export … | head`: the reader has what it wanted
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # disk full, permission denied on an output…: one line, named
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug: one line for the user, the traceback only on request
        if os.environ.get("VEILLE_DEBUG"):
            raise
        typer.echo(f"error: internal error ({exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}); "
                   "set VEILLE_DEBUG=1 to see the traceback, and please report it", err=True)
        sys.exit(1)
