"""The `ner` decoder labels real news as python-crfsuite's own tagger does.

The decoder leaves out tokens an exact bound proves O and runs Viterbi only over the stretches
between them. The project-written entity files (test_entities_ner) are short sentences; real
news has long ones and many unseen words, where a wrong bound would show.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pycrfsuite
import pytest

from marsad.extract import crf_tagger
from marsad.extract.ner import MODEL_PATH, NerComponent, sentence_tokens
from marsad.extract.ner_train import marsad_tokens
from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "saudinewsnet" / "july2015.jsonl.gz"
ARTICLES = 150


def test_ner_decoder_labels_real_news_as_crfsuite_does() -> None:
    if not REAL.exists():
        pytest.skip(f"real data not found at {REAL} (it lives in the workplace's shared/ folder)")
    prepare = Pipeline(["normalize", "segment", "tokenize"])
    ner = NerComponent()
    ner.initialize({})
    assert ner.recognizer is not None
    decoder = ner.recognizer.decoder
    features = decoder.features  # crfsuite's Tagger is given the same features
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    with gzip.open(REAL, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in itertools.islice(fh, ARTICLES)]
    sentences = decided = 0
    for record in records:
        article = prepare(
            Article(id=str(record["id"]), text=record["text"], provenance=Provenance("t", "jsonl"))
        )
        runs = list(sentence_tokens(article.tokens or [], article.sentences))
        if not runs:
            continue
        fast = decoder.tag_many(runs)
        assert fast == [list(tagger.tag(features.sentence(run))) for run in runs], record["id"]
        sentences += len(runs)
        decided += sum(tag != "O" for tags in fast for tag in tags)
    assert sentences > 1000 and decided > 100  # real sentences, and names among them


def test_ner_decoder_same_labels_when_its_word_cache_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `_TYPES_MAX` word types the cache is cleared and refilled; labels do not change."""
    data = Path(__file__).resolve().parent / "data" / "entities_gold.jsonl"
    lines = data.read_text(encoding="utf-8").splitlines()
    runs = [marsad_tokens(json.loads(line)["text"]) for line in lines if line.strip()]
    assert len({t.norm for run in runs for t in run}) > 3 * 60  # so the cache starts again
    ner = NerComponent()
    ner.initialize({})
    assert ner.recognizer is not None
    decoder = ner.recognizer.decoder
    expected = decoder.tag_many(runs)
    small = NerComponent()
    small.initialize({})
    assert small.recognizer is not None
    monkeypatch.setattr(crf_tagger, "_TYPES_MAX", 60)
    assert [small.recognizer.decoder.tag_many([run])[0] for run in runs] == expected
    assert small.recognizer.decoder._size <= 60
