"""Train the event-type model shipped in src/veille/data/event_types/model.npz.

    PYTHONPATH=src .venv/bin/python scripts/train_event_types.py [--case ../shared/data/events-world-dev/case2021-dev.jsonl] [--no-case]

Training data and provenance:
- ``data/event_types/sentences_{en,fr,ar}.tsv``: sentences written for this project from the
  definitions of ACLED's codebook (one label a line, CASE 2021 label names); no news text copied.
- the CASE 2021 shared-task-2 development snippets (264 English snippets, ``../shared/data``), when
  present: only the learned weights are shipped, never the snippets. ``bench/events_case.py``
  measures the same training function cross-validated (a fold's snippets never train the model
  that types them). No ACLED row is used.
Three models are saved: ``W_roles`` (concepts + role features from the spaCy parse + sentence vector: English
and French spans), ``W`` (concepts + sentence vector: spans without a parse, Arabic) and ``W_lex`` (concepts alone, used
without computing the vector where it is sure: ``event_types.LEX_DECISIVE``).
Deterministic: same data, same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import event_types as et  # noqa: E402

CASE = ROOT.parent / "shared" / "data" / "events-world-dev" / "case2021-dev.jsonl"


def training_set(case_path: Path | None) -> tuple[list[str], list[str], list[str]]:
    texts, langs, labels = [], [], []
    for label, lang, text in et.read_sentences():
        texts.append(text)
        langs.append(lang)
        labels.append(label)
    if case_path is not None:
        for line in case_path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row["text"])
            langs.append(row.get("lang") or "en")
            labels.append(row["event_subtype"])
    return texts, langs, labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--case", type=Path, default=CASE)
    ap.add_argument("--no-case", action="store_true", help="train on the written sentences only")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "veille" / "data" / "event_types" / "model.npz")
    args = ap.parse_args()
    case = None if args.no_case else args.case
    if case is not None and not case.exists():
        print(f"{case}: not found (use --no-case to train on the written sentences only)", file=sys.stderr)
        return 2
    texts, langs, labels = training_set(case)
    index = {label: i for i, label in enumerate(et.LABELS)}
    vectors = et.embed(texts)
    X = et.features(texts, langs, vectors)
    y = np.array([index[label] for label in labels])
    W = et.train(X, y, len(et.LABELS))
    # with the parse's role features: the model of English and French spans (Arabic has no parse)
    X_roles = et.features(texts, langs, vectors, tokens=et.parse_tokens(texts, langs))
    W_roles = et.train(X_roles, y, len(et.LABELS))
    # the concepts-only model: decides alone where it is sure (no sentence vector computed then)
    W_lex = et.train(X[:, :et.lex_size()], y, len(et.LABELS))
    np.savez_compressed(args.out, W=W.astype(np.float16), W_lex=W_lex.astype(np.float16),
                        W_roles=W_roles.astype(np.float16), labels=np.array(et.LABELS))
    print(f"{args.out}: {len(texts)} training texts, {X.shape[1]} features ({X_roles.shape[1]} with the parse), {len(et.LABELS)} labels, "
          f"{args.out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
