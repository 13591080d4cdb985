"""The gold event-actor annotations (benchmarks/data/actors_gold.jsonl) still point at the text they annotate.

The file stores no sentence (the data's licence forbids copying it): each line names its sentence by a reference into
../shared/data and the sha1 of the sentence. These tests re-read every sentence, check the sha1 and that each actor's
offsets give the actor words, so drift in the shared data or a slipped offset fails here instead of skewing a score.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from pathlib import Path

import pytest

from marsad.events.plover import CATEGORIES

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "data" / "actors_gold.jsonl"
DATA = REPO.parent / "shared" / "data"
ROLES = REPO / "src" / "marsad" / "events" / "lexicons" / "roles.tsv"
IGOS = {"UNO", "NATO", "EU", "GCC", "IMF", "AU", "ARL", "OIC"}


def _records() -> list[dict]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def _role_codes() -> set[str]:
    rows = ROLES.read_text(encoding="utf-8").splitlines()
    return {row.split("\t")[1] for row in rows if row and not row.startswith("#")}


def _sentences(records: list[dict]) -> dict[int, str]:
    """Each record's sentence, re-read from ../shared/data by its ref."""
    gsr: dict[str, dict[str, str]] = {}
    wanted_articles = {r["ref"]["id"] for r in records if r["ref"]["file"].startswith("saudinewsnet/")}
    articles: dict[str, str] = {}
    with gzip.open(DATA / "saudinewsnet" / "july2015.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            if article["id"] in wanted_articles:
                articles[article["id"]] = article["text"]
    out = {}
    for i, record in enumerate(records):
        ref = record["ref"]
        if ref["file"].startswith("gsr/"):
            if ref["file"] not in gsr:
                with open(DATA / ref["file"], encoding="utf-8", newline="") as fh:
                    gsr[ref["file"]] = {row["id"]: row["text"] for row in csv.DictReader(fh)}
            out[i] = gsr[ref["file"]][ref["id"]]
        else:
            out[i] = articles[ref["id"]][ref["start"] : ref["end"]]
    return out


def test_header_and_size():
    header = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    assert "annotator" in header["_about"] and "random.Random" in header["_about"]
    records = _records()
    assert len(records) >= 120
    files = {r["ref"]["file"].split("/")[0] for r in records}
    assert files == {"gsr", "saudinewsnet"}


def test_labels_use_the_project_vocabulary():
    roles = _role_codes()
    for record in _records():
        assert record["type"] in CATEGORIES, record
        for side in ("source", "target"):
            actor = record[side]
            if actor is None:
                continue
            parts = actor["code"].split()
            assert 1 <= len(parts) <= 2 and len(parts[0]) == 3 and parts[0].isupper(), actor
            if len(parts) == 2:
                allowed = IGOS if parts[0] == "IGO" else roles
                assert parts[1] in allowed, actor
            assert 0 <= actor["start"] < actor["end"], actor


def test_every_sentence_and_span_still_matches_the_shared_data():
    if not DATA.is_dir():
        pytest.skip(f"real data not found at {DATA} (it lives in the workplace's shared/ folder)")
    records = _records()
    sentences = _sentences(records)
    for i, record in enumerate(records):
        sentence = sentences[i]
        assert hashlib.sha1(sentence.encode("utf-8")).hexdigest() == record["sentence_sha1"], record["ref"]
        for side in ("source", "target"):
            actor = record[side]
            if actor is not None:
                assert sentence[actor["start"] : actor["end"]] == actor["text"], (record["ref"], side)
