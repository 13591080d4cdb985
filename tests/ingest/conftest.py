"""Ingest test fixtures: the resolved config (seeds come from tests/conftest.py's `seeds_dir`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.config import load_config


@pytest.fixture(scope="session")
def config() -> dict:
    return load_config()


def seed_file(seeds: Path, prefix: str) -> Path:
    matches = sorted(seeds.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not present in {seeds}")
    return matches[0]
