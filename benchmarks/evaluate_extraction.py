"""Score every extraction component on its dev gold file and its held-out file, through the real pipeline.

Usage: python benchmarks/evaluate_extraction.py [--json] [--errors]

One row per (component, file): sentences, span precision/recall/F1, and the second figure each scorer
gives: for times and quantities the share of matched spans whose value is right (value F1 in --json),
for quotes the share of matched quotes whose speaker agrees. Entities are scored on exact spans
(overlap F1 in --json). The *_gold files were written alongside the code; *_heldout files were
annotated blind and are the honest figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from marsad.extract import eval as entity_eval
from marsad.extract import evaluate_quotes
from marsad.extract.evaluate import evaluate_quantities, evaluate_times
from marsad.pipeline import Pipeline

DATA = Path(__file__).resolve().parents[1] / "tests" / "extract" / "data"
BASE = ["normalize", "segment", "tokenize"]
STAGES = {
    "times": [*BASE, "times"],
    "quantities": [*BASE, "times", "quantities"],
    "quotes": [*BASE, "entities", "quotes"],
    "entities": [*BASE, "entities"],
}


def _span_value(result: dict[str, Any]) -> dict[str, Any]:
    span, value = result["span"], result["value"]
    acc = value["recall"] / span["recall"] if span["recall"] else None  # value right among matched spans
    return {
        **{k: span[k] for k in ("precision", "recall", "f1")},
        "accuracy": acc,
        "value_f1": value["f1"],
        "errors": result["errors"],
    }


def score(component: str, path: Path, pipe: Pipeline) -> dict[str, Any]:
    if component == "times":
        return _span_value(evaluate_times(path, pipe))
    if component == "quantities":
        return _span_value(evaluate_quantities(path, pipe))
    if component == "quotes":
        s = evaluate_quotes.score(path, pipe)
        return {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "accuracy": s.speaker_accuracy,
            "gold": s.gold,
            "predicted": s.predicted,
        }
    scores = entity_eval.evaluate(path, pipe)
    return {
        **{k: scores["exact:ALL"][k] for k in ("precision", "recall", "f1")},
        "accuracy": None,
        "overlap_f1": scores["overlap:ALL"]["f1"],
    }


def run() -> list[dict[str, Any]]:
    rows = []
    for component, stages in STAGES.items():
        pipe = Pipeline(stages)
        for kind in ("gold", "heldout", "blind"):
            path = DATA / f"{component}_{kind}.jsonl"
            if not path.exists():
                continue
            n = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
            rows.append(
                {"component": component, "file": path.name, "sentences": n, **score(component, path, pipe)}
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    def f(x: float | None) -> str:
        return "    -" if x is None else f"{x:5.2f}"

    out = [
        f"{'component':11} {'file':26} {'n':>3}  {'P':>5} {'R':>5} {'F1':>5}  {'acc':>5}  (acc: value / speaker)"
    ]
    for r in rows:
        out.append(
            f"{r['component']:11} {r['file']:26} {r['sentences']:3d}  {f(r['precision'])} {f(r['recall'])} "
            f"{f(r['f1'])}  {f(r['accuracy'])}"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    ap.add_argument("--errors", action="store_true", help="also list the times/quantities scorers' errors")
    args = ap.parse_args()
    rows = run()
    if not args.errors:
        for r in rows:
            r.pop("errors", None)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(table(rows))
    for r in rows:
        for e in r.get("errors", []):
            print(f"{r['file']}: {e}")


if __name__ == "__main__":
    main()
