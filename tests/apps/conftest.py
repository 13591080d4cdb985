"""Fixtures for the CLI tests: the shared seed articles and a generator of small Arabic articles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Sentence templates written for these tests (not taken from any article); names, places and
# numbers vary so that every generated article has distinct clean text.
NAMES = ["خالد المصري", "سارة العلي", "يوسف حداد", "ليلى منصور", "عمر الخطيب", "هدى سليمان", "رامي عيسى"]
PLACES = ["عمّان", "بيروت", "تونس", "الرباط", "الدوحة", "مسقط", "الخرطوم", "بغداد"]
TEMPLATES = [
    "أعلن {name} اليوم في {place} أن الحكومة ستخصص {n} مليون دينار لبناء مدارس جديدة في المناطق الريفية.",
    "قال {name} للصحفيين في {place} إن {n} عاملاً انضموا إلى الإضراب احتجاجاً على تأخر الرواتب.",
    "استقبلت {place} وفداً من {n} مستثمراً برئاسة {name} لبحث مشاريع الطاقة الشمسية في البلاد.",
]


def _arabic_article(i: int) -> str:
    """Article number i: two sentences whose names, places and numbers depend on i."""
    first = TEMPLATES[i % len(TEMPLATES)].format(
        name=NAMES[i % len(NAMES)], place=PLACES[i % len(PLACES)], n=i + 3
    )
    second = TEMPLATES[(i + 1) % len(TEMPLATES)].format(
        name=NAMES[(i // 7) % len(NAMES)], place=PLACES[(i // 8) % len(PLACES)], n=(i * 37) % 1000 + 1
    )
    return f"{first}\n\n{second}\n"


def _run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`marsad ARGS` in a subprocess, as a user runs it (stderr is a pipe, so no progress bar)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env = {
        k: v for k, v in env.items() if not k.startswith("MARSAD__")
    }  # the shell's config must not leak in
    return subprocess.run(
        [sys.executable, "-m", "marsad.apps.cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env,
    )  # fmt: skip


@pytest.fixture
def arabic_article():
    return _arabic_article


@pytest.fixture
def run_cli():
    return _run_cli
