"""The watch service: poll each source when it is due, take each new item once, analyse,
raise alerts, write the daily review at its hour, deliver.

Why item by item: a feed repeats and reorders items, and a process can be killed at any
instant. Each item (a feed or sitemap entry's URL, a file's content hash, a page) is marked
taken in the same transaction that stores its article, so after a restart nothing is taken
twice and nothing is skipped: an item not marked is fetched again. A source that fails backs
off (its interval doubled per failure, capped at six hours) without holding up the others;
an item that keeps failing is given up after ``ITEM_TRIES`` tries and named.

A clock is handed in, so a simulated month runs in seconds (tests, bench/watch_month.py).
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from ..errors import InputError, InputNotice
from ..extract import Context
from ..outlets import OutletRegistry, load_registry
from ..pipeline import Report, extract_raw, store_raw
from ..records import RawDoc
from ..settings import Settings
from ..store import Store
from ..urls import canonical_url
from .spec import Source, WatchSpec
from .state import WatchState

ITEM_TRIES = 5
MAX_BACKOFF = 6 * 3600.0
REVIEW_CATCH_UP_DAYS = 7


class Clock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float, stop: threading.Event | None = None) -> None:
        if stop is not None:
            stop.wait(seconds)
        else:
            time.sleep(seconds)


class FakeClock(Clock):
    """Simulated time: ``sleep`` moves the clock instead of waiting."""

    def __init__(self, start: datetime):
        self.t = start if start.tzinfo else start.replace(tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.t

    def sleep(self, seconds: float, stop: threading.Event | None = None) -> None:
        self.t += timedelta(seconds=seconds)

    def advance(self, **kw) -> None:
        self.t += timedelta(**kw)


def _aware(text: str) -> datetime:
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "+00:00"


@dataclass
class PassReport:
    new_items: int = 0
    new_articles: int = 0
    analyzed: int = 0
    polled: int = 0
    alerts: list[dict] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)
    delivered: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class WatchService:
    def __init__(self, store: Store, settings: Settings | None = None, clock: Clock | None = None,
                 registry: OutletRegistry | None = None, echo: Callable[[str], None] | None = None,
                 names: Iterable[str] | None = None, base: Path | None = None, analyze: bool = True):
        self.store = store
        self.settings = settings or Settings(db=store.path)
        self.clock = clock or Clock()
        self.registry = registry or load_registry(self.settings.outlet_files)
        self.echo = echo or (lambda line: print(line, flush=True))
        self.names = set(names) if names else None
        self.state = WatchState(store)
        self.ctx = Context(self.registry, self.settings)
        self.base = base
        self.do_analyze = analyze
        self._fetcher = None

    # ---- plumbing --------------------------------------------------------------------
    @property
    def fetcher(self):
        if self._fetcher is None:
            from ..acquire.fetch import Fetcher

            self._fetcher = Fetcher(self.settings, self.store)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def specs(self) -> list[WatchSpec]:
        return [s for s in self.state.watches() if self.names is None or s.name in self.names]

    def now_iso(self) -> str:
        return iso(self.clock.now())

    # ---- one pass ----------------------------------------------------------------------
    def run_pass(self, force: bool = False) -> PassReport:
        """Poll what is due (everything with ``force``), analyse, alert, review, deliver."""
        report = PassReport()
        specs = self.specs()
        now = self.clock.now()
        for spec in specs:
            due = {s.source for s in self.state.sources(spec.name) if force or s.next_at is None or s.next_at <= iso(now)}
            for source in spec.sources:
                if source.key in due:
                    self._poll(spec, source, report)
        if report.new_articles and self.do_analyze:
            from ..pipeline import analyze

            r = analyze(self.settings, self.store)
            report.analyzed = r.analyzed
            report.errors += r.errors
        for spec in specs:
            if spec.alerts:
                from .alerts import raise_alerts

                try:
                    report.alerts += raise_alerts(self.store, spec, self.now_iso(), self.registry)
                except Exception as exc:  # a rule that fails on odd records never stops the service
                    report.errors.append(f"watch {spec.name}: alerts failed: {exc}")
            try:
                report.reviews += self._reviews_due(spec, report)
            except Exception as exc:  # never let one watch's review stop the service
                report.errors.append(f"watch {spec.name}: review failed: {type(exc).__name__}: {exc}")
        report.delivered = self._deliver(specs, report)
        return report

    def _poll(self, spec: WatchSpec, source: Source, report: PassReport) -> None:
        now = self.clock.now()
        report.polled += 1
        try:
            items = self._source_items(source)
        except InputError as exc:
            failures = self.state.source_failed(spec.name, source.key, exc.reason, iso(now + timedelta(seconds=self._backoff(spec, source))))
            report.errors.append(f"watch {spec.name}: {exc} (failure {failures}; next try in {self._backoff(spec, source):.0f} s)")
            return
        taken = 0
        for item, get in items:
            status = self.state.item_status(spec.name, item)
            if status is not None and status[0] in ("ok", "failed"):
                continue
            got = get()
            if isinstance(got, InputNotice):
                report.notices.append(str(got))
                continue
            if isinstance(got, InputError):
                with self.store.transaction():
                    tries = self.state.item_failed(spec.name, item, source.key, self.now_iso(), ITEM_TRIES)
                report.errors.append(f"watch {spec.name}: {got}" + (" (given up)" if tries >= ITEM_TRIES else f" (try {tries})"))
                continue
            raw: RawDoc = got
            result = extract_raw(raw, self.ctx)
            r = Report()
            now_iso = self.now_iso()
            store_raw(self.store, raw, result, r,
                      also=lambda ids, item=item: self.state.take_item(spec.name, item, source.key, ids, now_iso))
            report.errors += r.errors
            report.notices += r.notices
            report.new_articles += r.new + r.updated
            report.new_items += 1
            taken += 1
        nxt = iso(self.clock.now() + timedelta(seconds=spec.every))
        with self.store.transaction():
            self.state.source_ok(spec.name, source.key, self.now_iso(), nxt, taken)

    def _backoff(self, spec: WatchSpec, source: Source) -> float:
        row = next((s for s in self.state.sources(spec.name) if s.source == source.key), None)
        failures = row.failures if row else 1
        return min(spec.every * (2 ** max(failures - 1, 0)), max(MAX_BACKOFF, spec.every))

    def _source_items(self, source: Source):
        """[(item key, thunk giving a RawDoc or an InputError)] — fetching the listing raises InputError."""
        from ..acquire import sources as acq
        from ..acquire.feeds import parse_feed, parse_sitemap

        if source.kind == "files":
            out = []
            for raw in acq.acquire(source.location, self.settings, self.store):
                if isinstance(raw, InputError):
                    if isinstance(raw, InputNotice):
                        continue
                    if not Path(source.location).exists():
                        raise InputError(source.location, "no such file or folder")
                    out.append((f"error:{raw.source}", lambda raw=raw: raw))
                    continue
                out.append((f"file:{raw.source}#{raw.sha256}", lambda raw=raw: raw))
            return out
        if source.location.startswith(("http://", "https://")):
            self.fetcher.trust(source.location)  # written in the watch file by its user: may be a local address
        if source.kind == "page":
            fetched = self.fetcher.fetch(source.location)
            raw = fetched.raw("text/html")
            return [(f"page:{canonical_url(source.location) or source.location}#{raw.sha256}", lambda: self._remembered(fetched, raw))]
        if source.location.startswith(("http://", "https://")):
            fetched = self.fetcher.fetch(source.location)
            body, where = fetched.content, source.location
        else:
            p = Path(source.location)
            try:
                body, where = p.read_bytes(), str(p)
            except OSError as exc:
                raise InputError(str(p), exc.strerror or "cannot read") from None
        if source.kind == "feed":
            entries = parse_feed(body, where)
            origin = {"feed": where}
        else:
            entries, children = parse_sitemap(body, where)
            for child in children[:50]:
                try:
                    sub = self.fetcher.fetch(child)
                    more, _ = parse_sitemap(sub.content, child)
                    entries += more
                except InputError:
                    continue
            origin = {"sitemap": where}
        out, seen = [], set()
        for e in entries:
            key = canonical_url(e.url) or e.url if e.url else f"untitled:{e.title}"
            if key in seen:  # a feed that lists an item twice
                continue
            seen.add(key)
            out.append((f"url:{key}", lambda e=e: self._entry(e, origin)))
        return out

    def _remembered(self, fetched, raw: RawDoc) -> RawDoc:
        self.fetcher.remember(fetched, raw.sha256)
        return raw

    def _entry(self, entry, origin: dict) -> RawDoc | InputError:
        from ..acquire import sources as acq

        for got in acq._entry_page(entry, self.fetcher, origin):
            return got
        return InputError(entry.url or "?", "nothing fetched")

    # ---- reviews ----------------------------------------------------------------------
    def review_days(self, spec: WatchSpec) -> list[str]:
        """The days whose review is due now and not yet written (yesterday after the hour; a few
        missed days are caught up after a stop)."""
        now = self.clock.now().astimezone(ZoneInfo(spec.timezone))
        hh, mm = (int(x) for x in spec.hour.split(":"))
        last = now.date() - timedelta(days=1) if (now.hour, now.minute) >= (hh, mm) else now.date() - timedelta(days=2)
        added = self.state.added_at(spec.name)
        first = _aware(added).astimezone(ZoneInfo(spec.timezone)).date().isoformat() if added else "0000"
        days = []
        for back in range(REVIEW_CATCH_UP_DAYS):
            d = (last - timedelta(days=back)).isoformat()
            if d < first:  # no review of days before the watch existed (`veille review` writes those on demand)
                break
            if self.state.review_written(spec.name, d, spec.language):
                break
            days.append(d)
        return sorted(days)

    def _reviews_due(self, spec: WatchSpec, report: PassReport) -> list[str]:
        from ..publish.review import ReviewWriteError, write_review

        done = []
        for day in self.review_days(spec):
            try:
                write_review(self.store, spec, day, spec.language, spec.out_dir(self.base), self.registry, self.now_iso())
            except ReviewWriteError as exc:
                report.errors.append(f"watch {spec.name}: {exc}")
                break
            done.append(f"{spec.name}/{day}")
        return done

    # ---- deliveries -------------------------------------------------------------------
    def _deliver(self, specs: list[WatchSpec], report: PassReport) -> int:
        from ..publish.review import ReviewWriteError, write_feed
        from .deliver import deliver_due

        def feed(spec: WatchSpec):
            try:
                return write_feed(self.store, spec, spec.out_dir(self.base), self.now_iso())
            except ReviewWriteError as exc:
                raise OSError(str(exc)) from None

        r = deliver_due(self.store, {s.name: s for s in specs}, self.clock.now(), self.echo, feed)
        report.errors += r.errors
        return r.delivered

    # ---- the loop ----------------------------------------------------------------------
    def next_wake(self) -> float:
        """Seconds until something is due (a source, a delivery, a review hour), 1 s to 60 s."""
        now = self.clock.now()
        waits = [60.0]
        for spec in self.specs():
            for s in self.state.sources(spec.name):
                if s.next_at:
                    waits.append((_aware(s.next_at) - now).total_seconds())
        for d in self.state.pending():
            waits.append((_aware(d.next_at) - now).total_seconds())
        return max(1.0, min(waits))

    def run_forever(self, stop: threading.Event | None = None, on_pass: Callable[[PassReport], None] | None = None,
                    max_passes: int | None = None) -> None:
        passes = 0
        while stop is None or not stop.is_set():
            report = self.run_pass()
            if on_pass:
                on_pass(report)
            passes += 1
            if max_passes is not None and passes >= max_passes:
                return
            self.clock.sleep(self.next_wake(), stop)


def print_pass(report: PassReport, stream=sys.stderr) -> None:
    for line in report.notices:
        print(f"note: {line}", file=stream)
    for line in report.errors:
        print(f"error: {line}", file=stream)
    if report.new_items or report.reviews or report.alerts:
        bits = [f"{report.new_items} new item(s)", f"{report.analyzed} analysed"]
        if report.alerts:
            bits.append(f"{len(report.alerts)} alert(s)")
        if report.reviews:
            bits.append("review(s): " + ", ".join(report.reviews))
        print("; ".join(bits), file=stream, flush=True)
