"""Rebuild the shipped entity model from ANERcorp: one command, same bytes.

    python -m marsad.extract.ner_train                # reads ../shared/data/anercorp/train.conll
    python -m marsad.extract.ner_train CONLL --out M  # another file, another output

Each CoNLL sentence is joined with spaces, normalised and tokenised by marsad itself, and the gold
tags are projected onto marsad's tokens, so the model learns on the tokens it will see. Training
is L-BFGS over a fixed feature order with fixed parameters: the same data and lexicons give the
same model file byte for byte (the test suite checks this on a slice).
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from marsad.extract.entities import Recognizer
from marsad.extract.lexicon_loader import Lexicons, load_lexicons
from marsad.extract.ner import MODEL_PATH
from marsad.extract.ner_features import NerFeatures
from marsad.normalize.text import normalize
from marsad.segment.tokens import Token, tokenize

DEFAULT_DATA = Path("..") / "shared" / "data" / "anercorp" / "train.conll"
# ANERcorp's tag names -> marsad's.
_TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
# Chosen by 5-fold cross-validation on ANERcorp train (benchmarks/eval_ner.py).
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One CoNLL sentence: its words, their B-/I-/O tags, and the words joined by spaces."""

    words: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def word_spans(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for w in self.words:
            out.append((pos, pos + len(w)))
            pos += len(w) + 1
        return out

    def entity_spans(self) -> list[tuple[int, int, str]]:
        """Character spans (start, end, type) of the gold entities."""
        out: list[tuple[int, int, str]] = []
        spans = self.word_spans()
        for (s, e), tag in zip(spans, self.tags, strict=True):
            if tag.startswith("B-") or (tag.startswith("I-") and (not out or out[-1][1] != s - 1)):
                out.append((s, e, _TYPES[tag[2:]]))
            elif tag.startswith("I-"):
                out[-1] = (out[-1][0], e, out[-1][2])
        return out


def read_conll(path: Path) -> list[GoldSentence]:
    """ANERcorp/AQMAR-style CoNLL: "word TAG" per line, a blank line between sentences."""
    out: list[GoldSentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            words.append(parts[0])
            tags.append(parts[-1])
        elif not parts and words:
            out.append(GoldSentence(tuple(words), tuple(tags)))
            words, tags = [], []
    if words:
        out.append(GoldSentence(tuple(words), tuple(tags)))
    return out


def marsad_tokens(text: str) -> list[Token]:
    return tokenize(normalize(text), text)


def project(sentence: GoldSentence, toks: list[Token]) -> list[str]:
    """Gold tags on marsad's tokens: a token takes its entity's type, B- on the entity's first."""
    labels = ["O"] * len(toks)
    k = 0
    for s, e, kind in sentence.entity_spans():
        first = True
        while k < len(toks) and toks[k].end <= s:
            k += 1
        while k < len(toks) and toks[k].start < e:
            labels[k] = ("B-" if first else "I-") + kind
            first = False
            k += 1
    return labels


def train(sentences: Iterable[GoldSentence], out: Path, lex: Lexicons | None = None) -> Path:
    """Train a model on `sentences` into `out` (crfsuite's own binary format)."""
    lex = lex or load_lexicons()
    features = NerFeatures(lex, Recognizer(lex))
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        toks = marsad_tokens(sentence.text)
        if toks:
            trainer.append(features.sentence(toks), project(sentence, toks))
    trainer.set_params(PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if not args.conll.exists():
        parser.error(f"{args.conll} not found; run from the repository root with ../shared/data beside it")
    train(read_conll(args.conll), args.out)
    print(f"{args.out} {args.out.stat().st_size} bytes sha256 {digest(args.out)}")


if __name__ == "__main__":
    main()
