"""Entity recognition on real newswire: 5-fold cross-validation on ANERcorp train.

    python benchmarks/eval_ner.py                  # the shipped path: ner + entity_resolver
    python benchmarks/eval_ner.py --rules          # the all-rules `entities` stage, for comparison
    python benchmarks/eval_ner.py --folds 5 --errors 5 --fallback --models /tmp/folds

Reads ../shared/data/anercorp/train.conll. Each fold's CRF is trained on the other four folds only
(nothing learned from data sees the sentences it is scored on; the lexicons are the project's own).
Prints precision, recall and F1 per type (PER, LOC, ORG) for exact spans and for overlapping spans
of the right type, then the errors grouped by class with examples. See marsad.evaluation.entities
for how ANERcorp's whole-word spans are compared with marsad's clitic-free mentions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from marsad.evaluation.entities import STAGES, cross_validate
from marsad.extract.ner_train import read_conll

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "anercorp" / "train.conll"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", type=int, default=3, help="examples shown per error class")
    parser.add_argument("--rules", action="store_true", help="score the all-rules `entities` stage instead")
    parser.add_argument("--fallback", action="store_true", help="also score the resolver's rule_fallback")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--models", type=Path, help="keep fold models here and reuse them (clear it when features change)"
    )
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: this benchmark needs ../shared/data beside the repository")
    stages = ("normalize", "segment", "tokenize", "entities") if args.rules else STAGES
    variants = {"shipped": {}}
    if args.fallback and not args.rules:
        variants["rule_fallback"] = {"entity_resolver": {"rule_fallback": True}}
    sentences = read_conll(args.data)
    print(f"{len(sentences)} sentences, {args.folds}-fold, stages: {', '.join(stages)}")
    scorers = cross_validate(sentences, args.folds, variants, stages, progress=print, models=args.models)
    for name, scorer in scorers.items():
        print(f"\n== {name}")
        print(scorer.format(examples=args.errors))


if __name__ == "__main__":
    main()
