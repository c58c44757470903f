"""Body/title/date extraction on trafilatura's evaluation corpus: veille's cascade vs trafilatura alone.

Metric (shared/data/README.md): collapse white space; a `with` snippet found in the body is
a true positive, missed a false negative; a `without` snippet found is a false positive;
summed over the corpus, F1 = 2TP / (2TP + FP + FN). Title accuracy: the extracted title
equals the reference after white space and case folding (entries that give one). Date
accuracy: the extracted publication day equals the reference (entries that give one).
Both extractors run in the same process on the same pages; pages/s is wall time of the
extraction calls only.

    .venv/bin/python bench/extraction.py [--data ../shared/data/extraction-dev] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def snippet_counts(text: str, item: dict) -> tuple[int, int, int]:
    body = norm(text)
    tp = sum(norm(s) in body for s in item.get("with", []))
    fn = len(item.get("with", [])) - tp
    fp = sum(norm(s) in body for s in item.get("without", []))
    return tp, fp, fn


def f1(tp: int, fp: int, fn: int) -> dict:
    return {"f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0, "tp": tp, "fp": fp, "fn": fn}


def load_pages(data: Path, limit: int | None = None) -> list[tuple[str, dict, bytes]]:
    gold = json.loads((data / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in gold.items():
        for sub in ("eval", "cache"):
            path = data / "tests" / sub / item["file"]
            if path.exists():
                pages.append((url, item, path.read_bytes()))
                break
    return pages[:limit] if limit else pages


def veille_extract(content: bytes, url: str) -> tuple[str, str | None, str | None]:
    from veille.textio import decode_html
    from veille.extract.html import extract_page

    html, _ = decode_html(content)
    try:
        body = extract_page(html, url)
    except ValueError:
        return "", None, None
    return "\n".join(body.paragraphs), body.title, body.published_at


def trafilatura_extract(content: bytes, url: str) -> tuple[str, str | None, str | None]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(content, url=url, with_metadata=True, include_comments=False)
    except Exception:
        return "", None, None
    if doc is None:
        return "", None, None
    return doc.text or "", doc.title, doc.date


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.titles = [0, 0]
        self.dates = [0, 0]
        self.elapsed = 0.0
        self.pages = 0

    def run(self, fn, url: str, item: dict, content: bytes) -> None:
        t0 = time.perf_counter()
        text, title, date = fn(content, url)
        self.elapsed += time.perf_counter() - t0
        self.pages += 1
        a, b, c = snippet_counts(text, item)
        self.tp, self.fp, self.fn = self.tp + a, self.fp + b, self.fn + c
        if item.get("title"):
            self.titles[1] += 1
            self.titles[0] += norm(title).casefold() == norm(item["title"]).casefold()
        if item.get("date"):
            self.dates[1] += 1
            self.dates[0] += (date or "")[:10] == item["date"][:10]

    def result(self) -> dict:
        out = f1(self.tp, self.fp, self.fn)
        out.update(title_accuracy=self.titles[0] / self.titles[1] if self.titles[1] else None, titles=self.titles[1],
                   date_accuracy=self.dates[0] / self.dates[1] if self.dates[1] else None, dates=self.dates[1],
                   pages=self.pages, seconds=self.elapsed,
                   pages_per_s=self.pages / self.elapsed if self.elapsed else 0.0)
        return out


def evaluate(pages, fn) -> dict:
    tally = Tally()
    for url, item, content in pages:
        tally.run(fn, url, item, content)
    return tally.result()


def evaluate_both(pages) -> dict:
    """Both extractors page by page, alternating who goes first, so load on a shared machine hits both alike."""
    veille, traf = Tally(), Tally()
    for i, (url, item, content) in enumerate(pages):
        order = ((traf, trafilatura_extract), (veille, veille_extract))
        for tally, fn in order if i % 2 == 0 else order[::-1]:
            tally.run(fn, url, item, content)
    return {"trafilatura": traf.result(), "veille": veille.result()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction-dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false", help="time cold caches too")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--only", choices=("veille", "trafilatura"), help="run one extractor (quick iterations)")
    args = ap.parse_args()
    pages = load_pages(args.data, args.limit)
    # Warm-up, untimed: imports, spec loading, and above all the lazy compilation of
    # dateparser's per-locale tables (up to ~1 s per locale, paid by whichever extractor first
    # meets a page in that language — both call htmldate → dateparser). Without it the
    # timing measures who met which language first. One untimed pass over every page warms
    # the shared caches for both extractors alike.
    if args.warmup:
        for url, _item, content in pages:
            trafilatura_extract(content, url)
        for url, _item, content in pages[:30]:
            veille_extract(content, url)
    if args.only:
        names = (args.only,)
        results = {args.only: evaluate(pages, {"veille": veille_extract, "trafilatura": trafilatura_extract}[args.only])}
    else:
        names = ("trafilatura", "veille")
        results = evaluate_both(pages)
        results["throughput_ratio"] = results["veille"]["pages_per_s"] / results["trafilatura"]["pages_per_s"]
    for name in names:
        r = results[name]
        print(f"{name:12s} F1 {r['f1']:.4f}  P {r['precision']:.4f}  R {r['recall']:.4f}  "
              f"title {r['title_accuracy']:.3f} ({r['titles']})  date {r['date_accuracy']:.3f} ({r['dates']})  "
              f"{r['pages_per_s']:.1f} pages/s")
    if "throughput_ratio" in results:
        print(f"throughput ratio veille/trafilatura {results['throughput_ratio']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
