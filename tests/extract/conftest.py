"""Shared fixtures for extract tests: a pipeline up to entities, and the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract.gazetteer import LEXICON_DIR
from marsad.model import Article, Provenance

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def entity_pipeline():
    if not (LEXICON_DIR / "countries.tsv").exists():
        pytest.skip("entity lexicons (countries.tsv ...) are not installed yet")
    from marsad.pipeline import Pipeline

    return Pipeline(["normalize", "segment", "tokenize", "entities"])


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return sorted(SEEDS.glob("*.txt"))


def make_article(text: str, doc_id: str = "t") -> Article:
    return Article(id=doc_id, text=text, provenance=Provenance(source="t", format="txt"))
