"""The `ner` component: where is a name, and of what type (PER, LOC, ORG), by a trained CRF.

This is recognition only. It writes typed spans into `article.entities` with no canonical name,
country or code; the `entity_resolver` component that runs after it says who each span is. Any
component that writes such spans can take this one's place (a user's own model, registered under
another name and put in `[pipeline] stages`) and the resolver still gives actor codes.

The model is a linear-chain CRF (python-crfsuite) trained on ANERcorp (see `models/ATTRIBUTION.md`)
over `ner_features`; `ner_train` rebuilds it. Tags are read per sentence over marsad's own tokens,
so what the model was trained on is what it sees at run time.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycrfsuite

from marsad.errors import ConfigError, PipelineError
from marsad.extract.crf_tagger import CachedViterbi
from marsad.extract.entities import Recognizer
from marsad.extract.lexicon_loader import Lexicons, load_lexicons
from marsad.extract.ner_features import NerFeatures
from marsad.model import Article, EntityMention
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import Token

COMPONENT = "ner"
MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODEL_DIR / "ner-anercorp.crfsuite"
# Types the recogniser reports; the model also learns MISC (ANERcorp tags it) so that events and
# works are not forced into these, but MISC spans are not written.
TYPES = frozenset({"PER", "LOC", "ORG"})


def sentence_tokens(tokens: list[Token], sentences: list[tuple[int, int]]) -> Iterator[list[Token]]:
    """The tokens of each sentence, in order (tokens outside every sentence form their own runs):
    a run ends before the first token at or after each sentence's end."""
    starts = [t.start for t in tokens]
    cuts = sorted({bisect_left(starts, end) for _, end in sentences}.union((0, len(tokens))))
    for a, b in pairwise(cuts):
        if a < b:
            yield tokens[a:b]


def bio_spans(toks: list[Token], tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, one past the last, type) of each B-/I- run; a stray I- starts a span."""
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind and start >= 0
        if start >= 0 and not inside:
            out.append((start, i, kind))
            start = -1
        if tag != "O" and not inside:
            start, kind = i, tag[2:]
    return out


class CrfRecognizer:
    """Tags an article's tokens with a crfsuite model; stateless apart from its feature cache."""

    def __init__(self, model: Path, lex: Lexicons) -> None:
        if not model.exists():
            raise ConfigError(
                f"entity model {model} is missing; reinstall marsad, or rebuild it with "
                "`python -m marsad.extract.ner_train` (needs ../shared/data)"
            )
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        self.decoder = CachedViterbi(tagger, NerFeatures(lex, Recognizer(lex)))

    def tag(self, toks: list[Token]) -> list[str]:
        return self.decoder.tag(toks)

    def spans(self, article: Article) -> list[tuple[int, int, str]]:
        """Token spans (start token, end token, type) over `article.tokens`."""
        out: list[tuple[int, int, str]] = []
        base = 0
        runs = list(sentence_tokens(article.tokens or [], article.sentences))
        if not runs:
            return []
        for run, tags in zip(runs, self.decoder.tag_many(runs), strict=True):
            if tags.count("O") < len(tags):  # most sentences name nothing
                out.extend((base + i, base + j, t) for i, j, t in bio_spans(run, tags) if t in TYPES)
            base += len(run)
        return out


@register("ner")
class NerComponent(BaseComponent):
    name = COMPONENT
    requires = ("norm", "sentences", "tokens")
    provides = ("entities",)

    def __init__(self) -> None:
        super().__init__()
        self.recognizer: CrfRecognizer | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        lex = load_lexicons(config.get("lexicon_dir"))
        model = Path(config["model"]) if config.get("model") else MODEL_PATH
        self.recognizer = CrfRecognizer(model, lex)

    def __call__(self, article: Article) -> Article:
        if self.recognizer is None:
            self.initialize({})
        assert self.recognizer is not None
        toks = article.tokens
        if toks is None:
            raise PipelineError(
                f"ner needs article.tokens on document {article.id}; run normalize, segment and tokenize first"
            )
        article.entities = [
            EntityMention(
                toks[i].start,
                toks[j - 1].end,
                article.text[toks[i].start : toks[j - 1].end],
                COMPONENT,
                "crf",
                type=kind,
            )
            for i, j, kind in self.recognizer.spans(article)
        ]
        return article
