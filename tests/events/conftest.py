"""Fixtures for the event coder tests: the real per-document pipeline up to `events`."""

from __future__ import annotations

import pytest

from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline, available

STAGES = ["normalize", "segment", "tokenize", "entities", "times", "quantities", "events"]


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    missing = [s for s in STAGES if s not in available()]
    if missing:
        pytest.skip(f"components not installed yet: {', '.join(missing)}")
    return Pipeline(STAGES)


@pytest.fixture(scope="session")
def code(pipeline: Pipeline):
    """Run the pipeline over one text and return the article."""

    def run(text: str, published: str = "2024-05-20") -> Article:
        art = Article(
            id="t", text=text, provenance=Provenance(source="test", format="txt"), published=published
        )
        return pipeline(art)

    return run
