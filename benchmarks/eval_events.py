"""ASSAULT and PROTEST sentence detection on real AFP Arabic wire copy (PLOVER GSR dev files).

    python benchmarks/eval_events.py [--examples N] [--actors FILE]

Prints precision, recall and F1 for each part of the document-hash split (`dev`: read and tuned
on; `check`: scored only, its errors never printed) under two label variants (`strict`: only `yes`
is positive; `no difficult`: the `difficult no` rows dropped), then the dev part's errors grouped
by class. With --actors, also the source and target code accuracy on the team's annotated real
sentences (events whose type matches the annotation). Reads ../shared/data; see its README.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from marsad.evaluation.events import PARTS, VARIANTS, evaluate_gsr, read_actor_gold, score_actors

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
GSR = DATA / "gsr"
ACTORS = ROOT / "benchmarks" / "data" / "actors_gold.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=3, help="examples printed per dev error class")
    ap.add_argument("--actors", type=Path, default=ACTORS, help="annotated actor sentences (JSONL)")
    ap.add_argument("--no-actors", action="store_true", help="skip the actor-code measurement")
    args = ap.parse_args()
    paths = [GSR / f"{name}_dev.csv" for name in ("assault", "protest")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"GSR files not found ({', '.join(map(str, missing))}); see ../shared/data/README.md")
        return 2
    rows, scorers = evaluate_gsr(paths)
    print(f"{'part':6} {'labels':13} {'category':9} {'n':>5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for part in PARTS:
        for variant in VARIANTS:
            for cat, c in sorted(scorers[(part, variant)].counts[variant].items()):
                n = sum(1 for r in rows if r.part == part and r.category == cat)
                if variant == "no difficult":
                    n -= sum(
                        1 for r in rows if r.part == part and r.category == cat and r.label == "difficult no"
                    )
                print(
                    f"{part:6} {variant:13} {cat:9} {n:5d} {c.tp + c.fn:5d} "
                    f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
                )
    # The actor-annotated GSR rows measure actor accuracy: their examples are not shown here, so
    # actor rules are developed on other sentences.
    measured = {g.ref["id"] for g in read_actor_gold(args.actors)} if args.actors.exists() else set()
    dev = scorers[("dev", "strict")]
    print("\ndev part, strict labels: errors by class (examples: id [label] coder's reason)")
    for cls, items in sorted(dev.errors.items(), key=lambda kv: (kv[0].split()[0], -len(kv[1]))):
        print(f"  {len(items):4d}  {cls}")
        shown = [item for item in items if item["id"] not in measured]
        for item in shown[: args.examples]:
            print(f"          {item['id'][-40:]} [{item['gold_label']}] {item['reasons'][:1]}")
    if not args.no_actors and args.actors.exists():
        scorer = score_actors(args.actors, DATA)
        found = scorer.counts["event found"]
        print(f"\nactor codes on {args.actors.name} (events of the annotated type):")
        for cat, c in sorted(found.items()):
            print(f"  {cat:10} annotated {c.tp + c.fn:3d}  coded {c.tp:3d}")
        for side in ("source", "target"):
            c = scorer.counts["accuracy"][side]
            print(f"  {side} code right: {c.tp}/{c.tp + c.fn} = {scorer.accuracy(side) or 0.0:.3f}")
        print("  wrong codes by class:")
        for cls, items in sorted(scorer.errors.items(), key=lambda kv: -len(kv[1])):
            print(f"    {len(items):4d}  {cls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
