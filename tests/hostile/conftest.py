"""The hostile suite's fixture: an input folder with one good Arabic article in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from _hostile import GOOD


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An input folder holding one good Arabic article, good.txt."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder
