"""Regression figures of every extraction component on the project-written JSONL files.

Usage: python benchmarks/evaluate_extraction.py [--errors N]

The files in tests/extract/data (*_gold, *_regression, *_regression_extra) were written by the
project, so these figures say whether the rules still do what they were written to do; they are not
quality on real text. Real-text figures: benchmarks/eval_ner.py (entities, ANERcorp cross-validation) and the
events scorers on the GSR files. One row per (component, file) through the real pipeline, scored by
marsad.evaluation.extraction with the one Scorer: span P/R/F1 (exact; overlap for quotes) and the
second figure each component has: value F1 for times and quantities, speaker accuracy for quotes,
overlap F1 for entities.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from marsad.evaluation import Scorer
from marsad.evaluation.extraction import (
    ENTITY_STAGES,
    QUANTITIES_STAGES,
    TIMES_STAGES,
    score_entities,
    score_quantities,
    score_quotes,
    score_times,
)
from marsad.pipeline import Pipeline

DATA = Path(__file__).resolve().parents[1] / "tests" / "extract" / "data"
# component -> (stages, scorer, span mode, (second figure's name, mode, measure))
COMPONENTS: dict[str, tuple[tuple[str, ...], Callable[..., Scorer], str, tuple[str, str, str]]] = {
    "times": (TIMES_STAGES, score_times, "exact", ("value F1", "value", "f1")),
    "quantities": (QUANTITIES_STAGES, score_quantities, "exact", ("value F1", "value", "f1")),
    "quotes": ((*ENTITY_STAGES, "quotes"), score_quotes, "overlap", ("speaker acc", "speaker", "recall")),
    "entities": (ENTITY_STAGES, score_entities, "exact", ("overlap F1", "overlap", "f1")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="error examples shown per class")
    args = parser.parse_args()
    print(f"{'component':11} {'file':34} {'P':>5} {'R':>5} {'F1':>5}  second figure")
    for component, (stages, score, mode, (name, mode2, measure)) in COMPONENTS.items():
        pipe = Pipeline(stages)
        for path in sorted(DATA.glob(f"{component}_*.jsonl")):
            scorer = score(path, pipe)
            c = scorer.counts[mode]["ALL"]
            by = scorer.counts[mode2]  # decisions (speaker) are counted per label only
            second = getattr(by["ALL"] if "ALL" in by else by["QUOTE"], measure)
            print(
                f"{component:11} {path.name:34} {c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f}  {name} {second:.2f}"
            )
            if args.errors:
                print(scorer.format(examples=args.errors))


if __name__ == "__main__":
    main()
