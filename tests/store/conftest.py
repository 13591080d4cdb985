"""Fixtures for the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from _store_samples import full_article

from marsad.model import Article

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"


@pytest.fixture
def article() -> Article:
    return full_article()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return SEEDS
