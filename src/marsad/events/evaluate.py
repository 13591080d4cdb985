"""Sentence-level evaluation of the event coder against a gold JSONL file.

Each gold line is one sentence: {"text", "published", "events": [{"type", "source_code",
"target_code", "negated", "modality"}]}. A predicted event of type T matches a gold event of type T
in the same sentence (one match per type per sentence). Reported per category: precision, recall,
F1; macro F1 over categories; actor-code accuracy on matched events; modality accuracy; and the
same figures for a keyword baseline that flags T whenever any word of a T trigger occurs, which is
what the coder's filters must beat on sentences that use trigger words without reporting an event.

    python -m marsad.events.evaluate [GOLD.jsonl]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from marsad.events.coder import LEXICONS, load_triggers
from marsad.events.plover import CATEGORIES
from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline

STAGES = ("normalize", "segment", "tokenize", "entities", "times", "quantities", "events")
DEFAULT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "events" / "data" / "events_gold.jsonl"


def read_gold(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _score(gold_types: list[set[str]], pred_types: list[set[str]]) -> dict[str, Any]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for g, p in zip(gold_types, pred_types, strict=True):
        for t in p & g:
            counts[t][0] += 1
        for t in p - g:
            counts[t][1] += 1
        for t in g - p:
            counts[t][2] += 1
    per = {t: _prf(*counts[t]) for t in CATEGORIES}
    present = [t for t in CATEGORIES if sum(counts[t][i] for i in (0, 2))]
    macro = sum(per[t]["f1"] for t in present) / len(present) if present else 0.0
    micro = _prf(*(sum(counts[t][i] for t in CATEGORIES) for i in range(3)))
    return {"per_category": per, "macro_f1": round(macro, 3), "micro": micro}


class KeywordBaseline:
    """Flag category T in a sentence whenever the first word of any T trigger occurs in it."""

    def __init__(self) -> None:
        self.words: dict[str, set[str]] = defaultdict(set)
        for row in load_triggers(LEXICONS / "triggers.tsv"):
            for form in row.words[0]:
                self.words[form].add(row.category)

    def __call__(self, article: Article) -> set[str]:
        found: set[str] = set()
        for tok in article.tokens or []:
            for form in tok.stems():
                found |= self.words.get(form, set())
        return found


def evaluate_events(path: str | Path = DEFAULT_GOLD, pipeline: Pipeline | None = None) -> dict[str, Any]:
    gold = read_gold(Path(path))
    pipe = pipeline or Pipeline(list(STAGES))
    baseline = KeywordBaseline()
    gold_types, pred_types, base_types = [], [], []
    actor_hits = {"source": [0, 0], "target": [0, 0]}
    modality_hits = [0, 0]
    errors: list[dict[str, Any]] = []
    for n, rec in enumerate(gold):
        art = Article(
            id=f"gold{n}",
            text=rec["text"],
            provenance=Provenance(source=f"gold#{n}", format="jsonl"),
            published=rec.get("published"),
        )
        art = pipe(art)
        preds = [ev for ev in art.events if not ev.negated]
        g = {ev["type"] for ev in rec["events"] if not ev.get("negated")}
        p = {ev.type for ev in preds}
        gold_types.append(g)
        pred_types.append(p)
        base_types.append(baseline(art))
        for gev in rec["events"]:
            match = next((ev for ev in preds if ev.type == gev["type"]), None)
            if match is None:
                continue
            for side in ("source", "target"):
                want = gev.get(f"{side}_code")
                if want:
                    ref = getattr(match, side)
                    actor_hits[side][1] += 1
                    actor_hits[side][0] += int(ref is not None and ref.code == want)
            modality_hits[1] += 1
            modality_hits[0] += int(match.modality == gev.get("modality", "asserted"))
        if g != p:
            errors.append(
                {
                    "text": rec["text"],
                    "gold": sorted(g),
                    "pred": sorted(p),
                    "reasons": [ev.reason for ev in preds],
                }
            )
    result = _score(gold_types, pred_types)
    result["baseline"] = _score(gold_types, base_types)
    result["actor_accuracy"] = {side: round(h / t, 3) if t else None for side, (h, t) in actor_hits.items()}
    result["modality_accuracy"] = round(modality_hits[0] / modality_hits[1], 3) if modality_hits[1] else None
    result["sentences"] = len(gold)
    result["errors"] = errors
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{'category':<10} {'P':>6} {'R':>6} {'F1':>6}   {'base P':>6} {'base R':>6} {'base F1':>7}"]
    for cat in CATEGORIES:
        m, b = result["per_category"][cat], result["baseline"]["per_category"][cat]
        lines.append(
            f"{cat:<10} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f}   "
            f"{b['precision']:>6.3f} {b['recall']:>6.3f} {b['f1']:>7.3f}"
        )
    lines.append(
        f"macro F1 {result['macro_f1']:.3f} (baseline {result['baseline']['macro_f1']:.3f}); "
        f"micro F1 {result['micro']['f1']:.3f} (baseline {result['baseline']['micro']['f1']:.3f})"
    )
    lines.append(
        f"actor-code accuracy on matched events: {result['actor_accuracy']}; "
        f"modality accuracy: {result['modality_accuracy']}; sentences: {result['sentences']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    result = evaluate_events(Path(args[0]) if args else DEFAULT_GOLD)
    print(format_table(result))
    if "--errors" in args:
        for err in result["errors"]:
            print(json.dumps(err, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
