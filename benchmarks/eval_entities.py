"""Precision/recall/F1 of the entities component on tests/extract/data/entities_gold.jsonl.

Usage: python benchmarks/eval_entities.py [gold.jsonl]
Reports per type (PER, LOC, ORG) and overall, for exact span match and for overlap match.
GPE is scored as LOC and NORP is ignored, as in ANERcorp-style evaluation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from marsad.extract.eval import evaluate, format_scores

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    gold = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests/extract/data/entities_gold.jsonl"
    print(format_scores(evaluate(gold)))
