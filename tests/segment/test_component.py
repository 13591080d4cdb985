"""The segment and tokenize components, alone and in a pipeline over the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import PipelineError
from marsad.model import Article, Provenance, document_id
from marsad.pipeline import Pipeline, create


def _article(text: str, source: str = "test.txt") -> Article:
    return Article(id=document_id(text), text=text, provenance=Provenance(source=source, format="txt"))


def test_segment_component_sets_sentences_and_tokens() -> None:
    article = Pipeline(["normalize", "segment", "tokenize"])(
        _article("عنوان الخبر\nوصل الوفد. وبدأت المحادثات.")
    )
    assert article.sentence_texts() == ["عنوان الخبر", "وصل الوفد.", "وبدأت المحادثات."]
    assert article.tokens is not None
    assert [t.text for t in article.tokens][:3] == ["عنوان", "الخبر", "وصل"]


def test_segment_components_declare_their_contracts() -> None:
    assert create("segment").provides == ("sentences",)
    tokenizer = create("tokenize")
    assert tokenizer.requires == ("norm",)
    assert tokenizer.provides == ("tokens",)


def test_ingest_pipeline_stores_sentences_without_tokens() -> None:
    # The ingest path stores sentences; tokens are a matching aid it must not pay for.
    article = Pipeline(["normalize", "segment"])(_article("وصل الوفد. وبدأت المحادثات."))
    assert len(article.sentences) == 2 and article.tokens is None


def test_tokenize_component_refuses_a_pipeline_without_normalize() -> None:
    with pytest.raises(PipelineError, match="norm"):
        Pipeline(["tokenize"])


def test_tokenize_component_called_directly_without_norm_raises() -> None:
    with pytest.raises(PipelineError, match="normalize"):
        create("tokenize")(_article("نص بلا تطبيع."))


def test_segment_pipeline_runs_on_the_seeds(seeds_dir: Path) -> None:
    pipeline = Pipeline(["normalize", "segment", "tokenize"])
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        article = pipeline(_article(text, str(path)))
        assert article.sentences, path.name
        for start, end in article.sentences:
            sentence = text[start:end]
            assert sentence.strip() == sentence and any(ch.isalnum() for ch in sentence), path.name
        assert article.tokens and all(text[t.start : t.end] == t.text for t in article.tokens)
