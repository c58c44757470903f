"""Progress of long work, article by article: the pipeline reports it, a front end shows it.

Why an object handed down and not prints: the same pipeline functions run under the command
line (a live bar on a terminal), the web UI, notebooks, the watch loop and tests, where
nothing must be drawn. The stages call ``stage()`` when they start (with the number of
articles when it is known) and ``advance()`` once per article (or per batch); the base class
does nothing, so a caller that does not care passes nothing.
"""

from __future__ import annotations

from typing import IO

# stage names, in the order the pipeline runs them (front ends label them)
INGEST, MODELS, ANALYSE, LINK = "ingest", "models", "analyse", "link"


class Progress:
    """Receives the pipeline's steps. The base class ignores them (scripts, tests, Spark)."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage starts; ``total`` is the number of articles it will go through, if known."""

    def advance(self, n: int = 1, item: str | None = None) -> None:
        """``n`` more articles done in the current stage; ``item`` names the latest (a URL, a file)."""

    def note(self, message: str) -> None:
        """A detail worth telling a user who asked for it (``--verbose``)."""

    def close(self) -> None:
        """The work is over: a live display stops here."""


NO_PROGRESS = Progress()

_LABELS = {INGEST: "ingest", MODELS: "load models", ANALYSE: "analyse", LINK: "link stories"}


class TerminalProgress(Progress):
    """A rich progress bar per stage on a terminal: count, total when known, rate, elapsed time.

    Each finished stage stays on screen as one line ("analyse ━━━━ 120/120 31.2 articles/s 0:00:04"),
    so the user sees where the time went; the current article's source is shown beside the bar."""

    def __init__(self, stream: IO[str] | None = None, verbose: bool = False):
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Count(ProgressColumn):
            def render(self, task) -> Text:
                if not task.total and not task.completed:
                    return Text("")
                total = f"/{task.total:.0f}" if task.total is not None else ""
                return Text(f"{task.completed:.0f}{total}", style="progress.download")

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                if not task.total and not task.completed:
                    return Text("")
                elapsed = task.finished_time if task.finished_time is not None else task.elapsed
                speed = task.completed / elapsed if elapsed and task.completed else None  # the stage's average
                return Text(f"{speed:5.1f} articles/s" if speed else "     … articles/s", style="progress.data.speed")

        import sys

        self.console = Console(file=stream or sys.stderr, stderr=stream is None)
        self.verbose = verbose
        self.bar = Bar(SpinnerColumn(), TextColumn("{task.description:<13}"), BarColumn(bar_width=30),
                       Count(), Rate(), TimeElapsedColumn(),
                       TextColumn("[dim]{task.fields[item]}", justify="left"),
                       console=self.console, transient=False, refresh_per_second=8)
        self.task = None
        self.started = False

    def stage(self, name: str, total: int | None = None) -> None:
        if not self.started:
            self.bar.start()
            self.started = True
        self._end_task()
        self.task = self.bar.add_task(_LABELS.get(name, name), total=total, item="")

    def advance(self, n: int = 1, item: str | None = None) -> None:
        if self.task is None:
            self.stage("work")
        fields = {"item": _short(item)} if item is not None else {}
        self.bar.update(self.task, advance=n, **fields)

    def note(self, message: str) -> None:
        if self.verbose:
            self.bar.console.print(f"[dim]{message}[/dim]", highlight=False, soft_wrap=True)

    def close(self) -> None:
        self._end_task()
        if self.started:
            self.bar.stop()
            self.started = False

    def _end_task(self) -> None:
        if self.task is not None:
            task = self.bar.tasks[-1]
            # a stage with an unknown total ends as a full bar with its count
            self.bar.update(self.task, total=task.completed, item="")
            self.bar.stop_task(self.task)
            self.task = None


class LineProgress(Progress):
    """``--verbose`` without a terminal (a log file, CI): one plain line per stage when it ends."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.name: str | None = None
        self.count = 0
        self.t0 = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        import time

        self._end()
        self.name, self.count, self.t0 = name, 0, time.perf_counter()

    def advance(self, n: int = 1, item: str | None = None) -> None:
        self.count += n

    def note(self, message: str) -> None:
        print(message, file=self.stream)

    def close(self) -> None:
        self._end()

    def _end(self) -> None:
        import time

        if self.name is not None:
            secs = time.perf_counter() - self.t0
            rate = f", {self.count / secs:.1f} articles/s" if secs > 0 and self.count else ""
            count = f"{self.count} article(s) in " if self.name != MODELS else ""
            print(f"{_LABELS.get(self.name, self.name)}: {count}{secs:.1f} s{rate}", file=self.stream)
            self.name = None


def _short(item: str, width: int = 60) -> str:
    item = item.replace("\n", " ").replace("[", "\\[")
    return item if len(item) <= width else "…" + item[-(width - 1):]
