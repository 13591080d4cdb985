"""The coder on the five seed articles (read from the shared folder; skipped when absent)."""

from __future__ import annotations

import pytest

from marsad.model import Article, Provenance


@pytest.fixture(scope="module")
def seed_events(seed_texts, pipeline):
    out = []
    for key, text in seed_texts.items():
        art = pipeline(
            Article(
                id=key, text=text, provenance=Provenance(source=key, format="txt"), published="2024-11-14"
            )
        )
        out += art.events
    return out


def _has(events, etype, source_prefix, target_prefix=None):
    return any(
        ev.type == etype
        and ev.source
        and (ev.source.code or "").startswith(source_prefix)
        and (target_prefix is None or (ev.target and (ev.target.code or "").startswith(target_prefix)))
        for ev in events
    )


@pytest.mark.parametrize(
    ("etype", "source", "target"),
    [
        ("AGREE", "RUS", "PRK"),  # the June 2024 treaty
        ("AID", "PRK", "RUS"),  # munitions sent to Russia
        ("ACCUSE", "USA GOV", "PRK"),  # the Secretary of State's condemnation
        ("ACCUSE", "UKR GOV", "PRK"),  # the Ukrainian president's accusation
        ("CONSULT", "USA", "KOR"),  # the meeting in Lima
    ],
)
def test_seed_events_found(seed_events, etype, source, target):
    assert _has(seed_events, etype, source, target), [(e.type, e.source, e.target) for e in seed_events]


def test_seed_kremlin_rejection_is_reject(seed_events):
    assert _has(seed_events, "REJECT", "RUS")


def test_seed_treaty_dated_june_2024(seed_events):
    treaty = [
        e for e in seed_events if e.type == "AGREE" and e.source and (e.source.code or "").startswith("RUS")
    ]
    assert any(e.date and (e.date.value or "").startswith("2024-06") for e in treaty)


def test_seed_condemnation_dated_13_november(seed_events):
    accuse = [e for e in seed_events if e.type == "ACCUSE" and e.source and e.source.code == "USA GOV"]
    assert any(e.date and e.date.value == "2024-11-13" for e in accuse)
