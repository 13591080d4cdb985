"""Measuring marsad against annotated data.

This layer sits above the per-document stages: it runs them on gold data and scores what they
produce. One scorer (`scoring.Scorer`) serves every component, so entity spans, time spans and
event decisions are counted, grouped into error classes and printed the same way.
"""

from marsad.evaluation.scoring import PRF, Scorer

__all__ = ["PRF", "Scorer"]
